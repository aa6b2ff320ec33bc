from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import func, select

import scoring
from console.core.errors import PermissionDenied, ValidationError
from console.core.program_settings import write_settings
from console.wellness.assessments import (
    assessment_status,
    latest_result,
    missing_data_rule,
    my_instrument,
    parts_without_result,
    submit_assessment,
)
from db.models import Assessment, AssessmentScore, AuditEvent
from tests.conftest import add_user
from tests.peer_data import answers_for, at, key, take_assessment


def _count(session, table) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


def _scales(result) -> dict:
    return {scale.name: scale for scale in result.scales}


def test_a_full_assessment_is_scored_stored_with_encrypted_answers_and_audited(session, world):
    result = take_assessment(session, world.peer, on=world.today, burnout=44, stress=23, satisfaction=22)
    scales = _scales(result)
    assert (scales["burnout"].raw, scales["burnout"].band) == (44.0, "high")
    assert (scales["secondary_traumatic_stress"].raw, scales["secondary_traumatic_stress"].band) == (23.0, "moderate")
    assert (scales["compassion_satisfaction"].raw, scales["compassion_satisfaction"].band) == (22.0, "low")
    assert scales["burnout"].concern and scales["compassion_satisfaction"].concern
    assert not scales["secondary_traumatic_stress"].concern
    assert result.needs_support
    assert scales["burnout"].meaning.startswith("The work may be wearing you down")
    assert scales["burnout"].change == "Your first result: next time you'll see how it compares."
    stored = session.exec(select(AssessmentScore).where(AssessmentScore.assessment_id == result.assessment_id)).all()
    assert {row.scale: (row.raw, row.band, row.answered) for row in stored}["burnout"] == (44.0, 2, 10)
    raw_answers = session.execute(text("SELECT answers FROM assessment")).scalar_one()
    assert raw_answers.startswith("gAAAAA")
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "assessment_submitted")).one()
    assert (event.actor_id, event.subject_id) == (world.peer.id, world.peer.id)


def test_results_in_the_middle_do_not_call_for_support(session, world):
    assert not take_assessment(session, world.peer, on=world.today).needs_support


def test_the_same_idempotency_key_stores_one_assessment(session, world):
    token = key()
    answers = answers_for({"burnout": 30, "secondary_traumatic_stress": 30, "compassion_satisfaction": 30})
    first = submit_assessment(session, actor=world.peer, answers=answers, idempotency_key=token, now=at(world.today))
    second = submit_assessment(session, actor=world.peer, answers=answers, idempotency_key=token, now=at(world.today))
    assert first == second
    assert _count(session, Assessment) == 1
    with pytest.raises(ValidationError, match="form expired"):
        submit_assessment(session, actor=world.other_peer, answers=answers, idempotency_key=token,
                          now=at(world.today))


def test_one_skipped_item_is_prorated_and_two_leave_the_scale_without_a_result(session, world):
    burnout_items = [1, 4, 8, 10, 15, 17, 19, 21, 26, 29]
    result = take_assessment(session, world.peer, on=world.today, burnout=30, stress=30, satisfaction=30,
                             skip=(2, *burnout_items[:2]))
    scales = _scales(result)
    assert (scales["secondary_traumatic_stress"].raw, scales["secondary_traumatic_stress"].answered) == (30.0, 9)
    assert scales["burnout"].raw is None and scales["burnout"].band is None
    assert scales["burnout"].answered == 8 and not scales["burnout"].concern


def test_parts_without_result_names_the_scales_the_review_should_warn_about():
    proqol = scoring.load_instrument("proqol-style-30")
    answers = answers_for({"burnout": 30, "secondary_traumatic_stress": 30, "compassion_satisfaction": 30},
                          skip=(1, 4, 3))
    assert parts_without_result(proqol, answers) == ("Burnout",)
    assert "up to one question" in missing_data_rule(proqol)


BAD_ANSWERS = [
    ({31: 3}, "31"),
    ({1: 6}, "1"),
    ({1: 2.5}, "1"),
    ({1: True}, "1"),
    ({"1": 3}, "1"),
    ({}, "answers"),
    ({number: None for number in range(1, 31)}, "answers"),
]


