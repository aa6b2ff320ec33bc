"""Signing in, lockout and password changes for local accounts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from console import audit, clock, input_limits
from console.errors import ValidationError
from console.passwords import hash_password, password_problem, verify_password
from db.models import User

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
SIGN_IN_FAILED = "Wrong username or password."
LOCKED_HINT = "After 5 failed attempts an account is locked for 15 minutes."


class SignInFailed(Exception):
    """Always carries the same message, whatever went wrong."""

    def __init__(self) -> None:
        super().__init__(SIGN_IN_FAILED)


def find_user(session: Session, *, username: str) -> User | None:
    return session.exec(select(User).where(func.lower(User.username) == username.strip().lower())).first()


def sign_in(session: Session, *, username: str, password: str, now: datetime | None = None) -> User:
    """The user whose password matches, or SignInFailed with one generic message."""
    now = now or clock.now()
    if (input_limits.text_problem(username, input_limits.USERNAME) is not None
            or input_limits.text_problem(password, input_limits.PASSWORD) is not None):
        raise SignInFailed()
    user = find_user(session, username=username)
    password_ok = verify_password(user.password_hash if user else None, password)
    if user is None:
        raise SignInFailed()
    if not user.active:
        audit.record(session, actor=None, action="sign_in_refused_inactive", subject_id=user.id, resource_type="account")
        session.commit()
        raise SignInFailed()
    if user.locked_until and user.locked_until > now:
        audit.record(session, actor=None, action="sign_in_refused_locked", subject_id=user.id, resource_type="account")
        session.commit()
        raise SignInFailed()
    if not password_ok:
        user.failed_attempts += 1
        if user.failed_attempts >= MAX_FAILED_ATTEMPTS:
            user.locked_until = now + LOCKOUT
            user.failed_attempts = 0
            audit.record(session, actor=None, action="account_locked", subject_id=user.id, resource_type="account")
        else:
            audit.record(session, actor=None, action="sign_in_failed", subject_id=user.id, resource_type="account")
        session.add(user)
        session.commit()
        raise SignInFailed()
    user.failed_attempts = 0
    user.locked_until = None
    user.last_login_at = now
    session.add(user)
    audit.record(session, actor=user, action="signed_in", subject_id=user.id, resource_type="account")
    session.commit()
    return user


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
            "Your current password is not right.", problems={"current_password": "Enter the password you signed in with."}
        )
    problem = password_problem(new_password, username=user.username)
    if problem is None and new_password == current_password:
        problem = "Choose a password different from the current one."
    if problem:
        raise ValidationError(problem, problems={"new_password": problem})
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    session.add(user)
    audit.record(session, actor=user, action="password_changed", subject_id=user.id, resource_type="account")
    session.commit()
    return user


def current_user(session: Session, *, user_id: int) -> User | None:
    """The signed-in user as stored now; None when the account was removed or deactivated."""
    user = session.get(User, user_id)
    return user if user is not None and user.active else None
