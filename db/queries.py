"""Aggregate queries for team dashboards: grouping by team, week and month happens in SQL.

Each query returns at most one row per peer (per month or week) or per team,
never one per check-in. Queries know nothing of the access policy: callers pass
the program and the teams in scope.

Two ways of placing a peer in one team, so that teams partition peers and add
up to their total:

- `roster`: the active peers on a team today, each in the lowest-numbered of
  their current teams;
- `month_placement`: for each month, everyone on a team at any time during the
  month, each in the lowest-numbered of those teams. A closed month therefore
  keeps its figures when people later move, leave or are deactivated.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Date,
    String,
    Subquery,
    and_,
    case,
    distinct,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlmodel import Session

from db.columns import has_tag
from db.models import (
    ROLES,
    Assessment,
    AssessmentScore,
    ExposureTally,
    PulseCheckin,
    SessionAttendee,
    SupervisionAssignment,
    SupervisionSession,
    Team,
    TeamMembership,
    User,
    table_of,
)

team_table = table_of(Team)
member = table_of(TeamMembership)
user_table = table_of(User)
pulse = table_of(PulseCheckin)
assessment = table_of(Assessment)
score = table_of(AssessmentScore)
supervision = table_of(SupervisionSession)
attendee = table_of(SessionAttendee)
assignment = table_of(SupervisionAssignment)
tally = table_of(ExposureTally)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def _program_teams(program_id: int, team_ids: Collection[int] | None) -> list:
    conditions = [team_table.c.program_id == program_id]
    if team_ids is not None:
        conditions.append(team_table.c.id.in_(sorted(team_ids)))
    return conditions


def _member_on(day: date) -> list:
    return [member.c.started_on <= day, or_(member.c.ended_on.is_(None), member.c.ended_on >= day)]


def roster(program_id: int, on: date, team_ids: Collection[int] | None = None) -> Subquery:
    """(peer_id, team_id): active peers on a team in scope today, each once."""
    return (
        select(member.c.user_id.label("peer_id"), func.min(member.c.team_id).label("team_id"))
        .join(team_table, team_table.c.id == member.c.team_id)
        .join(user_table, user_table.c.id == member.c.user_id)
        .where(
            *_program_teams(program_id, team_ids),
            *_member_on(on),
            user_table.c.active.is_(True),
            has_tag(user_table.c.roles, "peer", vocabulary=ROLES),
        )
        .group_by(member.c.user_id)
        .subquery("roster")
    )


class RosterSize(NamedTuple):
    team_id: int
    peers: int


def roster_sizes(session: Session, *, program_id: int, on: date) -> list[RosterSize]:
    """Peers per team with active peers on the roster today."""
    current = roster(program_id, on)
    return [RosterSize(**row._mapping) for row in session.execute(
        select(current.c.team_id, func.count().label("peers")).group_by(current.c.team_id)
    )]


def after_months(month: date, span: int = 1) -> date:
    """The first day after the `span` calendar months from `month` (a quarter: span 3)."""
    for _ in range(span):
        month = next_month(month)
    return month


def _calendar(months: Sequence[date], span: int = 1) -> Subquery:
    rows = [
        select(
            literal(month.isoformat(), String).label("month"),
            literal(month, Date).label("first_day"),
            literal(after_months(month, span) - timedelta(days=1), Date).label("last_day"),
        )
        for month in months
    ]
    return union_all(*rows).subquery("calendar")


def month_placement(program_id: int, months: Sequence[date], span: int = 1) -> Subquery:
    """(peer_id, month, team_id): the team each peer counts in for each month (see the module docstring); with
    `span` 3, for each quarter starting at a month of `months`."""
    calendar = _calendar(months, span)
    return (
        select(member.c.user_id.label("peer_id"), calendar.c.month, func.min(member.c.team_id).label("team_id"))
        .select_from(member)
        .join(team_table, team_table.c.id == member.c.team_id)
        .join(
            calendar,
            and_(
                member.c.started_on <= calendar.c.last_day,
                or_(member.c.ended_on.is_(None), member.c.ended_on >= calendar.c.first_day),
            ),
        )
        .where(team_table.c.program_id == program_id)
        .group_by(member.c.user_id, calendar.c.month)
        .subquery("placement")
    )


def _month_of(column, months: Sequence[date], *, timestamps: bool, span: int = 1):
    """The ISO date of the month (`span` months from it) holding `column`, as text, for months in `months`."""
    bound = start_of_day if timestamps else (lambda day: day)
    return case(
        *(
            (and_(column >= bound(month), column < bound(after_months(month, span))), month.isoformat())
            for month in months
        ),
        else_=null(),
    )


def _month_range(column, months: Sequence[date], *, timestamps: bool, span: int = 1) -> list:
    bound = start_of_day if timestamps else (lambda day: day)
    return [column >= bound(months[0]), column < bound(after_months(months[-1], span))]


class TeamName(NamedTuple):
    id: int
    name: str


def teams(session: Session, *, program_id: int, team_ids: Collection[int] | None = None) -> list[TeamName]:
    """The program's teams in scope, by name."""
    return [TeamName(**row._mapping) for row in session.execute(
        select(team_table.c.id, team_table.c.name)
        .where(*_program_teams(program_id, team_ids))
        .order_by(team_table.c.name, team_table.c.id)
    )]


