"""Program lead figures: participation, monthly wellness, exposures and alerts, and the rules
that keep one peer's wellness data from reaching a lead."""

from __future__ import annotations

import random
import statistics
import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import select

import scoring
from console.core.dates import week_start
from console.core.errors import PermissionDenied, ValidationError
from console.core.program_settings import write_settings
from console.program.wellness_figures import TOTAL, ParticipationRow, complete_months, program_overview, scale_trends
from db import tallies
from db.models import (
    Assessment,
    AssessmentScore,
    PulseCheckin,
    SessionAttendee,
    SupervisionSession,
    Team,
    TeamMembership,
    User,
)
from scoring import release as rule
from tests.conftest import add_user, clock_on

OCTOBER = date(2026, 10, 1)
SEPTEMBER = date(2026, 9, 1)
AUGUST = date(2026, 8, 1)
SMALL = "fewer than 5 peers"
NO_DATA = rule.NO_DATA_REASON
BURNOUT = scoring.load_instrument("proqol-style-30").scales["burnout"]


def band_code(raw: float) -> int:
    return 0 if raw <= 22 else 2 if raw >= 42 else 1


def add_peers(session, world, team, count: int, prefix: str) -> list:
    peers = [add_user(session, username=f"{prefix}_{n}", roles="peer", program=world.program, team=team)
             for n in range(count)]
    session.commit()
    return peers


def add_team(session, world, name: str) -> Team:
    team = Team(program_id=world.program.id, name=name)
    session.add(team)
    session.commit()
    return team


def add_assessment(session, peer, day: date, *, burnout: float, compassion_satisfaction: float = 35,
                   secondary_traumatic_stress: float = 25) -> None:
    taken_at = datetime.combine(day, time(12), tzinfo=UTC)
    assessment = Assessment(peer_id=peer.id, instrument_id="proqol-style-30", instrument_version="1",
                            taken_at=taken_at, answers={}, idempotency_key=uuid.uuid4().hex)
    session.add(assessment)
    session.flush()
    scales = {"compassion_satisfaction": compassion_satisfaction, "burnout": burnout,
              "secondary_traumatic_stress": secondary_traumatic_stress}
    for scale, raw in scales.items():
        session.add(AssessmentScore(assessment_id=assessment.id, scale=scale, peer_id=peer.id, taken_at=taken_at,
                                    raw=raw, band=band_code(raw), answered=10))
    session.commit()


def add_pulse(session, peer, day: date, *, exposures: tuple[str, ...] = (), caseload: int | None = None,
              hours: float | None = None, callouts: int | None = None, outside: float | None = None) -> None:
    """A check-in row at any date, with its exposures counted for the lead figures as the check-in service counts
    them."""
    monday = week_start(day)
    iso = monday.isocalendar()
    month = tallies.month_of(monday)
    team_id = tallies.tally_team(session, peer_id=peer.id, month=month)
    session.add(PulseCheckin(
        peer_id=peer.id, iso_year=iso.year, iso_week=iso.week, week_start=monday, answers={"energy": 3},
        taken_at=datetime.combine(day, time(12), tzinfo=UTC),
        strain=50.0, exposures=frozenset(exposures), tallied_team_id=team_id, caseload=caseload, hours=hours,
        after_hours_callouts=callouts, hours_outside_role=outside, idempotency_key=uuid.uuid4().hex,
    ))
    tallies.adjust(session, team_id=team_id, month=month, codes=exposures, by=1)
    session.commit()


def add_session(session, supervisor, attendees, day: date, *, kind: str = "individual",
                minutes: tuple[int, int, int] = (20, 20, 20)) -> None:
    row = SupervisionSession(
        supervisor_id=supervisor.id, held_on=day, kind=kind, duration_minutes=sum(minutes),
        minutes_administrative=minutes[0], minutes_educational=minutes[1], minutes_supportive=minutes[2],
        notes_supportive="A private conversation.", idempotency_key=uuid.uuid4().hex,
    )
    session.add(row)
    session.flush()
    session.add_all(SessionAttendee(session_id=row.id, peer_id=peer.id) for peer in attendees)
    session.commit()


