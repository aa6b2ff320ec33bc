"""Program lead figures: participation, monthly wellness, exposures and alerts, and the rules
that keep one peer's wellness data from reaching a lead."""

from __future__ import annotations

import random
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
)
from tests.conftest import add_user

OCTOBER = date(2026, 10, 1)
SEPTEMBER = date(2026, 9, 1)
AUGUST = date(2026, 8, 1)
SMALL = "fewer than 5 peers"
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
        strain=50.0, exposures=",".join(exposures), tallied_team_id=team_id, caseload=caseload, hours=hours,
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
            assert item.suppressed_reason == SMALL
    october = exposure(overview, "Overdose response", OCTOBER)
    assert (october.exposures, october.suppressed_reason) == (None, SMALL)
    assert exposure(overview, TOTAL, None).exposures is None


def test_a_team_of_five_shows_median_quartiles_and_high_share(session, world):
    peers = overdose_peers(world) + add_peers(session, world, world.team, 2, "extra")
    for peer, raw in zip(peers, (20, 25, 30, 42, 45), strict=True):
        add_assessment(session, peer, date(2026, 10, 3), burnout=raw)
    add_assessment(session, peers[0], date(2026, 10, 28), burnout=41)
    overview = program_overview(session, actor=world.lead, on=world.today)
    shown = figure(overview, "Overdose response")
    assert (shown.peers, shown.median, shown.q1, shown.q3, shown.high_share) == (5, 41, 30, 42, 0.4)
    assert shown.suppressed_reason is None
    assert figure(overview, "Reentry").suppressed_reason == SMALL
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


def test_complementary_suppression_hides_a_second_team_beside_the_total(session, world, three_teams):
    overview = program_overview(session, actor=world.lead, on=world.today)
    assert figure(overview, "Reentry").suppressed_reason == SMALL
    assert "cannot be worked out from the total" in figure(overview, "Overdose response").suppressed_reason
    assert figure(overview, "Court").peers == 7
    total = figure(overview, TOTAL)
    assert (total.peers, total.high_share) == (15, pytest.approx(3 / 15))


def _published_counts(overview, scale: str, month: date) -> dict[str, tuple[int, int]]:
    """What a lead can read off a view: peers and peers in the high band, per shown row."""
    return {
        item.team: (item.peers, round(item.high_share * item.peers))
        for item in overview.trend(scale).figures
        if item.month == month and item.suppressed_reason is None
    }


def test_subtracting_shown_teams_from_the_total_never_isolates_fewer_than_k_peers(session, world, three_teams):
    overview = program_overview(session, actor=world.lead, on=world.today)
    for scale in ("compassion_satisfaction", "burnout", "secondary_traumatic_stress"):
        published = _published_counts(overview, scale, OCTOBER)
        total_peers, total_high = published.pop(TOTAL)
        residual_peers = total_peers - sum(peers for peers, _ in published.values())
        residual_high = total_high - sum(high for _, high in published.values())
        assert residual_peers == 8, "the residual mixes Reentry with the hidden Overdose response team"
        if scale == "burnout":
            assert residual_high == 3, "three high scores among eight peers: nobody's band follows"
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
    assert {item.team for item in views[0].trend("burnout").figures} == {"Reentry", "Court"}
    assert figure(views[1], "Overdose response").suppressed_reason is not None


def test_a_single_peers_score_appears_in_no_figure(session, world, three_teams):
    overview = program_overview(session, actor=world.lead, on=world.today)
    published = repr(overview)
    for value in ("47.3", "13.9", "44.7"):
        assert value not in published


def test_participation_counts_check_ins_of_the_last_four_complete_weeks(session, world):
    peers = overdose_peers(world) + add_peers(session, world, world.team, 2, "extra")
    add_peers(session, world, world.other_team, 4, "reentry")
    this_monday = week_start(world.today)
    add_pulse(session, peers[0], this_monday)
    add_pulse(session, peers[1], this_monday - timedelta(days=1))
    add_pulse(session, peers[2], this_monday - timedelta(weeks=4))
    add_pulse(session, peers[3], this_monday - timedelta(weeks=5))
    add_assessment(session, peers[0], this_monday - timedelta(days=30), burnout=30)
    add_assessment(session, peers[1], this_monday - timedelta(days=31), burnout=30)
    overview = program_overview(session, actor=world.lead, on=world.today)
    row = overview.participation[0]
    assert (row.team, row.peers, row.checked_in, row.assessed) == ("Overdose response", 5, 2, 1)
    assert row.checked_in_share == 0.4
    assert overview.participation_from == this_monday - timedelta(weeks=4)
    assert overview.participation_to == this_monday - timedelta(days=1)


def test_non_peers_inactive_peers_and_ended_memberships_do_not_count(session, world):
    extra = add_peers(session, world, world.team, 2, "extra")
    add_user(session, username="team_supervisor", roles="supervisor", program=world.program, team=world.team)
    extra[0].active = False
    membership = session.exec(select(TeamMembership).where(TeamMembership.user_id == extra[1].id)).one()
    membership.ended_on = world.today - timedelta(days=1)
    session.add_all([extra[0], membership])
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


