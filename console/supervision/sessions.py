"""Supervision sessions: recorded by function, editable for seven days, then only amended with a reason.

Who reads what: the narrative (notes per function, the peer-drift note) is read
by the supervisor who wrote it and by the people who attended; the private
reflection by its author alone. Another supervisor of the same peer — the
administrative one, say — sees the session's metadata only (date, kind,
duration, minutes per function), as a program lead does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

import scoring
from console.core import audit, clock, input_limits
from console.core.errors import NotFound, PermissionDenied, ValidationError
from console.core.idempotency import insert_once, stored_submission
from console.policy.access import Action, NotesAccess, allowed, authorize, session_notes_access, visibility
from db.models import (
    SUPERVISION_FUNCTIONS,
    ActionItem,
    SessionAmendment,
    SessionAttendee,
    SupervisionSession,
    User,
)

FUNCTION_LABELS = {"administrative": "Administrative", "educational": "Educational / formative",
                   "supportive": "Supportive"}
KINDS = ("individual", "group")
ETHICS_AREAS = {"self": "Self", "interpersonal": "Interpersonal", "group_organization": "Group / organization"}
EDIT_WINDOW = timedelta(days=7)
MIN_DURATION, MAX_DURATION = 5, 480
MAX_NOTE_LENGTH = input_limits.SESSION_NOTE.limit
MAX_ITEM_LENGTH = input_limits.ACTION_ITEM.limit
MAX_REASON_LENGTH = input_limits.AMENDMENT_REASON.limit
MAX_ACTION_ITEMS = 3
"""Action items recorded with one session: the rows the session form offers."""


@dataclass(frozen=True)
class Activity:
    code: str
    label: str
    function: str


ACTIVITIES: tuple[Activity, ...] = (
    Activity("orient_new_staff", "Orient new staff", "administrative"),
    Activity("plan_assign_work", "Plan, assign and delegate work", "administrative"),
    Activity("time_management", "Time management", "administrative"),
    Activity("explain_policies", "Explain policies", "administrative"),
    Activity("team_collaboration", "Appropriate collaboration with the team", "administrative"),
    Activity("documentation_review", "Review documentation and data", "administrative"),
    Activity("reflect_on_practice", "Reflect on peer practice", "educational"),
    Activity("knowledge_skills_attitudes", "Knowledge, skills and attitudes", "educational"),
    Activity("individualized_training", "Individualized training and support", "educational"),
    Activity("professional_development", "Professional development", "educational"),
    Activity("feedback_on_work", "Feedback on work", "supportive"),
    Activity("personal_reactions", "Personal reactions to the work", "supportive"),
    Activity("validation_encouragement", "Validation and encouragement", "supportive"),
    Activity("self_care", "Self-care practices", "supportive"),
    Activity("role_advocacy", "Advocacy for the peer role", "supportive"),
)
ACTIVITY_BY_CODE = {activity.code: activity for activity in ACTIVITIES}


def activities_of(function: str) -> tuple[Activity, ...]:
    return tuple(activity for activity in ACTIVITIES if activity.function == function)


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


def _tags(text: str) -> tuple[str, ...]:
    return tuple(tag for tag in text.split(",") if tag)


def _minutes(row: SupervisionSession) -> dict[str, int]:
    return {function: getattr(row, f"minutes_{function}") for function in SUPERVISION_FUNCTIONS}


def _content(row: SupervisionSession) -> SessionContent:
    return SessionContent(
        held_on=row.held_on,
        duration_minutes=row.duration_minutes,
        minutes=_minutes(row),
        activities=_tags(row.activities),
        notes={function: text for function in SUPERVISION_FUNCTIONS if (text := getattr(row, f"notes_{function}"))},
        private_reflection=row.private_reflection or "",
        peer_drift=row.peer_drift,
        peer_drift_note=row.peer_drift_note or "",
        ethics_areas=_tags(row.ethics_areas),
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
    row.activities = ",".join(activity.code for activity in ACTIVITIES if activity.code in content.activities)
    row.private_reflection = content.private_reflection.strip() or None
    row.peer_drift = content.peer_drift
    row.peer_drift_note = (content.peer_drift_note.strip() or None) if content.peer_drift else None
    row.ethics_areas = ",".join(area for area in ETHICS_AREAS if area in content.ethics_areas)
    row.field_safety_discussed = content.field_safety_discussed


def _is_whole(value: object) -> bool:
    return type(value) is int


def _content_problems(content: SessionContent, *, functions: frozenset[str], today: date) -> dict[str, str]:
    """What to fix in `content`, for a session with people the supervisor holds `functions` with."""
    problems: dict[str, str] = {}
    date_issue = input_limits.date_problem(content.held_on, label="Date", today=today)
    if date_issue is not None:
        problems["held_on"] = date_issue
    elif content.held_on > today:
        problems["held_on"] = "The session date is in the future; choose the day it took place."
    if not _is_whole(content.duration_minutes) or not MIN_DURATION <= content.duration_minutes <= MAX_DURATION:
        problems["duration_minutes"] = (
            f"Duration: enter the session's length in whole minutes, from {MIN_DURATION} to {MAX_DURATION}."
        )
    unknown = sorted(set(content.minutes) - set(SUPERVISION_FUNCTIONS))
    if unknown:
        problems["minutes"] = f"Unknown function {', '.join(unknown)}; the functions are {', '.join(FUNCTION_LABELS)}."
    elif any(not _is_whole(value) or value < 0 for value in content.minutes.values()):
        problems["minutes"] = "Minutes per function: enter whole minutes, 0 or more."
    else:
        total = sum(content.minutes.values())
        if total == 0:
            problems["minutes"] = "Enter the minutes spent on at least one function."
        elif "duration_minutes" not in problems and total > content.duration_minutes:
            problems["minutes"] = (
                f"The minutes per function add up to {total}, more than the session's {content.duration_minutes} "
                "minutes; correct one or the other."
            )
        outside = [function for function in content.functions if function not in functions]
        if outside and functions:
            problems["functions"] = (
                f"You do not hold the {' and '.join(outside)} function with everyone in this session; "
                f"record only {' and '.join(f for f in SUPERVISION_FUNCTIONS if f in functions)} minutes, "
                "or leave out the people you supervise differently."
            )
        elif outside:
            problems["functions"] = (
                "You hold no supervision function with everyone in this session; record separate sessions."
            )
    covered = set(content.functions)
    unknown_activities = sorted(set(content.activities) - set(ACTIVITY_BY_CODE))
    if unknown_activities:
        problems["activities"] = f"Unknown activity {', '.join(unknown_activities)}."
    else:
        uncovered = sorted({ACTIVITY_BY_CODE[code].function for code in content.activities} - covered)
        if uncovered:
            problems["activities"] = (
                f"You ticked {' and '.join(uncovered)} activities but recorded no {' or '.join(uncovered)} minutes; "
                "add the minutes or untick them."
            )
    for function, text in content.notes.items():
        if function not in FUNCTION_LABELS:
            problems["notes"] = f"Unknown function {function} for a note."
        elif (text_issue := input_limits.text_problem(text, input_limits.SESSION_NOTE,
                                                      label=f"{FUNCTION_LABELS[function]} notes")) is not None:
            problems[f"notes_{function}"] = text_issue
        elif text.strip() and function not in covered:
            problems[f"notes_{function}"] = (
                f"There are {function} notes but no {function} minutes; add the minutes or move the notes."
            )
    for name, label, text in (("private_reflection", "Private reflection", content.private_reflection),
                              ("peer_drift_note", "Peer drift note", content.peer_drift_note)):
        text_issue = input_limits.text_problem(text, input_limits.SESSION_NOTE, label=label)
        if text_issue is not None:
            problems[name] = text_issue
    unknown_areas = sorted(set(content.ethics_areas) - set(ETHICS_AREAS))
    if unknown_areas:
        problems["ethics_areas"] = (
            f"Unknown ethics area {', '.join(unknown_areas)}; the areas are {', '.join(ETHICS_AREAS.values())}."
        )
    return problems


def _item_problems(items: Sequence[NewActionItem], *, owners: set[int], held_on: date, today: date
                   ) -> dict[str, str]:
    problems: dict[str, str] = {}
    if len(items) > MAX_ACTION_ITEMS:
        problems["action_items"] = (f"A session records at most {MAX_ACTION_ITEMS} action items; this has "
                                    f"{len(items)}. Add the others from a later session.")
        return problems
    for position, item in enumerate(items, start=1):
        text_issue = input_limits.text_problem(item.text, input_limits.ACTION_ITEM, label=f"Action item {position}")
        if item.owner_id not in owners:
            problems[f"action_item_{position}"] = (
                f"Action item {position}: the owner must be you or someone who attended."
            )
        elif text_issue is not None:
            problems[f"action_item_{position}"] = text_issue
        elif not item.text.strip():
            problems[f"action_item_{position}"] = f"Action item {position}: say what is to be done."
        elif item.due_on is not None and (due_issue := input_limits.date_problem(
                item.due_on, label=f"Action item {position} due date", today=today)) is not None:
            problems[f"action_item_{position}"] = due_issue
        elif item.due_on is not None and item.due_on < held_on:
            problems[f"action_item_{position}"] = f"Action item {position}: the due date is before the session."
    return problems


def _raise_problems(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError("Please fix: " + " ".join(problems.values()), problems=problems)


def _attendee_ids(session: Session, session_id: int) -> tuple[int, ...]:
    return tuple(sorted(session.exec(
        select(SessionAttendee.peer_id).where(SessionAttendee.session_id == session_id)
    ).all()))


def _names(session: Session, user_ids: Sequence[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return {user.id: user.display_name for user in session.exec(select(User).where(col(User.id).in_(user_ids)))}


def _summaries(session: Session, rows: Sequence[SupervisionSession], *, viewer_id: int | None
               ) -> list[SessionSummary]:
    ids = [row.id for row in rows]
    attendees: dict[int, list[int]] = {row_id: [] for row_id in ids}
    if ids:
        for session_id, peer_id in session.exec(
            select(SessionAttendee.session_id, SessionAttendee.peer_id).where(col(SessionAttendee.session_id).in_(ids))
        ):
            attendees[session_id].append(peer_id)
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
            attendee_names=tuple(sorted(names[p] for p in attendees[row.id])) if row.supervisor_id == viewer_id else (),
        )
        for row in rows
    ]


def _session_items(session: Session, session_id: int, *, owner_id: int | None = None) -> tuple[SessionActionItem, ...]:
    query = select(ActionItem).where(ActionItem.session_id == session_id).order_by(col(ActionItem.id))
    if owner_id is not None:
        query = query.where(ActionItem.owner_id == owner_id)
    items = session.exec(query).all()
    names = _names(session, sorted({item.owner_id for item in items}))
    return tuple(
        SessionActionItem(item.id, item.owner_id, names.get(item.owner_id, ""), item.text or "", item.due_on,
                          item.status)
        for item in items
    )


def _record(session: Session, row: SupervisionSession) -> SessionRecord:
    amendments = session.exec(
        select(SessionAmendment).where(SessionAmendment.session_id == row.id).order_by(col(SessionAmendment.id))
    ).all()
    return SessionRecord(
        summary=_summaries(session, [row], viewer_id=row.supervisor_id)[0],
        attendee_ids=_attendee_ids(session, row.id),
        content=_content(row),
        created_at=row.created_at,
        editable_until=row.created_at + EDIT_WINDOW,
        amendments=tuple(
            Amendment(amendment.created_at, amendment.reason or "", _content_from_document(amendment.previous))
            for amendment in amendments
        ),
        action_items=_session_items(session, row.id),
    )


def functions_held_with_all(functions_by_peer: Mapping[int, frozenset[str]], peer_ids: Sequence[int]) -> frozenset[str]:
    """The functions the supervisor holds with every one of `peer_ids` (no access check: the form's own choices)."""
    return frozenset.intersection(*(functions_by_peer[peer_id] for peer_id in peer_ids)) if peer_ids else frozenset()


def split_minutes(functions: Sequence[str], duration: int) -> dict[str, int]:
    """`duration` spread over `functions` in steps of five, the last taking the rest: a starting point."""
    minutes = dict.fromkeys(SUPERVISION_FUNCTIONS, 0)
    for function in functions[:-1]:
        minutes[function] = duration // len(functions) // 5 * 5
    if functions:
        minutes[functions[-1]] = duration - sum(minutes.values())
    return minutes


def _shared_functions(session: Session, *, actor: User, attendee_ids: Sequence[int]) -> frozenset[str]:
    """The functions the actor holds with every one of `attendee_ids`; refuses anyone they do not supervise."""
    shared = frozenset(SUPERVISION_FUNCTIONS)
    for peer_id in attendee_ids:
        facts = authorize(session, actor=actor, action=Action.RECORD_SUPERVISION, subject_id=peer_id)
        shared &= facts.assignment_functions
    return shared


def record_session(
    session: Session,
    *,
    actor: User,
    kind: str,
    attendee_ids: Sequence[int],
    content: SessionContent,
    idempotency_key: str,
    action_items: Sequence[NewActionItem] = (),
    now: datetime | None = None,
) -> SessionRecord:
    """Store a session with its attendees and action items; a repeated idempotency key returns the stored one."""
    now = now or clock.now()
    today = now.date()
    authorize(session, actor=actor, action=Action.LIST_SUPERVISEES)
    stored = stored_submission(session, SupervisionSession, key=idempotency_key, owner="supervisor_id",
                               owner_id=actor.id)
    if stored is not None:
        return _record(session, stored)

    attendees = sorted(set(attendee_ids))
    if kind not in KINDS:
        raise ValidationError(f"Choose the kind of session: {' or '.join(KINDS)}.")
    if kind == "individual" and len(attendees) != 1:
        raise ValidationError("An individual session has one supervisee; choose one, or record a group session.")
    if kind == "group" and len(attendees) < 2:
        raise ValidationError("A group session has at least two supervisees; choose them, or record an individual one.")
    functions = _shared_functions(session, actor=actor, attendee_ids=attendees)
    problems = _content_problems(content, functions=functions, today=today)
    problems |= _item_problems(action_items, owners={actor.id, *attendees}, held_on=content.held_on, today=today)
    _raise_problems(problems)

    row = SupervisionSession(supervisor_id=actor.id, held_on=content.held_on, kind=kind,
                             duration_minutes=content.duration_minutes, idempotency_key=idempotency_key,
                             created_at=now, updated_at=now)
    _apply(row, content)
    stored = insert_once(session, row, owner="supervisor_id")
    if stored is not row:
        return _record(session, stored)
    session.add_all(SessionAttendee(session_id=row.id, peer_id=peer_id) for peer_id in attendees)
    session.add_all(
        ActionItem(session_id=row.id, owner_id=item.owner_id, text=item.text.strip(), due_on=item.due_on,
                   created_at=now)
        for item in action_items
    )
    for peer_id in attendees:
        audit.record(session, actor=actor, action="session_recorded", subject_id=peer_id,
                     resource_type="supervision_session", resource_id=row.id,
                     detail=f"{kind}, {content.held_on.isoformat()}, {len(action_items)} action items")
    session.commit()
    return _record(session, row)


def _led_session(session: Session, *, actor: User, session_id: int, action: Action
                 ) -> tuple[SupervisionSession, list[int]]:
    """The actor's own session and the attendees the policy lets them `action` today; others' sessions are
    refused."""
    row = session.get(SupervisionSession, session_id)
    if row is None:
        raise NotFound("There is no such supervision session.")
    attendees = _attendee_ids(session, row.id)
    if session_notes_access(reader_id=actor.id, author_id=row.supervisor_id,
                            attendee_ids=frozenset(attendees)) is not NotesAccess.AUTHOR:
        raise PermissionDenied(
            "Not allowed: supervision notes are read only by the supervisor who wrote them and the people who attended."
        )
    supervised = [peer_id for peer_id in attendees
                  if allowed(session, actor=actor, action=action, subject_id=peer_id)]
    if not supervised:
        raise PermissionDenied("Not allowed: your supervision assignment with the people in this session has ended.")
    return row, supervised


def session_record(session: Session, *, actor: User, session_id: int) -> SessionRecord:
    """A session the actor led, as they wrote it; the read is audited for each attendee."""
    row, supervised = _led_session(session, actor=actor, session_id=session_id, action=Action.VIEW_SESSION_NOTES)
    for peer_id in supervised:
        audit.record(session, actor=actor, action="viewed_session_notes", subject_id=peer_id,
                     resource_type="supervision_session", resource_id=row.id)
    session.commit()
    return _record(session, row)


def edit_session(
    session: Session, *, actor: User, session_id: int, content: SessionContent, now: datetime | None = None
) -> SessionRecord:
    """Change a session within seven days of recording it; after that it can only be amended."""
    now = now or clock.now()
    row, supervised = _led_session(session, actor=actor, session_id=session_id, action=Action.RECORD_SUPERVISION)
    if now > row.created_at + EDIT_WINDOW:
        raise ValidationError(
            f"A session can be edited for {EDIT_WINDOW.days} days after it is recorded; this one was recorded on "
            f"{row.created_at:%d %b %Y}. Amend it instead and say why."
        )
    _change(session, actor=actor, row=row, supervised=supervised, content=content, now=now, action="session_edited")
    session.commit()
    return _record(session, row)


def amend_session(
    session: Session,
    *,
    actor: User,
    session_id: int,
    content: SessionContent,
    reason: str,
    now: datetime | None = None,
) -> SessionRecord:
    """Change a session after its edit window: the earlier version is kept with the reason for the change."""
    now = now or clock.now()
    row, supervised = _led_session(session, actor=actor, session_id=session_id, action=Action.RECORD_SUPERVISION)
    if now <= row.created_at + EDIT_WINDOW:
        raise ValidationError(
            f"This session can still be edited until {row.created_at + EDIT_WINDOW:%d %b %Y}; edit it directly."
        )
    input_limits.require_texts({"reason": (reason, input_limits.AMENDMENT_REASON)})
    if not reason.strip():
        raise ValidationError("Say why the session record is amended.",
                              problems={"reason": "Say why the session record is amended."})
    session.add(SessionAmendment(session_id=row.id, author_id=actor.id, created_at=now, reason=reason.strip(),
                                 previous=_content_document(_content(row))))
    _change(session, actor=actor, row=row, supervised=supervised, content=content, now=now, action="session_amended")
    session.commit()
    return _record(session, row)


def _change(session: Session, *, actor: User, row: SupervisionSession, supervised: list[int],
            content: SessionContent, now: datetime, action: str) -> None:
    functions = _shared_functions(session, actor=actor, attendee_ids=supervised)
    _raise_problems(_content_problems(content, functions=functions, today=now.date()))
    _apply(row, content)
    row.updated_at = now
    session.add(row)
    for peer_id in _attendee_ids(session, row.id):
        audit.record(session, actor=actor, action=action, subject_id=peer_id, resource_type="supervision_session",
                     resource_id=row.id)


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
        .join(SessionAttendee, SessionAttendee.session_id == SupervisionSession.id)
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
    history = [
        HistoryEntry(summary, _record(session, row) if session_notes_access(
            reader_id=actor.id, author_id=row.supervisor_id, attendee_ids=frozenset(_attendee_ids(session, row.id))
        ) is NotesAccess.AUTHOR else None)
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
            activities=_tags(row.activities),
            notes=_content(row).notes,
            peer_drift=row.peer_drift,
            peer_drift_note=row.peer_drift_note or "",
            ethics_areas=_tags(row.ethics_areas),
            field_safety_discussed=row.field_safety_discussed,
            amended_on=tuple(amended.get(row.id, ())),
            my_action_items=_session_items(session, row.id, owner_id=actor.id),
        )
        for row in rows
    ]