class ParticipationCount(NamedTuple):
    team_id: int
    peers: int
    checked_in: int
    assessed: int


def participation(
    session: Session, *, program_id: int, on: date, pulse_since: date, pulse_until: date,
    assessed_since: datetime, assessed_until: datetime,
) -> list[ParticipationCount]:
    """Per team: active peers today; those with a check-in
    for a week in [pulse_since, pulse_until); those with an assessment in [assessed_since, assessed_until)."""
    current = roster(program_id, on)
    checked_in = (
        select(pulse.c.peer_id)
        .where(pulse.c.week_start >= pulse_since, pulse.c.week_start < pulse_until)
        .distinct()
        .subquery("checked_in")
    )
    assessed = (
        select(assessment.c.peer_id)
        .where(assessment.c.taken_at >= assessed_since, assessment.c.taken_at < assessed_until)
        .distinct()
        .subquery("assessed")
    )
    return [ParticipationCount(**row._mapping) for row in session.execute(
        select(
            current.c.team_id,
            func.count().label("peers"),
            func.count(checked_in.c.peer_id).label("checked_in"),
            func.count(assessed.c.peer_id).label("assessed"),
        )
        .select_from(current)
        .outerjoin(checked_in, checked_in.c.peer_id == current.c.peer_id)
        .outerjoin(assessed, assessed.c.peer_id == current.c.peer_id)
        .group_by(current.c.team_id)
    )]


class ScoreSummary(NamedTuple):
    scale: str
    month: str
    team_id: int | None
    n: int
    median: float
    q1: float
    q3: float
    high: int
    banded: int


POOLED_TEAMS = -1


