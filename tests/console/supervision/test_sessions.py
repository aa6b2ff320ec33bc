from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from console import demo
from console.core.errors import PermissionDenied, ValidationError
from console.supervision.sessions import (
    ACTIVITY_BY_CODE,
    NewActionItem,
    amend_session,
    edit_session,
    my_recent_sessions,
    my_sessions_as_supervisee,
    record_session,
    session_record,
    supervisee_history,
)
from db.models import AuditEvent, SessionAmendment, SupervisionSession
from tests.conftest import clock_on
from tests.supervision_data import PRIVATE_REFLECTION, add_session_row, at, content


def _now(world, days: int = 0):
    return at(world.today + timedelta(days=days), 15)


def _record(session, world, *, actor=None, attendees=None, kind="individual", body=None, items=(), key="form-1",
            days=0):
    return record_session(
        session, actor=actor or world.supervisor, kind=kind,
        attendee_ids=[peer.id for peer in attendees or [world.peer]],
        content=body or content(world.today, administrative=10, supportive=30, duration=45,
                                notes={"supportive": "Talked through the overdose calls."},
                                activities=("personal_reactions", "plan_assign_work"),
                                private_reflection=PRIVATE_REFLECTION),
        action_items=items, idempotency_key=key, now=_now(world, days),
    )


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _audited(session, action: str) -> list[tuple[int, int]]:
    return sorted(session.exec(select(AuditEvent.actor_id, AuditEvent.subject_id).where(AuditEvent.action == action)))


def test_a_recorded_session_keeps_its_attendee_items_and_is_audited(session, world):
    record = _record(session, world, items=[
        NewActionItem(world.peer.id, "Book a debrief with the EAP.", world.today + timedelta(days=7)),
        NewActionItem(world.supervisor.id, "Ask for a lighter rota.", None),
    ])
    assert record.summary.attendee_names == ("Peer Bands",)
    assert record.summary.functions == ("administrative", "supportive")
    assert record.content.unassigned_minutes == 5
    assert record.content.private_reflection == PRIVATE_REFLECTION
    assert [(item.owner_name, item.text) for item in record.action_items] == [
        ("Peer Bands", "Book a debrief with the EAP."), ("Supervisor", "Ask for a lighter rota.")]
    assert record.editable_until == _now(world) + timedelta(days=7)
    assert _audited(session, "session_recorded") == [(world.supervisor.id, world.peer.id)]


def test_a_double_submit_stores_one_session(session, world):
    first = _record(session, world)
    second = _record(session, world)
    assert first.summary.id == second.summary.id
    assert _count(session, SupervisionSession) == 1


@pytest.mark.parametrize(("change", "message"), [
    ({"held_on": 1}, "in the future"),
    ({"duration": 20}, "more than the session's 20 minutes"),
    ({"minutes": (0, 0, 0)}, "at least one function"),
    ({"activities": ("reflect_on_practice",)}, "educational activities but recorded no educational minutes"),
    ({"notes": {"educational": "Practised motivational interviewing."}}, "educational notes but no educational"),
    ({"ethics_areas": ("family",)}, "Unknown ethics area family"),
])
def test_bad_content_is_refused_with_what_to_fix(session, world, change, message):
    administrative, educational, supportive = change.get("minutes", (10, 0, 30))
    body = content(world.today + timedelta(days=change.get("held_on", 0)), administrative=administrative,
                   educational=educational, supportive=supportive, duration=change.get("duration", 45),
                   activities=change.get("activities", ()), notes=change.get("notes", {}),
                   ethics_areas=change.get("ethics_areas", ()))
    with pytest.raises(ValidationError, match=message):
        _record(session, world, body=body)
    assert _count(session, SupervisionSession) == 0


@pytest.mark.parametrize(("kind", "attendees", "message"), [
    ("individual", ["peer", "peer_scores"], "An individual session has one supervisee"),
    ("group", ["peer"], "A group session has at least two"),
    ("workshop", ["peer"], "kind of session"),
])
def test_kind_and_attendees_must_agree(session, world, kind, attendees, message):
    with pytest.raises(ValidationError, match=message):
        _record(session, world, kind=kind, attendees=[getattr(world, name) for name in attendees])


