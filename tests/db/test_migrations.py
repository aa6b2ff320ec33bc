from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from db.engine import SQLITE_BUSY_TIMEOUT_MS, make_engine
from db.migrate import alembic_config, current_revision, head_revision, upgrade_to_head
from db.models import TeamMembership


def _schema_differences(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def test_migrated_schema_matches_the_models(engine):
    assert _schema_differences(engine) == []


def test_initialize_upgrades_to_head(engine):
    assert head_revision() is not None
    assert current_revision(engine) == head_revision()


def test_downgrade_to_base_and_upgrade_again(engine):
    config = alembic_config(engine)
    command.downgrade(config, "base")
    assert current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}

    command.upgrade(config, "head")
    assert current_revision(engine) == head_revision()
    assert set(SQLModel.metadata.tables) <= set(inspect(engine).get_table_names())
    assert _schema_differences(engine) == []


def test_upgrading_twice_changes_nothing(engine):
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()


def test_sqlite_engine_runs_in_wal_mode_with_foreign_keys_and_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'console.sqlite3'}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS
        assert SQLITE_BUSY_TIMEOUT_MS >= 1000
        assert (tmp_path / "nested" / "console.sqlite3").exists()
    finally:
        engine.dispose()


def test_foreign_keys_are_enforced(engine):
    with engine.connect() as connection:
        with pytest.raises(IntegrityError):
            connection.execute(
                TeamMembership.__table__.insert().values(user_id=987_654, team_id=987_654, started_on=date(2026, 1, 5))
            )
            connection.commit()


def test_write_migration_numbers_the_next_revision_after_head(tmp_path, monkeypatch):
    import shutil

    import db.migrate as migrate

    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", copy)
    migrate.head_revision.cache_clear()
    try:
        head = migrate.head_revision()
        written = migrate.write_migration("add nothing at all")
        assert written.parent == copy / "versions"
        assert written.name == f"{int(head) + 1:04d}_add_nothing_at_all.py"
        assert f"down_revision = '{head}'" in written.read_text()
    finally:
        migrate.head_revision.cache_clear()
