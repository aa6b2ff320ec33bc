"""The program lead pages in Spanish: every text they show has a translation (the `spanish` fixture fails
otherwise), and the reserved group names and withheld reasons are shown in Spanish."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from console.core.i18n import _, use_language
from db.models import TeamMembership
from tests.app_pages.conftest import sign_in, texts
from tests.app_pages.lead.test_lead_pages import lead_data  # noqa: F401  (a fixture)
from tests.console.program.test_equity import described_program  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parents[3]


def in_spanish(message: str, **values: object) -> str:
    with use_language("es"):
        return _(message, **values)


def open_as_lead(page: str) -> AppTest:
    st.cache_data.clear()
    app = sign_in("lead")
    app.switch_page(str(ROOT / "app_pages" / "lead" / page)).run()
    assert not app.exception
    return app


@pytest.mark.parametrize(("page", "title"), [("overview.py", "Program overview"), ("workload.py", "Workload"),
                                             ("coverage.py", "Supervision coverage"), ("reports.py", "Reports")])
def test_each_lead_page_in_spanish(lead_data, spanish, page, title):  # noqa: F811
    app = open_as_lead(page)
    assert app.title[0].value == in_spanish(title)
    assert app.title[0].value != title


def test_the_overview_in_spanish_names_withheld_cells_and_the_program_group(lead_data, spanish):  # noqa: F811
    app = open_as_lead("overview.py")
    participation = app.dataframe[0].value
    assert list(participation.columns[:3]) == ["equipo", "nota", "pares"]
    assert "Todos los equipos" in set(participation["equipo"])
    assert any(note.startswith("retenido: ") for note in participation["nota"])
    assert in_spanish("Trend by month") in [header.value for header in app.header]


def test_the_reports_page_in_spanish_offers_spanish_downloads(lead_data, spanish, downloads):  # noqa: F811
    app = open_as_lead("reports.py")
    assert in_spanish("Data definitions") in [expander.label for expander in app.expander]
    report = next(button for button in app.get("download_button")
                  if button.proto.label == in_spanish("Download the monthly report (HTML)"))
    page = downloads(report).decode("utf-8")
    assert '<html lang="es">' in page and in_spanish("Data definitions") in page
    table = next(button for button in app.get("download_button")
                 if button.proto.label == in_spanish("Download {file_name}", file_name="participation.csv"))
    assert downloads(table).decode("utf-8-sig").startswith("equipo,nota,pares")


def test_the_action_plans_page_in_spanish(app_database, spanish):
    app = open_as_lead("action_plans.py")
    assert app.title[0].value == in_spanish("Action plans")
    assert in_spanish("No action plans here yet.") in texts(app)


def test_the_equity_lens_in_spanish(app_database, described_program, spanish):  # noqa: F811
    app = open_as_lead("equity.py")
    assert app.title[0].value == in_spanish("Equity lens")
    incarceration = app.dataframe[2].value.set_index("grupo")
    assert incarceration.loc["Tiene experiencia vivida de encarcelamiento", "pares"] == "7"
    assert incarceration.loc["Todos los pares", "pares"] == "12"
    assert in_spanish("Lived experience of incarceration") in [header.value for header in app.subheader]
    assert in_spanish("These figures were released once, when the quarter closed, and they never change: answers "
                      "changed or check-ins sent since then count from the next quarter.") in texts(app)
    assert "septiembre de 2026" in texts(app)


def test_the_equity_lens_in_spanish_before_any_quarter_closed(app_database, session, spanish):
    for membership in session.exec(select(TeamMembership)).all():
        membership.started_on = date(2026, 10, 5)
        session.add(membership)
    session.commit()
    app = open_as_lead("equity.py")
    assert in_spanish("No quarter is released yet. The equity lens shows a calendar quarter once it has closed, "
                      "and this program has not been running for a whole quarter. Come back after the end of this "
                      "quarter.") in texts(app)
    assert not app.dataframe
