"""What a person is told about their own account: new people who can see their data, password resets and
the sign-in that followed one, and the full audit trail of their data.

These are the checks on an admin's power: an admin can assign a supervisor or reset a password, but the
person concerned sees it on their privacy page and, for `RECENT_NOTICE_DAYS`, on their home page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select

from console.core import audit
from console.core.i18n import _
from console.core.invitations import PASSWORD_RESET
from console.notify.notifications import function_words
from console.policy.access import Action, authorize
from db.models import AuditEvent, SupervisionAssignment, User

RECENT_NOTICE_DAYS = 30
TRAIL_EVENTS_SHOWN = 500
CAN_SEE = "can_see"
SIGN_IN = "sign_in"
NOTICE_ACTIONS = ("assignment_created", "invitation_issued", "password_set_after_reset", "signed_in_after_reset")


@dataclass(frozen=True)
class Notice:
    """One change to who can see the person's data or who can get into their account."""

    at: datetime
    kind: str
    text: str
    """In the language of the page run."""


def _name(session: Session, user_id: int | None, *, unknown: str) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return user.display_name if user is not None else unknown


def _notice(session: Session, event: AuditEvent) -> Notice | None:
    by = _name(session, event.actor_id, unknown=_("an administrator"))
    if event.action == "assignment_created":
        assignment = session.get(SupervisionAssignment, int(event.resource_id)) if event.resource_id else None
        supervisor = _name(session, assignment.supervisor_id if assignment else None, unknown=_("a supervisor"))
        return Notice(event.at, CAN_SEE, _("{by} made {supervisor} your supervisor ({functions} supervision). What "
                                           "they see follows your sharing choice.",
                                           by=by, supervisor=supervisor, functions=function_words(event.detail)))
    if event.action == "invitation_issued" and event.detail == PASSWORD_RESET:
        return Notice(event.at, SIGN_IN, _("{by} issued a one-time link to reset your password.", by=by))
    if event.action == "password_set_after_reset":
        return Notice(event.at, SIGN_IN, _("A new password for your account was chosen with a reset link."))
    if event.action == "signed_in_after_reset":
        return Notice(event.at, SIGN_IN, _("Someone signed in to your account with the new password. If that was "
                                           "not you, change your password now and tell your program lead."))
    return None


def my_notices(session: Session, *, actor: User, on: date, recent_only: bool = False) -> tuple[Notice, ...]:
    """Newest first; `recent_only` keeps the last RECENT_NOTICE_DAYS days, for the home page."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    query = (
        select(AuditEvent)
        .where(AuditEvent.subject_id == actor.id, col(AuditEvent.action).in_(NOTICE_ACTIONS))
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    )
    if recent_only:
        since = datetime.combine(on - timedelta(days=RECENT_NOTICE_DAYS), time(), tzinfo=UTC)
        query = query.where(AuditEvent.at >= since)
    notices = (_notice(session, event) for event in session.exec(query))
    return tuple(notice for notice in notices if notice is not None)


def my_data_trail(session: Session, *, actor: User) -> list[audit.AuditEntry]:
    """Every audit event about the person, with its detail: the full trail admins see only in part."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    return audit.entries(session, subject_id=actor.id, limit=TRAIL_EVENTS_SHOWN)