def overdose_peers(world) -> list:
    return [world.peer, world.peer_scores, world.peer_completion]


def figure(overview, team: str, month: date = OCTOBER, scale: str = "burnout"):
    return next(item for item in overview.trend(scale).figures if item.team == team and item.month == month)


def exposure(overview, team: str, month: date | None):
    return next(cell for cell in overview.exposures if cell.team == team and cell.month == month)


@pytest.fixture
def three_teams(session, world):
    """Overdose response (6 peers), Reentry (2 peers: small) and Court (7 peers), all assessed in October."""
    overdose = overdose_peers(world) + add_peers(session, world, world.team, 3, "overdose")
    reentry = [world.other_peer, *add_peers(session, world, world.other_team, 1, "reentry")]
    court = add_peers(session, world, add_team(session, world, "Court"), 7, "court")
    for peer, raw in zip(overdose, (20, 25, 30, 35, 43, 45), strict=True):
        add_assessment(session, peer, date(2026, 10, 10), burnout=raw)
    add_assessment(session, reentry[0], date(2026, 10, 12), burnout=47.3, compassion_satisfaction=13.9,
                   secondary_traumatic_stress=44.7)
    add_assessment(session, reentry[1], date(2026, 10, 12), burnout=21)
    for peer in court:
        add_assessment(session, peer, date(2026, 10, 14), burnout=30)
    return {"Overdose response": overdose, "Reentry": reentry, "Court": court}


def test_complete_months_are_the_months_before_this_one():
    assert complete_months(date(2026, 1, 15), 3) == (date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1))
    assert complete_months(date(2026, 3, 1), 1) == (date(2026, 2, 1),)


def test_only_a_lead_sees_the_program_overview(session, world):
    for actor in (world.peer, world.supervisor, world.admin):
        with pytest.raises(PermissionDenied):
            program_overview(session, actor=actor, on=world.today)


def test_inactive_lead_is_refused(session, world):
    world.lead.active = False
    session.add(world.lead)
    session.commit()
    with pytest.raises(PermissionDenied):
        program_overview(session, actor=world.lead, on=world.today)


@pytest.mark.parametrize("months", [2, 37, "12", 12.0])
def test_bad_trend_length_is_refused_with_the_allowed_range(session, world, months):
    with pytest.raises(ValidationError, match="from 3 to 36 months"):
        program_overview(session, actor=world.lead, on=world.today, months=months)


def test_a_team_of_three_has_every_wellness_cell_suppressed(session, world):
    for peer, raw in zip(overdose_peers(world), (44, 45, 46), strict=True):
        add_assessment(session, peer, date(2026, 10, 5), burnout=raw)
        add_pulse(session, peer, date(2026, 10, 5), exposures=("overdose_scene",))
        add_pulse(session, peer, world.today - timedelta(days=7))
    overview = program_overview(session, actor=world.lead, on=world.today)
    assert overview.participation[0] == ParticipationRow("Overdose response", None, None, None, SMALL)
    for trend in overview.trends:
        for item in trend.figures:
            assert (item.peers, item.median, item.q1, item.q3, item.high_share) == (None,) * 5
            assert item.suppressed_reason == (NO_DATA if item.team == "Reentry" else SMALL)
    october = exposure(overview, "Overdose response", OCTOBER)
    assert (october.exposures, october.suppressed_reason) == (None, SMALL)
    assert exposure(overview, TOTAL, OCTOBER).exposures is None


