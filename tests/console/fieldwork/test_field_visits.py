"""Field visit check-ins: the timer, its escalation on a controlled clock, acknowledgement, and what alerts say."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import text
from sqlmodel import col, select

from console.core.errors import PermissionDenied, ValidationError
from console.core.program_settings import write_settings
from console.fieldwork import field_visits
from console.notify import mail_sender
from console.notify.kinds import FIELD_VISIT_BACKUP, FIELD_VISIT_HELP, FIELD_VISIT_OVERDUE
from console.notify.reminders import enqueue_due
from db.models import FieldVisit, NotificationPreference, OutboxMessage, SafetyIncident, User
from tests.mail_servers import Handler, assert_no_wellness_data_leaks, smtp_server

START = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
LOCATION = "Blue house behind the laundromat on Elm, side door"
BACKUP = "duty.phone@example.org"


def at(moment: datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


def key() -> str:
    return uuid.uuid4().hex


def alerts(session, kind=None) -> list[OutboxMessage]:
    session.expire_all()
    kinds = [kind] if kind is not None else field_visits.ALERT_KINDS
    query = select(OutboxMessage).where(col(OutboxMessage.kind).in_([each.code for each in kinds])).order_by(
        OutboxMessage.id)
    return list(session.exec(query).all())


def start(session, world, *, minutes=60, note=LOCATION) -> field_visits.VisitView:
    with at(START):
        return field_visits.start_visit(session, actor=world.peer, minutes=minutes, location_note=note,
                                        idempotency_key=key())


def test_a_visit_closed_in_time_alerts_nobody_and_its_location_note_is_deleted(session, world):
    visit = start(session, world)
    assert visit.expected_back_at == START + timedelta(minutes=60)
    with at(START + timedelta(minutes=30)):
        assert enqueue_due(session)[FIELD_VISIT_OVERDUE.code] == 0
        mine = field_visits.my_field_visits(session, actor=world.peer)
        assert mine.open_visit.location_note == LOCATION and not mine.open_visit.overdue
        field_visits.close_visit(session, actor=world.peer, visit_id=visit.id)
    with at(START + timedelta(hours=3)):
        enqueue_due(session)
    assert alerts(session) == []
    session.expire_all()
    assert session.get(FieldVisit, visit.id).location_note is None
    with session.get_bind().connect() as connection:
        assert connection.execute(text("SELECT location_note FROM fieldvisit")).scalar_one() is None


def test_an_overdue_visit_alerts_supervisors_and_the_backup_contact_every_round_until_acknowledged(session, world):
    write_settings(session, actor=None, changes={"backup_contact_email": BACKUP}, on=world.today)
    visit = start(session, world)
    due = START + timedelta(minutes=60)
    with at(due - timedelta(seconds=1)):
        enqueue_due(session)
    assert alerts(session) == []

    with at(due):
        enqueue_due(session)
        enqueue_due(session)
    first = alerts(session)
    supervisors = {world.supervisor.id, world.admin_supervisor.id}
    assert {row.recipient_id for row in alerts(session, FIELD_VISIT_OVERDUE)} == supervisors, "every supervisor"
    assert [row.recipient_id for row in alerts(session, FIELD_VISIT_BACKUP)] == [None]
    assert len(first) == 3, "a second run in the same round adds nothing"

    with at(due + field_visits.ALERT_REPEAT - timedelta(seconds=1)):
        enqueue_due(session)
    assert len(alerts(session)) == 3
    with at(due + field_visits.ALERT_REPEAT):
        enqueue_due(session)
    assert len(alerts(session)) == 6, "the next round repeats to everyone"
    with at(due + 5 * field_visits.ALERT_REPEAT + timedelta(minutes=1)):
        enqueue_due(session)
    assert len(alerts(session)) == 9, "a late run sends the current round once, not every missed one"

    with at(due + 6 * field_visits.ALERT_REPEAT):
        shown = field_visits.supervisee_visits(session, actor=world.supervisor)
        assert [(alert.peer_id, alert.needs_attention, alert.visit.location_note) for alert in shown] == [
            (world.peer.id, True, LOCATION)]
        field_visits.acknowledge(session, actor=world.supervisor, visit_id=visit.id)
        field_visits.acknowledge(session, actor=world.supervisor, visit_id=visit.id)
    with at(due + 20 * field_visits.ALERT_REPEAT):
        enqueue_due(session)
    assert len(alerts(session)) == 9, "acknowledged: the repeats stop"


def test_extending_moves_the_time_and_stops_an_overdue_alert(session, world):
    visit = start(session, world, minutes=30)
    with at(START + timedelta(minutes=31)):
        enqueue_due(session)
        assert len(alerts(session, FIELD_VISIT_OVERDUE)) == 2
        extended = field_visits.extend_visit(session, actor=world.peer, visit_id=visit.id, minutes=45)
        assert extended.expected_back_at == START + timedelta(minutes=31 + 45)
    assert {row.status for row in alerts(session, FIELD_VISIT_OVERDUE)} == {"suppressed"}
    with at(START + timedelta(minutes=60)):
        enqueue_due(session)
    assert len(alerts(session, FIELD_VISIT_OVERDUE)) == 2
    with at(START + timedelta(minutes=76)):
        enqueue_due(session)
    assert len(alerts(session, FIELD_VISIT_OVERDUE)) == 4, "overdue again after the new time"


def test_a_visit_lasts_at_most_the_longest_visit(session, world):
    visit = start(session, world, minutes=240)
    with at(START + timedelta(minutes=5)):
        field_visits.extend_visit(session, actor=world.peer, visit_id=visit.id, minutes=240)
        field_visits.extend_visit(session, actor=world.peer, visit_id=visit.id, minutes=240)
        with pytest.raises(ValidationError, match="at most 12 hours") as refused:
            field_visits.extend_visit(session, actor=world.peer, visit_id=visit.id, minutes=240)
    assert "minutes" in refused.value.problems


def test_i_need_help_alerts_at_once_and_repeats_until_acknowledged(session, world):
    write_settings(session, actor=None, changes={"backup_contact_email": BACKUP}, on=world.today)
    visit = start(session, world)
    pressed = START + timedelta(minutes=10)
    with at(pressed):
        field_visits.request_help(session, actor=world.peer, visit_id=visit.id)
        field_visits.request_help(session, actor=world.peer, visit_id=visit.id)
        enqueue_due(session)
    assert len(alerts(session, FIELD_VISIT_HELP)) == 2 and len(alerts(session, FIELD_VISIT_BACKUP)) == 1
    with at(pressed + field_visits.ALERT_REPEAT):
        enqueue_due(session)
    assert len(alerts(session, FIELD_VISIT_HELP)) == 4
    with at(pressed + 2 * field_visits.ALERT_REPEAT):
        enqueue_due(session)
    assert alerts(session, FIELD_VISIT_OVERDUE) == [], "help asked for: no separate overdue alert"
    with at(pressed + 2 * field_visits.ALERT_REPEAT + timedelta(minutes=1)):
        field_visits.acknowledge(session, actor=world.admin_supervisor, visit_id=visit.id)
        enqueue_due(session)
    with at(pressed + 10 * field_visits.ALERT_REPEAT):
        enqueue_due(session)
    assert len(alerts(session, FIELD_VISIT_HELP)) == 6


def test_closing_as_ok_after_an_alert_stops_the_repeats_and_withdraws_unsent_ones(session, world):
    visit = start(session, world, minutes=30)
    with at(START + timedelta(minutes=40)):
        enqueue_due(session)
        field_visits.close_visit(session, actor=world.peer, visit_id=visit.id)
    session.expire_all()
    statuses = session.exec(select(OutboxMessage.status).where(
        col(OutboxMessage.kind).in_([kind.code for kind in field_visits.ALERT_KINDS]))).all()
    assert set(statuses) == {"suppressed"}
    with at(START + timedelta(hours=2)):
        enqueue_due(session)
    assert len(alerts(session)) == 2


def test_only_the_peer_runs_their_visit_and_only_their_supervisors_acknowledge(session, world):
    visit = start(session, world)
    with at(START):
        for actor in (world.other_peer, world.supervisor, world.lead, world.admin):
            with pytest.raises(PermissionDenied):
                field_visits.close_visit(session, actor=actor, visit_id=visit.id)
            with pytest.raises(PermissionDenied):
                field_visits.request_help(session, actor=actor, visit_id=visit.id)
        for actor in (world.other_supervisor, world.ended_supervisor, world.lead, world.admin, world.peer,
                      world.other_peer):
            with pytest.raises(PermissionDenied):
                field_visits.acknowledge(session, actor=actor, visit_id=visit.id)
        assert field_visits.supervisee_visits(session, actor=world.other_supervisor) == []
        for actor in (world.supervisor, world.lead, world.admin):
            with pytest.raises(PermissionDenied):
                field_visits.start_visit(session, actor=actor, minutes=60, idempotency_key=key())


def test_one_visit_open_at_a_time_and_a_double_submit_starts_one(session, world):
    token = key()
    with at(START):
        first = field_visits.start_visit(session, actor=world.peer, minutes=60, idempotency_key=token)
        again = field_visits.start_visit(session, actor=world.peer, minutes=60, idempotency_key=token)
        assert first.id == again.id
        with pytest.raises(ValidationError, match="already have a field visit open"):
            field_visits.start_visit(session, actor=world.peer, minutes=60, idempotency_key=key())


@pytest.mark.parametrize(("minutes", "note", "field"), [
    (20, "", "minutes"), (60, "x" * 501, "location_note"), (60, "a\x00b", "location_note"),
])
def test_a_bad_start_says_what_to_fix_and_starts_nothing(session, world, minutes, note, field):
    with at(START), pytest.raises(ValidationError) as refused:
        field_visits.start_visit(session, actor=world.peer, minutes=minutes, location_note=note,
                                 idempotency_key=key())
    assert field in refused.value.problems
    assert session.exec(select(FieldVisit)).all() == []


def test_an_incident_is_documented_and_shows_on_the_supervisors_prep_only(session, world):
    with at(START):
        with pytest.raises(ValidationError) as refused:
            field_visits.document_incident(session, actor=world.peer, occurred_on=world.today, what_happened="  ",
                                           reported=False, follow_up_wanted=True, idempotency_key=key())
        assert "what_happened" in refused.value.problems
        field_visits.document_incident(session, actor=world.peer, occurred_on=world.today,
                                       what_happened="A dog got loose and I left.", reported=True,
                                       follow_up_wanted=True, idempotency_key=key())
        prep = field_visits.incidents_for_prep(session, actor=world.supervisor, on=world.today)
        assert [(item.what_happened, item.follow_up_wanted) for item in prep[world.peer.id]] == [
            ("A dog got loose and I left.", True)]
        assert field_visits.incidents_for_prep(session, actor=world.other_supervisor, on=world.today) == {}
        later = world.today + timedelta(days=field_visits.INCIDENT_PREP_WINDOW_DAYS)
    with at(START + timedelta(days=field_visits.INCIDENT_PREP_WINDOW_DAYS)):
        assert field_visits.incidents_for_prep(session, actor=world.supervisor, on=later) == {}
    with session.get_bind().connect() as connection:
        stored = connection.execute(text("SELECT what_happened FROM safetyincident")).scalar_one()
    assert "dog" not in stored
    assert len(session.exec(select(SafetyIncident)).all()) == 1


def test_alerts_go_out_in_quiet_hours_name_nobody_and_hold_no_location_note(session, world):
    for user in session.exec(select(User)).all():
        user.email = f"{user.username}@example.org"
        session.add(user)
    session.add(NotificationPreference(user_id=world.supervisor.id, quiet_start="00:00", quiet_end="23:59"))
    session.commit()
    write_settings(session, actor=None, changes={"backup_contact_email": BACKUP}, on=world.today)
    start(session, world)
    handler = Handler()
    with smtp_server(handler) as mail, at(START + timedelta(hours=2)):
        enqueue_due(session)
        report = mail_sender.deliver(session.get_bind(), mail=mail)
    received = [item for item in handler.received if "field visit" in item.message["Subject"]]
    assert report.sent >= 3
    recipients = sorted(item.recipients[0] for item in received)
    assert recipients == sorted([BACKUP, "supervisor@example.org", "admin_supervisor@example.org"]), "quiet hours too"
    for item in received:
        assert LOCATION not in item.text and "Elm" not in item.text
        assert world.peer.display_name not in item.text and world.peer.username not in item.text
        assert "https://wellness.example.org/prep" in item.text
    assert_no_wellness_data_leaks(session, handler.received)


def test_without_a_backup_contact_only_supervisors_are_alerted(session, world):
    start(session, world)
    with at(START + timedelta(hours=2)):
        added = enqueue_due(session)
    assert added[FIELD_VISIT_BACKUP.code] == 0 and added[FIELD_VISIT_OVERDUE.code] == 2


def test_the_backup_contact_setting_is_checked(session, world):
    with pytest.raises(ValidationError) as refused:
        write_settings(session, actor=None, changes={"backup_contact_email": "not an address"}, on=world.today)
    assert "backup_contact_email" in refused.value.problems


def test_an_address_or_name_in_a_location_note_or_an_incident_is_refused_until_the_peer_confirms_it(session, world):
    with at(START):
        with pytest.raises(ValidationError) as refused:
            field_visits.start_visit(session, actor=world.peer, minutes=60, location_note="Visiting at 412 Oak Street",
                                     idempotency_key=key())
        assert "identify the person you served" in refused.value.problems["location_note"]
        assert session.exec(select(FieldVisit)).all() == []
        visit = field_visits.start_visit(session, actor=world.peer, minutes=60, idempotency_key=key(),
                                         location_note="Visiting at 412 Oak Street", identifiers_confirmed=True)
        field_visits.close_visit(session, actor=world.peer, visit_id=visit.id)
        with pytest.raises(ValidationError) as refused:
            field_visits.document_incident(session, actor=world.peer, occurred_on=world.today,
                                           what_happened="Mr Jones at 12 Elm Road shouted at me.", reported=False,
                                           follow_up_wanted=True, idempotency_key=key())
        assert "identify the person you served" in refused.value.problems["what_happened"]
        assert session.exec(select(SafetyIncident)).all() == []
