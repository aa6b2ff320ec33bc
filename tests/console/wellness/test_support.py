from datetime import timedelta

import pytest
from sqlmodel import select

from console.core.errors import PermissionDenied
from console.core.program_settings import write_settings
from console.supervision.shared_view import view_for_supervisor
from console.wellness.support import (
    STRATEGIES,
    request_reach_out,
    suggestions_for,
    support_contact,
    support_now,
)
from db.models import AuditEvent, ReachOutRequest, SupervisionAssignment, utcnow
from tests.conftest import add_user
from tests.peer_data import at

GOOD_WEEK = {"energy": 4, "stress": 2, "sleep": 4, "workload": 4, "supported": 4, "connection": 4, "satisfaction": 4}


def _codes(strategies) -> list[str]:
    return [strategy.code for strategy in strategies]


def test_an_overdose_scene_or_a_death_suggests_a_debrief_a_ritual_and_a_colleague():
    after_overdose = _codes(suggestions_for(exposures=["overdose_scene"], answers=GOOD_WEEK, self_care=["sleep"]))
    assert after_overdose == ["debrief", "letting_go_ritual", "reach_colleague"]
    after_death = _codes(suggestions_for(exposures=["death_of_person_served"], answers=GOOD_WEEK, self_care=["sleep"]))
    assert after_death == ["grief", "debrief", "letting_go_ritual", "reach_colleague"]


def test_little_sleep_suggests_rest_and_a_lonely_week_a_colleague():
    assert _codes(suggestions_for(exposures=[], answers={**GOOD_WEEK, "sleep": 1}, self_care=["food"])) == ["rest"]
    assert _codes(suggestions_for(exposures=[], answers={**GOOD_WEEK, "connection": 2}, self_care=["food"])) == [
        "reach_colleague"]


def test_pressure_on_recovery_points_to_recovery_supports_first():
    codes = _codes(suggestions_for(exposures=["recovery_pressure"], answers=GOOD_WEEK, self_care=["food"]))
    assert codes[0] == "recovery_supports"


def test_a_good_week_with_self_care_needs_no_suggestion_and_a_week_without_self_care_gets_the_basics():
    assert suggestions_for(exposures=[], answers=GOOD_WEEK, self_care=["sleep"]) == ()
    assert _codes(suggestions_for(exposures=[], answers=GOOD_WEEK, self_care=[])) == ["basics"]


def test_a_hard_week_gets_at_most_four_suggestions_without_repeats():
    everything = ["death_of_person_served", "overdose_scene", "people_from_past", "recovery_pressure"]
    codes = _codes(suggestions_for(exposures=everything, answers={key: 1 for key in GOOD_WEEK}, self_care=[]))
    assert len(codes) == 4 and len(set(codes)) == 4


def test_support_now_holds_the_program_contact_the_strategies_and_the_wellness_supervisors(session, world):
    write_settings(session, actor=world.admin, changes={"support_contact": "EAP line 555-0100"}, on=world.today)
    now = support_now(session, actor=world.peer)
    assert now.contact == "EAP line 555-0100"
    assert support_contact(session, actor=world.peer) == "EAP line 555-0100"
    assert now.strategies == STRATEGIES
    assert now.supporters == ("Supervisor",)
    assert now.asked_to_reach_out_at is None


def test_please_reach_out_flags_the_supervisor_once_until_acknowledged(session, world):
    asked = request_reach_out(session, actor=world.peer, now=at(world.today))
    again = request_reach_out(session, actor=world.peer, now=at(world.today, hour=15))
    assert asked == again
    assert len(session.exec(select(ReachOutRequest)).all()) == 1
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "reach_out_requested")).one()
    assert (event.actor_id, event.subject_id) == (world.peer.id, world.peer.id)
    assert support_now(session, actor=world.peer).asked_to_reach_out_at == asked
    seen = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    assert [request.created_at for request in seen.reach_outs] == [asked]

    request = session.exec(select(ReachOutRequest)).one()
    request.acknowledged_at, request.acknowledged_by = utcnow(), world.supervisor.id
    session.add(request)
    session.commit()
    assert support_now(session, actor=world.peer).asked_to_reach_out_at is None
    request_reach_out(session, actor=world.peer, now=at(world.today + timedelta(days=1)))
    assert len(session.exec(select(ReachOutRequest)).all()) == 2


def test_reaching_out_does_not_depend_on_the_sharing_level(session, world):
    request_reach_out(session, actor=world.peer_completion)
    seen = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer_completion.id, on=world.today)
    assert seen.level == "completion" and len(seen.reach_outs) == 1


def test_a_peer_with_only_administrative_supervision_has_no_one_to_flag(session, world):
    peer = add_user(session, username="admin_only_peer", roles="peer", program=world.program)
    session.add(SupervisionAssignment(supervisor_id=world.admin_supervisor.id, supervisee_id=peer.id,
                                      functions="administrative", started_on=world.today - timedelta(days=30)))
    session.commit()
    assert support_now(session, actor=peer).supporters == ()


def test_only_peers_ask_to_be_reached(session, world):
    for actor in (world.supervisor, world.lead, world.admin):
        with pytest.raises(PermissionDenied):
            request_reach_out(session, actor=actor)


def test_strategies_fit_peers_in_recovery_and_with_other_living_experience():
    """No strategy takes for granted that a peer goes to meetings or has a sponsor."""
    for strategy in STRATEGIES:
        words = f"{strategy.title} {strategy.text}".lower()
        assert "go to a meeting" not in words and "your sponsor" not in words
