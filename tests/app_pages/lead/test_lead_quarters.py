"""The overview of an 8-peer program in 3 teams: program figures every month, and the team whose months are
withheld shown by quarter, with the overview saying which and why — in English and in Spanish."""

from __future__ import annotations

from console.core.i18n import _, use_language
from tests.app_pages.conftest import sign_in, texts
from tests.app_pages.lead.test_lead_pages import ROOT, open_page
from tests.console.program.test_release_quarters import eight_peers  # noqa: F401

PAGE = "app_pages/lead/overview.py"


def test_the_overview_says_which_groups_are_shown_by_quarter(app_database, session, eight_peers):  # noqa: F811
    app = open_page(session, PAGE)
    assert not app.exception
    shown = texts(app)
    assert "The trend shows these groups by quarter" in shown
    assert "Overdose response (fewer than 3 peers)" in shown
    assert "the quarter 2026-Q3" in shown


def test_the_overview_speaks_spanish_about_quarters(app_database, session, eight_peers, spanish):  # noqa: F811
    app = sign_in("lead")
    app.switch_page(str(ROOT / PAGE)).run()
    assert not app.exception
    with use_language("es"):
        start = _("The trend shows these groups by quarter in the months they were withheld: {groups}. A quarter's "
                  "figure is built from the distinct peers of its three months and released once the quarter "
                  "closes.", groups="").split(":")[0]
    assert start in texts(app)
