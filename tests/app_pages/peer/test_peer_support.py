from pathlib import Path

import pytest
from sqlmodel import select

from console.core.program_settings import write_settings
from db.models import ReachOutRequest
from tests.app_pages.conftest import sign_in, texts
from tests.app_pages.peer_pages import ROOT, UNSAFE_TEXT, button, open_page, plain_texts
from tests.conftest import add_user

PEER_PAGES = sorted(f"peer/{path.name}" for path in (ROOT / "app_pages" / "peer").glob("*.py"))


def test_support_now_shows_988_the_program_contact_and_self_care(app_database, session):
    write_settings(session, actor=app_database.admin, changes={"support_contact": UNSAFE_TEXT},
                   on=app_database.today)
    app = open_page("peer_bands", "peer/support.py")
    shown = texts(app)
    assert "988 Suicide & Crisis Lifeline" in shown
    assert [link.proto.url for link in app.get("link_button")] == ["tel:988", "sms:988"]
    assert UNSAFE_TEXT in plain_texts(app)
    assert "Debrief with someone you trust" in shown and "A ritual to let the day go" in shown


def test_please_reach_out_flags_the_supervisor_once(app_database, session):
    app = open_page("peer_bands", "peer/support.py")
    button(app, "Please reach out to me").click().run()
    assert "Supervisor can see your request." in texts(app)
    assert not any(candidate.label == "Please reach out to me" for candidate in app.button)
    session.expire_all()
    requests = session.exec(select(ReachOutRequest)).all()
    assert [request.peer_id for request in requests] == [app_database.peer.id]


def test_a_peer_without_a_wellness_supervisor_is_pointed_to_the_contacts(app_database, session):
    add_user(session, username="peer_alone", roles="peer", program=app_database.program)
    session.commit()
    app = open_page("peer_alone", "peer/support.py")
    assert "No supervisor who supports your wellbeing is assigned to you right now" in texts(app)
    assert not any(candidate.label == "Please reach out to me" for candidate in app.button)


@pytest.mark.parametrize("page", PEER_PAGES)
def test_support_now_is_one_click_away_on_every_peer_page(app_database, page):
    app = open_page("peer_bands", page)
    assert not app.exception
    links = [element.proto.label for element in app.sidebar if type(element).__name__ == "PageLink"]
    assert links.count("Support now · 988") == 1, "the sidebar's support link, beside the menu"
    assert Path(ROOT / "app_pages" / "peer/support.py").exists()


def test_other_roles_have_no_support_now_link(app_database):
    app = sign_in("supervisor")
    assert not [element for element in app.sidebar
                if type(element).__name__ == "PageLink" and element.proto.label.startswith("Support now")]


def _support_strips(app) -> list[str]:
    return [element.value for element in app.get("html") if 'class="support-strip"' in element.value]


@pytest.mark.parametrize("page", PEER_PAGES)
def test_every_peer_page_starts_with_988_and_the_program_contact_without_a_menu(app_database, session, page):
    write_settings(session, actor=app_database.admin, changes={"support_contact": UNSAFE_TEXT},
                   on=app_database.today)
    app = open_page("peer_bands", page)
    strips = _support_strips(app)
    assert len(strips) == 1
    strip = strips[0]
    for link in ('href="tel:988"', 'href="sms:988"', 'href="sms:988?&body=AYUDA"', 'lang="es"'):
        assert link in strip
    assert "<script>" not in strip and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in strip


def test_pages_of_other_roles_have_no_support_strip(app_database):
    app = open_page("supervisor", "supervisor/prep.py")
    assert _support_strips(app) == []
