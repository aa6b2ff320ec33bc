"""Encryption at rest for free text and item-level answers.

Values are encrypted with Fernet through a MultiFernet: the first key encrypts,
every key may decrypt, so keys can rotate. The key ring is process-wide because
a column type sees only the dialect, never the session.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

FINGERPRINT_LABEL = b"peer-wellness-console key fingerprint v1"


class KeyRingError(RuntimeError):
    """The configured keys cannot encrypt or decrypt."""


@dataclass(frozen=True)
class _KeyRing:
    fernet: MultiFernet
    keys: tuple[bytes, ...]
    writable: bool


_key_ring: _KeyRing | None = None


def parse_keys(text: str) -> list[bytes]:
    """Keys separated by commas or new lines, the one that encrypts first."""
    keys = [part.strip() for part in text.replace(",", "\n").splitlines() if part.strip()]
    if not keys:
        raise KeyRingError("no encryption key was given")
    for position, key in enumerate(keys, start=1):
        if re.search(r"\s", key):
            raise KeyRingError(f"key {position} contains spaces; separate keys with commas or new lines")
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, TypeError, UnicodeEncodeError) as error:
            raise KeyRingError(f"key {position} is not a valid Fernet key (44 url-safe base64 characters)") from error
    return [key.encode("ascii") for key in keys]


def fingerprint(key: bytes) -> str:
    """A keyed hash of the key under a fixed label: names a key without revealing it."""
    return hmac.new(key, FINGERPRINT_LABEL, hashlib.sha256).hexdigest()


def configure_keys(keys: list[bytes], *, writable: bool = True) -> None:
    """Use `keys` from now on; the first encrypts, every one may decrypt. A ring that is not `writable`
    only decrypts until it has been checked against the database's key registry."""
    global _key_ring
    _key_ring = _KeyRing(fernet=MultiFernet([Fernet(key) for key in keys]), keys=tuple(keys), writable=writable)


def configured_keys() -> tuple[bytes, ...]:
    """The keys in use, the one that encrypts first."""
    return _current().keys


def keys_writable() -> bool:
    return _current().writable


def _current() -> _KeyRing:
    if _key_ring is None:
        raise KeyRingError("encryption keys are not configured")
    return _key_ring


def opens_with(token: str, key: bytes) -> bool:
    """True when `key` alone decrypts `token`."""
    try:
        Fernet(key).decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def key_ring() -> MultiFernet:
    return _current().fernet


def new_key() -> bytes:
    return Fernet.generate_key()


def encrypt_text(value: str) -> str:
    ring = _current()
    if not ring.writable:
        raise KeyRingError("the encryption keys changed and have not been checked against the database yet")
    return ring.fernet.encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return key_ring().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise KeyRingError("stored data cannot be opened with the configured encryption key") from error


def reencrypt_token(token: str) -> str:
    """The same plaintext, encrypted under the newest key."""
    try:
        return key_ring().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise KeyRingError("stored data cannot be opened with the configured encryption key") from error
