"""The outbox against live SMTP servers on loopback: delivery, retries, refusals, crashes, concurrent senders,
quiet hours and unsubscribing. Every message received is scanned for wellness data (see tests/mail_servers.py)."""

from __future__ import annotations

import asyncio
import threading
from contextlib import ExitStack
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import time_machine
from sqlmodel import select

from console.admin.accounts import assign_supervision, create_user, issue_invitation
from console.core import clock
from console.core.auth import change_password, sign_in
from console.core.invitations import accept
from console.core.program_settings import write_settings
from console.notify import mail_sender, notifications
from console.notify.kinds import ACTION_ITEM_DUE, CHECKIN_REMINDER, PASSWORD_CHANGED, REACH_OUT
from console.wellness.support import request_reach_out, withdraw_reach_out
from db.engine import make_engine
from db.models import NotificationPreference, OutboxMessage, User
from tests.conftest import TEST_PASSWORD
from tests.mail_servers import (
    BASE_URL,
    Handler,
    Received,
    assert_no_wellness_data_leaks,
    raw_server,
    smtp_server,
)
from tests.supervision_data import add_wellness_history

FAST = 1.0
"""Seconds an SMTP step may take in these tests before it counts as timed out."""


@pytest.fixture
def people(session, world, cheap_password_hashing):
    """The world, everyone with an address, and the peer with scores, notes and exposures to leak."""
    for user in session.exec(select(User)).all():
        user.email = f"{user.username}@example.org"
        session.add(user)
    session.commit()
    add_wellness_history(session, world.peer, today=world.today)
    return world


@pytest.fixture
def servers(session, people):
    """Starts SMTP servers for a test; afterwards every message they received is scanned for leaks."""
    handlers: list[Handler] = []
    with ExitStack() as stack:
        def start(handler: Handler | None = None):
            handler = handler or Handler()
            handlers.append(handler)
            return handler, stack.enter_context(smtp_server(handler))
        yield start
    assert_no_wellness_data_leaks(session, [item for handler in handlers for item in handler.received])


def later(**delta) -> time_machine.travel:
    return time_machine.travel(clock.now() + timedelta(**delta), tick=True)


def rows(session) -> list[OutboxMessage]:
    session.expire_all()
    return session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def enqueue(session, user, kind=PASSWORD_CHANGED, key=None):
    notifications.enqueue(session, recipient=user, kind=kind, key=key)
    session.commit()


def test_a_message_is_delivered_once_with_a_stable_message_id_a_link_and_an_unsubscribe_link(session, people, servers):
    sink, mail = servers()
    enqueue(session, people.peer)
    report = mail_sender.deliver(session.get_bind(), mail=mail)
    assert report.sent == 1
    [received] = sink.received
    [row] = rows(session)
    assert received.recipients == ["peer_bands@example.org"]
    assert received.message["Message-ID"] == f"<{row.message_id}@example.org>"
    assert received.message["Subject"] == "Your password was changed"
    assert f"{BASE_URL}/account" in received.text
    assert received.message["List-Unsubscribe"].startswith(f"<{BASE_URL}/unsubscribe?token=")
    assert (row.status, row.attempts, row.outcome, row.claimed_by) == ("sent", 1, "250", None)

    assert mail_sender.deliver(session.get_bind(), mail=mail).sent == 0
    assert len(sink.received) == 1


def test_a_refusal_fails_the_message_at_once_and_it_is_never_tried_again(session, people, servers):
    refusing, mail = servers(Handler(refuse_recipient="550 5.1.1 No such user here"))
    enqueue(session, people.peer)
    report = mail_sender.deliver(session.get_bind(), mail=mail)
    assert (report.failed, report.sent) == (1, 0)
    [row] = rows(session)
    assert (row.status, row.outcome) == ("failed", "smtp 550")
    with later(hours=7):
        assert mail_sender.deliver(session.get_bind(), mail=mail).failed == 0
    assert refusing.received == []


def test_a_temporary_failure_is_retried_with_growing_waits_then_delivered(session, people, servers):
    sink, mail = servers(Handler(replies=["451 4.3.0 Try again later", "452 4.3.1 Out of storage"]))
    enqueue(session, people.peer)
    first = clock.now()
    assert mail_sender.deliver(session.get_bind(), mail=mail).retrying == 1
    [row] = rows(session)
    assert (row.status, row.attempts, row.outcome) == ("pending", 1, "smtp 451")
    assert first + timedelta(minutes=1) <= row.next_attempt_at <= clock.now() + timedelta(minutes=1)
    assert mail_sender.deliver(session.get_bind(), mail=mail).retrying == 0, "not due before its wait is over"
    with later(minutes=1, seconds=1):
        assert mail_sender.deliver(session.get_bind(), mail=mail).retrying == 1
        [row] = rows(session)
        assert row.next_attempt_at >= clock.now() + timedelta(minutes=1, seconds=59)
        with later(minutes=2, seconds=1):
            assert mail_sender.deliver(session.get_bind(), mail=mail).sent == 1
    assert len(sink.received) == 1
    assert rows(session)[0].attempts == 3


