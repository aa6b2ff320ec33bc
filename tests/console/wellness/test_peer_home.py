from datetime import timedelta

from console.wellness.peer_home import peer_home
from console.wellness.support import request_reach_out
from tests.peer_data import check_in, take_assessment
from tests.supervision_data import add_action_item, add_session_row


def test_first_use_shows_everything_due_and_nothing_yet(session, world):
    home = peer_home(session, actor=world.peer, on=world.today)
    assert home.first_name == "Peer"
    assert not home.checked_in_this_week and home.last_checkin is None
    assert home.assessment.due and home.assessment.last_taken_on is None
    assert home.latest_result is None and home.action_items == ()
    assert home.who_sees_what.startswith("Supervisor sees your bands and summaries, without numbers; "
                                         "Admin Supervisor sees completion and workload only.")
    assert not home.asked_to_reach_out


def test_home_with_history_shows_last_results_open_items_and_the_reach_out(session, world):
    check_in(session, world.peer, on=world.today - timedelta(days=7), caseload=22)
    take_assessment(session, world.peer, on=world.today - timedelta(days=45), burnout=44)
    row = add_session_row(session, world.supervisor, [world.peer], held_on=world.today - timedelta(days=9))
    add_action_item(session, row, world.peer, text="Book the EAP debrief.", due_on=world.today - timedelta(days=2))
    add_action_item(session, row, world.peer_scores, text="Not mine.", due_on=world.today)
    request_reach_out(session, actor=world.peer)

    home = peer_home(session, actor=world.peer, on=world.today)
    assert not home.checked_in_this_week and home.last_checkin.caseload == 22
    assert home.assessment.overdue
    assert [scale.band for scale in home.latest_result.scales] == ["moderate", "high", "moderate"]
    assert [item.text for item in home.action_items] == ["Book the EAP debrief."]
    assert home.action_items[0].past_due(world.today)
    assert home.action_items[0].set_on == world.today - timedelta(days=9)
    assert home.asked_to_reach_out

    check_in(session, world.peer, on=world.today)
    assert peer_home(session, actor=world.peer, on=world.today).checked_in_this_week
