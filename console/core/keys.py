"""Encryption keys: the key file, the database's key registry, the check before every write, rotation
and the full check of stored values.

The database records the fingerprints of the keys it knows (`EncryptionKey`) and which one encrypts.
Every write transaction first locks the state row and reads the registry generation; a process whose
keys lack the database's encrypting key is refused before anything is written, so replicas with
different key files cannot split a database.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, event, insert, select, update
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.sql import column, table
from sqlalchemy.sql.expression import ColumnClause, TableClause
from sqlmodel import Session, col

from console.core import audit, clock
from console.core.errors import ConfigurationError
from console.core.i18n import _
from console.core.settings import Settings
from db.crypto import (
    KeyRingError,
    configure_keys,
    configured_keys,
    decrypt_text,
    fingerprint,
    keys_writable,
    new_key,
    opens_with,
    parse_keys,
    reencrypt_token,
)
from db.engine import create_private_folder, session_scope
from db.models import ENCRYPTED_COLUMNS, EncryptionKey, table_of
from db.state import MissingStateRow, begin_write, counts_as_change, lock_key_generation

ROTATION_BATCH_ROWS = 200
KEY_SETTINGS = "CONSOLE_KEY_FILE or CONSOLE_SECRET_KEY"


class KeysNotTheDatabases(ConfigurationError):
    """This process's keys are not the ones the database encrypts with; it must not write."""


def create_key_file(path: Path) -> bool:
    """Create the key file with mode 0600 (in a 0700 folder when the folder is new) when it does not exist;
    True when created."""
    create_private_folder(path.parent)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w") as handle:
        handle.write(new_key().decode() + "\n")
    return True


def read_keys(settings: Settings) -> list[bytes]:
    """The configured keys; bad key material stops with a message naming the setting."""
    try:
        if settings.secret_key:
            return parse_keys(settings.secret_key)
        return parse_keys(_key_file_text(settings))
    except KeyRingError as error:
        raise ConfigurationError(f"{settings.keys_source}: {error}") from error


def _key_file_text(settings: Settings) -> str:
    path = settings.key_file
    if path.is_dir():
        raise ConfigurationError(
            _("CONSOLE_KEY_FILE names the folder {path}; point it at the key file itself (one Fernet key a line).",
              path=str(path))
        )
    if not path.is_file():
        raise ConfigurationError(
            _("The key file {path} does not exist. Run `wellness-console init` to create it, or point "
              "CONSOLE_KEY_FILE (or CONSOLE_SECRET_KEY) at the keys this database was written with.", path=str(path))
        )
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigurationError(
            _("{source}: the file is not text; it must hold Fernet keys, one a line.", source=settings.keys_source)
        ) from None
    except OSError as error:
        raise ConfigurationError(_("{source}: the file cannot be read ({error}).", source=settings.keys_source,
                                   error=str(error.strerror))) from None


_active_settings: Settings | None = None


def activate_keys(settings: Settings) -> None:
    """Read the configured keys; a changed key set may only write after it is checked against the registry."""
    global _active_settings
    _active_settings = settings
    keys = read_keys(settings)
    try:
        if set(configured_keys()) == set(keys):
            return
    except KeyRingError:
        pass
    configure_keys(keys, writable=False)


def _registry(connection: Connection) -> dict[str, str]:
    return dict(connection.execute(select(col(EncryptionKey.fingerprint), col(EncryptionKey.state))).all())


def _encrypting_fingerprint(registry: dict[str, str]) -> str | None:
    return next((held for held, state in registry.items() if state == "encrypting"), None)


def ordered_for_registry(keys: tuple[bytes, ...] | list[bytes], registry: dict[str, str]) -> list[bytes]:
    """`keys` with the database's encrypting key first; refused when the keys lack it."""
    encrypting = _encrypting_fingerprint(registry)
    by_fingerprint = {fingerprint(key): key for key in keys}
    if encrypting is None:
        raise KeysNotTheDatabases(
            "The database has no registered encryption key. Run `wellness-console init` to register this "
            f"installation's key ({KEY_SETTINGS})."
        )
    if encrypting not in by_fingerprint:
        retired = any(registry.get(held) == "retired" for held in by_fingerprint)
        why = " Its key was retired by `rotate-key --retire-old`." if retired else ""
        raise KeysNotTheDatabases(
            "The database encrypts with a key this console does not have, so nothing was saved."
            f"{why} Copy the current key file (from where `wellness-console rotate-key` ran) to CONSOLE_KEY_FILE, "
            "or set CONSOLE_SECRET_KEY to the database's current keys, on this server."
        )
    return [by_fingerprint[encrypting], *(key for held, key in by_fingerprint.items() if held != encrypting)]


