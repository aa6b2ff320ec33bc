from datetime import timedelta

from sqlmodel import select

from console.core import sign_in_sessions
from console.web.ui import TOKEN_KEY, USER_KEY
from db.models import User
from tests.app_pages.conftest import open_app, shown, sign_in, texts


def test_sign_in_page_is_shown_first(app_database):
    app = open_app()
    assert app.title[0].value == "Peer Wellness Console"
    assert not app.exception


def test_wrong_password_shows_one_generic_message(app_database):
    wrong_password = sign_in("peer_bands", "not the right password")
    unknown_user = sign_in("nobody_here", "not the right password")
    assert "Wrong username or password." in shown(wrong_password.error[0].value)
    assert wrong_password.error[0].value == unknown_user.error[0].value


def test_five_failures_lock_the_account_even_for_the_right_password(app_database):
    for _ in range(5):
        failed = sign_in("peer_bands", "not the right password")
        assert "locked for 15 minutes" in failed.error[0].value
    app = sign_in("peer_bands")
    assert "This account is locked after repeated failed sign-ins until" in shown(app.error[0].value)
    assert "Weekly check-in" not in texts(app)
    assert sign_in("peer_bands", "not the right password").error[0].value == failed.error[0].value


def test_peer_signs_in_to_their_home_page(app_database):
    app = sign_in("peer_bands")
    assert not app.exception
    assert app.title[0].value == "Home"


def test_sign_out_returns_to_the_sign_in_page(app_database):
    app = sign_in("peer_bands")
    app.sidebar.button[0].click().run()
    assert app.title[0].value == "Peer Wellness Console"
    assert "You are signed out." in texts(app)


def test_signing_out_in_one_tab_ends_the_sign_in_of_the_other_tabs_of_that_browser(app_database, session):
    first = sign_in("peer_bands")
    token = first.session_state[TOKEN_KEY]
    assert sign_in_sessions.resolve(session, token=token, idle=timedelta(minutes=30)) is not None
    second = open_app()
    second.session_state[TOKEN_KEY] = token
    second.session_state[USER_KEY] = first.session_state[USER_KEY]
    second.run()
    assert second.title[0].value == "Home"

    first.sidebar.button[0].click().run()
    assert sign_in_sessions.resolve(session, token=token, idle=timedelta(minutes=30)) is None
    second.run()
    assert second.title[0].value == "Peer Wellness Console"
    assert "You are signed out" in texts(second)


def test_idle_session_is_signed_out(app_database):
    app = sign_in("peer_bands")
    app.session_state["last_activity_at"] = app.session_state["last_activity_at"] - timedelta(minutes=31)
    app.run()
    assert app.title[0].value == "Peer Wellness Console"
    assert "without activity" in texts(app)


def test_first_sign_in_asks_for_a_new_password(app_env, session, world):
    world.peer.must_change_password = True
    session.add(world.peer)
    session.commit()
    app = sign_in("peer_bands")
    assert app.title[0].value == "Choose a new password"
    app.text_input[0].set_value("correct horse battery")
    app.text_input[1].set_value("a brand new passphrase")
    app.text_input[2].set_value("a brand new passphrase")
    app.button[0].click().run()
    assert app.title[0].value == "Home"


def test_a_username_with_a_nul_fails_with_the_generic_message(app_database):
    app = open_app()
    app.text_input[0].set_value("peer_bands\x00' OR 1=1")
    app.text_input[1].set_value("correct horse battery")
    app.button[0].click().run()
    assert not app.exception
    shown = texts(app)
    assert "Wrong username or password." in shown and "Error id" not in shown



def test_a_person_chooses_their_language_and_the_next_run_speaks_it(app_database, session):
    app = sign_in("peer_bands")
    app.switch_page("app_pages/account.py").run()
    assert "Language" in [header.value for header in app.header]
    choice = next(box for box in app.selectbox if box.label == "Language of the console and its emails")
    assert choice.options[0] == "The program's language (English)"
    choice.select_index(2)
    next(button for button in app.button if button.label == "Save language").click().run()
    assert "Idioma" in [header.value for header in app.header]
    session.expire_all()
    assert session.exec(select(User).where(User.username == "peer_bands")).one().language == "es"
