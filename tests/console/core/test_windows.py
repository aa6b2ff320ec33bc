"""A window or threshold gives the same answer on every page: prep flags, the supervisor's load page and the
lead's coverage page all count from `scoring`'s definitions and the program's settings."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

import scoring
from console.core.program_settings import write_settings
from console.policy.access import people_known_to
from console.program.coverage_figures import coverage_inputs, supervision_coverage, team_coverage
from console.program.workload_figures import workload
from console.supervision.shared_view import view_for_supervisor
from console.supervision.supervisor_week import supervision_load
from tests.console.program.test_program import add_peers, add_pulse, add_session, add_team, overdose_peers


def _pages(session, world):
    """(flag codes for world.peer, on the supervisor's load page without supportive, lead's overdose team row)."""
    flags = {flag.code for flag in view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id,
                                                          on=world.today).flags}
    load = supervision_load(session, actor=world.supervisor, on=world.today)
    on_load_page = world.peer.id in {gap.peer_id for gap in load.without_supportive}
    return flags, on_load_page, _team_counts(session, world)["Overdose response"]


def _team_counts(session, world) -> dict[str, tuple[int, int, int]]:
    """Per team, from the per-peer statuses the lead's coverage figures are released from: peers, supervised, and
    without supportive supervision."""
    peers, _ = coverage_inputs(session, actor=world.lead, on=world.today)
    counts: dict[str, tuple[int, int, int]] = {}
    for peer in peers:
        size, supervised, unsupported = counts.get(peer.team, (0, 0, 0))
        counts[peer.team] = (size + 1, supervised + peer.supervised, unsupported + (not peer.supported))
    return counts


@pytest.mark.parametrize("days_ago", [13, 14, 15, 27, 28, 29])
def test_a_session_n_days_ago_gets_the_same_answer_on_every_page(session, world, days_ago):
    add_session(session, world.supervisor, [world.peer], world.today - timedelta(days=days_ago), minutes=(10, 10, 10))
    flags, on_load_page, overdose = _pages(session, world)
    supervised = days_ago <= 14
    supported = days_ago <= 28
    assert ("no_recent_supervision" not in flags) is supervised
    assert ("no_supportive_supervision" not in flags) is supported
    assert on_load_page is not supported
    assert overdose[1:] == ((1 if supervised else 0), (2 if supported else 3))


def test_changed_supervision_windows_move_every_page_together(session, world):
    add_session(session, world.supervisor, [world.peer], world.today - timedelta(days=10), minutes=(10, 10, 10))
    write_settings(session, actor=world.admin, changes={"supervision_gap_days": 7, "supportive_gap_days": 9},
                   on=world.today)
    flags, on_load_page, overdose = _pages(session, world)
    assert {"no_recent_supervision", "no_supportive_supervision"} <= flags
    assert on_load_page
    assert overdose[1:] == (0, 3)
    coverage = supervision_coverage(session, actor=world.lead, on=world.today)
    assert (coverage.recent_days, coverage.supportive_days) == (7, 9)


def test_the_caseload_guideline_is_one_setting_for_flags_and_lead_pages(session, world):
    add_pulse(session, world.peer, world.today, caseload=26)
    write_settings(session, actor=world.admin, changes={"caseload_guideline_min": 10, "caseload_guideline_max": 25},
                   on=world.today)
    flags = {flag.code for flag in view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id,
                                                          on=world.today).flags}
    assert "caseload_above_guideline" in flags
    result = workload(session, actor=world.lead, on=world.today)
    assert result.caseload_guideline == (10, 25)
    assert [peer.caseload_status for peer in result.peers if peer.caseload == 26] == ["above 25"]


@pytest.mark.parametrize("seed", range(1, 7))
def test_lead_coverage_equals_the_flags_on_random_histories(session, world, seed):
    """Per team, supervised and without-supportive counts from SQL equal what `scoring`'s flags say per peer."""
    rng = random.Random(seed)
    teams = [world.team, world.other_team, add_team(session, world, f"Team {seed}")]
    peers_by_team = {world.team.id: overdose_peers(world), world.other_team.id: [world.other_peer]}
    peers_by_team[teams[2].id] = add_peers(session, world, teams[2], rng.randint(3, 8), f"random_{seed}")
    for team in teams[1:]:
        peers_by_team[team.id] += add_peers(session, world, team, rng.randint(0, 4), f"more_{seed}_{team.id}")
    everyone = [peer for peers in peers_by_team.values() for peer in peers]
    held: dict[int, list[scoring.SessionInput]] = {peer.id: [] for peer in everyone}
    for _ in range(rng.randint(10, 40)):
        attendees = rng.sample(everyone, rng.choice((1, 1, 1, 2, 3)))
        day = world.today - timedelta(days=rng.randint(-3, 35))
        minutes = (rng.choice((0, 15)), rng.choice((0, 20)), rng.choice((0, 0, 30)))
        if not any(minutes):
            minutes = (15, 0, 0)
        add_session(session, world.supervisor, attendees, day, kind="group" if len(attendees) > 1 else "individual",
                    minutes=minutes)
        functions = frozenset(name for name, spent in zip(scoring.FUNCTIONS, minutes, strict=True) if spent)
        for peer in attendees:
            held[peer.id].append(scoring.SessionInput(day, functions))
    coverage = _team_counts(session, world)
    released, _ = team_coverage(*coverage_inputs(session, actor=world.lead, on=world.today), k=5,
                                known=people_known_to(session, actor=world.lead))
    assert all(shown == released[shown.team]
               for shown in supervision_coverage(session, actor=world.lead, on=world.today).teams)
    for team in teams:
        codes = [{flag.code for flag in scoring.supervision_flags(today=world.today, assessments=[], pulses=[],
                                                                  sessions=held[peer.id], action_items=[])}
                 for peer in peers_by_team[team.id]]
        assert coverage[team.name] == (len(codes), sum("no_recent_supervision" not in peer_codes for peer_codes in codes),
                                       sum("no_supportive_supervision" in peer_codes for peer_codes in codes))
