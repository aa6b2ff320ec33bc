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


def week_placement(program_id: int, weeks: Sequence[date]) -> Subquery:
    """(peer_id, week, team_id): the team each peer counts in for each ISO week starting on a Monday of `weeks`:
    the lowest-numbered team they belonged to during the week, as `month_placement` does for months."""
    calendar = union_all(*(
        select(literal(week, Date).label("first_day"), literal(week + timedelta(days=6), Date).label("last_day"))
        for week in weeks
    )).subquery("week_calendar")
    return (
        select(member.c.user_id.label("peer_id"), calendar.c.first_day.label("week"),
               func.min(member.c.team_id).label("team_id"))
        .select_from(member)
        .join(team_table, team_table.c.id == member.c.team_id)
        .join(calendar, and_(member.c.started_on <= calendar.c.last_day,
                             or_(member.c.ended_on.is_(None), member.c.ended_on >= calendar.c.first_day)))
        .where(team_table.c.program_id == program_id)
        .group_by(member.c.user_id, calendar.c.first_day)
        .subquery("week_placement")
    )


class PeerWeek(NamedTuple):
    peer_id: int
    week: date
    team_id: int
    checked_in: bool
    caseload: int | None
    hours: float | None
    after_hours_callouts: int | None
    hours_outside_role: float | None


def week_workload(session: Session, *, program_id: int, weeks: Sequence[date]) -> list[PeerWeek]:
    """Each peer placed in a team for each week of `weeks` (see `week_placement`), with what their check-in for the
    week reported, if they sent one."""
    if not weeks:
        return []
    placement = week_placement(program_id, weeks)
    return [PeerWeek(row.peer_id, row.week, row.team_id, row.checked_in is not None, row.caseload, row.hours,
                     row.after_hours_callouts, row.hours_outside_role) for row in session.execute(
        select(placement.c.peer_id, placement.c.week, placement.c.team_id, pulse.c.id.label("checked_in"),
               pulse.c.caseload, pulse.c.hours, pulse.c.after_hours_callouts, pulse.c.hours_outside_role)
        .select_from(placement)
        .join(user_table, user_table.c.id == placement.c.peer_id)
        .outerjoin(pulse, and_(pulse.c.peer_id == placement.c.peer_id, pulse.c.week_start == placement.c.week))
        .where(has_tag(user_table.c.roles, "peer", vocabulary=ROLES))
    )]


class MonthAttendance(NamedTuple):
    session_id: int
    kind: str
    supervisor_id: int
    supervisor: str
    peer_id: int
    team_id: int
    duration: int
    administrative: int
    educational: int
    supportive: int


def month_attendance(session: Session, *, program_id: int, month: date) -> list[MonthAttendance]:
    """Each attendance at a session held during `month` by a peer placed in a team for the month (see
    `month_placement`), with the session's kind, supervisor and minutes (metadata only)."""
    placement = month_placement(program_id, [month])
    supervisor = user_table.alias("supervisor")
    return [MonthAttendance(row.session_id, row.kind, row.supervisor_id, row.supervisor, row.peer_id, row.team_id,
                            int(row.duration or 0), int(row.administrative or 0), int(row.educational or 0),
                            int(row.supportive or 0)) for row in session.execute(
        select(supervision.c.id.label("session_id"), supervision.c.kind, supervision.c.supervisor_id,
               supervisor.c.display_name.label("supervisor"), placement.c.peer_id, placement.c.team_id,
               supervision.c.duration_minutes.label("duration"),
               supervision.c.minutes_administrative.label("administrative"),
               supervision.c.minutes_educational.label("educational"),
               supervision.c.minutes_supportive.label("supportive"))
        .join(attendee, attendee.c.session_id == supervision.c.id)
        .join(placement, placement.c.peer_id == attendee.c.peer_id)
        .join(supervisor, supervisor.c.id == supervision.c.supervisor_id)
        .join(user_table, user_table.c.id == placement.c.peer_id)
        .where(supervision.c.held_on >= month, supervision.c.held_on < next_month(month),
               has_tag(user_table.c.roles, "peer", vocabulary=ROLES))
    )]
