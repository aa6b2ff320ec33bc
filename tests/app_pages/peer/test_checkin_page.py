from datetime import timedelta

from sqlmodel import func, select

from console.core.dates import week_start
from console.core.i18n import show_day
from console.wellness.checkins import MAX_NOTE_LENGTH, submit_pulse
from db.models import AuditEvent, FormDraft, PulseCheckin, utcnow
from tests.app_pages.conftest import shown, texts
from tests.app_pages.peer_pages import button, open_page
from tests.peer_data import weekly_check_ins

TOKEN = "_token_weekly_checkin"
SAVED = "Thank you, your check-in is saved."
LAST_STEP = 3


def step_of(app) -> int:
    return app.session_state["checkin_step"]


def to_step(app, number):
    """Go forward with "Next" (or back with "Back") to step `number` (0-based), as a person taps."""
    while step_of(app) != number:
        button(app, "Next" if step_of(app) < number else "Back").click().run()
        assert not app.exception, app.exception
    return app


def announced(app) -> str:
    return "\n".join(element.proto.body for element in app.get("html"))


def fill_check_in(app, *, caseload=24, hours=None, sleep=3):
    to_step(app, 0)
    app.button_group(key="pulse_energy").set_value(4)
    app.button_group(key="pulse_stress").set_value(2)
    app.button_group(key="pulse_sleep").set_value(sleep)
    app.button_group(key="pulse_workload").set_value(3)
    to_step(app, 1)
    app.checkbox(key="exposure_overdose_scene").check()
    app.checkbox(key="self_care_movement").check()
    to_step(app, 2)
    app.number_input(key="pulse_caseload").set_value(caseload)
    if hours is not None:
        app.number_input(key="pulse_hours").set_value(hours)
    return to_step(app, LAST_STEP)


def save(app):
    to_step(app, LAST_STEP)
    button(app, "Save my check-in").click().run()
    return app


def check_in_page():
    return open_page("peer_bands", "peer/checkin.py")


def pulses(session, peer_id):
    session.expire_all()
    return session.exec(select(PulseCheckin).where(PulseCheckin.peer_id == peer_id)).all()


def test_first_check_in_is_saved_with_feedback_suggestions_and_support(app_database, session):
    app = check_in_page()
    assert "No check-ins yet" in texts(app)
    app = save(fill_check_in(app, sleep=1))
    shown = texts(app)
    assert not app.exception
    assert SAVED in announced(app) and 'role="status"' in announced(app)
    assert "After a few more weekly check-ins" in shown
    assert "Debrief with someone you trust" in shown and "A ritual to let the day go" in shown
    assert "Rest" in shown
    assert "988" in shown
    assert app.expander[0].label == "Change this week's check-in"
    assert len(app.table[0].value) == 1
    assert len(pulses(session, app_database.peer.id)) == 1


def test_a_double_submit_stores_one_check_in(app_database, session):
    app = fill_check_in(check_in_page())
    token = app.session_state[TOKEN]
    save(app)
    app.session_state[TOKEN] = token
    save(app)
    assert SAVED in announced(app)
    assert len(pulses(session, app_database.peer.id)) == 1


def test_a_second_check_in_this_week_asks_and_replaces_only_when_told(app_database, session):
    app = save(fill_check_in(check_in_page()))
    app = save(fill_check_in(app, caseload=31))
    assert "You already checked in for this week" in texts(app)
    assert pulses(session, app_database.peer.id)[0].caseload == 24

    button(app, "Keep my first check-in").click().run()
    assert "You already checked in for this week" not in texts(app)
    assert pulses(session, app_database.peer.id)[0].caseload == 24
    assert to_step(app, 2).number_input(key="pulse_caseload").value == 24

    app = save(fill_check_in(app, caseload=31))
    button(app, "Replace it").click().run()
    assert SAVED in announced(app)
    stored = pulses(session, app_database.peer.id)
    assert [pulse.caseload for pulse in stored] == [31]
    assert app.table[0].value["caseload"].tolist() == [31]
    assert session.exec(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.action == "pulse_replaced")).one() == 1