def test_a_team_of_five_shows_median_quartiles_and_high_share(session, world):
    peers = overdose_peers(world) + add_peers(session, world, world.team, 2, "extra")
    for peer, raw in zip(peers, (20, 25, 30, 42, 45), strict=True):
        add_assessment(session, peer, date(2026, 10, 3), burnout=raw)
    add_assessment(session, peers[0], date(2026, 10, 28), burnout=41)
    overview = program_overview(session, actor=world.lead, on=world.today)
    shown = figure(overview, "Overdose response")
    assert (shown.peers, shown.median, shown.q1, shown.q3, shown.high_share) == (5, 41, 30, 42, 0.4)
    assert shown.suppressed_reason is None
    assert figure(overview, "Reentry").suppressed_reason == NO_DATA
    assert overview.latest_month == OCTOBER


def test_this_months_assessments_wait_until_the_month_is_complete(session, world):
    peers = overdose_peers(world) + add_peers(session, world, world.team, 2, "extra")
    for peer in peers:
        add_assessment(session, peer, date(2026, 10, 3), burnout=30)
    before = program_overview(session, actor=world.lead, on=world.today)
    add_assessment(session, peers[0], world.today, burnout=49.9)
    add_pulse(session, peers[0], world.today, exposures=("overdose_scene", "death_of_person_served"))
    assert program_overview(session, actor=world.lead, on=world.today) == before


def test_a_closed_month_keeps_its_figures_when_a_peer_moves_or_leaves(session, world, three_teams):
    before = program_overview(session, actor=world.lead, on=world.today)
    leaver = three_teams["Overdose response"][4]
    membership = session.exec(select(TeamMembership).where(TeamMembership.user_id == leaver.id)).one()
    membership.ended_on = world.today - timedelta(days=1)
    session.add(TeamMembership(user_id=leaver.id, team_id=world.other_team.id, started_on=world.today))
    deactivated = three_teams["Court"][0]
    deactivated.active = False
    session.add_all([membership, deactivated])
    session.commit()
    after = program_overview(session, actor=world.lead, on=world.today)
    assert after.trends == before.trends
    assert after.exposures == before.exposures


def test_small_teams_are_pooled_and_no_share_says_none_or_all(session, world, three_teams):
    overview = program_overview(session, actor=world.lead, on=world.today)
    assert overview.pooled == ("Overdose response", "Reentry")
    assert figure(overview, "Reentry").suppressed_reason == rule.POOLED_REASON
    assert figure(overview, "Overdose response").suppressed_reason == rule.POOLED_REASON
    court = figure(overview, "Court")
    assert court.peers == 7 and court.high.text() == "1 or fewer" and court.high_share is None
    pool = figure(overview, rule.POOL_GROUP)
    assert (pool.peers, pool.high) == (8, rule.Count(3, 3))
    total = figure(overview, TOTAL)
    assert (total.peers, total.high, total.high_share) == (15, rule.Count(3, 4), None), (
        "an exact total would give Court's none in the high band away")


def _published_counts(overview, scale: str, month: date) -> dict[str, tuple[int, int]]:
    """What a lead can read off a view: peers and exact peers in the high band, per shown row."""
    return {
        item.team: (item.peers, item.high.exact)
        for item in overview.trend(scale).figures
        if item.month == month and item.suppressed_reason is None and item.high.exact is not None
    }


def test_subtracting_shown_teams_from_the_total_never_isolates_fewer_than_k_peers(session, world, three_teams):
    overview = program_overview(session, actor=world.lead, on=world.today)
    for scale in ("compassion_satisfaction", "burnout", "secondary_traumatic_stress"):
        published = _published_counts(overview, scale, OCTOBER)
        if TOTAL not in published:
            continue
        total_peers, total_high = published.pop(TOTAL)
        parts = {team: counts for team, counts in published.items() if team != rule.POOL_GROUP or
                 not any(name in published for name in overview.pooled)}
        residual_peers = total_peers - sum(peers for peers, _ in parts.values())
        residual_high = total_high - sum(high for _, high in parts.values())
        assert residual_peers == 0 or residual_peers >= 5
        assert residual_peers == 0 or 0 < residual_high < residual_peers
    october_cells = [cell for cell in overview.exposures if cell.month == OCTOBER]
    assert sum(cell.suppressed_reason is not None for cell in october_cells) != 1


