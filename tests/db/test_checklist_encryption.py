"""The checklists of a person's week (exposures, self-care, pressure on recovery) never rest in plain text:
not in the database file or its -wal/-shm files, not in a backup, not in PostgreSQL's stored values or a
pg_dump, and not after migrating a database that held them in plain text."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import UTC, date, datetime

import pytest
from alembic import command
from click.testing import CliRunner
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from console.cli import main
from console.wellness.checkins import pulse_instrument, submit_pulse
from db.crypto import encrypt_text
from db.engine import session_scope, sqlite_file
from db.migrate import alembic_config
from db.models import ExposureTally, Program, PulseCheckin
from tests.conftest import add_user

EXPOSURES = tuple(option.code for option in pulse_instrument().checklists["exposures"])
SELF_CARE = tuple(option.code for option in pulse_instrument().checklists["self_care"])
ANSWERS = {"energy": 2, "stress": 4, "sleep": 3, "workload": 2, "supported": 4, "connection": 3, "satisfaction": 4}


def _codes_found(data: bytes) -> list[str]:
    return [code for code in (*EXPOSURES, *SELF_CARE) if code.encode() in data]


def _check_in_every_box(session: Session) -> PulseCheckin:
    """A peer on no team ticks every box, so no count per team holds a code for them either."""
    program = Program(name=f"Checklist program {uuid.uuid4().hex[:6]}")
    session.add(program)
    session.flush()
    peer = add_user(session, username=f"checklist_peer_{uuid.uuid4().hex[:6]}", roles="peer", program=program)
    session.commit()
    return submit_pulse(session, actor=peer, answers=ANSWERS, idempotency_key=uuid.uuid4().hex,
                        exposures=EXPOSURES, self_care=SELF_CARE, note="")


def _sqlite_files(engine: Engine) -> bytes:
    database = sqlite_file(str(engine.url))
    return b"".join(path.read_bytes() for path in (database, database.with_name(database.name + "-wal"),
                                                   database.with_name(database.name + "-shm")) if path.exists())


def test_the_sqlite_files_and_a_backup_hold_no_checklist(engine, session, settings, tmp_path):
    if engine.dialect.name != "sqlite":
        pytest.skip("the SQLite files exist only on SQLite; PostgreSQL is covered by the pg_dump test")
    _check_in_every_box(session)
    assert _codes_found(_sqlite_files(engine)) == [], "before the write-ahead log is checkpointed"
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert _codes_found(_sqlite_files(engine)) == [], "after the checkpoint"

    copy = tmp_path / "backup" / "copy.sqlite3"
    result = CliRunner().invoke(main, ["backup", str(copy)], env={
        "CONSOLE_DATABASE_URL": settings.database_url, "CONSOLE_KEY_FILE": str(settings.key_file),
        "CONSOLE_SECRET_KEY": None})
    assert result.exit_code == 0, result.output
    assert copy.stat().st_size > 0
    assert _codes_found(copy.read_bytes()) == []


def test_stored_values_hold_no_checklist(engine, session):
    pulse = _check_in_every_box(session)
    with engine.connect() as connection:
        stored = " ".join(str(value) for value in connection.execute(
            text("SELECT * FROM pulsecheckin WHERE id = :id"), {"id": pulse.id}).one())
    assert _codes_found(stored.encode()) == []
    session.expire_all()
    fresh = session.get(PulseCheckin, pulse.id)
    assert fresh.exposures == ",".join(sorted(EXPOSURES)) and fresh.self_care == ",".join(sorted(SELF_CARE))


def test_a_pg_dump_holds_no_checklist(engine, session):
    if engine.dialect.name != "postgresql":
        pytest.skip("pg_dump is for PostgreSQL; the SQLite files are covered by their own test")
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed, so the dump cannot be searched")
    _check_in_every_box(session)
    url = engine.url
    target = url.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
    dumped = subprocess.run(["pg_dump", "--data-only", f"--dbname={target}"],
                            capture_output=True, check=False)
    if dumped.returncode != 0 and b"server version mismatch" in dumped.stderr:
        pytest.skip(f"pg_dump cannot dump this server: {dumped.stderr.decode().strip()}")
    assert dumped.returncode == 0, dumped.stderr.decode()
    assert b"pulsecheckin" in dumped.stdout
    assert _codes_found(dumped.stdout) == []


PLAIN_WEEKS = (
    (date(2026, 9, 28), "overdose_scene,recovery_pressure", "sleep,time_away"),
    (date(2026, 10, 5), "recovery_pressure", ""),
    (date(2026, 10, 12), "", "movement"),
)


def test_the_migration_encrypts_checklists_stored_in_plain_text_and_counts_them(engine):
    config = alembic_config(engine)
    command.downgrade(config, "0002")
    now = datetime(2026, 11, 1, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO program (id, name, is_demo, created_at) VALUES (1, 'P', false, :now)"),
                           {"now": now})
        connection.execute(text("INSERT INTO team (id, program_id, name, setting, created_at) "
                                "VALUES (7, 1, 'Court', '', :now)"), {"now": now})
        connection.execute(text(
            'INSERT INTO "user" (id, program_id, username, display_name, roles, active, password_hash, '
            "failed_attempts, must_change_password, created_at) "
            "VALUES (3, 1, 'peer', 'Peer', 'peer', true, 'x', 0, false, :now)"), {"now": now})
        connection.execute(text("INSERT INTO teammembership (user_id, team_id, started_on) "
                                "VALUES (3, 7, :started)"), {"started": date(2026, 1, 5)})
        for position, (monday, exposures, self_care) in enumerate(PLAIN_WEEKS):
            iso = monday.isocalendar()
            connection.execute(text(
                "INSERT INTO pulsecheckin (peer_id, iso_year, iso_week, week_start, taken_at, answers, exposures, "
                "exposure_count, self_care, note_shared, wants_to_talk, idempotency_key) VALUES (3, :year, :week, "
                ":monday, :now, :answers, :exposures, :count, :self_care, false, false, :key)"),
                {"year": iso.year, "week": iso.week, "monday": monday, "now": now, "answers": encrypt_text("{}"),
                 "exposures": exposures,
                 "count": len([code for code in exposures.split(",") if code]), "self_care": self_care,
                 "key": f"plain-{position}"})

    command.upgrade(config, "head")

    with engine.connect() as connection:
        raw = connection.execute(text("SELECT exposures, self_care FROM pulsecheckin ORDER BY week_start")).all()
    assert all(value.startswith("gAAAAA") for row in raw for value in row)
    assert _codes_found(" ".join(value for row in raw for value in row).encode()) == []
    with session_scope(engine) as session:
        rows = session.exec(select(PulseCheckin).order_by(PulseCheckin.week_start)).all()
        assert [(row.exposures, row.self_care) for row in rows] == [week[1:] for week in PLAIN_WEEKS]
        assert {row.tallied_team_id for row in rows} == {7}
        counts = {(row.month, row.code): row.count for row in session.exec(select(ExposureTally))}
    assert counts == {(date(2026, 9, 1), "overdose_scene"): 1, (date(2026, 9, 1), "recovery_pressure"): 1,
                      (date(2026, 10, 1), "recovery_pressure"): 1}

    command.downgrade(config, "0002")
    with engine.connect() as connection:
        restored = connection.execute(
            text("SELECT exposures, exposure_count, self_care FROM pulsecheckin ORDER BY week_start")).all()
    assert [tuple(row) for row in restored] == [(exposures, len([c for c in exposures.split(",") if c]), self_care)
                                                for _, exposures, self_care in PLAIN_WEEKS]
    command.upgrade(config, "head")
