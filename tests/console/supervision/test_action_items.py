from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from console.core.errors import NotFound, PermissionDenied, ValidationError
from console.supervision.action_items import items_from_my_sessions, mark_done, my_action_items
from db.models import ActionItem, AuditEvent
from tests.conftest import clock_on
from tests.supervision_data import add_action_item, add_session_row, at


@pytest.fixture
def items(session, world):
    """Items from the supervisor's sessions (one overdue, one due later, one done) and one from another supervisor."""
    today = world.today
    mine = add_session_row(session, world.supervisor, [world.peer], held_on=today - timedelta(days=10))
    group = add_session_row(session, world.supervisor, [world.peer, world.peer_scores],
                            held_on=today - timedelta(days=3))
    theirs = add_session_row(session, world.admin_supervisor, [world.peer], held_on=today - timedelta(days=5),
                             minutes=(30, 0, 0))
    overdue = add_action_item(session, mine, world.peer, text="Finish referral notes.",
                              due_on=today - timedelta(days=2))
    later = add_action_item(session, group, world.peer_scores, text="Read the boundaries policy.",
                            due_on=today + timedelta(days=5))
    own = add_action_item(session, group, world.supervisor, text="Ask for a lighter rota.", due_on=None)
    done = add_action_item(session, mine, world.peer, text="Take Friday off.", due_on=today - timedelta(days=4))
    done.status, done.done_at = "done", at(today - timedelta(days=4))
    session.add(done)
    other = add_action_item(session, theirs, world.peer, text="Sign the time sheet.", due_on=today + timedelta(days=1))
    session.commit()
    return {"overdue": overdue, "later": later, "own": own, "done": done, "other": other}


def _texts(rows) -> list[str]:
    return [row.text for row in rows]


def test_a_supervisor_lists_the_items_of_their_own_sessions_by_status(session, world, items):
    listed = items_from_my_sessions(session, actor=world.supervisor, on=world.today)
    assert _texts(listed) == ["Finish referral notes.", "Read the boundaries policy.", "Ask for a lighter rota."]
    assert [row.overdue for row in listed] == [True, False, False]
    assert _texts(items_from_my_sessions(session, actor=world.supervisor, on=world.today, status="overdue")) == [
        "Finish referral notes."]
    assert _texts(items_from_my_sessions(session, actor=world.supervisor, on=world.today, status="done")) == [
        "Take Friday off."]
    assert len(items_from_my_sessions(session, actor=world.supervisor, on=world.today, status="all")) == 4
    assert _texts(items_from_my_sessions(session, actor=world.supervisor, on=world.today,
                                         due_by=world.today + timedelta(days=1))) == ["Finish referral notes."]
    with pytest.raises(ValidationError, match="Filter by one of"):
        items_from_my_sessions(session, actor=world.supervisor, on=world.today, status="late")


def test_another_supervisor_s_items_stay_with_their_sessions(session, world, items):
    assert _texts(items_from_my_sessions(session, actor=world.admin_supervisor, on=world.today)) == [
        "Sign the time sheet."]


def test_reading_a_supervisee_s_items_is_audited(session, world, items):
    items_from_my_sessions(session, actor=world.supervisor, on=world.today)
    subjects = session.exec(select(AuditEvent.subject_id).where(AuditEvent.action == "viewed_action_items")).all()
    assert sorted(subjects) == sorted([world.peer.id, world.peer_scores.id])


def test_an_ended_assignment_hides_that_person_s_items_at_once(session, world, items):
    row = add_session_row(session, world.ended_supervisor, [world.peer_scores],
                          held_on=world.today - timedelta(days=20), minutes=(0, 30, 30))
    item = add_action_item(session, row, world.peer_scores, text="Practise the grounding exercise.", due_on=None)
    yesterday = world.today - timedelta(days=1)
    with clock_on(yesterday):
        assert _texts(items_from_my_sessions(session, actor=world.ended_supervisor, on=yesterday)) == [
            "Practise the grounding exercise."]
    assert items_from_my_sessions(session, actor=world.ended_supervisor, on=world.today) == []
    with pytest.raises(PermissionDenied):
        mark_done(session, actor=world.ended_supervisor, item_id=item.id, now=at(world.today))


def test_the_owner_and_the_supervisor_who_set_an_item_may_mark_it_done(session, world, items):
    mark_done(session, actor=world.peer, item_id=items["overdue"].id, now=at(world.today))
    mark_done(session, actor=world.supervisor, item_id=items["later"].id, now=at(world.today))
    mark_done(session, actor=world.supervisor, item_id=items["own"].id, now=at(world.today))
    session.expire_all()
    assert {item.text for item in session.exec(select(ActionItem).where(ActionItem.status == "done"))} == {
        "Finish referral notes.", "Read the boundaries policy.", "Ask for a lighter rota.", "Take Friday off."}
    events = session.exec(select(AuditEvent.actor_id, AuditEvent.subject_id)
                          .where(AuditEvent.action == "action_item_done")).all()
    assert sorted(events) == sorted([(world.peer.id, world.peer.id), (world.supervisor.id, world.peer_scores.id),
                                     (world.supervisor.id, world.supervisor.id)])


@pytest.mark.parametrize(("actor", "item"), [
    ("peer_scores", "overdue"),
    ("peer", "later"),
    ("admin_supervisor", "overdue"),
    ("other_supervisor", "overdue"),
    ("supervisor", "other"),
    ("lead", "overdue"),
])
def test_nobody_else_marks_an_item_done(session, world, items, actor, item):
    with pytest.raises(PermissionDenied):
        mark_done(session, actor=getattr(world, actor), item_id=items[item].id, now=at(world.today))
    session.expire_all()
    assert session.get(ActionItem, items[item].id).status == "open"


def test_marking_a_missing_item_says_so(session, world, items):
    with pytest.raises(NotFound):
        mark_done(session, actor=world.supervisor, item_id=999_999, now=at(world.today))


def test_the_peer_sees_their_own_open_items_from_every_supervisor(session, world, items):
    assert _texts(my_action_items(session, actor=world.peer)) == [
        "Finish referral notes.", "Sign the time sheet."]
    assert _texts(my_action_items(session, actor=world.peer_scores)) == [
        "Read the boundaries policy."]
