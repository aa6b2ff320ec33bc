"""Months released by an earlier version get the topics added since: once, only the topics they have none of,
never touching a stored cell, safe for two upgraders at once, and without telling the leads again."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import command
from sqlalchemy import event, inspect
from sqlmodel import func, select

from console.program import release
from db.engine import session_scope
from db.migrate import alembic_config
from db.models import FigureRelease, OutboxMessage, Program, ReleasedFigure, Team, TeamMembership, table_of
from tests.console.program.conftest import release_together
from tests.console.program.test_program import OCTOBER, add_assessment, add_peers, overdose_peers

SEPTEMBER = date(2026, 9, 1)
LATER = ("week:", "coverage:", "quarter:")
"""Topics the tests pretend an earlier version did not release."""


def _world_released(session, world) -> None:
    peers = overdose_peers(world) + add_peers(session, world, world.team, 2, "extra")
    for peer, raw in zip(peers, (20, 30, 35, 44, 45), strict=True):
        add_assessment(session, peer, date(2026, 10, 8), burnout=raw)
        add_assessment(session, peer, date(2026, 9, 8), burnout=raw)
    assert release.release_due(session, on=world.today)


def _rows(session) -> dict[tuple, tuple]:
    session.expire_all()
    table = table_of(ReleasedFigure)
    return {(row.program_id, row.period_start, row.topic, row.group_key): tuple(row)
            for row in session.execute(sa.select(*table.c)).all()}


def _as_earlier_version(session, *, prefixes=LATER) -> None:
    """Take the topics of `prefixes` out of every released period and mark every month as released by version 1."""
    table = table_of(ReleasedFigure)
    session.execute(table.delete().where(sa.or_(*(table.c.topic.startswith(prefix) for prefix in prefixes))))
    session.execute(sa.update(table_of(FigureRelease)).values(version=1))
    session.commit()


def _notices(session) -> int:
    return session.exec(select(func.count()).select_from(OutboxMessage)
                        .where(OutboxMessage.kind == "figures_released")).one()


def test_an_upgrade_adds_exactly_the_missing_topics_and_leaves_every_stored_cell_as_it_was(session, world):
    _world_released(session, world)
    full = _rows(session)
    _as_earlier_version(session)
    kept = _rows(session)
    assert kept and set(kept) < set(full)
    notices = _notices(session)

    done = release.release_due(session, on=world.today)

    assert done and all(month.backfilled for month in done)
    after = _rows(session)
    assert set(after) == set(full), "exactly the missing topics are added"
    assert {key: after[key] for key in kept} == kept, "stored cells are untouched, ids included"
    assert {key[2] for key in set(after) - set(kept)} == {key[2] for key in full if key[2].startswith(LATER)}
    assert sum(month.cells for month in done) == len(after) - len(kept)
    assert _notices(session) == notices, "no lead is told of a backfill"
    versions = session.exec(select(FigureRelease.version)).all()
    assert set(versions) == {release.RELEASE_VERSION}

    assert release.release_due(session, on=world.today) == [], "a second upgrade stores nothing"
    assert _rows(session) == after


def test_an_upgrade_adds_no_cell_to_a_topic_the_month_has(session, world):
    """A team created after the release has no row in October's participation, and gets none from an upgrade:
    a topic's line is released whole or not at all."""
    _world_released(session, world)
    _as_earlier_version(session)
    newer = Team(program_id=world.program.id, name="Harm reduction")
    session.add(newer)
    session.commit()
    for peer in add_peers(session, world, newer, 5, "newer"):
        for membership in session.exec(select(TeamMembership).where(TeamMembership.user_id == peer.id)).all():
            membership.started_on = date(2026, 9, 1)
            session.add(membership)
        add_assessment(session, peer, date(2026, 10, 9), burnout=30)
    session.commit()
    kept = _rows(session)

    release.release_due(session, on=world.today)

    after = _rows(session)
    assert {key: after[key] for key in kept} == kept
    added = set(after) - set(kept)
    assert all(key[2].startswith(LATER) for key in added)
    assert f"team:{newer.id}" not in {key[3] for key in after if key[2] == release.PARTICIPATION}