def test_out_of_range_numbers_get_a_message_beside_each_field(app_database, session):
    app = save(fill_check_in(check_in_page(), caseload=250, hours=120.0))
    errors = [shown(element.value) for element in app.error]
    assert any("from 0 to 200" in error for error in errors)
    assert any("from 0 to 100" in error for error in errors)
    assert "Some answers need a change" in texts(app)
    assert pulses(session, app_database.peer.id) == []
    assert step_of(app) == 2
    app = save(fill_check_in(app, caseload=200, hours=100.0))
    assert SAVED in announced(app) and not app.error


def test_an_empty_check_in_says_what_to_fill(app_database, session):
    app = save(check_in_page())
    assert "Answer at least one" in texts(app)
    assert pulses(session, app_database.peer.id) == []


def test_a_ten_thousand_character_note_is_accepted_and_stored_encrypted(app_database, session):
    note = ("Long shift. " * 900)[:MAX_NOTE_LENGTH]
    app = fill_check_in(check_in_page())
    app.text_area(key="pulse_note").input(note)
    app.checkbox(key="pulse_note_shared").check()
    save(app)
    assert SAVED in announced(app)
    stored = pulses(session, app_database.peer.id)[0]
    assert stored.note == note and stored.note_shared
    raw = session.connection().exec_driver_sql("SELECT note FROM pulsecheckin").scalar_one()
    assert raw.startswith("gAAAAA") and "Long shift" not in raw


def test_a_hard_week_after_steady_ones_is_called_unusual_for_you(app_database, session):
    weekly_check_ins(session, app_database.peer, weeks=5, until=utcnow().date())
    app = to_step(fill_check_in(check_in_page()), 0)
    for key in ("pulse_energy", "pulse_sleep", "pulse_workload", "pulse_supported", "pulse_connection",
                "pulse_satisfaction"):
        app.button_group(key=key).set_value(1)
    app.button_group(key="pulse_stress").set_value(5)
    save(app)
    assert "This week was harder than your usual" in app.warning[0].value


def test_a_double_clicked_save_keeps_the_saved_confirmation(app_database, session):
    app = save(fill_check_in(check_in_page()))
    assert SAVED in announced(app)
    save(app)
    assert SAVED in announced(app)
    assert "You already checked in for this week" not in texts(app)
    assert len(pulses(session, app_database.peer.id)) == 1


def test_changing_this_weeks_check_in_starts_from_its_saved_answers(app_database, session):
    app = fill_check_in(check_in_page())
    app.text_area(key="pulse_note").input("My own words about the week.")
    app.checkbox(key="pulse_wants_to_talk").check()
    save(app)
    again = check_in_page()
    assert again.expander[0].label == "Change this week's check-in"
    assert again.button_group(key="pulse_energy").value == 4
    assert again.button_group(key="pulse_sleep").value == 3
    assert to_step(again, 1).checkbox(key="exposure_overdose_scene").value is True
    assert to_step(again, 2).number_input(key="pulse_caseload").value == 24
    to_step(again, 3)
    assert again.text_area(key="pulse_note").value == "My own words about the week."
    assert again.checkbox(key="pulse_wants_to_talk").value is True


def test_replacing_shows_what_would_be_replaced(app_database, session):
    app = fill_check_in(check_in_page())
    app.text_area(key="pulse_note").input("The first note.")
    save(app)
    to_step(app, 2).number_input(key="pulse_caseload").set_value(31)
    save(app)
    shown = texts(app)
    assert "What would be replaced" in shown
    assert "People on my caseload right now: 24" in shown and "Note: The first note." in shown
    button(app, "Replace it").click().run()
    assert [pulse.caseload for pulse in pulses(session, app_database.peer.id)] == [31]
    assert pulses(session, app_database.peer.id)[0].note == "The first note."


def test_a_negative_number_of_call_outs_is_refused_beside_the_field(app_database, session):
    app = to_step(fill_check_in(check_in_page()), 2)
    app.number_input(key="pulse_callouts").set_value(-2)
    save(app)
    assert "After-hours call-outs this week: enter a number from 0" in texts(app)
    assert "Some answers need a change" in texts(app)
    assert pulses(session, app_database.peer.id) == []


