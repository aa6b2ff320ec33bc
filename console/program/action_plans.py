"""Team action plans: what a lead does about an alert or a figure, followed up, and whether the figure moved.

An action is for a team, never for a person: its text, its owner's role and its follow-up notes are refused
when they name a peer of the team. Plans are seen by the leads who cover the team, nobody else (the access
policy decides). Whether the figure moved compares the team's released figure in the month before the action
with the latest month, by the reliable change rule of `scoring.change` applied to the team median; an alert
that is not about a scale says whether it is still raised.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

import scoring
from console.core import audit, clock, i18n, input_limits
from console.core.errors import NotFound, PermissionDenied, ValidationError
from console.core.i18n import N_, _, show_date, show_month
from console.core.idempotency import insert_once, stored_submission
from console.core.input_limits import TextField
from console.core.program_settings import read_settings
from console.policy.access import Action, authorize, authorize_team, lead_teams
from console.program import wellness_figures
from console.wellness.instruments import periodic_instrument, program_baseline_sds
from db.columns import has_tag
from db.models import ROLES, ActionFollowUp, ActionPlan, Team, TeamMembership, User

FROM_OVERVIEW = "action_plan_from_overview"
"""Session key the overview sets to (team name or None, figure key) when a lead plans an action from an alert or
a figure there."""
STATUSES = {"planned": N_("Planned"), "in_progress": N_("In progress"), "done": N_("Done"), "dropped": N_("Dropped")}
"""Status code → its name in English, marked for translation: show it with `_()`."""
OPEN_STATUSES = ("planned", "in_progress")
ALERT_FIGURES = {
    wellness_figures.RISING_HIGH_BURNOUT: (N_("The share in the high burnout band rising"), "burnout"),
    wellness_figures.SINGLE_PEER: (N_("A team with a single peer"), None),
    wellness_figures.CASELOAD_ABOVE_GUIDELINE: (N_("Median caseload above the guideline"), None),
}
"""Alert kind → (what it is about, the scale whose trend answers whether it moved, if any)."""

WHAT = TextField(N_("What the team will do"), 1_000, multiline=True)
OWNER_ROLE = TextField(N_("Owner (a role)"), 200)
FOLLOW_UP_NOTE = TextField(N_("Follow-up note"), 2_000, multiline=True)
NAMES_A_PEER = N_("{label}: describe what the team will do without naming anyone; “{name}” is the name of a peer on "
                  "this team. Action plans are for the team as a whole, never about one person.")


def named_peer(text: str, names: Iterable[str]) -> str | None:
    """The first of `names` (or a part of one, two letters or more) that `text` contains as a whole word, compared
    without regard to case; None when it names none of them."""
    folded = input_limits.comparable(text)
    for name in names:
        parts = [input_limits.comparable(name), *(input_limits.comparable(part) for part in name.split())]
        for part in dict.fromkeys(parts):
            if sum(1 for character in part if character.isalnum()) < 2:
                continue
            if re.search(rf"(?<!\w){re.escape(part)}(?!\w)", folded):
                return name
    return None


def team_members(session: Session, *, team_id: int, on: date) -> dict[int, str]:
    """Id → display name of the peers on the team today."""
    return dict(session.exec(
        select(User.id, User.display_name).join(TeamMembership, col(TeamMembership.user_id) == User.id)
        .where(TeamMembership.team_id == team_id, TeamMembership.started_on <= on,
               (col(TeamMembership.ended_on).is_(None)) | (col(TeamMembership.ended_on) >= on),
               has_tag(col(User.roles), "peer", vocabulary=ROLES))
    ).all())


def _text_problems(values: dict[str, tuple[str, TextField]], *, names: list[str]) -> dict[str, str]:
    problems = {}
    for key, (value, text_field) in values.items():
        label = _(text_field.label)
        problem = input_limits.text_problem(value, text_field, label=label)
        if problem is None and (name := named_peer(value, names)) is not None:
            problem = _(NAMES_A_PEER, label=label, name=name)
        if problem is not None:
            problems[key] = problem
    return problems


@dataclass(frozen=True)
class FigureChoice:
    key: str
    label: str
    scale: str | None


def figure_choices(session: Session, *, actor: User) -> tuple[FigureChoice, ...]:
    """What an action may answer: a scale of the self-assessment, or an alert."""
    authorize(session, actor=actor, action=Action.PLAN_TEAM_ACTIONS)
    instrument = periodic_instrument(read_settings(session))
    scales = tuple(FigureChoice(name, scale.label, name) for name, scale in instrument.scales.items())
    alerts = tuple(FigureChoice(kind, _("Alert: {label}", label=_(label)), scale if scale in instrument.scales else None)
                   for kind, (label, scale) in ALERT_FIGURES.items())
    return scales + alerts


@dataclass(frozen=True)
class PlanTeam:
    id: int
    name: str


@dataclass(frozen=True)
class OwnerChoice:
    id: int
    name: str


@dataclass(frozen=True)
class PlanningChoices:
    teams: tuple[PlanTeam, ...]
    figures: tuple[FigureChoice, ...]
    owners: tuple[OwnerChoice, ...]
    """Leads and supervisors of the program who may own an action."""


def planning_choices(session: Session, *, actor: User) -> PlanningChoices:
    authorize(session, actor=actor, action=Action.PLAN_TEAM_ACTIONS)
    scope = lead_teams(session, actor=actor)
    teams = session.exec(select(Team).where(Team.program_id == actor.program_id).order_by(col(Team.name))).all()
    staff = session.exec(select(User).where(User.program_id == actor.program_id, col(User.active).is_(True))
                         .order_by(col(User.display_name))).all()
    return PlanningChoices(
        teams=tuple(PlanTeam(team.id, team.name) for team in teams if scope is None or team.id in scope),
        figures=figure_choices(session, actor=actor),
        owners=tuple(OwnerChoice(user.id, user.display_name) for user in staff
                     if user.has_role("lead") or user.has_role("supervisor")),
    )


def _owner_problem(session: Session, *, actor: User, owner_role: str, owner_id: int | None,
                   members: dict[int, str]) -> str | None:
    if owner_id in members:
        return _("Owner: an action is the team's, so its owner is not one of the team's peers; name a role instead.")
    if owner_id is None:
        return None if owner_role.strip() else _("Owner: name a role (such as “team supervisor”) or choose an "
                                                 "account.")
    owner = session.get(User, owner_id)
    if owner is None or owner.program_id != actor.program_id or not owner.active or not (
            owner.has_role("lead") or owner.has_role("supervisor")):
        return _("Owner: choose a lead or supervisor of this program, or name a role instead.")
    return None


def record_plan(
    session: Session, *, actor: User, team_id: int, answers: str, what: str, owner_role: str = "",
    owner_id: int | None = None, due_on: date | None, idempotency_key: str,
) -> int:
    """Record a team action and its first follow-up (planned); the new plan's id."""
    team = authorize_team(session, actor=actor, action=Action.PLAN_TEAM_ACTIONS, team_id=team_id)
    stored = stored_submission(session, ActionPlan, key=idempotency_key, owner="created_by", owner_id=actor.id)
    if stored is not None:
        return stored.id
    today = clock.today()
    members = team_members(session, team_id=team.id, on=today)
    problems = _text_problems({"what": (what, WHAT), "owner_role": (owner_role, OWNER_ROLE)},
                              names=list(members.values()))
    if "what" not in problems and not what.strip():
        problems["what"] = _("What the team will do: describe the action in a sentence or two.")
    if "owner_role" not in problems and (owner := _owner_problem(session, actor=actor, owner_role=owner_role,
                                                                  owner_id=owner_id, members=members)):
        problems["owner"] = owner
    if answers not in {choice.key for choice in figure_choices(session, actor=actor)}:
        problems["answers"] = _("Which figure it answers: choose a scale or an alert from the list.")
    if (problem := input_limits.date_problem(due_on, label=_("Due date"), today=today)) is not None:
        problems["due_on"] = problem
    elif due_on is not None and due_on < today:
        problems["due_on"] = _("Due date: choose today or a later day.")
    if problems:
        raise ValidationError(_("The action is not saved yet. {problems}", problems=" ".join(problems.values())),
                              problems=problems)
    assert due_on is not None, "date_problem accepts only a date"
    now = clock.now()
    plan = ActionPlan(
        program_id=team.program_id, team_id=team.id, what=input_limits.normalized(what),
        owner_role=input_limits.normalized(owner_role) or None, owner_id=owner_id, due_on=due_on, answers=answers,
        status="planned", created_by=actor.id, created_on=today, created_at=now, updated_at=now,
        idempotency_key=idempotency_key,
    )
    stored = insert_once(session, plan, owner="created_by")
    if stored is not plan:
        return stored.id
    session.add(ActionFollowUp(plan_id=plan.id, followed_up_on=today, status="planned", recorded_by=actor.id,
                               created_at=now))
    audit.record(session, actor=actor, action="action_plan_recorded", resource_type="action_plan",
                 resource_id=plan.id, detail=f"team {team.name}, answers {answers}")
    session.commit()
    return plan.id


