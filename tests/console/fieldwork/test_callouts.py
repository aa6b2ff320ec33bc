from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

import scoring
from console.core.errors import NotFound, PermissionDenied, ValidationError
from console.core.i18n import _
from console.core.program_settings import ProgramSettings, write_settings
from console.fieldwork import callouts
from console.supervision import supervisor_week
from console.supervision.sessions import session_record
from console.supervision.shared_view import view_for_supervisor
from console.wellness import checkins
from db.models import AuditEvent, CallOut, ExposureTally, OutboxMessage, PulseCheckin, SupervisionAssignment, SupervisionSession
from scoring import release as rule
from tests.conftest import add_user

ANSWERS = {"energy": 3, "stress": 3, "sleep": 3, "workload": 3, "supported": 3, "connection": 3, "satisfaction": 3}
TUESDAY_2PM = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


def _log(session, peer, *, key: str, start: datetime = TUESDAY_2PM, kind: str = "overdose_nonfatal",
         setting: str = "street", rating: int = 2, **more) -> callouts.LoggedCallOut:
    return callouts.log_callout(session, actor=peer, started_at=start, ended_at=start + timedelta(hours=1),
                                kind=kind, setting=setting, rating=rating, idempotency_key=key,
                                with_whom=more.pop("with_whom", ("police", "ems")), **more)


def _outbox(session, kind: str) -> list[OutboxMessage]:
    return list(session.exec(select(OutboxMessage).where(OutboxMessage.kind == kind)).all())


def test_a_call_out_is_stored_with_its_note_encrypted_and_every_supervisor_is_told(session, world):
    logged = _log(session, world.peer, key="c1", note="Long wait for EMS; I stayed calm.", note_shared=True,
                  actions=("engaged", "naloxone"))
    stored = session.get(CallOut, logged.id)
    assert stored.note == "Long wait for EMS; I stayed calm." and stored.note_shared
    raw = session.connection().exec_driver_sql("SELECT note FROM callout").scalar_one()
    assert "EMS" not in raw
    assert (logged.hard, logged.after_hours, logged.exposures) == (False, False, ("overdose_scene",))
    recipients = {message.recipient_id for message in _outbox(session, "callout_logged")}
    assert recipients == {world.supervisor.id, world.admin_supervisor.id}
    for message in _outbox(session, "callout_logged"):
        assert set(message.params) == set()
    assert _log(session, world.peer, key="c1").id == logged.id, "idempotent"
    assert len(session.exec(select(CallOut)).all()) == 1


def test_after_hours_follows_the_program_working_hours(session, world):
    write_settings(session, actor=world.admin, on=world.today,
                   changes={"working_hours_start": "07:00", "working_hours_end": "14:00"})
    assert _log(session, world.peer, key="late", start=TUESDAY_2PM).after_hours
    assert not _log(session, world.peer, key="early", start=TUESDAY_2PM - timedelta(hours=4)).after_hours
    saturday = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    assert _log(session, world.peer, key="weekend", start=saturday).after_hours


@pytest.mark.parametrize(("moment", "after"), [
    (datetime(2026, 11, 24, 13, 59, tzinfo=UTC), True),
    (datetime(2026, 11, 24, 14, 0, tzinfo=UTC), False),
    (datetime(2026, 11, 24, 23, 0, tzinfo=UTC), False),
    (datetime(2026, 11, 25, 0, 0, tzinfo=UTC), True),
    (datetime(2026, 11, 24, 13, 0, tzinfo=UTC), True),
])
def test_working_hours_are_read_in_the_program_time_zone(moment, after):
    chicago = ProgramSettings(time_zone="America/Chicago", working_hours_start="08:00", working_hours_end="18:00")
    assert chicago.is_after_hours(moment) is after