@pytest.mark.parametrize(("answers", "field"), BAD_ANSWERS)
def test_bad_answers_are_refused_and_nothing_is_written(session, world, answers, field):
    with pytest.raises(ValidationError) as refused:
        submit_assessment(session, actor=world.peer, answers=answers, idempotency_key=key(), now=at(world.today))
    assert field in refused.value.problems
    session.rollback()
    assert _count(session, Assessment) == 0 and _count(session, AssessmentScore) == 0


def test_only_a_peer_takes_a_self_assessment(session, world):
    answers = answers_for({"burnout": 30})
    for actor in (world.supervisor, world.lead, world.admin):
        with pytest.raises(PermissionDenied):
            submit_assessment(session, actor=actor, answers=answers, idempotency_key=key(), now=at(world.today))
        with pytest.raises(PermissionDenied):
            latest_result(session, actor=actor)


def test_status_first_due_overdue_and_not_yet(session, world):
    first = assessment_status(session, actor=world.peer, on=world.today)
    assert first.last_taken_on is None and first.due and not first.overdue
    take_assessment(session, world.peer, on=world.today - timedelta(days=10))
    not_yet = assessment_status(session, actor=world.peer, on=world.today)
    assert not not_yet.due and not_yet.next_due_on == world.today + timedelta(days=20)
    assert assessment_status(session, actor=world.peer, on=world.today + timedelta(days=20)).due
    overdue = assessment_status(session, actor=world.peer, on=world.today + timedelta(days=28))
    assert overdue.due and overdue.overdue
    write_settings(session, actor=world.admin, changes={"assessment_cadence_days": 7}, on=world.today)
    assert assessment_status(session, actor=world.peer, on=world.today).due


def test_change_is_not_enough_data_without_a_program_baseline(session, world):
    take_assessment(session, world.peer, on=world.today - timedelta(days=30), burnout=25)
    result = take_assessment(session, world.peer, on=world.today, burnout=45)
    assert result.previous_taken_on == world.today - timedelta(days=30)
    change = _scales(result)["burnout"].change
    assert change.startswith("25 last time, 45 now. Not enough data to judge")


def test_change_uses_reliable_change_once_ten_peers_have_a_first_assessment(session, world):
    for number in range(10):
        peer = add_user(session, username=f"baseline_peer_{number}", roles="peer", program=world.program)
        take_assessment(session, peer, on=world.today - timedelta(days=60), burnout=20 + 2 * number,
                        stress=20 + 2 * number, satisfaction=20 + 2 * number)
    take_assessment(session, world.peer, on=world.today - timedelta(days=30), burnout=25, stress=30, satisfaction=35)
    result = take_assessment(session, world.peer, on=world.today, burnout=45, stress=31, satisfaction=22)
    scales = _scales(result)
    assert scales["burnout"].change.startswith("25 last time, 45 now: a real change in a harder direction")
    assert scales["secondary_traumatic_stress"].change.startswith("30 last time, 31 now: about the same")
    assert scales["compassion_satisfaction"].change.startswith("35 last time, 22 now: a real change in a harder")


def test_latest_result_is_the_peers_own_newest(session, world):
    assert latest_result(session, actor=world.peer) is None
    take_assessment(session, world.peer, on=world.today - timedelta(days=40), burnout=20)
    take_assessment(session, world.peer, on=world.today - timedelta(days=5), burnout=33)
    take_assessment(session, world.other_peer, on=world.today - timedelta(days=1), burnout=48)
    mine = latest_result(session, actor=world.peer)
    assert _scales(mine)["burnout"].raw == 33.0
    assert mine.previous_taken_on == world.today - timedelta(days=40)
    assert _scales(latest_result(session, actor=world.other_peer))["burnout"].raw == 48.0


def test_my_instrument_follows_the_setting(session, world):
    assert my_instrument(session, actor=world.peer).id == "proqol-style-30"
