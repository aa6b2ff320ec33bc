from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import select

from console.core.errors import PermissionDenied, ValidationError
from console.core.program_settings import ProgramSettings
from console.notify import notifications
from console.notify.kinds import (
    CHECKIN_REMINDER,
    FIGURES_RELEASED,
    INVITATION,
    KINDS,
    PREP_DIGEST,
    REACH_OUT,
    kinds_for_roles,
)
from db.crypto import key_ring
from db.models import AuditEvent, NotificationPreference, OutboxMessage
from tests.mail_servers import BASE_URL, mail_settings


def test_enqueuing_the_same_kind_and_key_twice_adds_one_message(session, world):
    assert notifications.enqueue(session, recipient=world.peer, kind=CHECKIN_REMINDER, key="2026-W48")
    assert not notifications.enqueue(session, recipient=world.peer, kind=CHECKIN_REMINDER, key="2026-W48")
    assert notifications.enqueue(session, recipient=world.peer, kind=CHECKIN_REMINDER, key="2026-W49")
    session.commit()
    assert len(session.exec(select(OutboxMessage)).all()) == 2


def test_an_enqueued_message_rolls_back_with_its_event(session, world):
    notifications.enqueue(session, recipient=world.peer, kind=CHECKIN_REMINDER)
    session.rollback()
    assert session.exec(select(OutboxMessage)).all() == []


def test_each_person_chooses_among_the_kinds_of_their_roles(session, world):
    mine = notifications.my_notifications(session, actor=world.peer)
    assert [choice.code for choice in mine.choices] == [kind.code for kind in kinds_for_roles(frozenset({"peer"}))]
    assert all(choice.receiving for choice in mine.choices)
    assert PREP_DIGEST.code not in [choice.code for choice in mine.choices]
    assert INVITATION.code not in [kind.code for kind in kinds_for_roles(frozenset({"peer", "supervisor"}))]

    saved = notifications.save_my_notifications(session, actor=world.peer, receive=[CHECKIN_REMINDER.code],
                                                quiet_start="22:00", quiet_end="6:30")
    assert [choice.code for choice in saved.choices if choice.receiving] == [CHECKIN_REMINDER.code]
    assert (saved.quiet_start, saved.quiet_end) == ("22:00", "06:30")
    assert session.exec(select(AuditEvent.action).where(AuditEvent.subject_id == world.peer.id)).all() == [
        "notification_preferences_changed"]


@pytest.mark.parametrize(("start", "end", "field"), [
    ("22:00", "", "quiet_end"), ("", "07:00", "quiet_start"), ("7pm", "07:00", "quiet_start"),
    ("22:00", "22:00", "quiet_end"), ("22:00", "07:60", "quiet_end"),
])
def test_quiet_hours_need_two_different_times(session, world, start, end, field):
    with pytest.raises(ValidationError) as raised:
        notifications.save_my_notifications(session, actor=world.peer, receive=[], quiet_start=start, quiet_end=end)
    assert field in raised.value.problems
    assert session.exec(select(NotificationPreference)).all() == []


def test_a_person_cannot_choose_a_kind_of_another_role(session, world):
    with pytest.raises(ValidationError):
        notifications.save_my_notifications(session, actor=world.peer, receive=[PREP_DIGEST.code],
                                            quiet_start="", quiet_end="")


def test_an_unsubscribe_token_turns_off_one_kind_for_one_person(session, world):
    token = notifications.unsubscribe_token(user_id=world.peer.id, kind=CHECKIN_REMINDER)
    assert notifications.unsubscribe(session, token=token).label == CHECKIN_REMINDER.label
    assert notifications.unsubscribe(session, token=token).kind == CHECKIN_REMINDER.code, "twice changes nothing"
    assert session.get(NotificationPreference, world.peer.id).muted_kinds == {CHECKIN_REMINDER.code}
    assert session.get(NotificationPreference, world.peer_scores.id) is None
    notifications.unsubscribe(session, token=token, resubscribe=True)
    assert session.get(NotificationPreference, world.peer.id).muted_kinds == frozenset()


