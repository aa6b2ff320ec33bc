from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import func, select

from console.core.errors import PermissionDenied, ValidationError
from console.wellness.checkins import (
    MAX_NOTE_LENGTH,
    WeekAlreadyRecorded,
    my_recent_pulses,
    submit_pulse,
    this_weeks_pulse,
    week_feedback,
)
from db.models import AuditEvent, ExposureTally, PulseCheckin
from tests.conftest import add_user

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
ANSWERS = {"energy": 2, "stress": 4, "sleep": 3, "workload": 2, "supported": 4, "connection": 3, "satisfaction": 4}


def _key() -> str:
    return uuid.uuid4().hex


def _submit(session, actor, *, now=MONDAY, **overrides):
    values = dict(answers=ANSWERS, idempotency_key=_key(), exposures=["overdose_scene"], self_care=["sleep"],
                  caseload=24, hours=42.5, after_hours_callouts=2, now=now)
    values.update(overrides)
    return submit_pulse(session, actor=actor, **values)


def _pulse_count(session) -> int:
    return session.exec(select(func.count()).select_from(PulseCheckin)).one()


def _raw_pulse(session, pulse_id: int) -> tuple[str, str | None]:
    return session.execute(text("SELECT answers, note FROM pulsecheckin WHERE id = :id"), {"id": pulse_id}).one()


def _raw_checklists(session, pulse_id: int) -> tuple[str, str]:
    return session.execute(text("SELECT exposures, self_care FROM pulsecheckin WHERE id = :id"),
                           {"id": pulse_id}).one()


def _tally(session) -> dict[tuple[int, str], int]:
    return {(row.team_id, row.code): row.count for row in session.exec(select(ExposureTally)) if row.count}


def test_valid_pulse_is_stored_once_with_encrypted_answers_and_strain(session, world):
    pulse = _submit(session, world.peer, note="Rough week after the call on Tuesday.", note_shared=True,
                    exposures=["overdose_scene", "triggering_setting"], wants_to_talk=True)
    assert _pulse_count(session) == 1
    session.expire_all()
    stored = session.get(PulseCheckin, pulse.id)
    assert stored.peer_id == world.peer.id
    assert stored.answers == ANSWERS
    assert stored.strain == 53.6
    assert stored.week_start == MONDAY.date()
    assert (stored.iso_year, stored.iso_week) == (2026, 48)
    assert stored.exposures == "overdose_scene,triggering_setting"
    assert stored.self_care == "sleep"
    assert (stored.caseload, stored.hours, stored.after_hours_callouts) == (24, 42.5, 2)
    assert stored.note == "Rough week after the call on Tuesday."
    assert stored.note_shared and stored.wants_to_talk
    raw_answers, raw_note = _raw_pulse(session, pulse.id)
    assert raw_answers.startswith("gAAAAA") and "energy" not in raw_answers
    assert raw_note.startswith("gAAAAA") and "Tuesday" not in raw_note
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "pulse_submitted")).one()
    assert (event.actor_id, event.subject_id) == (world.peer.id, world.peer.id)
    assert "Tuesday" not in event.detail


def test_note_is_shared_only_when_there_is_a_note(session, world):
    pulse = _submit(session, world.peer, note="   ", note_shared=True)
    assert pulse.note is None
    assert pulse.note_shared is False


def test_too_few_answers_store_no_strain(session, world):
    assert _submit(session, world.peer, answers={"energy": 1, "stress": 5}).strain is None


def test_same_idempotency_key_twice_stores_one_row(session, world):
    key = _key()
    first = _submit(session, world.peer, idempotency_key=key)
    second = _submit(session, world.peer, idempotency_key=key, caseload=99)
    assert first.id == second.id
    assert _pulse_count(session) == 1
    assert session.get(PulseCheckin, first.id).caseload == 24
    assert session.exec(select(func.count()).select_from(AuditEvent)).one() == 1