def test_two_leads_with_different_teams_cannot_subtract_their_views(session, world, three_teams):
    court = session.exec(select(Team).where(Team.name == "Court")).one()
    reentry_and_court = add_user(session, username="lead_two", roles="lead", program=world.program,
                                 team=world.other_team)
    session.add(TeamMembership(user_id=reentry_and_court.id, team_id=court.id, started_on=date(2026, 1, 5)))
    overdose_lead = add_user(session, username="lead_one", roles="lead", program=world.program, team=world.team)
    session.commit()
    whole = program_overview(session, actor=world.lead, on=world.today)
    views = [program_overview(session, actor=lead, on=world.today) for lead in (reentry_and_court, overdose_lead)]
    for view in views:
        assert not view.whole_program
        assert all(item.team != TOTAL for trend in view.trends for item in trend.figures)
        assert all(row.team != TOTAL for row in view.participation)
        assert all(cell.team != TOTAL for cell in view.exposures)
        for trend in view.trends:
            for item in trend.figures:
                assert item == next(same for same in whole.trend(trend.scale).figures
                                    if (same.team, same.month) == (item.team, item.month))
    assert {item.team for item in views[0].trend("burnout").figures} == {"Reentry", "Court", rule.POOL_GROUP}
    assert figure(views[1], "Overdose response").suppressed_reason is not None


def test_a_single_peers_score_appears_in_no_figure(session, world, three_teams):
    overview = program_overview(session, actor=world.lead, on=world.today)
    published = repr(overview)
    for value in ("47.3", "13.9", "44.7"):
        assert value not in published


def test_participation_counts_check_ins_sent_in_the_latest_released_month(session, world):
    peers = overdose_peers(world) + add_peers(session, world, world.team, 2, "extra")
    add_peers(session, world, world.other_team, 4, "reentry")
    add_pulse(session, peers[0], date(2026, 10, 1))
    add_pulse(session, peers[1], date(2026, 10, 31))
    add_pulse(session, peers[2], date(2026, 11, 2))
    add_pulse(session, peers[3], date(2026, 9, 30))
    add_assessment(session, peers[0], date(2026, 10, 15), burnout=30)
    add_assessment(session, peers[1], date(2026, 10, 16), burnout=30)
    add_assessment(session, peers[2], date(2026, 10, 17), burnout=30)
    overview = program_overview(session, actor=world.lead, on=world.today)
    row = overview.participation[0]
    assert (row.team, row.peers, row.checked_in, row.assessed) == (
        "Overdose response", 5, rule.Count(2, 2), rule.Count(3, 3))
    assert row.checked_in_share == 0.4
    assert (overview.participation_from, overview.participation_to) == (OCTOBER, date(2026, 10, 31))


def test_a_check_in_sent_after_its_month_was_released_counts_in_the_next_month(session, world):
    peers = overdose_peers(world) + add_peers(session, world, world.team, 2, "extra")
    before = program_overview(session, actor=world.lead, on=world.today)
    assert before.participation[0].checked_in == rule.Count(0, 1)
    add_pulse(session, peers[0], date(2026, 10, 26))
    session.exec(select(PulseCheckin)).one().taken_at = datetime(2026, 11, 3, 9, tzinfo=UTC)
    session.commit()
    assert program_overview(session, actor=world.lead, on=world.today) == before
    with clock_on(date(2026, 12, 2)):
        november = program_overview(session, actor=world.lead, on=date(2026, 12, 2))
    assert november.latest_month == date(2026, 11, 1)
    assert november.participation[0].checked_in == rule.Count(1, 1)


