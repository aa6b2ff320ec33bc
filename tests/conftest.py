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
from sqlalchemy.exc import DBAPIError
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


_SCHEMA_FINGERPRINT = text("""
    SELECT md5(coalesce(string_agg(item, ',' ORDER BY item), '')) FROM (
        SELECT 'c' || c.oid || c.relname || c.relkind::text AS item FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
        UNION ALL SELECT 'a' || a.attrelid || ':' || a.attnum || a.attname || a.atttypid || a.attnotnull
                         || a.attisdropped || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE n.nspname = 'public' AND a.attnum > 0
        UNION ALL SELECT 'k' || o.oid FROM pg_constraint o
            JOIN pg_namespace n ON n.oid = o.connamespace WHERE n.nspname = 'public'
        UNION ALL SELECT 't' || t.oid FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
        UNION ALL SELECT 'p' || p.oid FROM pg_proc p
            JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
        UNION ALL SELECT 'v' || version_num FROM alembic_version
    ) AS schema_items
""")


@dataclass
class _PostgresWorkerDatabase:
    """One database per test worker, created from the migrated template and emptied after every test, which
    costs a fraction of creating and dropping a database per test. A test that changed the schema (a migration
    down and up again) leaves a different fingerprint, and the database is then created afresh."""

    template: URL
    url: URL
    fingerprint: str = ""
    seed: dict[str, list[dict]] | None = None

    def create(self) -> None:
        with self._server() as server:
            server.execute(text(f'DROP DATABASE IF EXISTS "{self.url.database}" WITH (FORCE)'))
            server.execute(text(f'CREATE DATABASE "{self.url.database}" TEMPLATE "{self.template.database}"'))
        with self._connect() as connection:
            self.fingerprint = connection.execute(_SCHEMA_FINGERPRINT).scalar_one()
            self.seed = {table: [dict(row._mapping) for row in connection.execute(text(f'SELECT * FROM "{table}"'))]
                         for table in self._tables(connection)}
            self.seed = {table: rows for table, rows in self.seed.items() if rows and table != "alembic_version"}

    def reset(self) -> bool:
        """Back to the template's state: every other connection closed, every table emptied (rows deleted with
        the foreign-key triggers off, quicker than TRUNCATE on small tables) and every sequence restarted, the
        rows the migrations write put back. False when the database had to be created afresh instead."""
        try:
            with self._connect() as connection:
                connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
                if connection.execute(_SCHEMA_FINGERPRINT).scalar_one() != self.fingerprint:
                    raise _SchemaChanged
                emptied = [table for table in self._tables(connection) if table != "alembic_version"]
                connection.execute(text("SET lock_timeout = '20s'"))
                connection.execute(text("SET session_replication_role = replica"))
                connection.execute(text("; ".join(f'DELETE FROM "{table}"' for table in emptied)))
                connection.execute(text("SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n "
                                        "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'S'"))
                for table, rows in (self.seed or {}).items():
                    columns = list(rows[0])
                    connection.execute(text(f'INSERT INTO "{table}" ({", ".join(columns)}) '
                                            f'VALUES ({", ".join(":" + column for column in columns)})'), rows)
            return True
        except (_SchemaChanged, DBAPIError):  # a changed schema, or a database left unusable: start afresh
            self.create()
            return False

    def drop(self) -> None:
        self.drop_copy(str(self.url.database))

    def save_copy(self, name: str) -> None:
        """Keep the database as it is now under `name` (every other connection to it is closed first)."""
        with self._server() as server:
            server.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            server.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": self.url.database})
            server.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.url.database}"'))

    def restore_copy(self, name: str) -> None:
        """The database replaced by the copy kept under `name`; emptied in place after the test as usual."""
        with self._server() as server:
            server.execute(text(f'DROP DATABASE IF EXISTS "{self.url.database}" WITH (FORCE)'))
            server.execute(text(f'CREATE DATABASE "{self.url.database}" TEMPLATE "{name}"'))

    def drop_copy(self, name: str) -> None:
        with self._server() as server:
            server.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    @staticmethod
    def _tables(connection) -> list[str]:
        return list(connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                            "ORDER BY tablename")).scalars())

    @contextmanager
    def _connect(self) -> Iterator:
        engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                yield connection
        finally:
            engine.dispose()

    @contextmanager
    def _server(self) -> Iterator:
        engine = create_engine(self.template.set(database="postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                yield connection
        finally:
            engine.dispose()


class _SchemaChanged(Exception):
    pass


@pytest.fixture(scope="session")
def _postgres_database(_postgres_template: URL) -> Iterator[_PostgresWorkerDatabase]:
    database = _PostgresWorkerDatabase(_postgres_template, _postgres_template.set(database=f"t_{uuid.uuid4().hex[:12]}"))
    database.create()
    try:
        yield database
    finally:
        database.drop()


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not TEST_DATABASE_URL, reason=NO_POSTGRES))]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of the test's own, already migrated to head and empty but for what the migrations write."""
    if request.param == "sqlite":
        database = tmp_path / "console.sqlite3"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), database)
        yield f"sqlite:///{database}"
        return
    worker_database: _PostgresWorkerDatabase = request.getfixturevalue("_postgres_database")
    try:
        yield worker_database.url.render_as_string(hide_password=False)
    finally:
        worker_database.reset()


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