def test_working_hours_settings_are_checked():
    problems = ProgramSettings(working_hours_start="9am", working_hours_end="08:00", working_days="funday").problems()
    assert set(problems) >= {"working_hours_start", "working_days"}
    reversed_day = ProgramSettings(working_hours_start="18:00", working_hours_end="08:00").problems()
    assert "must end after it starts" in reversed_day["working_hours_end"]


def test_bad_input_is_refused_beside_each_field_and_nothing_is_written(session, world):
    with pytest.raises(ValidationError) as raised:
        callouts.log_callout(session, actor=world.peer, started_at=TUESDAY_2PM, ended_at=TUESDAY_2PM,
                             kind="robbery", setting="moon", rating=9, with_whom=("army",), idempotency_key="bad")
    assert set(raised.value.problems) == {"ended_at", "kind", "setting", "rating", "with_whom"}
    with pytest.raises(ValidationError) as raised:
        _log(session, world.peer, key="future", start=datetime.now(UTC) + timedelta(hours=2))
    assert "future" in raised.value.problems["started_at"]
    session.rollback()
    assert session.exec(select(CallOut)).all() == []


def test_a_note_that_may_identify_the_person_served_is_warned_about_until_the_peer_confirms(session, world):
    with pytest.raises(ValidationError) as raised:
        _log(session, world.peer, key="w", note="Met Mr Jones at 412 Oak Street, call him on 555-123-4567")
    warning = raised.value.problems["note"]
    assert "phone number" in warning and "address" in warning and "name" in warning
    session.rollback()
    logged = _log(session, world.peer, key="w2", note="Call at 412 Oak Street", identifiers_confirmed=True)
    assert session.get(CallOut, logged.id).note == "Call at 412 Oak Street"


def test_only_the_peer_logs_their_call_outs(session, world):
    for actor in (world.supervisor, world.lead, world.admin):
        with pytest.raises(PermissionDenied):
            _log(session, actor, key=f"x{actor.id}")


def test_the_supervisor_sees_the_log_within_the_sharing_level(session, world):
    for peer in (world.peer, world.peer_completion):
        _log(session, peer, key=f"s{peer.id}", rating=3, note="Hard to see the family.", note_shared=True)
    _log(session, world.peer, key="private", rating=1, note="Private thought.", setting="jail")
    views = {view.peer_id: view for view in callouts.supervisees_callouts(session, actor=world.supervisor,
                                                                          on=world.today)}
    bands, completion = views[world.peer.id], views[world.peer_completion.id]
    assert completion.kinds == {"overdose_nonfatal": 1}
    assert [entry.rating for entry in completion.entries] == [None]
    assert [entry.note for entry in completion.entries] == ["Hard to see the family."]
    assert sorted(entry.rating for entry in bands.entries) == [1, 3]
    assert sorted(entry.note or "" for entry in bands.entries) == ["", "Hard to see the family."]
    admin_view = {view.peer_id: view for view in callouts.supervisees_callouts(
        session, actor=world.admin_supervisor, on=world.today)}[world.peer.id]
    assert all(entry.rating is None and entry.note is None for entry in admin_view.entries)
    assert not admin_view.offers_debriefs
    others = callouts.supervisees_callouts(session, actor=world.other_supervisor, on=world.today)
    assert [(view.peer_id, view.entries) for view in others] == [(world.other_peer.id, ())]
    reads = session.exec(select(AuditEvent).where(AuditEvent.action == "viewed_callouts")).all()
    assert {event.subject_id for event in reads} >= {world.peer.id, world.peer_completion.id}