def test_non_peers_and_memberships_ended_before_the_month_do_not_count(session, world):
    extra = add_peers(session, world, world.team, 2, "extra")
    add_user(session, username="team_supervisor", roles="supervisor", program=world.program, team=world.team)
    membership = session.exec(select(TeamMembership).where(TeamMembership.user_id == extra[1].id)).one()
    membership.ended_on = date(2026, 9, 30)
    session.add(membership)
    session.commit()
    rows = {row.team: row for row in program_overview(session, actor=world.lead, on=world.today).participation}
    assert rows["Overdose response"].suppressed_reason == SMALL


def test_the_threshold_follows_the_anonymity_setting(session, world):
    add_peers(session, world, world.other_team, 2, "reentry")
    write_settings(session, actor=world.admin, changes={"anonymity_k": 3}, on=world.today)
    overview = program_overview(session, actor=world.lead, on=world.today)
    assert overview.k == 3
    assert [(row.team, row.peers) for row in overview.participation] == [
        ("Overdose response", 3), ("Reentry", 3), (TOTAL, 6)]
    write_settings(session, actor=world.admin, changes={"anonymity_k": 4}, on=world.today)
    overview = program_overview(session, actor=world.lead, on=world.today)
    assert [(row.team, row.peers, row.suppressed_reason) for row in overview.participation] == [
        ("Overdose response", None, "fewer than 4 peers"), ("Reentry", None, "fewer than 4 peers"), (TOTAL, 6, None)]
    write_settings(session, actor=world.admin, changes={"anonymity_k": 3}, on=world.today)
    overview = program_overview(session, actor=world.lead, on=world.today)
    assert [(row.team, row.peers) for row in overview.participation] == [
        ("Overdose response", 3), ("Reentry", 3), (TOTAL, 6)], "released figures come back, never more"


def test_a_peer_on_two_teams_counts_once_in_the_team_created_first(session, world):
    write_settings(session, actor=world.admin, changes={"anonymity_k": 3}, on=world.today)
    for peer in add_peers(session, world, world.team, 2, "extra"):
        session.add(TeamMembership(user_id=peer.id, team_id=world.other_team.id, started_on=date(2026, 1, 5)))
    add_peers(session, world, add_team(session, world, "Court"), 4, "court")
    rows = {row.team: row for row in program_overview(session, actor=world.lead, on=world.today).participation}
    assert rows["Overdose response"].peers == 5
    assert rows["Reentry"].suppressed_reason == rule.POOLED_REASON
    assert rows[rule.POOL_GROUP].peers == 5
    assert rows[TOTAL].peers == 10


def test_exposures_add_up_per_team_and_month_with_small_cells_hidden(session, world, three_teams):
    for peer in three_teams["Court"]:
        add_pulse(session, peer, date(2026, 10, 5), exposures=("overdose_scene", "threat_or_violence"))
        add_pulse(session, peer, date(2026, 9, 28), exposures=("stigma_or_criticism",))
    add_pulse(session, three_teams["Reentry"][0], date(2026, 10, 5), exposures=("death_of_person_served",))
    for peer in three_teams["Overdose response"]:
        add_pulse(session, peer, date(2026, 10, 12), exposures=("overdose_scene",))
    overview = program_overview(session, actor=world.lead, on=world.today)
    assert exposure(overview, "Court", OCTOBER).exposures == 14
    assert exposure(overview, "Court", SEPTEMBER).exposures == 7
    assert exposure(overview, "Court", None).exposures == 21
    assert exposure(overview, "Reentry", OCTOBER).suppressed_reason == rule.POOLED_REASON
    assert exposure(overview, rule.POOL_GROUP, OCTOBER).exposures == 7
    assert exposure(overview, TOTAL, OCTOBER).exposures == 21
    assert not exposure(overview, rule.POOL_GROUP, SEPTEMBER).reported