def test_another_peers_idempotency_key_is_not_returned(session, world):
    key = _key()
    _submit(session, world.peer, idempotency_key=key)
    with pytest.raises(ValidationError):
        _submit(session, world.other_peer, idempotency_key=key)
    assert _pulse_count(session) == 1


def test_missing_or_overlong_idempotency_key_is_refused(session, world):
    for key in ("", "k" * 65):
        with pytest.raises(ValidationError):
            _submit(session, world.peer, idempotency_key=key)
    assert _pulse_count(session) == 0


def test_second_check_in_in_the_same_week_is_refused_unless_replacing(session, world):
    first = _submit(session, world.peer, caseload=20)
    later_that_week = MONDAY + timedelta(days=4)
    with pytest.raises(WeekAlreadyRecorded):
        _submit(session, world.peer, now=later_that_week, caseload=25)
    session.rollback()
    assert _pulse_count(session) == 1

    replaced = _submit(session, world.peer, now=later_that_week, caseload=25, replace=True)
    assert replaced.id == first.id
    assert _pulse_count(session) == 1
    session.expire_all()
    stored = session.get(PulseCheckin, first.id)
    assert stored.caseload == 25
    assert stored.replaced_at == later_that_week
    actions = session.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["pulse_submitted", "pulse_replaced"]


def test_next_week_is_a_new_check_in(session, world):
    _submit(session, world.peer)
    _submit(session, world.peer, now=MONDAY + timedelta(days=7))
    assert _pulse_count(session) == 2


INVALID_INPUTS = [
    ("caseload", {"caseload": 201}),
    ("caseload", {"caseload": -1}),
    ("caseload", {"caseload": 12.5}),
    ("caseload", {"caseload": "twelve"}),
    ("caseload", {"caseload": True}),
    ("hours", {"hours": 101}),
    ("hours", {"hours": -0.5}),
    ("hours", {"hours": "forty"}),
    ("hours", {"hours": float("nan")}),
    ("caseload", {"caseload": float("inf")}),
    ("after_hours_callouts", {"after_hours_callouts": -1}),
    ("after_hours_callouts", {"after_hours_callouts": 51}),
    ("exposures", {"exposures": ["overdose_scene", "alien_abduction"]}),
    ("self_care", {"self_care": ["nap", "sleep"]}),
    ("answers", {"answers": {key: None for key in ANSWERS}}),
    ("answers", {"answers": {}}),
    ("energy", {"answers": {**ANSWERS, "energy": 6}}),
    ("energy", {"answers": {**ANSWERS, "energy": 0}}),
    ("energy", {"answers": {**ANSWERS, "energy": 2.5}}),
    ("energy", {"answers": {**ANSWERS, "energy": 3.0}}),
    ("energy", {"answers": {**ANSWERS, "energy": True}}),
    ("mood", {"answers": {**ANSWERS, "mood": 3}}),
    ("note", {"note": "x" * (MAX_NOTE_LENGTH + 1)}),
]


def test_invalid_input_names_the_field_and_writes_nothing(session, world):
    for field, overrides in INVALID_INPUTS:
        with pytest.raises(ValidationError) as raised:
            _submit(session, world.peer, **overrides)
        assert raised.value.problems.get(field), (field, overrides, raised.value.problems)
        session.rollback()
        assert _pulse_count(session) == 0
        assert session.exec(select(func.count()).select_from(AuditEvent)).one() == 0


def test_limits_are_accepted(session, world):
    pulse = _submit(session, world.peer, caseload=200, hours=100, after_hours_callouts=50)
    assert (pulse.caseload, pulse.hours, pulse.after_hours_callouts) == (200, 100, 50)


