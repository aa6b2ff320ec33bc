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



def _menu(app: AppTest) -> list[str]:
    """The sidebar menu as read from top to bottom: headings as `# text`, links by their label."""
    shown = []
    for element in app.sidebar:
        if element.type == "html" and "menu-heading" in element.proto.body:
            shown.append("# " + element.proto.body.split(">", 1)[1].split("<", 1)[0])
        elif element.type == "page_link":
            shown.append(element.label)
    return shown


def test_a_peers_menu_puts_this_weeks_check_in_first_and_groups_the_rest(app_database):
    app = sign_in("peer_bands")
    assert _menu(app) == [
        "# This week", "Home", "Weekly check-in", "Self-assessment",
        "# My wellness", "My trends", "Wellness plan", "Support now",
        "# My work", "Call-out log", "Field visit", "Ethics self-check", "Training",
        "# Supervision and privacy", "My supervision", "Privacy and sharing",
        "# Account", "My account", "Support now · 988",
    ]


def test_a_menu_link_opens_its_page_at_its_address(app_database):
    app = sign_in("peer_bands")
    link = next(link for link in app.sidebar.get("page_link") if link.label == "Call-out log")
    assert link.proto.page.strip("/") == "call-outs"
    app.switch_page(str(ROOT / "app_pages/peer/callouts.py")).run()
    assert not app.exception
    assert app.title[0].value == "Call-out log"


def test_a_role_with_few_pages_keeps_one_list_without_headings(app_database):
    app = sign_in("admin")
    assert _menu(app) == ["Accounts", "Teams and supervision", "Import roster", "Program settings", "Audit log",
                          "My account"]


def test_someone_with_two_roles_sees_each_role_as_a_heading_with_its_sections_under_it(app_database, session):
    from tests.conftest import add_user

    add_user(session, username="peer_and_supervisor", roles={"peer", "supervisor"}, program=app_database.program,
             team=app_database.team)
    session.commit()
    app = sign_in("peer_and_supervisor")
    menu = _menu(app)
    assert menu[:2] == ["# Peer", "# This week"]
    assert menu.index("# Supervisor") > menu.index("Privacy and sharing")
    assert menu.index("Weekly supervision prep") == menu.index("# Supervisor") + 1
    assert menu[-3:] == ["# Account", "My account", "Support now · 988"]


def test_the_peers_menu_in_spanish(spanish, app_database):
    from console.core.i18n import _

    app = sign_in("peer_bands")
    menu = _menu(app)
    assert menu[:2] == ["# " + _("This week"), _("Home")]
    assert {"# Mi bienestar", "# Mi trabajo", "# Supervisión y privacidad", "# Cuenta"} <= set(menu)
