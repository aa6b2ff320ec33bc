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
from console.core.program_settings import read_settings
from console.policy.access import Action, allowed, visibility
from console.policy.access import my_supervisees as supervisee_relationships
from console.supervision.sessions import HistoryEntry, supervisee_history, supervisee_session_minutes
from console.supervision.shared_view import SupervisorView, audited_view, current_team_names
from db.models import SUPERVISION_FUNCTIONS, PulseCheckin, ReachOutRequest, SupervisionSession, User

HISTORY_DAYS = 183
NO_SUCH_REQUEST = "Not allowed: there is no request with that number from anyone whose wellness you supervise."
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
            .group_by(PulseCheckin.peer_id)
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


def _card_text(card: PrepCard) -> list[str]:
    view = card.view
    lines = [f"== {view.name}{f' ({view.team})' if view.team else ''} ==",
             f"Shares: {view.level}. Your functions: {', '.join(card.functions)}."]
    if view.administrative_only:
        lines.append("Administrative supervision only: completion and workload.")
    lines += [f"!! Asked to be reached out to on {request.created_at:%d %b %Y %H:%M} UTC, not yet acknowledged."
              for request in view.reach_outs]
    lines += [f"- [{flag.severity}] {flag.reason} Suggests {flag.suggested_function} supervision."
              for flag in view.flags]
    completion = view.completion
    lines.append(
        f"Check-ins: {completion.weeks_checked_in} of the last {completion.weeks_in_window} weeks"
        f"{'; overdue' if completion.checkin_overdue else ''}. Self-assessment "
        f"{'due' if completion.assessment_due else 'up to date'}"
        f"{f' (last {completion.last_assessment_on:%d %b %Y})' if completion.last_assessment_on else ''}."
    )
    lines.append(view.caseload_note)
    lines += [f"Trend: {line}" for line in view.trend_lines()]
    if view.strain_average is not None:
        first, last = view.strain_period
        lines.append(f"Check-in strain, average of the weeks of {first:%d %b} to {last:%d %b %Y}: "
                     f"{view.strain_average:g} (0 easiest, 100 hardest).")
    if view.exposure_counts is not None:
        lines.append(f"Exposures, last {view.exposure_window_days} days: "
                     + ("; ".join(view.exposure_lines()) or "none reported") + ".")
    lines.append(f"Action items: {view.action_items_open} open, {view.action_items_overdue} overdue.")
    if view.last_session is not None:
        lines.append(f"Last session: {view.last_session.held_on:%d %b %Y} "
                     f"({', '.join(view.last_session.functions) or 'no function recorded'}).")
    else:
        lines.append("Last session: none in the last four months.")
    lines += [f"Shared note, week of {note.week_start:%d %b %Y}: {note.text}" for note in view.shared_notes]
    if view.shared_plan:
        lines.append("Shared wellness plan:")
        lines += [f"  {section}: {text}" for section, text in view.shared_plan.items() if text]
    return lines


def printable_prep_sheet(cards: list[PrepCard], *, supervisor_name: str, on: date) -> str:
    """The prep sheet as plain text for printing: made from the cards alone, so it holds nothing more."""
    lines = [f"Weekly supervision prep: {supervisor_name}, {on:%d %B %Y}",
             "Confidential. Each person appears at the level they chose to share.", ""]
    for card in cards:
        lines += [*_card_text(card), ""]
    if not cards:
        lines.append("You have no active supervision assignments.")
    return "\n".join(lines)


def acknowledge_reach_out(session: Session, *, actor: User, request_id: int, now: datetime | None = None) -> None:
    """Mark a peer's "please reach out to me" as seen; a second acknowledgement changes nothing.

    A request that does not exist, is the actor's own, or goes to other supervisors gets the same answer.
    """
    now = now or clock.now()
    request = session.get(ReachOutRequest, request_id)
    if (request is None or request.peer_id == actor.id
            or not allowed(session, actor=actor, action=Action.VIEW_REACH_OUTS, subject_id=request.peer_id)):
        raise PermissionDenied(NO_SUCH_REQUEST)
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
