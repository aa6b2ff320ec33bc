"""The supervisor pages at every sharing level, with what each must never show."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pyarrow
import pytest
from sqlmodel import func, select
from streamlit.testing.v1 import AppTest

from db.models import ActionItem, ReachOutRequest, SessionAmendment, SessionAttendee, SupervisionSession, utcnow
from tests.app_pages.conftest import TIMEOUT, shown, sign_in, texts
from tests.supervision_data import (
    PRIVATE_REFLECTION,
    RAW_NUMBERS,
    SHARED_NOTE,
    add_action_item,
    add_reach_out,
    add_session_row,
    add_wellness_history,
    at,
)

ROOT = Path(__file__).resolve().parents[3]
PEER_AT_LEVEL = {"completion": "peer_completion", "bands": "peer", "scores": "peer_scores"}


def open_page(page: str, user) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app_pages" / page), default_timeout=TIMEOUT)
    app.session_state["_current_user"] = user
    return app.run()


def button(app: AppTest, label: str):
    return next(found for found in app.button if found.label == label)


def chart_data(app: AppTest) -> str:
    """Every chart's spec and embedded data, as text."""
    parts = []
    for chart in app.get("vega_lite_chart"):
        parts.append(chart.proto.spec)
        for dataset in chart.proto.datasets:
            parts.append(pyarrow.ipc.open_stream(dataset.data.data).read_all().to_pandas().to_string())
    return "\n".join(parts)


def leaked(*shown: str) -> list[str]:
    return [number for number in RAW_NUMBERS if any(number in text for text in shown)]


@pytest.fixture
def today():
    return utcnow().date()


@pytest.mark.parametrize("level", PEER_AT_LEVEL)
def test_the_prep_sheet_shows_each_card_at_the_peer_s_level(app_database, session, today, downloads, level):
    world = app_database
    add_wellness_history(session, getattr(world, PEER_AT_LEVEL[level]), today=today)
    app = open_page("supervisor/prep.py", world.supervisor)
    assert not app.exception
    shown = texts(app)
    printable = downloads(app.get("download_button")[0]).decode()
    assert SHARED_NOTE in shown and SHARED_NOTE in printable
    assert "Caseload 33: above the 20–30 guideline." in shown
    if level == "completion":
        assert "Burnout" not in shown and "Burnout" not in printable
    else:
        assert "Burnout" in shown and "high" in shown and "Burnout" in printable
    if level == "scores":
        assert "43.7" in shown and "43.7" in printable
    else:
        assert leaked(shown, printable) == []


def test_an_administrative_supervisor_s_prep_sheet_holds_completion_and_workload_only(app_database, session, today,
                                                                                       downloads):
    world = app_database
    add_wellness_history(session, world.peer_scores, today=today)
    add_reach_out(session, world.peer_scores, on=today)
    app = open_page("supervisor/prep.py", world.admin_supervisor)
    shown = texts(app)
    printable = downloads(app.get("download_button")[0]).decode()
    assert "administrative supervision: completion and workload only" in shown
    assert "Caseload 33" in shown
    for hidden in (SHARED_NOTE, "Burnout", "Exposures", "reached out", *RAW_NUMBERS):
        assert hidden not in shown and hidden not in printable
    assert not [found for found in app.button if found.label == "Acknowledge the request"]


def test_a_reach_out_request_is_pinned_on_top_until_acknowledged(app_database, session, today):
    world = app_database
    add_wellness_history(session, world.peer_scores, today=today)
    request = add_reach_out(session, world.peer_completion, on=today)
    app = open_page("supervisor/prep.py", world.supervisor)
    assert shown(app.subheader[0].value) == "Peer Completion"
    assert "Asked to be reached out to" in texts(app)
    button(app, "Acknowledge the request").click().run()
    assert "Asked to be reached out to" not in texts(app)
    assert shown(app.subheader[0].value) == "Peer Scores"
    session.expire_all()
    assert session.get(ReachOutRequest, request.id).acknowledged_by == world.supervisor.id


def test_start_session_opens_the_record_pre_filled_from_the_card(app_database, session, today):
    world = app_database
    add_wellness_history(session, world.peer, today=today)
    app = sign_in("supervisor")
    assert app.title[0].value == "Weekly supervision prep"
    assert shown(app.subheader[0].value) == "Peer Bands"
    next(found for found in app.button if found.key == f"start_{world.peer.id}").click().run()
    assert app.title[0].value == "Record a session"
    key = next(found.key for found in app.selectbox if found.label == "Supervisee").removesuffix("_supervisee")
    assert app.selectbox(key=f"{key}_supervisee").value == world.peer.id
    assert app.number_input(key=f"{key}_minutes_supportive").value > 0
    assert "Burnout is in the high band" in texts(app)
    assert leaked(texts(app)) == []