def test_two_upgraders_at_once_upgrade_each_month_once(engine, session, world, monkeypatch):
    _world_released(session, world)
    full = _rows(session)
    _as_earlier_version(session)
    notices = _notices(session)
    upgraded = release_together(engine, monkeypatch, on=world.today, step="_upgrade_month")
    months = sorted(month.month for month in upgraded)
    assert months == sorted(set(months)), "no month is upgraded twice"
    assert len(months) == session.exec(select(func.count()).select_from(FigureRelease)).one()
    assert set(_rows(session)) == set(full)
    assert _notices(session) == notices


def test_a_first_read_upgrades_and_then_costs_one_query(engine, session, world):
    _world_released(session, world)
    _as_earlier_version(session, prefixes=("coverage:",))
    release.ensure_released(session, program_id=world.program.id, on=world.today)
    assert set(session.exec(select(FigureRelease.version)).all()) == {release.RELEASE_VERSION}
    assert any(key[2].startswith("coverage:") for key in _rows(session))

    statements: list[str] = []

    def seen(_connection, _cursor, statement, *_arguments) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        release.ensure_released(session, program_id=world.program.id, on=world.today)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len([statement for statement in statements if "figurerelease" in statement.lower()]) == 1
    assert not any("releasedfigure" in statement.lower() for statement in statements)


def test_read_released_takes_the_pool_of_the_first_topic_asked_for(session, world):
    """Topics of one month may pool differently after an upgrade; `pooled` follows the topic being read."""
    _world_released(session, world)
    table = table_of(ReleasedFigure)
    program_row = session.execute(sa.select(*table.c).where(
        table.c.period_start == OCTOBER, table.c.topic == release.EXPOSURES,
        table.c.group_key == release.PROGRAM_KEY)).one()._asdict()
    session.execute(table.delete().where(table.c.period_start == OCTOBER, table.c.topic == release.EXPOSURES,
                                         table.c.group_key == release.POOL_KEY))
    session.execute(table.insert().values({
        **{name: value for name, value in program_row.items() if name != "id"},
        "group_key": release.POOL_KEY, "group_label": "Smaller teams combined", "released": False,
        "reason": "test", "peers": None, "count_a": None, "team_ids": frozenset({str(world.other_team.id)})}))
    session.commit()
    participation_pool = release.read_released(
        session, program_id=world.program.id, months=[OCTOBER], topics=[release.PARTICIPATION], viewer=world.lead,
    ).pooled.get(OCTOBER, ())
    assert participation_pool != (world.other_team.id,)
    for topics, expected in (([release.EXPOSURES, release.PARTICIPATION], (world.other_team.id,)),
                             ([release.PARTICIPATION, release.EXPOSURES], participation_pool)):
        data = release.read_released(session, program_id=world.program.id, months=[OCTOBER], topics=topics,
                                     viewer=world.lead)
        assert data.pooled[OCTOBER] == expected
        assert data.pool_of(release.EXPOSURES, OCTOBER) == (world.other_team.id,)
        assert data.pool_of(release.PARTICIPATION, OCTOBER) == participation_pool


def test_the_migration_marks_earlier_releases_as_version_one_and_downgrades(engine):
    config = alembic_config(engine)
    command.downgrade(config, "0015")
    assert "version" not in {column["name"] for column in inspect(engine).get_columns("figurerelease")}
    with session_scope(engine) as session:
        program = Program(name="Upgraded program")
        session.add(program)
        session.commit()
        session.execute(sa.text("INSERT INTO figurerelease (program_id, period_start, released_at, k) "
                                "VALUES (:program, :month, :now, 5)"),
                        {"program": program.id, "month": SEPTEMBER, "now": "2026-10-01 00:00:00+00:00"})
        session.commit()
    command.upgrade(config, "head")
    with session_scope(engine) as session:
        assert session.exec(select(FigureRelease.version)).all() == [1]
    command.downgrade(config, "0015")
    assert "version" not in {column["name"] for column in inspect(engine).get_columns("figurerelease")}
    command.upgrade(config, "head")
