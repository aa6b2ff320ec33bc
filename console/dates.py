"""Week arithmetic shared by services: check-ins are one per ISO week."""

from __future__ import annotations

from datetime import date, timedelta


def week_start(day: date) -> date:
    """The Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


def weeks_back(day: date, count: int) -> date:
    """The Monday `count - 1` weeks before the week of `day`: the start of a `count`-week window."""
    return week_start(day) - timedelta(weeks=count - 1)