def test_details_opens_the_supervisee_from_the_card(app_database, session, today):
    world = app_database
    add_wellness_history(session, world.peer, today=today)
    app = sign_in("supervisor")
    next(found for found in app.button if found.key == f"detail_{world.peer.id}").click().run()
    assert app.title[0].value == "My supervisees"
    assert shown(app.header[0].value) == "Peer Bands"
    assert "Burnout" in chart_data(app)


def _record_page(world, user=None):
    app = open_page("supervisor/record_session.py", user or world.supervisor)
    key = next(found.key for found in app.radio if found.label == "Kind of session").removesuffix("_kind")
    return app, key


def test_recording_an_individual_session_with_notes_and_an_action_item(app_database, session, today):
    world = app_database
    app, key = _record_page(world)
    app.selectbox(key=f"{key}_supervisee").set_value(world.peer.id).run()
    app.number_input(key=f"{key}_minutes_administrative").set_value(15)
    app.number_input(key=f"{key}_minutes_supportive").set_value(30).run()
    assert "15 of the 60 minutes are not given to a function." in texts(app)
    app.checkbox(key=f"{key}_activity_personal_reactions").check()
    app.text_area(key=f"{key}_notes_supportive").set_value("Talked through the overdose calls.")
    app.text_area(key=f"{key}_reflection").set_value(PRIVATE_REFLECTION)
    app.text_input(key=f"{key}_item_text_0").set_value("Book a debrief with the EAP.")
    app.date_input(key=f"{key}_item_due_0").set_value(today + timedelta(days=7))
    button(app, "Save session").click().run()
    assert not app.exception and not app.error
    assert "Saved the session" in texts(app) and "with 1 action item." in texts(app)
    stored = session.exec(select(SupervisionSession)).one()
    assert (stored.minutes_administrative, stored.minutes_supportive, stored.activities) == (15, 30,
                                                                                            "personal_reactions")
    assert stored.private_reflection == PRIVATE_REFLECTION
    item = session.exec(select(ActionItem)).one()
    assert (item.owner_id, item.text, item.due_on) == (world.peer.id, "Book a debrief with the EAP.",
                                                      today + timedelta(days=7))


def test_a_form_error_says_what_to_fix_and_stores_nothing(app_database, session):
    world = app_database
    app, key = _record_page(world)
    app.selectbox(key=f"{key}_supervisee").set_value(world.peer.id).run()
    app.number_input(key=f"{key}_minutes_supportive").set_value(90).run()
    assert "more than the 60-minute session" in texts(app)
    button(app, "Save session").click().run()
    assert "more than the session's 60 minutes" in texts(app)
    assert session.exec(select(func.count()).select_from(SupervisionSession)).one() == 0


def test_recording_a_group_session(app_database, session):
    world = app_database
    app, key = _record_page(world)
    app.radio(key=f"{key}_kind").set_value("group").run()
    app.multiselect(key=f"{key}_attendees").set_value([world.peer.id, world.peer_scores.id]).run()
    assert "Every attendee can read these notes" in texts(app)
    app.number_input(key=f"{key}_minutes_educational").set_value(30)
    app.number_input(key=f"{key}_minutes_supportive").set_value(30)
    app.text_area(key=f"{key}_notes_educational").set_value("Practised motivational interviewing together.")
    app.selectbox(key=f"{key}_item_owner_0").set_value(world.peer_scores.id)
    app.text_input(key=f"{key}_item_text_0").set_value("Share the role-play notes.")
    button(app, "Save session").click().run()
    assert "Saved the session" in texts(app)
    stored = session.exec(select(SupervisionSession)).one()
    assert stored.kind == "group"
    assert sorted(session.exec(select(SessionAttendee.peer_id))) == sorted([world.peer.id, world.peer_scores.id])
    assert session.exec(select(ActionItem.owner_id)).one() == world.peer_scores.id


def test_an_administrative_supervisor_records_only_the_administrative_function(app_database):
    world = app_database
    app, key = _record_page(world, world.admin_supervisor)
    app.selectbox(key=f"{key}_supervisee").set_value(world.peer.id).run()
    assert not app.number_input(key=f"{key}_minutes_administrative").disabled
    assert app.number_input(key=f"{key}_minutes_supportive").disabled
    assert not [found for found in app.text_area if found.key == f"{key}_notes_supportive"]


