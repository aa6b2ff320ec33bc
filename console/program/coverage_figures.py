"""Supervision coverage for program leads, from session metadata only: dates, kinds and minutes
per function. Narrative, notes and private reflections are never read here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

import scoring
from console.core import clock
from console.program.wellness_figures import TREND_MONTHS, complete_months, lead_scope
from db import queries
from db.models import SUPERVISION_FUNCTIONS, User


@dataclass(frozen=True)
class TeamCoverage:
    team: str
    peers: int
    supervised: int
    without_supportive: int
    individual_sessions: int
    group_sessions: int
    minutes: dict[str, int]

    @property
    def supervised_share(self) -> float | None:
        return self.supervised / self.peers if self.peers else None

    @property
    def function_shares(self) -> dict[str, float | None]:
        total = sum(self.minutes.values())
        return {function: (self.minutes[function] / total if total else None) for function in SUPERVISION_FUNCTIONS}


@dataclass(frozen=True)
class MonthSessions:
    month: date
    kind: str
    sessions: int


@dataclass(frozen=True)
class SupervisorLoad:
    supervisor: str
    supervisees: int
    sessions: int
    group_sessions: int
    minutes: int
    supportive_minutes: int


@dataclass(frozen=True)
class SupervisionCoverage:
    """`recent_from` and `supportive_from` are the earliest session dates that still count as supervised and
    supportively supervised: the cut-offs of the prep flags' gaps (`scoring.gap_cutoff`), so both pages agree."""

    recent_days: int
    supportive_days: int
    balance_days: int
    recent_from: date
    supportive_from: date
    balance_from: date
    teams: tuple[TeamCoverage, ...]
    months: tuple[MonthSessions, ...]
    supervisors: tuple[SupervisorLoad, ...]

    @property
    def peers(self) -> int:
        return sum(team.peers for team in self.teams)

    @property
    def supervised(self) -> int:
        return sum(team.supervised for team in self.teams)

    @property
    def without_supportive(self) -> int:
        return sum(team.without_supportive for team in self.teams)


def supervision_coverage(session: Session, *, actor: User, on: date) -> SupervisionCoverage:
    """Per team: peers supervised within the supervision gap, without supportive supervision within the
    supportive gap (both counted as the prep flags count them), sessions by kind and minutes per function over
    the balance window; sessions by kind per month; supervisor loads."""
    scope = lead_scope(session, actor=actor)
    settings = scope.settings
    on = min(on, clock.today())
    names = dict(queries.teams(session, program_id=scope.program_id, team_ids=scope.team_ids))
    recent_from = scoring.gap_cutoff(on, settings.supervision_gap_days)
    supportive_from = scoring.gap_cutoff(on, settings.supportive_gap_days)
    balance_from = scoring.window_start(on, settings.balance_window_days)
    in_scope = {"program_id": scope.program_id, "on": on, "team_ids": scope.team_ids}
    coverage = {
        team_id: (peers, int(supervised), int(supported))
        for team_id, peers, supervised, supported in queries.supervision_coverage(
            session, recent_since=recent_from, supportive_since=supportive_from, **in_scope
        )
    }
    kinds: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    minutes: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(SUPERVISION_FUNCTIONS, 0))
    for team_id, kind, sessions, administrative, educational, supportive in queries.team_sessions(
        session, since=balance_from, **in_scope
    ):
        kinds[team_id][kind] += sessions
        for function, spent in zip(SUPERVISION_FUNCTIONS, (administrative, educational, supportive), strict=True):
            minutes[team_id][function] += int(spent or 0)
    teams = sorted(
        (
            TeamCoverage(
                team=names[team_id],
                peers=peers,
                supervised=supervised,
                without_supportive=peers - supported,
                individual_sessions=kinds[team_id]["individual"],
                group_sessions=kinds[team_id]["group"],
                minutes=dict(minutes[team_id]),
            )
            for team_id, (peers, supervised, supported) in coverage.items()
        ),
        key=lambda team: team.team,
    )
    months = [
        MonthSessions(date.fromisoformat(month), kind, sessions)
        for month, kind, sessions in queries.monthly_sessions(
            session, months=complete_months(on, TREND_MONTHS), **in_scope
        )
    ]
    supervisors = [
        SupervisorLoad(name, supervisees, sessions, group_sessions, int(total), int(supportive))
        for _, name, supervisees, sessions, group_sessions, total, supportive in queries.supervisor_loads(
            session, since=balance_from, **in_scope
        )
    ]
    return SupervisionCoverage(
        recent_days=settings.supervision_gap_days,
        supportive_days=settings.supportive_gap_days,
        balance_days=settings.balance_window_days,
        recent_from=recent_from,
        supportive_from=supportive_from,
        balance_from=balance_from,
        teams=tuple(teams),
        months=tuple(sorted(months, key=lambda row: (row.month, row.kind))),
        supervisors=tuple(supervisors),
    )
