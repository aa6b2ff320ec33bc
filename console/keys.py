"""Encryption keys: the key file, the start-up check, and rotation."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select, update
from sqlalchemy.sql import column, table

from console.errors import ConfigurationError
from db.crypto import KeyRingError, configure_keys, decrypt_text, new_key, parse_keys, reencrypt_token
from db.models import ENCRYPTED_COLUMNS
from console.settings import Settings


def create_key_file(path: Path) -> bool:
    """Create the key file with mode 0600 when it does not exist; True when created."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w") as handle:
        handle.write(new_key().decode() + "\n")
    return True


def read_keys(settings: Settings) -> list[bytes]:
    try:
        if settings.secret_key:
            return parse_keys(settings.secret_key)
        if not settings.key_file.is_file():
            raise ConfigurationError(
                f"The key file {settings.key_file} does not exist. Run `wellness-console init` to create it, "
                "or point CONSOLE_KEY_FILE (or CONSOLE_SECRET_KEY) at the keys this database was written with."
            )
        return parse_keys(settings.key_file.read_text())
    except KeyRingError as error:
        raise ConfigurationError(f"{settings.keys_source}: {error}") from error


def activate_keys(settings: Settings) -> None:
    configure_keys(read_keys(settings))


def _raw_tables() -> list[tuple[object, list, list[str]]]:
    """Untyped views of the encrypted tables, so that tokens are read and written as stored."""
    views = []
    for model, names in ENCRYPTED_COLUMNS.items():
        key_names = [key_column.name for key_column in model.__table__.primary_key.columns]
        raw = table(model.__tablename__, *(column(name) for name in [*key_names, *names]))
        views.append((raw, [raw.c[name] for name in key_names], list(names)))
    return views


def verify_keys_open_data(engine: Engine, settings: Settings) -> None:
    """Stop when stored encrypted values exist that the configured keys cannot open."""
    with engine.connect() as connection:
        for raw, _keys, names in _raw_tables():
            for name in names:
                stored = connection.execute(select(raw.c[name]).where(raw.c[name].is_not(None)).limit(1)).scalar()
                if stored is None:
                    continue
                try:
                    decrypt_text(stored)
                except KeyRingError as error:
                    raise ConfigurationError(
                        f"The encryption key configured in {settings.keys_source} cannot open the data already in "
                        "the database. Set CONSOLE_SECRET_KEY or CONSOLE_KEY_FILE to the keys the data was written "
                        "with; the console will not start, so nothing is written under a different key."
                    ) from error


@dataclass(frozen=True)
class RotationResult:
    values_reencrypted: int
    keys_kept: int


def rotate_keys(engine: Engine, settings: Settings, *, retire_old: bool) -> RotationResult:
    """Put a new key first and re-encrypt every encrypted value under it, in one transaction.

    With a key file, the new key is written before any row changes, so a failure midway leaves
    every row readable. With CONSOLE_SECRET_KEY the operator puts the new key first themselves
    and this re-encrypts under it.
    """
    old_keys = read_keys(settings)
    if settings.secret_key:
        if retire_old:
            raise ConfigurationError(
                "With CONSOLE_SECRET_KEY, retire old keys by removing them from the variable after rotation."
            )
        keys = old_keys
    else:
        keys = [new_key(), *old_keys]
        _write_key_file(settings.key_file, keys)
    configure_keys(keys)

    count = 0
    with engine.begin() as connection:
        for raw, key_columns, names in _raw_tables():
            for name in names:
                target = raw.c[name]
                rows = connection.execute(select(*key_columns, target).where(target.is_not(None))).all()
                for *key_values, token in rows:
                    condition = [key_column == value for key_column, value in zip(key_columns, key_values)]
                    connection.execute(update(raw).where(*condition).values({name: reencrypt_token(token)}))
                    count += 1
    if retire_old and not settings.secret_key:
        _write_key_file(settings.key_file, keys[:1])
        configure_keys(keys[:1])
        kept = 1
    else:
        kept = len(keys)
    return RotationResult(values_reencrypted=count, keys_kept=kept)


def _write_key_file(path: Path, keys: list[bytes]) -> None:
    temporary = path.with_name(path.name + ".new")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write("".join(key.decode() + "\n" for key in keys))
    os.replace(temporary, path)
