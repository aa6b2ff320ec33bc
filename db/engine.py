"""Engines and sessions for SQLite (embedded) and PostgreSQL (shared)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_MS = 10_000
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIRECTORY_MODE = 0o700
SQLITE_COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(url: str) -> Engine:
    database_file = sqlite_file(url)
    if database_file is not None:
        create_private_database_file(database_file)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def create_private_folder(path: Path) -> None:
    """Create a missing folder readable by its owner only; an existing folder is left as it is."""
    if not path.exists():
        path.mkdir(parents=True, mode=PRIVATE_DIRECTORY_MODE)
        os.chmod(path, PRIVATE_DIRECTORY_MODE)


def create_private_database_file(path: Path) -> None:
    """Create the SQLite file (and a missing folder) readable by the owner only, before any data is written.

    SQLite gives its -wal, -shm and journal files the database file's mode, so they are private too.
    Files of an existing installation that are readable by others are made private as well.
    """
    create_private_folder(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        pass
    for candidate in [path, *(path.with_name(path.name + suffix) for suffix in SQLITE_COMPANION_SUFFIXES)]:
        try:
            status = candidate.stat()
        except FileNotFoundError:
            continue
        if status.st_uid == os.getuid() and status.st_mode & 0o077:
            os.chmod(candidate, PRIVATE_FILE_MODE)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose objects stay readable after the service commits; rolled back on error."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