def test_retry_waits_double_up_to_a_limit_and_a_message_fails_after_the_last_attempt(session, people, servers):
    assert [mail_sender.retry_delay(attempt) for attempt in (1, 2, 3, 4)] == [
        timedelta(minutes=minutes) for minutes in (1, 2, 4, 8)]
    assert mail_sender.retry_delay(30) == mail_sender.LONGEST_WAIT
    _, mail = servers(Handler(replies=["421 4.7.0 Busy"] * mail_sender.MAX_ATTEMPTS))
    enqueue(session, people.peer)
    [row] = rows(session)
    row.attempts = mail_sender.MAX_ATTEMPTS - 1
    session.add(row)
    session.commit()
    assert mail_sender.deliver(session.get_bind(), mail=mail).failed == 1
    assert (rows(session)[0].status, rows(session)[0].outcome) == ("failed", "smtp 421")


def test_a_server_that_never_answers_leaves_the_outbox_for_the_next_run(session, people, servers):
    enqueue(session, people.peer)
    enqueue(session, people.peer_scores)
    with raw_server("silent") as silent:
        report = mail_sender.deliver(session.get_bind(), mail=silent, timeout=FAST)
    assert report.server_unreachable and report.sent == 0
    assert [(row.status, row.attempts, row.claimed_by) for row in rows(session)] == [("pending", 0, None)] * 2
    sink, mail = servers()
    assert mail_sender.deliver(session.get_bind(), mail=mail).sent == 2
    assert sorted(item.recipients[0] for item in sink.received) == ["peer_bands@example.org",
                                                                     "peer_scores@example.org"]


def test_a_connection_dropped_during_the_message_is_retried(session, people, servers):
    enqueue(session, people.peer)
    with raw_server("drop") as dropping:
        report = mail_sender.deliver(session.get_bind(), mail=dropping, timeout=FAST)
    assert report.retrying == 1
    [row] = rows(session)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.outcome.startswith("connection")
    sink, mail = servers()
    with later(minutes=2):
        assert mail_sender.deliver(session.get_bind(), mail=mail).sent == 1
    assert len(sink.received) == 1


def test_a_server_slower_than_the_timeout_counts_as_a_temporary_failure(session, people, servers):
    class Slow(Handler):
        async def handle_DATA(self, server, session, envelope):
            await asyncio.sleep(FAST * 3)
            return "451 4.4.2 Too slow"

    _, slow = servers(Slow())
    enqueue(session, people.peer)
    assert mail_sender.deliver(session.get_bind(), mail=slow, timeout=FAST).retrying == 1
    assert rows(session)[0].status == "pending"


def test_a_crash_after_the_server_accepted_never_sends_the_message_again(session, people, servers, monkeypatch):
    sink, mail = servers()
    enqueue(session, people.peer)

    def crash(*args, **kwargs):
        raise RuntimeError("the sender stopped here")

    monkeypatch.setattr(mail_sender, "record_sent", crash)
    with pytest.raises(RuntimeError):
        mail_sender.deliver(session.get_bind(), mail=mail)
    monkeypatch.undo()
    assert len(sink.received) == 1
    assert rows(session)[0].status == "sending"

    assert mail_sender.deliver(session.get_bind(), mail=mail).sent == 0, "still under the crashed sender's lease"
    with later(minutes=mail_sender.LEASE.total_seconds() / 60 + 1):
        report = mail_sender.deliver(session.get_bind(), mail=mail)
    assert (report.sent, report.unconfirmed) == (0, 1)
    assert len(sink.received) == 1
    [row] = rows(session)
    assert row.status == "unconfirmed"


def test_a_crash_after_claiming_and_before_sending_delivers_once_after_the_lease(session, people, servers, monkeypatch):
    sink, mail = servers()
    enqueue(session, people.peer)

    def crash(*args, **kwargs):
        raise RuntimeError("the sender stopped here")

    monkeypatch.setattr(mail_sender, "compose", crash)
    with pytest.raises(RuntimeError):
        mail_sender.deliver(session.get_bind(), mail=mail)
    monkeypatch.undo()
    assert sink.received == []
    assert mail_sender.deliver(session.get_bind(), mail=mail).sent == 0, "still claimed"
    with later(minutes=mail_sender.LEASE.total_seconds() / 60 + 1):
        assert mail_sender.deliver(session.get_bind(), mail=mail).sent == 1
    assert len(sink.received) == 1