def test_alerts_rising_high_burnout_single_peer_and_caseload(session, world, three_teams):
    court = three_teams["Court"]
    for month, highs in ((AUGUST, 1), (SEPTEMBER, 3)):
        for position, peer in enumerate(court):
            add_assessment(session, peer, month + timedelta(days=9), burnout=45 if position < highs else 30)
    for peer in court[:5]:
        add_assessment(session, peer, date(2026, 10, 20), burnout=46)
    lone = add_team(session, world, "Lone outreach")
    add_peers(session, world, lone, 1, "lone")
    for peer in court:
        add_pulse(session, peer, world.today - timedelta(days=7), caseload=36)
    for peer in three_teams["Reentry"]:
        add_pulse(session, peer, world.today - timedelta(days=7), caseload=40)
    overview = program_overview(session, actor=world.lead, on=world.today)
    alerts = {(alert.team, alert.kind): alert.message for alert in overview.alerts}
    assert "14% → 43% → 71%" in alerts[("Court", "rising_high_burnout")]
    assert "single peer" in alerts[("Lone outreach", "single_peer")]
    assert "36" in alerts[("Court", "caseload_above_guideline")]
    assert ("Reentry", "caseload_above_guideline") not in alerts, "two peers' caseloads are not a team figure"
    assert not any(kind == "rising_high_burnout" for team, kind in alerts if team != "Court")


def test_no_alert_is_raised_from_a_suppressed_team(session, world):
    for month, burnout in ((AUGUST, 30), (SEPTEMBER, 44), (OCTOBER, 48)):
        for peer in overdose_peers(world):
            add_assessment(session, peer, month + timedelta(days=3), burnout=burnout)
    overview = program_overview(session, actor=world.lead, on=world.today)
    assert [alert.kind for alert in overview.alerts if alert.kind == "rising_high_burnout"] == []


def test_without_answers_the_trend_shows_every_month(session, world):
    assert program_overview(session, actor=world.lead, on=world.today).months == complete_months(world.today, 12)


def test_trend_starts_at_the_first_month_with_data(session, world):
    add_assessment(session, world.peer, date(2026, 8, 20), burnout=30)
    assert program_overview(session, actor=world.lead, on=world.today).months == (AUGUST, SEPTEMBER, OCTOBER)


SCALES = ("compassion_satisfaction", "burnout", "secondary_traumatic_stress")


def _oracle(members: dict[int, list[int]], values: dict[int, dict[str, float]], *, scale: str, k: int,
            instrument) -> dict[str, tuple]:
    """The rule applied to raw data by hand: pooling, then the pool line and the program line, with medians and
    quartiles from `statistics` and bands from the instrument."""
    sizes = {f"team:{team_id}": len(peers) for team_id, peers in members.items()}
    pooled = rule.pool_teams(sizes, k=k)

    def cell(keys) -> tuple[int, int, list[float]]:
        scores = [values[peer][scale] for key in keys for peer in members[int(key.split(":")[1])] if peer in values]
        high = sum(1 for raw in scores if instrument.scales[scale].band(raw) == "high")
        return len(scores), high, scores

    cells = {key: cell([key]) for key in sizes}
    cells["program"] = cell(list(sizes))
    if pooled:
        cells["pool"] = cell(list(pooled))

    def part(key: str) -> rule.Part:
        return rule.Part(key, cells[key][0], (cells[key][1],))

    shown: dict[str, rule.Shown] = {}
    line = [part(key) for key in sizes if key not in pooled]
    if pooled:
        shown.update(rule.release_line([rule.Part(key, None, reason=rule.POOLED_REASON) for key in pooled],
                                       part("pool"), k=k))
        line.append(part("pool") if shown["pool"].released else rule.Part("pool", None, reason=shown["pool"].reason))
    shown.update(rule.release_line(line, part("program"), k=k))
    expected = {}
    for key, view in shown.items():
        scores = sorted(cells[key][2])
        if not view.released or not scores:
            expected[key] = (view.reason if not view.released else NO_DATA, None, None, None)
            continue
        q1, _, q3 = statistics.quantiles(scores, n=4, method="inclusive") if len(scores) > 1 else scores * 3
        expected[key] = (None, len(scores), (statistics.median(scores), q1, q3), view.counts[0])
    return expected