@pytest.mark.parametrize("forge", [
    lambda user_id: "",
    lambda user_id: "not a token",
    lambda user_id: key_ring().encrypt(b'{"user": %d, "kind": "invitation"}' % user_id).decode(),
    lambda user_id: key_ring().encrypt(b'{"user": 99999, "kind": "checkin_reminder"}').decode(),
    lambda user_id: key_ring().encrypt(b'["checkin_reminder"]').decode(),
    lambda user_id: notifications.unsubscribe_token(user_id=user_id, kind=CHECKIN_REMINDER)[:-4] + "AAAA",
])
def test_a_forged_or_altered_token_is_refused_and_changes_nothing(session, world, forge):
    with pytest.raises(ValidationError, match="not valid"):
        notifications.unsubscribe(session, token=forge(world.peer.id))
    assert session.exec(select(NotificationPreference)).all() == []


def test_only_an_admin_reads_the_outbox_counts(session, world):
    notifications.enqueue(session, recipient=world.peer, kind=CHECKIN_REMINDER)
    session.commit()
    assert notifications.outbox_counts(session, actor=world.admin).waiting == 1
    for actor in (world.peer, world.supervisor, world.lead):
        with pytest.raises(PermissionDenied):
            notifications.outbox_counts(session, actor=actor)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.code)
def test_every_kind_composes_a_complete_message_with_its_link(session, world, kind):
    world.peer.email = "peer@example.org"
    params = {"response_hours": 24, "supervisees": 3, "checkins": 2, "reach_outs": 1, "overdue_items": 0,
              "count": 2, "supervisor": "Dana", "functions": "supportive", "due": "2026-11-27T14:00:00+00:00",
              "window_hours": 72, "month": "2026-10-01", "released": 3, "cells": 4}
    if kind is INVITATION:
        params = {"path": "welcome?token=abc", "expires_at": "2026-11-30T09:05:00+00:00"}
    message = OutboxMessage(recipient_id=world.peer.id, kind=kind.code, params=params, dedupe_key="k",
                            message_id="abc123", expires_at=datetime.now(UTC), next_attempt_at=datetime.now(UTC))
    email = notifications.compose(message, recipient=world.peer, mail=mail_settings(25), language="en")
    body = email.get_content()
    assert "{" not in body and "}" not in body
    assert email["Message-ID"] == "<abc123@example.org>"
    assert f"Open the console: {BASE_URL}/" in body
    assert ("List-Unsubscribe" in email) == kind.optional
    if kind.optional:
        assert f"List-Unsubscribe: <{BASE_URL}/unsubscribe?token=".encode() in email.as_bytes(), "one line"
    if kind is INVITATION:
        assert f"{BASE_URL}/welcome?token=abc" in body and "until 30 Nov 2026, 09:05 UTC; after that" in body
    if kind is REACH_OUT:
        assert "within 24 hours" in body
    if kind.code == "debrief_to_offer":
        assert "by Friday 27 November, 14:00 UTC (72 hours after the call)" in body
    if kind is FIGURES_RELEASED:
        assert "The program figures for October 2026 are released" in body


QUIET_TIMES = st.sampled_from([f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in (0, 30)])


@settings(max_examples=300, deadline=None)
@given(start=QUIET_TIMES, end=QUIET_TIMES, minutes=st.integers(min_value=0, max_value=60 * 24 * 366),
       zone=st.sampled_from(["UTC", "America/New_York", "America/Chicago", "Pacific/Honolulu", "Europe/London"]))
def test_quiet_hours_always_end_within_a_day_and_never_hold_a_message_outside_them(start, end, minutes, zone):
    preference = NotificationPreference(user_id=1, quiet_start=start, quiet_end=end)
    program = ProgramSettings(time_zone=zone)
    now = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    until = notifications.quiet_until(preference, program=program, now=now)
    if start == end:
        return
    if until is None:
        return
    assert now < until <= now + timedelta(hours=25)
    assert notifications.quiet_until(preference, program=program, now=until) is None