def test_two_senders_at_once_send_every_message_exactly_once(session, people, servers, settings):
    sink, mail = servers()
    peers = [people.peer, people.peer_scores, people.peer_completion, people.other_peer]
    for number in range(60):
        notifications.enqueue(session, recipient=peers[number % 4], kind=CHECKIN_REMINDER, key=str(number))
    session.commit()
    engines = [make_engine(settings.database_url) for _ in range(2)]
    reports, errors = [], []

    def run(engine):
        try:
            reports.append(mail_sender.deliver(engine, mail=mail))
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert errors == []
    assert sum(report.sent for report in reports) == 60
    message_ids = [item.message["Message-ID"] for item in sink.received]
    assert len(message_ids) == 60 == len(set(message_ids))
    assert {row.status for row in rows(session)} == {"sent"}


def test_quiet_hours_hold_a_message_until_they_end_in_the_program_time_zone(session, people, servers):
    sink, mail = servers()
    write_settings(session, actor=None, changes={"time_zone": "America/Chicago"}, on=people.today)
    notifications.save_my_notifications(session, actor=people.peer, receive=[PASSWORD_CHANGED.code,
                                        CHECKIN_REMINDER.code], quiet_start="21:00", quiet_end="07:00")
    with time_machine.travel("2026-11-25 09:30Z", tick=True):  # 03:30 in Chicago
        enqueue(session, people.peer)
        report = mail_sender.deliver(session.get_bind(), mail=mail)
        assert (report.quiet, report.sent) == (1, 0)
        assert rows(session)[0].next_attempt_at.isoformat() == "2026-11-25T13:00:00+00:00"
    with time_machine.travel("2026-11-25 12:59Z", tick=False):
        assert mail_sender.deliver(session.get_bind(), mail=mail).sent == 0
    with time_machine.travel("2026-11-25 13:00Z", tick=True):
        assert mail_sender.deliver(session.get_bind(), mail=mail).sent == 1
    assert len(sink.received) == 1


def test_the_unsubscribe_link_turns_off_that_kind_only(session, people, servers):
    sink, mail = servers()
    enqueue(session, people.peer, kind=CHECKIN_REMINDER, key="week")
    mail_sender.deliver(session.get_bind(), mail=mail)
    link = next(line for line in sink.received[0].text.splitlines() if "/unsubscribe?token=" in line).split(": ")[1]
    token = unquote(parse_qs(urlsplit(link).query)["token"][0])
    assert notifications.unsubscribe(session, token=token).kind == CHECKIN_REMINDER.code

    enqueue(session, people.peer, kind=CHECKIN_REMINDER, key="next week")
    enqueue(session, people.peer, kind=PASSWORD_CHANGED)
    report = mail_sender.deliver(session.get_bind(), mail=mail)
    assert (report.sent, report.suppressed) == (1, 1)
    assert [row.outcome for row in rows(session)] == ["250", "opted_out", "250"]
    assert sink.received[-1].message["Subject"] == "Your password was changed"


def test_kinds_the_program_turned_off_and_expired_messages_are_suppressed(session, people, servers):
    sink, mail = servers()
    write_settings(session, actor=None, changes={"notifications_off": CHECKIN_REMINDER.code}, on=people.today)
    enqueue(session, people.peer, kind=CHECKIN_REMINDER, key="w")
    notifications.enqueue(session, recipient=people.peer, kind=ACTION_ITEM_DUE, key="old",
                          expires_at=clock.now() - timedelta(minutes=1))
    session.commit()
    people.peer_scores.email = None
    session.add(people.peer_scores)
    session.commit()
    enqueue(session, people.peer_scores)
    assert mail_sender.deliver(session.get_bind(), mail=mail).suppressed == 3
    assert [row.outcome for row in rows(session)] == ["program_off", "expired", "no_address"]
    assert sink.received == []


def test_please_reach_out_emails_the_wellness_supervisor_at_once_without_saying_who(session, people, servers):
    sink, mail = servers()
    write_settings(session, actor=None, changes={"reach_out_response_hours": 4}, on=people.today)
    request_reach_out(session, actor=people.peer)
    assert mail_sender.deliver(session.get_bind(), mail=mail).sent == 1
    [received] = sink.received
    assert received.recipients == ["supervisor@example.org"], "not the administrative-only supervisor"
    assert received.message["Subject"] == "A supervisee asked you to reach out"
    assert "within 4 hours" in received.text
    assert f"{BASE_URL}/prep" in received.text


