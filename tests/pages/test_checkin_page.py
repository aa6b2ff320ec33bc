from sqlmodel import func, select

from db.models import PulseCheckin
from tests.pages.conftest import sign_in, texts

TOKEN = "_token_weekly_checkin"


def fill_check_in(app, *, caseload=24):
    app.radio(key="pulse_energy").set_value(4)
    app.radio(key="pulse_stress").set_value(2)
    app.radio(key="pulse_sleep").set_value(3)
    app.checkbox(key="exposure_overdose_scene").check()
    app.checkbox(key="self_care_movement").check()
    app.number_input[0].set_value(caseload)
    return app


def save(app):
    next(button for button in app.button if button.label == "Save my check-in").click().run()
    return app


def pulse_count(session, peer_id):
    session.expire_all()
    return session.exec(select(func.count()).select_from(PulseCheckin).where(PulseCheckin.peer_id == peer_id)).one()


def test_submitting_a_check_in_lists_it(app_database, session):
    app = save(fill_check_in(sign_in("peer_bands")))
    assert not app.exception
    assert "Thank you, your check-in is saved." in texts(app)
    assert len(app.table[0].value) == 1
    assert pulse_count(session, app_database.peer.id) == 1


def test_a_double_submit_stores_one_check_in(app_database, session):
    app = fill_check_in(sign_in("peer_bands"))
    token = app.session_state[TOKEN]
    save(app)
    app.session_state[TOKEN] = token
    save(app)
    assert "Thank you, your check-in is saved." in texts(app)
    assert pulse_count(session, app_database.peer.id) == 1


def test_a_second_check_in_this_week_asks_before_replacing(app_database, session):
    app = save(fill_check_in(sign_in("peer_bands")))
    app = save(fill_check_in(app, caseload=31))
    assert "already checked in this week" in texts(app)
    next(box for box in app.checkbox if box.label == "Replace my earlier check-in this week").check()
    app = save(fill_check_in(app, caseload=31))
    assert "Thank you, your check-in is saved." in texts(app)
    assert pulse_count(session, app_database.peer.id) == 1
    assert app.table[0].value["caseload"].tolist() == [31]


def test_an_out_of_range_caseload_is_refused_with_a_message(app_database, session):
    app = save(fill_check_in(sign_in("peer_bands"), caseload=250))
    assert "from 0 to 200" in texts(app)
    assert pulse_count(session, app_database.peer.id) == 0


def test_an_empty_check_in_says_what_to_fill(app_database, session):
    app = save(sign_in("peer_bands"))
    assert "Answer at least one" in texts(app)
    assert pulse_count(session, app_database.peer.id) == 0
