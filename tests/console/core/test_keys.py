"""Keys that cannot split a database: the key registry, the check before every write, rotation in
resumable batches, and two replicas with their own key files against one database."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.sql import column, table
from sqlmodel import Session, func

from console.core import keys
from console.core.errors import ConfigurationError
from console.core.keys import (
    KeysNotTheDatabases,
    activate_keys,
    count_values,
    prepare_rotation,
    read_keys,
    retire_old_keys,
    rotate_keys,
)
from console.core.runtime import open_runtime
from console.core.settings import Settings
from db.crypto import configure_keys, encrypt_text, fingerprint, new_key, opens_with, parse_keys
from db.engine import session_scope
from db.models import ActionItem, AuditEvent, EncryptionKey, User
from db.state import data_version

PROJECT = Path(__file__).resolve().parents[3]

REPLICA = """
import sys
from console.core.errors import ConfigurationError
from console.core.keys import activate_keys
from console.core.runtime import open_runtime
from console.core.settings import load_settings
from db.engine import session_scope
from db.models import ActionItem

runtime = open_runtime(load_settings())
for line in sys.stdin:
    owner, text = line.rstrip("\\n").split(" ", 1)
    try:
        activate_keys(load_settings())
        with session_scope(runtime.engine) as session:
            session.add(ActionItem(owner_id=int(owner), text=text))
            session.commit()
        print("saved", flush=True)
    except ConfigurationError as error:
        print("refused:", error, flush=True)