_checked_lock = threading.Lock()
_checked: dict[str, tuple[int, tuple[bytes, ...]]] = {}


def _use_keys_for(connection: Connection, *, generation: int) -> None:
    """Encrypt with the database's key; the registry is read again only when its generation moved. Keys
    that lack the encrypting key are read again from their setting once (a rotation on this server may
    have written the key file since), then refused."""
    database = connection.engine.url.render_as_string(hide_password=True)
    keys = configured_keys()
    with _checked_lock:
        if _checked.get(database) == (generation, keys) and keys_writable():
            return
    registry = _registry(connection)
    try:
        ordered = tuple(ordered_for_registry(keys, registry))
    except KeysNotTheDatabases as refusal:
        try:
            reread = read_keys(_active_settings) if _active_settings else keys
        except ConfigurationError:
            raise refusal from None
        ordered = tuple(ordered_for_registry(reread, registry))
    if ordered != keys or not keys_writable():
        configure_keys(list(ordered))
    with _checked_lock:
        _checked[database] = (generation, ordered)


_CHECKED_TRANSACTION = "keys_checked_for_transaction"
_COUNTED_TRANSACTION = "write_counted_for_transaction"


def check_before_write(session: OrmSession, *, tables: Iterable[str] | None = None) -> None:
    """Before each write: once per transaction, lock the state row and check the keys; once per transaction,
    before its first write to `tables` that can change what a page shows (`db.state.counts_as_change`; None:
    unknown, counts), count the write so cached page results are read again."""
    connection = session.connection()
    transaction = session.get_transaction()
    counted = tables is None or counts_as_change(tables)
    checked = session.info.get(_CHECKED_TRANSACTION) is transaction
    if checked and (not counted or session.info.get(_COUNTED_TRANSACTION) is transaction):
        return
    try:
        generation = begin_write(connection, counted=counted)
    except MissingStateRow:
        raise ConfigurationError(
            _("The database schema is older than the console. Run `wellness-console init` to upgrade it.")
        ) from None
    if counted:
        session.info[_COUNTED_TRANSACTION] = transaction
    if not checked:
        _use_keys_for(connection, generation=generation)
        session.info[_CHECKED_TRANSACTION] = transaction


def _table_names(instances: Iterable[object]) -> set[str]:
    return {getattr(type(instance), "__tablename__", "") for instance in instances}


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: object, _instances: object) -> None:
    if session.new or session.dirty or session.deleted:
        check_before_write(session, tables=_table_names([*session.new, *session.dirty, *session.deleted]))


@event.listens_for(Session, "do_orm_execute")
def _before_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        name = getattr(table, "name", None)
        check_before_write(state.session, tables=None if not name else {name})


def _raw_tables() -> list[tuple[TableClause, ColumnClause[Any], list[str]]]:
    """Untyped views of the encrypted tables, so that tokens are read and written as stored."""
    views = []
    for model, names in ENCRYPTED_COLUMNS.items():
        typed = table_of(model)
        (key_name,) = [key_column.name for key_column in typed.primary_key.columns]
        raw = table(typed.name, *(column(name) for name in [key_name, *names]))
        views.append((raw, raw.c[key_name], list(names)))
    return views


def _stored_values(engine: Engine, raw: TableClause, row_id: ColumnClause[Any], name: str) -> Iterator[list[tuple[object, str]]]:
    """Batches of (row id, token) of one column, read in short transactions in id order."""
    target = raw.c[name]
    last = None
    while True:
        query = select(row_id, target).where(target.is_not(None)).order_by(row_id).limit(ROTATION_BATCH_ROWS)
        if last is not None:
            query = query.where(row_id > last)
        with engine.connect() as connection:
            rows = [tuple(row) for row in connection.execute(query).all()]
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def verify_keys_open_data(engine: Engine, settings: Settings) -> None:
    """Stop when stored encrypted values exist that the configured keys cannot open (one per column)."""
    with engine.connect() as connection:
        for raw, _row_id, names in _raw_tables():
            for name in names:
                stored = connection.execute(select(raw.c[name]).where(raw.c[name].is_not(None)).limit(1)).scalar()
                if stored is None:
                    continue
                try:
                    decrypt_text(stored)
                except KeyRingError as error:
                    raise ConfigurationError(
                        _("The encryption key configured in {source} cannot open the data already in the "
                          "database. Set CONSOLE_SECRET_KEY or CONSOLE_KEY_FILE to the keys the data was written "
                          "with; the console will not start, so nothing is written under a different key.",
                          source=settings.keys_source)
                    ) from error


