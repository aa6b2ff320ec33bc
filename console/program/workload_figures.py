"""Workload for program leads: caseload, hours and call-outs per team, never per named peer.

Every figure is read from the figures released when its period closed (`console.program.release`): each closed
ISO week per team, the pool and the program, released with the month its Sunday falls in, and each closed
month's caseloads. Nothing is computed from check-ins at page time, so a figure never changes after it is
shown and two readings cannot be differenced. The rule (k, pooling, ranges, the viewer's known peers) is
applied again for the viewer on reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from console.core import clock
from console.core.errors import ValidationError
from console.core.i18n import _
from console.program import release
from console.program.release import Figure
from console.program.wellness_figures import complete_months, lead_scope
from db import queries
from db.models import User
from scoring import release as rule

RELEASED_WEEKS = 12


@dataclass(frozen=True)
class WeekWorkload:
    """A group's closed week as released: peers placed in it and those who sent a check-in; the median and
    quartiles of the caseloads reported and peers above the guideline; median hours; after-hours call-outs
    reported; hours outside the peer role and peers who reported some. A measure is None when its figure is
    withheld, and `suppressed_reason` says why (the note)."""

    team: str
    week: date
    suppressed_reason: str | None
    peers: int | None = None
    checked_in: rule.Count | None = None
    median_caseload: float | None = None
    caseload_q1: float | None = None
    caseload_q3: float | None = None
    above_range: rule.Count | None = None
    median_hours: float | None = None
    callouts: int | None = None
    hours_outside_role: int | None = None
    peers_outside_role: rule.Count | None = None


@dataclass(frozen=True)
class Workload:
    """The released weeks shown (oldest first) and each group's rows: the lead's teams, the pool when one of
    them is in it, and the program for a lead of the whole program."""

    caseload_guideline: tuple[int, int]
    k: int
    released_weeks: tuple[date, ...]
    weeks: tuple[WeekWorkload, ...]

    @property
    def latest_week(self) -> date | None:
        return self.released_weeks[-1] if self.released_weeks else None

    @property
    def teams(self) -> tuple[WeekWorkload, ...]:
        """The latest released week's rows."""
        return tuple(row for row in self.weeks if row.week == self.latest_week)

    @property
    def above_range(self) -> rule.Count:
        """Peers above the guideline in the latest released week, over the teams shown (the pool and the program
        rows left out, so nobody is counted twice; a range where a team's count is one)."""
        shown = [row.above_range for row in self.teams
                 if row.above_range is not None and row.team not in (rule.POOL_GROUP, rule.PROGRAM_GROUP)]
        return rule.Count(sum(count.low for count in shown), sum(count.high for count in shown))


def _reasons(*figures: Figure | None) -> str | None:
    return "; ".join(dict.fromkeys(figure.reason for figure in figures
                                   if figure is not None and not figure.released and figure.reason)) or None


def _shown(figure: Figure | None) -> Figure | None:
    return figure if figure is not None and figure.released and figure.peers else None


def _count(figure: Figure | None) -> rule.Count | None:
    shown = _shown(figure)
    return shown.counts[0] if shown is not None and shown.counts else None


def released_weeks(on: date, count: int = RELEASED_WEEKS) -> tuple[date, ...]:
    """The Mondays of the latest `count` weeks released by `on`: weeks whose Sunday falls in a closed month."""
    weeks = [week for month in complete_months(on, count // 4 + 2) for week in release.weeks_ending_in(month)]
    return tuple(weeks[-count:])


def workload(session: Session, *, actor: User, on: date, weeks: int = RELEASED_WEEKS) -> Workload:
    """Per team (the pool, the program) and released week, the latest `weeks` closed weeks, as released."""
    if type(weeks) is not int or not 4 <= weeks <= 104:
        raise ValidationError(_("Show from 4 to 104 weeks of workload, not {weeks}.", weeks=repr(weeks)))
    scope = lead_scope(session, actor=actor)
    on = min(on, clock.today())
    release.ensure_released(session, program_id=scope.program_id, on=on)
    calendar = released_weeks(on, weeks)
    data = release.read_released(session, program_id=scope.program_id, months=calendar, topics=release.WEEK_TOPICS,
                                 viewer=actor, weekly=True)
    names = dict(queries.teams(session, program_id=scope.program_id))
    in_view = [team_id for team_id in sorted(names, key=lambda team_id: (names[team_id], team_id))
               if scope.team_ids is None or team_id in scope.team_ids]
    rows = []
    for week in data.months:
        groups = [(release.team_key(team_id), names[team_id]) for team_id in in_view]
        if set(data.pooled.get(week, ())) & set(in_view):
            groups.append((release.POOL_KEY, rule.POOL_GROUP))
        if scope.team_ids is None:
            groups.append((release.PROGRAM_KEY, rule.PROGRAM_GROUP))
        for key, label in groups:
            cells = {topic: data.get(topic, week).get(key) for topic in release.WEEK_TOPICS}
            placed = cells[release.WEEK_PARTICIPATION]
            if placed is None:
                continue
            caseload, hours = _shown(cells[release.WEEK_CASELOAD]), _shown(cells[release.WEEK_HOURS])
            callouts, outside = _shown(cells[release.WEEK_CALLOUTS]), _shown(cells[release.WEEK_OUTSIDE_ROLE])
            rows.append(WeekWorkload(
                team=label, week=week, suppressed_reason=_reasons(*cells.values()),
                peers=placed.peers if placed.released else None, checked_in=_count(placed),
                median_caseload=caseload.median if caseload else None, caseload_q1=caseload.q1 if caseload else None,
                caseload_q3=caseload.q3 if caseload else None, above_range=_count(caseload),
                median_hours=hours.median if hours else None, callouts=callouts.count_a if callouts else None,
                hours_outside_role=outside.count_b if outside else None, peers_outside_role=_count(outside),
            ))
    return Workload(scope.settings.caseload_guideline, scope.k, data.months, tuple(rows))


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
