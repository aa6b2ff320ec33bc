"""Date windows, defined once for every page, flag, query and report.

"In the last N days" is the N calendar days ending on the day asked about:
that day and the N - 1 days before it (`window_start`).

"More than N days since" counts whole days (`gap_exceeded`): something exactly
N days ago is still recent, so a session exactly 14 days ago does not raise
"no supervision in 14 days". A query that counts who is still covered asks for
records held on or after `gap_cutoff(on, N)`, which is the same rule.
"""

from __future__ import annotations

from datetime import date, timedelta

from scoring.errors import ScoringError


def _check_days(days: int) -> None:
    if type(days) is not int or days < 1:
        raise ScoringError(f"a window is a whole number of days of at least 1, got {days!r}")


def window_start(on: date, days: int) -> date:
    """The first day of "the last `days` days" ending on `on` (both included)."""
    _check_days(days)
    return on - timedelta(days=days - 1)


def gap_cutoff(on: date, days: int) -> date:
    """The earliest date a record may have and still keep "more than `days` days since" from being true on `on`."""
    _check_days(days)
    return on - timedelta(days=days)


def gap_exceeded(last: date | None, *, on: date, days: int) -> bool:
    """True when there was no record, or more than `days` whole days have passed since the last one."""
    return last is None or last < gap_cutoff(on, days)