def test_a_peer_on_two_teams_counts_once_in_the_team_created_first(session, world):
    write_settings(session, actor=world.admin, changes={"anonymity_k": 3}, on=world.today)
    for peer in add_peers(session, world, world.team, 2, "extra"):
        session.add(TeamMembership(user_id=peer.id, team_id=world.other_team.id, started_on=date(2026, 1, 5)))
    add_peers(session, world, add_team(session, world, "Court"), 4, "court")
    rows = {row.team: row for row in program_overview(session, actor=world.lead, on=world.today).participation}
    assert rows["Overdose response"].peers == 5
    assert rows["Reentry"].suppressed_reason == "fewer than 3 peers"
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
    assert exposure(overview, "Reentry", OCTOBER).suppressed_reason == SMALL
    assert "worked out" in exposure(overview, "Overdose response", OCTOBER).suppressed_reason
    assert exposure(overview, TOTAL, OCTOBER).exposures == 21
    assert not exposure(overview, "Reentry", SEPTEMBER).reported


def test_alerts_rising_high_burnout_single_peer_and_caseload(session, world, three_teams):
    court = three_teams["Court"]
    for month, highs in ((AUGUST, 1), (SEPTEMBER, 3)):
        for position, peer in enumerate(court):
            add_assessment(session, peer, month + timedelta(days=9), burnout=45 if position < highs else 30)
    for peer in court[:5]:
        add_assessment(session, peer, date(2026, 10, 20), burnout=46)
    lone = add_team(session, world, "Lone outreach")
    add_peers(session, world, lone, 1, "lone")
    for peer in three_teams["Reentry"]:
        add_pulse(session, peer, world.today - timedelta(days=7), caseload=36)
    overview = program_overview(session, actor=world.lead, on=world.today)
    alerts = {(alert.team, alert.kind): alert.message for alert in overview.alerts}
    assert "14% → 43% → 71%" in alerts[("Court", "rising_high_burnout")]
    assert "single peer" in alerts[("Lone outreach", "single_peer")]
    assert "36" in alerts[("Reentry", "caseload_above_guideline")]
    assert not any(kind == "rising_high_burnout" for team, kind in alerts if team != "Court")


def test_no_alert_is_raised_from_a_suppressed_team(session, world):
    for month, burnout in ((AUGUST, 30), (SEPTEMBER, 44), (OCTOBER, 48)):
        for peer in overdose_peers(world):
            add_assessment(session, peer, month + timedelta(days=3), burnout=burnout)
    overview = program_overview(session, actor=world.lead, on=world.today)
    assert [alert.kind for alert in overview.alerts if alert.kind == "rising_high_burnout"] == []


def test_trend_starts_at_the_first_month_with_data(session, world):
    assert program_overview(session, actor=world.lead, on=world.today).months == complete_months(world.today, 12)
    add_assessment(session, world.peer, date(2026, 8, 20), burnout=30)
    assert program_overview(session, actor=world.lead, on=world.today).months == (AUGUST, SEPTEMBER, OCTOBER)


def test_monthly_figures_match_the_scoring_engine_on_random_programs(session, world):
    """Medians, quartiles, band shares and the suppression pattern computed in SQL equal `team_aggregates`."""
    rng = random.Random(6)
    teams = [world.team, world.other_team] + [add_team(session, world, f"Team {n}") for n in range(5)]
    peers = [(team, peer) for team, size in zip(teams, (2, 6, 7, 8, 9, 10, 11), strict=True)
             for peer in add_peers(session, world, team, size, f"random_{team.id}")]
    months = complete_months(world.today, 6)
    expected = {}
    for month in months:
        values = []
        for team, peer in peers:
            if rng.random() < 0.2:
                continue
            scores = [rng.choice((rng.randint(10, 50), round(rng.uniform(10, 50), 1))) for _ in range(rng.randint(1, 2))]
            for day, raw in enumerate(scores, start=3):
                add_assessment(session, peer, month + timedelta(days=day), burnout=raw)
            values.append(scoring.PeerValue(peer.id, team.name, scores[-1], BURNOUT.band(scores[-1])))
        expected[month] = scoring.team_aggregates(values, k=5, include_total=True)
    overview = program_overview(session, actor=world.lead, on=world.today, months=6)
    reasons = {aggregate.reason for month in expected.values() for aggregate in month.values()}
    assert {None, SMALL, scoring.aggregates.COMPLEMENTARY_REASON} <= reasons
    for item in overview.trend("burnout").figures:
        aggregate = expected[item.month].get(item.team)
        if aggregate is None:
            assert item.suppressed_reason == SMALL
            continue
        assert item.suppressed_reason == aggregate.reason
        assert item.peers == aggregate.peers
        for shown, wanted in ((item.median, aggregate.median), (item.q1, aggregate.q1), (item.q3, aggregate.q3),
                              (item.high_share, aggregate.band_share)):
            assert shown == pytest.approx(wanted)


def test_scale_trends_give_every_scale_as_the_overview_gives_one(session, world, three_teams):
    add_assessment(session, three_teams["Court"][0], date(2026, 8, 20), burnout=30)
    trends = {trend.scale: trend for trend in scale_trends(session, actor=world.lead, on=world.today)}
    for scale in ("compassion_satisfaction", "burnout", "secondary_traumatic_stress"):
        assert trends[scale] == program_overview(session, actor=world.lead, on=world.today, scale=scale).chosen_trend
    with pytest.raises(PermissionDenied):
        scale_trends(session, actor=world.supervisor, on=world.today)
    with pytest.raises(ValidationError, match="no scale 'resilience'"):
        program_overview(session, actor=world.lead, on=world.today, scale="resilience")
