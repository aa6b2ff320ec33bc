"""Encryption at rest for free text and item-level answers.

Values are encrypted with Fernet through a MultiFernet: the first key encrypts,
every key may decrypt, so keys can rotate. The key ring is process-wide because
a column type sees only the dialect, never the session.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class KeyRingError(RuntimeError):
    """The configured keys cannot encrypt or decrypt."""


_key_ring: MultiFernet | None = None


def parse_keys(text: str) -> list[bytes]:
    """Keys separated by commas or new lines, the one that encrypts first."""
    keys = [part.strip().encode() for part in text.replace(",", "\n").splitlines() if part.strip()]
    if not keys:
        raise KeyRingError("no encryption key was given")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError) as error:
            raise KeyRingError(f"key {position} is not a valid Fernet key (44 url-safe base64 characters)") from error
    return keys


def configure_keys(keys: list[bytes]) -> None:
    global _key_ring
    _key_ring = MultiFernet([Fernet(key) for key in keys])


def key_ring() -> MultiFernet:
    if _key_ring is None:
        raise KeyRingError("encryption keys are not configured")
    return _key_ring


def new_key() -> bytes:
    return Fernet.generate_key()


def encrypt_text(value: str) -> str:
    return key_ring().encrypt(value.encode("utf-8")).decode("ascii")


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
