"""Training and certification records: who records and reads them, renewals coming up, and lead counts (the
snapshot released for the last day of the latest closed month)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from console.core.errors import PermissionDenied, ValidationError
from console.fieldwork import trainings
from console.program.wellness_figures import TOTAL
from db.models import SupervisionAssignment, Team, TrainingRecord
from scoring import release as rule
from tests.conftest import add_user


def record(session, actor, person, *, kind="peer_certification", name="", completed_days_ago=300, renews_in=None,
           today):
    return trainings.record_training(
        session, actor=actor, person_id=person.id, kind=kind, name=name,
        completed_on=today - timedelta(days=completed_days_ago),
        renews_on=None if renews_in is None else today + timedelta(days=renews_in))


def test_a_peer_records_their_own_and_the_supervisor_sees_the_renewal_coming_up(session, world):
    today = world.today
    entry = record(session, world.peer, world.peer, renews_in=30, today=today)
    assert entry.name == trainings.KINDS["peer_certification"] and entry.renewal_due and not entry.lapsed
    record(session, world.peer, world.peer, kind="crisis_response_72h", today=today)
    record(session, world.supervisor, world.peer_scores, kind="other", name="Naloxone train-the-trainer",
           renews_in=trainings.RENEWAL_WINDOW_DAYS + 1, today=today)
    renewals = trainings.upcoming_renewals(session, actor=world.supervisor, on=today)
    assert [(renewal.person_id, renewal.name) for renewal in renewals] == [
        (world.peer.id, trainings.KINDS["peer_certification"])]
    assert [entry.kind for entry in trainings.trainings_of(session, actor=world.admin_supervisor,
                                                           person_id=world.peer.id)] == [
        "crisis_response_72h", "peer_certification"]
    assert trainings.upcoming_renewals(session, actor=world.other_supervisor, on=today) == []


def test_a_renewal_replaces_the_lapsed_record_it_renews(session, world):
    today = world.today
    record(session, world.peer, world.peer, completed_days_ago=800, renews_in=-10, today=today)
    assert trainings.upcoming_renewals(session, actor=world.supervisor, on=today)[0].lapsed
    record(session, world.peer, world.peer, completed_days_ago=5, renews_in=700, today=today)
    assert trainings.upcoming_renewals(session, actor=world.supervisor, on=today) == []


@pytest.mark.parametrize(("changes", "field"), [
    ({"kind": "made_up"}, "kind"),
    ({"kind": "other", "name": " "}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"completed_days_ago": -2}, "completed_on"),
    ({"completed_days_ago": 10, "renews_in": -20}, "renews_on"),
])
def test_a_bad_record_says_what_to_fix_and_saves_nothing(session, world, changes, field):
    with pytest.raises(ValidationError) as refused:
        record(session, world.peer, world.peer, today=world.today, **changes)
    assert field in refused.value.problems
    assert session.exec(select(TrainingRecord)).all() == []


def test_only_the_person_and_their_supervisors_keep_the_record(session, world):
    entry = record(session, world.peer, world.peer, today=world.today)
    for actor in (world.other_peer, world.other_supervisor, world.ended_supervisor, world.lead, world.admin):
        with pytest.raises(PermissionDenied):
            trainings.trainings_of(session, actor=actor, person_id=world.peer.id)
        with pytest.raises(PermissionDenied):
            record(session, actor, world.peer, today=world.today)
        with pytest.raises(PermissionDenied):
            trainings.remove_training(session, actor=actor, record_id=entry.id)
    trainings.remove_training(session, actor=world.supervisor, record_id=entry.id)
    assert trainings.trainings_of(session, actor=world.peer, person_id=world.peer.id) == []


def test_a_supervisor_records_their_own_training_too(session, world):
    record(session, world.supervisor, world.supervisor, kind="crisis_response_72h", today=world.today)
    assert len(trainings.trainings_of(session, actor=world.supervisor, person_id=world.supervisor.id)) == 1


def test_leads_see_counts_per_team_with_small_teams_suppressed(session, world):
    today = world.today
    extra = [add_user(session, username=f"peer_{number}", roles="peer", program=world.program, team=world.team)
             for number in range(3)]
    for number in range(4):
        add_user(session, username=f"reentry_{number}", roles="peer", program=world.program, team=world.other_team)
    courts = Team(program_id=world.program.id, name="Courts")
    session.add(courts)
    session.flush()
    add_user(session, username="courts_peer", roles="peer", program=world.program, team=courts)
    session.commit()
    team_peers = [world.peer, world.peer_scores, world.peer_completion, *extra]
    for person in team_peers[:5]:
        record(session, person, person, today=today, renews_in=400)
    record(session, team_peers[5], team_peers[5], today=today, renews_in=20)
    record(session, world.other_peer, world.other_peer, today=today)
    rows = {row.team: row for row in trainings.team_counts(session, actor=world.lead, on=today).rows}
    overdose = rows["Overdose response"].counts
    assert overdose["peers"] == rule.Count(6, 6)
    assert overdose["certified"] == rule.Count(5, 6), "all six certified: shown as a range, never as all of them"
    assert overdose["renewal_due"] == rule.Count(1, 1)
    assert all(count is None for count in rows["Courts"].counts.values()), "a team of one peer"
    assert rows["Courts"].reason == rule.POOLED_REASON
    assert rows["Reentry"].counts["peers"] is None, "pooled with Courts, so that Courts cannot be worked out"
    assert rows["Reentry"].reason == rule.POOLED_REASON
    assert rows[rule.POOL_GROUP].counts["peers"] == rule.Count(6, 6)
    for actor in (world.peer, world.supervisor, world.admin):
        with pytest.raises(PermissionDenied):
            trainings.team_counts(session, actor=actor, on=today)


def test_a_lead_who_is_a_peer_or_supervises_part_of_a_team_does_not_count_them_toward_k(session, world):
    today = world.today
    extra = [add_user(session, username=f"peer_{number}", roles="peer", program=world.program, team=world.team)
             for number in range(2)]
    for number in range(5):
        add_user(session, username=f"reentry_{number}", roles="peer", program=world.program, team=world.other_team)
    session.commit()
    team_peers = [world.peer, world.peer_scores, world.peer_completion, *extra]
    for person in team_peers[:3]:
        record(session, person, person, today=today, renews_in=400)
    before = {row.team: row for row in trainings.team_counts(session, actor=world.lead, on=today).rows}
    assert before["Overdose response"].counts["peers"] == rule.Count(5, 5)
    assert before["Overdose response"].counts["certified"] == rule.Count(3, 3)

    session.add(SupervisionAssignment(supervisor_id=world.lead.id, supervisee_id=world.peer.id,
                                      functions=frozenset({"administrative"}), started_on=today - timedelta(days=400),
                                      ended_on=today - timedelta(days=300)))
    session.commit()
    after = {row.team: row for row in trainings.team_counts(session, actor=world.lead, on=today).rows}
    assert after["Overdose response"].reason == rule.VIEWER_REASON, "four peers besides the one they supervised"
    assert after["Reentry"].counts["certified"] == rule.Count(0, 1), "none of the team: a range"
    assert after[TOTAL].counts["certified"] == rule.Count(3, 3), "Overdose response: 2 or 3 of 5, never none or all"
    assert after[TOTAL].counts["peers"] == rule.Count(11, 11)


def test_lead_counts_are_the_snapshot_of_the_last_closed_month_and_never_change(session, world):
    today = world.today
    extra = [add_user(session, username=f"peer_{number}", roles="peer", program=world.program, team=world.team)
             for number in range(3)]
    session.commit()
    team_peers = [world.peer, world.peer_scores, world.peer_completion, *extra]
    for person in team_peers[:3]:
        record(session, person, person, today=today, renews_in=400)
    record(session, team_peers[3], team_peers[3], today=today, completed_days_ago=10, renews_in=400)
    counts = trainings.team_counts(session, actor=world.lead, on=today)
    assert counts.month == date(2026, 10, 1)
    rows = {row.team: row for row in counts.rows}
    assert rows["Overdose response"].counts["certified"] == rule.Count(3, 3), "completed after October: not counted"
    record(session, team_peers[4], team_peers[4], today=today, completed_days_ago=40, renews_in=400)
    add_user(session, username="joined_late", roles="peer", program=world.program, team=world.team)
    session.commit()
    assert trainings.team_counts(session, actor=world.lead, on=today) == counts, "a late record changes nothing shown"
    assert trainings.team_counts(session, actor=world.lead, on=today + timedelta(days=3)) == counts


def test_a_lead_of_one_team_sees_that_team_and_not_the_program(session, world):
    team_lead = add_user(session, username="team_lead", roles="lead", program=world.program, team=world.team)
    for number in range(5):
        add_user(session, username=f"peer_{number}", roles="peer", program=world.program, team=world.other_team)
    session.commit()
    rows = trainings.team_counts(session, actor=team_lead, on=world.today).rows
    assert [row.team for row in rows] == ["Overdose response"]
    whole = [row.team for row in trainings.team_counts(session, actor=world.lead, on=world.today).rows]
    assert whole == ["Overdose response", "Reentry", TOTAL]