def test_action_items_belong_to_the_supervisor_or_an_attendee(session, world):
    with pytest.raises(ValidationError, match="owner must be you or someone who attended"):
        _record(session, world, items=[NewActionItem(world.peer_scores.id, "Not theirs.", None)])
    with pytest.raises(ValidationError, match="due date is before the session"):
        _record(session, world, items=[NewActionItem(world.peer.id, "Late.", world.today - timedelta(days=1))])
    assert _count(session, SupervisionSession) == 0


def test_an_administrative_supervisor_records_administrative_minutes_only(session, world):
    with pytest.raises(ValidationError, match="do not hold the supportive function"):
        _record(session, world, actor=world.admin_supervisor)
    record = _record(session, world, actor=world.admin_supervisor,
                     body=content(world.today, administrative=30, activities=("documentation_review",)))
    assert record.summary.functions == ("administrative",)


def test_nobody_records_supervision_with_someone_they_do_not_supervise(session, world):
    with pytest.raises(PermissionDenied):
        _record(session, world, attendees=[world.other_peer])
    with pytest.raises(PermissionDenied):
        _record(session, world, actor=world.ended_supervisor, attendees=[world.peer_scores])
    with pytest.raises(PermissionDenied):
        _record(session, world, actor=world.peer, attendees=[world.peer_scores])
    assert _count(session, SupervisionSession) == 0


def test_a_session_can_be_edited_for_seven_days(session, world):
    record = _record(session, world)
    changed = content(world.today, supportive=45, notes={"supportive": "Rewritten on day six."})
    edited = edit_session(session, actor=world.supervisor, session_id=record.summary.id, content=changed,
                          now=_now(world, 6))
    assert edited.content.notes == {"supportive": "Rewritten on day six."}
    assert edited.content.private_reflection == ""
    assert edited.amendments == ()
    with pytest.raises(ValidationError, match="Amend it instead"):
        edit_session(session, actor=world.supervisor, session_id=record.summary.id, content=changed,
                     now=_now(world, 8))
    assert _audited(session, "session_edited") == [(world.supervisor.id, world.peer.id)]


def test_after_seven_days_a_session_is_amended_with_a_reason_and_the_earlier_version_kept(session, world):
    record = _record(session, world)
    changed = content(world.today, supportive=45, notes={"supportive": "Corrected later."})
    with pytest.raises(ValidationError, match="edit it directly"):
        amend_session(session, actor=world.supervisor, session_id=record.summary.id, content=changed,
                      reason="Too early.", now=_now(world, 3))
    with pytest.raises(ValidationError, match="Say why"):
        amend_session(session, actor=world.supervisor, session_id=record.summary.id, content=changed, reason="  ",
                      now=_now(world, 9))
    amended = amend_session(session, actor=world.supervisor, session_id=record.summary.id, content=changed,
                            reason="The notes named the wrong call.", now=_now(world, 9))
    assert amended.content.notes == {"supportive": "Corrected later."}
    (amendment,) = amended.amendments
    assert amendment.reason == "The notes named the wrong call."
    assert amendment.previous == record.content
    assert _count(session, SessionAmendment) == 1
    assert _audited(session, "session_amended") == [(world.supervisor.id, world.peer.id)]


def test_only_the_author_reads_edits_or_amends_a_session(session, world):
    record = _record(session, world)
    changed = content(world.today, administrative=30)
    for other in (world.admin_supervisor, world.other_supervisor, world.peer, world.lead, world.admin):
        with pytest.raises(PermissionDenied, match="read only by the supervisor who wrote them"):
            session_record(session, actor=other, session_id=record.summary.id)
        with pytest.raises(PermissionDenied):
            edit_session(session, actor=other, session_id=record.summary.id, content=changed, now=_now(world, 1))
        with pytest.raises(PermissionDenied):
            amend_session(session, actor=other, session_id=record.summary.id, content=changed, reason="Mine now.",
                          now=_now(world, 9))
    kept = session_record(session, actor=world.supervisor, session_id=record.summary.id)
    assert kept.content.notes == {"supportive": "Talked through the overdose calls."}
    assert _audited(session, "viewed_session_notes") == [(world.supervisor.id, world.peer.id)]


