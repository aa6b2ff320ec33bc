"""The program lead pages in AppTest: each renders, small teams are suppressed, downloads equal
what the page shows, and no single peer's value is on any of them."""

from __future__ import annotations

import csv
import io
import math
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from db.models import User
from tests.app_pages.conftest import TIMEOUT, sign_in, texts
from tests.console.program.test_program import add_assessment, add_pulse, add_session, overdose_peers

ROOT = Path(__file__).resolve().parents[3]
LEAD_PAGES = {
    "app_pages/lead/overview.py": "Program overview",
    "app_pages/lead/workload.py": "Workload",
    "app_pages/lead/coverage.py": "Supervision coverage",
    "app_pages/lead/reports.py": "Reports",
}
LONE_PEER_BURNOUT = "47.3"


@pytest.fixture
def lead_data(app_database, session):
    """The world's team of three (and its lone Reentry peer) with a month of answers, workload and supervision."""
    world = app_database
    for peer, raw in zip(overdose_peers(world), (30, 35, 44), strict=True):
        add_assessment(session, peer, date(2026, 10, 6), burnout=raw)
        add_pulse(session, peer, world.today - timedelta(days=7), exposures=("overdose_scene",), caseload=33,
                  hours=41, callouts=1)
    add_assessment(session, world.other_peer, date(2026, 10, 9), burnout=float(LONE_PEER_BURNOUT))
    add_pulse(session, world.other_peer, world.today - timedelta(days=7), caseload=22)
    add_session(session, world.supervisor, overdose_peers(world), world.today - timedelta(days=4), kind="group")
    return world


def open_page(session, page: str, username: str = "lead") -> AppTest:
    user = session.exec(select(User).where(User.username == username)).one()
    app = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
    app.session_state["_current_user"] = user
    app.run()
    return app


@pytest.mark.parametrize(("page", "title"), LEAD_PAGES.items())
def test_each_lead_page_renders_for_a_lead(lead_data, session, page, title):
    app = open_page(session, page)
    assert not app.exception
    assert app.title[0].value == title
    assert "Peer Bands" not in texts(app) or page == "app_pages/lead/workload.py"
    assert LONE_PEER_BURNOUT not in texts(app)


def test_a_lead_navigates_between_the_four_pages(lead_data):
    app = sign_in("lead")
    for page, title in LEAD_PAGES.items():
        app.switch_page(str(ROOT / page)).run()
        assert app.title[0].value == title


@pytest.mark.parametrize("username", ["peer_bands", "supervisor", "admin"])
@pytest.mark.parametrize("page", list(LEAD_PAGES))
def test_nobody_else_reaches_a_lead_page(app_database, session, username, page):
    app = open_page(session, page, username)
    assert "This page is for the program lead role" in texts(app)
    assert not app.dataframe and not app.get("download_button")


def test_a_team_of_three_shows_suppressed_cells_with_the_reason(lead_data, session):
    app = open_page(session, "app_pages/lead/overview.py")
    participation = app.dataframe[0].value
    overdose = participation[participation["team"] == "Overdose response"].iloc[0]
    assert overdose["note"] == "withheld: fewer than 5 peers"
    assert set(overdose[["peers", "checked in", "self-assessed"]]) == {"—"}
    wellness = app.dataframe[1].value
    assert set(wellness["note"]) == {"withheld: fewer than 5 peers"}
    assert set(wellness["median"]) == {"—"}
    assert "None" not in texts(app)


def _shown(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@pytest.mark.parametrize("page", ["app_pages/lead/overview.py", "app_pages/lead/workload.py", "app_pages/lead/coverage.py"])
def test_each_download_equals_the_table_shown_beside_it(lead_data, session, downloads, page):
    app = open_page(session, page)
    buttons = app.get("download_button")
    assert buttons
    shown_tables = [frame.value for frame in app.dataframe]
    for button in buttons:
        header, *rows = list(csv.reader(io.StringIO(downloads(button).decode("utf-8-sig"))))
        matches = [frame for frame in shown_tables if [c for c in frame.columns if c in header] == header]
        assert matches, f"{button.label}: no table on the page has the columns {header}"
        frame = matches[0][header]
        assert [[_shown(value) for value in row] for row in frame.itertuples(index=False)] == rows
        assert not set(frame.columns) & {"peer", "supervisor"}


def test_the_reports_page_offers_every_table_and_the_monthly_report(lead_data, session, downloads):
    app = open_page(session, "app_pages/lead/reports.py")
    buttons = {button.label: button for button in app.get("download_button")}
    assert "Download participation.csv" in buttons and "Download workload_per_team.csv" in buttons
    assert "Download caseload_per_peer.csv" not in buttons
    assert "Download compassion_satisfaction_by_month.csv" in buttons
    assert len(buttons) == 14
    html = downloads(buttons["Download the monthly report (HTML)"]).decode("utf-8")
    assert "Data definitions" in html and "<svg" in html
    assert LONE_PEER_BURNOUT not in html and "Peer Bands" not in html
    caseloads = downloads(buttons["Download workload_per_team.csv"]).decode("utf-8-sig")
    assert caseloads.startswith("team,peers,checked in,") and "Peer Bands" not in caseloads


@pytest.mark.parametrize("page", ["app_pages/lead/overview.py", "app_pages/lead/workload.py", "app_pages/lead/coverage.py"])
def test_every_lead_chart_is_described_in_words_shown_beneath_it(lead_data, session, page):
    import json

    app = open_page(session, page)
    charts = app.get("vega_lite_chart")
    assert charts
    shown = texts(app)
    for chart in charts:
        description = json.loads(chart.proto.spec)["description"]
        assert description and description != "Vega visualization"
        assert description.replace("*", "") in shown.replace("*", "")
