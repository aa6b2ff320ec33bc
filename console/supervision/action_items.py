"""Action items from supervision: the owner's list, and the items a supervisor set in their own sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlmodel import Session, col, select

from console.core import audit, clock
from console.core.errors import NotFound, PermissionDenied, ValidationError
from console.core.i18n import _
from console.policy.access import Action, allowed, authorize
from db.models import ActionItem, SupervisionSession, User


@dataclass(frozen=True)
class MyActionItem:
    id: int
    text: str
    due_on: date | None
    set_on: date | None
    """The day of the supervision session the item came from."""

    def past_due(self, on: date) -> bool:
        return self.due_on is not None and self.due_on < on


def my_action_items(session: Session, *, actor: User) -> list[MyActionItem]:
    """The actor's open items, soonest due first (items without a due date last)."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    rows = session.exec(
        select(ActionItem, col(SupervisionSession.held_on))
        .outerjoin(SupervisionSession, col(SupervisionSession.id) == ActionItem.session_id)
        .where(ActionItem.owner_id == actor.id, ActionItem.status == "open")
        .order_by(col(ActionItem.due_on).is_(None), col(ActionItem.due_on), col(ActionItem.id))
    ).all()
    return [MyActionItem(item.id, item.text or "", item.due_on, held_on) for item, held_on in rows]


ITEM_FILTERS = ("open", "overdue", "done", "all")


@dataclass(frozen=True)
class SetActionItem:
    """An item set in one of the supervisor's own sessions, for them or for someone they supervise."""

    id: int
    session_id: int
    held_on: date
    owner_id: int
    owner_name: str
    text: str
    due_on: date | None
    status: str
    done_at: datetime | None
    overdue: bool


def items_from_my_sessions(
    session: Session, *, actor: User, on: date, status: str = "open", due_by: date | None = None
) -> list[SetActionItem]:
    """Items set in sessions the actor led, owned by them or by someone they still supervise.

    `status` is one of ITEM_FILTERS; `due_by` keeps items due on or before that day.
    Open items come first, soonest due first; each supervisee's items read is audited.
    """
    authorize(session, actor=actor, action=Action.LIST_SUPERVISEES)
    if status not in ITEM_FILTERS:
        raise ValidationError(_("Filter by one of {filters}.", filters=", ".join(ITEM_FILTERS)))
    query = (
        select(ActionItem, col(SupervisionSession.held_on))
        .join(SupervisionSession, col(SupervisionSession.id) == ActionItem.session_id)
        .where(SupervisionSession.supervisor_id == actor.id)
    )
    if status in ("open", "overdue"):
        query = query.where(ActionItem.status == "open")
    elif status == "done":
        query = query.where(ActionItem.status == "done")
    if status == "overdue":
        query = query.where(col(ActionItem.due_on) < on)
    if due_by is not None:
        query = query.where(col(ActionItem.due_on) <= due_by)
    rows = session.exec(query).all()
    owners = {item.owner_id for item, _ in rows}
    visible = {actor.id} | {
        owner_id for owner_id in owners - {actor.id}
        if allowed(session, actor=actor, action=Action.RECORD_SUPERVISION, subject_id=owner_id)
    }
    names = {user.id: user.display_name for user in session.exec(select(User).where(col(User.id).in_(visible)))}
    items = [
        SetActionItem(
            id=item.id, session_id=cast(int, item.session_id), held_on=held_on, owner_id=item.owner_id,
            owner_name=names[item.owner_id], text=item.text or "", due_on=item.due_on, status=item.status,
            done_at=item.done_at, overdue=item.status == "open" and item.due_on is not None and item.due_on < on,
        )
        for item, held_on in rows
        if item.owner_id in visible
    ]
    for owner_id in sorted(visible - {actor.id}):
        if any(item.owner_id == owner_id for item in items):
            audit.record(session, actor=actor, action="viewed_action_items", subject_id=owner_id,
                         resource_type="action_item")
    session.commit()
    return sorted(items, key=lambda item: (item.status != "open", item.due_on is None, item.due_on or on, item.id))


def mark_done(session: Session, *, actor: User, item_id: int, now: datetime | None = None) -> None:
    """Close an item: its owner may, and so may the supervisor who set it while they still supervise the owner."""
    now = now or clock.now()
    item = session.get(ActionItem, item_id)
    if item is None:
        raise NotFound(_("There is no such action item."))
    set_by = session.get_one(SupervisionSession, item.session_id).supervisor_id if item.session_id else None
    if item.owner_id == actor.id:
        authorize(session, actor=actor, action=Action.VIEW_COMPLETION, subject_id=actor.id)
    else:
        if set_by != actor.id:
            raise PermissionDenied(_(
                "Not allowed: an action item is marked done by its owner or by the supervisor who set it."
            ))
        authorize(session, actor=actor, action=Action.RECORD_SUPERVISION, subject_id=item.owner_id)
    if item.status == "done":
        return
    item.status = "done"
    item.done_at = now
    session.add(item)
    audit.record(session, actor=actor, action="action_item_done", subject_id=item.owner_id,
                 resource_type="action_item", resource_id=item.id)
    session.commit()
