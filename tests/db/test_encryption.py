from __future__ import annotations

import dataclasses
import stat
import uuid
from datetime import date

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel, select

from console.core.errors import ConfigurationError
from console.core.keys import rotate_keys, verify_keys_open_data
from console.core.runtime import initialize, open_runtime
from console.core.settings import Settings
from db.columns import EncryptedJSON, EncryptedText
from db.crypto import KeyRingError, configure_keys, new_key, parse_keys
from db.engine import session_scope, sqlite_file
from db.models import (
    ENCRYPTED_COLUMNS,
    ActionItem,
    Assessment,
    OutboxMessage,
    Program,
    PulseCheckin,
    SessionAmendment,
    SupervisionSession,
    Team,
    User,
    WellnessPlan,
    utcnow,
)
from tests.conftest import add_user


def _new_row(model: type[SQLModel], *, peer: User, supervisor: User, made: dict[type[SQLModel], SQLModel]) -> SQLModel:
    required = {
        Assessment: lambda: Assessment(peer_id=peer.id, instrument_id="proqol-style-30", instrument_version="1",
                                       idempotency_key=uuid.uuid4().hex),
        PulseCheckin: lambda: PulseCheckin(peer_id=peer.id, iso_year=2026, iso_week=48,
                                           week_start=date(2026, 11, 23), idempotency_key=uuid.uuid4().hex),
        WellnessPlan: lambda: WellnessPlan(peer_id=peer.id, version=1),
        SupervisionSession: lambda: SupervisionSession(supervisor_id=supervisor.id, held_on=date(2026, 11, 20),
                                                       duration_minutes=60, idempotency_key=uuid.uuid4().hex),
        ActionItem: lambda: ActionItem(owner_id=peer.id),
        SessionAmendment: lambda: SessionAmendment(session_id=made[SupervisionSession].id, author_id=supervisor.id),
        OutboxMessage: lambda: OutboxMessage(recipient_id=peer.id, kind="invitation", dedupe_key=uuid.uuid4().hex,
                                             message_id=uuid.uuid4().hex, expires_at=utcnow(),
                                             next_attempt_at=utcnow()),
    }
    return required[model]()


def _is_json(model: type[SQLModel], name: str) -> bool:
    return isinstance(model.__table__.c[name].type, EncryptedJSON)


def _write_canaries(session: Session) -> dict[tuple[type[SQLModel], str], tuple[object, str]]:
    """One row per encrypted table with a unique canary in every encrypted column: (model, column) → (value, canary)."""
    program = Program(name=f"Canary program {uuid.uuid4().hex[:6]}")
    session.add(program)
    session.flush()
    peer = add_user(session, username=f"canary_peer_{uuid.uuid4().hex[:6]}", roles="peer", program=program)
    supervisor = add_user(session, username=f"canary_sup_{uuid.uuid4().hex[:6]}", roles="supervisor",
                          program=program)
    written = {}
    made: dict[type[SQLModel], SQLModel] = {}
    for model, names in ENCRYPTED_COLUMNS.items():
        row = _new_row(model, peer=peer, supervisor=supervisor, made=made)
        for name in names:
            canary = f"canary-{uuid.uuid4().hex}"
            value = {"item": canary, "count": 3} if _is_json(model, name) else f"I said {canary} in private"
            setattr(row, name, value)
            written[(model, name)] = (value, canary)
        session.add(row)
        session.flush()
        made[model] = row
    session.commit()
    return written


def _read_back(engine: Engine) -> dict[tuple[type[SQLModel], str], object]:
    with session_scope(engine) as fresh:
        found = {}
        for model, names in ENCRYPTED_COLUMNS.items():
            rows = fresh.exec(select(model)).all()
            assert len(rows) == 1, model.__name__
            for name in names:
                found[(model, name)] = getattr(rows[0], name)
        return found


def _raw_values(engine: Engine) -> dict[tuple[type[SQLModel], str], str]:
    with engine.connect() as connection:
        return {
            (model, name): connection.execute(
                text(f'SELECT "{name}" FROM "{model.__tablename__}"')).scalar_one()
            for model, names in ENCRYPTED_COLUMNS.items()
            for name in names
        }


def _sqlite_bytes(engine: Engine) -> bytes:
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database = sqlite_file(str(engine.url))
    files = [database, database.with_name(database.name + "-wal")]
    return b"".join(path.read_bytes() for path in files if path.exists())


def test_encrypted_columns_list_is_exactly_the_encrypted_types():
    listed = {(model.__tablename__, name) for model, names in ENCRYPTED_COLUMNS.items() for name in names}
    typed = {
        (table.name, column.name)
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EncryptedText | EncryptedJSON)
    }
    assert listed == typed


def test_no_canary_reaches_the_database_in_plain_text(engine, session):
    written = _write_canaries(session)
    plain_marker = f"plain-{uuid.uuid4().hex}"
    session.add(Team(program_id=session.exec(select(Program.id)).first(), name=plain_marker))
    session.commit()

    raw = _raw_values(engine)
    for column, token in raw.items():
        _, canary = written[column]
        assert canary not in token, column
        assert token.startswith("gAAAAA"), column

    if engine.dialect.name == "sqlite":
        stored = _sqlite_bytes(engine)
        assert plain_marker.encode() in stored
        for column, (_, canary) in written.items():
            assert canary.encode() not in stored, column
    else:
        with engine.connect() as connection:
            dumped = " ".join(
                str(row) for table in SQLModel.metadata.sorted_tables
                for row in connection.execute(text(f'SELECT * FROM "{table.name}"')).all()
            )
        assert plain_marker in dumped
        for column, (_, canary) in written.items():
            assert canary not in dumped, column

    assert _read_back(engine) == {column: value for column, (value, _) in written.items()}


