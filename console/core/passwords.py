"""Password hashing with Argon2id (argon2-cffi) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from console.core import input_limits
from console.core.i18n import _

MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("a password nobody has, used to keep timing even")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


NO_PASSWORD_YET = "!"
"""Stored in place of a hash until the person chooses a password from their invitation: it matches nothing."""


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-time check; an unknown user or an account without a password still costs one full verification."""
    usable = bool(password_hash) and password_hash != NO_PASSWORD_YET
    try:
        return _hasher.verify(password_hash if usable and password_hash else _DUMMY_HASH, password) and usable
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, *, username: str) -> str | None:
    """What is wrong with a new password, or None when it is acceptable."""
    unusable = input_limits.text_problem(password, input_limits.PASSWORD)
    if unusable is not None:
        return unusable
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Use at least {count} characters (a short phrase works well).", count=MIN_PASSWORD_LENGTH)
    if password.strip().lower() == username.strip().lower():
        return _("Choose a password that is not your username.")
    if len(set(password)) < 4:
        return _("Choose a password with more variety than a few repeated characters.")
    return None
