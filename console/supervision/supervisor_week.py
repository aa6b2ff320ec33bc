"""A supervisor's week: who they supervise, the prep sheet, one supervisee in detail, and their own load.

Prep cards and the supervisee detail are built by `peer_view.audited_view` at
each peer's sharing level, the same builder as the peer's own preview, so they
hold nothing the peer has not agreed to show; the printable sheet is made from
the cards alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, func, select

import scoring
from console.core import audit, clock
from console.core.dates import week_start
from console.core.errors import PermissionDenied
from console.core.i18n import N_, _, render, show_date, show_time
from console.core.program_settings import read_settings
from console.policy.access import Action, allowed, visibility
from console.policy.access import my_supervisees as supervisee_relationships
from console.supervision.sessions import FUNCTION_WORDS, HistoryEntry, supervisee_history, supervisee_session_minutes
from console.supervision.shared_view import LEVEL_WORDS, SupervisorView, audited_view, current_team_names
from console.wellness import wellness_plans
from db.models import SUPERVISION_FUNCTIONS, PulseCheckin, ReachOutRequest, SupervisionSession, User

HISTORY_DAYS = 183
NO_SUCH_REQUEST = N_("Not allowed: there is no request with that number from anyone whose wellness you supervise.")
"""One answer for a request that does not exist and one that is not the actor's to see, so that the message
tells nobody whether a peer asked to be reached out to."""
LOAD_WEEKS = 8


@dataclass(frozen=True)
class SuperviseeRow:
    peer_id: int
    name: str
    team: str
    functions: tuple[str, ...]
    sharing_level: str
    last_checkin: date | None


@dataclass(frozen=True)
class SuperviseeChoice:
    peer_id: int
    name: str
    functions: frozenset[str]


@dataclass(frozen=True)
class PrepCard:
    """One supervisee on the weekly prep sheet; `pinned` when they asked to talk or to be reached out to."""

    view: SupervisorView
    functions: tuple[str, ...]
    pinned: bool

    @property
    def suggested_functions(self) -> tuple[str, ...]:
        """The functions the flags suggest, among those the supervisor holds; all of them when none is suggested."""
        suggested = {flag.suggested_function for flag in self.view.flags} & set(self.functions)
        return tuple(function for function in SUPERVISION_FUNCTIONS if function in (suggested or self.functions))


@dataclass(frozen=True)
class SuperviseeDetail:
    view: SupervisorView
    functions: tuple[str, ...]
    history: tuple[HistoryEntry, ...]
    session_minutes: tuple[scoring.SessionMinutes, ...]
    cadence: scoring.Balance


@dataclass(frozen=True)
class WeekLoad:
    week_start: date
    sessions: int
    minutes: int


@dataclass(frozen=True)
class SupportiveGap:
    peer_id: int
    name: str
    last_supportive: date | None


@dataclass(frozen=True)
class SupervisionLoad:
    supervisees: int
    weeks: tuple[WeekLoad, ...]
    balance: scoring.Balance
    without_supportive: tuple[SupportiveGap, ...]
    supportive_gap_days: int

    @property
    def sessions_per_week(self) -> float:
        return sum(week.sessions for week in self.weeks) / len(self.weeks)


def supervisee_choices(session: Session, *, actor: User) -> list[SuperviseeChoice]:
    """Names and assignment functions of the actor's supervisees, for choosing who attended: no wellness data."""
    relationships = supervisee_relationships(session, actor=actor)
    people = session.exec(select(User).where(col(User.id).in_(list(relationships)))).all()
    return sorted((SuperviseeChoice(user.id, user.display_name, relationships[user.id].assignment_functions)
                   for user in people), key=lambda choice: choice.name)


def my_supervisees(session: Session, *, actor: User, on: date) -> list[SuperviseeRow]:
    """Each active supervisee with the date of their last check-in (completion level, audited)."""
    relationships = supervisee_relationships(session, actor=actor)
    assignments = {peer_id: facts for peer_id, facts in relationships.items()
                   if allowed(session, actor=actor, action=Action.VIEW_COMPLETION, subject_id=peer_id)}
    last_checkins = dict(
        session.exec(
            select(PulseCheckin.peer_id, func.max(PulseCheckin.week_start))
            .where(col(PulseCheckin.peer_id).in_(list(assignments)))
            .group_by(col(PulseCheckin.peer_id))
        ).all()
    )
    people = {user.id: user for user in session.exec(select(User).where(col(User.id).in_(list(assignments))))}
    teams = current_team_names(session, user_ids=list(assignments), on=on)
    rows = []
    for peer_id, facts in assignments.items():
        audit.record(session, actor=actor, action="viewed_completion", subject_id=peer_id,
                     resource_type="supervisee_overview")
        rows.append(
            SuperviseeRow(
                peer_id=peer_id,
                name=people[peer_id].display_name,
                team=teams.get(peer_id, ""),
                functions=tuple(sorted(facts.assignment_functions)),
                sharing_level=visibility(facts).level,
                last_checkin=last_checkins.get(peer_id),
            )
        )
    session.commit()
    return sorted(rows, key=lambda row: row.name)


