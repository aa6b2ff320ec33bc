from datetime import timedelta

from sqlmodel import select

from db.models import ActionItem, utcnow
from tests.app_pages.conftest import sign_in, texts
from tests.app_pages.peer_pages import UNSAFE_TEXT, button, markdown_texts, plain_texts
from tests.peer_data import check_in, take_assessment
from tests.supervision_data import add_action_item, add_session_row


def test_first_use_shows_what_is_due_and_who_sees_what(app_database):
    app = sign_in("peer_bands")
    shown = texts(app)
    assert app.title[0].value == "Home"
    assert "This week's check-in is waiting for you" in shown
    assert "Your first self-assessment is ready when you are" in shown
    assert "No check-ins yet" in shown and "No open action items." in shown
    assert "Supervisor sees your bands and summaries, without numbers; Admin Supervisor sees completion and " \
           "workload only." in shown


def test_with_history_shows_results_overdue_assessment_and_items_as_plain_text(app_database, session):
    today = utcnow().date()
    check_in(session, app_database.peer, on=today, caseload=22)
    take_assessment(session, app_database.peer, on=today - timedelta(days=45), burnout=44)
    row = add_session_row(session, app_database.supervisor, [app_database.peer], held_on=today - timedelta(days=9))
    item = add_action_item(session, row, app_database.peer, text=UNSAFE_TEXT, due_on=today - timedelta(days=1))

    app = sign_in("peer_bands")
    shown = texts(app)
    assert "This week's check-in is done" in shown
    assert "Your self-assessment has been due since" in shown
    assert app.table[0].value["band"].tolist() == ["moderate", "high", "moderate"]
    assert UNSAFE_TEXT in plain_texts(app)
    assert "click me" not in markdown_texts(app)
    assert "Past due" in shown

    button(app, "Mark done").click().run()
    assert "No open action items." in texts(app)
    session.expire_all()
    assert session.get(ActionItem, item.id).status == "done"
    assert session.exec(select(ActionItem).where(ActionItem.status == "open")).all() == []


def test_a_due_assessment_is_offered_from_home(app_database, session):
    take_assessment(session, app_database.peer, on=utcnow().date() - timedelta(days=31))
    app = sign_in("peer_bands")
    assert "Your self-assessment is due" in texts(app)
    assert any(link.proto.label == "Take the self-assessment" for link in app.get("page_link"))