def test_an_over_long_note_is_kept_and_flagged_beside_the_field(app_database, session):
    note = "x" * (MAX_NOTE_LENGTH + 640)
    app = fill_check_in(check_in_page())
    app.text_area(key="pulse_note").input(note)
    save(app)
    assert any("shorten it by 640" in error.value for error in app.error)
    assert app.text_area(key="pulse_note").value == note
    assert pulses(session, app_database.peer.id) == []


def test_answers_survive_going_back_and_forth_between_steps(app_database, session):
    app = fill_check_in(check_in_page())
    assert "Step 4 of 4" in app.get("progress")[0].proto.text
    to_step(app, 0)
    assert app.button_group(key="pulse_energy").value == 4
    assert to_step(app, 1).checkbox(key="self_care_movement").value is True
    assert to_step(app, 2).number_input(key="pulse_caseload").value == 24


def test_a_reload_mid_check_in_brings_back_the_answers_from_an_encrypted_draft(app_database, session):
    app = fill_check_in(check_in_page())
    app.text_area(key="pulse_note").input("Half a thought about Tuesday").run()
    reloaded = check_in_page()
    assert "Your answers from before are back" in texts(reloaded)
    assert step_of(reloaded) == LAST_STEP
    assert reloaded.text_area(key="pulse_note").value == "Half a thought about Tuesday"
    assert to_step(reloaded, 0).button_group(key="pulse_energy").value == 4
    raw = session.connection().exec_driver_sql("SELECT payload FROM formdraft").scalar_one()
    assert raw.startswith("gAAAAA") and "Tuesday" not in raw
    save(reloaded)
    assert SAVED in announced(reloaded)
    session.expire_all()
    assert session.exec(select(func.count()).select_from(FormDraft)).one() == 0
    assert pulses(session, app_database.peer.id)[0].note == "Half a thought about Tuesday"
    assert "Your answers from before" not in texts(check_in_page())


def test_another_peer_does_not_get_the_draft(app_database, session):
    app = fill_check_in(check_in_page())
    app.text_area(key="pulse_note").input("Mine alone").run()
    other = open_page("peer_scores", "peer/checkin.py")
    assert "Your answers from before" not in texts(other)
    assert other.button_group(key="pulse_energy").value is None


def test_workload_starts_from_last_week_and_time_outside_the_role_is_saved(app_database, session):
    peer = app_database.peer
    last_monday = week_start(utcnow().date()) - timedelta(weeks=1)
    submit_pulse(session, actor=peer, answers={"energy": 3}, idempotency_key="last-week", caseload=27, hours=38.5,
                 after_hours_callouts=1, hours_outside_role=4, outside_role_tasks=["driving"], week=last_monday)
    app = to_step(check_in_page(), 0)
    app.button_group(key="pulse_energy").set_value(2)
    to_step(app, 2)
    assert "Filled in from your last check-in" in texts(app)
    assert [app.number_input(key=key).value for key in ("pulse_caseload", "pulse_hours", "pulse_callouts",
                                                         "pulse_outside_role_hours")] == [27, 38.5, 1, 4]
    assert app.button_group(key="pulse_outside_role_tasks").value == ["driving"]
    app.number_input(key="pulse_outside_role_hours").set_value(9.5)
    save(app)
    this_week = [pulse for pulse in pulses(session, peer.id) if pulse.week_start > last_monday][0]
    assert (this_week.caseload, this_week.hours, this_week.after_hours_callouts) == (27, 38.5, 1)
    assert (this_week.hours_outside_role, this_week.outside_role_tasks) == (9.5, {"driving"})


def test_the_week_is_stated_and_the_week_just_ended_can_be_chosen(app_database, session):
    app = check_in_page()
    monday = week_start(utcnow().date())
    assert f"This week: {show_day(monday)}" in texts(app)
    app.button_group(key="checkin_week_choice").set_value((monday - timedelta(weeks=1)).isoformat()).run()
    assert f"The week just ended: {show_day(monday - timedelta(weeks=1))}" in texts(app)
    save(fill_check_in(app))
    assert SAVED in announced(app)
    assert [pulse.week_start for pulse in pulses(session, app_database.peer.id)] == [monday - timedelta(weeks=1)]
