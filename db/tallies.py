"""Upkeep of `ExposureTally`: the counts lead figures read instead of anyone's checklist."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, or_

from db.models import ExposureTally, TeamMembership, table_of
from db.queries import next_month

tally = table_of(ExposureTally)


def month_of(week_start: date) -> date:
    """The month a check-in week counts in: the month its Monday falls in."""
    return week_start.replace(day=1)


def tally_team(session: Session, *, peer_id: int, month: date) -> int | None:
    """The team a peer's check-ins count in for `month`: the lowest-numbered team they belong to during it,
    as the lead queries place peers (`queries.month_placement`), or None when they belong to none."""
    return session.execute(
        select(func.min(TeamMembership.team_id)).where(
            col(TeamMembership.user_id) == peer_id,
            col(TeamMembership.started_on) < next_month(month),
            or_(col(TeamMembership.ended_on).is_(None), col(TeamMembership.ended_on) >= month),
        )
    ).scalar_one()


def adjust(session: Session, *, team_id: int | None, month: date, codes: Collection[str], by: int) -> None:
    """Add `by` (1 or -1) to the count of each code, atomically in the database, in the caller's transaction."""
    if team_id is None or not codes:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    for code in sorted(set(codes)):
        statement = insert(tally).values(team_id=team_id, month=month, code=code, count=by)
        session.execute(statement.on_conflict_do_update(
            index_elements=[tally.c.team_id, tally.c.month, tally.c.code],
            set_={"count": tally.c.count + by},
        ))