def test_longest_note_is_accepted_and_stored_encrypted(session, world):
    note = ("Long reflection " + uuid.uuid4().hex + " ") * 300
    note = note[:MAX_NOTE_LENGTH - 1] + "!"
    assert len(note) == MAX_NOTE_LENGTH
    pulse = _submit(session, world.peer, note=note)
    session.expire_all()
    assert session.get(PulseCheckin, pulse.id).note == note
    _, raw_note = _raw_pulse(session, pulse.id)
    assert raw_note.startswith("gAAAAA") and "Long reflection" not in raw_note


def test_only_a_peer_submits_a_check_in(session, world):
    for actor in (world.supervisor, world.lead, world.admin):
        with pytest.raises(PermissionDenied):
            _submit(session, actor)
    assert _pulse_count(session) == 0


def test_inactive_peer_cannot_submit(session, world):
    world.peer.active = False
    session.add(world.peer)
    session.commit()
    with pytest.raises(PermissionDenied):
        _submit(session, world.peer)


def test_my_recent_pulses_returns_only_my_rows_newest_first(session, world):
    for week in range(3):
        _submit(session, world.peer, now=MONDAY - timedelta(weeks=week), caseload=20 + week)
    _submit(session, world.other_peer, caseload=99)
    _submit(session, world.peer_scores, caseload=98)

    mine = my_recent_pulses(session, actor=world.peer)
    assert [summary.caseload for summary in mine] == [20, 21, 22]
    assert [summary.week_start for summary in mine] == [MONDAY.date() - timedelta(weeks=week) for week in range(3)]
    assert all(not hasattr(summary, "answers") and not hasattr(summary, "note") for summary in mine)
    assert [summary.caseload for summary in my_recent_pulses(session, actor=world.peer, limit=1)] == [20]
    assert [summary.caseload for summary in my_recent_pulses(session, actor=world.other_peer)] == [99]


def test_this_weeks_pulse(session, world):
    assert this_weeks_pulse(session, actor=world.peer, on=MONDAY.date()) is None
    _submit(session, world.peer)
    assert this_weeks_pulse(session, actor=world.peer, on=(MONDAY + timedelta(days=6)).date()).caseload == 24
    assert this_weeks_pulse(session, actor=world.peer, on=(MONDAY + timedelta(days=7)).date()) is None


def test_non_peers_have_no_check_in_history(session, world):
    for actor in (world.supervisor, world.admin):
        with pytest.raises(PermissionDenied):
            my_recent_pulses(session, actor=actor)


STEADY = {key: 3 for key in ANSWERS}
HARD = {"energy": 1, "stress": 5, "sleep": 1, "workload": 1, "supported": 1, "connection": 1, "satisfaction": 1}


def _weeks_of(session, actor, answers_by_week):
    for weeks_ago, answers in enumerate(reversed(answers_by_week)):
        _submit(session, actor, now=MONDAY - timedelta(weeks=weeks_ago), answers=answers, exposures=[],
                self_care=["sleep"])


def test_no_feedback_before_this_weeks_check_in(session, world):
    assert week_feedback(session, actor=world.peer, on=MONDAY.date()) is None


def test_early_check_ins_say_the_usual_comes_later(session, world):
    _weeks_of(session, world.peer, [STEADY, STEADY])
    feedback = week_feedback(session, actor=world.peer, on=MONDAY.date())
    assert feedback.strain == 50.0 and not feedback.unusual
    assert "After a few more weekly check-ins" in feedback.comparison


def test_a_week_above_the_personal_baseline_is_unusual_for_you(session, world):
    _weeks_of(session, world.peer, [STEADY] * 5 + [HARD])
    feedback = week_feedback(session, actor=world.peer, on=MONDAY.date())
    assert feedback.unusual
    assert feedback.comparison == ("This week was harder than your usual: strain 100 out of 100, where your "
                                   "recent weeks were around 50.")


def test_a_usual_week_is_not_called_unusual(session, world):
    _weeks_of(session, world.peer, [STEADY] * 5 + [{**STEADY, "stress": 4}])
    feedback = week_feedback(session, actor=world.peer, on=MONDAY.date())
    assert not feedback.unusual
    assert feedback.comparison.startswith("This week looks about usual for you")


