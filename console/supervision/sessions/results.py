"""What the session services return: plain dataclasses, no database rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from db.models import (
    SUPERVISION_FUNCTIONS,
)


@dataclass(frozen=True)
class SessionContent:
    """What a supervisor writes about one session; kind and attendees are fixed once it is recorded."""

    held_on: date
    duration_minutes: int
    minutes: Mapping[str, int] = field(hash=False)
    activities: tuple[str, ...] = ()
    notes: Mapping[str, str] = field(default_factory=dict, hash=False)
    private_reflection: str = ""
    peer_drift: bool = False
    peer_drift_note: str = ""
    ethics_areas: tuple[str, ...] = ()
    field_safety_discussed: bool = False

    @property
    def functions(self) -> tuple[str, ...]:
        return tuple(function for function in SUPERVISION_FUNCTIONS if self.minutes.get(function, 0) > 0)

    @property
    def unassigned_minutes(self) -> int:
        """Minutes of the session not given to any function (negative when the functions add up to more)."""
        return self.duration_minutes - sum(self.minutes.get(function, 0) for function in SUPERVISION_FUNCTIONS)


@dataclass(frozen=True)
class NewActionItem:
    owner_id: int
    text: str
    due_on: date | None = None


@dataclass(frozen=True)
class SessionActionItem:
    id: int
    owner_id: int
    owner_name: str
    text: str
    due_on: date | None
    status: str


@dataclass(frozen=True)
class SessionSummary:
    """A session's metadata: what any active supervisor of an attendee may see.

    `attendee_names` is filled only for the supervisor who led the session.
    """

    id: int
    held_on: date
    kind: str
    supervisor_id: int
    supervisor_name: str
    duration_minutes: int
    minutes: Mapping[str, int] = field(hash=False)
    attendee_count: int
    attendee_names: tuple[str, ...]

    @property
    def functions(self) -> tuple[str, ...]:
        return tuple(function for function in SUPERVISION_FUNCTIONS if self.minutes.get(function, 0) > 0)


@dataclass(frozen=True)
class Amendment:
    created_at: datetime
    reason: str
    previous: SessionContent


@dataclass(frozen=True)
class SessionRecord:
    """A session as its author reads it, private reflection and earlier versions included."""

    summary: SessionSummary
    attendee_ids: tuple[int, ...]
    content: SessionContent
    created_at: datetime
    editable_until: datetime
    amendments: tuple[Amendment, ...]
    action_items: tuple[SessionActionItem, ...]

    def editable(self, now: datetime) -> bool:
        return now <= self.editable_until


@dataclass(frozen=True)
class AttendedSession:
    """A session as a person who attended it reads it: no private reflection, only their own action items."""

    id: int
    held_on: date
    kind: str
    supervisor_name: str
    duration_minutes: int
    minutes: Mapping[str, int] = field(hash=False)
    activities: tuple[str, ...]
    notes: Mapping[str, str] = field(hash=False)
    peer_drift: bool
    peer_drift_note: str
    ethics_areas: tuple[str, ...]
    field_safety_discussed: bool
    amended_on: tuple[date, ...]
    my_action_items: tuple[SessionActionItem, ...]


@dataclass(frozen=True)
class HistoryEntry:
    """One session in a supervisee's history: the record itself only when the viewer led it."""

    summary: SessionSummary
    record: SessionRecord | None
