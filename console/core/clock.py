"""The console's one clock: every "now" and "today" in the code comes from here.

Tests control time by moving the system clock (`time-machine`), never by mixing a
fixed date with real-clock writes.
"""

from __future__ import annotations

from datetime import date, datetime

from db.models import utcnow


def now() -> datetime:
    """The current moment, time-zone aware (UTC)."""
    return utcnow()


def today() -> date:
    """Today's date (UTC)."""
    return now().date()