def _plan_in_scope(session: Session, *, actor: User, plan_id: int) -> ActionPlan:
    authorize(session, actor=actor, action=Action.PLAN_TEAM_ACTIONS)
    plan = session.get(ActionPlan, plan_id)
    if plan is None:
        raise NotFound(_("There is no such action plan."))
    try:
        authorize_team(session, actor=actor, action=Action.PLAN_TEAM_ACTIONS, team_id=plan.team_id)
    except PermissionDenied as refusal:
        raise NotFound(_("There is no such action plan among the teams you lead.")) from refusal
    return plan


def follow_up(session: Session, *, actor: User, plan_id: int, status: str, note: str = "",
              on: date | None = None) -> None:
    """Record how the action is going: its status from now on and an optional note."""
    plan = _plan_in_scope(session, actor=actor, plan_id=plan_id)
    today = clock.today()
    on = on or today
    problems = _text_problems({"note": (note, FOLLOW_UP_NOTE)},
                              names=list(team_members(session, team_id=plan.team_id, on=today).values()))
    if status not in STATUSES:
        problems["status"] = _("Status: choose planned, in progress, done or dropped.")
    if (problem := input_limits.date_problem(on, label=_("Date"), today=today)) is not None:
        problems["on"] = problem
    elif on > today or on < plan.created_on:
        problems["on"] = _("Date: choose a day from {day} to today.", day=show_date(plan.created_on))
    if not problems and status == plan.status and not note.strip():
        problems["note"] = _("Follow-up note: the status is unchanged, so say how the action is going.")
    if problems:
        raise ValidationError(_("The follow-up is not saved yet. {problems}", problems=" ".join(problems.values())),
                              problems=problems)
    now = clock.now()
    session.add(ActionFollowUp(plan_id=plan.id, followed_up_on=on, status=status,
                               note=input_limits.normalized(note) or None, recorded_by=actor.id, created_at=now))
    plan.status = status
    plan.updated_at = now
    session.add(plan)
    audit.record(session, actor=actor, action="action_plan_followed_up", resource_type="action_plan",
                 resource_id=plan.id, detail=status)
    session.commit()


