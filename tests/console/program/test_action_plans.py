from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from console.core import audit, clock
from console.core.errors import NotFound, PermissionDenied, ValidationError
from console.core.program_settings import ProgramSettings
from console.policy.access import Action, authorize_team
from console.program import action_plans, wellness_figures
from console.wellness.instruments import periodic_instrument
from db.models import ActionFollowUp, ActionPlan, AuditEvent
from tests.conftest import add_user
from tests.console.program.test_program import add_assessment, add_peers, add_pulse, overdose_peers


def _record(session, actor, team, **overrides):
    arguments = {"team_id": team.id, "answers": "burnout", "what": "Hold a team debrief after every hard call-out.",
                 "owner_role": "Team supervisor", "due_on": clock.today() + timedelta(days=14),
                 "idempotency_key": uuid.uuid4().hex} | overrides
    return action_plans.record_plan(session, actor=actor, **arguments)


def _refusal(session, actor, team, **overrides) -> dict[str, str]:
    with pytest.raises(ValidationError) as refused:
        _record(session, actor, team, **overrides)
    return refused.value.problems


def test_a_lead_records_a_team_action_with_a_first_follow_up(session, world):
    plan_id = _record(session, world.lead, world.team, owner_id=world.supervisor.id)

    plan = session.get(ActionPlan, plan_id)
    assert (plan.team_id, plan.status, plan.answers, plan.created_on) == (world.team.id, "planned", "burnout",
                                                                            world.today)
    assert plan.owner_id == world.supervisor.id and plan.owner_role == "Team supervisor"
    follow_ups = session.exec(select(ActionFollowUp).where(ActionFollowUp.plan_id == plan_id)).all()
    assert [entry.status for entry in follow_ups] == ["planned"]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "action_plan_recorded")).one()
    assert event.actor_id == world.lead.id and event.subject_id is None
    assert "action_plan_recorded" in audit.ADMIN_VISIBLE_ACTIONS


def test_the_same_form_submitted_twice_records_one_action(session, world):
    key = uuid.uuid4().hex
    first = _record(session, world.lead, world.team, idempotency_key=key)
    assert _record(session, world.lead, world.team, idempotency_key=key) == first
    assert len(session.exec(select(ActionPlan)).all()) == 1


@pytest.mark.parametrize("text", [
    "Ask Peer Bands to take fewer call-outs.",
    "Move peer bands to the quiet shift",
    "Scores should take a week off",
    "Reduce the load on COMPLETION.",
])
def test_an_action_that_names_a_peer_of_the_team_is_refused_beside_the_field(session, world, text):
    problems = _refusal(session, world.lead, world.team, what=text)
    assert set(problems) == {"what"}
    assert "without naming anyone" in problems["what"]
    assert session.exec(select(ActionPlan)).first() is None


def test_an_owner_role_that_names_a_peer_is_refused(session, world):
    problems = _refusal(session, world.lead, world.team, owner_role="Bands")
    assert "Owner (a role)" in problems["owner_role"]


def test_names_of_another_teams_peers_and_staff_are_not_peers_of_this_team(session, world):
    _record(session, world.lead, world.team, what="Rotate call-outs, as the Other team did; Supervisor to lead it.")


@pytest.mark.parametrize(("overrides", "field"), [
    ({"what": "   "}, "what"),
    ({"owner_role": "", "owner_id": None}, "owner"),
    ({"owner_role": "", "owner_id": -1}, "owner"),
    ({"answers": "somebody"}, "answers"),
    ({"due_on": None}, "due_on"),
    ({"due_on": "yesterday"}, "due_on"),
])
def test_every_bad_field_gets_its_own_message(session, world, overrides, field):
    assert field in _refusal(session, world.lead, world.team, **overrides)


def test_a_peer_cannot_own_an_action(session, world):
    assert "owner" in _refusal(session, world.lead, world.team, owner_role="", owner_id=world.peer.id)


def test_only_leads_covering_the_team_plan_and_see_its_actions(session, world):
    plan_id = _record(session, world.lead, world.team)
    team_lead = add_user(session, username="reentry_lead", roles="lead", program=world.program, team=world.other_team)
    session.commit()
    with pytest.raises(PermissionDenied):
        _record(session, team_lead, world.team)
    assert action_plans.team_action_plans(session, actor=team_lead, on=world.today) == ()
    with pytest.raises(NotFound):
        action_plans.follow_up(session, actor=team_lead, plan_id=plan_id, status="done")
    for outsider in (world.supervisor, world.peer, world.admin, world.other_supervisor):
        with pytest.raises(PermissionDenied):
            action_plans.team_action_plans(session, actor=outsider, on=world.today)
        with pytest.raises(PermissionDenied):
            authorize_team(session, actor=outsider, action=Action.PLAN_TEAM_ACTIONS, team_id=world.team.id)
        with pytest.raises(PermissionDenied):
            action_plans.follow_up(session, actor=outsider, plan_id=plan_id, status="done")