def test_a_recent_session_is_edited_and_an_older_one_amended_with_a_reason(app_database, session, today):
    world = app_database
    recent = add_session_row(session, world.supervisor, [world.peer], held_on=today, created_at=utcnow(),
                             notes="First draft.")
    older = add_session_row(session, world.supervisor, [world.peer_scores], held_on=today - timedelta(days=10),
                            created_at=at(today - timedelta(days=10)), notes="Old notes.")
    app, _ = _record_page(world)
    app.selectbox(key="edit_pick").set_value(recent.id).run()
    app.text_area(key=f"edit_{recent.id}_notes_supportive").set_value("Second draft.")
    button(app, "Save changes").click().run()
    assert "Your changes are saved." in texts(app)
    app.selectbox(key="edit_pick").set_value(older.id).run()
    assert "kept as an amendment" in texts(app)
    app.text_area(key=f"edit_{older.id}_notes_supportive").set_value("Corrected notes.")
    button(app, "Save amendment").click().run()
    assert "Say why" in texts(app)
    app.text_area(key=f"edit_{older.id}_reason").set_value("Named the wrong call.")
    button(app, "Save amendment").click().run()
    assert "The amendment is saved" in texts(app)
    session.expire_all()
    assert session.get(SupervisionSession, recent.id).notes_supportive == "Second draft."
    assert session.get(SupervisionSession, older.id).notes_supportive == "Corrected notes."
    amendment = session.exec(select(SessionAmendment)).one()
    assert amendment.previous["notes"]["supportive"] == "Old notes."


def test_action_items_are_filtered_and_marked_done(app_database, session, today):
    world = app_database
    row = add_session_row(session, world.supervisor, [world.peer], held_on=today - timedelta(days=10))
    overdue = add_action_item(session, row, world.peer, text="Finish referral notes.",
                              due_on=today - timedelta(days=2))
    add_action_item(session, row, world.supervisor, text="Ask for a lighter rota.", due_on=today + timedelta(days=9))
    app = open_page("supervisor/action_items.py", world.supervisor)
    assert "Finish referral notes." in texts(app) and "Ask for a lighter rota." in texts(app)
    app.radio(key="items_status").set_value("overdue").run()
    assert "Finish referral notes." in texts(app) and "Ask for a lighter rota." not in texts(app)
    button(app, "Mark done").click().run()
    assert "No action items match." in texts(app)
    session.expire_all()
    assert session.get(ActionItem, overdue.id).status == "done"
    app.radio(key="items_status").set_value("done").run()
    assert "Finish referral notes." in texts(app)


def _detail(world, peer, user=None) -> AppTest:
    app = open_page("supervisor/supervisees.py", user or world.supervisor)
    return app.selectbox(key="detail_peer").set_value(peer.id).run()


@pytest.mark.parametrize("level", PEER_AT_LEVEL)
def test_the_supervisee_detail_at_each_level(app_database, session, today, level):
    world = app_database
    peer = getattr(world, PEER_AT_LEVEL[level])
    add_wellness_history(session, peer, today=today)
    add_session_row(session, world.supervisor, [peer], held_on=today - timedelta(days=3), notes="My notes.",
                    private_reflection=PRIVATE_REFLECTION)
    add_session_row(session, world.admin_supervisor, [peer], held_on=today - timedelta(days=20), minutes=(30, 0, 0),
                    notes="Agency notes.")
    app = _detail(world, peer)
    assert not app.exception
    shown, data = texts(app), chart_data(app)
    assert "The weekly cadence is met" in shown
    assert "administrative" in data and "supportive" in data
    assert SHARED_NOTE in shown and "My notes." in shown and PRIVATE_REFLECTION in shown
    assert "Agency notes." not in shown
    if level == "completion":
        assert "Burnout" not in shown + data
    else:
        assert "Burnout" in data and "high" in data
    if level == "scores":
        assert "43.7" in data and "71.3" in data and "43.7" in shown
    else:
        assert leaked(shown, data) == []


def test_an_administrative_supervisor_s_detail_holds_completion_workload_and_their_own_notes(app_database, session,
                                                                                              today):
    world = app_database
    add_wellness_history(session, world.peer_scores, today=today)
    add_session_row(session, world.supervisor, [world.peer_scores], held_on=today - timedelta(days=3),
                    minutes=(10, 20, 30), notes="Wellness notes.", private_reflection=PRIVATE_REFLECTION)
    add_session_row(session, world.admin_supervisor, [world.peer_scores], held_on=today - timedelta(days=5),
                    minutes=(30, 0, 0), notes="Agency notes.")
    app = _detail(world, world.peer_scores, world.admin_supervisor)
    shown, data = texts(app), chart_data(app)
    assert "Agency notes." in shown and "Caseload 33" in shown
    for hidden in ("Wellness notes.", PRIVATE_REFLECTION, SHARED_NOTE, "Burnout", *RAW_NUMBERS):
        assert hidden not in shown and hidden not in data


