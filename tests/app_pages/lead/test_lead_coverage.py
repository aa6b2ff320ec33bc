"""The Supervision coverage page under the release rule, in AppTest: teams of k or more show their figures, a
small team is counted in the pool with the reason on its row, and nothing rests on one peer."""

from __future__ import annotations

from datetime import date

from console.core.i18n import _, use_language
from console.core.program_settings import write_settings
from tests.app_pages.conftest import sign_in, texts
from tests.app_pages.lead.test_lead_pages import ROOT, lead_data, open_page  # noqa: F401
from tests.console.program.test_program import add_peers, add_session, add_team, overdose_peers

PAGE = "app_pages/lead/coverage.py"


def _program(session, world):
    """Overdose response with 6 peers, five of them at a session in October (the latest closed month); Reentry with
    5; a team of 2; k = 5."""
    peers = [*overdose_peers(world), *add_peers(session, world, world.team, 3, "more_overdose")]
    reentry = [world.other_peer, *add_peers(session, world, world.other_team, 4, "more_reentry")]
    add_peers(session, world, add_team(session, world, "Tiny"), 2, "tiny")
    for peer in peers[:5]:
        add_session(session, world.supervisor, [peer], date(2026, 10, 20), minutes=(10, 10, 20))
    add_session(session, world.other_supervisor, reentry, date(2026, 10, 21), kind="group",
                minutes=(0, 30, 30))
    return peers


def test_teams_of_k_show_figures_and_a_small_team_is_pooled_with_the_reason(app_database, session):
    _program(session, app_database)
    app = open_page(session, PAGE)
    assert not app.exception
    table = app.dataframe[0].value
    rows = {row["team"]: row for _, row in table.iterrows()}
    overdose = rows["Overdose response"]
    assert str(overdose["individual sessions"]) == "5"
    assert str(overdose["peers"]) == "6"
    assert rows["Tiny"]["note"].startswith("withheld: counted in Smaller teams combined")
    assert "Smaller teams combined" in rows and "All teams" in rows
    assert "None" not in texts(app)
    assert "Tiny" in texts(app)


def test_a_team_of_three_is_withheld_with_the_reason(lead_data, session):  # noqa: F811
    app = open_page(session, PAGE)
    table = app.dataframe[0].value
    overdose = table[table["team"] == "Overdose response"].iloc[0]
    assert overdose["note"] == "withheld: fewer than 5 peers"
    assert overdose["group sessions"] == "—"
    assert "None" not in texts(app)


def test_the_coverage_page_speaks_spanish(app_database, session, spanish):
    write_settings(session, actor=app_database.admin, changes={"anonymity_k": 5}, on=app_database.today)
    _program(session, app_database)
    app = sign_in("lead")
    app.switch_page(str(ROOT / PAGE)).run()
    assert not app.exception
    with use_language("es"):
        caption = _("A figure built from fewer than {k} peers besides you and the people you supervise is withheld "
                    "(—), with the reason in the note; near none or all of a team, a count of peers is shown as a "
                    "range.", k=5)
    assert caption in texts(app)


def test_the_workload_page_shows_the_released_month_in_spanish(app_database, session, spanish):
    from console.core.i18n import show_month

    _program(session, app_database)
    app = sign_in("lead")
    app.switch_page(str(ROOT / "app_pages/lead/workload.py")).run()
    assert not app.exception
    with use_language("es"):
        header = _("Caseload in {month}, as released", month=show_month(date(2026, 10, 1)))
    assert header in texts(app)


def test_the_coverage_page_shows_the_released_month(app_database, session):
    _program(session, app_database)
    app = open_page(session, PAGE)
    assert "Coverage and function balance per team in October 2026, as released" in texts(app)
    assert "Supervisor loads in October 2026, as released" in texts(app)


def test_the_coverage_page_in_spanish_shows_the_released_month(app_database, session, spanish):
    from console.core.i18n import show_month

    _program(session, app_database)
    app = sign_in("lead")
    app.switch_page(str(ROOT / PAGE)).run()
    assert not app.exception
    with use_language("es"):
        header = _("Coverage and function balance per team in {month}, as released",
                   month=show_month(date(2026, 10, 1)))
    assert header in texts(app)


def _weekly_caseloads(session, world):
    """Five overdose peers report a caseload for the week of 19 October, the last week ending in October."""
    from tests.console.program.test_program import add_pulse

    peers = _program(session, world)
    for number, peer in enumerate(peers[:5]):
        add_pulse(session, peer, date(2026, 10, 19), caseload=20 + 3 * number, hours=40)


def test_the_workload_page_shows_the_latest_released_week(app_database, session):
    _weekly_caseloads(session, app_database)
    app = open_page(session, "app_pages/lead/workload.py")
    assert not app.exception
    assert "Caseload per team, week of 19 Oct 2026" in texts(app)
    table = app.dataframe[0].value
    overdose = table[table["team"] == "Overdose response"].iloc[0]
    assert float(overdose["median caseload"]) == 26
    assert "None" not in texts(app)


def test_the_workload_page_in_spanish_shows_the_latest_released_week(app_database, session, spanish):
    from console.core.i18n import show_date

    _weekly_caseloads(session, app_database)
    app = sign_in("lead")
    app.switch_page(str(ROOT / "app_pages/lead/workload.py")).run()
    assert not app.exception
    with use_language("es"):
        header = _("Caseload per team, week of {day}", day=show_date(date(2026, 10, 19)))
    assert header in texts(app)
