"""One-time invitations: the way a person chooses their own password, for a new account or after a reset.

An admin never types or sees a password a person will use. Creating an account or resetting a password
issues a random code, valid once and for `INVITATION_LIFETIME`; only its SHA-256 hash is stored (the code
carries 192 random bits, so a fast hash is enough). The code is shown once, to be passed on, or sent by
email; the person opens the console's "set-password" page with it and chooses a password there.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import update
from sqlmodel import Session, col, select

from console.core import audit, clock
from console.core.errors import ValidationError
from console.core.i18n import _
from console.core.passwords import hash_password, password_problem
from console.notify import notifications
from console.notify.kinds import INVITATION
from db.models import Invitation, User

INVITATION_LIFETIME = timedelta(days=7)
NEW_ACCOUNT = "new_account"
PASSWORD_RESET = "password_reset"
PURPOSES = (NEW_ACCOUNT, PASSWORD_RESET)
SET_PASSWORD_PATH = "set-password"
CODE_PARAMETER = "code"


def not_valid_message() -> str:
    """The one message of a code that does not work, whatever the reason."""
    return _("This code does not work any more: it was used already, it expired after {days} days, or a newer one "
             "replaced it. Ask your administrator for a new one.", days=INVITATION_LIFETIME.days)


def not_valid() -> ValidationError:
    message = not_valid_message()
    return ValidationError(message, problems={"code": message})


@dataclass(frozen=True)
class IssuedInvitation:
    """An invitation as issued: the only time its code exists outside the person's hands."""

    user_id: int
    username: str
    purpose: str
    code: str
    expires_at: datetime
    emailed_to: str | None = None
    """The address the link was emailed to, when it was (it is still valid to pass on by hand)."""

    def url(self, base_url: str) -> str:
        """The one-time link on the console at `base_url` (e.g. https://wellness.example.org): its start page,
        which takes the code out of the address and opens the set-password page."""
        return f"{base_url.rstrip('/')}/?{urlencode({CODE_PARAMETER: self.code})}"


@dataclass(frozen=True)
class PendingInvitation:
    """What the holder of a valid code may learn: whose account it opens and until when."""

    username: str
    display_name: str
    purpose: str
    expires_at: datetime


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def issue(session: Session, *, actor: User | None, user: User, purpose: str, now: datetime) -> IssuedInvitation:
    """Add an invitation to the open transaction and void the person's earlier unused ones; the caller commits."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown invitation purpose {purpose!r}")
    session.exec(
        update(Invitation)
        .where(col(Invitation.user_id) == user.id, col(Invitation.used_at).is_(None), col(Invitation.expires_at) > now)
        .values(expires_at=now)
    )
    code = secrets.token_urlsafe(24)
    invitation = Invitation(user_id=user.id, purpose=purpose, code_hash=_code_hash(code),
                            created_by=actor.id if actor else None, created_at=now,
                            expires_at=now + INVITATION_LIFETIME)
    session.add(invitation)
    audit.record(session, actor=actor, action="invitation_issued", subject_id=user.id, resource_type="account",
                 resource_id=user.id, detail=purpose)
    return IssuedInvitation(user_id=user.id, username=user.username, purpose=purpose, code=code,
                            expires_at=invitation.expires_at)


def issue_for_new_accounts(session: Session, *, actor: User | None, users: list[User],
                           now: datetime) -> list[IssuedInvitation]:
    """`issue` for accounts created in the caller's transaction, which have no earlier invitation to void."""
    issued = []
    for user in users:
        code = secrets.token_urlsafe(24)
        invitation = Invitation(user_id=user.id, purpose=NEW_ACCOUNT, code_hash=_code_hash(code),
                                created_by=actor.id if actor else None, created_at=now,
                                expires_at=now + INVITATION_LIFETIME)
        session.add(invitation)
        audit.record(session, actor=actor, action="invitation_issued", subject_id=user.id, resource_type="account",
                     resource_id=user.id, detail=NEW_ACCOUNT)
        issued.append(IssuedInvitation(user_id=user.id, username=user.username, purpose=NEW_ACCOUNT, code=code,
                                       expires_at=invitation.expires_at))
    return issued


def send_by_email(session: Session, *, user: User, invitation: IssuedInvitation) -> IssuedInvitation:
    """Put the invitation's link in the outbox for the person, in the caller's transaction, and withdraw any
    earlier invitation email not yet sent (its link no longer works). Without an address nothing is sent."""
    if not user.email:
        return invitation
    notifications.cancel_pending(session, kind=INVITATION, key_prefix=f"{user.id}:")
    link = invitation.url("")
    notifications.enqueue(session, recipient=user, kind=INVITATION, key=f"{user.id}:{_code_hash(invitation.code)}",
                          params={"path": link, "expires_at": invitation.expires_at.isoformat()},
                          expires_at=invitation.expires_at)
    return replace(invitation, emailed_to=user.email)


def _valid_invitation(session: Session, *, code: str, now: datetime) -> tuple[Invitation, User]:
    found = session.exec(
        select(Invitation, User).join(User, col(User.id) == Invitation.user_id)
        .where(Invitation.code_hash == _code_hash(code))
    ).first() if code.strip() else None
    if found is None:
        raise not_valid()
    invitation, user = found
    if invitation.used_at is not None or invitation.expires_at <= now or not user.active:
        raise not_valid()
    return invitation, user


def pending_invitation(session: Session, *, code: str, now: datetime | None = None) -> PendingInvitation:
    """The account a code opens, or ValidationError when the code is unknown, used, replaced or expired."""
    invitation, user = _valid_invitation(session, code=code, now=now or clock.now())
    return PendingInvitation(username=user.username, display_name=user.display_name, purpose=invitation.purpose,
                             expires_at=invitation.expires_at)


def accept(session: Session, *, code: str, new_password: str, now: datetime | None = None) -> User:
    """Set the person's own password from a valid code and use the code up, in one transaction.

    The code is claimed by one conditional UPDATE, so two tabs submitting the same code cannot both succeed.
    A bad password leaves the code valid.
    """
    now = now or clock.now()
    invitation, user = _valid_invitation(session, code=code, now=now)
    problem = password_problem(new_password, username=user.username)
    if problem:
        raise ValidationError(problem, problems={"new_password": problem})
    claimed = session.exec(
        update(Invitation)
        .where(col(Invitation.id) == invitation.id, col(Invitation.used_at).is_(None),
               col(Invitation.expires_at) > now)
        .values(used_at=now)
        .returning(col(Invitation.id))
    ).first()
    if claimed is None:
        session.rollback()
        raise not_valid()
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.failed_attempts = 0
    user.locked_until = None
    session.add(user)
    action = "password_set_after_reset" if invitation.purpose == PASSWORD_RESET else "password_set_from_invitation"
    audit.record(session, actor=user, action=action, subject_id=user.id, resource_type="account", resource_id=user.id)
    session.commit()
    return user
