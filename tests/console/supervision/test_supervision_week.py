"""The supervisor's week: the prep sheet and its printable copy, one supervisee in detail, and the load."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from console.core.errors import PermissionDenied
from console.core.program_settings import write_settings
from console.supervision.supervisor_week import (
    prep_sheet,
    printable_prep_sheet,
    supervisee_choices,
    supervisee_detail,
    supervision_load,
)
from db.models import AuditEvent
from tests.conftest import clock_on
from tests.supervision_data import (
    PRIVATE_NOTE,
    PRIVATE_REFLECTION,
    RAW_NUMBERS,
    SHARED_NOTE,
    add_pulse,
    add_reach_out,
    add_session_row,
    add_wellness_history,
)


def _names(cards) -> list[str]:
    return [card.view.name for card in cards]


def test_the_prep_sheet_pins_who_asked_to_talk_then_orders_by_urgency(session, world):
    add_wellness_history(session, world.peer_scores, today=world.today)
    add_pulse(session, world.peer_completion, taken_on=world.today - timedelta(days=3), strain=20.0, caseload=22)
    add_reach_out(session, world.peer_completion, on=world.today)
    session.commit()
    cards = prep_sheet(session, actor=world.supervisor, on=world.today)
    assert _names(cards) == ["Peer Completion", "Peer Scores", "Peer Bands"]
    assert [card.pinned for card in cards] == [True, False, False]
    assert cards[1].view.urgency > cards[2].view.urgency
    assert cards[1].suggested_functions == ("administrative", "supportive")
    audited = session.exec(select(AuditEvent.subject_id).where(AuditEvent.action == "viewed_wellness",
                                                               AuditEvent.resource_type == "prep_card")).all()
    assert sorted(audited) == sorted([world.peer.id, world.peer_scores.id, world.peer_completion.id])


def test_a_peer_who_asked_to_talk_in_a_check_in_is_pinned(session, world):
    add_pulse(session, world.peer, taken_on=world.today - timedelta(days=2), wants_to_talk=True)
    session.commit()
    cards = prep_sheet(session, actor=world.supervisor, on=world.today)
    assert (cards[0].view.name, cards[0].pinned) == ("Peer Bands", True)


def test_the_prep_sheet_leaves_out_ended_assignments(session, world):
    assert prep_sheet(session, actor=world.ended_supervisor, on=world.today) == []
    with clock_on(world.today - timedelta(days=1)):
        assert _names(prep_sheet(session, actor=world.ended_supervisor, on=world.today - timedelta(days=1))) == [
            "Peer Scores"]


@pytest.mark.parametrize("actor", ["peer", "lead", "admin"])
def test_only_supervisors_have_a_prep_sheet(session, world, actor):
    with pytest.raises(PermissionDenied):
        prep_sheet(session, actor=getattr(world, actor), on=world.today)


def test_the_printable_sheet_holds_what_the_cards_hold_and_no_more(session, world):
    for peer in (world.peer, world.peer_scores, world.peer_completion):
        add_wellness_history(session, peer, today=world.today)
    add_session_row(session, world.supervisor, [world.peer], held_on=world.today - timedelta(days=3),
                    private_reflection=PRIVATE_REFLECTION)
    cards = {card.view.name: card for card in prep_sheet(session, actor=world.supervisor, on=world.today)}
    bands = printable_prep_sheet([cards["Peer Bands"]], supervisor_name="Supervisor", on=world.today)
    assert "Burnout: moderate → high" in bands and SHARED_NOTE in bands
    assert [number for number in RAW_NUMBERS if number in bands] == []
    assert PRIVATE_NOTE not in bands and PRIVATE_REFLECTION not in bands and "Session notes." not in bands
    completion = printable_prep_sheet([cards["Peer Completion"]], supervisor_name="Supervisor", on=world.today)
    assert "Trend:" not in completion and "band" not in completion
    assert [number for number in RAW_NUMBERS if number in completion] == []
    scores = printable_prep_sheet([cards["Peer Scores"]], supervisor_name="Supervisor", on=world.today)
    assert "Burnout: 24.1 (moderate) → 43.7 (high)" in scores


def test_an_administrative_supervisor_s_printable_sheet_holds_completion_and_workload_only(session, world):
    add_wellness_history(session, world.peer_scores, today=world.today)
    add_reach_out(session, world.peer_scores, on=world.today)
    (card,) = [card for card in prep_sheet(session, actor=world.admin_supervisor, on=world.today)
               if card.view.name == "Peer Scores"]
    text = printable_prep_sheet([card], supervisor_name="Admin Supervisor", on=world.today)
    assert "Caseload 33: above the 20–30 guideline." in text
    assert SHARED_NOTE not in text and "reached out" not in text and "Exposures" not in text and "Trend" not in text
    assert [number for number in RAW_NUMBERS if number in text] == []


def test_the_detail_shows_every_session_s_metadata_and_only_my_own_notes(session, world):
    mine = add_session_row(session, world.supervisor, [world.peer], held_on=world.today - timedelta(days=3),
                           notes="My notes.", private_reflection=PRIVATE_REFLECTION)
    add_session_row(session, world.admin_supervisor, [world.peer], held_on=world.today - timedelta(days=10),
                    minutes=(30, 0, 0), notes="Agency notes.")
    detail = supervisee_detail(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    assert [entry.summary.id == mine.id for entry in detail.history] == [True, False]
    assert detail.history[0].record.content.notes["supportive"] == "My notes."
    assert detail.history[1].record is None and "Agency notes." not in repr(detail)
    assert [(minutes.held_on, minutes.administrative) for minutes in detail.session_minutes] == [
        (world.today - timedelta(days=10), 30), (world.today - timedelta(days=3), 10)]
    assert detail.cadence.cadence == "weekly" and detail.cadence.cadence_met
    other = supervisee_detail(session, actor=world.admin_supervisor, peer_id=world.peer.id, on=world.today)
    assert "My notes." not in repr(other) and PRIVATE_REFLECTION not in repr(other)


def test_an_administrative_supervisor_sees_other_sessions_for_their_administrative_part(session, world):
    add_session_row(session, world.supervisor, [world.peer], held_on=world.today - timedelta(days=3),
                    minutes=(10, 20, 30))
    add_session_row(session, world.supervisor, [world.peer], held_on=world.today - timedelta(days=6),
                    minutes=(0, 20, 40))
    detail = supervisee_detail(session, actor=world.admin_supervisor, peer_id=world.peer.id, on=world.today)
    (entry,) = detail.history
    assert entry.summary.minutes == {"administrative": 10, "educational": 0, "supportive": 0}
    assert entry.summary.duration_minutes == 10
    assert [(minutes.educational, minutes.supportive) for minutes in detail.session_minutes] == [(0, 0)]


def test_the_cadence_follows_the_program_setting(session, world):
    add_session_row(session, world.supervisor, [world.peer], held_on=world.today - timedelta(days=10))
    assert not supervisee_detail(session, actor=world.supervisor, peer_id=world.peer.id,
                                 on=world.today).cadence.cadence_met
    write_settings(session, actor=world.admin, changes={"supervision_cadence": "biweekly"}, on=world.today)
    detail = supervisee_detail(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    assert detail.cadence.cadence == "biweekly" and detail.cadence.cadence_met


def test_the_detail_is_refused_after_the_assignment_ends(session, world):
    with pytest.raises(PermissionDenied):
        supervisee_detail(session, actor=world.ended_supervisor, peer_id=world.peer_scores.id, on=world.today)
    with pytest.raises(PermissionDenied):
        supervisee_detail(session, actor=world.supervisor, peer_id=world.other_peer.id, on=world.today)


def test_my_load_counts_sessions_balance_and_who_lacks_supportive_supervision(session, world):
    add_session_row(session, world.supervisor, [world.peer], held_on=world.today - timedelta(days=1),
                    minutes=(20, 20, 20))
    add_session_row(session, world.supervisor, [world.peer_scores, world.peer],
                    held_on=world.today - timedelta(days=9), minutes=(30, 30, 0))
    add_session_row(session, world.supervisor, [world.peer_completion], held_on=world.today - timedelta(days=40),
                    minutes=(0, 0, 45))
    add_session_row(session, world.admin_supervisor, [world.peer_scores], held_on=world.today - timedelta(days=1),
                    minutes=(30, 0, 0))
    load = supervision_load(session, actor=world.supervisor, on=world.today)
    assert load.supervisees == 3
    assert [(week.week_start.isoformat(), week.sessions, week.minutes) for week in load.weeks if week.sessions] == [
        ("2026-10-12", 1, 45), ("2026-11-09", 1, 60), ("2026-11-23", 1, 60)]
    assert load.sessions_per_week == 3 / 8
    assert load.balance.minutes == {"administrative": 50, "educational": 50, "supportive": 20}
    assert [(gap.name, gap.last_supportive) for gap in load.without_supportive] == [
        ("Peer Scores", None), ("Peer Completion", world.today - timedelta(days=40))]
    assert supervision_load(session, actor=world.admin_supervisor, on=world.today).without_supportive == ()


def test_the_choice_of_attendees_holds_names_and_functions_only(session, world):
    choices = supervisee_choices(session, actor=world.admin_supervisor)
    assert [(choice.name, choice.functions) for choice in choices] == [
        ("Peer Bands", {"administrative"}), ("Peer Completion", {"administrative"}),
        ("Peer Scores", {"administrative"})]
    assert supervisee_choices(session, actor=world.ended_supervisor) == []
