"""The PostgreSQL database a test worker reuses comes back to the template's state after every test: emptied in
place when the schema is unchanged, created afresh when a test changed it."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from db.migrate import alembic_config
from tests.conftest import NO_POSTGRES, TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(not TEST_DATABASE_URL, reason=NO_POSTGRES)


def _state(url) -> tuple[int, int, list, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return (connection.execute(text("SELECT count(*) FROM program")).scalar_one(),
                    connection.execute(text("SELECT count(*) FROM team")).scalar_one(),
                    [tuple(row) for row in connection.execute(text("SELECT * FROM databasestate"))],
                    connection.execute(text("SELECT nextval('program_id_seq')")).scalar_one())
    finally:
        engine.dispose()


def test_rows_written_and_held_open_are_emptied_in_place(_postgres_database):
    database = _postgres_database
    before = _state(database.url)
    engine = create_engine(database.url)
    held = engine.connect()
    held.execute(text("INSERT INTO program (name, is_demo, created_at) VALUES ('A', false, now())"))
    held.execute(text("INSERT INTO team (program_id, name, setting, created_at) SELECT id, 'T', 'jail', now() FROM program"))
    held.commit()
    held.execute(text("SELECT * FROM program FOR UPDATE"))
    assert database.reset() is True
    held.invalidate()
    engine.dispose()
    programs, teams, state, next_id = _state(database.url)
    assert (programs, teams, state) == (0, 0, before[2]) and next_id == 1


def test_a_changed_schema_brings_a_new_database_from_the_template(_postgres_database):
    database = _postgres_database
    engine = create_engine(database.url)
    command.downgrade(alembic_config(engine), "-1")
    engine.dispose()
    assert database.reset() is False
    assert database.reset() is True
