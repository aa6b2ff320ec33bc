"""Quarterly figures for trends: a group withheld in a month shows the quarter's figure, built from the distinct
peers of the quarter's three months and released once with the quarter's last month, under the same rule."""

from __future__ import annotations

import random
import statistics
from datetime import date, timedelta

import pytest
from sqlmodel import func, select

import scoring
from console.core.program_settings import write_settings
from console.program import release
from console.program.wellness_figures import TOTAL, program_overview, scale_trends
from db.models import ReleasedFigure, TeamMembership, User
from scoring import release as rule
from tests.console.program.conftest import three_team_program
from tests.console.program.test_program import (
    NO_DATA,
    SCALES,
    _oracle,
    add_assessment,
    add_peers,
    add_team,
)

JULY, AUGUST, SEPTEMBER = date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)


def test_quarters_are_calendar_quarters():
    assert release.quarter_of(date(2026, 8, 1)) == JULY
    assert release.quarter_of(date(2026, 12, 1)) == date(2026, 10, 1)
    assert [release.closes_quarter(date(2026, month, 1)) for month in (7, 8, 9)] == [False, False, True]


@pytest.fixture
def eight_peers(session, world):
    """8 peers in 3 teams (4, 2 and 2), k = 3. Each month two of Overdose response's four peers take a
    self-assessment, and everyone on the two small teams does."""
    overdose, reentry, court = three_team_program(session, world, overdose=4, reentry=2, third=("Court", 2), k=3)
    for month, who in ((JULY, (0, 1)), (AUGUST, (2, 3)), (SEPTEMBER, (0, 2))):
        for index in who:
            add_assessment(session, overdose[index], month + timedelta(days=4 + index), burnout=20 + 5 * index + month.month)
        for peer in reentry + court:
            add_assessment(session, peer, month + timedelta(days=10), burnout=30)
    return overdose, reentry, court


def test_an_eight_peer_program_sees_program_months_and_team_quarters_where_safe(session, world, eight_peers):
    overdose, _, _ = eight_peers
    trend = next(trend for trend in scale_trends(session, actor=world.lead, on=world.today, months=4)
                 if trend.scale == "burnout")
    figures = {(figure.team, figure.month): figure for figure in trend.figures}
    for month in (JULY, AUGUST, SEPTEMBER):
        program = figures[(TOTAL, month)]
        assert program.suppressed_reason is None and program.quarter is None and program.peers == 6
        team = figures[("Overdose response", month)]
        assert team.quarter == JULY, "two peers a month: the team is shown by its quarter"
        assert team.peers == 4
        assert team.median == statistics.median([20 + 0 + 9, 20 + 5 + 7, 20 + 10 + 9, 20 + 15 + 8])
        assert figures[("Court", month)].peers is None, "a team of two is never shown, not even by quarter"
    assert figures[("Overdose response", date(2026, 10, 1))].quarter is None, "October's quarter has not closed"
    overview = program_overview(session, actor=world.lead, on=world.today)
    assert ("Overdose response", rule.small_reason(3)) in overview.by_quarter
    assert all(group != "Court" for group, _ in overview.by_quarter)


def test_a_lead_who_supervises_part_of_a_team_sees_its_quarter_only_beyond_k_others(session, world, eight_peers):
    from db.models import SupervisionAssignment

    overdose, _, _ = eight_peers
    for peer in overdose[:2]:
        session.add(SupervisionAssignment(supervisor_id=world.lead.id, supervisee_id=peer.id,
                                          functions=frozenset({"supportive"}), started_on=date(2026, 5, 1)))
    session.commit()
    trend = next(trend for trend in scale_trends(session, actor=world.lead, on=world.today, months=4)
                 if trend.scale == "burnout")
    team = next(figure for figure in trend.figures if figure.team == "Overdose response" and figure.month == AUGUST)
    assert team.peers is None and team.quarter is None


