"""Dates and times shared by services: check-ins are one per ISO week; programs keep their own time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
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


def show_date(day: date) -> str:
    """A date as every page shows it: "24 Nov 2026"."""
    return f"{day.day} {day:%b %Y}"


def show_month(day: date) -> str:
    """A month as every page shows it: "November 2026"."""
    return f"{day:%B %Y}"


def show_time(moment: datetime, *, zone_name: str) -> str:
    """A moment on the program's wall clock, with its zone's abbreviation: "24 Nov 2026, 09:05 CST".

    A naive moment is read as UTC (the database stores UTC); an unknown zone name shows UTC.
    """
    zone = time_zone(zone_name) or ZoneInfo("UTC")
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    local = aware.astimezone(zone)
    return f"{show_date(local.date())}, {local:%H:%M} {local.tzname()}"
