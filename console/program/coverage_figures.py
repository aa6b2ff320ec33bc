"""Supervision coverage for program leads, from session metadata only: dates, kinds and minutes per function.
Narrative, notes and private reflections are never read here.

Every figure is read from the figures released when its calendar month closed (`console.program.release`,
docs/release.md), per team, the pool and the program: peers placed in the group, those at a session during the
month and those without a session with supportive minutes in it (counts of peers with a status); sessions by
kind and minutes per function (counts of events, each cell resting on the distinct peers of the group who
attended); and each supervisor's sessions and minutes. Nothing is computed from sessions at page time, so a
figure never changes after it is shown. The rule is applied again for the viewer on reading: the peers the
viewer knows (themself, their supervisees) never count toward k.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from sqlmodel import Session

from console.core import clock
from console.program import release
from console.program.release import Figure
from console.program.wellness_figures import TREND_MONTHS, complete_months, lead_scope
from db import queries
from db.models import SUPERVISION_FUNCTIONS, User
from scoring import release as rule

KINDS = release.SESSION_KINDS
TOTAL = rule.PROGRAM_GROUP
POOL = rule.POOL_GROUP


@dataclass(frozen=True)
class TeamCoverage:
    """A group's released coverage of a month: each figure None when withheld, `minutes` empty when the balance
    of functions is withheld (any of its three cells), and `reason` saying why."""

    team: str
    peers: int | None
    supervised: rule.Count | None
    without_supportive: rule.Count | None
    individual_sessions: int | None
    group_sessions: int | None
    minutes: dict[str, int]
    reason: str | None = None
    month: date | None = None

    @property
    def supervised_share(self) -> float | None:
        if self.supervised is None or self.supervised.exact is None or not self.peers:
            return None
        return self.supervised.exact / self.peers

    @property
    def function_shares(self) -> dict[str, float | None]:
        total = sum(self.minutes.values())
        return {function: (self.minutes[function] / total if total else None) for function in SUPERVISION_FUNCTIONS}


@dataclass(frozen=True)
class MonthSessions:
    """A group's sessions of one kind in a released month, or None with the reason when withheld."""

    month: date
    team: str
    kind: str
    sessions: int | None
    reason: str | None = None


@dataclass(frozen=True)
class SupervisionCoverage:
    """The released months shown (oldest first); `teams` are the latest month's rows for the lead's teams (and
    the pool when one of them is in it); `total` is the program's row for a lead of the whole program, else the
    sum of the released rows shown; `month_cells` are every released month's sessions by kind per group;
    `supervisors` the latest month's loads of the supervisors whose sessions had peers from the lead's teams."""

    released_months: tuple[date, ...]
    teams: tuple[TeamCoverage, ...]
    month_cells: tuple[MonthSessions, ...]
    supervisors: tuple[release.SupervisorMonth, ...]
    k: int = 5
    total: TeamCoverage | None = None
    pooled: tuple[str, ...] = field(default=())
    whole_program: bool = True

    @property
    def latest_month(self) -> date | None:
        return self.released_months[-1] if self.released_months else None

    @cached_property
    def trend_group(self) -> str | None:
        """The group the sessions chart shows: the program for a lead of the whole program, else the first group.
        Computed once: it reads every month's cells, and the chart and its text ask for it per row."""
        groups = list(dict.fromkeys(row.team for row in self.month_cells))
        return TOTAL if TOTAL in groups else (groups[0] if groups else None)

    @cached_property
    def months(self) -> tuple[MonthSessions, ...]:
        """The released months, groups and kinds with sessions, for the chart."""
        return tuple(row for row in self.month_cells if row.sessions)

    @property
    def peers(self) -> int:
        return self.total.peers or 0 if self.total is not None else 0

    @property
    def supervised(self) -> rule.Count | None:
        return self.total.supervised if self.total is not None else None

    @property
    def without_supportive(self) -> rule.Count | None:
        return self.total.without_supportive if self.total is not None else None


def _reasons(*reasons: str | None) -> str | None:
    return "; ".join(dict.fromkeys(reason for reason in reasons if reason)) or None


def _events(figure: Figure | None) -> int | None:
    if figure is None:
        return 0
    return (figure.count_a or 0) if figure.released else None


def _withheld(figure: Figure | None) -> str | None:
    return figure.reason if figure is not None and not figure.released else None


