"""The Field visit, Ethics self-check and Training pages, and what the supervisor and lead see of them."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from console.core.program_settings import read_settings
from console.fieldwork import ethics, field_visits, trainings
from db.models import EthicsNote, FieldVisit, SafetyIncident, TrainingRecord
from tests.app_pages.conftest import TIMEOUT, sign_in, texts
from tests.app_pages.peer_pages import UNSAFE_TEXT, plain_texts

ROOT = Path(__file__).resolve().parents[2]
LOCATION = "Corner of 5th and Pine, green door"


def open_page(page: str, user) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app_pages" / page), default_timeout=TIMEOUT)
    app.session_state["_current_user"] = user
    return app.run()


def button(app: AppTest, label: str):
    return next(found for found in app.button if found.label == label)


def test_a_peer_starts_extends_and_closes_a_field_visit(app_database, session):
    world = app_database
    app = open_page("peer/field_visit.py", world.peer)
    assert not app.exception
    assert "Do not write the name, address or case details" in texts(app)
    app.text_area(key="field_visit_location").set_value(LOCATION)
    app.selectbox(key="field_visit_minutes").set_value(90)
    app.button[0].click().run()
    assert "Timer started." in texts(app)
    assert "Expect me back by" in texts(app) and LOCATION in plain_texts(app)
    assert [link.proto.url for link in app.get("link_button")] == ["tel:911"], "911 before the help button"

    app.selectbox(key="field_visit_extend_minutes").set_value(30)
    button(app, "Extend").click().run()
    assert "Extended." in texts(app)
    button(app, "I'm OK — close the visit").click().run()
    assert "The visit is closed and your location note is deleted." in texts(app)
    session.expire_all()
    [visit] = session.exec(select(FieldVisit)).all()
    assert visit.closed_at is not None and visit.location_note is None and visit.extensions == 1


def test_i_need_help_shows_911_first_and_alerts_the_supervisor(app_database, session):
    world = app_database
    field_visits.start_visit(session, actor=world.peer, minutes=60, idempotency_key=uuid.uuid4().hex)
    app = open_page("peer/field_visit.py", world.peer)
    button(app, "I need help").click().run()
    assert not app.exception
    first = app.error[0].value
    assert "call 911 now" in first
    assert "Your supervisor has been alerted" in texts(app)
    prep = open_page("supervisor/prep.py", world.supervisor)
    assert 'Peer Bands pressed "I need help"' in texts(prep)
    button(prep, "Acknowledge: I'm responding").click().run()
    session.expire_all()
    assert session.exec(select(FieldVisit)).one().acknowledged_by == world.supervisor.id
    assert "you acknowledged the alert" in texts(prep)


def test_a_bad_location_note_is_refused_beside_the_field(app_database, session):
    app = open_page("peer/field_visit.py", app_database.peer)
    app.text_area(key="field_visit_location").set_value("x" * 600)
    app.button[0].click().run()
    assert "Location note: at most 500 characters" in texts(app)
    assert session.exec(select(FieldVisit)).all() == []


def test_an_incident_is_documented_and_reaches_the_prep_card_as_typed(app_database, session):
    world = app_database
    app = open_page("peer/field_visit.py", world.peer)
    app.text_area(key="incident_what_happened").set_value(UNSAFE_TEXT)
    next(found for found in app.button if found.label == "Save the incident").click().run()
    assert "The incident is saved." in texts(app)
    assert session.exec(select(SafetyIncident)).one().follow_up_wanted
    prep = open_page("supervisor/prep.py", world.supervisor)
    assert "Safety incident" in texts(prep)
    assert UNSAFE_TEXT in plain_texts(prep)


def test_the_ethics_self_check_keeps_shares_and_sets_aside_items(app_database, session):
    world = app_database
    app = open_page("peer/ethics.py", world.peer)
    assert not app.exception
    shown = texts(app)
    assert "nothing here is scored" in shown and "program leads never see it" in shown
    assert [section.title for section in ethics.CHECKLIST] == [header.value for header in app.subheader][:3]
    button(app, "Keep these for supervision").click().run()
    assert "Tick at least one statement" in texts(app)

    app.checkbox(key="ethics_pick_group_dual").check().run()
    app.text_area(key="ethics_note_group_dual").set_value(UNSAFE_TEXT)
    app.toggle(key="ethics_share").set_value(True)
    button(app, "Keep these for supervision").click().run()
    assert "Kept and shared with your supervisor." in texts(app)
    assert UNSAFE_TEXT in plain_texts(app)

    prep = open_page("supervisor/prep.py", world.supervisor)
    assert "Ethics, group / organization" in texts(prep)
    assert UNSAFE_TEXT in plain_texts(prep)

    button(app, "Stop sharing").click().run()
    assert session.exec(select(EthicsNote)).one().shared is False
    button(app, "Talked about it — remove").click().run()
    assert "Nothing noted yet." in texts(app)


def test_starting_a_session_from_the_prep_card_preselects_the_shared_ethics_areas(app_database, session):
    world = app_database
    ethics.note_items(session, actor=world.peer, notes={"interpersonal_story": ""}, share=True)
    prep = open_page("supervisor/prep.py", world.supervisor)
    start = next(found for found in prep.button if found.key == f"start_{world.peer.id}")
    start.click().run()
    app = AppTest.from_file(str(ROOT / "app_pages" / "supervisor/record_session.py"), default_timeout=TIMEOUT)
    app.session_state["_current_user"] = world.supervisor
    app.session_state["session_prefill"] = prep.session_state["session_prefill"]
    app.run()
    assert not app.exception
    ethics_widget = next(widget for widget in app.multiselect if widget.label == "Ethics areas discussed")
    assert ethics_widget.value == ["interpersonal"]
    assert "from the ethics self-check" in texts(app)


def test_a_peer_records_a_training_and_the_supervisor_sees_the_renewal(app_database, session):
    world = app_database
    app = open_page("peer/training.py", world.peer)
    assert not app.exception
    button(app, "Save the training").click().run()
    assert "Completed on: choose a date." in texts(app)
    app.date_input(key="training_own_done").set_value(world.today - timedelta(days=300))
    app.date_input(key="training_own_renews").set_value(world.today + timedelta(days=20))
    button(app, "Save the training").click().run()
    assert session.exec(select(TrainingRecord)).one().kind == "crisis_response_72h"
    assert trainings.KINDS["crisis_response_72h"] in texts(app)

    supervisor = open_page("supervisor/training.py", world.supervisor)
    assert not supervisor.exception
    assert "Peer Bands" in texts(supervisor) and "coming up" in texts(supervisor)
    prep = open_page("supervisor/prep.py", world.supervisor)
    assert "renews" in texts(prep)


def test_the_lead_sees_training_counts_per_team_only(app_database, session):
    world = app_database
    trainings.record_training(session, actor=world.peer, person_id=world.peer.id, kind="peer_certification", name="",
                              completed_on=world.today, renews_on=None)
    app = open_page("lead/workload.py", world.lead)
    assert not app.exception
    assert "Training and certification" in texts(app)
    frame = app.dataframe[-1].value
    assert list(frame["team"]) == ["Overdose response", "Reentry", "All teams"]
    assert set(frame["Current peer certification"]) == {"—"}, "teams smaller than k"


def test_the_admin_sets_the_backup_contact_and_a_bad_address_is_refused(app_database, session):
    app = sign_in("admin")
    app.switch_page(str(ROOT / "app_pages" / "admin/settings.py")).run()
    field = next(widget for widget in app.text_input if widget.label.startswith("Field safety backup contact"))
    field.set_value("duty phone")
    button(app, "Save notification settings").click().run()
    assert "Enter the backup contact's email address" in texts(app)
    assert read_settings(session).backup_contact_email == ""
    next(widget for widget in app.text_input if widget.label.startswith("Field safety backup contact")).set_value(
        "duty.phone@example.org")
    button(app, "Save notification settings").click().run()
    assert "Notification settings saved." in texts(app)
    session.expire_all()
    assert read_settings(session).backup_contact_email == "duty.phone@example.org"
