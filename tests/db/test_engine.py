"""The SQLite database, its -wal/-shm files and its folder are private from the first byte."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from console.core.runtime import initialize
from console.core.settings import Settings
from db.engine import make_engine


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask, so only the console's own care keeps the files private."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def test_new_database_folder_and_files_are_private(tmp_path, open_umask):
    database = tmp_path / "data" / "console.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    try:
        assert _mode(database.parent) == 0o700
        assert _mode(database) == 0o600
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE note (body TEXT)"))
            connection.execute(text("INSERT INTO note VALUES ('private')"))
        with engine.connect() as connection:
            assert connection.execute(text("SELECT body FROM note")).scalar() == "private"
            for suffix in ("-wal", "-shm"):
                companion = database.with_name(database.name + suffix)
                assert companion.exists(), suffix
                assert _mode(companion) == 0o600, suffix
    finally:
        engine.dispose()


def test_existing_database_files_readable_by_others_are_made_private(tmp_path, open_umask):
    database = tmp_path / "console.sqlite3"
    make_engine(f"sqlite:///{database}").dispose()
    for path in (database, database.with_name(database.name + "-wal")):
        path.touch()
        os.chmod(path, 0o644)
    make_engine(f"sqlite:///{database}").dispose()
    assert _mode(database) == 0o600
    assert _mode(database.with_name(database.name + "-wal")) == 0o600


def test_an_existing_folder_is_left_as_it_is(tmp_path, open_umask):
    os.chmod(tmp_path, 0o755)
    make_engine(f"sqlite:///{tmp_path / 'console.sqlite3'}").dispose()
    assert _mode(tmp_path) == 0o755


def test_the_default_layout_keeps_the_key_and_the_database_in_one_private_folder(tmp_path, open_umask):
    data = tmp_path / "data"
    settings = Settings(database_url=f"sqlite:///{data / 'console.sqlite3'}", key_file=data / "console.key",
                        secret_key=None, session_minutes=30, demo_mode="auto")
    initialize(settings).engine.dispose()
    assert _mode(data) == 0o700
    assert _mode(data / "console.key") == 0o600
    assert _mode(data / "console.sqlite3") == 0o600
