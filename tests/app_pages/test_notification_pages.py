from sqlmodel import select

from console.core.program_settings import read_settings
from console.notify import notifications
from console.notify.kinds import CHECKIN_REMINDER, PASSWORD_CHANGED, PREP_DIGEST
from console.wellness.support import request_reach_out
from db.models import NotificationPreference, OutboxMessage, ReachOutRequest
from tests.app_pages.conftest import open_app, sign_in, texts
from tests.app_pages.peer_pages import ROOT, button, open_page


def submit(app, label):
    button(app, label).click().run()
    return app


def test_my_account_saves_which_emails_and_quiet_hours(app_database, session):
    app = open_page("peer_bands", "account.py")
    shown = texts(app)
    assert "Your program has not set up email yet" in shown
    assert "Your account has no email address" in shown
    labels = [box.label for box in app.checkbox]
    assert CHECKIN_REMINDER.label in labels and PREP_DIGEST.label not in labels, "kinds for the peer role only"
    next(box for box in app.checkbox if box.label == CHECKIN_REMINDER.label).uncheck()
    quiet = [field for field in app.text_input if field.label.startswith("Quiet hours")]
    quiet[0].set_value("21:00")
    quiet[1].set_value("7:00")
    submit(app, "Save notification choices")
    assert "Your notification choices are saved." in texts(app)
    session.expire_all()
    preference = session.get(NotificationPreference, app_database.peer.id)
    assert (preference.muted_kinds, preference.quiet_start, preference.quiet_end) == (
        CHECKIN_REMINDER.code, "21:00", "07:00")


def test_my_account_says_what_to_fix_in_quiet_hours_and_saves_nothing(app_database, session):
    app = open_page("supervisor", "account.py")
    assert PREP_DIGEST.label in [box.label for box in app.checkbox]
    quiet = [field for field in app.text_input if field.label.startswith("Quiet hours")]
    quiet[0].set_value("25:00")
    submit(app, "Save notification choices")
    assert "Enter when quiet hours start as HH:MM" in texts(app)
    session.expire_all()
    assert session.exec(select(NotificationPreference)).all() == []


def test_the_admin_page_says_notifications_are_off_shows_counts_and_saves_the_schedule(app_database, session):
    notifications.enqueue(session, recipient=app_database.peer, kind=PASSWORD_CHANGED)
    session.commit()
    app = sign_in("admin")
    app.switch_page(str(ROOT / "app_pages" / "admin/settings.py")).run()
    assert not app.exception
    assert "Notifications are off" in texts(app)
    assert {metric.label: metric.value for metric in app.metric}["Waiting"] == "1"
    next(field for field in app.text_input if field.label.startswith("Program time zone")).set_value("Mars/Olympus")
    submit(app, "Save notification settings")
    assert "Enter an IANA time zone name" in texts(app)
    assert read_settings(session).time_zone == "UTC"

    next(field for field in app.text_input if field.label.startswith("Program time zone")).set_value("America/Denver")
    next(box for box in app.checkbox if box.label == CHECKIN_REMINDER.label).uncheck()
    submit(app, "Save notification settings")
    assert "Notification settings saved." in texts(app)
    session.expire_all()
    saved = read_settings(session)
    assert (saved.time_zone, saved.notifications_off) == ("America/Denver", CHECKIN_REMINDER.code)


def test_the_unsubscribe_link_works_signed_out_and_can_be_undone(app_database, session):
    token = notifications.unsubscribe_token(user_id=app_database.peer.id, kind=CHECKIN_REMINDER)
    app = open_app()
    app.query_params["token"] = token
    app.switch_page(str(ROOT / "app_pages" / "unsubscribe.py")).run()
    assert not app.exception
    assert f"You will no longer receive these emails: {CHECKIN_REMINDER.label}." in texts(app)
    session.expire_all()
    assert session.get(NotificationPreference, app_database.peer.id).muted_kinds == CHECKIN_REMINDER.code
    submit(app, "Receive these emails again")
    assert "You receive these emails again" in texts(app)
    session.expire_all()
    assert session.get(NotificationPreference, app_database.peer.id).muted_kinds == ""


def test_a_forged_unsubscribe_link_changes_nothing(app_database, session):
    app = open_app()
    app.query_params["token"] = "gAAAAAforged"
    app.switch_page(str(ROOT / "app_pages" / "unsubscribe.py")).run()
    assert not app.exception
    assert "This unsubscribe link is not valid" in texts(app)
    assert session.exec(select(NotificationPreference)).all() == []


def test_the_peer_sees_the_response_time_and_can_withdraw_the_request(app_database, session):
    request_reach_out(session, actor=app_database.peer)
    app = open_page("peer_bands", "peer/support.py")
    assert "within 24 hours" in texts(app)
    submit(app, "Withdraw my request")
    assert any(candidate.label == "Please reach out to me" for candidate in app.button)
    session.expire_all()
    request = session.exec(select(ReachOutRequest)).one()
    assert request.acknowledged_by == app_database.peer.id
    assert session.exec(select(OutboxMessage.outcome)).all() == ["withdrawn"]


def test_the_admin_page_says_notifications_are_on_with_the_server_but_never_a_password(app_database, monkeypatch):
    monkeypatch.setenv("CONSOLE_SMTP_HOST", "smtp.example.org")
    monkeypatch.setenv("CONSOLE_SMTP_USER", "console")
    monkeypatch.setenv("CONSOLE_SMTP_PASSWORD", "smtp-secret-value")
    monkeypatch.setenv("CONSOLE_MAIL_FROM", "wellness@example.org")
    monkeypatch.setenv("CONSOLE_BASE_URL", "https://wellness.example.org")
    app = sign_in("admin")
    app.switch_page(str(ROOT / "app_pages" / "admin/settings.py")).run()
    shown = texts(app)
    assert "Notifications are on." in shown
    assert "smtp.example.org:587 (starttls)" in shown
    assert "smtp-secret-value" not in shown