def test_the_supervision_load_page(app_database, session, today):
    world = app_database
    add_session_row(session, world.supervisor, [world.peer], held_on=today - timedelta(days=1), minutes=(30, 30, 0))
    app = open_page("supervisor/load.py", world.supervisor)
    assert not app.exception
    shown = texts(app)
    assert "No supportive supervision within 28 days" in shown
    assert "Peer Bands: none in the last six months" in shown
    assert [metric.value for metric in app.metric][:2] == ["3", "0.1"]


def test_the_peer_sees_an_action_item_from_a_group_session_and_not_another_attendee_s(app_database, session, today):
    world = app_database
    row = add_session_row(session, world.supervisor, [world.peer, world.peer_scores], held_on=today - timedelta(days=1))
    add_action_item(session, row, world.peer, text="Rest after call-outs.", due_on=today + timedelta(days=3))
    add_action_item(session, row, world.peer_scores, text="See the EAP counselor.", due_on=today + timedelta(days=3))
    app = sign_in("peer_bands")
    assert app.title[0].value == "Home"
    assert "Rest after call-outs." in texts(app)
    assert "See the EAP counselor." not in texts(app)


def test_the_peer_drift_note_says_the_supervisee_reads_it_and_sits_apart_from_the_private_reflection(
        app_database, session, today):
    world = app_database
    app, key = _record_page(world)
    app.selectbox(key=f"{key}_supervisee").set_value(world.peer.id).run()
    areas = [area.key for area in app.text_area]
    drift = app.text_area(key=f"{key}_drift_note")
    assert "the supervisee reads this, word for word" in drift.label
    assert "only you" in app.text_area(key=f"{key}_reflection").label
    assert areas.index(f"{key}_drift_note") < areas.index(f"{key}_reflection")

    app.number_input(key=f"{key}_minutes_supportive").set_value(60)
    app.checkbox(key=f"{key}_drift").check().run()
    app.text_area(key=f"{key}_drift_note").set_value("Asked to write court reports.")
    button(app, "Save session").click().run()
    assert "Saved the session" in texts(app)

    peer_view = sign_in("peer_bands")
    peer_view.switch_page(str(ROOT / "app_pages" / "peer/my_supervision.py")).run()
    shown_to_peer = texts(peer_view)
    assert "Asked to write court reports." in shown_to_peer
    assert "what your supervisor observed, as they wrote it" in shown_to_peer

    group, key = _record_page(world)
    group.radio(key=f"{key}_kind").set_value("group").run()
    group.multiselect(key=f"{key}_attendees").set_value([world.peer.id, world.peer_scores.id]).run()
    assert "every attendee reads this" in group.text_area(key=f"{key}_drift_note").label


def test_over_long_session_notes_are_kept_and_flagged_beside_the_field(app_database, session):
    world = app_database
    app, key = _record_page(world)
    app.selectbox(key=f"{key}_supervisee").set_value(world.peer.id).run()
    app.number_input(key=f"{key}_minutes_supportive").set_value(30)
    pasted = "Talked through the calls. " * 400
    app.text_area(key=f"{key}_notes_supportive").set_value(pasted)
    app.text_input(key=f"{key}_item_text_0").set_value("Book" + "\x00")
    button(app, "Save session").click().run()
    assert not app.exception
    errors = [element.value for element in app.error]
    assert any("Supportive notes" in error and f"shorten it by {len(pasted) - 10_000:,}" in error for error in errors)
    assert any("Action item 1" in error and "control characters" in error for error in errors)
    assert any(error.startswith("Nothing was saved yet") for error in errors)
    assert app.text_area(key=f"{key}_notes_supportive").value == pasted
    assert session.exec(select(func.count()).select_from(SupervisionSession)).one() == 0


def test_a_session_edited_twice_on_the_same_page_keeps_the_second_change(app_database, session, today):
    world = app_database
    recent = add_session_row(session, world.supervisor, [world.peer], held_on=today, created_at=utcnow(),
                             notes="First draft.")
    app, _ = _record_page(world)
    app.selectbox(key="edit_pick").set_value(recent.id).run()
    app.text_area(key=f"edit_{recent.id}_notes_supportive").set_value("Second draft.")
    button(app, "Save changes").click().run()
    app.text_area(key=f"edit_{recent.id}_notes_supportive").set_value("Third draft.")
    button(app, "Save changes").click().run()
    assert "Your changes are saved." in texts(app)
    session.expire_all()
    assert session.get(SupervisionSession, recent.id).notes_supportive == "Third draft."
    assert app.text_area(key=f"edit_{recent.id}_notes_supportive").value == "Third draft."
