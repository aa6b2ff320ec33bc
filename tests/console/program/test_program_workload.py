"""Workload and supervision coverage for program leads: operational data and session metadata."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import col

from console.core.errors import PermissionDenied, ValidationError
from console.core.program_settings import write_settings
from console.program.coverage_figures import TOTAL, supervision_coverage
from console.program.workload_figures import workload
from db.models import SupervisionAssignment
from scoring.release import POOLED_REASON, VIEWER_REASON, Count
from tests.conftest import add_user
from tests.console.program.conftest import three_team_program
from tests.console.program.test_program import add_peers, add_pulse, add_session, add_team, overdose_peers


def test_only_a_lead_sees_workload_and_supervision_coverage(session, world):
    for actor in (world.peer, world.supervisor, world.admin):
        with pytest.raises(PermissionDenied):
            workload(session, actor=actor, on=world.today)
        with pytest.raises(PermissionDenied):
            supervision_coverage(session, actor=actor, on=world.today)


def test_bad_number_of_weeks_is_refused(session, world):
    with pytest.raises(ValidationError, match="from 4 to 104 weeks"):
        workload(session, actor=world.lead, on=world.today, weeks=2)


LATEST_WEEK = date(2026, 10, 19)
"""today is 2026-11-24: the latest closed month is October, whose last week ending in it starts on 19 October."""


def _workload_program(session, world):
    """Overdose response with 8 peers, Reentry with 7, a team of 2; k = 3. Four overdose peers report in the week
    of 19 October, two in the week before; three Reentry peers report in the week of 19 October."""
    overdose, reentry, small = _big_program(session, world)
    reports = [(28, 40, 1, 3), (34, 44, 3, 0), (18, 42, 2, 2), (31, 38, 0, 0)]
    for peer, (caseload, hours, callouts, outside) in zip(overdose, reports, strict=False):
        add_pulse(session, peer, LATEST_WEEK, caseload=caseload, hours=hours, callouts=callouts, outside=outside)
    for peer in overdose[:2]:
        add_pulse(session, peer, LATEST_WEEK - timedelta(weeks=1), caseload=20, hours=30)
    for peer in reentry[:3]:
        add_pulse(session, peer, LATEST_WEEK, caseload=25, hours=35)
    return overdose, reentry, small


def test_weekly_workload_is_read_from_the_closed_weeks_as_released(session, world):
    import statistics

    _workload_program(session, world)
    result = workload(session, actor=world.lead, on=world.today)
    assert result.latest_week == LATEST_WEEK
    assert result.released_weeks[-4:] == (date(2026, 9, 28), date(2026, 10, 5), date(2026, 10, 12), LATEST_WEEK)
    overdose = next(row for row in result.teams if row.team == "Overdose response")
    q1, median, q3 = statistics.quantiles([18, 28, 31, 34], n=4, method="inclusive")
    assert (overdose.peers, overdose.checked_in) == (8, Count(4, 4))
    assert (overdose.median_caseload, overdose.caseload_q1, overdose.caseload_q3) == (median, q1, q3)
    assert overdose.above_range == Count(2, 2) and result.above_range == Count(2, 2)
    assert (overdose.median_hours, overdose.callouts, overdose.hours_outside_role) == (41, 6, 5)
    assert overdose.peers_outside_role == Count(2, 2)
    earlier = next(row for row in result.weeks if row.team == "Overdose response"
                   and row.week == LATEST_WEEK - timedelta(weeks=1))
    assert earlier.median_caseload is None and earlier.suppressed_reason == "fewer than 3 peers"
    assert {row.team for row in result.teams} == {"Overdose response", "Reentry", "Small", "Smaller teams combined",
                                                  "All teams"}
    assert next(row for row in result.teams if row.team == "Small").suppressed_reason == POOLED_REASON
    assert all(row.week <= LATEST_WEEK for row in result.weeks), "a week still open is never shown"


def test_a_released_week_never_changes_when_late_check_ins_arrive(session, world):
    overdose, _, _ = _workload_program(session, world)
    first = workload(session, actor=world.lead, on=world.today)
    for peer in overdose[4:]:
        add_pulse(session, peer, LATEST_WEEK, caseload=60, hours=70, callouts=9, outside=20)
    add_pulse(session, overdose[2], LATEST_WEEK - timedelta(weeks=1), caseload=90)
    assert workload(session, actor=world.lead, on=world.today) == first


def test_the_week_release_is_idempotent_and_under_the_months_marker(session, world):
    from sqlmodel import func, select

    from console.program import release
    from db.models import ReleasedFigure

    _workload_program(session, world)
    assert release.release_due(session, on=world.today)
    count = session.exec(select(func.count()).select_from(ReleasedFigure)
                         .where(col(ReleasedFigure.topic).in_(release.WEEK_TOPICS))).one()
    assert count > 0
    assert release.release_due(session, on=world.today) == []
    assert session.exec(select(func.count()).select_from(ReleasedFigure)
                        .where(col(ReleasedFigure.topic).in_(release.WEEK_TOPICS))).one() == count
    weeks = set(session.exec(select(ReleasedFigure.period_start)
                             .where(ReleasedFigure.topic == release.WEEK_CASELOAD)).all())
    assert all(week.weekday() == 0 and (week + timedelta(days=6)) < date(2026, 11, 1) for week in weeks)
    assert date(2026, 10, 26) not in weeks, "the week ending on 1 November is released with November"


@pytest.mark.parametrize("seed", [3, 8, 21])
def test_stored_weekly_caseloads_equal_the_rule_applied_to_raw_check_ins(session, world, seed):
    import random
    import statistics

    from sqlmodel import select

    from console.program import release
    from db.models import ReleasedFigure, TeamMembership, User
    from scoring import release as rule

    rng = random.Random(seed)
    k = rng.choice((3, 5))
    write_settings(session, actor=world.admin, changes={"anonymity_k": k}, on=world.today)
    teams = [world.team, world.other_team] + [add_team(session, world, f"Team {n}") for n in range(rng.randint(1, 3))]
    for team in teams:
        add_peers(session, world, team, rng.choice((0, 1, 2, 4, 6)), f"random_{team.id}")
    memberships = session.exec(select(TeamMembership)).all()
    peers = {user.id: user for user in session.exec(select(User)).all() if "peer" in user.roles}
    members: dict[str, list[int]] = {f"team:{team.id}": [] for team in teams}
    for peer_id in sorted(peers):
        placed = [row.team_id for row in memberships if row.user_id == peer_id]
        if placed:
            members[f"team:{min(placed)}"].append(peer_id)
    caseloads: dict[int, int] = {}
    for peer_id in sorted(peers):
        if rng.random() < 0.7:
            caseloads[peer_id] = rng.randint(10, 40)
            add_pulse(session, peers[peer_id], LATEST_WEEK, caseload=caseloads[peer_id])
    release.release_due(session, on=world.today)
    stored = {row.group_key: row for row in session.exec(
        select(ReleasedFigure).where(ReleasedFigure.period_start == LATEST_WEEK,
                                     ReleasedFigure.topic == release.WEEK_CASELOAD)).all()}
    pooled = rule.pool_teams({key: len(ids) for key, ids in members.items()}, k=k)
    high = 30

    def part(key: str, ids: list[int]) -> rule.Part:
        values = [caseloads[peer] for peer in ids if peer in caseloads]
        return rule.Part(key, len(values), (sum(value > high for value in values),))

    everyone = [peer for ids in members.values() for peer in ids]
    pool_ids = [peer for key in pooled for peer in members[key]]
    expected = rule.release_groups([part(key, ids) for key, ids in members.items()], program=part("program", everyone),
                                   pool=part("pool", pool_ids) if pooled else None, pooled=pooled, k=k)
    assert set(stored) == set(expected)
    for key, shown in expected.items():
        row = stored[key]
        assert (row.released, row.reason) == (shown.released, shown.reason)
        if shown.released and shown.peers:
            ids = everyone if key == "program" else pool_ids if key == "pool" else members[key]
            values = sorted(caseloads[peer] for peer in ids if peer in caseloads)
            quartiles = (statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1
                         else [values[0]] * 3)
            assert (row.q1, row.median, row.q3) == tuple(float(value) for value in quartiles)
            assert (row.a_low, row.a_high) == (shown.counts[0].low, shown.counts[0].high)


def test_a_lead_who_supervises_a_peer_of_a_team_does_not_count_them_toward_k(session, world):
    overdose, _, _ = _workload_program(session, world)
    session.add(SupervisionAssignment(supervisor_id=world.lead.id, supervisee_id=overdose[0].id,
                                      functions=frozenset({"supportive"}), started_on=world.today - timedelta(days=90)))
    session.commit()
    write_settings(session, actor=world.admin, changes={"anonymity_k": 4}, on=world.today)
    result = workload(session, actor=world.lead, on=world.today)
    row = next(team for team in result.teams if team.team == "Overdose response")
    assert row.median_caseload is None and row.suppressed_reason


def test_workload_names_nobody_and_holds_no_wellness_data(session, world):
    add_pulse(session, world.other_peer, LATEST_WEEK, caseload=25, exposures=("overdose_scene",))
    result = workload(session, actor=world.lead, on=world.today)
    assert all(row.median_caseload is None for row in result.weeks)
    assert "Other Peer" not in repr(result)
    assert "strain" not in repr(result) and "exposure" not in repr(result)


def test_a_lead_assigned_to_a_team_sees_only_that_team(session, world):
    _workload_program(session, world)
    team_lead = add_user(session, username="team_lead", roles="lead", program=world.program, team=world.other_team)
    session.commit()
    assert {row.team for row in workload(session, actor=team_lead, on=world.today).weeks} == {
        "Reentry", "Smaller teams combined"}


def _big_program(session, world):
    """Overdose response with 8 peers, Reentry with 7, a small team of 2; k = 3."""
    return three_team_program(session, world, overdose=8, reentry=7, third=("Small", 2), k=3,
                              prefixes=("more_overdose", "more_reentry"))


def test_supervision_coverage_is_released_under_the_rule_with_small_teams_pooled(session, world):
    overdose, reentry, small = _big_program(session, world)
    for peer in overdose[:5]:
        add_session(session, world.supervisor, [peer], date(2026, 10, 21), minutes=(10, 0, 20))
    add_session(session, world.other_supervisor, reentry[:4], date(2026, 10, 19), kind="group",
                minutes=(0, 30, 30))
    add_session(session, world.other_supervisor, small, date(2026, 10, 19), kind="group",
                minutes=(0, 20, 20))
    add_session(session, world.supervisor, overdose[5:], world.today - timedelta(days=3), minutes=(10, 0, 20))
    coverage = supervision_coverage(session, actor=world.lead, on=world.today)
    teams = {team.team: team for team in coverage.teams}
    assert (teams["Overdose response"].peers, teams["Overdose response"].supervised) == (8, Count(5, 5))
    assert teams["Overdose response"].without_supportive == Count(3, 3)
    assert (teams["Overdose response"].individual_sessions, teams["Overdose response"].group_sessions) == (5, 0)
    assert teams["Overdose response"].minutes == {"administrative": 50, "educational": 0, "supportive": 100}
    assert coverage.pooled == ("Reentry", "Small"), "the small team, then the smallest other team until k"
    assert teams["Small"].reason == POOLED_REASON and teams["Small"].supervised is None
    pool = teams["Smaller teams combined"]
    assert (pool.peers, pool.supervised, pool.group_sessions) == (9, Count(6, 6), 2)
    assert pool.minutes == {"administrative": 0, "educational": 50, "supportive": 50}
    assert coverage.total is not None and coverage.total.peers == 17
    assert coverage.latest_month == date(2026, 10, 1), "November's sessions are not released while it runs"
    loads = {load.supervisor: load for load in coverage.supervisors}
    assert (loads["Supervisor"].sessions, loads["Supervisor"].minutes) == (5, 150)
    assert (loads["Other Supervisor"].peers, loads["Other Supervisor"].group_sessions) == (6, 2)


def test_a_lead_who_supervises_peers_does_not_count_them_toward_k_for_coverage(session, world):
    overdose, _, _ = _big_program(session, world)
    for peer in overdose[:5]:
        add_session(session, world.supervisor, [peer], date(2026, 10, 21), minutes=(10, 0, 20))
    for peer in overdose[:6]:
        session.add(SupervisionAssignment(supervisor_id=world.lead.id, supervisee_id=peer.id,
                                          functions=frozenset({"supportive"}),
                                          started_on=world.today - timedelta(days=90)))
    session.commit()
    coverage = supervision_coverage(session, actor=world.lead, on=world.today)
    team = next(team for team in coverage.teams if team.team == "Overdose response")
    assert (team.supervised, team.reason) == (None, VIEWER_REASON)
    assert next(load for load in coverage.supervisors if load.supervisor == "Supervisor").reason == VIEWER_REASON


def test_sessions_by_kind_per_closed_month_as_released(session, world):
    write_settings(session, actor=world.admin, changes={"anonymity_k": 3}, on=world.today)
    peers = [*overdose_peers(world), *add_peers(session, world, world.team, 3, "monthly")]
    for peer in peers[:3]:
        add_session(session, world.supervisor, [peer], date(2026, 10, 6))
        add_session(session, world.supervisor, [peer], date(2026, 9, 30))
    add_session(session, world.supervisor, peers[3:], date(2026, 10, 8), kind="group")
    add_session(session, world.supervisor, [world.peer], date(2026, 8, 3))
    add_session(session, world.supervisor, [world.peer], world.today - timedelta(days=1))
    coverage = supervision_coverage(session, actor=world.lead, on=world.today)
    cells = {(row.month, row.kind): row for row in coverage.month_cells if row.team == TOTAL}
    assert {key: row.sessions for key, row in cells.items() if row.sessions} == {
        (date(2026, 10, 1), "individual"): 3, (date(2026, 10, 1), "group"): 1, (date(2026, 9, 1), "individual"): 3}
    assert cells[(date(2026, 8, 1), "individual")].reason == "fewer than 3 peers"
    assert (date(2026, 11, 1), "individual") not in cells, "a month still open is never shown"
    session.add(SupervisionAssignment(supervisor_id=world.lead.id, supervisee_id=world.peer.id,
                                      functions=frozenset({"supportive"}), started_on=date(2026, 5, 1)))
    session.commit()
    cells = {(row.month, row.kind): row for row in
             supervision_coverage(session, actor=world.lead, on=world.today).month_cells if row.team == TOTAL}
    assert cells[(date(2026, 10, 1), "individual")].reason == VIEWER_REASON


def test_a_closed_months_coverage_is_released_once_and_never_changes(session, world):
    overdose = [*overdose_peers(world), *add_peers(session, world, world.team, 3, "released_overdose")]
    add_peers(session, world, world.other_team, 5, "released_reentry")
    for peer in overdose[:4]:
        add_session(session, world.supervisor, [peer], date(2026, 10, 12), minutes=(20, 0, 0))
    add_session(session, world.supervisor, [overdose[0]], date(2026, 10, 20), minutes=(0, 0, 30))
    coverage = supervision_coverage(session, actor=world.lead, on=world.today)
    assert coverage.latest_month == date(2026, 10, 1)
    rows = {row.team: row for row in coverage.teams}
    assert (rows["Overdose response"].peers, rows["Overdose response"].supervised,
            rows["Overdose response"].without_supportive) == (6, Count(4, 4), Count(5, 5))
    assert rows["Reentry"].supervised == Count(0, 1), "none of a team is shown as a range"
    add_session(session, world.supervisor, overdose[4:], date(2026, 10, 25), kind="group", minutes=(0, 0, 30))
    assert supervision_coverage(session, actor=world.lead, on=world.today) == coverage, "never changes"


@pytest.mark.parametrize("seed", [2, 9, 31])
def test_stored_monthly_coverage_equals_the_rule_applied_to_raw_sessions(session, world, seed):
    import random

    from sqlmodel import select

    from console.program import release
    from db.models import ReleasedFigure, TeamMembership, User
    from scoring import release as rule

    rng = random.Random(seed)
    k = rng.choice((3, 5))
    write_settings(session, actor=world.admin, changes={"anonymity_k": k}, on=world.today)
    teams = [world.team, world.other_team] + [add_team(session, world, f"Team {n}") for n in range(rng.randint(1, 3))]
    for team in teams:
        add_peers(session, world, team, rng.choice((0, 1, 2, 4, 6)), f"random_{team.id}")
    memberships = session.exec(select(TeamMembership)).all()
    peers = {user.id: user for user in session.exec(select(User)).all() if "peer" in user.roles}
    members: dict[int, list[int]] = {team.id: [] for team in teams}
    for peer_id in sorted(peers):
        placed = [row.team_id for row in memberships if row.user_id == peer_id]
        if placed:
            members[min(placed)].append(peer_id)
    supervised, supported = set(), set()
    for peer_id in sorted(peers):
        if rng.random() < 0.5:
            supportive = rng.choice((0, 30))
            add_session(session, world.supervisor, [peers[peer_id]], date(2026, 10, rng.randint(1, 31)),
                        minutes=(20, 0, supportive))
            supervised.add(peer_id)
            if supportive:
                supported.add(peer_id)
    release.release_due(session, on=world.today)
    stored = {row.group_key: row for row in session.exec(
        select(ReleasedFigure).where(ReleasedFigure.period_start == date(2026, 10, 1),
                                     ReleasedFigure.topic == release.COVERAGE)).all()}
    keys = {f"team:{team_id}": ids for team_id, ids in members.items()}
    pooled = rule.pool_teams({key: len(ids) for key, ids in keys.items()}, k=k)

    def part(key: str, ids: list[int]) -> rule.Part:
        return rule.Part(key, len(ids), (sum(peer in supervised for peer in ids),
                                         sum(peer not in supported for peer in ids)))

    everyone = [peer for ids in keys.values() for peer in ids]
    pool_ids = [peer for key in pooled for peer in keys[key]]
    expected = rule.release_groups([part(key, ids) for key, ids in keys.items()], program=part("program", everyone),
                                   pool=part("pool", pool_ids) if pooled else None, pooled=pooled, k=k)
    assert set(stored) == set(expected)
    for key, shown in expected.items():
        row = stored[key]
        assert (row.released, row.reason) == (shown.released, shown.reason)
        if shown.released:
            assert row.peers == shown.peers
            if not shown.peers:
                continue
            assert ((row.a_low, row.a_high), (row.b_low, row.b_high)) == tuple(
                (count.low, count.high) for count in shown.counts)


def test_two_leads_with_different_scopes_see_the_same_row_for_a_team(session, world):
    overdose, reentry, small = _big_program(session, world)
    for peer in overdose[:5] + reentry[:3]:
        add_session(session, world.supervisor, [peer], date(2026, 10, 14), minutes=(10, 0, 20))
    team_lead = add_user(session, username="team_lead", roles="lead", program=world.program, team=world.other_team)
    session.commit()
    whole = {row.team: row for row in supervision_coverage(session, actor=world.lead, on=world.today).teams}
    mine = supervision_coverage(session, actor=team_lead, on=world.today)
    assert [row.team for row in mine.teams] == ["Reentry", "Smaller teams combined"]
    assert all(row == whole[row.team] for row in mine.teams), "what is withheld is decided over the whole program"
    assert not mine.whole_program and mine.total is not None and mine.total.team == "All teams"


def test_a_closed_months_caseloads_are_released_once_and_never_change(session, world):
    import statistics

    from console.program.workload_figures import released_caseloads

    overdose = [*overdose_peers(world), *add_peers(session, world, world.team, 3, "caseload_overdose")]
    caseloads = [18, 24, 27, 31, 33, 35]
    for peer, caseload in zip(overdose, caseloads, strict=True):
        add_pulse(session, peer, date(2026, 10, 5), caseload=caseload - 2)
        add_pulse(session, peer, date(2026, 10, 19), caseload=caseload)
    released = released_caseloads(session, actor=world.lead, on=world.today)
    assert released.month == date(2026, 10, 1)
    rows = {row.team: row for row in released.rows}
    overdose_row = rows["Overdose response"]
    q1, median, q3 = statistics.quantiles(caseloads, n=4, method="inclusive")
    assert (overdose_row.peers, overdose_row.median, overdose_row.q1, overdose_row.q3) == (6, median, q1, q3)
    assert overdose_row.above_range == Count(3, 3)
    assert rows["Reentry"].median is None and rows["Reentry"].reason
    add_pulse(session, overdose[0], date(2026, 10, 26), caseload=60)
    again = {row.team: row for row in released_caseloads(session, actor=world.lead, on=world.today).rows}
    assert again == rows, "a released month never changes"
