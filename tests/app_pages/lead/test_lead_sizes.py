"""Every program lead page at every program size (1, 3, 8 and 40 peers): it renders, a withheld cell shows
"—" with its reason and never "None", and a program of 8 peers in 3 teams sees program-level figures."""

from __future__ import annotations

from datetime import date

import pytest

from db.models import Program, Team
from tests.app_pages.conftest import texts
from tests.app_pages.lead.test_lead_pages import LEAD_PAGES, open_page
from tests.conftest import add_user
from tests.console.program.test_program import add_assessment, add_pulse

TEAM_SIZES = {1: (1,), 3: (2, 1), 8: (4, 3, 1), 40: (12, 10, 9, 6, 2, 1)}


@pytest.fixture(params=sorted(TEAM_SIZES), ids=lambda peers: f"{peers}_peers")
def sized_program(request, app_database, session):
    """A program of its own with the given number of peers, assessed and checked in in September and October."""
    peers = request.param
    program = Program(name=f"Program of {peers}")
    session.add(program)
    session.flush()
    for number, size in enumerate(TEAM_SIZES[peers]):
        team = Team(program_id=program.id, name=f"Team {chr(65 + number)}")
        session.add(team)
        session.flush()
        for position in range(size):
            peer = add_user(session, username=f"p{peers}_{number}_{position}", roles="peer", program=program,
                            team=team)
            session.commit()
            for month, day in ((9, 8), (10, 7)):
                add_assessment(session, peer, date(2026, month, day), burnout=20 + (position * 7 + number * 3) % 30)
                add_pulse(session, peer, date(2026, month, day), exposures=("overdose_scene",), caseload=22 + position,
                          hours=40)
    add_user(session, username=f"lead_of_{peers}", roles="lead", program=program)
    session.commit()
    return peers


@pytest.mark.parametrize("page", list(LEAD_PAGES))
def test_every_lead_page_renders_at_every_program_size(sized_program, session, page):
    app = open_page(session, page, f"lead_of_{sized_program}")
    assert not app.exception
    assert app.title[0].value == LEAD_PAGES[page]
    shown = texts(app)
    assert "None" not in shown
    for frame in app.dataframe:
        assert not frame.value.isna().any().any(), "a withheld or missing figure shows — or words, never blank"


def test_the_overview_shows_program_figures_where_safe(sized_program, session):
    app = open_page(session, "app_pages/lead/overview.py", f"lead_of_{sized_program}")
    wellness = app.dataframe[1].value
    program_rows = wellness[wellness["team"] == "All teams"]
    if sized_program < 5:
        assert set(wellness["median"]) == {"—"}
        assert all(note.startswith("withheld: ") for note in wellness["note"])
    else:
        assert "—" not in set(program_rows["median"]), "a program of 5 or more peers sees program-level figures"
    if sized_program == 8:
        teams = wellness[wellness["team"].str.startswith("Team ")]
        assert set(teams["median"]) == {"—"}
    if sized_program == 40:
        assert "Smaller teams combined" in set(wellness["team"])
        shown_teams = set(wellness[(wellness["median"] != "—") & wellness["team"].str.startswith("Team ")]["team"])
        assert {"Team A", "Team B", "Team C"} <= shown_teams