@pytest.mark.parametrize("seed", [6, 11, 29])
def test_released_figures_equal_the_rule_applied_to_raw_data(session, world, seed):
    """Released figures, for every scale, equal `scoring.release` applied by hand to the raw scores."""
    rng = random.Random(seed)
    k = rng.choice((3, 5))
    write_settings(session, actor=world.admin, changes={"anonymity_k": k}, on=world.today)
    teams = [world.team, world.other_team] + [add_team(session, world, f"Team {n}") for n in range(rng.randint(1, 4))]
    for team in teams:
        add_peers(session, world, team, rng.choice((0, 1, 2, 4, 6, 9)), f"random_{team.id}")
    instrument = scoring.load_instrument("proqol-style-30")
    memberships = session.exec(select(TeamMembership)).all()
    peer_ids = {user.id for user in session.exec(select(User)).all() if "peer" in user.roles}
    members: dict[int, list[int]] = {team.id: [] for team in teams}
    for peer_id in sorted(peer_ids):
        placed = [row.team_id for row in memberships if row.user_id == peer_id]
        if placed:
            members[min(placed)].append(peer_id)
    months = complete_months(world.today, 4)
    raw: dict[date, dict[int, dict[str, float]]] = {}
    peers = {peer.id: peer for peer in session.exec(select(User)).all()}
    for month in months:
        raw[month] = {}
        for peer_id in sorted(peer_ids):
            if rng.random() < 0.25 or not any(peer_id in group for group in members.values()):
                continue
            for day in range(3, 3 + rng.randint(1, 2)):
                scores = {scale: rng.choice((rng.randint(10, 50), 42, 22, round(rng.uniform(10, 50), 1)))
                          for scale in SCALES}
                add_assessment(session, peers[peer_id], month + timedelta(days=day), **scores)
            raw[month][peer_id] = scores
    names = {team.id: team.name for team in teams}
    labels = {f"team:{team_id}": name for team_id, name in names.items()} | {"program": TOTAL,
                                                                              "pool": rule.POOL_GROUP}
    checked = 0
    for scale in SCALES:
        trend = scale_trends(session, actor=world.lead, on=world.today, months=4)
        shown = {(item.team, item.month): item for item in next(t for t in trend if t.scale == scale).figures}
        for month in months:
            for key, (reason, peers_in, stats, high) in _oracle(members, raw[month], scale=scale, k=k,
                                                                instrument=instrument).items():
                item = shown.get((labels[key], month))
                if item is None:
                    assert key == "pool"
                    continue
                checked += 1
                if item.quarter is not None:
                    assert reason not in (None, NO_DATA), "a quarter's figure stands only for a withheld month"
                    continue
                assert item.suppressed_reason == reason
                assert item.peers == peers_in
                if stats is not None:
                    assert (item.median, item.q1, item.q3) == pytest.approx(stats)
                    assert item.high == high
    assert checked


def test_scale_trends_give_every_scale_as_the_overview_gives_one(session, world, three_teams):
    add_assessment(session, three_teams["Court"][0], date(2026, 8, 20), burnout=30)
    trends = {trend.scale: trend for trend in scale_trends(session, actor=world.lead, on=world.today)}
    for scale in ("compassion_satisfaction", "burnout", "secondary_traumatic_stress"):
        assert trends[scale] == program_overview(session, actor=world.lead, on=world.today, scale=scale).chosen_trend
    with pytest.raises(PermissionDenied):
        scale_trends(session, actor=world.supervisor, on=world.today)
    with pytest.raises(ValidationError, match="no scale 'resilience'"):
        program_overview(session, actor=world.lead, on=world.today, scale="resilience")
