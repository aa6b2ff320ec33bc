"""Supervision balance: minutes per function, recency and cadence for one supervisee."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from scoring.errors import ScoringError
from scoring.windows import window_start as first_day_of_window

FUNCTIONS = ("administrative", "educational", "supportive")
CADENCE_DAYS = {"weekly": 7, "biweekly": 14}
BALANCE_WINDOW_DAYS = 28
"""The default window of the balance of functions: every function covered at least monthly."""


@dataclass(frozen=True)
class SessionMinutes:
    """One supervision session with the minutes spent on each function."""

    held_on: date
    administrative: int = 0
    educational: int = 0
    supportive: int = 0

    @property
    def functions(self) -> frozenset[str]:
        """The functions the session covered (those with minutes above 0)."""
        return frozenset(function for function in FUNCTIONS if getattr(self, function) > 0)


@dataclass(frozen=True)
class Balance:
    """Supervision over the window `window_start`..`window_end` (both included).

    `shares` are fractions of `total_minutes` (None when no minutes were
    recorded). `days_since_last` and `days_since_supportive` look at every
    session up to the window's end, not only those inside it.
    """

    window_start: date
    window_end: date
    sessions: int
    total_minutes: int
    minutes: dict[str, int] = field(hash=False)
    shares: dict[str, float | None] = field(hash=False)
    days_since_last: int | None
    days_since_supportive: int | None
    cadence: str
    cadence_met: bool


def supervision_balance(
    *,
    sessions: Sequence[SessionMinutes],
    today: date,
    window_days: int = BALANCE_WINDOW_DAYS,
    cadence: str = "weekly",
) -> Balance:
    """Minutes and shares per function over the last `window_days` days, and whether the cadence is met.

    The window is the `window_days` calendar days ending today. The cadence is
    met when the last session was at most 7 days ago (weekly) or 14 days ago
    (biweekly): a session on the same weekday last week still counts on the day
    the next one is due. Sessions dated after `today` are ignored.
    """
    if cadence not in CADENCE_DAYS:
        raise ScoringError(f"cadence must be one of {', '.join(CADENCE_DAYS)}, got {cadence!r}")
    if window_days < 1:
        raise ScoringError(f"window_days must be at least 1, got {window_days}")
    for session in sessions:
        for function in FUNCTIONS:
            minutes = getattr(session, function)
            if type(minutes) is not int or minutes < 0:
                raise ScoringError(
                    f"session of {session.held_on}: {function} minutes must be a whole number 0 or more, "
                    f"got {minutes!r}"
                )
    window_start = first_day_of_window(today, window_days)
    held = [session for session in sessions if session.held_on <= today]
    in_window = [session for session in held if session.held_on >= window_start]
    minutes = {function: sum(getattr(session, function) for session in in_window) for function in FUNCTIONS}
    total = sum(minutes.values())
    shares = {function: (minutes[function] / total if total else None) for function in FUNCTIONS}
    last = max((session.held_on for session in held), default=None)
    last_supportive = max((session.held_on for session in held if session.supportive > 0), default=None)
    days_since_last = (today - last).days if last else None
    return Balance(
        window_start=window_start,
        window_end=today,
        sessions=len(in_window),
        total_minutes=total,
        minutes=minutes,
        shares=shares,
        days_since_last=days_since_last,
        days_since_supportive=(today - last_supportive).days if last_supportive else None,
        cadence=cadence,
        cadence_met=days_since_last is not None and days_since_last <= CADENCE_DAYS[cadence],
    )