def _summed(rows: Sequence[TeamCoverage]) -> TeamCoverage | None:
    """The sum of the released rows a lead of some teams is shown: a total of released cells."""
    shown = [row for row in rows if row.supervised is not None]
    if not shown:
        return None

    def added(counts: list[rule.Count | None]) -> rule.Count:
        present = [count for count in counts if count is not None]
        return rule.Count(sum(count.low for count in present), sum(count.high for count in present))

    return TeamCoverage(TOTAL, sum(row.peers or 0 for row in shown), added([row.supervised for row in shown]),
                        added([row.without_supportive for row in shown]), None, None, {})


def supervision_coverage(session: Session, *, actor: User, on: date) -> SupervisionCoverage:
    """Per group and closed month, as released: coverage, sessions by kind and minutes per function; and the
    latest month's supervisor loads — for the latest `TREND_MONTHS` closed months."""
    scope = lead_scope(session, actor=actor)
    on = min(on, clock.today())
    release.ensure_released(session, program_id=scope.program_id, on=on)
    calendar = complete_months(on, TREND_MONTHS)
    topics = [release.COVERAGE, *(release.sessions_topic(kind) for kind in KINDS),
              *(release.minutes_topic(function) for function in SUPERVISION_FUNCTIONS)]
    data = release.read_released(session, program_id=scope.program_id, months=calendar, topics=topics, viewer=actor)
    months = tuple(month for month in data.months if data.get(release.COVERAGE, month))
    names = dict(queries.teams(session, program_id=scope.program_id))
    in_view = [team_id for team_id in sorted(names, key=lambda team_id: (names[team_id], team_id))
               if scope.team_ids is None or team_id in scope.team_ids]

    def groups(month: date) -> list[tuple[str, str]]:
        shown = [(release.team_key(team_id), names[team_id]) for team_id in in_view]
        if set(data.pooled.get(month, ())) & set(in_view):
            shown.append((release.POOL_KEY, POOL))
        if scope.team_ids is None:
            shown.append((release.PROGRAM_KEY, TOTAL))
        return shown

    def row(month: date, key: str, label: str) -> TeamCoverage | None:
        status = data.get(release.COVERAGE, month).get(key)
        if status is None:
            return None
        kinds = {kind: data.get(release.sessions_topic(kind), month).get(key) for kind in KINDS}
        spent = {function: data.get(release.minutes_topic(function), month).get(key)
                 for function in SUPERVISION_FUNCTIONS}
        if not status.released:
            return TeamCoverage(label, None, None, None, None, None, {}, status.reason, month)
        balance_reason = _reasons(*(_withheld(figure) for figure in spent.values()))
        supervised, unsupported = status.counts or (rule.Count(0, 0), rule.Count(0, 0))
        return TeamCoverage(
            team=label, peers=status.peers, supervised=supervised, without_supportive=unsupported,
            individual_sessions=_events(kinds["individual"]), group_sessions=_events(kinds["group"]),
            minutes={} if balance_reason else {function: _events(figure) or 0 for function, figure in spent.items()},
            reason=_reasons(*(_withheld(figure) for figure in kinds.values()), balance_reason), month=month,
        )

    cells = []
    for month in months:
        for key, label in groups(month):
            for kind in KINDS:
                figure = data.get(release.sessions_topic(kind), month).get(key)
                if data.get(release.COVERAGE, month).get(key) is not None:
                    cells.append(MonthSessions(month, label, kind, _events(figure), _withheld(figure)))
    latest = months[-1] if months else None
    rows = [] if latest is None else [shown for key, label in groups(latest)
                                      if (shown := row(latest, key, label)) is not None]
    teams = tuple(shown for shown in rows if shown.team != TOTAL)
    total = next((shown for shown in rows if shown.team == TOTAL), None) if scope.team_ids is None else _summed(teams)
    pooled_ids = data.pooled.get(latest, ()) if latest is not None else ()
    supervisors = () if latest is None else tuple(release.read_supervisors(
        session, program_id=scope.program_id, months=[latest], viewer=actor, team_ids=scope.team_ids))
    return SupervisionCoverage(
        released_months=months, teams=teams, month_cells=tuple(cells), supervisors=supervisors, k=scope.k,
        total=total, pooled=tuple(names[team_id] for team_id in in_view if team_id in pooled_ids),
        whole_program=scope.whole_program,
    )
