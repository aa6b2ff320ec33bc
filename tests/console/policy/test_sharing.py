from datetime import timedelta

import pytest
from sqlmodel import select

from console.core.errors import PermissionDenied, ValidationError
from console.policy import access
from console.policy.sharing import my_privacy, my_supervisors, set_sharing_level, who_sees_what, who_viewed_my_data
from console.supervision import action_items
from console.supervision.shared_view import preview_for_peer, view_for_supervisor
from console.wellness import assessments, checkins, my_trends, peer_home, support, wellness_plans
from db.models import AuditEvent
from tests.conftest import add_user
from tests.peer_data import check_in, take_assessment
from tests.supervision_data import add_action_item, add_session_row


def test_a_sharing_change_reaches_the_supervisor_service_at_once_and_is_audited(session, world):
    take_assessment(session, world.peer, on=world.today - timedelta(days=3), burnout=44)
    before = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    assert before.level == "bands" and before.assessments[0].raw is None

    assert set_sharing_level(session, actor=world.peer, level="scores") == "scores"
    after = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    assert after.level == "scores" and {point.raw for point in after.assessments} >= {44.0}

    set_sharing_level(session, actor=world.peer, level="completion")
    hidden = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    assert hidden.level == "completion" and hidden.assessments is None
    changes = session.exec(select(AuditEvent.detail).where(AuditEvent.action == "sharing_changed")
                           .order_by(AuditEvent.id)).all()
    assert changes == ["bands → scores", "scores → completion"]


def test_choosing_the_current_level_again_writes_nothing(session, world):
    set_sharing_level(session, actor=world.peer, level="bands")
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "sharing_changed")).all() == []


def test_a_peer_without_a_stored_preference_can_choose_one(session, world):
    assert access.my_sharing_level(session, actor=world.other_peer) == "bands"
    set_sharing_level(session, actor=world.other_peer, level="scores")
    assert access.my_sharing_level(session, actor=world.other_peer) == "scores"


def test_an_unknown_level_is_refused(session, world):
    with pytest.raises(ValidationError, match="Choose a sharing level"):
        set_sharing_level(session, actor=world.peer, level="everything")


def test_only_the_peer_changes_their_sharing(session, world):
    for actor in (world.supervisor, world.lead, world.admin):
        with pytest.raises(PermissionDenied):
            set_sharing_level(session, actor=actor, level="scores")


def test_the_preview_is_the_supervisor_view_at_each_level(session, world):
    take_assessment(session, world.peer, on=world.today - timedelta(days=3), burnout=44)
    for level in ("completion", "bands", "scores"):
        set_sharing_level(session, actor=world.peer, level=level)
        seen = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
        preview = preview_for_peer(session, actor=world.peer, level=level, on=world.today)
        assert preview.assessments == seen.assessments
        assert preview.flags == seen.flags
        assert preview.strain_trend == seen.strain_trend


def test_supervisors_are_listed_with_their_functions_and_an_administrative_one_sees_completion_only(session, world):
    supervisors = {supervisor.name: supervisor for supervisor in my_supervisors(session, actor=world.peer_scores)}
    assert set(supervisors) == {"Supervisor", "Admin Supervisor"}
    assert supervisors["Supervisor"].functions == ("administrative", "educational", "supportive")
    assert supervisors["Supervisor"].sees.startswith("everything in Bands")
    assert supervisors["Admin Supervisor"].administrative_only
    assert supervisors["Admin Supervisor"].sees == "completion and workload only, whatever level you choose"
    line = who_sees_what(session, actor=world.peer_scores)
    assert line.startswith("Supervisor sees your scores and trends; Admin Supervisor sees completion and workload")
    unsupervised = add_user(session, username="new_peer", roles="peer", program=world.program)
    assert who_sees_what(session, actor=unsupervised).startswith("No supervisor is assigned")


def test_a_supervisors_view_is_listed_on_the_peers_privacy_page(session, world):
    assert who_viewed_my_data(session, actor=world.peer) == ()
    view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    set_sharing_level(session, actor=world.peer, level="scores")
    views = my_privacy(session, actor=world.peer).views
    assert [(view.who, view.what) for view in views] == [
        ("Supervisor", "looked at your check-ins and results, as far as you share them (level bands)")]
    assert who_viewed_my_data(session, actor=world.peer_scores) == ()


def test_a_peer_cannot_reach_another_peers_data_through_any_service(session, world):
    """Every peer service reads the signed-in peer's own rows; there is no argument that names another peer."""
    other, me = world.other_peer, world.peer
    take_assessment(session, other, on=world.today - timedelta(days=2), burnout=47)
    check_in(session, other, on=world.today, exposures=["death_of_person_served"], caseload=29)
    wellness_plans.save_plan(session, actor=other, sections={"what_helps": "Their own words."}, shared=True)
    support.request_reach_out(session, actor=other)
    item = add_action_item(session, add_session_row(session, world.other_supervisor, [other],
                                                    held_on=world.today - timedelta(days=3)),
                           other, text="Their item.", due_on=world.today)
    session.commit()
    view_for_supervisor(session, actor=world.other_supervisor, peer_id=other.id, on=world.today)

    on = world.today
    assert checkins.my_recent_pulses(session, actor=me) == []
    assert checkins.this_weeks_pulse(session, actor=me, on=on) is None
    assert checkins.week_feedback(session, actor=me, on=on) is None
    assert assessments.latest_result(session, actor=me) is None
    assert assessments.assessment_status(session, actor=me, on=on).last_taken_on is None
    assert wellness_plans.my_plan(session, actor=me) is None
    assert my_privacy(session, actor=me).views == ()
    trends = my_trends.my_trends(session, actor=me, on=on)
    assert (trends.scale_points, trends.strain_points, trends.exposures) == ((), (), ())
    assert support.support_now(session, actor=me).asked_to_reach_out_at is None
    home = peer_home.peer_home(session, actor=me, on=on)
    assert (home.last_checkin, home.latest_result, home.action_items) == (None, None, ())
    assert action_items.my_action_items(session, actor=me) == []
    with pytest.raises(PermissionDenied):
        action_items.mark_done(session, actor=me, item_id=item.id)
    preview = preview_for_peer(session, actor=me, level="scores", on=on)
    assert preview.peer_id == me.id and preview.assessments == () and preview.shared_plan is None
