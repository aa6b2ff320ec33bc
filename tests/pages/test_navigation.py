from pathlib import Path

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from db.models import User
from tests.pages.conftest import TIMEOUT, sign_in, texts

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
    ("supervisor", "pages/peer_checkin.py", "peer"),
    ("peer_bands", "pages/supervisor_supervisees.py", "supervisor"),
    ("peer_bands", "pages/lead_overview.py", "program lead"),
    ("lead", "pages/admin_accounts.py", "admin"),
    ("admin", "pages/lead_overview.py", "program lead"),
]


@pytest.mark.parametrize(("username", "page", "role"), WRONG_ROLE_PAGES)
def test_navigation_offers_no_page_of_another_role(app_database, username, page, role):
    app = sign_in(username)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page(str(ROOT / page))


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
    app.switch_page(str(ROOT / "pages/supervisor_supervisees.py")).run()
    table = app.dataframe[0].value
    assert set(table["name"]) == {"Peer Bands", "Peer Scores", "Peer Completion"}
    assert "Other Peer" not in texts(app)


def test_lead_sees_small_teams_suppressed(app_database):
    app = sign_in("lead")
    shown = texts(app)
    assert "suppressed: fewer than 5 peers" in shown


def test_admin_sees_accounts_but_no_wellness_pages(app_database):
    app = sign_in("admin")
    assert "peer_bands" in texts(app)
    assert "Weekly check-in" not in texts(app)
