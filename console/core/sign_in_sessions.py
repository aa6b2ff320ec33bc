"""Sign-ins that survive a reload and new tabs: a random token per browser, kept in a cookie.

The token carries 256 random bits (`secrets.token_urlsafe(32)`), so only its SHA-256 hash is stored: someone
who reads the database cannot sign in with what they read. A token works until it is revoked (signing out
ends it in every tab that uses it; deactivating an account ends all of the person's), until it has not been
used for the idle timeout, or until its absolute end, whatever the activity.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from console.core import clock
from db.models import SignInSession, User

ABSOLUTE_LIFETIME = timedelta(hours=12)
LAST_USE_PRECISION = timedelta(seconds=30)
"""A token's last use is written at most this often, so every click does not write to the database."""


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(session: Session, *, user: User, now: datetime | None = None) -> str:
    """A new token for the user's browser; the caller hands it to the browser and it is never stored."""
    now = now or clock.now()
    token = secrets.token_urlsafe(32)
    session.add(SignInSession(user_id=user.id, token_hash=_token_hash(token), created_at=now, last_used_at=now,
                              expires_at=now + ABSOLUTE_LIFETIME))
    session.commit()
    return token


def resolve(session: Session, *, token: str, idle: timedelta, now: datetime | None = None) -> User | None:
    """The active account a token signs in, recording its use; None when the token is unknown, revoked,
    idle longer than `idle`, past its absolute end, or its account is deactivated."""
    now = now or clock.now()
    if not token or len(token) > 200:
        return None
    found = session.exec(
        select(SignInSession, User).join(User, col(User.id) == SignInSession.user_id)
        .where(SignInSession.token_hash == _token_hash(token))
    ).first()
    if found is None:
        return None
    sign_in, user = found
    if sign_in.revoked or not user.active or now >= sign_in.expires_at or now - sign_in.last_used_at > idle:
        return None
    if now - sign_in.last_used_at >= LAST_USE_PRECISION:
        sign_in.last_used_at = now
        session.add(sign_in)
        session.commit()
        session.refresh(user)
    return user


def end(session: Session, *, token: str) -> None:
    """Revoke one token (signing out): every tab that uses it is signed out at its next click."""
    session.exec(update(SignInSession).where(col(SignInSession.token_hash) == _token_hash(token)).values(revoked=True))
    session.commit()


def end_all(session: Session, *, user_id: int) -> int:
    """Revoke every token of a person in the caller's transaction (the caller commits); returns how many."""
    result = session.exec(update(SignInSession)
                          .where(col(SignInSession.user_id) == user_id, col(SignInSession.revoked).is_(False))
                          .values(revoked=True))
    return result.rowcount
