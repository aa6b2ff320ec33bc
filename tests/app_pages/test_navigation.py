from pathlib import Path

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from db.models import User
from tests.app_pages.conftest import TIMEOUT, open_at, sign_in, texts
from tests.conftest import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[2]

LANDING = {
    "peer_bands": "Home",
    "supervisor": "Weekly supervision prep",
    "lead": "Program overview",
    "admin": "Accounts",
}


@pytest.mark.parametrize(("username", "title"), LANDING.items())
def test_each_role_lands_on_its_own_page(app_database, username, title):
    app = sign_in(username)
    assert not app.exception
    assert app.title[0].value == title


WRONG_ROLE_PAGES = [
    ("supervisor", "app_pages/peer/checkin.py", "peer"),
    ("peer_bands", "app_pages/supervisor/supervisees.py", "supervisor"),
    ("peer_bands", "app_pages/lead/overview.py", "program lead"),
    ("lead", "app_pages/admin/accounts.py", "admin"),
    ("admin", "app_pages/lead/overview.py", "program lead"),
]


@pytest.mark.parametrize(("username", "page", "role"), WRONG_ROLE_PAGES)
def test_the_address_of_a_page_of_another_role_says_the_account_lacks_that_role(app_database, username, page, role):
    app = sign_in(username)
    menu = [link.label for link in app.sidebar.get("page_link")] if app.sidebar else []
    app.switch_page(str(ROOT / page)).run()
    assert not app.exception
    assert f"This page is for the {role} role, which your account does not have." in texts(app)
    assert "Page not found" not in texts(app)
    assert len(app.dataframe) == 0
    assert all(role not in label.lower() for label in menu)


DEEP_LINKS = [("peer_bands", "check-in", "Weekly check-in"), ("supervisor", "prep", "Weekly supervision prep"),
              ("peer_bands", "trends", "My trends"), ("admin", "accounts", "Accounts")]
"""Addresses that are not also file names in pages/: AppTest starts every run as an app with a pages/ folder
(Streamlit's first-generation multipage mode) would, before `st.navigation` takes over."""


@pytest.mark.parametrize(("username", "url_path", "title"), DEEP_LINKS)
def test_a_page_address_opened_signed_out_asks_for_sign_in_then_opens_that_page(app_database, username, url_path, title):
    app = open_at(url_path)
    assert not app.exception
    assert [field.label for field in app.text_input][:2] == ["Username", "Password"]
    app.text_input[0].set_value(username)
    app.text_input[1].set_value(TEST_PASSWORD)
    app.button[0].click().run()
    assert not app.exception
    assert app.title[0].value == title


def test_a_deep_link_to_a_page_of_another_role_says_so_after_sign_in(app_database):
    app = open_at("prep")
    app.text_input[0].set_value("peer_bands")
    app.text_input[1].set_value(TEST_PASSWORD)
    app.button[0].click().run()
    assert "This page is for the supervisor role, which your account does not have." in texts(app)


@pytest.mark.parametrize(("username", "page", "role"), WRONG_ROLE_PAGES)
def test_a_page_reached_directly_refuses_someone_without_its_role(app_database, session, username, page, role):
    user = session.exec(select(User).where(User.username == username)).one()
    app = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
    app.session_state["_current_user"] = user
    app.run()
    assert f"This page is for the {role} role" in texts(app)
    assert len(app.dataframe) == 0


def test_supervisor_sees_supervisees_with_last_check_in(app_database):
    app = sign_in("supervisor")
    app.switch_page(str(ROOT / "app_pages/supervisor/supervisees.py")).run()
    table = app.dataframe[0].value
    assert set(table["name"]) == {"Peer Bands", "Peer Scores", "Peer Completion"}
    assert "Other Peer" not in texts(app)


def test_lead_sees_small_teams_withheld(app_database):
    app = sign_in("lead")
    shown = texts(app)
    assert "withheld: fewer than 5 peers" in shown


def test_admin_sees_accounts_but_no_wellness_pages(app_database):
    app = sign_in("admin")
    assert "peer_bands" in texts(app)
    assert "Weekly check-in" not in texts(app)