def check_keys_against_registry(engine: Engine, settings: Settings) -> None:
    """At start: register the installation's keys on first use, otherwise refuse keys that are not the
    database's; afterwards the console encrypts with the database's encrypting key."""
    with engine.begin() as connection:
        generation = lock_key_generation(connection)
        registry = _registry(connection)
        if not registry:
            verify_keys_open_data(engine, settings)
            keys = configured_keys()
            connection.execute(insert(EncryptionKey), [
                {"fingerprint": fingerprint(key), "state": "encrypting" if position == 0 else "valid",
                 "added_at": clock.now()}
                for position, key in enumerate(keys)
            ])
            generation = lock_key_generation(connection, changed=True)
        try:
            _use_keys_for(connection, generation=generation)
        except KeysNotTheDatabases as refusal:
            raise KeysNotTheDatabases(f"{settings.keys_source}: {refusal}") from None
    verify_keys_open_data(engine, settings)


@dataclass(frozen=True)
class ColumnCount:
    table: str
    column: str
    readable: int
    unreadable: int
    under_older_key: int


def count_values(engine: Engine) -> list[ColumnCount]:
    """Open every stored encrypted value: per table and column, how many open, how many do not, and how
    many still need a key other than the one that encrypts."""
    encrypting = configured_keys()[0]
    counts = []
    for raw, row_id, names in _raw_tables():
        for name in names:
            readable = unreadable = older = 0
            for batch in _stored_values(engine, raw, row_id, name):
                for _row, token in batch:
                    try:
                        decrypt_text(token)
                    except KeyRingError:
                        unreadable += 1
                        continue
                    readable += 1
                    older += not opens_with(token, encrypting)
            counts.append(ColumnCount(raw.name, name, readable, unreadable, older))
    return counts


@dataclass(frozen=True)
class RotationResult:
    values_reencrypted: int
    keys_kept: int
    keys_retired: int


def prepare_rotation(engine: Engine, settings: Settings) -> None:
    """Register a next key as valid but not yet encrypting, so every replica can be given it before
    `rotate_keys` makes it the encrypting key. With a key file a new key is added to the file; with
    CONSOLE_SECRET_KEY, keys in the variable that the database does not know yet are registered."""
    keys = read_keys(settings)
    if not settings.secret_key:
        keys = [*keys, new_key()]
        _write_key_file(settings.key_file, keys)
    with engine.begin() as connection:
        lock_key_generation(connection)
        registry = _registry(connection)
        ordered_for_registry(keys, registry)
        unknown = [key for key in keys if fingerprint(key) not in registry]
        if not unknown:
            raise ConfigurationError(
                "CONSOLE_SECRET_KEY holds no key the database does not know: add the new key to the variable first."
            )
        connection.execute(insert(EncryptionKey), [
            {"fingerprint": fingerprint(key), "state": "prepared", "added_at": clock.now()} for key in unknown
        ])
        lock_key_generation(connection, changed=True)
    configure_keys(keys, writable=False)
    _record(engine, action="encryption_key_prepared", detail="a next encryption key was registered")


def rotate_keys(engine: Engine, settings: Settings, *, retire_old: bool, resume: bool = False) -> RotationResult:
    """Make a new key the encrypting one and re-encrypt every value under it, in short batches.

    Old and new keys both stay valid meanwhile, so writers wait at most one batch, and a crash leaves
    every value readable; `resume` finishes an interrupted rotation without a new key. With
    `retire_old`, old keys are retired once no value needs them, and refused while one does.
    """
    keys = read_keys(settings)
    with engine.begin() as connection:
        lock_key_generation(connection)
        registry = _registry(connection)
        ordered = ordered_for_registry(keys, registry)
        if not resume:
            ordered = _with_new_encrypting_key(connection, settings, given=keys, ordered=ordered, registry=registry)
        generation = lock_key_generation(connection, changed=not resume)
    if not settings.secret_key:
        _write_key_file(settings.key_file, ordered)
    configure_keys(ordered)

    count = _reencrypt(engine, new=ordered[0], generation=generation)
    retired = retire_old_keys(engine, settings) if retire_old else 0
    kept = 1 if retire_old and not settings.secret_key else len(ordered)
    _record(engine, action="encryption_key_rotated",
            detail=f"{count} values re-encrypted under the encrypting key; {retired} old key(s) retired")
    return RotationResult(values_reencrypted=count, keys_kept=kept, keys_retired=retired)