def test_wrong_key_is_refused_with_a_message_naming_the_setting(engine, session, settings):
    _write_canaries(session)
    configure_keys([new_key()])
    with pytest.raises(ConfigurationError) as raised:
        verify_keys_open_data(engine, settings)
    assert "CONSOLE_SECRET_KEY" in str(raised.value)
    assert "CONSOLE_KEY_FILE" in str(raised.value)


def test_open_runtime_refuses_a_wrong_key_and_writes_nothing(engine, session, settings, tmp_path):
    _write_canaries(session)
    before = _raw_values(engine)
    wrong_key_file = tmp_path / "wrong.key"
    wrong_key_file.write_text(new_key().decode() + "\n")

    with pytest.raises(ConfigurationError, match="CONSOLE_KEY_FILE"):
        open_runtime(dataclasses.replace(settings, key_file=wrong_key_file))
    with pytest.raises(ConfigurationError, match="CONSOLE_SECRET_KEY"):
        open_runtime(dataclasses.replace(settings, secret_key=new_key().decode()))

    assert _raw_values(engine) == before
    assert open_runtime(settings).engine.url == engine.url


def test_missing_key_file_is_refused_with_a_message(engine, settings, tmp_path):
    with pytest.raises(ConfigurationError, match="CONSOLE_KEY_FILE"):
        open_runtime(dataclasses.replace(settings, key_file=tmp_path / "nowhere.key"))


def test_invalid_key_text_is_refused(engine, settings):
    with pytest.raises(ConfigurationError, match="CONSOLE_SECRET_KEY"):
        open_runtime(dataclasses.replace(settings, secret_key="not-a-fernet-key"))


def test_first_start_registers_the_installation_key_and_refuses_another_before_any_data(engine, settings):
    with pytest.raises(ConfigurationError, match="CONSOLE_SECRET_KEY"):
        open_runtime(dataclasses.replace(settings, secret_key=new_key().decode()))
    runtime = open_runtime(settings)
    verify_keys_open_data(runtime.engine, runtime.settings)
    runtime.engine.dispose()


def test_initialize_creates_the_key_file_readable_by_the_owner_only(engine, settings):
    mode = stat.S_IMODE(settings.key_file.stat().st_mode)
    assert mode == 0o600
    assert len(parse_keys(settings.key_file.read_text())) == 1


def test_initialize_keeps_an_existing_key_file(engine, settings):
    first = settings.key_file.read_text()
    initialize(settings).engine.dispose()
    assert settings.key_file.read_text() == first


def test_rotation_reencrypts_every_value_and_retires_the_old_key(engine, session, settings):
    written = _write_canaries(session)
    old_keys = parse_keys(settings.key_file.read_text())
    before = _raw_values(engine)

    result = rotate_keys(engine, settings, retire_old=True)

    assert result.values_reencrypted == len(written)
    assert result.keys_kept == 1
    after = _raw_values(engine)
    assert all(after[column] != before[column] for column in before)
    new_keys = parse_keys(settings.key_file.read_text())
    assert len(new_keys) == 1 and new_keys[0] not in old_keys
    assert stat.S_IMODE(settings.key_file.stat().st_mode) == 0o600

    configure_keys(new_keys)
    assert _read_back(engine) == {column: value for column, (value, _) in written.items()}
    verify_keys_open_data(engine, settings)

    configure_keys(old_keys)
    with pytest.raises(KeyRingError):
        _read_back(engine)
    with pytest.raises(ConfigurationError):
        verify_keys_open_data(engine, settings)


def test_rotation_without_retiring_keeps_both_keys(engine, session, settings):
    written = _write_canaries(session)
    result = rotate_keys(engine, settings, retire_old=False)
    assert result.keys_kept == 2
    keys = parse_keys(settings.key_file.read_text())
    configure_keys(keys[:1])
    assert _read_back(engine) == {column: value for column, (value, _) in written.items()}


def test_rotation_with_secret_key_variable_uses_the_key_put_first(engine, session, settings: Settings):
    written = _write_canaries(session)
    old_key = settings.key_file.read_text().strip()
    new = new_key().decode()
    before = _raw_values(engine)

    with pytest.raises(ConfigurationError, match="CONSOLE_SECRET_KEY"):
        rotate_keys(engine, dataclasses.replace(settings, secret_key=old_key), retire_old=False)

    result = rotate_keys(engine, dataclasses.replace(settings, secret_key=f"{new},{old_key}"), retire_old=True)
    assert result.values_reencrypted == len(written)
    assert result.keys_retired == 1
    assert all(_raw_values(engine)[column] != before[column] for column in before)

    new_only = dataclasses.replace(settings, secret_key=new)
    runtime = open_runtime(new_only)
    assert _read_back(runtime.engine) == {column: value for column, (value, _) in written.items()}
    runtime.engine.dispose()
    with pytest.raises(ConfigurationError, match="retired"):
        open_runtime(dataclasses.replace(settings, secret_key=old_key))
