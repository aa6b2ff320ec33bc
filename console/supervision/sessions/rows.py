"""Between table rows and results: reading a session's content, attendees, items and names in batches."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from console.supervision.sessions.catalogue import ACTIVITIES, EDIT_WINDOW, ETHICS_AREAS
from console.supervision.sessions.results import (
    Amendment,
    NewActionItem,
    SessionActionItem,
    SessionContent,
    SessionRecord,
    SessionSummary,
)
from db.models import (
    SUPERVISION_FUNCTIONS,
    ActionItem,
    SessionAmendment,
    SessionAttendee,
    SupervisionSession,
    User,
)


def _activities(row: SupervisionSession) -> tuple[str, ...]:
    return tuple(activity.code for activity in ACTIVITIES if activity.code in row.activities)


def _ethics_areas(row: SupervisionSession) -> tuple[str, ...]:
    return tuple(area for area in ETHICS_AREAS if area in row.ethics_areas)


def _minutes(row: SupervisionSession) -> dict[str, int]:
    return {function: getattr(row, f"minutes_{function}") for function in SUPERVISION_FUNCTIONS}


def _content(row: SupervisionSession) -> SessionContent:
    return SessionContent(
        held_on=row.held_on,
        duration_minutes=row.duration_minutes,
        minutes=_minutes(row),
        activities=_activities(row),
        notes={function: text for function in SUPERVISION_FUNCTIONS if (text := getattr(row, f"notes_{function}"))},
        private_reflection=row.private_reflection or "",
        peer_drift=row.peer_drift,
        peer_drift_note=row.peer_drift_note or "",
        ethics_areas=_ethics_areas(row),
        field_safety_discussed=row.field_safety_discussed,
    )


def _content_document(content: SessionContent) -> dict[str, Any]:
    return {
        "held_on": content.held_on.isoformat(),
        "duration_minutes": content.duration_minutes,
        "minutes": dict(content.minutes),
        "activities": list(content.activities),
        "notes": dict(content.notes),
        "private_reflection": content.private_reflection,
        "peer_drift": content.peer_drift,
        "peer_drift_note": content.peer_drift_note,
        "ethics_areas": list(content.ethics_areas),
        "field_safety_discussed": content.field_safety_discussed,
    }


def _content_from_document(document: dict[str, Any]) -> SessionContent:
    return SessionContent(
        held_on=date.fromisoformat(document["held_on"]),
        duration_minutes=document["duration_minutes"],
        minutes=document["minutes"],
        activities=tuple(document["activities"]),
        notes=document["notes"],
        private_reflection=document["private_reflection"],
        peer_drift=document["peer_drift"],
        peer_drift_note=document["peer_drift_note"],
        ethics_areas=tuple(document["ethics_areas"]),
        field_safety_discussed=document["field_safety_discussed"],
    )


def _apply(row: SupervisionSession, content: SessionContent) -> None:
    row.held_on = content.held_on
    row.duration_minutes = content.duration_minutes
    for function in SUPERVISION_FUNCTIONS:
        setattr(row, f"minutes_{function}", content.minutes.get(function, 0))
        setattr(row, f"notes_{function}", content.notes.get(function, "").strip() or None)
    row.activities = frozenset(activity.code for activity in ACTIVITIES if activity.code in content.activities)
    row.private_reflection = content.private_reflection.strip() or None
    row.peer_drift = content.peer_drift
    row.peer_drift_note = (content.peer_drift_note.strip() or None) if content.peer_drift else None
    row.ethics_areas = frozenset(area for area in ETHICS_AREAS if area in content.ethics_areas)
    row.field_safety_discussed = content.field_safety_discussed


def _attendee_ids(session: Session, session_id: int) -> tuple[int, ...]:
    return _attendees_by_session(session, [session_id])[session_id]


def _attendees_by_session(session: Session, session_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
    """The attendees' ids of each session, in one statement."""
    attendees: dict[int, list[int]] = {session_id: [] for session_id in session_ids}
    if session_ids:
        for session_id, peer_id in session.exec(
            select(SessionAttendee.session_id, SessionAttendee.peer_id)
            .where(col(SessionAttendee.session_id).in_(session_ids))
        ):
            attendees[session_id].append(peer_id)
    return {session_id: tuple(sorted(peers)) for session_id, peers in attendees.items()}


