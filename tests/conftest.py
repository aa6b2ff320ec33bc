"""Fixtures shared by every test: each database test runs on SQLite and, when
TEST_DATABASE_URL is set, on PostgreSQL in a schema of its own."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import URL, Engine, create_engine, make_url, text
from sqlmodel import Session

from console.core.passwords import hash_password
from console.core.runtime import initialize
from console.core.settings import Settings
from console.web import charts
from db.engine import make_engine, session_scope
from db.migrate import upgrade_to_head
from db.models import Program, SharingPreference, SupervisionAssignment, Team, TeamMembership, User

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
NO_POSTGRES = "TEST_DATABASE_URL is not set, so the PostgreSQL variant is skipped (set it to postgresql+psycopg://…)"
TEST_PASSWORD = "correct horse battery"
WORLD_MOMENT = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
_TEST_PASSWORD_HASH = hash_password(TEST_PASSWORD)

# The app skips Altair's schema checks of its own charts; the tests keep them, so an invalid chart fails here.
charts.validate_specs(True)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated to head once per test run; each test starts from a copy."""
    template = tmp_path_factory.mktemp("template") / "console.sqlite3"
    engine = make_engine(f"sqlite:///{template}")
    upgrade_to_head(engine)
    engine.dispose()
    return template


@pytest.fixture(scope="session")
def _postgres_template() -> Iterator[URL]:
    """A PostgreSQL database migrated to head once per test run (per worker); each test gets its own
    database created from it, which is much faster than migrating every time."""
    server = make_url(TEST_DATABASE_URL)
    maintenance = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"tmpl_{uuid.uuid4().hex[:12]}"
    with maintenance.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        engine = make_engine(server.set(database=name).render_as_string(hide_password=False))
        upgrade_to_head(engine)
        engine.dispose()
        yield server.set(database=name)
    finally:
        with maintenance.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        maintenance.dispose()


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not TEST_DATABASE_URL, reason=NO_POSTGRES))]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of the test's own, already migrated to head."""
    if request.param == "sqlite":
        database = tmp_path / "console.sqlite3"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), database)
        yield f"sqlite:///{database}"
        return
    template: URL = request.getfixturevalue("_postgres_template")
    name = f"t_{uuid.uuid4().hex[:12]}"
    maintenance = create_engine(template.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with maintenance.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"'))
    try:
        yield template.set(database=name).render_as_string(hide_password=False)
    finally:
        with maintenance.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        maintenance.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        key_file=tmp_path / "keys" / "console.key",
        secret_key=None,
        session_minutes=30,
        demo_mode="auto",
    )


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    opened = initialize(settings)
    yield opened.engine
    opened.engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_scope(engine) as opened:
        yield opened


@pytest.fixture
def app_env(settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Environment variables that point the Streamlit app at the test database."""
    monkeypatch.setenv("CONSOLE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CONSOLE_KEY_FILE", str(settings.key_file))
    monkeypatch.delenv("CONSOLE_SECRET_KEY", raising=False)
    monkeypatch.setenv("CONSOLE_DEMO_MODE", "off")
    yield settings
    _close_cached_runtime()


def _close_cached_runtime() -> None:
    """Close the engine the app cached for this test's database, so connections do not pile up across tests
    (PostgreSQL allows 100), and forget it."""
    from console.core.settings import load_settings
    from console.web import ui

    opened = load_settings()
    ui._runtime_for(opened.database_url, opened.keys_source, opened.session_minutes, opened.demo_mode).engine.dispose()
    ui._runtime_for.clear()


def add_user(session: Session, *, username: str, roles: str | Collection[str], program: Program, team: Team | None = None,
             sharing: str | None = None, must_change_password: bool = False) -> User:
    """A user with the password TEST_PASSWORD (hashed once per test run, to keep tests fast)."""
    user = User(
        program_id=program.id, username=username, display_name=username.replace("_", " ").title(),
        roles=frozenset({roles} if isinstance(roles, str) else roles),
        password_hash=_TEST_PASSWORD_HASH, must_change_password=must_change_password,
    )
    session.add(user)
    session.flush()
    if team is not None:
        session.add(TeamMembership(user_id=user.id, team_id=team.id, started_on=date(2026, 1, 5)))
    if sharing is not None:
        session.add(SharingPreference(peer_id=user.id, level=sharing))
    return user


@dataclass
class World:
    """A small program: two teams, peers at every sharing level, and every kind of supervisor."""

    program: Program
    team: Team
    other_team: Team
    peer: User
    peer_scores: User
    peer_completion: User
    other_peer: User
    supervisor: User
    admin_supervisor: User
    other_supervisor: User
    ended_supervisor: User
    lead: User
    admin: User
    today: date


@pytest.fixture
def world_clock() -> Iterator[date]:
    """The system clock moved to the world's "today" (and ticking), so writes stamped with the console's
    clock and the world's fixed dates agree."""
    with time_machine.travel(WORLD_MOMENT, tick=True):
        yield WORLD_MOMENT.date()


@contextmanager
def clock_on(day: date) -> Iterator[None]:
    """The console's clock stopped at noon (UTC) on `day`: the only way to ask the access policy about another
    day, since services decide access for the clock's today."""
    with time_machine.travel(datetime.combine(day, time(12), tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def world(session: Session, world_clock: date) -> World:
    today = world_clock
    program = Program(name="Test program")
    session.add(program)
    session.flush()
    team = Team(program_id=program.id, name="Overdose response", setting="first responders")
    other_team = Team(program_id=program.id, name="Reentry", setting="jail")
    session.add_all([team, other_team])
    session.flush()
    peer = add_user(session, username="peer_bands", roles="peer", program=program, team=team, sharing="bands")
    peer_scores = add_user(session, username="peer_scores", roles="peer", program=program, team=team, sharing="scores")
    peer_completion = add_user(session, username="peer_completion", roles="peer", program=program, team=team,
                               sharing="completion")
    other_peer = add_user(session, username="other_peer", roles="peer", program=program, team=other_team)
    supervisor = add_user(session, username="supervisor", roles="supervisor", program=program)
    admin_supervisor = add_user(session, username="admin_supervisor", roles="supervisor", program=program)
    other_supervisor = add_user(session, username="other_supervisor", roles="supervisor", program=program)
    ended_supervisor = add_user(session, username="ended_supervisor", roles="supervisor", program=program)
    lead = add_user(session, username="lead", roles="lead", program=program)
    admin = add_user(session, username="admin", roles="admin", program=program)
    started = today - timedelta(days=200)
    for supervisee in (peer, peer_scores, peer_completion):
        session.add(SupervisionAssignment(supervisor_id=supervisor.id, supervisee_id=supervisee.id,
                                          functions=frozenset({"administrative", "educational", "supportive"}),
                                          started_on=started))
        session.add(SupervisionAssignment(supervisor_id=admin_supervisor.id, supervisee_id=supervisee.id,
                                          functions=frozenset({"administrative"}), started_on=started))
    session.add(SupervisionAssignment(supervisor_id=other_supervisor.id, supervisee_id=other_peer.id,
                                      functions=frozenset({"educational", "supportive"}), started_on=started))
    session.add(SupervisionAssignment(supervisor_id=ended_supervisor.id, supervisee_id=peer_scores.id,
                                      functions=frozenset({"educational", "supportive"}), started_on=started,
                                      ended_on=today - timedelta(days=1)))
    session.commit()
    return World(program, team, other_team, peer, peer_scores, peer_completion, other_peer, supervisor,
                 admin_supervisor, other_supervisor, ended_supervisor, lead, admin, today)