def test_call_outs_count_as_the_weeks_exposures_once(session, world):
    _log(session, world.peer, key="od", kind="overdose_fatal", setting="home")
    _log(session, world.peer, key="od2", kind="overdose_nonfatal", setting="court")
    precounted = callouts.precounted_for_checkin(session, actor=world.peer, on=world.today)
    assert precounted.exposures == ("death_of_person_served", "overdose_scene", "triggering_setting")
    assert precounted.callouts == 2
    checkins.submit_pulse(session, actor=world.peer, answers=ANSWERS, exposures=["overdose_scene", "threat_or_violence"],
                          idempotency_key="pulse")
    pulse = session.exec(select(PulseCheckin)).one()
    assert pulse.exposures == {"overdose_scene", "death_of_person_served", "triggering_setting",
                               "threat_or_violence"}
    tally = {row.code: row.count for row in session.exec(select(ExposureTally))}
    assert tally == {"overdose_scene": 1, "death_of_person_served": 1, "triggering_setting": 1,
                     "threat_or_violence": 1}
    _log(session, world.peer, key="od3", kind="overdose_nonfatal", setting="street")
    assert {row.code: row.count for row in session.exec(select(ExposureTally))} == tally, "no double count"


def test_a_call_out_logged_after_the_check_in_joins_it(session, world):
    checkins.submit_pulse(session, actor=world.peer, answers=ANSWERS, idempotency_key="pulse")
    write_settings(session, actor=world.admin, on=world.today, changes={"working_hours_end": "12:00"})
    _log(session, world.peer, key="later", kind="welfare_check", setting="jail")
    pulse = session.exec(select(PulseCheckin)).one()
    session.refresh(pulse)
    assert pulse.exposures == {"triggering_setting"}
    assert pulse.after_hours_callouts == 1
    assert {row.code: row.count for row in session.exec(select(ExposureTally))} == {"triggering_setting": 1}


def test_a_fatal_overdose_opens_the_after_incident_path(session, world):
    logged = _log(session, world.peer, key="fatal", kind="overdose_fatal", rating=3)
    assert logged.hard
    debrief_mail = _outbox(session, "debrief_to_offer")
    assert {message.recipient_id for message in debrief_mail} == {world.supervisor.id}, "supportive only"
    assert debrief_mail[0].params["window_hours"] == 72
    mine = callouts.my_callouts(session, actor=world.peer, on=world.today)
    assert [entry.id for entry in mine.awaiting_after_checkin] == [logged.id]
    callouts.after_incident_checkin(session, actor=world.peer, callout_id=logged.id,
                                    answers={"right_now": 2, "carry_on": 3, "someone_to_talk": None},
                                    wants_debrief=True)
    stored = session.get(CallOut, logged.id)
    assert stored.after_checkin == {"right_now": 2, "carry_on": 3, "someone_to_talk": None}
    assert stored.debrief_requested_at is not None
    assert callouts.my_callouts(session, actor=world.peer, on=world.today).awaiting_after_checkin == ()
    with pytest.raises(ValidationError):
        callouts.after_incident_checkin(session, actor=world.peer, callout_id=logged.id, answers={"right_now": 9})
    with pytest.raises(NotFound):
        callouts.request_debrief(session, actor=world.peer_scores, callout_id=logged.id)


def test_a_call_rated_very_hard_reaches_only_a_supervisor_who_sees_ratings(session, world):
    _log(session, world.peer_completion, key="vh", rating=callouts.VERY_HARD)
    assert _outbox(session, "debrief_to_offer") == []
    view = {view.peer_id: view for view in callouts.supervisees_callouts(
        session, actor=world.supervisor, on=world.today)}[world.peer_completion.id]
    assert view.debriefs_to_offer == ()
    logged = _log(session, world.peer, key="vh2", rating=callouts.VERY_HARD)
    assert [message.recipient_id for message in _outbox(session, "debrief_to_offer")] == [world.supervisor.id]
    completion_call = session.exec(select(CallOut).where(CallOut.peer_id == world.peer_completion.id)).one()
    callouts.request_debrief(session, actor=world.peer_completion, callout_id=completion_call.id)
    assert len(_outbox(session, "debrief_to_offer")) == 2
    assert logged.hard


