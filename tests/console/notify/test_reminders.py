"""Scheduled email on a controlled clock: the program's day, time and time zone, ISO week 53 and the year's
end, daylight-saving changes, and runs that come twice or at once."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import time_machine
from sqlmodel import select

from console.core.program_settings import write_settings
from console.notify.kinds import (
    ACTION_ITEM_DUE,
    ACTION_ITEMS_OVERDUE,
    ASSESSMENT_DUE,
    CHECKIN_REMINDER,
    PREP_DIGEST,
)
from console.notify.reminders import enqueue_due
from db.engine import make_engine, session_scope
from db.models import OutboxMessage
from tests.supervision_data import RAW_SCORES, add_action_item, add_assessment, add_pulse, add_reach_out, add_session_row


def program(session, world, **changes):
    write_settings(session, actor=None, changes=changes, on=world.today)


def run_at(session, moment: str) -> dict[str, int]:
    with time_machine.travel(moment, tick=False):
        return enqueue_due(session)


def outbox(session, kind) -> list[OutboxMessage]:
    session.expire_all()
    return session.exec(select(OutboxMessage).where(OutboxMessage.kind == kind.code).order_by(OutboxMessage.id)).all()


def test_the_weekly_reminder_waits_for_the_programs_day_and_time_then_goes_once(session, world):
    program(session, world, time_zone="America/Chicago", reminder_weekday="wednesday", reminder_time="09:00")
    add_pulse(session, world.peer, taken_on=date(2026, 11, 24))
    session.commit()
    assert run_at(session, "2026-11-25 14:59Z")[CHECKIN_REMINDER.code] == 0, "08:59 in Chicago"
    assert run_at(session, "2026-11-25 15:00Z")[CHECKIN_REMINDER.code] == 3, "everyone but who checked in"
    assert run_at(session, "2026-11-25 15:00:30Z")[CHECKIN_REMINDER.code] == 0
    assert run_at(session, "2026-11-30 05:59Z")[CHECKIN_REMINDER.code] == 0, "Sunday night in Chicago, same week"
    reminded = outbox(session, CHECKIN_REMINDER)
    assert world.peer.id not in {row.recipient_id for row in reminded}
    assert {row.dedupe_key.rsplit(":", 1)[1] for row in reminded} == {"2026-W48"}
    assert {row.expires_at.isoformat() for row in reminded} == {"2026-11-30T06:00:00+00:00"}
    assert run_at(session, "2026-12-02 15:00Z")[CHECKIN_REMINDER.code] == 4, "next week"


def test_two_runs_at_once_enqueue_each_reminder_once(session, world, settings):
    program(session, world, reminder_weekday="monday", reminder_time="09:00")
    engines = [make_engine(settings.database_url) for _ in range(3)]
    errors = []

    def run(engine):
        try:
            with session_scope(engine) as own:
                enqueue_due(own)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)

    with time_machine.travel("2026-11-30 09:00Z", tick=False):
        threads = [threading.Thread(target=run, args=(engine,)) for engine in engines]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    for engine in engines:
        engine.dispose()
    assert errors == []
    assert len(outbox(session, CHECKIN_REMINDER)) == 4
    assert len(outbox(session, ASSESSMENT_DUE)) == 4


def test_iso_week_53_and_the_new_year_each_get_one_reminder(session, world):
    program(session, world, reminder_weekday="monday", reminder_time="09:00")
    assert run_at(session, "2026-12-28 09:00Z")[CHECKIN_REMINDER.code] == 4
    assert run_at(session, "2027-01-01 12:00Z")[CHECKIN_REMINDER.code] == 0, "1 January is still in 2026-W53"
    assert run_at(session, "2027-01-03 23:59Z")[CHECKIN_REMINDER.code] == 0
    assert run_at(session, "2027-01-04 09:00Z")[CHECKIN_REMINDER.code] == 4
    weeks = [row.dedupe_key.rsplit(":", 1)[1] for row in outbox(session, CHECKIN_REMINDER)]
    assert sorted(set(weeks)) == ["2026-W53", "2027-W01"]
    assert outbox(session, CHECKIN_REMINDER)[0].expires_at.isoformat() == "2027-01-04T00:00:00+00:00"


@pytest.mark.parametrize(("reminder_time", "before", "at"), [
    ("09:00", "2027-03-14 12:59Z", "2027-03-14 13:00Z"),  # spring forward: 09:00 EDT is 13:00 UTC
    ("09:00", "2026-11-01 13:59Z", "2026-11-01 14:00Z"),  # fall back: 09:00 EST is 14:00 UTC
    ("02:30", "2027-03-14 07:29Z", "2027-03-14 07:30Z"),  # 02:30 is skipped: it goes at 03:30 EDT
    ("01:30", "2026-11-01 05:29Z", "2026-11-01 05:30Z"),  # 01:30 happens twice: the first one counts
])
def test_the_reminder_keeps_the_programs_wall_clock_across_daylight_saving_changes(session, world, reminder_time,
                                                                                    before, at):
    program(session, world, time_zone="America/New_York", reminder_weekday="sunday", reminder_time=reminder_time)
    assert run_at(session, before)[CHECKIN_REMINDER.code] == 0
    assert run_at(session, at)[CHECKIN_REMINDER.code] == 4
    assert run_at(session, at.replace("Z", "").rsplit(" ", 1)[0] + " 23:00Z")[CHECKIN_REMINDER.code] == 0


def test_the_self_assessment_reminder_goes_once_per_due_date(session, world):
    program(session, world, assessment_cadence_days=30, reminder_time="09:00")
    add_assessment(session, world.peer, taken_on=date(2026, 10, 20), raw=RAW_SCORES)
    add_assessment(session, world.peer_scores, taken_on=date(2026, 11, 20), raw=RAW_SCORES)
    session.commit()
    assert run_at(session, "2026-11-25 08:59Z")[ASSESSMENT_DUE.code] == 0
    assert run_at(session, "2026-11-25 09:00Z")[ASSESSMENT_DUE.code] == 3, "never taken (2) and due since 19 Nov"
    assert run_at(session, "2026-11-26 09:00Z")[ASSESSMENT_DUE.code] == 0
    keys = {row.recipient_id: row.dedupe_key for row in outbox(session, ASSESSMENT_DUE)}
    assert keys[world.peer.id] == f"assessment_due:{world.peer.id}:2026-11-19"
    assert keys[world.peer_completion.id] == f"assessment_due:{world.peer_completion.id}:first"
    assert world.peer_scores.id not in keys


def test_an_action_item_due_tomorrow_reminds_its_owner_with_a_link_to_their_page(session, world):
    program(session, world, reminder_time="09:00")
    held = add_session_row(session, world.supervisor, [world.peer], held_on=date(2026, 11, 18))
    mine = add_action_item(session, held, world.peer, text="Call the EAP", due_on=date(2026, 11, 26))
    theirs = add_action_item(session, held, world.supervisor, text="Find a training", due_on=date(2026, 11, 26))
    add_action_item(session, held, world.peer_scores, text="Later", due_on=date(2026, 11, 27))
    assert run_at(session, "2026-11-25 09:00Z")[ACTION_ITEM_DUE.code] == 2
    assert run_at(session, "2026-11-25 18:00Z")[ACTION_ITEM_DUE.code] == 0
    sent = {row.recipient_id: row for row in outbox(session, ACTION_ITEM_DUE)}
    assert sent[world.peer.id].dedupe_key == f"action_item_due:{mine.id}:2026-11-26"
    assert sent[world.peer.id].params == {"path": "home"}
    assert sent[world.supervisor.id].dedupe_key == f"action_item_due:{theirs.id}:2026-11-26"
    assert sent[world.supervisor.id].params == {"path": "action-items"}


def test_the_weekly_prep_digest_holds_counts_only(session, world):
    program(session, world, prep_digest_weekday="thursday", reminder_time="09:00")
    add_pulse(session, world.peer, taken_on=date(2026, 11, 24), note="private words")
    add_reach_out(session, world.peer_scores, on=date(2026, 11, 24))
    held = add_session_row(session, world.supervisor, [world.peer], held_on=date(2026, 11, 10))
    add_action_item(session, held, world.peer, text="Overdue", due_on=date(2026, 11, 20))
    assert run_at(session, "2026-11-26 08:59Z")[PREP_DIGEST.code] == 0
    assert run_at(session, "2026-11-26 09:00Z")[PREP_DIGEST.code] == 3, "every supervisor with a supervisee"
    assert run_at(session, "2026-11-28 09:00Z")[PREP_DIGEST.code] == 0
    digests = {row.recipient_id: row.params for row in outbox(session, PREP_DIGEST)}
    assert digests[world.supervisor.id] == {"supervisees": 3, "checkins": 1, "reach_outs": 1, "overdue_items": 1}
    assert digests[world.admin_supervisor.id] == {"supervisees": 3, "checkins": 1, "reach_outs": 0,
                                                  "overdue_items": 0}
    assert digests[world.other_supervisor.id]["supervisees"] == 1
    assert world.ended_supervisor.id not in digests


def test_overdue_action_items_tell_the_supervisor_once_per_due_date_within_a_week(session, world):
    program(session, world, reminder_time="09:00")
    held = add_session_row(session, world.supervisor, [world.peer], held_on=date(2026, 11, 3))
    add_action_item(session, held, world.peer, text="One", due_on=date(2026, 11, 24))
    add_action_item(session, held, world.peer, text="Two", due_on=date(2026, 11, 24))
    add_action_item(session, held, world.peer, text="Long ago", due_on=date(2026, 11, 10))
    done = add_action_item(session, held, world.peer, text="Done", due_on=date(2026, 11, 23))
    done.status = "done"
    session.add(done)
    session.commit()
    assert run_at(session, "2026-11-24 12:00Z")[ACTION_ITEMS_OVERDUE.code] == 0, "due today is not overdue"
    assert run_at(session, "2026-11-25 09:00Z")[ACTION_ITEMS_OVERDUE.code] == 1
    assert run_at(session, "2026-11-26 09:00Z")[ACTION_ITEMS_OVERDUE.code] == 0
    [notice] = outbox(session, ACTION_ITEMS_OVERDUE)
    assert (notice.recipient_id, notice.params) == (world.supervisor.id, {"count": 2})


def test_kinds_the_program_turned_off_are_not_scheduled(session, world):
    program(session, world, notifications_off=f"{CHECKIN_REMINDER.code},{ASSESSMENT_DUE.code}")
    added = run_at(session, "2026-11-30 12:00Z")
    assert CHECKIN_REMINDER.code not in added and ASSESSMENT_DUE.code not in added
    assert outbox(session, CHECKIN_REMINDER) == [] == outbox(session, ASSESSMENT_DUE)


def test_a_deactivated_peer_is_not_reminded(session, world):
    world.peer.active = False
    session.add(world.peer)
    session.commit()
    run_at(session, "2026-11-30 12:00Z")
    assert world.peer.id not in {row.recipient_id for row in outbox(session, CHECKIN_REMINDER)}
