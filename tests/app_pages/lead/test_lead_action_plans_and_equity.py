"""The lead's Action plans and Equity lens pages, the overview's entry from an alert, and the self-description on
the peer's privacy page, in AppTest."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import streamlit as st
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from console.program import action_plans, equity
from db.models import ActionPlan, SelfDescription, User
from tests.app_pages.conftest import TIMEOUT, texts
from tests.console.program.test_equity import described_program  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parents[3]
PLANS = "app_pages/lead/action_plans.py"
LENS = "app_pages/lead/equity.py"


def open_page(session, page: str, username: str = "lead", state: dict | None = None) -> AppTest:
    """The page as `username` sees it, with no cached result left by another test's database (each test's
    database starts at the same data version)."""
    st.cache_data.clear()
    user = session.exec(select(User).where(User.username == username)).one()
    app = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
    app.session_state["_current_user"] = user
    for key, value in (state or {}).items():
        app.session_state[key] = value
    app.run()
    return app


def _fill_plan(app: AppTest, *, what: str, due_on: date) -> AppTest:
    app.text_area[0].set_value(what)
    app.text_input[0].set_value("Team supervisor")
    app.date_input[0].set_value(due_on)
    return app.button(key="FormSubmitter:new_action_plan-Save the action").click().run()


def test_a_lead_records_an_action_and_follows_it_up(app_database, session):
    world = app_database
    app = open_page(session, PLANS)
    assert not app.exception and app.title[0].value == "Action plans"
    assert "No action plans here yet." in texts(app)

    app = _fill_plan(app, what="Hold a team debrief after every death of someone served.",
                     due_on=world.today + timedelta(days=21))
    assert not app.exception
    assert "Saved. The action is planned" in texts(app)
    assert "Hold a team debrief after every death of someone served." in texts(app)
    assert "Did the figure move?" in texts(app)

    app.text_area[1].set_value("The first debrief was held on Friday.")
    app.selectbox[3].set_value("in_progress")
    app.button(key=f"FormSubmitter:follow_up_{session.exec(select(ActionPlan.id)).one()}-Save the follow-up"
               ).click().run()
    assert not app.exception
    assert "Follow-up saved." in texts(app) and "The first debrief was held on Friday." in texts(app)
    session.expire_all()
    assert session.exec(select(ActionPlan.status)).one() == "in_progress"


def test_an_action_naming_a_peer_is_refused_beside_the_field_and_nothing_is_saved(app_database, session):
    world = app_database
    app = _fill_plan(open_page(session, PLANS), what="Ask Peer Bands to take fewer call-outs.",
                     due_on=world.today + timedelta(days=7))
    assert not app.exception
    errors = [error.value for error in app.error]
    assert any("without naming anyone" in error and "Peer Bands" in error for error in errors)
    assert session.exec(select(ActionPlan)).first() is None


def test_an_alert_opens_the_form_with_its_team_and_figure(app_database, session):
    world = app_database
    app = open_page(session, PLANS, state={action_plans.FROM_OVERVIEW: ("Reentry", "single_peer")})
    assert not app.exception
    assert "From the alert for Reentry." in texts(app)
    assert app.selectbox[0].value == world.other_team.id
    assert app.selectbox[1].value == "single_peer"


def test_the_overview_offers_to_plan_an_action_for_each_alert_and_counts_open_plans(app_database, session):
    world = app_database
    action_plans.record_plan(session, actor=world.lead, team_id=world.other_team.id, answers="single_peer",
                             what="Pair the team's outreach with another team.", owner_role="Program lead",
                             due_on=world.today + timedelta(days=10), idempotency_key="overview-test")
    app = open_page(session, "app_pages/lead/overview.py")
    assert not app.exception
    assert any(button.label == "Plan an action for this team" for button in app.button)
    assert "Action plans open for this alert: 1." in texts(app)


def test_the_equity_lens_shows_released_groups_and_withholds_small_ones(app_database, session, described_program):  # noqa: F811
    app = open_page(session, LENS)
    assert not app.exception and app.title[0].value == "Equity lens"
    shown = texts(app)
    incarceration = app.dataframe[2].value.set_index("group")
    assert incarceration.loc[equity.DIMENSION_BY_KEY["incarceration"].label_of("yes"), "peers"] == "7"
    assert incarceration.loc[equity.NOT_DESCRIBED, "peers"] == "5"
    assert incarceration.loc[equity.ALL_PEERS, "peers"] == "12"
    assert "No group of this question is released yet" in shown
    assert "nothing here reaches a supervisor" in shown


@pytest.mark.parametrize("page", [PLANS, LENS])
@pytest.mark.parametrize("username", ["peer_bands", "supervisor", "admin"])
def test_nobody_else_reaches_the_new_lead_pages(app_database, session, page, username):
    app = open_page(session, page, username)
    assert "This page is for the program lead role" in texts(app)
    assert not app.dataframe


def test_a_lead_of_some_teams_is_told_the_lens_is_for_leads_of_the_whole_program(app_database, session):
    from tests.conftest import add_user

    add_user(session, username="team_lead", roles="lead", program=app_database.program, team=app_database.team)
    session.commit()
    app = open_page(session, LENS, "team_lead")
    assert "only a lead who covers the whole program sees it" in texts(app)
    assert not app.dataframe


def test_a_peer_describes_themselves_on_the_privacy_page_and_removes_it(app_database, session):
    world = app_database
    app = open_page(session, "app_pages/peer/privacy.py", "peer_bands")
    assert not app.exception
    assert "Nobody sees your answers" in texts(app)
    app.selectbox(key="describe_gender").set_value("woman")
    app.selectbox(key="describe_language").set_value("spanish")
    app.button(key="FormSubmitter:self_description-Save my answers").click().run()
    assert not app.exception
    assert "Saved. You can change or remove your answers at any time." in texts(app)
    session.expire_all()
    assert session.get(SelfDescription, world.peer.id).answers == {"gender": "woman", "language": "spanish"}

    next(button for button in app.button if button.label == "Remove all my answers").click().run()
    assert not app.exception
    assert "Removed. Nothing you described is kept." in texts(app)
    session.expire_all()
    assert session.get(SelfDescription, world.peer.id).answers == {}, "only the time of the removal is kept"
    assert app.selectbox(key="describe_gender").value is None


def test_a_figure_on_the_overview_opens_the_form_with_that_figure(app_database, session):
    overview = open_page(session, "app_pages/lead/overview.py")
    assert any(button.label == "Plan an action on this figure" for button in overview.button)
    app = open_page(session, PLANS, state={action_plans.FROM_OVERVIEW: (None, "compassion_satisfaction")})
    assert not app.exception
    assert "From the overview: Compassion satisfaction. Choose the team it is for." in texts(app)
    assert app.selectbox[1].value == "compassion_satisfaction"


def test_names_and_roles_on_the_plans_page_are_shown_literally(app_database, session):
    from tests.app_pages.test_names_render_literally import EVIL, RENDERED_AS_MARKDOWN, _markdown_sources

    world = app_database
    world.team.name = f"team {EVIL}"
    world.supervisor.display_name = f"supervisor {EVIL}"
    world.lead.display_name = f"lead {EVIL}"
    session.add_all([world.team, world.supervisor, world.lead])
    session.commit()
    action_plans.record_plan(session, actor=world.lead, team_id=world.team.id, answers="burnout",
                             what=f"Debrief as a team {EVIL}", owner_role=f"role {EVIL}", owner_id=world.supervisor.id,
                             due_on=world.today + timedelta(days=5), idempotency_key="evil-names")
    app = open_page(session, PLANS)
    assert not app.exception
    for source in _markdown_sources(app):
        for marker in RENDERED_AS_MARKDOWN:
            assert marker not in source, source
    assert f"Debrief as a team {EVIL}" in texts(app)