def test_a_debrief_is_recorded_as_supportive_supervision_and_clears_the_prompt(session, world):
    logged = _log(session, world.peer, key="fatal", kind="overdose_fatal")
    view = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    assert [item.what for item in view.debriefs_to_offer] == ["a fatal overdose"]
    with pytest.raises(PermissionDenied):
        callouts.record_debrief(session, actor=world.admin_supervisor, callout_ids=[logged.id],
                                held_on=world.today, duration_minutes=20, idempotency_key="no")
    record = callouts.record_debrief(session, actor=world.supervisor, callout_ids=[logged.id], held_on=world.today,
                                     duration_minutes=20, idempotency_key="d1", note="Talked it through.")
    row = session.get(SupervisionSession, record.session_id)
    assert row.minutes_supportive == 20 and row.kind == "individual"
    assert session.get(CallOut, logged.id).debrief_session_id == row.id
    view = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    assert view.debriefs_to_offer == ()
    with pytest.raises(ValidationError):
        callouts.record_debrief(session, actor=world.supervisor, callout_ids=[logged.id], held_on=world.today,
                                duration_minutes=20, idempotency_key="d2")
    assert session_record(session, actor=world.supervisor, session_id=row.id)


def test_a_team_debrief_after_a_shared_incident_is_a_group_session(session, world):
    first = _log(session, world.peer, key="a", kind="overdose_fatal")
    second = _log(session, world.peer_scores, key="b", kind="overdose_fatal")
    callouts.record_debrief(session, actor=world.supervisor, callout_ids=[first.id, second.id],
                            held_on=world.today, duration_minutes=45, idempotency_key="team")
    row = session.exec(select(SupervisionSession)).one()
    assert row.kind == "group"
    assert {session.get(CallOut, first.id).debrief_session_id,
            session.get(CallOut, second.id).debrief_session_id} == {row.id}


def test_the_prep_sheet_flags_a_hard_call_whose_window_passed_without_a_debrief(session, world):
    four_days_ago = datetime.combine(world.today - timedelta(days=4), datetime.min.time(), tzinfo=UTC) + timedelta(
        hours=10)
    _log(session, world.peer, key="fatal", kind="overdose_fatal", start=four_days_ago)
    view = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    assert "debrief_window_passed" in {flag.code for flag in view.flags}
    write_settings(session, actor=world.admin, on=world.today, changes={"debrief_window_hours": 120})
    view = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    assert "debrief_window_passed" not in {flag.code for flag in view.flags}
    admin_view = view_for_supervisor(session, actor=world.admin_supervisor, peer_id=world.peer.id, on=world.today)
    assert admin_view.debriefs_to_offer == ()


def test_the_debrief_flag_rule():
    ended = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)
    call = scoring.HardCallInput(ended, "a fatal overdose", debriefed=False)
    settings = scoring.FlagSettings(debrief_window_hours=72)
    assert scoring.debrief_due(ended, window_hours=72) == datetime(2026, 11, 5, 18, 0, tzinfo=UTC)

    def flagged(today: date, *calls: scoring.HardCallInput) -> bool:
        flags = scoring.supervision_flags(today=today, assessments=[], pulses=[], sessions=[], action_items=[],
                                          settings=settings, hard_calls=calls)
        return any(flag.code == "debrief_window_passed" for flag in flags)

    assert not flagged(date(2026, 11, 5), call)
    assert flagged(date(2026, 11, 6), call)
    assert not flagged(date(2026, 11, 6), scoring.HardCallInput(ended, "a fatal overdose", debriefed=True))
    assert not flagged(date(2026, 12, 20), call), "older than the supportive gap: that rule takes over"


