"""Releasing lead figures: once per closed month, idempotent under concurrent releasers, read for each viewer
without their own data or their supervisees' counting toward k, and announced to leads without figures."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlmodel import func, select

from console.core.program_settings import read_settings, write_settings
from console.program import release
from console.program.wellness_figures import program_overview, scale_trends
from db.models import FigureRelease, OutboxMessage, ReleasedFigure, SupervisionAssignment, TeamMembership
from scoring import release as rule
from tests.conftest import add_user, clock_on
from tests.console.program.conftest import release_together
from tests.console.program.test_program import OCTOBER, add_assessment, add_peers, figure, overdose_peers


def _five_in_overdose(session, world) -> list:
    peers = overdose_peers(world) + add_peers(session, world, world.team, 2, "extra")
    for peer, raw in zip(peers, (20, 30, 35, 44, 45), strict=True):
        add_assessment(session, peer, date(2026, 10, 8), burnout=raw)
    return peers


def _counts(session) -> tuple[int, int, int]:
    session.expire_all()
    releases = session.exec(select(func.count()).select_from(FigureRelease)).one()
    figures = session.exec(select(func.count()).select_from(ReleasedFigure)).one()
    distinct = session.exec(select(func.count()).select_from(
        select(ReleasedFigure.program_id, ReleasedFigure.period_start, ReleasedFigure.topic,
               ReleasedFigure.group_key).distinct().subquery())).one()
    return releases, figures, distinct


def test_closed_months_from_the_first_membership_at_most_36():
    assert release.closed_months(date(2026, 11, 24), since=date(2026, 9, 15)) == [date(2026, 9, 1), date(2026, 10, 1)]
    assert release.closed_months(date(2026, 11, 1), since=date(2026, 11, 1)) == []
    assert len(release.closed_months(date(2026, 11, 24), since=None)) == release.MAX_MONTHS


def test_release_is_idempotent_and_never_recomputes(session, world):
    _five_in_overdose(session, world)
    done = release.release_due(session, on=world.today)
    assert [month.month for month in done][-1] == OCTOBER
    once = _counts(session)
    assert once[0] == len(done) and once[1] == once[2]
    assert release.release_due(session, on=world.today) == []
    assert _counts(session) == once
    october = session.exec(select(ReleasedFigure).where(ReleasedFigure.period_start == OCTOBER,
                                                        ReleasedFigure.topic == "scale:burnout",
                                                        ReleasedFigure.group_key == f"team:{world.team.id}")).one()
    assert (october.released, october.peers, october.median) == (True, 5, 35)


def test_a_month_of_more_cells_than_one_statement_carries_is_stored_whole(session, world, monkeypatch):
    """A program of hundreds of teams releases tens of thousands of cells a month, more than one PostgreSQL
    statement may carry: they are written in parts, all of them."""
    _five_in_overdose(session, world)
    monkeypatch.setattr(release, "ROWS_PER_INSERT", 7)
    months = [done.month for done in release.release_due(session, on=world.today)]
    whole = [(row["period_start"], row["topic"], row["group_key"]) for month in months
             for row in release.month_rows(session, program_id=world.program.id, month=month,
                                           settings=read_settings(session))]
    stored = session.exec(select(ReleasedFigure.period_start, ReleasedFigure.topic, ReleasedFigure.group_key)).all()
    assert len(whole) > 7 and sorted(stored) == sorted(set(whole))


def test_two_releasers_at_once_release_each_month_once(engine, session, world, monkeypatch):
    _five_in_overdose(session, world)
    released = release_together(engine, monkeypatch, on=world.today)
    months = sorted(month.month for month in released)
    assert months == sorted(set(months)), "no month is released twice"
    releases, figures, distinct = _counts(session)
    assert releases == len(months) and figures == distinct
    assert session.exec(select(func.count()).select_from(OutboxMessage)
                        .where(OutboxMessage.kind == "figures_released")).one() == len(months)


def test_a_lead_who_is_also_a_peer_does_not_count_toward_k_for_themselves(session, world):
    peer_lead = add_user(session, username="peer_lead", roles={"peer", "lead"}, program=world.program, team=world.team)
    session.commit()
    peers = overdose_peers(world) + add_peers(session, world, world.team, 1, "extra") + [peer_lead]
    for peer, raw in zip(peers, (20, 30, 35, 44, 45), strict=True):
        add_assessment(session, peer, date(2026, 10, 8), burnout=raw)
    general = program_overview(session, actor=world.lead, on=world.today)
    assert figure(general, "Overdose response").peers == 5
    mine = program_overview(session, actor=peer_lead, on=world.today)
    assert figure(mine, "Overdose response").suppressed_reason == rule.VIEWER_REASON


def test_a_lead_who_supervises_part_of_a_team_sees_less_of_it(session, world):
    _five_in_overdose(session, world)
    supervising_lead = add_user(session, username="supervising_lead", roles={"lead", "supervisor"}, program=world.program)
    for peer in overdose_peers(world)[:1]:
        session.add(SupervisionAssignment(supervisor_id=supervising_lead.id, supervisee_id=peer.id,
                                          functions=frozenset({"supportive"}), started_on=date(2026, 1, 5)))
    session.commit()
    general = program_overview(session, actor=world.lead, on=world.today)
    assert figure(general, "Overdose response").peers == 5
    mine = program_overview(session, actor=supervising_lead, on=world.today)
    assert figure(mine, "Overdose response").suppressed_reason == rule.VIEWER_REASON
    assert figure(mine, "Overdose response").median is None


def test_a_release_tells_each_lead_by_email_with_counts_only(session, world):
    _five_in_overdose(session, world)
    write_settings(session, actor=world.admin, changes={"anonymity_k": 3}, on=world.today)
    release.release_due(session, on=world.today)
    messages = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "figures_released")).all()
    assert messages and {message.recipient_id for message in messages} == {world.lead.id}
    october = next(message for message in messages if message.params["month"] == "2026-10-01")
    assert set(october.params) == {"month", "released", "cells"}


def test_a_team_that_closes_its_membership_keeps_its_released_month(session, world):
    _five_in_overdose(session, world)
    before = program_overview(session, actor=world.lead, on=world.today)
    for membership in session.exec(select(TeamMembership).where(TeamMembership.team_id == world.team.id)).all():
        membership.ended_on = date(2026, 11, 2)
        session.add(membership)
    session.commit()
    assert program_overview(session, actor=world.lead, on=world.today).trends == before.trends


def _cells(overview_or_trends) -> dict:
    trends = overview_or_trends.trends if hasattr(overview_or_trends, "trends") else overview_or_trends
    return {(trend.scale, figure.team, figure.month): figure for trend in trends for figure in trend.figures}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_views_of_the_same_month_never_differ(session, world, seed):
    """Pairs of views — two dates, two scopes, the page and the downloads, a viewer who is also a peer — show the
    same released cell or withhold it: nothing is recomputed, so nothing can be subtracted across views."""
    rng = random.Random(seed)
    write_settings(session, actor=world.admin, changes={"anonymity_k": rng.choice((3, 4, 5))}, on=world.today)
    peer_lead = add_user(session, username="peer_lead", roles={"peer", "lead"}, program=world.program, team=world.team)
    team_lead = add_user(session, username="team_lead", roles="lead", program=world.program, team=world.other_team)
    session.commit()
    peers = [*overdose_peers(world), world.other_peer, peer_lead]
    peers += add_peers(session, world, world.team, rng.randint(0, 4), "more")
    peers += add_peers(session, world, world.other_team, rng.randint(0, 5), "other")
    for month in (date(2026, 9, 1), OCTOBER):
        for peer in peers:
            if rng.random() < 0.8:
                add_assessment(session, peer, month + timedelta(days=rng.randint(1, 25)),
                               burnout=rng.choice((20, 30, 42, 45, 33)))
    views = {"november": scale_trends(session, actor=world.lead, on=world.today)}
    for peer in peers[:3]:
        add_assessment(session, peer, date(2026, 11, 3), burnout=49)
    with clock_on(date(2026, 12, 2)):
        views["december"] = scale_trends(session, actor=world.lead, on=date(2026, 12, 2))
    views["page"] = program_overview(session, actor=world.lead, on=world.today)
    views["team lead"] = scale_trends(session, actor=team_lead, on=world.today)
    views["one scale"] = scale_trends(session, actor=world.lead, on=world.today, scales=("burnout",))
    assert [trend.scale for trend in views["one scale"]] == ["burnout"]
    mine = _cells(scale_trends(session, actor=peer_lead, on=world.today))
    general = _cells(views["november"])
    for name, view in views.items():
        for key, cell in _cells(view).items():
            if key in general and key[2] <= OCTOBER:
                assert cell == general[key], f"{name} differs from the first view at {key}"
    for key, cell in mine.items():
        if cell.suppressed_reason is None:
            assert general[key].suppressed_reason is None
            assert (cell.median, cell.peers) == (general[key].median, general[key].peers)
            assert cell.high.low <= general[key].high.low and cell.high.high >= general[key].high.high


def test_a_program_that_turned_the_email_off_gets_none(session, world):
    _five_in_overdose(session, world)
    write_settings(session, actor=world.admin, changes={"notifications_off": "figures_released"}, on=world.today)
    assert release.release_due(session, on=world.today)
    assert session.exec(select(func.count()).select_from(OutboxMessage)
                        .where(OutboxMessage.kind == "figures_released")).one() == 0
