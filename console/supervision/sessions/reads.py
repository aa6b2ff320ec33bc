"""Reading sessions: one record, a supervisor's recent sessions, a supervisee's history, a peer's own list."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlmodel import Session, col, select

import scoring
from console.core import audit
from console.policy.access import Action, NotesAccess, authorize, session_notes_access, visibility
from console.supervision.sessions.commands import _led_session
from console.supervision.sessions.results import AttendedSession, HistoryEntry, SessionRecord, SessionSummary
from console.supervision.sessions.rows import (
    _activities,
    _attendees_by_session,
    _content,
    _ethics_areas,
    _items_by_session,
    _minutes,
    _names,
    _record,
    _records,
    _summaries,
)
from db.models import (
    SUPERVISION_FUNCTIONS,
    SessionAmendment,
    SessionAttendee,
    SupervisionSession,
    User,
)


def session_record(session: Session, *, actor: User, session_id: int) -> SessionRecord:
    """A session the actor led, as they wrote it; the read is audited for each attendee."""
    row, supervised = _led_session(session, actor=actor, session_id=session_id, action=Action.VIEW_SESSION_NOTES)
    for peer_id in supervised:
        audit.record(session, actor=actor, action="viewed_session_notes", subject_id=peer_id,
                     resource_type="supervision_session", resource_id=row.id)
    session.commit()
    return _record(session, row)


def my_recent_sessions(session: Session, *, actor: User, on: date, days: int = 90) -> list[SessionSummary]:
    """Sessions the actor led in the last `days` days, newest first: metadata only, for choosing one to open."""
    authorize(session, actor=actor, action=Action.LIST_SUPERVISEES)
    rows = session.exec(
        select(SupervisionSession)
        .where(SupervisionSession.supervisor_id == actor.id, SupervisionSession.held_on >= on - timedelta(days=days),
               SupervisionSession.held_on <= on)
        .order_by(col(SupervisionSession.held_on).desc(), col(SupervisionSession.id).desc())
    ).all()
    return _summaries(session, rows, viewer_id=actor.id)


def _sessions_with(session: Session, *, peer_id: int, since: date, on: date) -> list[SupervisionSession]:
    """Every session the peer attended from `since` to `on`, oldest first; callers have authorized the read."""
    return list(session.exec(
        select(SupervisionSession)
        .join(SessionAttendee, col(SessionAttendee.session_id) == col(SupervisionSession.id))
        .where(SessionAttendee.peer_id == peer_id, SupervisionSession.held_on >= since,
               SupervisionSession.held_on <= on)
        .order_by(col(SupervisionSession.held_on), col(SupervisionSession.id))
    ).all())


def _administrative_part(entry: HistoryEntry) -> HistoryEntry:
    """Another supervisor's session as an administrative-only supervisor sees it: its administrative minutes."""
    if entry.record is not None:
        return entry
    minutes = entry.summary.minutes["administrative"]
    summary = replace(entry.summary, duration_minutes=minutes,
                      minutes={function: minutes if function == "administrative" else 0
                               for function in SUPERVISION_FUNCTIONS})
    return HistoryEntry(summary, None)


def supervisee_history(session: Session, *, actor: User, peer_id: int, since: date, on: date
                       ) -> tuple[frozenset[str], list[HistoryEntry]]:
    """The functions the actor holds with the peer today, and the peer's sessions, newest first: metadata for
    all (an administrative-only supervisor, the administrative part), the record for those the actor led.

    The caller audits the read of any record and commits.
    """
    facts = authorize(session, actor=actor, action=Action.VIEW_SESSION_NOTES, subject_id=peer_id)
    rows = list(reversed(_sessions_with(session, peer_id=peer_id, since=since, on=on)))
    attendees = _attendees_by_session(session, [row.id for row in rows])
    led = [row for row in rows if session_notes_access(
        reader_id=actor.id, author_id=row.supervisor_id, attendee_ids=frozenset(attendees[row.id])
    ) is NotesAccess.AUTHOR]
    records = {row.id: record for row, record in zip(led, _records(session, led), strict=True)}
    history = [
        HistoryEntry(summary, records.get(row.id))
        for row, summary in zip(rows, _summaries(session, rows, viewer_id=actor.id), strict=True)
    ]
    if visibility(facts).administrative_only:
        history = [_administrative_part(entry) for entry in history
                   if entry.record is not None or entry.summary.minutes["administrative"] > 0]
    return facts.assignment_functions, history


def supervisee_session_minutes(session: Session, *, actor: User, peer_id: int, since: date, on: date
                               ) -> list[scoring.SessionMinutes]:
    """Minutes per function of every session the peer attended from `since` to `on`, oldest first: metadata any
    active supervisor of the peer sees."""
    authorize(session, actor=actor, action=Action.VIEW_COMPLETION, subject_id=peer_id)
    return [
        scoring.SessionMinutes(row.held_on, row.minutes_administrative, row.minutes_educational,
                               row.minutes_supportive)
        for row in _sessions_with(session, peer_id=peer_id, since=since, on=on)
    ]


def my_sessions_as_supervisee(session: Session, *, actor: User, on: date, days: int = 365) -> list[AttendedSession]:
    """Sessions the signed-in person attended, newest first, with the notes they may read.

    Group notes are read by every attendee; action items are the reader's own only.
    """
    authorize(session, actor=actor, action=Action.VIEW_SESSION_NOTES, subject_id=actor.id)
    rows = list(reversed(_sessions_with(session, peer_id=actor.id, since=on - timedelta(days=days), on=on)))
    names = _names(session, sorted({row.supervisor_id for row in rows}))
    my_items = _items_by_session(session, [row.id for row in rows], owner_id=actor.id)
    amended: dict[int, list[date]] = {}
    if rows:
        for session_id, created_at in session.exec(
            select(SessionAmendment.session_id, SessionAmendment.created_at)
            .where(col(SessionAmendment.session_id).in_([row.id for row in rows]))
            .order_by(col(SessionAmendment.created_at))
        ):
            amended.setdefault(session_id, []).append(created_at.date())
    return [
        AttendedSession(
            id=row.id,
            held_on=row.held_on,
            kind=row.kind,
            supervisor_name=names.get(row.supervisor_id, ""),
            duration_minutes=row.duration_minutes,
            minutes=_minutes(row),
            activities=_activities(row),
            notes=_content(row).notes,
            peer_drift=row.peer_drift,
            peer_drift_note=row.peer_drift_note or "",
            ethics_areas=_ethics_areas(row),
            field_safety_discussed=row.field_safety_discussed,
            amended_on=tuple(amended.get(row.id, ())),
            my_action_items=my_items[row.id],
        )
        for row in rows
    ]