def monthly_score_summaries(
    session: Session, *, program_id: int, months: Sequence[date], scales_from: Mapping[str, date], high_band: int,
    pooled: Collection[int] = (), span: int = 1,
) -> list[ScoreSummary]:
    """Per scale, month and team, and with team_id None over all teams, the peers (n), median, quartiles,
    peers in the high band and peers with a band: from each peer's latest scored assessment of the month, for each
    scale in `scales_from` from the month given there to the last of `months`. With `pooled`, also over those
    teams together, as team_id `POOLED_TEAMS`.

    The median and quartiles are those of `statistics.quantiles(method="inclusive")`: with the n scores
    in order, quartile p lies at position (n - 1)·p, between two scores by linear interpolation.
    `high` counts peers in band `high_band`, `banded` peers with any band. With `span` 3, each of `months` starts a
    quarter: the figures are from each peer's latest scored assessment of the quarter, placed for the quarter.
    """
    month = _month_of(score.c.taken_at, months, timestamps=True, span=span).label("month")
    ranked = (
        select(
            score.c.peer_id,
            score.c.scale,
            score.c.raw,
            score.c.band,
            month,
            func.row_number()
            .over(
                partition_by=(score.c.peer_id, score.c.scale, month),
                order_by=(score.c.taken_at.desc(), score.c.assessment_id.desc()),
            )
            .label("position"),
        )
        .where(
            or_(*(
                and_(score.c.scale == scale,
                     *_month_range(score.c.taken_at, [first, months[-1]], timestamps=True, span=span))
                for scale, first in sorted(scales_from.items())
            )),
            score.c.raw.is_not(None),
        )
        .subquery("ranked")
    )
    placement = month_placement(program_id, months, span)
    placed = (
        select(ranked.c.scale, ranked.c.month, placement.c.team_id, ranked.c.raw, ranked.c.band)
        .join(placement, and_(placement.c.peer_id == ranked.c.peer_id, placement.c.month == ranked.c.month))
        .where(ranked.c.position == 1)
        .cte("placed")
    )
    branches = [
        select(placed.c.scale, placed.c.month, placed.c.team_id, placed.c.raw, placed.c.band),
        select(placed.c.scale, placed.c.month, null().label("team_id"), placed.c.raw, placed.c.band),
    ]
    if pooled:
        branches.append(
            select(placed.c.scale, placed.c.month, literal(POOLED_TEAMS).label("team_id"), placed.c.raw,
                   placed.c.band).where(placed.c.team_id.in_(sorted(pooled)))
        )
    grouped = union_all(*branches).subquery("grouped")
    group = (grouped.c.scale, grouped.c.month, grouped.c.team_id)
    ordered = select(
        *grouped.c,
        func.row_number().over(partition_by=group, order_by=grouped.c.raw).label("i"),
        func.count().over(partition_by=group).label("n"),
    ).subquery("ordered")
    i, n, raw = ordered.c.i, ordered.c.n, ordered.c.raw

    def at(position: ColumnElement[Any]) -> ColumnElement[Any]:
        return func.max(case((i == position, raw)))

    picked = (
        select(
            ordered.c.scale, ordered.c.month, ordered.c.team_id, func.max(n).label("n"),
            at((n + 1) // 2).label("m1"), at(n // 2 + 1).label("m2"),
            at((n - 1) // 4 + 1).label("a1"), at((n - 1) // 4 + 2).label("b1"),
            at(3 * (n - 1) // 4 + 1).label("a3"), at(3 * (n - 1) // 4 + 2).label("b3"),
            func.sum(case((ordered.c.band == high_band, 1), else_=0)).label("high"),
            func.count(ordered.c.band).label("banded"),
        )
        .group_by(ordered.c.scale, ordered.c.month, ordered.c.team_id)
        .subquery("picked")
    )
    c = picked.c

    def quartile(low: ColumnElement[Any], high: ColumnElement[Any], share: float, whole: int) -> ColumnElement[Any]:
        return low + ((c.n - 1) * share - whole * (c.n - 1) // 4) * (func.coalesce(high, low) - low)

    return [ScoreSummary(**row._mapping) for row in session.execute(
        select(
            c.scale, c.month, c.team_id, c.n, ((c.m1 + c.m2) / 2.0).label("median"),
            quartile(c.a1, c.b1, 0.25, 1).label("q1"), quartile(c.a3, c.b3, 0.75, 3).label("q3"), c.high, c.banded,
        )
    )]


class MonthParticipation(NamedTuple):
    team_id: int
    peers: int
    checked_in: int
    assessed: int


def month_participation(
    session: Session, *, program_id: int, month: date, span: int = 1
) -> list[MonthParticipation]:
    """Per team for one calendar month (`span` 3: the quarter starting at `month`): the peers placed in the team
    for the month (see `month_placement`), those who sent a check-in during the month (by when it was sent,
    so a late check-in counts in the month it arrived), and those who took a self-assessment in it."""
    placement = month_placement(program_id, [month], span)
    since, until = start_of_day(month), start_of_day(after_months(month, span))
    checked_in = (
        select(pulse.c.peer_id).where(pulse.c.taken_at >= since, pulse.c.taken_at < until).distinct()
        .subquery("checked_in")
    )
    assessed = (
        select(assessment.c.peer_id).where(assessment.c.taken_at >= since, assessment.c.taken_at < until)
        .distinct().subquery("assessed")
    )
    return [MonthParticipation(**row._mapping) for row in session.execute(
        select(
            placement.c.team_id,
            func.count().label("peers"),
            func.count(checked_in.c.peer_id).label("checked_in"),
            func.count(assessed.c.peer_id).label("assessed"),
        )
        .select_from(placement)
        .join(user_table, user_table.c.id == placement.c.peer_id)
        .outerjoin(checked_in, checked_in.c.peer_id == placement.c.peer_id)
        .outerjoin(assessed, assessed.c.peer_id == placement.c.peer_id)
        .where(has_tag(user_table.c.roles, "peer", vocabulary=ROLES))
        .group_by(placement.c.team_id)
    )]


class MonthSupervision(NamedTuple):
    team_id: int
    peers: int
    supervised: int
    supported: int


def month_supervision(session: Session, *, program_id: int, month: date) -> list[MonthSupervision]:
    """Per team for one calendar month: the peers placed in the team for the month (see `month_placement`), those
    at a supervision session held during the month, and those at one with supportive minutes (metadata only)."""
    placement = month_placement(program_id, [month])
    attended = (
        select(attendee.c.peer_id,
               func.max(case((supervision.c.minutes_supportive > 0, 1), else_=0)).label("supportive"))
        .join(supervision, supervision.c.id == attendee.c.session_id)
        .where(supervision.c.held_on >= month, supervision.c.held_on < next_month(month))
        .group_by(attendee.c.peer_id)
        .subquery("attended")
    )
    return [MonthSupervision(*row) for row in session.execute(
        select(
            placement.c.team_id,
            func.count().label("peers"),
            func.count(attended.c.peer_id).label("supervised"),
            func.coalesce(func.sum(attended.c.supportive), 0).label("supported"),
        )
        .select_from(placement)
        .join(user_table, user_table.c.id == placement.c.peer_id)
        .outerjoin(attended, attended.c.peer_id == placement.c.peer_id)
        .where(has_tag(user_table.c.roles, "peer", vocabulary=ROLES))
        .group_by(placement.c.team_id)
    )]


class MonthCaseload(NamedTuple):
    peer_id: int
    team_id: int
    caseload: int


def month_caseloads(session: Session, *, program_id: int, month: date) -> list[MonthCaseload]:
    """Each peer placed in a team for the month (see `month_placement`) with their caseload from their latest
    check-in for a week starting in the month that reported one."""
    placement = month_placement(program_id, [month])
    ranked = (
        select(pulse.c.peer_id, pulse.c.caseload,
               func.row_number().over(partition_by=pulse.c.peer_id, order_by=pulse.c.week_start.desc())
               .label("position"))
        .where(pulse.c.week_start >= month, pulse.c.week_start < next_month(month), pulse.c.caseload.is_not(None))
        .subquery("ranked")
    )
    return [MonthCaseload(*row) for row in session.execute(
        select(ranked.c.peer_id, placement.c.team_id, ranked.c.caseload)
        .join(placement, placement.c.peer_id == ranked.c.peer_id)
        .join(user_table, user_table.c.id == ranked.c.peer_id)
        .where(ranked.c.position == 1, has_tag(user_table.c.roles, "peer", vocabulary=ROLES))
    )]


class Membership(NamedTuple):
    user_id: int
    team_id: int
    started_on: date
    ended_on: date | None


def memberships_of(session: Session, *, program_id: int, user_ids: Collection[int]) -> list[Membership]:
    """The team memberships of the given people on the program's teams."""
    if not user_ids:
        return []
    return [Membership(**row._mapping) for row in session.execute(
        select(member.c.user_id, member.c.team_id, member.c.started_on, member.c.ended_on)
        .join(team_table, team_table.c.id == member.c.team_id)
        .where(team_table.c.program_id == program_id, member.c.user_id.in_(sorted(user_ids)))
    )]


def first_membership(session: Session, *, program_id: int) -> date | None:
    """The day the program's first team membership started."""
    return session.execute(
        select(func.min(member.c.started_on)).join(team_table, team_table.c.id == member.c.team_id)
        .where(team_table.c.program_id == program_id)
    ).scalar()


class ExposureRow(NamedTuple):
    team_id: int
    month: str
    exposures: int
    peers: int


def monthly_exposures(session: Session, *, program_id: int, months: Sequence[date]) -> list[ExposureRow]:
    """(team_id, month, exposures, peers) per team and month with check-ins: the exposures counted in
    `ExposureTally` for check-in weeks starting in the month (no one's checklist is read), and the
    distinct peers who checked in."""
    month = _month_of(pulse.c.week_start, months, timestamps=False).label("month")
    checked_in = (
        select(pulse.c.peer_id, month)
        .where(*_month_range(pulse.c.week_start, months, timestamps=False))
        .distinct()
        .subquery("checked_in")
    )
    placement = month_placement(program_id, months)
    peers = session.execute(
        select(placement.c.team_id, checked_in.c.month, func.count().label("peers"))
        .select_from(checked_in)
        .join(placement, and_(placement.c.peer_id == checked_in.c.peer_id, placement.c.month == checked_in.c.month))
        .group_by(placement.c.team_id, checked_in.c.month)
    ).all()
    counted = {
        (row.team_id, row.month.isoformat()): row.total
        for row in session.execute(
            select(tally.c.team_id, tally.c.month, func.sum(tally.c.count).label("total"))
            .join(team_table, team_table.c.id == tally.c.team_id)
            .where(team_table.c.program_id == program_id, tally.c.month.in_(list(months)))
            .group_by(tally.c.team_id, tally.c.month)
        )
    }
    return [ExposureRow(row.team_id, row.month, int(counted.get((row.team_id, row.month), 0)), row.peers)
            for row in peers]


def _latest_caseload(since: date) -> Subquery:
    ranked = (
        select(
            pulse.c.peer_id,
            pulse.c.caseload,
            func.row_number().over(partition_by=pulse.c.peer_id, order_by=pulse.c.week_start.desc()).label("position"),
        )
        .where(pulse.c.week_start >= since, pulse.c.caseload.is_not(None))
        .subquery("ranked_caseload")
    )
    return select(ranked.c.peer_id, ranked.c.caseload).where(ranked.c.position == 1).subquery("latest_caseload")


class PeerWorkloadRow(NamedTuple):
    peer_id: int
    team_id: int
    caseload: int | None
    hours: float | None
    after_hours_callouts: float | None
    hours_outside_role: float | None
    weeks: int


def peer_workload(
    session: Session, *, program_id: int, on: date, since: date, team_ids: Collection[int] | None = None
) -> list[PeerWorkloadRow]:
    """Per peer on the roster: the latest caseload reported for a week from `since`, weekly mean hours and
    call-outs, and total hours outside the peer role over those weeks."""
    current = roster(program_id, on, team_ids)
    latest = _latest_caseload(since)
    weekly = (
        select(
            pulse.c.peer_id,
            func.avg(pulse.c.hours).label("hours"),
            func.avg(pulse.c.after_hours_callouts).label("after_hours_callouts"),
            func.sum(pulse.c.hours_outside_role).label("hours_outside_role"),
            func.count().label("weeks"),
        )
        .where(pulse.c.week_start >= since)
        .group_by(pulse.c.peer_id)
        .subquery("weekly")
    )
    return [PeerWorkloadRow(**row._mapping) for row in session.execute(
        select(
            current.c.peer_id,
            current.c.team_id,
            latest.c.caseload,
            weekly.c.hours,
            weekly.c.after_hours_callouts,
            weekly.c.hours_outside_role,
            func.coalesce(weekly.c.weeks, 0).label("weeks"),
        )
        .select_from(current)
        .outerjoin(latest, latest.c.peer_id == current.c.peer_id)
        .outerjoin(weekly, weekly.c.peer_id == current.c.peer_id)
    )]


class WeekWorkloadRow(NamedTuple):
    team_id: int
    week_start: date
    peers: int
    caseload: float | None
    above: int | None
    hours: float | None
    after_hours_callouts: float | None
    hours_outside_role: float | None


def weekly_workload(
    session: Session, *, program_id: int, on: date, since: date, guideline_max: int,
    team_ids: Collection[int] | None = None,
) -> list[WeekWorkloadRow]:
    """Per team and week from `since`, for the peers on the roster today: peers, mean caseload, peers above
    `guideline_max`, mean hours, mean after-hours call-outs, hours outside the role."""
    current = roster(program_id, on, team_ids)
    return [WeekWorkloadRow(**row._mapping) for row in session.execute(
        select(
            current.c.team_id,
            pulse.c.week_start,
            func.count().label("peers"),
            func.avg(pulse.c.caseload).label("caseload"),
            func.sum(case((pulse.c.caseload > guideline_max, 1), else_=0)).label("above"),
            func.avg(pulse.c.hours).label("hours"),
            func.avg(pulse.c.after_hours_callouts).label("after_hours_callouts"),
            func.sum(pulse.c.hours_outside_role).label("hours_outside_role"),
        )
        .select_from(pulse)
        .join(current, current.c.peer_id == pulse.c.peer_id)
        .where(pulse.c.week_start >= since)
        .group_by(current.c.team_id, pulse.c.week_start)
    )]


class TeamCaseload(NamedTuple):
    team_id: int
    caseload: int


def latest_caseloads(session: Session, *, program_id: int, on: date, since: date) -> list[TeamCaseload]:
    """The latest caseload of each peer on the roster, reported for a week from `since`, with their team: one
    index lookup per peer on the roster, whatever the size of other programs."""
    current = roster(program_id, on)
    latest = (
        select(pulse.c.caseload)
        .where(pulse.c.peer_id == current.c.peer_id, pulse.c.week_start >= since, pulse.c.caseload.is_not(None))
        .order_by(pulse.c.week_start.desc())
        .limit(1)
        .scalar_subquery()
    )
    reported = select(current.c.team_id, latest.label("caseload")).subquery("reported")
    return [TeamCaseload(**row._mapping) for row in session.execute(
        select(reported.c.team_id, reported.c.caseload).where(reported.c.caseload.is_not(None))
    )]


class CoverageCount(NamedTuple):
    team_id: int
    peers: int
    supervised: int
    supported: int


def supervision_coverage(
    session: Session, *, program_id: int, on: date, recent_since: date, supportive_since: date,
    team_ids: Collection[int] | None = None,
) -> list[CoverageCount]:
    """Per team: peers on the roster, those at a session
    held from `recent_since`, those at a session with supportive minutes held from `supportive_since`."""
    current = roster(program_id, on, team_ids)
    earliest = min(recent_since, supportive_since)
    attended = (
        select(
            attendee.c.peer_id,
            func.max(case((supervision.c.held_on >= recent_since, 1), else_=0)).label("recent"),
            func.max(
                case(
                    (and_(supervision.c.held_on >= supportive_since, supervision.c.minutes_supportive > 0), 1),
                    else_=0,
                )
            ).label("supportive"),
        )
        .join(supervision, supervision.c.id == attendee.c.session_id)
        .where(supervision.c.held_on >= earliest, supervision.c.held_on <= on)
        .group_by(attendee.c.peer_id)
        .subquery("attended")
    )
    return [CoverageCount(**row._mapping) for row in session.execute(
        select(
            current.c.team_id,
            func.count().label("peers"),
            func.coalesce(func.sum(attended.c.recent), 0).label("supervised"),
            func.coalesce(func.sum(attended.c.supportive), 0).label("supported"),
        )
        .select_from(current)
        .outerjoin(attended, attended.c.peer_id == current.c.peer_id)
        .group_by(current.c.team_id)
    )]


def _attended_sessions(current: Subquery, *, since: date, until: date) -> Subquery:
    """(session_id, team_id): sessions held in [since, until] with a roster peer, once per team.

    The roster is joined on `peer_id + 0` so that SQLite starts from the few
    sessions in the window (by date) rather than from every attendance of every
    roster peer; the result is the same on any database.
    """
    return (
        select(supervision.c.id.label("session_id"), current.c.team_id)
        .join(attendee, attendee.c.session_id == supervision.c.id)
        .join(current, current.c.peer_id == attendee.c.peer_id + 0)
        .where(supervision.c.held_on >= since, supervision.c.held_on <= until)
        .distinct()
        .subquery("attended_sessions")
    )


class TeamSessions(NamedTuple):
    team_id: int
    kind: str
    sessions: int
    administrative: int | None
    educational: int | None
    supportive: int | None


def team_sessions(
    session: Session, *, program_id: int, on: date, since: date, team_ids: Collection[int] | None = None
) -> list[TeamSessions]:
    """Sessions and minutes per function (administrative, educational, supportive) per team and kind,
    for sessions held from `since` with at least one roster peer of the team; a group session
    counts once for each team it had peers from."""
    pairs = _attended_sessions(roster(program_id, on, team_ids), since=since, until=on)
    return [TeamSessions(**row._mapping) for row in session.execute(
        select(
            pairs.c.team_id,
            supervision.c.kind,
            func.count().label("sessions"),
            func.sum(supervision.c.minutes_administrative).label("administrative"),
            func.sum(supervision.c.minutes_educational).label("educational"),
            func.sum(supervision.c.minutes_supportive).label("supportive"),
        )
        .select_from(pairs)
        .join(supervision, supervision.c.id == pairs.c.session_id)
        .group_by(pairs.c.team_id, supervision.c.kind)
    )]


class AttendanceRow(NamedTuple):
    session_id: int
    held_on: date
    kind: str
    supervisor_id: int
    peer_id: int
    team_id: int
    administrative: int | None
    educational: int | None
    supportive: int | None


def roster_attendance(
    session: Session, *, program_id: int, on: date, since: date, until: date,
    team_ids: Collection[int] | None = None,
) -> list[AttendanceRow]:
    """Each attendance of a peer on the roster today at a session held in [since, until], with the peer's roster
    team and the session's kind, supervisor and minutes per function (metadata only)."""
    current = roster(program_id, on, team_ids)
    return [AttendanceRow(*row) for row in session.execute(
        select(
            supervision.c.id.label("session_id"),
            supervision.c.held_on,
            supervision.c.kind,
            supervision.c.supervisor_id,
            current.c.peer_id,
            current.c.team_id,
            supervision.c.minutes_administrative.label("administrative"),
            supervision.c.minutes_educational.label("educational"),
            supervision.c.minutes_supportive.label("supportive"),
        )
        .join(attendee, attendee.c.session_id == supervision.c.id)
        .join(current, current.c.peer_id == attendee.c.peer_id + 0)
        .where(supervision.c.held_on >= since, supervision.c.held_on <= until)
    )]


class MonthSessionCell(NamedTuple):
    month: str
    kind: str
    sessions: int
    peers: int
    known: int


def monthly_session_cells(
    session: Session, *, program_id: int, on: date, months: Sequence[date], known: Collection[int],
    team_ids: Collection[int] | None = None,
) -> list[MonthSessionCell]:
    """Per month (ISO date of its first day) and kind: sessions held in `months` with at least one roster peer, the
    distinct roster peers who attended them, and how many of those are in `known`."""
    current = roster(program_id, on, team_ids)
    month = _month_of(supervision.c.held_on, months, timestamps=False).label("month")
    known_peer = case((current.c.peer_id.in_(sorted(known)), current.c.peer_id), else_=null()) if known else null()
    return [MonthSessionCell(*row) for row in session.execute(
        select(month, supervision.c.kind, func.count(distinct(supervision.c.id)).label("sessions"),
               func.count(distinct(current.c.peer_id)).label("peers"), func.count(distinct(known_peer)).label("known"))
        .join(attendee, attendee.c.session_id == supervision.c.id)
        .join(current, current.c.peer_id == attendee.c.peer_id + 0)
        .where(*_month_range(supervision.c.held_on, months, timestamps=False))
        .group_by(month, supervision.c.kind)
    )]


class RosterPeer(NamedTuple):
    peer_id: int
    team_id: int


def roster_peers(
    session: Session, *, program_id: int, on: date, team_ids: Collection[int] | None = None
) -> list[RosterPeer]:
    """(peer_id, team_id) of every active peer on a team in scope today, each once."""
    current = roster(program_id, on, team_ids)
    return [RosterPeer(**row._mapping) for row in session.execute(select(current.c.peer_id, current.c.team_id))]


class MonthSessions(NamedTuple):
    month: str
    kind: str
    sessions: int


def monthly_sessions(
    session: Session, *, program_id: int, on: date, months: Sequence[date], team_ids: Collection[int] | None = None
) -> list[MonthSessions]:
    """Sessions per month (ISO date of its first day) and kind, held in `months` with at least one roster peer."""
    current = roster(program_id, on, team_ids)
    with_roster_peer = (
        select(attendee.c.session_id)
        .join(current, current.c.peer_id == attendee.c.peer_id)
        .where(attendee.c.session_id == supervision.c.id)
        .exists()
    )
    month = _month_of(supervision.c.held_on, months, timestamps=False).label("month")
    return [MonthSessions(**row._mapping) for row in session.execute(
        select(month, supervision.c.kind, func.count().label("sessions"))
        .where(*_month_range(supervision.c.held_on, months, timestamps=False), with_roster_peer)
        .group_by(month, supervision.c.kind)
    )]


class SupervisorLoadRow(NamedTuple):
    supervisor_id: int
    name: str
    supervisees: int
    sessions: int
    group_sessions: int
    minutes: int
    supportive_minutes: int


def supervisor_loads(
    session: Session, *, program_id: int, on: date, since: date, team_ids: Collection[int] | None = None
) -> list[SupervisorLoadRow]:
    """Supervisees, sessions, group sessions, minutes and supportive minutes per supervisor with an active
    assignment to a roster peer: supervisees on the roster, and their sessions held from `since` that had a
    roster peer."""
    current = roster(program_id, on, team_ids)
    supervisees = (
        select(assignment.c.supervisor_id, func.count(distinct(assignment.c.supervisee_id)).label("supervisees"))
        .join(current, current.c.peer_id == assignment.c.supervisee_id)
        .where(assignment.c.started_on <= on, or_(assignment.c.ended_on.is_(None), assignment.c.ended_on >= on))
        .group_by(assignment.c.supervisor_id)
        .subquery("supervisees")
    )
    attended = select(_attended_sessions(current, since=since, until=on).c.session_id)
    held = (
        select(
            supervision.c.supervisor_id,
            func.count().label("sessions"),
            func.sum(case((supervision.c.kind == "group", 1), else_=0)).label("group_sessions"),
            func.sum(supervision.c.duration_minutes).label("minutes"),
            func.sum(supervision.c.minutes_supportive).label("supportive_minutes"),
        )
        .where(supervision.c.id.in_(attended))
        .group_by(supervision.c.supervisor_id)
        .subquery("held")
    )
    return [SupervisorLoadRow(**row._mapping) for row in session.execute(
        select(
            supervisees.c.supervisor_id,
            user_table.c.display_name.label("name"),
            supervisees.c.supervisees,
            func.coalesce(held.c.sessions, 0).label("sessions"),
            func.coalesce(held.c.group_sessions, 0).label("group_sessions"),
            func.coalesce(held.c.minutes, 0).label("minutes"),
            func.coalesce(held.c.supportive_minutes, 0).label("supportive_minutes"),
        )
        .join(user_table, user_table.c.id == supervisees.c.supervisor_id)
        .outerjoin(held, held.c.supervisor_id == supervisees.c.supervisor_id)
        .order_by(user_table.c.display_name)
    )]