def prep_sheet(session: Session, *, actor: User, on: date) -> list[PrepCard]:
    """A card per active supervisee: those who asked to talk or to be reached out to first, then the most urgent."""
    cards = []
    for peer_id, facts in supervisee_relationships(session, actor=actor).items():
        view = audited_view(session, actor=actor, peer_id=peer_id, on=on, resource_type="prep_card")
        pinned = bool(view.reach_outs) or any(flag.code == "asked_to_talk" for flag in view.flags)
        cards.append(PrepCard(view=view, functions=tuple(sorted(facts.assignment_functions)), pinned=pinned))
    session.commit()
    return sorted(cards, key=lambda card: (not card.pinned, -card.view.urgency, card.view.name))


def function_names(functions: tuple[str, ...] | list[str]) -> str:
    """Supervision functions in words, in the reader's language: "administrative, supportive"."""
    return ", ".join(_(FUNCTION_WORDS[function]) if function in FUNCTION_WORDS else function
                     for function in functions)


def _utc(moment: datetime) -> str:
    return show_time(moment, zone_name="UTC")


def _card_text(card: PrepCard) -> list[str]:
    view = card.view
    lines = [f"== {view.name} ({view.team}) ==" if view.team else f"== {view.name} ==",
             _("Shares: {level}. Your functions: {functions}.", level=_(LEVEL_WORDS[view.level]),
               functions=function_names(card.functions))]
    if view.administrative_only:
        lines.append(_("Administrative supervision only: completion and workload."))
    lines += [_("!! Asked to be reached out to on {moment}, not yet acknowledged.", moment=_utc(request.created_at))
              for request in view.reach_outs]
    lines += [_("- [{severity}] {reason} Suggests {function} supervision.", severity=severity_word(flag.severity),
                reason=render(flag.reason), function=function_names([flag.suggested_function]))
              for flag in view.flags]
    lines += [_("!! After a hard call ({call}, {day}): offer a debrief by {due}.", call=render(debrief.what),
                day=show_date(debrief.ended_at.date()), due=_utc(debrief.due))
              for debrief in view.debriefs_to_offer]
    completion = view.completion
    checkins = (_("Check-ins: {done} of the last {weeks} weeks; overdue.", done=completion.weeks_checked_in,
                  weeks=completion.weeks_in_window) if completion.checkin_overdue
                else _("Check-ins: {done} of the last {weeks} weeks.", done=completion.weeks_checked_in,
                       weeks=completion.weeks_in_window))
    if completion.last_assessment_on:
        last = show_date(completion.last_assessment_on)
        assessment = (_("Self-assessment due (last {day}).", day=last) if completion.assessment_due
                      else _("Self-assessment up to date (last {day}).", day=last))
    else:
        assessment = _("Self-assessment due.") if completion.assessment_due else _("Self-assessment up to date.")
    lines.append(f"{checkins} {assessment}")
    lines.append(view.caseload_note)
    lines += [_("Trend: {line}", line=line) for line in view.trend_lines()]
    if view.strain_average is not None and view.strain_period is not None:
        first, last_week = view.strain_period
        lines.append(_("Check-in strain, average of the weeks of {first} to {last}: {average} (0 easiest, 100 "
                       "hardest).", first=show_date(first), last=show_date(last_week),
                       average=format(view.strain_average, "g")))
    if view.exposure_counts is not None:
        lines.append(_("Exposures, last {days} days: {exposures}.", days=view.exposure_window_days,
                       exposures="; ".join(view.exposure_lines()) or _("none reported")))
    lines.append(_("Action items: {open} open, {overdue} overdue.", open=view.action_items_open,
                   overdue=view.action_items_overdue))
    if view.last_session is not None:
        lines.append(_("Last session: {day} ({functions}).", day=show_date(view.last_session.held_on),
                       functions=function_names(view.last_session.functions) or _("no function recorded")))
    else:
        lines.append(_("Last session: none in the last four months."))
    lines += [_("Shared note, week of {week}: {note}", week=show_date(note.week_start), note=note.text)
              for note in view.shared_notes]
    if view.shared_plan:
        lines.append(_("Shared wellness plan:"))
        titles = {section.key: _(section.title) for section in wellness_plans.SECTIONS}
        lines += [f"  {_(titles[key]) if key in titles else key}: {text}"
                  for key, text in view.shared_plan.items() if text]
    return lines


SEVERITY_WORDS = {"urgent": N_("Urgent"), "attention": N_("Attention"), "info": N_("Info")}


def severity_word(severity: str) -> str:
    return _(SEVERITY_WORDS[severity]) if severity in SEVERITY_WORDS else severity