def test_another_supervisor_of_the_peer_sees_the_metadata_but_not_the_notes(session, world):
    _record(session, world)
    functions, (theirs,) = supervisee_history(session, actor=world.admin_supervisor, peer_id=world.peer.id,
                                              since=world.today, on=world.today)
    assert functions == {"administrative"}
    assert theirs.record is None
    assert theirs.summary.minutes == {"administrative": 10, "educational": 0, "supportive": 0}
    assert theirs.summary.attendee_names == ()
    _, (mine,) = supervisee_history(session, actor=world.supervisor, peer_id=world.peer.id, since=world.today,
                                    on=world.today)
    assert mine.record.content.private_reflection == PRIVATE_REFLECTION


def test_an_ended_assignment_closes_the_author_s_own_notes_at_once(session, world):
    row = add_session_row(session, world.ended_supervisor, [world.peer_scores],
                          held_on=world.today - timedelta(days=10), minutes=(0, 20, 20))
    with clock_on(world.today - timedelta(days=1)):
        assert session_record(session, actor=world.ended_supervisor, session_id=row.id).summary.id == row.id
    with pytest.raises(PermissionDenied, match="assignment with the people in this session has ended"):
        session_record(session, actor=world.ended_supervisor, session_id=row.id)


def test_the_supervisee_reads_the_notes_but_never_the_private_reflection(session, world):
    _record(session, world, items=[NewActionItem(world.peer.id, "Book a debrief with the EAP.", None)])
    (attended,) = my_sessions_as_supervisee(session, actor=world.peer, on=world.today)
    assert attended.notes == {"supportive": "Talked through the overdose calls."}
    assert attended.supervisor_name == "Supervisor"
    assert [item.text for item in attended.my_action_items] == ["Book a debrief with the EAP."]
    assert PRIVATE_REFLECTION not in repr(attended)
    assert not hasattr(attended, "private_reflection")
    assert my_sessions_as_supervisee(session, actor=world.peer_scores, on=world.today) == []


def test_an_amended_session_tells_the_supervisee_when_but_keeps_the_earlier_version_to_the_author(session, world):
    record = _record(session, world)
    amend_session(session, actor=world.supervisor, session_id=record.summary.id,
                  content=content(world.today, supportive=40, notes={"supportive": "Corrected."}),
                  reason="Wrong call named.", now=_now(world, 9))
    (attended,) = my_sessions_as_supervisee(session, actor=world.peer, on=world.today + timedelta(days=9))
    assert attended.amended_on == (world.today + timedelta(days=9),)
    assert attended.notes == {"supportive": "Corrected."}
    assert "Talked through the overdose calls." not in repr(attended)
    assert "Wrong call named." not in repr(attended)


def test_each_group_attendee_reads_the_group_notes_and_only_their_own_action_items(session, world):
    _record(session, world, kind="group", attendees=[world.peer, world.peer_scores, world.peer_completion], items=[
        NewActionItem(world.peer.id, "Peer Bands: rest after call-outs.", None),
        NewActionItem(world.peer_scores.id, "Peer Scores: see the EAP counselor.", None),
    ])
    for attendee, own in ((world.peer, ["Peer Bands: rest after call-outs."]),
                          (world.peer_scores, ["Peer Scores: see the EAP counselor."]), (world.peer_completion, [])):
        (attended,) = my_sessions_as_supervisee(session, actor=attendee, on=world.today)
        assert attended.kind == "group"
        assert attended.notes == {"supportive": "Talked through the overdose calls."}
        assert [item.text for item in attended.my_action_items] == own
        assert PRIVATE_REFLECTION not in repr(attended)
        others = {"Peer Bands: rest after call-outs.", "Peer Scores: see the EAP counselor."} - set(own)
        assert not any(text in repr(attended) for text in others)


def test_my_recent_sessions_lists_only_the_sessions_i_led(session, world):
    _record(session, world)
    add_session_row(session, world.admin_supervisor, [world.peer], held_on=world.today, minutes=(30, 0, 0))
    (mine,) = my_recent_sessions(session, actor=world.supervisor, on=world.today)
    assert mine.attendee_names == ("Peer Bands",)
    with pytest.raises(PermissionDenied):
        my_recent_sessions(session, actor=world.peer, on=world.today)


def test_the_demo_records_only_activities_from_the_official_list():
    for function, codes in demo.ACTIVITIES.items():
        assert {ACTIVITY_BY_CODE[code].function for code in codes} == {function}
