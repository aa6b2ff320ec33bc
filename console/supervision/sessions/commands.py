"""Recording, editing and amending sessions: policy first, one transaction, audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from console.core import audit, clock, input_limits
from console.core.errors import NotFound, PermissionDenied, ValidationError
from console.core.i18n import _, show_date, show_list
from console.core.idempotency import insert_once, stored_submission
from console.policy.access import Action, NotesAccess, allowed, authorize, session_notes_access
from console.supervision.sessions.catalogue import DRAFT_KIND, EDIT_WINDOW, KIND_LABELS, KINDS
from console.supervision.sessions.results import NewActionItem, SessionContent, SessionRecord
from console.supervision.sessions.rows import _apply, _attendee_ids, _content, _content_document, _record
from console.supervision.sessions.validation import _content_problems, _item_problems, _raise_problems
from console.wellness import drafts
from db.models import (
    SUPERVISION_FUNCTIONS,
    ActionItem,
    SessionAmendment,
    SessionAttendee,
    SupervisionSession,
    User,
)


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
    row = store_session(session, actor=actor, kind=kind, attendee_ids=attendee_ids, content=content,
                        idempotency_key=idempotency_key, action_items=action_items, now=now)
    drafts.forget_drafts(session, owner_id=actor.id, kind=DRAFT_KIND)
    session.commit()
    return _record(session, row)


def store_session(
    session: Session,
    *,
    actor: User,
    kind: str,
    attendee_ids: Sequence[int],
    content: SessionContent,
    idempotency_key: str,
    action_items: Sequence[NewActionItem] = (),
    now: datetime | None = None,
) -> SupervisionSession:
    """`record_session` in the caller's transaction (the caller commits), for a service that stores more with it;
    returns the stored row, the one already stored under a repeated idempotency key included."""
    now = now or clock.now()
    today = now.date()
    authorize(session, actor=actor, action=Action.LIST_SUPERVISEES)
    stored = stored_submission(session, SupervisionSession, key=idempotency_key, owner="supervisor_id",
                               owner_id=actor.id)
    if stored is not None:
        return stored

    attendees = sorted(set(attendee_ids))
    if kind not in KINDS:
        raise ValidationError(_("Choose the kind of session: {kinds}.",
                                kinds=show_list([_(KIND_LABELS[name]).lower() for name in KINDS], style="or")))
    if kind == "individual" and len(attendees) != 1:
        raise ValidationError(_("An individual session has one supervisee; choose one, or record a group session."))
    if kind == "group" and len(attendees) < 2:
        raise ValidationError(
            _("A group session has at least two supervisees; choose them, or record an individual one."))
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
        return stored
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
    return row


def _led_session(session: Session, *, actor: User, session_id: int, action: Action
                 ) -> tuple[SupervisionSession, list[int]]:
    """The actor's own session and the attendees the policy lets them `action` today; others' sessions are
    refused."""
    row = session.get(SupervisionSession, session_id)
    if row is None:
        raise NotFound(_("There is no such supervision session."))
    attendees = _attendee_ids(session, row.id)
    if session_notes_access(reader_id=actor.id, author_id=row.supervisor_id,
                            attendee_ids=frozenset(attendees)) is not NotesAccess.AUTHOR:
        raise PermissionDenied(_(
            "Not allowed: supervision notes are read only by the supervisor who wrote them and the people who attended."
        ))
    supervised = [peer_id for peer_id in attendees
                  if allowed(session, actor=actor, action=action, subject_id=peer_id)]
    if not supervised:
        raise PermissionDenied(
            _("Not allowed: your supervision assignment with the people in this session has ended."))
    return row, supervised


def edit_session(
    session: Session, *, actor: User, session_id: int, content: SessionContent, now: datetime | None = None
) -> SessionRecord:
    """Change a session within seven days of recording it; after that it can only be amended."""
    now = now or clock.now()
    row, supervised = _led_session(session, actor=actor, session_id=session_id, action=Action.RECORD_SUPERVISION)
    if now > row.created_at + EDIT_WINDOW:
        raise ValidationError(_(
            "A session can be edited for {days} days after it is recorded; this one was recorded on {day}. Amend it "
            "instead and say why.", days=EDIT_WINDOW.days, day=show_date(row.created_at.date())
        ))
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
        raise ValidationError(_("This session can still be edited until {day}; edit it directly.",
                                day=show_date((row.created_at + EDIT_WINDOW).date())))
    input_limits.require_texts({"reason": (reason, input_limits.AMENDMENT_REASON)})
    if not reason.strip():
        raise ValidationError(_("Say why the session record is amended."),
                              problems={"reason": _("Say why the session record is amended.")})
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
