"""A person chooses their own password from a one-time link, signed out; what an admin did shows on their pages."""

from sqlmodel import select

from console.admin.accounts import create_user, issue_invitation
from db.models import User
from tests.app_pages.conftest import open_app, sign_in, texts

CHOSEN = "my own chosen phrase"


def _choose_password(app, password, again=None):
    app.text_input[1].set_value(password)
    app.text_input[2].set_value(password if again is None else again)
    next(button for button in app.button if button.label == "Save my password").click().run()
    return app


def _follow_link(code):
    app = open_app()
    app.query_params["code"] = code
    app.run()
    assert "code" not in app.query_params
    assert app.title[0].value == "Choose your password"
    return app


def test_a_new_person_follows_the_link_chooses_a_password_and_signs_in(app_database, session):
    created = create_user(session, actor=app_database.admin, username="new.peer", display_name="New Peer",
                          roles=["peer"], on=app_database.today, team_id=app_database.team.id)
    app = _follow_link(created.invitation.code)
    assert app.text_input[0].value == "new.peer"
    _choose_password(app, CHOSEN, again="something else entirely")
    assert "differ" in texts(app)
    _choose_password(app, "short")
    assert "at least 12 characters" in texts(app)
    _choose_password(app, CHOSEN)
    assert not app.exception
    assert app.title[0].value == "Peer Wellness Console"
    assert "Your password is set" in texts(app)
    assert "_invitation_code" not in app.session_state

    assert sign_in("new.peer", CHOSEN).title[0].value == "Home"
    again = _follow_link(created.invitation.code)
    assert "does not work any more" in texts(again)


def test_a_code_can_be_typed_on_the_page(app_database, session):
    created = create_user(session, actor=app_database.admin, username="typed.code", display_name="Typed",
                          roles=["peer"], on=app_database.today)
    app = open_app()
    next(button for button in app.button if button.label.startswith("I have a one-time code")).click().run()
    app.text_input[0].set_value("not a code")
    next(button for button in app.button if button.label == "Continue").click().run()
    assert "does not work any more" in texts(app)
    app.text_input[0].set_value(created.invitation.code)
    next(button for button in app.button if button.label == "Continue").click().run()
    assert app.text_input[0].value == "typed.code"


def test_the_sign_in_after_a_reset_and_a_new_supervisor_show_on_the_peers_pages(app_database, session):
    from console.admin.accounts import assign_supervision

    reset = issue_invitation(session, actor=app_database.admin, user_id=app_database.peer.id, on=app_database.today)
    assign_supervision(session, actor=app_database.admin, supervisor_id=app_database.other_supervisor.id,
                       supervisee_id=app_database.peer.id, functions=["supportive"], on=app_database.today)
    _choose_password(_follow_link(reset.code), CHOSEN)
    home = sign_in("peer_bands", CHOSEN)
    assert home.title[0].value == "Home"
    warnings = " ".join(warning.value for warning in home.warning)
    assert "Someone signed in to your account with the new password" in warnings
    assert "Other Supervisor your supervisor" in " ".join(info.value for info in home.info)

    home.switch_page("app_pages/peer/privacy.py").run()
    shown = texts(home)
    assert "Someone signed in to your account" in shown
    assert "Admin made Other Supervisor your supervisor (supportive supervision)" in shown
    assert "signed in after reset" in shown
    session.expire_all()
    assert session.exec(select(User).where(User.username == "peer_bands")).one().failed_attempts == 0