def test_a_withdrawn_request_is_not_emailed(session, people, servers):
    sink, mail = servers()
    request_reach_out(session, actor=people.peer)
    withdraw_reach_out(session, actor=people.peer)
    assert mail_sender.deliver(session.get_bind(), mail=mail).sent == 0
    assert [(row.kind, row.status, row.outcome) for row in rows(session)] == [
        (REACH_OUT.code, "suppressed", "withdrawn")]


def test_a_new_assignment_and_a_password_change_tell_the_peer(session, people, servers):
    sink, mail = servers()
    assign_supervision(session, actor=people.admin, supervisor_id=people.other_supervisor.id,
                       supervisee_id=people.peer.id, functions=["supportive"], on=people.today)
    change_password(session, actor=people.peer, current_password=TEST_PASSWORD,
                    new_password="a brand new passphrase")
    assert mail_sender.deliver(session.get_bind(), mail=mail).sent == 2
    subjects = {item.message["Subject"]: item for item in sink.received}
    viewer = subjects["Someone new can see your data"]
    assert viewer.recipients == ["peer_bands@example.org"]
    assert "Other Supervisor now supervises you (supportive)" in viewer.text
    assert subjects["Your password was changed"].recipients == ["peer_bands@example.org"]


def test_a_new_account_gets_its_one_time_link_by_email(session, people, servers):
    sink, mail = servers()
    created = create_user(session, actor=people.admin, username="new.peer", display_name="New Peer", roles=["peer"],
                          email="new.peer@example.org", on=people.today, send_email=True)
    assert created.invitation.emailed_to == "new.peer@example.org"
    assert mail_sender.deliver(session.get_bind(), mail=mail).sent == 1
    [received] = sink.received
    assert received.recipients == ["new.peer@example.org"]
    assert received.message["Subject"] == "You are invited to the Peer Wellness Console"
    assert f"{BASE_URL}/?code={created.invitation.code}" in received.text
    assert "List-Unsubscribe" not in received.message


def test_without_the_flag_or_an_address_no_invitation_email_is_written(session, people, servers):
    servers()
    silent = create_user(session, actor=people.admin, username="quiet.peer", display_name="Quiet Peer",
                         roles=["peer"], email="quiet.peer@example.org", on=people.today)
    no_address = create_user(session, actor=people.admin, username="no.address", display_name="No Address",
                             roles=["peer"], on=people.today, send_email=True)
    assert (silent.invitation.emailed_to, no_address.invitation.emailed_to) == (None, None)
    assert rows(session) == []


def test_a_new_reset_link_withdraws_the_unsent_email_of_the_one_it_replaces(session, people, servers):
    sink, mail = servers()
    issue_invitation(session, actor=people.admin, user_id=people.peer.id, on=people.today, send_email=True)
    newer = issue_invitation(session, actor=people.admin, user_id=people.peer.id, on=people.today, send_email=True)
    report = mail_sender.deliver(session.get_bind(), mail=mail)
    assert (report.sent, report.suppressed) == (1, 0)
    assert [row.status for row in rows(session)] == ["suppressed", "sent"]
    [received] = sink.received
    assert newer.code in received.text


def test_the_first_sign_in_after_a_reset_emails_the_person(session, people, servers):
    sink, mail = servers()
    reset = issue_invitation(session, actor=people.admin, user_id=people.peer.id, on=people.today)
    accept(session, code=reset.code, new_password="a brand new passphrase")
    sign_in(session, username="peer_bands", password="a brand new passphrase")
    sign_in(session, username="peer_bands", password="a brand new passphrase")
    assert mail_sender.deliver(session.get_bind(), mail=mail).sent == 1
    [received] = sink.received
    assert received.recipients == ["peer_bands@example.org"]
    assert received.message["Subject"] == "Your account was signed in to after a password reset"


def test_a_deactivated_person_gets_nothing(session, people, servers):
    sink, mail = servers()
    enqueue(session, people.peer)
    people.peer.active = False
    session.add(people.peer)
    session.commit()
    assert mail_sender.deliver(session.get_bind(), mail=mail).suppressed == 1
    assert rows(session)[0].outcome == "inactive"
    assert session.exec(select(NotificationPreference)).all() == []


@pytest.mark.parametrize("leak", ["Peer Bands asked you to reach out", "A burnout of 43.7", "Responded to an overdose scene"])
def test_the_leak_scan_catches_a_peer_name_or_wellness_data_sent_to_someone_else(session, people, leak):
    message = EmailMessage()
    message["Subject"] = "Hello"
    message.set_content(leak)
    with pytest.raises(AssertionError):
        assert_no_wellness_data_leaks(session, [Received(["supervisor@example.org"], message)])