def test_a_lighter_week_says_so(session, world):
    _weeks_of(session, world.peer, [STEADY] * 5 + [{key: 4 for key in ANSWERS} | {"stress": 2}])
    assert week_feedback(session, actor=world.peer, on=MONDAY.date()).comparison.startswith("This week was lighter")


def test_feedback_suggests_self_care_that_fits_what_was_reported(session, world):
    _submit(session, world.peer, exposures=["overdose_scene"], answers={**STEADY, "sleep": 1}, self_care=[],
            wants_to_talk=True)
    feedback = week_feedback(session, actor=world.peer, on=MONDAY.date())
    assert [strategy.code for strategy in feedback.suggestions] == [
        "debrief", "letting_go_ritual", "reach_colleague", "rest"]
    assert feedback.wants_to_talk


def test_too_few_answers_give_no_strain_but_kind_words(session, world):
    _submit(session, world.peer, answers={"energy": 2})
    feedback = week_feedback(session, actor=world.peer, on=MONDAY.date())
    assert feedback.strain is None and "That's fine" in feedback.comparison


def test_checklists_are_stored_encrypted(session, world):
    pulse = _submit(session, world.peer, exposures=["recovery_pressure", "people_from_past"],
                    self_care=["letting_go_ritual", "time_away"])
    raw_exposures, raw_self_care = _raw_checklists(session, pulse.id)
    for raw in (raw_exposures, raw_self_care):
        assert raw.startswith("gAAAAA")
    for code in ("recovery_pressure", "people_from_past", "letting_go_ritual", "time_away"):
        assert code not in raw_exposures + raw_self_care
    empty = _submit(session, world.peer_scores, exposures=[], self_care=[])
    assert all(raw.startswith("gAAAAA") for raw in _raw_checklists(session, empty.id))
    session.expire_all()
    assert session.get(PulseCheckin, empty.id).exposures == ""


def test_exposure_counts_follow_a_check_in_and_its_replacement(session, world):
    team = world.team.id
    _submit(session, world.peer, exposures=["overdose_scene", "recovery_pressure"])
    _submit(session, world.peer_scores, exposures=["overdose_scene"])
    assert _tally(session) == {(team, "overdose_scene"): 2, (team, "recovery_pressure"): 1}
    _submit(session, world.peer, exposures=["threat_or_violence"], replace=True, now=MONDAY + timedelta(days=2))
    assert _tally(session) == {(team, "overdose_scene"): 1, (team, "threat_or_violence"): 1}
    repeated = _key()
    for _ in range(2):
        _submit(session, world.peer_scores, exposures=[], replace=True, idempotency_key=repeated,
                now=MONDAY + timedelta(days=3))
    assert _tally(session) == {(team, "threat_or_violence"): 1}
    months = {row.month for row in session.exec(select(ExposureTally))}
    assert months == {MONDAY.date().replace(day=1)}


def test_a_refused_check_in_leaves_the_counts_alone(session, world):
    _submit(session, world.peer, exposures=["overdose_scene"])
    before = _tally(session)
    with pytest.raises(WeekAlreadyRecorded):
        _submit(session, world.peer, exposures=["recovery_pressure"])
    session.rollback()
    with pytest.raises(ValidationError):
        _submit(session, world.peer, exposures=["not_a_code"], replace=True)
    session.rollback()
    assert _tally(session) == before


def test_each_check_in_counts_in_its_peer_s_team_and_a_peer_on_no_team_nowhere(session, world):
    _submit(session, world.other_peer, exposures=["overdose_scene"])
    loner = add_user(session, username="peer_without_team", roles="peer", program=world.program)
    session.commit()
    pulse = _submit(session, loner, exposures=["death_of_person_served"])
    assert _tally(session) == {(world.other_team.id, "overdose_scene"): 1}
    assert pulse.tallied_team_id is None