def test_following_up_moves_the_status_and_keeps_the_notes(session, world):
    plan_id = _record(session, world.lead, world.team)
    action_plans.follow_up(session, actor=world.lead, plan_id=plan_id, status="in_progress",
                           note="Debriefs started; the team finds them useful.")
    action_plans.follow_up(session, actor=world.lead, plan_id=plan_id, status="done")

    assert action_plans.team_action_plans(session, actor=world.lead, on=world.today) == ()
    [view] = action_plans.team_action_plans(session, actor=world.lead, on=world.today, status="closed")
    assert view.status == "done" and not view.open
    assert [(entry.status, entry.note) for entry in view.follow_ups] == [
        ("planned", None), ("in_progress", "Debriefs started; the team finds them useful."), ("done", None)]
    assert view.what == "Hold a team debrief after every hard call-out." and view.owner == "Team supervisor"


def test_a_follow_up_that_names_a_peer_or_says_nothing_is_refused(session, world):
    plan_id = _record(session, world.lead, world.team)
    with pytest.raises(ValidationError) as named:
        action_plans.follow_up(session, actor=world.lead, plan_id=plan_id, status="in_progress",
                               note="peer scores said it helps")
    assert set(named.value.problems) == {"note"}
    with pytest.raises(ValidationError) as unchanged:
        action_plans.follow_up(session, actor=world.lead, plan_id=plan_id, status="planned")
    assert "unchanged" in unchanged.value.problems["note"]
    with pytest.raises(ValidationError) as bad:
        action_plans.follow_up(session, actor=world.lead, plan_id=plan_id, status="finished",
                               on=world.today + timedelta(days=1))
    assert set(bad.value.problems) == {"status", "on"}
    assert len(session.exec(select(ActionFollowUp)).all()) == 1


def test_overdue_open_actions_are_marked(session, world):
    plan_id = _record(session, world.lead, world.team, due_on=world.today)
    session.get(ActionPlan, plan_id).due_on = world.today - timedelta(days=1)
    session.commit()
    [view] = action_plans.team_action_plans(session, actor=world.lead, on=world.today)
    assert view.overdue


def _trend(medians: dict[date, float | None], team: str = "Overdose response") -> wellness_figures.ScaleTrend:
    figures = tuple(wellness_figures.ScaleFigure(team, month, "burnout", 5 if median is not None else None, median, None,
                                        None, None, None if median is not None else "fewer than 5 peers")
                    for month, median in medians.items())
    return wellness_figures.ScaleTrend("burnout", "Burnout", False, 22, 42, figures)


@pytest.mark.parametrize(("before", "after", "direction"), [
    (38.0, 24.0, "moved down"), (24.0, 38.0, "moved up"), (30.0, 31.0, "no change"), (None, 30.0, "not enough data"),
])
def test_movement_judges_the_team_median_by_reliable_change(before, after, direction):
    scale = periodic_instrument(ProgramSettings()).scales["burnout"]
    trend = _trend({date(2026, 8, 1): before, date(2026, 9, 1): 33.0, date(2026, 10, 1): after})
    movement = action_plans.scale_movement(scale=scale, team="Overdose response", trend=trend,
                                           created_on=date(2026, 9, 12), baseline_sd=6.0)
    assert movement.direction == direction
    assert movement.before_month == date(2026, 8, 1)
    assert movement.text


def test_movement_waits_for_a_month_after_the_action_and_for_a_known_spread():
    scale = periodic_instrument(ProgramSettings()).scales["burnout"]
    trend = _trend({date(2026, 9, 1): 30.0, date(2026, 10, 1): 40.0})
    waiting = action_plans.scale_movement(scale=scale, team="Overdose response", trend=trend,
                                          created_on=date(2026, 11, 3), baseline_sd=6.0)
    assert waiting.direction == "not enough data" and "no month after the action" in waiting.text
    unknown_spread = action_plans.scale_movement(scale=scale, team="Overdose response", trend=trend,
                                                 created_on=date(2026, 10, 3))
    assert unknown_spread.direction == "not enough data"


