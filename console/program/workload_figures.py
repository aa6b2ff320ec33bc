"""Workload for program leads: caseload, hours and call-outs per team, never per named peer.

Caseload and hours are operational data, but who reported them in a week is participation, so a team's
row (and a team's week) is shown only when built from at least `k` peers, under the same release rule as the
wellness figures (`scoring.release`); nobody is named. Figures are for the peers on the lead's teams today.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import SupportsFloat

from sqlmodel import Session

from console.core import clock
from console.core.dates import week_start
from console.core.errors import ValidationError
from console.core.i18n import _
from console.policy.access import people_known_to
from console.program import release
from console.program.wellness_figures import complete_months, lead_scope
from db import queries
from db.models import User
from scoring import release as rule

RECENT_WEEKS = 4


@dataclass(frozen=True)
class PeerWorkload:
    """One unnamed peer over the recent weeks: latest caseload, mean weekly hours and call-outs, hours outside
    the role. Used only to build team figures; never shown or downloaded."""

    team: str
    caseload: int | None
    hours: float | None
    after_hours_callouts: float | None
    hours_outside_role: float | None
    weeks_reported: int
    caseload_status: str


def caseload_status(caseload: int | None, guideline: tuple[int, int]) -> str:
    """Where a caseload stands against the program's guideline range."""
    if caseload is None:
        return "not reported"
    low, high = guideline
    if caseload > high:
        return f"above {high}"
    if caseload < low:
        return f"below {low}"
    return "within range"


@dataclass(frozen=True)
class TeamWorkload:
    team: str
    peers: int | None
    suppressed_reason: str | None
    median_caseload: float | None
    above_range: rule.Count | None
    mean_hours: float | None
    mean_callouts: float | None
    hours_outside_role: float | None
    peers_outside_role: int | None


@dataclass(frozen=True)
class WeekWorkload:
    team: str
    week: date
    suppressed_reason: str | None
    mean_caseload: float | None
    above_range: rule.Count | None
    mean_hours: float | None
    mean_callouts: float | None
    hours_outside_role: float | None