def _names(session: Session, user_ids: Sequence[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return {user.id: user.display_name for user in session.exec(select(User).where(col(User.id).in_(user_ids)))}


def _summaries(session: Session, rows: Sequence[SupervisionSession], *, viewer_id: int | None,
               viewer_is_author: bool = False) -> list[SessionSummary]:
    """Summaries of `rows`; attendee names only for the sessions `viewer_id` led (or for all of them when each
    is read by its author)."""
    attendees = _attendees_by_session(session, [row.id for row in rows])
    names = _names(session, sorted({row.supervisor_id for row in rows} | {p for ps in attendees.values() for p in ps}))
    return [
        SessionSummary(
            id=row.id,
            held_on=row.held_on,
            kind=row.kind,
            supervisor_id=row.supervisor_id,
            supervisor_name=names.get(row.supervisor_id, ""),
            duration_minutes=row.duration_minutes,
            minutes=_minutes(row),
            attendee_count=len(attendees[row.id]),
            attendee_names=tuple(sorted(names[p] for p in attendees[row.id]))
            if viewer_is_author or row.supervisor_id == viewer_id else (),
        )
        for row in rows
    ]


def _items_by_session(session: Session, session_ids: Sequence[int], *, owner_id: int | None = None
                      ) -> dict[int, tuple[SessionActionItem, ...]]:
    """The action items of each session (only `owner_id`'s when given), in two statements."""
    found: dict[int, list[ActionItem]] = {session_id: [] for session_id in session_ids}
    if session_ids:
        query = select(ActionItem).where(col(ActionItem.session_id).in_(session_ids)).order_by(col(ActionItem.id))
        if owner_id is not None:
            query = query.where(ActionItem.owner_id == owner_id)
        for item in session.exec(query):
            if item.session_id is not None:
                found[item.session_id].append(item)
    names = _names(session, sorted({item.owner_id for items in found.values() for item in items}))
    return {
        session_id: tuple(
            SessionActionItem(item.id, item.owner_id, names.get(item.owner_id, ""), item.text or "", item.due_on,
                              item.status)
            for item in items
        )
        for session_id, items in found.items()
    }


def _session_items(session: Session, session_id: int, *, owner_id: int | None = None) -> tuple[SessionActionItem, ...]:
    return _items_by_session(session, [session_id], owner_id=owner_id)[session_id]


def _record(session: Session, row: SupervisionSession) -> SessionRecord:
    return _records(session, [row])[0]


def _records(session: Session, rows: Sequence[SupervisionSession]) -> list[SessionRecord]:
    """The full records of `rows` as their authors read them, in a number of statements that does not grow
    with the number of rows."""
    ids = [row.id for row in rows]
    amendments: dict[int, list[SessionAmendment]] = {row_id: [] for row_id in ids}
    if ids:
        for amendment in session.exec(
            select(SessionAmendment).where(col(SessionAmendment.session_id).in_(ids)).order_by(col(SessionAmendment.id))
        ):
            amendments[amendment.session_id].append(amendment)
    attendees = _attendees_by_session(session, ids)
    items = _items_by_session(session, ids)
    return [
        SessionRecord(
            summary=summary,
            attendee_ids=attendees[row.id],
            content=_content(row),
            created_at=row.created_at,
            editable_until=row.created_at + EDIT_WINDOW,
            amendments=tuple(
                Amendment(amendment.created_at, amendment.reason or "", _content_from_document(amendment.previous))
                for amendment in amendments[row.id]
            ),
            action_items=items[row.id],
        )
        for row, summary in zip(rows, _summaries(session, rows, viewer_id=None, viewer_is_author=True), strict=True)
    ]


def draft_payload(*, kind: str, attendee_ids: Sequence[int], content: SessionContent,
                  action_items: Sequence[NewActionItem]) -> dict[str, Any]:
    """A session form as a JSON document, for `drafts.save_draft`."""
    return {
        "kind": kind, "attendee_ids": list(attendee_ids),
        "content": {**dataclasses.asdict(content), "held_on": content.held_on.isoformat(),
                    "minutes": dict(content.minutes), "notes": dict(content.notes)},
        "action_items": [{"owner_id": item.owner_id, "text": item.text,
                          "due_on": item.due_on.isoformat() if item.due_on else None} for item in action_items],
    }


def content_from_draft(payload: dict[str, Any]) -> SessionContent:
    saved = payload["content"]
    return SessionContent(
        held_on=date.fromisoformat(saved["held_on"]), duration_minutes=int(saved["duration_minutes"]),
        minutes={function: int(value) for function, value in saved["minutes"].items()},
        activities=tuple(saved["activities"]), notes=dict(saved["notes"]),
        private_reflection=saved["private_reflection"], peer_drift=bool(saved["peer_drift"]),
        peer_drift_note=saved["peer_drift_note"], ethics_areas=tuple(saved["ethics_areas"]),
        field_safety_discussed=bool(saved["field_safety_discussed"]),
    )