def test_the_plans_page_data_shows_the_team_trend_beside_the_action(session, world):
    team = overdose_peers(world) + add_peers(session, world, world.team, 3, "overdose")
    for peer, raw in zip(team, (20, 25, 30, 35, 43, 45), strict=True):
        add_assessment(session, peer, date(2026, 9, 10), burnout=raw)
        add_assessment(session, peer, date(2026, 10, 10), burnout=raw - 2)
    _record(session, world.lead, world.team)
    [view] = action_plans.team_action_plans(session, actor=world.lead, on=world.today)
    assert view.movement.before_month == date(2026, 10, 1)
    assert view.movement.direction == "not enough data"
    assert [figure.median for figure in view.movement.trend if figure.month >= date(2026, 9, 1)] == [32.5, 30.5]


def test_an_alert_answered_by_an_action_says_whether_it_is_still_raised(session, world):
    for peer in overdose_peers(world):
        add_pulse(session, peer, world.today - timedelta(days=7), caseload=25)
    caseload_plan = _record(session, world.lead, world.team, answers="caseload_above_guideline",
                            what="Share intake with the other team for a month.")
    single_plan = _record(session, world.lead, world.other_team, answers="single_peer",
                          what="Pair the team's outreach with the overdose response team.")
    views = {view.id: view for view in action_plans.team_action_plans(session, actor=world.lead, on=world.today)}
    assert views[caseload_plan].movement.text == "The alert is no longer raised for this team."
    assert views[single_plan].movement.text == "The alert is still raised for this team."
    assert action_plans.plans_for_alerts(session, actor=world.lead) == {
        ("Overdose response", "caseload_above_guideline"): 1, ("Reentry", "single_peer"): 1}


NAME_PART = st.text(alphabet=st.characters(categories=("Lu", "Ll"), max_codepoint=0x24F, exclude_characters="ı"),
                    min_size=2, max_size=12)
"""Letters of Latin scripts; the dotless ı is left out, since its capital is the capital of i."""
SEPARATOR = st.sampled_from([" ", ", ", ". ", "\n", " (", "'s ", ": "])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=NAME_PART, last=NAME_PART, before=st.text(max_size=40), after=st.text(max_size=40),
       separator=SEPARATOR, case=st.sampled_from([str.lower, str.upper, str.title, lambda text: text]),
       whole_name=st.booleans())
def test_an_action_that_contains_a_members_name_is_always_refused(first, last, before, after, separator, case,
                                                                  whole_name):
    display_name = f"{first} {last}"
    named = case(display_name if whole_name else first)
    text = f"{before} {named}{separator}{after}"
    assert action_plans.named_peer(text, [display_name]) == display_name


def test_a_due_date_in_the_past_is_refused(session, world):
    problems = _refusal(session, world.lead, world.team, due_on=world.today - timedelta(days=1))
    assert problems["due_on"] == "Due date: choose today or a later day."


PRINTABLE = st.text(alphabet=st.characters(categories=("L", "N", "P", "Zs")), max_size=30)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=NAME_PART, last=NAME_PART, before=PRINTABLE, after=PRINTABLE, whole_name=st.booleans(),
       case=st.sampled_from([str.lower, str.upper, lambda text: text]))
def test_the_service_never_saves_an_action_that_names_a_member(session, world, first, last, before, after,
                                                              whole_name, case):
    member = add_user(session, username=f"member_{uuid.uuid4().hex[:8]}", roles="peer", program=world.program,
                      team=world.team)
    member.display_name = f"{first} {last}"
    session.commit()
    named = case(member.display_name if whole_name else last)
    with pytest.raises(ValidationError) as refused:
        _record(session, world.lead, world.team, what=f"{before} {named} {after}")
    assert "what" in refused.value.problems
    assert session.exec(select(ActionPlan)).first() is None


def test_a_supervisor_who_is_also_a_peer_of_the_team_cannot_own_its_action(session, world):
    peer_supervisor = add_user(session, username="peer_supervisor", roles={"peer", "supervisor"}, program=world.program,
                               team=world.team)
    session.commit()
    problems = _refusal(session, world.lead, world.team, owner_role="", owner_id=peer_supervisor.id,
                        what="Hold a weekly team huddle.")
    assert "not one of the team's peers" in problems["owner"]
    _record(session, world.lead, world.other_team, owner_role="", owner_id=peer_supervisor.id,
            what="Hold a weekly team huddle.")