def _with_new_encrypting_key(connection: Connection, settings: Settings, *, given: list[bytes],
                             ordered: list[bytes], registry: dict[str, str]) -> list[bytes]:
    """Register the next key as the encrypting one (the old one stays valid); the keys, new one first."""
    prepared = [key for key in ordered if registry.get(fingerprint(key)) == "prepared"]
    if prepared:
        new = prepared[0]
    elif not settings.secret_key:
        new = new_key()
        _write_key_file(settings.key_file, [new, *ordered])
    elif fingerprint(given[0]) not in registry:
        new = given[0]
    else:
        raise ConfigurationError(
            "Put the new key first in CONSOLE_SECRET_KEY (the old keys after it), then run rotate-key again; "
            "or run `rotate-key --resume` to finish an interrupted rotation."
        )
    connection.execute(update(EncryptionKey).where(col(EncryptionKey.state) == "encrypting").values(state="valid"))
    if fingerprint(new) in registry:
        connection.execute(update(EncryptionKey).where(col(EncryptionKey.fingerprint) == fingerprint(new))
                           .values(state="encrypting"))
    else:
        connection.execute(insert(EncryptionKey).values(fingerprint=fingerprint(new), state="encrypting",
                                                        added_at=clock.now()))
    return [new, *(key for key in ordered if key != new)]


def _reencrypt(engine: Engine, *, new: bytes, generation: int) -> int:
    """Re-encrypt, one short transaction per batch, every value the new key cannot open yet. A value
    changed by a writer since it was read is left to that writer (who wrote it under the new key)."""
    count = 0
    for raw, row_id, names in _raw_tables():
        for name in names:
            target = raw.c[name]
            for batch in _stored_values(engine, raw, row_id, name):
                stale = [(row, token) for row, token in batch if not opens_with(token, new)]
                if not stale:
                    continue
                with engine.begin() as connection:
                    if lock_key_generation(connection) != generation:
                        raise ConfigurationError(
                            "The key registry changed during the rotation (another rotate-key?). "
                            "Run `wellness-console rotate-key --resume` to finish."
                        )
                    result = connection.execute(
                        update(raw).where(row_id == bindparam("row"), target == bindparam("stored"))
                        .values({name: bindparam("renewed")}),
                        [{"row": row, "stored": token, "renewed": reencrypt_token(token)} for row, token in stale],
                    )
                    count += result.rowcount
    return count


def retire_old_keys(engine: Engine, settings: Settings) -> int:
    """Retire every valid key but the encrypting one (a prepared next key stays); refused while any value
    still needs one of them."""
    encrypting = configured_keys()[0]
    needing = sum(count.under_older_key + count.unreadable for count in count_values(engine))
    if needing:
        raise ConfigurationError(
            f"{needing} stored values still need an old key, so no key was retired. "
            "Run `wellness-console rotate-key --resume --retire-old` to re-encrypt them first."
        )
    with engine.begin() as connection:
        lock_key_generation(connection)
        retiring = connection.execute(
            update(EncryptionKey)
            .where(col(EncryptionKey.fingerprint) != fingerprint(encrypting), col(EncryptionKey.state) == "valid")
            .values(state="retired", retired_at=clock.now())
        ).rowcount
        lock_key_generation(connection, changed=True)
    if not settings.secret_key:
        _write_key_file(settings.key_file, [encrypting])
        configure_keys([encrypting])
    return retiring


def _record(engine: Engine, *, action: str, detail: str) -> None:
    with session_scope(engine) as session:
        audit.record(session, actor=None, action=action, resource_type="encryption_key", detail=detail)
        session.commit()


def _write_key_file(path: Path, keys: list[bytes]) -> None:
    temporary = path.with_name(path.name + ".new")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write("".join(key.decode() + "\n" for key in keys))
    os.replace(temporary, path)
