"""Half-written forms kept server-side, so that a reload, a pull-to-refresh or a new tab loses nothing.

A draft belongs to the person writing it and is read by nobody else: every service takes the acting user as the
owner, so there is no way to ask for another person's draft. One draft per owner, form kind and period (the week
of a check-in, the supervisee of a session note); its answers are encrypted (`FormDraft.payload`). Saving a form
deletes its draft; a draft not saved again within `DRAFT_DAYS` days expires and is deleted on the next save
of any draft.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, delete, select

from console.core import clock
from console.core.errors import ValidationError
from console.core.i18n import _
from console.policy.access import Action, authorize
from db.models import FormDraft, User

DRAFT_DAYS = 14
DRAFT_KINDS = ("weekly_checkin", "supervision_session")
MAX_PERIOD_LENGTH = 40
MAX_PAYLOAD_CHARACTERS = 200_000
"""Far above any form of the console (the longest, a session note, holds five fields of at most 10,000 characters)."""


def _check(kind: str, period: str) -> None:
    if kind not in DRAFT_KINDS:
        raise ValidationError(_("Unknown kind of draft {kind}.", kind=repr(kind)))
    if not period or len(period) > MAX_PERIOD_LENGTH:
        raise ValidationError(_("A draft needs the period it belongs to (at most 40 characters)."))


def _draft(session: Session, *, owner: User, kind: str, period: str) -> FormDraft | None:
    return session.exec(
        select(FormDraft).where(FormDraft.owner_id == owner.id, FormDraft.kind == kind, FormDraft.period == period)
    ).first()


def save_draft(session: Session, *, actor: User, kind: str, period: str, payload: dict[str, Any]) -> None:
    """Keep the answers given so far; a later save of the same form replaces them."""
    authorize(session, actor=actor, action=Action.KEEP_OWN_DRAFTS, subject_id=actor.id)
    _check(kind, period)
    if len(json.dumps(payload)) > MAX_PAYLOAD_CHARACTERS:
        raise ValidationError(_("This draft is too long to keep; the form itself says what to shorten."))
    now = clock.now()
    session.exec(delete(FormDraft).where(col(FormDraft.expires_at) < now))
    draft = _draft(session, owner=actor, kind=kind, period=period) or FormDraft(
        owner_id=actor.id, kind=kind, period=period, updated_at=now, expires_at=now
    )
    draft.payload = payload
    draft.updated_at = now
    draft.expires_at = now + timedelta(days=DRAFT_DAYS)
    session.add(draft)
    session.commit()


def load_draft(session: Session, *, actor: User, kind: str, period: str) -> dict[str, Any] | None:
    """The actor's own draft of this form, or None when there is none or it expired."""
    authorize(session, actor=actor, action=Action.KEEP_OWN_DRAFTS, subject_id=actor.id)
    _check(kind, period)
    draft = _draft(session, owner=actor, kind=kind, period=period)
    if draft is None or draft.expires_at <= clock.now():
        return None
    return dict(draft.payload or {})


def forget_drafts(session: Session, *, owner_id: int, kind: str) -> None:
    """Delete every draft of one form kind of this owner, inside the transaction of the service that just saved
    the form (it commits)."""
    session.exec(delete(FormDraft).where(col(FormDraft.owner_id) == owner_id, col(FormDraft.kind) == kind))


def discard_draft(session: Session, *, actor: User, kind: str, period: str) -> None:
    """Delete the actor's draft of this form (after it was submitted, or when they start again)."""
    authorize(session, actor=actor, action=Action.KEEP_OWN_DRAFTS, subject_id=actor.id)
    _check(kind, period)
    draft = _draft(session, owner=actor, kind=kind, period=period)
    if draft is not None:
        session.delete(draft)
        session.commit()