def test_leads_see_call_outs_per_team_of_closed_months_only(session, world):
    team_peers = [world.peer, world.peer_scores, world.peer_completion]
    team_peers += [add_user(session, username=f"extra_{number}", roles="peer", program=world.program,
                            team=world.team) for number in range(3)]
    session.commit()
    october = datetime(2026, 10, 14, 20, 0, tzinfo=UTC)
    for peer in team_peers:
        session.add(CallOut(peer_id=peer.id, started_at=october, ended_at=october + timedelta(hours=1),
                            week_start=callouts.callout_week(october), after_hours=True, kind="welfare_check",
                            setting="home", rating=2, idempotency_key=f"oct{peer.id}"))
    session.commit()
    _log(session, world.peer, key="this-month")
    figures = callouts.lead_callouts(session, actor=world.lead, on=world.today)
    by_team = {figure.team: figure for figure in figures.teams}
    assert by_team["Overdose response"].callouts == 6
    assert by_team["Overdose response"].after_hours_share == 1.0
    assert by_team["Overdose response"].kinds["welfare_check"] == 6
    with pytest.raises(PermissionDenied):
        callouts.lead_callouts(session, actor=world.supervisor, on=world.today)


def test_a_lead_who_supervises_part_of_a_team_sees_its_call_outs_withheld(session, world):
    team_peers = [world.peer, world.peer_scores, world.peer_completion]
    team_peers += [add_user(session, username=f"extra_{number}", roles="peer", program=world.program,
                            team=world.team) for number in range(3)]
    october = datetime(2026, 10, 14, 20, 0, tzinfo=UTC)
    for peer in team_peers:
        session.add(CallOut(peer_id=peer.id, started_at=october, ended_at=october + timedelta(hours=1),
                            week_start=callouts.callout_week(october), after_hours=True, kind="welfare_check",
                            setting="home", rating=2, idempotency_key=f"oct{peer.id}"))
    for peer in team_peers[:2]:
        session.add(SupervisionAssignment(supervisor_id=world.lead.id, supervisee_id=peer.id,
                                          functions=frozenset({"administrative"}),
                                          started_on=world.today - timedelta(days=30)))
    session.commit()
    figures = callouts.lead_callouts(session, actor=world.lead, on=world.today)
    by_team = {figure.team: figure for figure in figures.teams}
    assert by_team["Overdose response"].callouts is None
    assert by_team["Overdose response"].reason == _(callouts.PERIOD_HIDDEN)
    october = {figure.team: figure for figure in figures.months[-1].teams}
    assert october["Overdose response"].callouts is None
    assert october["Overdose response"].reason.startswith(rule.VIEWER_REASON)
    assert october["All teams"].callouts is None


def test_a_lead_of_one_team_sees_that_team_and_no_total(session, world):
    team_lead = add_user(session, username="team_lead", roles="lead", program=world.program, team=world.other_team)
    session.commit()
    october = datetime(2026, 10, 14, 20, 0, tzinfo=UTC)
    session.add(CallOut(peer_id=world.other_peer.id, started_at=october, ended_at=october + timedelta(hours=1),
                        week_start=callouts.callout_week(october), after_hours=True, kind="other", setting="jail",
                        rating=2, idempotency_key="other"))
    session.commit()
    figures = callouts.lead_callouts(session, actor=team_lead, on=world.today)
    assert [(figure.team, figure.callouts) for figure in figures.teams] == [("Reentry", None)]


def test_the_prep_sheet_and_its_printable_copy_carry_the_debrief_prompt(session, world):
    _log(session, world.peer, key="fatal", kind="overdose_fatal")
    cards = supervisor_week.prep_sheet(session, actor=world.supervisor, on=world.today)
    card = next(card for card in cards if card.view.peer_id == world.peer.id)
    assert [debrief.what for debrief in card.view.debriefs_to_offer] == ["a fatal overdose"]
    text = supervisor_week.printable_prep_sheet(cards, supervisor_name="Supervisor", on=world.today)
    assert "After a hard call (a fatal overdose" in text
    admin_cards = supervisor_week.prep_sheet(session, actor=world.admin_supervisor, on=world.today)
    assert all(card.view.debriefs_to_offer == () for card in admin_cards)