def printable_prep_sheet(cards: list[PrepCard], *, supervisor_name: str, on: date) -> str:
    """The prep sheet as plain text for printing: made from the cards alone, so it holds nothing more."""
    lines = [_("Weekly supervision prep: {name}, {day}", name=supervisor_name, day=show_date(on)),
             _("Confidential. Each person appears at the level they chose to share."), ""]
    for card in cards:
        lines += [*_card_text(card), ""]
    if not cards:
        lines.append(_("You have no active supervision assignments."))
    return "\n".join(lines)


def acknowledge_reach_out(session: Session, *, actor: User, request_id: int, now: datetime | None = None) -> None:
    """Mark a peer's "please reach out to me" as seen; a second acknowledgement changes nothing.

    A request that does not exist, is the actor's own, or goes to other supervisors gets the same answer.
    """
    now = now or clock.now()
    request = session.get(ReachOutRequest, request_id)
    if (request is None or request.peer_id == actor.id
            or not allowed(session, actor=actor, action=Action.VIEW_REACH_OUTS, subject_id=request.peer_id)):
        raise PermissionDenied(_(NO_SUCH_REQUEST))
    if request.acknowledged_at is not None:
        return
    request.acknowledged_at = now
    request.acknowledged_by = actor.id
    session.add(request)
    audit.record(session, actor=actor, action="reach_out_acknowledged", subject_id=request.peer_id,
                 resource_type="reach_out_request", resource_id=request.id)
    session.commit()


def _session_minutes(row: SupervisionSession) -> scoring.SessionMinutes:
    return scoring.SessionMinutes(row.held_on, row.minutes_administrative, row.minutes_educational,
                                  row.minutes_supportive)


def supervisee_detail(session: Session, *, actor: User, peer_id: int, on: date) -> SuperviseeDetail:
    """One supervisee at their sharing level, with their supervision history and whether the cadence is met.

    Every supervisor of the peer sees each session's metadata (an administrative-only one, its administrative
    part) and the notes only of the sessions they led.
    """
    view = audited_view(session, actor=actor, peer_id=peer_id, on=on, resource_type="supervisee_detail")
    functions, history = supervisee_history(session, actor=actor, peer_id=peer_id,
                                            since=on - timedelta(days=HISTORY_DAYS), on=on)
    if any(entry.record is not None for entry in history):
        audit.record(session, actor=actor, action="viewed_session_notes", subject_id=peer_id,
                     resource_type="supervisee_detail")
    minutes = tuple(
        scoring.SessionMinutes(entry.summary.held_on,
                               *(entry.summary.minutes[function] for function in SUPERVISION_FUNCTIONS))
        for entry in reversed(history)
    )
    settings = read_settings(session)
    cadence = scoring.supervision_balance(sessions=minutes, today=on, window_days=settings.balance_window_days,
                                          cadence=settings.supervision_cadence)
    session.commit()
    return SuperviseeDetail(view=view, functions=tuple(sorted(functions)), history=tuple(history),
                            session_minutes=minutes, cadence=cadence)


def supervision_load(session: Session, *, actor: User, on: date) -> SupervisionLoad:
    """The actor's own supervision: sessions a week, the balance of functions over the program's balance window
    across everyone they supervise, and the people they supervise for wellness who had no supportive supervision
    within the program's supportive gap, counted as the prep flag counts it."""
    relationships = supervisee_relationships(session, actor=actor)
    settings = read_settings(session)
    balance_from = scoring.window_start(on, settings.balance_window_days)
    first_week = week_start(on) - timedelta(weeks=LOAD_WEEKS - 1)
    mine = session.exec(
        select(SupervisionSession).where(
            SupervisionSession.supervisor_id == actor.id,
            SupervisionSession.held_on >= min(first_week, balance_from),
            SupervisionSession.held_on <= on,
        )
    ).all()
    weeks = tuple(
        WeekLoad(
            monday,
            sum(1 for row in mine if week_start(row.held_on) == monday),
            sum(row.duration_minutes for row in mine if week_start(row.held_on) == monday),
        )
        for monday in (first_week + timedelta(weeks=offset) for offset in range(LOAD_WEEKS))
    )
    people = session.exec(select(User).where(col(User.id).in_(list(relationships)))).all()
    names = {user.id: user.display_name for user in people}
    gaps = []
    for peer_id, facts in relationships.items():
        if visibility(facts).administrative_only:
            continue
        attended = supervisee_session_minutes(session, actor=actor, peer_id=peer_id,
                                              since=on - timedelta(days=HISTORY_DAYS), on=on)
        last_supportive = max((row.held_on for row in attended if row.supportive > 0), default=None)
        if scoring.gap_exceeded(last_supportive, on=on, days=settings.supportive_gap_days):
            gaps.append(SupportiveGap(peer_id, names[peer_id], last_supportive))
    return SupervisionLoad(
        supervisees=len(relationships),
        weeks=weeks,
        balance=scoring.supervision_balance(sessions=[_session_minutes(row) for row in mine], today=on,
                                            window_days=settings.balance_window_days),
        without_supportive=tuple(sorted(gaps, key=lambda gap: (gap.last_supportive or date.min, gap.name))),
        supportive_gap_days=settings.supportive_gap_days,
    )