"""


class Replica:
    """A second console process with its own key file, kept running like a Streamlit server."""

    def __init__(self, *, database_url: str, key_file: Path) -> None:
        environment = {**os.environ, "CONSOLE_DATABASE_URL": database_url, "CONSOLE_KEY_FILE": str(key_file)}
        environment.pop("CONSOLE_SECRET_KEY", None)
        self.process = subprocess.Popen([sys.executable, "-c", REPLICA], cwd=PROJECT, env=environment,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def write(self, owner: User, text: str) -> str:
        self.process.stdin.write(f"{owner.id} {text}\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def owner(session: Session) -> User:
    user = User(username="holder", display_name="Holder", roles="peer", password_hash="x")
    session.add(user)
    session.commit()
    return user


def _write_items(engine: Engine, owner: User, count: int, *, prefix: str = "item") -> None:
    with session_scope(engine) as session:
        session.add_all(ActionItem(owner_id=owner.id, text=f"{prefix} {number}") for number in range(count))
        session.commit()


def _texts(engine: Engine) -> list[str]:
    with session_scope(engine) as session:
        return sorted(session.exec(select(ActionItem.text)).scalars())


def _unreadable(engine: Engine) -> int:
    return sum(count.unreadable for count in count_values(engine))


def _raw_tokens(engine: Engine) -> list[str]:
    raw = table("actionitem", column("text"))
    with engine.connect() as connection:
        return list(connection.execute(select(raw.c.text)).scalars())


@pytest.fixture
def replica_key_file(settings: Settings, engine: Engine, tmp_path: Path) -> Path:
    copied = tmp_path / "replica" / "console.key"
    copied.parent.mkdir()
    shutil.copy(settings.key_file, copied)
    return copied


def test_a_replica_with_the_retired_key_is_refused_until_it_has_the_new_key_file(
        engine, settings, owner, replica_key_file):
    replica = Replica(database_url=settings.database_url, key_file=replica_key_file)
    try:
        assert replica.write(owner, "written before rotation") == "saved"
        _write_items(engine, owner, 5)

        result = rotate_keys(engine, settings, retire_old=True)
        assert result.values_reencrypted == 6 and result.keys_retired == 1

        answer = replica.write(owner, "written with the retired key")
        assert answer.startswith("refused:")
        assert "CONSOLE_KEY_FILE" in answer and "CONSOLE_SECRET_KEY" in answer and "retired" in answer

        shutil.copy(settings.key_file, replica_key_file)
        assert replica.write(owner, "written after copying the key file") == "saved"
    finally:
        replica.close()

    configure_keys(read_keys(settings))
    assert "written with the retired key" not in _texts(engine)
    assert "written after copying the key file" in _texts(engine)
    assert _unreadable(engine) == 0
    new = read_keys(settings)[0]
    assert all(opens_with(token, new) for token in _raw_tokens(engine))


def test_a_prepared_key_lets_replicas_switch_without_a_refusal(engine, settings, owner, replica_key_file):
    prepare_rotation(engine, settings)
    old, prepared = read_keys(settings)
    shutil.copy(settings.key_file, replica_key_file)
    replica = Replica(database_url=settings.database_url, key_file=replica_key_file)
    try:
        assert replica.write(owner, "before rotation") == "saved"
        rotate_keys(engine, settings, retire_old=False)
        assert replica.write(owner, "during rotation") == "saved"
        retire_old_keys(engine, settings)
        assert replica.write(owner, "after retiring") == "saved"
    finally:
        replica.close()
    assert parse_keys(replica_key_file.read_text()) == [old, prepared]
    assert all(opens_with(token, prepared) for token in _raw_tokens(engine))
    assert _unreadable(engine) == 0


def test_replacing_the_key_file_under_a_running_console_refuses_the_write(engine, settings, owner):
    _write_items(engine, owner, 1)
    settings.key_file.write_text(new_key().decode() + "\n")
    activate_keys(settings)
    with pytest.raises(KeysNotTheDatabases, match="CONSOLE_KEY_FILE"):
        _write_items(engine, owner, 1, prefix="under the wrong key")
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(ActionItem)).scalar() == 1


def test_a_rotation_on_this_server_after_the_keys_were_read_does_not_refuse_the_write(engine, settings, owner):
    activate_keys(settings)
    read_before_rotation = read_keys(settings)
    rotate_keys(engine, settings, retire_old=False)
    configure_keys(read_before_rotation)
    _write_items(engine, owner, 1, prefix="written right after the rotation")
    new = read_keys(settings)[0]
    assert all(opens_with(token, new) for token in _raw_tokens(engine))


def test_a_key_the_database_never_registered_is_refused_even_when_it_is_listed_first(engine, settings, owner):
    installed = read_keys(settings)[0]
    stranger = new_key()
    settings.key_file.write_text(f"{stranger.decode()}\n{installed.decode()}\n")
    activate_keys(settings)
    _write_items(engine, owner, 1)
    assert all(opens_with(token, installed) for token in _raw_tokens(engine))


def test_the_first_start_registers_the_installation_key_by_fingerprint_only(engine, settings, session):
    installed = read_keys(settings)[0]
    registered = session.exec(select(EncryptionKey)).scalars().all()
    assert [(row.fingerprint, row.state) for row in registered] == [(fingerprint(installed), "encrypting")]
    assert installed.decode() not in registered[0].fingerprint


def test_a_crash_midway_through_rotation_leaves_every_value_readable_and_resume_finishes(
        engine, settings, owner, monkeypatch):
    _write_items(engine, owner, 12)
    monkeypatch.setattr(keys, "ROTATION_BATCH_ROWS", 3)
    calls = {"count": 0}
    reencrypt = keys.reencrypt_token

    def crash_after_some(token: str) -> str:
        calls["count"] += 1
        if calls["count"] > 4:
            raise KeyboardInterrupt
        return reencrypt(token)

    monkeypatch.setattr(keys, "reencrypt_token", crash_after_some)
    with pytest.raises(KeyboardInterrupt):
        rotate_keys(engine, settings, retire_old=True)
    monkeypatch.setattr(keys, "reencrypt_token", reencrypt)

    runtime = open_runtime(settings)
    counts = {count.column: count for count in count_values(runtime.engine) if count.table == "actionitem"}
    assert counts["text"].unreadable == 0 and counts["text"].readable == 12
    assert counts["text"].under_older_key == 12 - 3
    with pytest.raises(ConfigurationError, match="still need an old key"):
        retire_old_keys(runtime.engine, settings)

    result = rotate_keys(runtime.engine, settings, retire_old=True, resume=True)
    assert result.values_reencrypted == 9 and result.keys_retired == 1
    assert _texts(runtime.engine) == sorted(f"item {number}" for number in range(12))
    assert all(count.under_older_key == 0 and count.unreadable == 0 for count in count_values(runtime.engine))
    runtime.engine.dispose()


def test_full_count_finds_a_value_no_key_opens(engine, settings, owner):
    _write_items(engine, owner, 3)
    configure_keys([new_key()])
    foreign = encrypt_text("written elsewhere")
    configure_keys(read_keys(settings))
    raw = table("actionitem", column("id"), column("text"))
    with engine.begin() as connection:
        connection.execute(update(raw).where(raw.c.id == select(func.min(raw.c.id)).scalar_subquery())
                           .values(text=foreign))
    counts = {(count.table, count.column): count for count in count_values(engine)}
    assert counts[("actionitem", "text")].readable == 2
    assert counts[("actionitem", "text")].unreadable == 1


def test_rotation_is_audited_without_key_material(engine, settings, owner, session):
    _write_items(engine, owner, 2)
    before = read_keys(settings)
    rotate_keys(engine, settings, retire_old=True)
    after = read_keys(settings)
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "encryption_key_rotated")).scalars().all()
    assert len(events) == 1
    detail = events[0].detail + (events[0].resource_id or "")
    for key in [*before, *after]:
        assert key.decode() not in detail
        assert fingerprint(key) not in detail
        assert fingerprint(key)[:8] not in detail


@pytest.mark.parametrize("content, problem", [
    (b"\xff\xfe not text", "not text"),
    (b"", "no encryption key"),
    (b"not-a-fernet-key\n", "not a valid Fernet key"),
])
def test_bad_key_files_are_refused_naming_the_setting(engine, settings, content, problem):
    settings.key_file.write_bytes(content)
    with pytest.raises(ConfigurationError, match=problem) as raised:
        open_runtime(settings)
    assert "CONSOLE_KEY_FILE" in str(raised.value)


def test_a_folder_as_key_file_is_refused_naming_the_setting(engine, settings):
    with pytest.raises(ConfigurationError, match="CONSOLE_KEY_FILE names the folder"):
        open_runtime(dataclasses.replace(settings, key_file=settings.key_file.parent))


def test_keys_separated_by_spaces_are_refused_naming_the_setting(engine, settings):
    installed = read_keys(settings)[0].decode()
    spaced = f"{new_key().decode()} {installed}"
    with pytest.raises(ConfigurationError, match="CONSOLE_SECRET_KEY: key 1 contains spaces"):
        open_runtime(dataclasses.replace(settings, secret_key=spaced))
    settings.key_file.write_text(spaced + "\n")
    with pytest.raises(ConfigurationError, match="CONSOLE_KEY_FILE.*separate keys with commas or new lines"):
        open_runtime(settings)


def test_data_version_moves_with_a_write_committed_with_a_lower_audit_id(engine, session):
    with session_scope(engine) as writer:
        writer.add(AuditEvent(id=1000, action="later id, earlier commit", resource_type="test"))
        writer.commit()
    cached_version = data_version(session)
    newest_id = session.exec(select(func.max(AuditEvent.id))).scalar()

    with session_scope(engine) as writer:
        writer.add(AuditEvent(id=500, action="earlier id, later commit", resource_type="test"))
        writer.commit()

    assert session.exec(select(func.max(AuditEvent.id))).scalar() == newest_id
    assert data_version(session) != cached_version