def _quarter_rows(session, topic: str) -> dict[str, ReleasedFigure]:
    return {row.group_key: row for row in session.exec(
        select(ReleasedFigure).where(ReleasedFigure.period_start == JULY, ReleasedFigure.topic == topic)).all()}


def test_quarterly_release_is_stored_once_and_never_recomputed(session, world, eight_peers):
    overdose, _, _ = eight_peers
    release.release_due(session, on=world.today)
    stored = session.exec(select(func.count()).select_from(ReleasedFigure)
                          .where(ReleasedFigure.topic == "quarter:scale:burnout")).one()
    assert stored > 0
    before = {key: (row.released, row.peers, row.median) for key, row in
              _quarter_rows(session, "quarter:scale:burnout").items()}
    add_assessment(session, overdose[3], date(2026, 9, 20), burnout=49)
    assert release.release_due(session, on=world.today) == []
    session.expire_all()
    assert {key: (row.released, row.peers, row.median) for key, row in
            _quarter_rows(session, "quarter:scale:burnout").items()} == before
    assert session.exec(select(func.count()).select_from(ReleasedFigure)
                        .where(ReleasedFigure.topic == "quarter:scale:burnout")).one() == stored


@pytest.mark.parametrize("seed", [3, 17, 40])
def test_stored_quarterly_figures_equal_the_rule_applied_to_raw_data(session, world, seed):
    rng = random.Random(seed)
    k = rng.choice((3, 5))
    write_settings(session, actor=world.admin, changes={"anonymity_k": k}, on=world.today)
    teams = [world.team, world.other_team] + [add_team(session, world, f"Team {n}") for n in range(rng.randint(1, 3))]
    for team in teams:
        add_peers(session, world, team, rng.choice((0, 1, 2, 4, 6)), f"random_{team.id}")
    instrument = scoring.load_instrument("proqol-style-30")
    memberships = session.exec(select(TeamMembership)).all()
    peers = {user.id: user for user in session.exec(select(User)).all() if "peer" in user.roles}
    members: dict[int, list[int]] = {team.id: [] for team in teams}
    for peer_id in sorted(peers):
        placed = [row.team_id for row in memberships if row.user_id == peer_id]
        if placed:
            members[min(placed)].append(peer_id)
    latest: dict[int, dict[str, float]] = {}
    for month in (JULY, AUGUST, SEPTEMBER):
        for peer_id in sorted(peers):
            if rng.random() < 0.6 or not any(peer_id in group for group in members.values()):
                continue
            scores = {scale: rng.choice((rng.randint(10, 50), 42, 22, round(rng.uniform(10, 50), 1)))
                      for scale in SCALES}
            add_assessment(session, peers[peer_id], month + timedelta(days=rng.randint(2, 20)), **scores)
            latest[peer_id] = scores
    release.release_due(session, on=world.today)
    checked = 0
    for scale in SCALES:
        stored = _quarter_rows(session, release.quarter_topic(scale))
        for key, (reason, peers_in, stats, high) in _oracle(members, latest, scale=scale, k=k,
                                                            instrument=instrument).items():
            row = stored.get(key)
            if row is None:
                assert key == "pool"
                continue
            checked += 1
            if reason == NO_DATA:
                assert row.released and not row.peers
                continue
            assert row.reason == reason
            assert row.peers == peers_in
            if stats is not None:
                assert (row.median, row.q1, row.q3) == pytest.approx(stats)
                assert (row.a_low, row.a_high) == (high.low, high.high)
    assert checked


def test_an_action_plan_never_judges_movement_from_a_quarters_figure(session, world, eight_peers):
    from console.program.action_plans import scale_movement

    trend = next(trend for trend in scale_trends(session, actor=world.lead, on=world.today, months=4)
                 if trend.scale == "burnout")
    movement = scale_movement(scale=scoring.load_instrument("proqol-style-30").scales["burnout"],
                              team="Overdose response", trend=trend, created_on=date(2026, 8, 20))
    assert movement.direction == "not enough data"
