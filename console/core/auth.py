"""Signing in, lockout and password changes for local accounts.

The failure count and the lock live in the database and change only through single
conditional UPDATE statements, so parallel attempts (many browser tabs, many replicas)
each count, and a lock set by one is seen by all.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, literal, null, or_, update
from sqlmodel import Session, col, func, select

from console.core import audit, clock, input_limits
from console.core.errors import ValidationError
from console.core.i18n import _
from console.core.passwords import hash_password, password_problem, verify_password
from console.notify import notifications
from console.notify.kinds import PASSWORD_CHANGED, SIGN_IN_AFTER_RESET
from db.models import AuditEvent, User, table_of

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
FAILURE_ACTIONS = {"counted": "sign_in_failed", "locked": "account_locked", "already_locked": "sign_in_refused_locked"}


def sign_in_failed() -> str:
    """The one message of every failed sign-in, in the reader's language."""
    return _("Wrong username or password. After {attempts} failed attempts an account is locked for {minutes} "
             "minutes.", attempts=MAX_FAILED_ATTEMPTS, minutes=LOCKOUT.seconds // 60)


class SignInFailed(Exception):
    """Always carries the same message, whatever went wrong: it reveals nothing about the account."""

    def __init__(self) -> None:
        super().__init__(sign_in_failed())


class AccountLocked(SignInFailed):
    """The right password for a locked account: only someone who knows the password learns of the lock."""

    def __init__(self, locked_until: datetime) -> None:
        Exception.__init__(self, _("This account is locked after repeated failed sign-ins until {time} UTC. Try "
                                   "again then.", time=locked_until.strftime("%H:%M")))
        self.locked_until = locked_until


def find_user(session: Session, *, username: str) -> User | None:
    return session.exec(select(User).where(func.lower(User.username) == username.strip().lower())).first()


def _not_locked(now: datetime):
    return or_(col(User.locked_until).is_(None), col(User.locked_until) <= now)


def _count_failure(session: Session, *, user_id: int, now: datetime) -> str:
    """Add one failure in one statement: "counted", "locked" when this failure locked the account, or
    "already_locked" (failures during a lock are not counted, so the lock runs from the fifth failure)."""
    reaches_limit = col(User.failed_attempts) + 1 >= MAX_FAILED_ATTEMPTS
    lock_end = literal(now + LOCKOUT, table_of(User).c.locked_until.type)
    row = session.exec(
        update(User)
        .where(col(User.id) == user_id, _not_locked(now))
        .values(failed_attempts=case((reaches_limit, 0), else_=col(User.failed_attempts) + 1),
                locked_until=case((reaches_limit, lock_end), else_=null()))
        .returning(col(User.locked_until))
    ).first()
    if row is None:
        return "already_locked"
    return "locked" if row[0] is not None else "counted"


def _admit(session: Session, *, user_id: int, now: datetime) -> bool:
    """Clear the failures and record the sign-in, only if the account is active and not locked at this moment."""
    admitted = session.exec(
        update(User)
        .where(col(User.id) == user_id, col(User.active).is_(True), _not_locked(now))
        .values(failed_attempts=0, locked_until=None, last_login_at=now)
        .returning(col(User.id))
    ).first()
    return admitted is not None


def sign_in(session: Session, *, username: str, password: str, now: datetime | None = None) -> User:
    """The user whose password matches; SignInFailed with one generic message otherwise, or AccountLocked
    when the password is right but the account is locked."""
    now = now or clock.now()
    if (input_limits.text_problem(username, input_limits.USERNAME) is not None
            or input_limits.text_problem(password, input_limits.PASSWORD) is not None):
        raise SignInFailed()
    user = find_user(session, username=username)
    password_ok = verify_password(user.password_hash if user else None, password)
    if user is None:
        raise SignInFailed()
    if not password_ok:
        outcome = _count_failure(session, user_id=user.id, now=now)
        audit.record(session, actor=None, action=FAILURE_ACTIONS[outcome], subject_id=user.id, resource_type="account")
        session.commit()
        raise SignInFailed()
    if not _admit(session, user_id=user.id, now=now):
        session.refresh(user)
        inactive = not user.active
        audit.record(session, actor=None, action="sign_in_refused_inactive" if inactive else "sign_in_refused_locked",
                     subject_id=user.id, resource_type="account")
        session.commit()
        if inactive or user.locked_until is None:
            raise SignInFailed()
        raise AccountLocked(user.locked_until)
    action = "signed_in_after_reset" if _first_sign_in_since_reset(session, user_id=user.id) else "signed_in"
    audit.record(session, actor=user, action=action, subject_id=user.id, resource_type="account")
    if action == "signed_in_after_reset":
        notifications.enqueue(session, recipient=user, kind=SIGN_IN_AFTER_RESET)
    session.commit()
    session.refresh(user)
    return user


SIGN_IN_ACTIONS = ("signed_in", "signed_in_after_reset", "signed_in_oidc")


def _first_sign_in_since_reset(session: Session, *, user_id: int) -> bool:
    """True when a password was chosen after an admin's reset and nobody has signed in since: the person
    concerned is then shown this sign-in (an admin who passed the reset link on could have used it)."""
    latest = session.exec(
        select(AuditEvent.action)
        .where(AuditEvent.subject_id == user_id,
               col(AuditEvent.action).in_([*SIGN_IN_ACTIONS, "password_set_after_reset"]))
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    return latest == "password_set_after_reset"


def sign_in_external(session: Session, *, email: str) -> User:
    """Map an identity from the configured OpenID Connect provider to an existing, active account."""
    if input_limits.text_problem(email, input_limits.EMAIL) is not None:
        raise SignInFailed()
    user = session.exec(select(User).where(func.lower(User.email) == email.strip().lower())).first()
    if user is None or not user.active:
        raise SignInFailed()
    user.last_login_at = clock.now()
    session.add(user)
    audit.record(session, actor=user, action="signed_in_oidc", subject_id=user.id, resource_type="account")
    session.commit()
    return user


def change_password(session: Session, *, actor: User, current_password: str, new_password: str) -> User:
    user = session.get(User, actor.id)
    if user is None or not verify_password(user.password_hash, current_password):
        raise ValidationError(
            _("Your current password is not right."),
            problems={"current_password": _("Enter the password you signed in with.")},
        )
    problem = password_problem(new_password, username=user.username)
    if problem is None and new_password == current_password:
        problem = _("Choose a password different from the current one.")
    if problem:
        raise ValidationError(problem, problems={"new_password": problem})
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    session.add(user)
    audit.record(session, actor=user, action="password_changed", subject_id=user.id, resource_type="account")
    notifications.enqueue(session, recipient=user, kind=PASSWORD_CHANGED)
    session.commit()
    return user


def current_user(session: Session, *, user_id: int) -> User | None:
    """The signed-in user as stored now; None when the account was removed or deactivated."""
    user = session.get(User, user_id)
    return user if user is not None and user.active else None
