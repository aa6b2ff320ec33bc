"""The audit trail: who did what to whose data, and when. Details never hold secrets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from db.models import AuditEvent, User


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


def entries(session: Session, *, subject_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
    """Newest first, with names resolved; callers check access before asking."""
    query = select(AuditEvent).order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc()).limit(limit)
    if subject_id is not None:
        query = query.where(AuditEvent.subject_id == subject_id)
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
            detail=event.detail,
        )
        for event in events
    ]
