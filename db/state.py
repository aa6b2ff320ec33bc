"""The one row of database counters: the key registry generation and the data version.

Every write transaction increments `data_version` first, which also takes the
row's lock, so counters move in commit order on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from db.models import DatabaseState

STATE_ROW_ID = 1


class MissingStateRow(RuntimeError):
    """The database has no state row: it has not been migrated to the current schema."""


def begin_write(connection: Connection) -> int:
    """Count one more write transaction and lock the state row until it ends; the key generation."""
    generation = connection.execute(
        update(DatabaseState)
        .where(col(DatabaseState.id) == STATE_ROW_ID)
        .values(data_version=DatabaseState.data_version + 1)
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


def data_version(session: Session) -> int:
    """Changes with every committed write: the version pages cache results by."""
    return session.execute(select(col(DatabaseState.data_version)).where(col(DatabaseState.id) == STATE_ROW_ID)).scalar_one()
