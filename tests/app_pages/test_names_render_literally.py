"""Names people and admins write (display names, team names) reach the screen as typed on every page:
never as Markdown or HTML (no remote image, no link, no bold, no tag)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app_pages.conftest import sign_in, texts

ROOT = Path(__file__).resolve().parents[2]
EVIL = "![x](http://evil/x.png) **bold** <b>x</b> :red[red] $x$"
RENDERED_AS_MARKDOWN = ("](http://evil", "**bold**", "<b>", ":red[", "$x$")
PAGES_BY_USER = {
    "peer_bands": ["peer/home.py", "peer/privacy.py", "peer/my_supervision.py", "peer/support.py", "account.py"],
    "supervisor": ["supervisor/prep.py", "supervisor/supervisees.py", "supervisor/record_session.py",
                   "supervisor/action_items.py", "supervisor/load.py", "account.py"],
    "admin": ["admin/accounts.py", "admin/teams.py", "admin/audit.py", "account.py"],
}


def _markdown_sources(app: AppTest) -> list[str]:
    """Every string the page hands to Streamlit's Markdown renderer."""
    sources = [str(element.value) for kind in ("title", "header", "subheader", "markdown", "caption", "info",
                                               "warning", "error", "success") for element in getattr(app, kind)]
    sources += [str(element.label) for element in app.get("expander")]
    return sources


@pytest.fixture
def evil_names(app_database, session):
    world = app_database
    for user, role in ((world.peer, "peer"), (world.supervisor, "supervisor"),
                       (world.admin_supervisor, "admin supervisor"), (world.admin, "admin")):
        user.display_name = f"{role} {EVIL}"
        session.add(user)
    world.team.name = f"team {EVIL}"
    session.add(world.team)
    session.commit()
    return world


@pytest.mark.parametrize(("username", "page"), [(user, page) for user, pages in PAGES_BY_USER.items()
                                                for page in pages])
def test_names_are_shown_literally(evil_names, username, page):
    app = sign_in(username)
    app.switch_page(str(ROOT / "app_pages" / page)).run()
    assert not app.exception
    for source in [*_markdown_sources(app), *(str(element.value) for element in app.sidebar.markdown)]:
        for marker in RENDERED_AS_MARKDOWN:
            assert marker not in source, (page, source)
    if page in {"peer/home.py", "peer/privacy.py", "supervisor/prep.py", "account.py"}:
        on_screen = texts(app) + " ".join(str(element.value) for element in app.sidebar.markdown)
        assert EVIL in on_screen.replace("\\", "") or EVIL in texts(app)
