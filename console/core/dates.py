"""Dates and times shared by services: check-ins are one per ISO week; programs keep their own time zone."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def week_start(day: date) -> date:
    """The Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
"""Weekday names in `date.weekday()` order."""


def time_of_day(text: str) -> time | None:
    """A "HH:MM" time of day (24-hour clock), or None when the text is not one."""
    hours, _, minutes = text.strip().partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and 1 <= len(hours) <= 2):
        return None
    if int(hours) > 23 or int(minutes) > 59:
        return None
    return time(int(hours), int(minutes))


def time_zone(name: str) -> ZoneInfo | None:
    """The IANA time zone of that name (e.g. America/Chicago), or None when there is none."""
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return None
