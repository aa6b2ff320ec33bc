"""The one row of database counters: the key registry generation and the data version.

Every write transaction takes the row's lock before its first write, and increments `data_version` before
its first write to a table outside `OWNER_ONLY_TABLES`, so counters move in commit order on SQLite and
PostgreSQL alike, and only for writes a cached page result can depend on.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from db.models import OWNER_ONLY_TABLES, DatabaseState

STATE_ROW_ID = 1


class MissingStateRow(RuntimeError):
    """The database has no state row: it has not been migrated to the current schema."""


def begin_write(connection: Connection, *, counted: bool = True) -> int:
    """Lock the state row until the transaction ends and return the key generation; count one more write
    (move `data_version`) when `counted`."""
    generation = connection.execute(
        update(DatabaseState)
        .where(col(DatabaseState.id) == STATE_ROW_ID)
        .values(data_version=DatabaseState.data_version + (1 if counted else 0))
        .returning(col(DatabaseState.key_generation))
    ).scalar()
    if generation is None:
        raise MissingStateRow("the database has no state row")
    return generation


def lock_key_generation(connection: Connection, *, changed: bool = False) -> int:
    """Lock the state row until the transaction ends and return the key generation, one higher when
    `changed` (the key registry changed in this transaction)."""
    step = 1 if changed else 0
    generation = connection.execute(
        update(DatabaseState)
        .where(col(DatabaseState.id) == STATE_ROW_ID)
        .values(key_generation=DatabaseState.key_generation + step)
        .returning(col(DatabaseState.key_generation))
    ).scalar()
    if generation is None:
        raise MissingStateRow("the database has no state row")
    return generation


def counts_as_change(tables: Iterable[str]) -> bool:
    """Whether writing these tables can change what a cached page shows: any table outside
    `OWNER_ONLY_TABLES` (an unknown table counts)."""
    return any(name not in OWNER_ONLY_TABLES for name in tables)


def data_version(session: Session) -> int:
    """Changes with every committed write that can change what a page shows: the version pages cache results by."""
    return session.execute(select(col(DatabaseState.data_version)).where(col(DatabaseState.id) == STATE_ROW_ID)).scalar_one()