@dataclass(frozen=True)
class Workload:
    caseload_guideline: tuple[int, int]
    recent_from: date
    weeks_from: date
    k: int
    peers: tuple[PeerWorkload, ...]
    teams: tuple[TeamWorkload, ...]
    weeks: tuple[WeekWorkload, ...]

    @property
    def above_range(self) -> rule.Count:
        """Peers above the guideline, over the teams shown (a range where a team's count is one)."""
        shown = [team.above_range for team in self.teams if team.suppressed_reason is None and team.above_range]
        return rule.Count(sum(count.low for count in shown), sum(count.high for count in shown))

    @property
    def shown_caseloads(self) -> tuple[PeerWorkload, ...]:
        """Unnamed caseloads of the teams shown, for the distribution chart."""
        shown = {team.team for team in self.teams if team.suppressed_reason is None}
        return tuple(peer for peer in self.peers if peer.team in shown and peer.caseload is not None)


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def workload(session: Session, *, actor: User, on: date, weeks: int = 12) -> Workload:
    """Per peer and per team over the last four weeks (this one included), and per team and week
    over the last `weeks` weeks."""
    if type(weeks) is not int or not 4 <= weeks <= 104:
        raise ValidationError(_("Show from 4 to 104 weeks of workload, not {weeks}.", weeks=repr(weeks)))
    scope = lead_scope(session, actor=actor)
    guideline = scope.settings.caseload_guideline
    on = min(on, clock.today())
    names = {team.id: team.name for team in queries.teams(session, program_id=scope.program_id, team_ids=scope.team_ids)}
    recent_from = week_start(on) - timedelta(weeks=RECENT_WEEKS - 1)
    weeks_from = week_start(on) - timedelta(weeks=weeks - 1)
    known = people_known_to(session, actor=actor)
    rows = queries.peer_workload(session, program_id=scope.program_id, on=on, since=recent_from, team_ids=scope.team_ids)
    known_by_team: dict[str, int] = defaultdict(int)
    for row in rows:
        known_by_team[names[row.team_id]] += row.peer_id in known
    peers = sorted(
        (
            PeerWorkload(names[row.team_id], row.caseload, _float(row.hours), _float(row.after_hours_callouts),
                         _float(row.hours_outside_role), row.weeks, caseload_status(row.caseload, guideline))
            for row in rows
        ),
        key=lambda peer: (peer.team, peer.caseload or 0),
    )
    by_team: dict[str, list[PeerWorkload]] = defaultdict(list)
    for peer in peers:
        by_team[peer.team].append(peer)
    teams = []
    shown = rule.release_line(
        [rule.Part(team, len(members), counts=(sum(1 for peer in members if (peer.caseload or 0) > guideline[1]),),
                   known=known_by_team[team])
         for team, members in sorted(by_team.items())],
        k=scope.k,
    )
    for team in sorted(by_team):
        members = by_team[team]
        caseloads = [peer.caseload for peer in members if peer.caseload is not None]
        outside = [peer.hours_outside_role for peer in members if peer.hours_outside_role]
        reason = shown[team].reason
        if reason is not None:
            teams.append(TeamWorkload(team, None, reason, None, None, None, None, None, None))
            continue
        teams.append(TeamWorkload(
            team=team,
            peers=len(members),
            suppressed_reason=None,
            median_caseload=statistics.median(caseloads) if caseloads else None,
            above_range=shown[team].counts[0],
            mean_hours=_mean([peer.hours for peer in members if peer.hours is not None]),
            mean_callouts=_mean([peer.after_hours_callouts for peer in members if peer.after_hours_callouts is not None]),
            hours_outside_role=sum(outside),
            peers_outside_role=len(outside),
        ))

    def week_row(row: queries.WeekWorkloadRow) -> WeekWorkload:
        team = names[row.team_id]
        cell = rule.release_line([rule.Part(team, row.peers, counts=(int(row.above or 0),), known=known_by_team[team])],
                                 k=scope.k)[team]
        if cell.reason is not None:
            return WeekWorkload(team, row.week_start, cell.reason, None, None, None, None, None)
        return WeekWorkload(team, row.week_start, None, _float(row.caseload), cell.counts[0], _float(row.hours),
                            _float(row.after_hours_callouts), _float(row.hours_outside_role) or 0.0)

    week_rows = sorted(
        (
            week_row(row)
            for row in queries.weekly_workload(
                session, program_id=scope.program_id, on=on, since=weeks_from, guideline_max=guideline[1],
                team_ids=scope.team_ids,
            )
        ),
        key=lambda row: (row.team, row.week),
    )
    return Workload(guideline, recent_from, weeks_from, scope.k, tuple(peers), tuple(teams), tuple(week_rows))


def _float(value: SupportsFloat | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class ReleasedCaseload:
    """A group's caseloads in a closed month, as released: peers who reported one, the median and quartiles of
    each one's latest of the month, and peers above the guideline (exact or a range), or why it is withheld."""

    team: str
    peers: int | None
    median: float | None
    q1: float | None
    q3: float | None
    above_range: rule.Count | None
    reason: str | None


@dataclass(frozen=True)
class ReleasedMonthWorkload:
    month: date
    guideline_max: int
    rows: tuple[ReleasedCaseload, ...]


def released_caseloads(session: Session, *, actor: User, on: date) -> ReleasedMonthWorkload:
    """The latest closed month's caseloads per team, the pool and the program, read from the figures released when
    the month closed (so they never change after they are shown), for the groups the lead covers."""
    scope = lead_scope(session, actor=actor)
    on = min(on, clock.today())
    release.ensure_released(session, program_id=scope.program_id, on=on)
    month = complete_months(on, 1)[0]
    rows = []
    for label, cell in release.latest_groups(session, program_id=scope.program_id, team_ids=scope.team_ids,
                                             month=month, topic=release.WORKLOAD, viewer=actor):
        if not cell.released or not cell.peers:
            rows.append(ReleasedCaseload(label, cell.peers if cell.released else None, None, None, None, None,
                                         cell.reason if not cell.released else rule.NO_DATA_REASON))
            continue
        rows.append(ReleasedCaseload(label, cell.peers, cell.median, cell.q1, cell.q3,
                                     cell.counts[0] if cell.counts else None, None))
    return ReleasedMonthWorkload(month, scope.settings.caseload_guideline[1], tuple(rows))