@dataclass(frozen=True)
class FollowUpView:
    on: date
    status: str
    note: str | None
    by: str


@dataclass(frozen=True)
class MonthFigure:
    month: date
    median: float | None
    high_share: float | None
    reason: str | None


@dataclass(frozen=True)
class Movement:
    """Whether the figure moved after the action: `direction` is "moved down", "moved up", "no change" or
    "not enough data"; `text` says it in a sentence."""

    direction: str
    text: str
    before_month: date | None
    trend: tuple[MonthFigure, ...]


@dataclass(frozen=True)
class PlanView:
    id: int
    team: str
    answers: str
    answers_label: str
    what: str
    owner: str
    due_on: date
    status: str
    created_on: date
    overdue: bool
    follow_ups: tuple[FollowUpView, ...]
    movement: Movement

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATUSES


def _month_before(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def scale_movement(*, scale: scoring.Scale, team: str, trend: wellness_figures.ScaleTrend | None, created_on: date,
                   baseline_sd: float | None = None) -> Movement:
    """The team's median in the month before the action against the latest month shown, judged by the reliable
    change rule for one person's scores (SD from the instrument or the program's baseline): a team median moves
    less by chance than one score, so a change it calls reliable is a cautious call."""
    before_month = _month_before(created_on)
    figures = tuple(MonthFigure(figure.month, figure.median, figure.high_share, figure.suppressed_reason)
                    if figure.quarter is None else
                    MonthFigure(figure.month, None, None, i18n._("only the quarter's figure is shown for this month"))
                    for figure in (trend.figures if trend else ()) if figure.team == team)
    before = next((figure for figure in figures if figure.month == before_month), None)
    after = max((figure for figure in figures if figure.month > before_month), key=lambda figure: figure.month,
                default=None)
    if before is None or before.median is None or after is None or after.median is None:
        if after is None:
            text = _("Not enough data to judge: no month after the action has closed yet.")
        else:
            text = _("Not enough data to judge: the figure is withheld or missing in the month before the action or "
                     "the latest month.")
        return Movement("not enough data", text, before_month, figures)
    change = scoring.assess_change(scale=scale, before=before.median, after=after.median, baseline_sd=baseline_sd)
    moved = {"scale": scale.label.lower(), "before": f"{before.median:g}", "before_month": show_month(before.month),
             "after": f"{after.median:g}", "after_month": show_month(after.month)}
    if change.direction == scoring.change.NOT_ENOUGH_DATA:
        return Movement("not enough data", _(
            "The team's median {scale} went from {before} in {before_month} to {after} in {after_month}; not enough "
            "data to judge whether that is a real change.", **moved), before_month, figures)
    if not change.reliable:
        return Movement("no change", _(
            "The team's median {scale} went from {before} in {before_month} to {after} in {after_month}: no change "
            "beyond what measurement error alone could explain.", **moved), before_month, figures)
    direction = "moved up" if after.median > before.median else "moved down"
    if direction == "moved up":
        text = (_("The team's median {scale} went from {before} in {before_month} to {after} in {after_month}: it "
                  "moved up, an improvement beyond measurement error.", **moved) if change.direction == "better" else
                _("The team's median {scale} went from {before} in {before_month} to {after} in {after_month}: it "
                  "moved up, a worsening beyond measurement error.", **moved))
    else:
        text = (_("The team's median {scale} went from {before} in {before_month} to {after} in {after_month}: it "
                  "moved down, an improvement beyond measurement error.", **moved) if change.direction == "better"
                else _("The team's median {scale} went from {before} in {before_month} to {after} in {after_month}: "
                       "it moved down, a worsening beyond measurement error.", **moved))
    return Movement(direction, text, before_month, figures)


def _alert_movement(*, kind: str, team: str, alerts: Iterable[wellness_figures.TeamAlert]) -> Movement:
    raised = any(alert.team == team and alert.kind == kind for alert in alerts)
    if raised:
        return Movement("no change", _("The alert is still raised for this team."), None, ())
    return Movement("moved down", _("The alert is no longer raised for this team."), None, ())


def team_action_plans(session: Session, *, actor: User, on: date, status: str = "open") -> tuple[PlanView, ...]:
    """The action plans of the teams the lead covers, soonest due first, each with its follow-ups and whether
    its figure moved. `status` is "open", "closed" or "all"."""
    authorize(session, actor=actor, action=Action.PLAN_TEAM_ACTIONS)
    if status not in ("open", "closed", "all"):
        raise ValidationError(_("Show open, closed or all action plans."))
    on = min(on, clock.today())
    scope = lead_teams(session, actor=actor)
    query = select(ActionPlan, Team.name).join(Team, col(Team.id) == ActionPlan.team_id).where(
        ActionPlan.program_id == actor.program_id)
    if scope is not None:
        query = query.where(col(ActionPlan.team_id).in_(sorted(scope)))
    if status == "open":
        query = query.where(col(ActionPlan.status).in_(OPEN_STATUSES))
    elif status == "closed":
        query = query.where(col(ActionPlan.status).not_in(OPEN_STATUSES))
    rows = session.exec(query.order_by(col(ActionPlan.due_on), col(ActionPlan.id))).all()
    if not rows:
        return ()
    choices = {choice.key: choice for choice in figure_choices(session, actor=actor)}
    instrument = periodic_instrument(read_settings(session))
    sds = program_baseline_sds(session, program_id=actor.program_id)
    trends = {trend.scale: trend for trend in wellness_figures.scale_trends(session, actor=actor, on=on)}
    alerts = (wellness_figures.program_overview(session, actor=actor, on=on).alerts
              if any(plan.answers in ALERT_FIGURES and choices.get(plan.answers, None) is not None
                     and choices[plan.answers].scale is None for plan, _team in rows) else ())
    follow_ups: dict[int, list[FollowUpView]] = {}
    people = dict(session.exec(select(User.id, User.display_name).where(User.program_id == actor.program_id)).all())
    for entry in session.exec(select(ActionFollowUp).where(col(ActionFollowUp.plan_id).in_([p.id for p, _team in rows]))
                              .order_by(col(ActionFollowUp.followed_up_on), col(ActionFollowUp.id))):
        follow_ups.setdefault(entry.plan_id, []).append(
            FollowUpView(entry.followed_up_on, entry.status, entry.note, people.get(entry.recorded_by, "—")))
    views = []
    for plan, team_name in rows:
        choice = choices.get(plan.answers)
        if choice is not None and choice.scale is not None:
            movement = scale_movement(scale=instrument.scales[choice.scale], team=team_name,
                                      trend=trends.get(choice.scale), created_on=plan.created_on,
                                      baseline_sd=sds.get(choice.scale))
        elif choice is not None:
            movement = _alert_movement(kind=plan.answers, team=team_name, alerts=alerts)
        else:
            movement = Movement("not enough data", _("The figure this action answers is no longer shown."), None, ())
        owner = plan.owner_role or ""
        if plan.owner_id is not None:
            owner = people.get(plan.owner_id, "—") + (f" ({owner})" if owner else "")
        views.append(PlanView(
            id=plan.id, team=team_name, answers=plan.answers,
            answers_label=choice.label if choice else plan.answers, what=plan.what or "", owner=owner,
            due_on=plan.due_on, status=plan.status, created_on=plan.created_on,
            overdue=plan.status in OPEN_STATUSES and plan.due_on < on,
            follow_ups=tuple(follow_ups.get(plan.id, ())), movement=movement,
        ))
    return tuple(views)


def plans_for_alerts(session: Session, *, actor: User) -> dict[tuple[str, str], int]:
    """(team name, alert kind) → how many open action plans answer it, for the overview's alerts."""
    authorize(session, actor=actor, action=Action.PLAN_TEAM_ACTIONS)
    scope = lead_teams(session, actor=actor)
    query = (select(Team.id, Team.name, ActionPlan.answers).join(Team, col(Team.id) == ActionPlan.team_id)
             .where(ActionPlan.program_id == actor.program_id, col(ActionPlan.status).in_(OPEN_STATUSES)))
    counts: dict[tuple[str, str], int] = {}
    for team_id, team_name, answers in session.exec(query).all():
        if scope is None or team_id in scope:
            counts[(team_name, answers)] = counts.get((team_name, answers), 0) + 1
    return counts
