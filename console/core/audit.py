"""The audit trail: who did what to whose data, and when. Details never hold secrets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from db.models import AuditEvent, User

WELLNESS_FACT_ACTIONS = frozenset({
    "pulse_submitted", "pulse_replaced", "assessment_submitted",
    "reach_out_requested", "reach_out_acknowledged", "reach_out_withdrawn",
    "sharing_changed", "wellness_plan_saved", "wellness_plan_shared", "wellness_plan_unshared", "action_item_done",
})
"""Events whose existence, time or detail tells something about a person's wellness: when they checked in,
that they asked to be reached out to, what they share. The person concerned sees them; the admin's view never."""

ADMIN_VISIBLE_ACTIONS = frozenset({
    "account_created", "account_activated", "account_deactivated", "account_locked", "sign_in_failed",
    "sign_in_refused_locked", "sign_in_refused_inactive", "signed_in", "signed_in_after_reset", "signed_in_oidc",
    "password_changed", "invitation_issued", "password_set_from_invitation", "password_set_after_reset",
    "team_created", "team_membership_added", "assignment_created", "assignment_ended", "settings_changed",
    "demo_loaded", "viewed_wellness", "viewed_completion", "viewed_action_items", "viewed_session_notes",
    "session_recorded", "session_edited", "session_amended", "encryption_key_prepared", "encryption_key_rotated",
    "notification_preferences_changed", "notifications_unsubscribed", "notifications_resubscribed",
})
"""Actions and actors an admin may see: accounts, access and who read whose data. Every action the console
records is in exactly one of the two sets (a test checks), so a new kind of event stays out of the admin's view
until someone decides it belongs there."""

ADMIN_VISIBLE_DETAIL = frozenset({"account_created", "assignment_created", "invitation_issued", "settings_changed",
                                  "demo_loaded", "encryption_key_prepared", "encryption_key_rotated"})
"""Admin-visible actions whose detail the admin may read too (roles, functions, setting names); other details,
such as the sharing level behind a read, are left out of the admin's view."""


def record(
    session: Session,
    *,
    actor: User | None,
    action: str,
    resource_type: str,
    subject_id: int | None = None,
    resource_id: int | str | None = None,
    detail: str = "",
) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        subject_id=subject_id,
        resource_type=resource_type,
        resource_id=None if resource_id is None else str(resource_id),
        detail=detail[:1000],
    )
    session.add(event)
    return event


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    subject: str
    resource_type: str
    resource_id: str | None
    detail: str


def entries(session: Session, *, subject_id: int | None = None, limit: int = 200,
            for_admin: bool = False) -> list[AuditEntry]:
    """Newest first, with names resolved; callers check access before asking.

    `for_admin` keeps only ADMIN_VISIBLE_ACTIONS and blanks every detail outside ADMIN_VISIBLE_DETAIL.
    """
    query = select(AuditEvent).order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc()).limit(limit)
    if subject_id is not None:
        query = query.where(AuditEvent.subject_id == subject_id)
    if for_admin:
        query = query.where(col(AuditEvent.action).in_(sorted(ADMIN_VISIBLE_ACTIONS)))
    events = session.exec(query).all()
    person_ids = {event.actor_id for event in events} | {event.subject_id for event in events}
    names = {
        user.id: user.display_name
        for user in session.exec(select(User).where(col(User.id).in_([i for i in person_ids if i is not None])))
    }
    return [
        AuditEntry(
            at=event.at,
            actor=names.get(event.actor_id, "—") if event.actor_id else "—",
            action=event.action,
            subject=names.get(event.subject_id, "—") if event.subject_id else "—",
            resource_type=event.resource_type,
            resource_id=event.resource_id,
            detail=event.detail if not for_admin or event.action in ADMIN_VISIBLE_DETAIL else "",
        )
        for event in events
    ]
