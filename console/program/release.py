"""Lead figures released once per closed calendar month and read back under the release rule.

`release_due` computes every closed month not yet released, for every team, the smaller teams combined and
the whole program, applies `scoring.release` and stores the cells (`ReleasedFigure`) with a marker row
(`FigureRelease`) in one transaction. The marker's unique key makes a second or concurrent releaser store
nothing. `read_released` reads those cells and applies the rule again for the viewer, which can only
withhold more: the viewer's own data and their supervisees' never count toward k for them.

Figures never change once released: a check-in sent after its month closed counts toward participation in
the month it was sent (see docs/release.md).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_, or_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Row
from sqlmodel import Session, col, select

from console.core import clock
from console.core.keys import check_before_write
from console.core.program_settings import ProgramSettings, read_settings
from console.notify import notifications
from console.notify.kinds import FIGURES_RELEASED, split_codes
from console.program import equity, fieldwork_figures
from console.wellness.instruments import periodic_instrument
from db import queries
from db.columns import has_tag
from db.models import (
    BAND_CODES,
    ROLES,
    FigureRelease,
    Program,
    ReleasedFigure,
    SupervisionAssignment,
    User,
    table_of,
)
from scoring import release as rule

PARTICIPATION = "participation"
EXPOSURES = "exposures"
COVERAGE = "coverage"
WORKLOAD = "workload"
"""Caseload of the month: each placed peer's latest reported caseload of a week starting in the month (median,
quartiles, peers above the program's guideline)."""
"""Supervision coverage of the month: peers placed in the group, those at a session during the month, and those
without a session with supportive minutes during it."""
WEEK_PARTICIPATION = "week:participation"
"""A closed week: peers placed in the group during the week, and those who sent a check-in for it."""
WEEK_CASELOAD = "week:caseload"
"""A closed week: peers who reported a caseload on their check-in (median, quartiles, peers above the guideline)."""
WEEK_HOURS = "week:hours"
"""A closed week: peers who reported hours worked (median and quartiles of the hours)."""
WEEK_CALLOUTS = "week:callouts"
"""A closed week: peers who reported after-hours call-outs, and the call-outs they reported (events)."""
WEEK_OUTSIDE_ROLE = "week:outside_role"
"""A closed week: peers who reported hours outside the role (none included), those with some, and the hours."""
WEEK_TOPICS = (WEEK_PARTICIPATION, WEEK_CASELOAD, WEEK_HOURS, WEEK_CALLOUTS, WEEK_OUTSIDE_ROLE)
SESSION_KINDS = ("individual", "group")
FUNCTIONS = ("administrative", "educational", "supportive")
SUPERVISOR = "coverage:supervisor"
"""A closed month, per supervisor: distinct peers at their sessions, sessions, group sessions; the minutes of
those sessions and their supportive minutes are the topic `SUPERVISOR_MINUTES`."""
SUPERVISOR_MINUTES = "coverage:supervisor:minutes"


def sessions_topic(kind: str) -> str:
    """A closed month's sessions of a kind per group: distinct attending peers, and sessions (events)."""
    return f"coverage:sessions:{kind}"


def minutes_topic(function: str) -> str:
    """A closed month's minutes of a supervision function per group: distinct peers at sessions with such
    minutes, and the minutes (events)."""
    return f"coverage:minutes:{function}"


STATUS_COUNTS = {PARTICIPATION: 2, COVERAGE: 2, EXPOSURES: 0, WEEK_PARTICIPATION: 1, WEEK_HOURS: 0,
                 WEEK_CALLOUTS: 0, SUPERVISOR: 0, SUPERVISOR_MINUTES: 0,
                 **{sessions_topic(kind): 0 for kind in SESSION_KINDS},
                 **{minutes_topic(function): 0 for function in FUNCTIONS}, **fieldwork_figures.STATUS_COUNTS}
"""How many of a topic's counts are counts of peers with a status (checked under the rule, ranged near none or
all); the others are counts of events, shown as they are when their cell is released. Unlisted topics: one."""
MAX_MONTHS = 36
RELEASE_VERSION = 3
"""The set of topics a release stores; bump it whenever `month_rows` gains a topic. Each marker records the
version that released its month (1: released before versions were recorded), and `release_due` adds to a month
released with a lower version the topics it has none of, leaving every stored cell as it was (docs/release.md,
"Upgrading: topics added later")."""
PROGRAM_KEY = "program"
POOL_KEY = "pool"


QUARTER_SPAN = 3


def scale_topic(scale: str) -> str:
    return f"scale:{scale}"


def quarter_topic(scale: str) -> str:
    """The topic of a scale's quarterly figures, stored with the quarter's first day as their period."""
    return f"quarter:scale:{scale}"


def quarter_of(month: date) -> date:
    """The first day of the calendar quarter holding `month`."""
    return month.replace(month=(month.month - 1) // QUARTER_SPAN * QUARTER_SPAN + 1, day=1)


def closes_quarter(month: date) -> bool:
    return month.month % QUARTER_SPAN == 0


def team_key(team_id: int) -> str:
    return f"team:{team_id}"


def weeks_ending_in(month: date) -> list[date]:
    """The Mondays of the ISO weeks whose Sunday falls in `month`: released with the month."""
    first = month + timedelta(days=(6 - month.weekday()) % 7) - timedelta(days=6)
    end = queries.next_month(month)
    return [first + timedelta(weeks=index) for index in range(6) if first + timedelta(weeks=index, days=6) < end]


def month_of_week(week: date) -> date:
    """The month a week is released with: the month of its Sunday."""
    return (week + timedelta(days=6)).replace(day=1)


def closed_months(on: date, *, since: date | None) -> list[date]:
    """First days of the calendar months that closed before `on`, from the month of `since`, at most
    MAX_MONTHS of them, oldest first."""
    months: list[date] = []
    month = on.replace(day=1)
    while len(months) < MAX_MONTHS:
        month = (month - timedelta(days=1)).replace(day=1)
        if since is not None and month < since.replace(day=1):
            break
        months.append(month)
    return sorted(months)


@dataclass(frozen=True)
class _Cell:
    """A computed cell before the rule: peers, rule counts, stored counts and statistics."""

    peers: int
    counts: tuple[int, ...] = ()
    count_a: int | None = None
    count_b: int | None = None
    median: float | None = None
    q1: float | None = None
    q3: float | None = None


@dataclass(frozen=True)
class ReleasedMonth:
    program_id: int
    month: date
    cells: int
    released: int
    backfilled: bool = False
    """True when the month was released before and only topics added since were stored now."""


def release_due(session: Session, *, on: date | None = None, program_id: int | None = None) -> list[ReleasedMonth]:
    """Release every closed month not yet released, for one program or all, and add the topics added since to
    the months an earlier version released; each month in its own transaction (the session commits). Returns
    the months this call released or upgraded."""
    on = min(on or clock.today(), clock.today())
    programs = [program_id] if program_id is not None else list(session.exec(select(Program.id)).all())
    done = []
    for current in programs:
        first = queries.first_membership(session, program_id=current)
        if first is None:
            continue
        have = dict(session.execute(sa.select(col(FigureRelease.period_start), col(FigureRelease.version))
                                    .where(col(FigureRelease.program_id) == current)).all())
        for month in closed_months(on, since=first):
            if month not in have:
                result = _release_month(session, program_id=current, month=month)
            elif have[month] < RELEASE_VERSION:
                result = _upgrade_month(session, program_id=current, month=month)
            else:
                continue
            session.commit()
            if result is not None:
                done.append(result)
    return done


def _insert(session: Session):
    return postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _release_month(session: Session, *, program_id: int, month: date) -> ReleasedMonth | None:
    """Claim the month's marker, store its rows and tell the leads; None when another releaser has claimed it."""
    settings = read_settings(session)
    table = table_of(FigureRelease)
    session.commit()
    claimed = session.execute(
        _insert(session)(table)
        .values(program_id=program_id, period_start=month, released_at=clock.now(), k=settings.anonymity_k,
                version=RELEASE_VERSION)
        .on_conflict_do_nothing(index_elements=["program_id", "period_start"])
        .returning(table.c.id)
    ).all()
    if not claimed:
        session.rollback()
        return None
    rows = month_rows(session, program_id=program_id, month=month, settings=settings)
    _store(session, rows)
    released = sum(1 for row in rows if row["released"])
    _notify_leads(session, program_id=program_id, month=month, released=released, cells=len(rows))
    return ReleasedMonth(program_id, month, len(rows), released)


def _upgrade_month(session: Session, *, program_id: int, month: date) -> ReleasedMonth | None:
    """Add to a month released by an earlier version the topics it has none of (docs/release.md, "Upgrading:
    topics added later"). The marker's version is raised in the same transaction, only while it is lower, so
    two upgraders at once compute once; cells already released are never touched. No lead is told."""
    table = table_of(FigureRelease)
    session.commit()
    claimed = session.execute(
        sa.update(table)
        .where(table.c.program_id == program_id, table.c.period_start == month, table.c.version < RELEASE_VERSION)
        .values(version=RELEASE_VERSION)
        .returning(table.c.k)
    ).all()
    if not claimed:
        session.rollback()
        return None
    settings = read_settings(session)
    settings = replace(settings, anonymity_k=max(settings.anonymity_k, claimed[0].k))
    rows = month_rows(session, program_id=program_id, month=month, settings=settings)
    figure = table_of(ReleasedFigure)
    present = {(period_start, topic) for period_start, topic in session.execute(
        sa.select(figure.c.period_start, figure.c.topic).distinct()
        .where(figure.c.program_id == program_id,
               figure.c.period_start.in_(sorted({row["period_start"] for row in rows})))
    )}
    added = [row for row in rows if (row["period_start"], row["topic"]) not in present]
    _store(session, added)
    return ReleasedMonth(program_id, month, len(added), sum(1 for row in added if row["released"]), backfilled=True)


ROWS_PER_INSERT = 1000
"""Cells handed to one execution on SQLite: the statement is compiled once and SQLAlchemy sends the rows in
batches ("insertmanyvalues"). A month of a program with hundreds of teams holds thousands of cells."""


def _store(session: Session, rows: list[dict]) -> None:
    """Insert released cells; a cell already stored (same program, period, topic and group) stays as it was."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        _copy_store(session, rows)
        return
    table = table_of(ReleasedFigure)
    statement = _insert(session)(table).on_conflict_do_nothing(
        index_elements=["program_id", "period_start", "topic", "group_key"]).returning(table.c.id)
    for start in range(0, len(rows), ROWS_PER_INSERT):
        session.execute(statement, rows[start:start + ROWS_PER_INSERT]).all()


def _copy_store(session: Session, rows: list[dict]) -> None:
    """PostgreSQL: the cells go by COPY into a temporary table of this transaction, then into the table in one
    INSERT … SELECT that skips cells already stored. Batched INSERTs took about eight times as long for the
    9,000 cells of a 200-team month (3.4 s against 0.4 s), and COPY carries no parameters, so PostgreSQL's
    65,535 a statement never bound a month."""
    table = table_of(ReleasedFigure)
    columns = [column for column in table.columns if column.name != "id"]
    dialect = session.get_bind().dialect
    processors = [column.type.bind_processor(dialect) for column in columns]
    names = ", ".join(f'"{column.name}"' for column in columns)
    staging = "released_figure_incoming"
    check_before_write(session, tables={table.name})
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f'CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS SELECT {names} '
                       f'FROM "{table.name}" WITH NO DATA')
        with cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row.get(column.name) if process is None else process(row.get(column.name))
                                for column, process in zip(columns, processors, strict=True)])
        cursor.execute(f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM {staging} '
                       f'ON CONFLICT (program_id, period_start, topic, group_key) DO NOTHING')
        cursor.execute(f"DROP TABLE {staging}")
    finally:
        cursor.close()


def month_rows(session: Session, *, program_id: int, month: date, settings: ProgramSettings) -> list[dict]:
    """Every cell released with a closed month, under the rule with `settings.anonymity_k`: the month's topics, the
    weeks ending in it and, when it closes a quarter, the quarter's. Small teams are pooled once here, from the
    month's participation, and every monthly topic uses that pool. A new topic is added here, and
    `RELEASE_VERSION` bumped so months released before it get it."""
    k = settings.anonymity_k
    names = dict(queries.teams(session, program_id=program_id))
    participation = {row.team_id: row for row in queries.month_participation(session, program_id=program_id,
                                                                             month=month)}
    sizes = {team_key(team_id): participation[team_id].peers if team_id in participation else 0 for team_id in names}
    pooled_keys = rule.pool_teams(sizes, k=k)
    pooled = sorted(int(key.split(":")[1]) for key in pooled_keys)
    rows: list[dict] = []
    program_team_ids = sorted(names)

    def store(topic: str, cells: dict[str, _Cell]) -> None:
        rows.extend(_apply(topic, cells, names=names, pooled=pooled, all_teams=program_team_ids, k=k,
                           program_id=program_id, month=month))

    cells: dict[str, _Cell] = {}
    for team_id, row in participation.items():
        cells[team_key(team_id)] = _Cell(row.peers, (row.checked_in, row.assessed), row.checked_in, row.assessed)
    store(PARTICIPATION, _with_sums(cells, pooled))

    exposure_cells = {team_key(row.team_id): _Cell(row.peers, (), row.exposures)
                      for row in queries.monthly_exposures(session, program_id=program_id, months=[month])}
    store(EXPOSURES, _with_sums(exposure_cells, pooled))

    coverage_cells = {team_key(row.team_id): _Cell(row.peers, (int(row.supervised), row.peers - int(row.supported)),
                                                    int(row.supervised), row.peers - int(row.supported))
                      for row in queries.month_supervision(session, program_id=program_id, month=month)}
    store(COVERAGE, _with_sums(coverage_cells, pooled))

    by_team: dict[int, list[int]] = defaultdict(list)
    for reported in queries.month_caseloads(session, program_id=program_id, month=month):
        by_team[reported.team_id].append(reported.caseload)
    guideline_high = settings.caseload_guideline[1]
    store(WORKLOAD, _caseload_cells(by_team, pooled, high=guideline_high))

    rows.extend(_week_rows(session, program_id=program_id, month=month, names=names, k=k,
                           high=guideline_high))
    rows.extend(_coverage_rows(session, program_id=program_id, month=month, names=names, pooled=pooled, k=k))
    rows.extend(fieldwork_figures.month_rows(session, program_id=program_id, month=month, names=names, pooled=pooled, k=k))

    instrument = periodic_instrument(settings)
    by_scale: dict[str, dict[str, _Cell]] = defaultdict(dict)
    for summary in queries.monthly_score_summaries(
        session, program_id=program_id, months=[month], scales_from=dict.fromkeys(instrument.scales, month),
        high_band=BAND_CODES["high"], pooled=pooled,
    ):
        key = PROGRAM_KEY if summary.team_id is None else POOL_KEY if summary.team_id == queries.POOLED_TEAMS \
            else team_key(summary.team_id)
        by_scale[summary.scale][key] = _Cell(summary.n, (int(summary.high),), int(summary.high), int(summary.banded),
                                             float(summary.median), float(summary.q1), float(summary.q3))
    for scale in instrument.scales:
        store(scale_topic(scale), by_scale.get(scale, {}))

    if closes_quarter(month):
        rows.extend(_quarter_rows(session, program_id=program_id, quarter=quarter_of(month), names=names, k=k,
                                  scales=list(instrument.scales)))
        rows.extend(equity.quarter_rows(session, program_id=program_id, quarter=quarter_of(month), k=k))
    return rows


def _quarter_rows(
    session: Session, *, program_id: int, quarter: date, names: dict[int, str], k: int, scales: Sequence[str],
) -> list[dict]:
    """The quarter's scale figures, released with its last month: each peer's latest score of the quarter, in the
    team they are placed in for the quarter, small teams pooled by their peers over the quarter, under the same
    rule. A trend shows them for a group withheld in a month (docs/release.md, "Pooling small groups")."""
    sizes = {team_key(row.team_id): row.peers
             for row in queries.month_participation(session, program_id=program_id, month=quarter, span=QUARTER_SPAN)}
    sizes = {team_key(team_id): sizes.get(team_key(team_id), 0) for team_id in names}
    pooled = sorted(int(key.split(":")[1]) for key in rule.pool_teams(sizes, k=k))
    by_scale: dict[str, dict[str, _Cell]] = defaultdict(dict)
    for summary in queries.monthly_score_summaries(
        session, program_id=program_id, months=[quarter], scales_from=dict.fromkeys(scales, quarter),
        high_band=BAND_CODES["high"], pooled=pooled, span=QUARTER_SPAN,
    ):
        key = PROGRAM_KEY if summary.team_id is None else POOL_KEY if summary.team_id == queries.POOLED_TEAMS \
            else team_key(summary.team_id)
        by_scale[summary.scale][key] = _Cell(summary.n, (int(summary.high),), int(summary.high), int(summary.banded),
                                             float(summary.median), float(summary.q1), float(summary.q3))
    rows: list[dict] = []
    for scale in scales:
        rows.extend(_apply(quarter_topic(scale), by_scale.get(scale, {}), names=names, pooled=pooled,
                           all_teams=sorted(names), k=k, program_id=program_id, month=quarter))
    return rows


def _stat(values: list[float]) -> tuple[float | None, float | None, float | None]:
    """Median and quartiles, as `statistics.quantiles(method="inclusive")`."""
    if not values:
        return None, None, None
    ordered = sorted(values)
    if len(ordered) == 1:
        return float(ordered[0]), float(ordered[0]), float(ordered[0])
    q1, median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return float(median), float(q1), float(q3)


def _group_cells(
    by_team: Mapping[int, Sequence[Any]], pooled: Sequence[int], cell: Callable[[list], _Cell],
) -> dict[str, _Cell]:
    """A topic's cell of every team, of the pool and of the program, each from its members' rows."""
    cells = {team_key(team_id): cell(list(members)) for team_id, members in by_team.items()}
    cells[PROGRAM_KEY] = cell([member for members in by_team.values() for member in members])
    if pooled:
        cells[POOL_KEY] = cell([member for team_id in pooled for member in by_team.get(team_id, [])])
    return cells


def week_cells(peers: Sequence[queries.PeerWeek], *, high: int) -> dict[str, Callable[[list], _Cell]]:
    """How each weekly workload topic's cell is built from the rows of a group's peers for one week."""

    def participation(members: list[queries.PeerWeek]) -> _Cell:
        sent = sum(member.checked_in for member in members)
        return _Cell(len(members), (sent,), sent)

    def caseload(members: list[queries.PeerWeek]) -> _Cell:
        values = [member.caseload for member in members if member.caseload is not None]
        above = sum(value > high for value in values)
        return _Cell(len(values), (above,), above, None, *_stat([float(value) for value in values]))

    def hours(members: list[queries.PeerWeek]) -> _Cell:
        values = [float(member.hours) for member in members if member.hours is not None]
        return _Cell(len(values), (), None, None, *_stat(values))

    def callouts(members: list[queries.PeerWeek]) -> _Cell:
        values = [member.after_hours_callouts for member in members if member.after_hours_callouts is not None]
        return _Cell(len(values), (), sum(values), None, *_stat([float(value) for value in values]))

    def outside(members: list[queries.PeerWeek]) -> _Cell:
        values = [float(member.hours_outside_role or 0) for member in members if member.checked_in]
        some = sum(value > 0 for value in values)
        return _Cell(len(values), (some,), some, round(sum(values)), *_stat(values))

    return {WEEK_PARTICIPATION: participation, WEEK_CASELOAD: caseload, WEEK_HOURS: hours, WEEK_CALLOUTS: callouts,
            WEEK_OUTSIDE_ROLE: outside}


def _week_rows(session: Session, *, program_id: int, month: date, names: dict[int, str], k: int,
               high: int) -> list[dict]:
    """The workload of each week ending in `month`, per team, the pool (small teams pooled by the peers placed in
    them that week) and the program, under the rule."""
    weeks = weeks_ending_in(month)
    by_week: dict[date, dict[int, list[queries.PeerWeek]]] = {week: defaultdict(list) for week in weeks}
    for row in queries.week_workload(session, program_id=program_id, weeks=weeks):
        by_week[row.week][row.team_id].append(row)
    rows: list[dict] = []
    for week, by_team in by_week.items():
        sizes = {team_key(team_id): len(by_team.get(team_id, [])) for team_id in names}
        pooled = sorted(int(key.split(":")[1]) for key in rule.pool_teams(sizes, k=k))
        for topic, cell in week_cells([], high=high).items():
            rows.extend(_apply(topic, _group_cells(by_team, pooled, cell), names=names, pooled=pooled,
                               all_teams=sorted(names), k=k, program_id=program_id, month=week))
    return rows


def coverage_cells(
    attended: Sequence[queries.MonthAttendance], pooled: Sequence[int],
) -> dict[str, dict[str, _Cell]]:
    """Per event topic of a month's sessions (`sessions_topic`, `minutes_topic`), the cell of every team, the pool
    and the program: its distinct sessions (or their minutes) and the distinct peers of the group who attended."""
    by_team: dict[int, list[queries.MonthAttendance]] = defaultdict(list)
    for row in attended:
        by_team[row.team_id].append(row)

    def events(*, kind: str | None = None, function: str | None = None) -> Callable[[list], _Cell]:
        def cell(members: list[queries.MonthAttendance]) -> _Cell:
            kept = [member for member in members if member.kind == kind or
                    (function is not None and getattr(member, function) > 0)]
            sessions = {member.session_id: 1 if function is None else getattr(member, function) for member in kept}
            return _Cell(len({member.peer_id for member in kept}), (), sum(sessions.values()))
        return cell

    topics = {**{sessions_topic(kind): events(kind=kind) for kind in SESSION_KINDS},
              **{minutes_topic(function): events(function=function) for function in FUNCTIONS}}
    return {topic: _group_cells(by_team, pooled, cell) for topic, cell in topics.items()}


def _coverage_rows(session: Session, *, program_id: int, month: date, names: dict[int, str], pooled: Sequence[int],
                   k: int) -> list[dict]:
    """Sessions by kind and minutes per function per group, and supervisor loads, of a closed month. A group's
    cell counts its distinct sessions (a group session once for each group it had peers from) and rests on the
    distinct peers of the group who attended them."""
    attended = queries.month_attendance(session, program_id=program_id, month=month)
    rows: list[dict] = []
    for topic, cells in coverage_cells(attended, pooled).items():
        rows.extend(_apply(topic, cells, names=names, pooled=pooled, all_teams=sorted(names), k=k,
                           program_id=program_id, month=month))
    by_supervisor: dict[int, list[queries.MonthAttendance]] = defaultdict(list)
    for row in attended:
        by_supervisor[row.supervisor_id].append(row)
    keys = {supervisor_id: f"supervisor:{supervisor_id}" for supervisor_id in by_supervisor}
    shown = rule.release_line([rule.Part(keys[supervisor_id], len({row.peer_id for row in members}))
                               for supervisor_id, members in by_supervisor.items()], k=k)
    for supervisor_id, members in sorted(by_supervisor.items()):
        held = {row.session_id: row for row in members}
        released = shown[keys[supervisor_id]].released
        base = {"program_id": program_id, "period_start": month, "group_key": keys[supervisor_id],
                "group_label": members[0].supervisor, "team_ids": frozenset(str(row.team_id) for row in members),
                "released": released, "reason": shown[keys[supervisor_id]].reason,
                "peers": len({row.peer_id for row in members}) if released else None,
                "a_low": None, "a_high": None, "b_low": None, "b_high": None, "median": None, "q1": None, "q3": None}
        values = {SUPERVISOR: (len(held), sum(row.kind == "group" for row in held.values())),
                  SUPERVISOR_MINUTES: (sum(row.duration for row in held.values()),
                                       sum(row.supportive for row in held.values()))}
        for topic, (count_a, count_b) in values.items():
            rows.append({**base, "topic": topic, "count_a": count_a if released else None,
                         "count_b": count_b if released else None})
    return rows


def _caseload_cells(by_team: dict[int, list[int]], pooled: Sequence[int], *, high: int) -> dict[str, _Cell]:
    """Median, quartiles (as `statistics.quantiles(method="inclusive")`) and peers above `high`, per team, for the
    pool and for the program."""

    def cell(values: list[int]) -> _Cell:
        if not values:
            return _Cell(0)
        ordered = sorted(values)
        q1, median, q3 = (statistics.quantiles(ordered, n=4, method="inclusive") if len(ordered) > 1
                          else [float(ordered[0])] * 3)
        above = sum(1 for value in ordered if value > high)
        return _Cell(len(ordered), (above,), above, None, float(median), float(q1), float(q3))

    cells = {team_key(team_id): cell(values) for team_id, values in by_team.items()}
    cells[PROGRAM_KEY] = cell([value for values in by_team.values() for value in values])
    if pooled:
        cells[POOL_KEY] = cell([value for team_id in pooled for value in by_team.get(team_id, [])])
    return cells


def _with_sums(cells: dict[str, _Cell], pooled: Sequence[int]) -> dict[str, _Cell]:
    """Add the pool and program cells of additive topics as sums of the team cells."""

    def total(keys: list[str]) -> _Cell:
        parts = [cells[key] for key in keys if key in cells]
        width = max((len(part.counts) for part in parts), default=0)
        return _Cell(
            sum(part.peers for part in parts),
            tuple(sum(part.counts[index] for part in parts) for index in range(width)),
            _sum_or_none([part.count_a for part in parts]),
            _sum_or_none([part.count_b for part in parts]),
        )

    result = dict(cells)
    result[PROGRAM_KEY] = total(list(cells))
    if pooled:
        result[POOL_KEY] = total([team_key(team_id) for team_id in pooled])
    return result


def _sum_or_none(values: list[int | None]) -> int | None:
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def _apply(
    topic: str, cells: dict[str, _Cell], *, names: dict[int, str], pooled: Sequence[int], all_teams: Sequence[int],
    k: int, program_id: int, month: date,
) -> list[dict]:
    """The stored rows of one topic and month: the rule applied to the pool line and the program line."""
    empty = _Cell(0)
    pooled_keys = [team_key(team_id) for team_id in pooled]
    shown = rule.release_groups(
        [_part(team_key(team_id), cells.get(team_key(team_id), empty)) for team_id in all_teams],
        program=_part(PROGRAM_KEY, cells.get(PROGRAM_KEY, empty)),
        pool=_part(POOL_KEY, cells.get(POOL_KEY, empty)) if pooled else None, pooled=pooled_keys, k=k,
    )
    rows = []
    for key, cell_shown in shown.items():
        cell = cells.get(key, empty)
        if key == PROGRAM_KEY:
            label, team_ids = rule.PROGRAM_GROUP, list(all_teams)
        elif key == POOL_KEY:
            label, team_ids = rule.POOL_GROUP, list(pooled)
        else:
            team_id = int(key.split(":")[1])
            label, team_ids = names[team_id], [team_id]
        released = cell_shown.released
        ranges = [*cell_shown.counts, None, None] if released else [None, None]
        rows.append({
            "program_id": program_id, "period_start": month, "topic": topic, "group_key": key,
            "group_label": label, "team_ids": frozenset(str(team_id) for team_id in team_ids),
            "released": released, "reason": cell_shown.reason,
            "peers": cell.peers if released else None,
            "count_a": cell.count_a if released else None, "count_b": cell.count_b if released else None,
            "a_low": ranges[0].low if ranges[0] else None, "a_high": ranges[0].high if ranges[0] else None,
            "b_low": ranges[1].low if ranges[1] else None, "b_high": ranges[1].high if ranges[1] else None,
            "median": cell.median if released else None, "q1": cell.q1 if released else None,
            "q3": cell.q3 if released else None,
        })
    return rows


def _part(key: str, cell: _Cell) -> rule.Part:
    return rule.Part(key, cell.peers, cell.counts)


def _notify_leads(session: Session, *, program_id: int, month: date, released: int, cells: int) -> None:
    leads = session.exec(
        select(User).where(User.program_id == program_id, col(User.active).is_(True),
                           has_tag(col(User.roles), "lead", vocabulary=ROLES))
    ).all()
    settings = read_settings(session)
    if FIGURES_RELEASED.code in split_codes(settings.notifications_off):
        return
    notifications.enqueue_many(session, kind=FIGURES_RELEASED, messages=[
        notifications.Outgoing(lead, f"{lead.id}:{month:%Y-%m}",
                               {"month": month.isoformat(), "released": released, "cells": cells})
        for lead in leads
    ])


@dataclass(frozen=True)
class Figure:
    """One released cell as a viewer sees it: counts exact or as a range, or withheld with the reason."""

    group_key: str
    group: str
    month: date
    released: bool
    reason: str | None
    peers: int | None
    counts: tuple[rule.Count, ...]
    count_a: int | None
    count_b: int | None
    median: float | None
    q1: float | None
    q3: float | None
    team_ids: tuple[int, ...]


@dataclass(frozen=True)
class Released:
    """Cells per (topic, month) and group key, and which teams each month pools.

    A topic's pool is stored on its own pool row, and topics of one month may pool differently (a topic added
    to a month by a later version is pooled from the data of the day it was added): `pools` holds each topic's,
    and `pooled[month]` is the pool of the first topic asked for (in the order of `topics`, then `also`) that the
    month has."""

    months: tuple[date, ...]
    cells: dict[tuple[str, date], dict[str, Figure]]
    pooled: dict[date, tuple[int, ...]]
    pools: dict[tuple[str, date], tuple[int, ...]] = field(default_factory=dict)

    def get(self, topic: str, month: date) -> dict[str, Figure]:
        return self.cells.get((topic, month), {})

    def pool_of(self, topic: str, month: date) -> tuple[int, ...]:
        """The teams `topic` pools in `month` (none when it has no pool or is not released)."""
        return self.pools.get((topic, month), ())


def read_released(
    session: Session, *, program_id: int, months: Sequence[date], topics: Sequence[str], viewer: User,
    span: int = 1, weekly: bool = False, also: Sequence[tuple[Sequence[date], Sequence[str]]] = (),
    k: int | None = None,
) -> Released:
    """The stored cells of `topics` for `months`, after the rule is applied again for `viewer`. With `span` 3,
    `months` are the first days of quarters and `topics` quarterly ones (`quarter_topic`); with `weekly`, they
    are the Mondays of weeks and `topics` weekly ones (`WEEK_TOPICS`).

    `also` adds more (months, topics) pairs of the same kind, read in the same statements; `k`, when the caller
    has read the program's settings already, saves reading them again."""
    table = table_of(ReleasedFigure)
    wanted = [(months, topics), *also]
    rows = session.execute(
        select(*table.c).where(
            table.c.program_id == program_id,
            or_(*(and_(table.c.period_start.in_(list(wanted_months)), table.c.topic.in_(list(wanted_topics)))
                  for wanted_months, wanted_topics in wanted)),
        )
    ).all()
    if k is None:
        k = read_settings(session).anonymity_k
    months = sorted({month for wanted_months, _topics in wanted for month in wanted_months})
    marker_of = {month: month_of_week(month) if weekly else
                 (queries.after_months(month, span) - timedelta(days=1)).replace(day=1) for month in months}
    released_in: dict[date, int] = {
        period_start: released_k for period_start, released_k in session.execute(
            sa.select(col(FigureRelease.period_start), col(FigureRelease.k)).where(
                col(FigureRelease.program_id) == program_id,
                col(FigureRelease.period_start).in_(sorted(set(marker_of.values()))))
        )
    }
    released_with = {month: released_in[marker] for month, marker in marker_of.items() if marker in released_in}
    known = _known_by_month(session, program_id=program_id, viewer=viewer, months=months, span=span, weekly=weekly)
    grouped: dict[tuple[str, date], list[Row]] = defaultdict(list)
    for row in rows:
        grouped[(row.topic, row.period_start)].append(row)
    cells: dict[tuple[str, date], dict[str, Figure]] = {}
    pools: dict[tuple[str, date], tuple[int, ...]] = {}
    for (topic, month), figures in grouped.items():
        cells[(topic, month)] = _for_viewer(figures, known=known.get(month, {}), k=k,
                                            released_with=released_with.get(month, k), counts_from=topic)
        pool = next((figure for figure in figures if figure.group_key == POOL_KEY), None)
        pools[(topic, month)] = _team_ids(pool.team_ids) if pool is not None else ()
    order = list(dict.fromkeys(topic for _months, wanted_topics in wanted for topic in wanted_topics))
    pooled: dict[date, tuple[int, ...]] = {}
    for month in sorted({month for _, month in grouped}):
        first = next(topic for topic in order if (topic, month) in pools)
        pooled[month] = pools[(first, month)]
    released_months = tuple(sorted({month for _, month in grouped}))
    return Released(released_months, cells, pooled, pools)


def _team_ids(ids: frozenset[str]) -> tuple[int, ...]:
    return tuple(sorted(int(part) for part in ids))


def _rule_counts(row: Row, topic: str) -> tuple[int, ...]:
    if row.peers is None:
        return ()
    return (row.count_a or 0, row.count_b or 0)[:STATUS_COUNTS.get(topic, 1)]


def _stored_counts(row: Row) -> tuple[rule.Count, ...]:
    pairs = ((row.a_low, row.a_high), (row.b_low, row.b_high))
    return tuple(rule.Count(low, high) for low, high in pairs if low is not None and high is not None)


def _for_viewer(
    figures: list[Row], *, known: dict[int, int], k: int, released_with: int, counts_from: str,
) -> dict[str, Figure]:
    """The cells of one topic and month for a viewer. A threshold raised since the release withholds more at
    once; a threshold lowered shows no more than was released."""
    by_key = {figure.group_key: figure for figure in figures}
    k = max(k, released_with)
    if not any(known.values()) and k == released_with:
        return {key: _figure(figure, released=figure.released, reason=figure.reason, counts=_stored_counts(figure))
                for key, figure in by_key.items()}

    def part(figure: Row) -> rule.Part:
        seen = sum(known.get(team_id, 0) for team_id in _team_ids(figure.team_ids))
        if not figure.released:
            return rule.Part(figure.group_key, None, known=seen, reason=figure.reason)
        return rule.Part(figure.group_key, figure.peers, _rule_counts(figure, counts_from), known=seen)

    pool = by_key.get(POOL_KEY)
    pooled = set(_team_ids(pool.team_ids)) if pool is not None else set()
    teams = [figure for key, figure in by_key.items() if key.startswith("team:")]
    shown = rule.view_groups(
        [part(figure) for figure in teams], program=part(by_key[PROGRAM_KEY]),
        pool=part(pool) if pool is not None else None,
        pooled=[figure.group_key for figure in teams if _team_ids(figure.team_ids)[0] in pooled], k=k,
    )
    return {key: _figure(figure, released=shown[key].released, reason=shown[key].reason, counts=shown[key].counts)
            for key, figure in by_key.items()}


def _figure(row: Row, *, released: bool, reason: str | None, counts: tuple[rule.Count, ...]) -> Figure:
    return Figure(
        row.group_key, row.group_label, row.period_start, released, reason,
        row.peers if released else None, counts if released else (),
        row.count_a if released else None, row.count_b if released else None,
        row.median if released else None, row.q1 if released else None,
        row.q3 if released else None, _team_ids(row.team_ids),
    )


def _known_by_month(
    session: Session, *, program_id: int, viewer: User, months: Sequence[date], span: int = 1, weekly: bool = False,
) -> dict[date, dict[int, int]]:
    """Per month and team: how many peers placed in the team the viewer knows about — themselves when they are
    also a peer, and everyone they supervise or supervised — counted as `queries.month_placement` places them."""
    related = set(session.exec(
        select(SupervisionAssignment.supervisee_id).where(SupervisionAssignment.supervisor_id == viewer.id)
    ).all())
    if "peer" in viewer.roles:
        related.add(viewer.id)
    memberships = queries.memberships_of(session, program_id=program_id, user_ids=related)
    result: dict[date, dict[int, int]] = {}
    for month in months:
        last_day = month + timedelta(days=6) if weekly else queries.after_months(month, span) - timedelta(days=1)
        placed: dict[int, int] = {}
        for user_id, team_id, started_on, ended_on in memberships:
            if started_on <= last_day and (ended_on is None or ended_on >= month):
                placed[user_id] = min(placed.get(user_id, team_id), team_id)
        counts: dict[int, int] = defaultdict(int)
        for team_id in placed.values():
            counts[team_id] += 1
        result[month] = dict(counts)
    return result


def latest_groups(
    session: Session, *, program_id: int, team_ids: frozenset[int] | None, month: date, topic: str, viewer: User,
) -> list[tuple[str, Figure]]:
    """(label, cell) of one released topic and month for the groups a lead covers: their teams by name, the pool
    when one of their teams is in it, and the program for a lead of the whole program (None: every team)."""
    data = read_released(session, program_id=program_id, months=[month], topics=[topic], viewer=viewer)
    cells = data.get(topic, month)
    names = dict(queries.teams(session, program_id=program_id))
    in_view = [team_id for team_id in sorted(names, key=lambda team_id: (names[team_id], team_id))
               if team_ids is None or team_id in team_ids]
    groups = [(team_key(team_id), names[team_id]) for team_id in in_view]
    if set(data.pooled.get(month, ())) & set(in_view):
        groups.append((POOL_KEY, rule.POOL_GROUP))
    if team_ids is None:
        groups.append((PROGRAM_KEY, rule.PROGRAM_GROUP))
    return [(label, cells[key]) for key, label in groups if key in cells]


@dataclass(frozen=True)
class SupervisorMonth:
    """A supervisor's sessions of a closed month as a viewer sees them: withheld (None, with the reason) when
    they rest on fewer than k peers besides those the viewer knows."""

    supervisor: str
    month: date
    peers: int | None
    sessions: int | None
    group_sessions: int | None
    minutes: int | None
    supportive_minutes: int | None
    reason: str | None


def read_supervisors(
    session: Session, *, program_id: int, months: Sequence[date], viewer: User, team_ids: frozenset[int] | None,
) -> list[SupervisorMonth]:
    """Released supervisor loads of `months` for the supervisors whose sessions had peers from the viewer's teams
    (None: every team). Each peer the viewer knows on the teams a load rests on counts as one of its peers, so
    a load never shows more to the viewer than the release did, and a supervisor who leads sees their own
    withheld."""
    table = table_of(ReleasedFigure)
    rows = session.execute(select(*table.c).where(
        table.c.program_id == program_id, table.c.period_start.in_(list(months)),
        table.c.topic.in_([SUPERVISOR, SUPERVISOR_MINUTES]),
    )).all()
    k = read_settings(session).anonymity_k
    released_with = dict(session.execute(
        sa.select(col(FigureRelease.period_start), col(FigureRelease.k)).where(
            col(FigureRelease.program_id) == program_id, col(FigureRelease.period_start).in_(list(months)))
    ).all())
    known = _known_by_month(session, program_id=program_id, viewer=viewer, months=months)
    by_key: dict[tuple[date, str], dict[str, Row]] = defaultdict(dict)
    for row in rows:
        if team_ids is None or set(_team_ids(row.team_ids)) & team_ids:
            by_key[(row.period_start, row.group_key)][row.topic] = row
    result = []
    for (month, _key), topics in sorted(by_key.items(), key=lambda item: (item[0][0], item[1][SUPERVISOR].group_label
                                                                         if SUPERVISOR in item[1] else "")):
        load, minutes = topics.get(SUPERVISOR), topics.get(SUPERVISOR_MINUTES)
        if load is None or minutes is None:
            continue
        seen = sum(known.get(month, {}).get(team_id, 0) for team_id in _team_ids(load.team_ids))
        shown = rule.release_line([rule.Part(load.group_key, load.peers if load.released else None,
                                             known=min(seen, load.peers or 0), reason=load.reason)],
                                  k=max(k, released_with.get(month, k)))[load.group_key]
        if not (load.released and shown.released):
            result.append(SupervisorMonth(load.group_label, month, None, None, None, None, None,
                                          shown.reason or load.reason))
            continue
        result.append(SupervisorMonth(load.group_label, month, load.peers, load.count_a, load.count_b,
                                      minutes.count_a, minutes.count_b, None))
    return result


def ensure_released(session: Session, *, program_id: int, on: date) -> None:
    """Catch up on first read after a month closes or after an upgrade added topics: release what is due for the
    program, if anything. When nothing is due this is one small query (an aggregate over the program's markers)."""
    window = closed_months(on, since=None)
    if not window:
        return
    latest, oldest_version = session.execute(
        sa.select(sa.func.max(col(FigureRelease.period_start)), sa.func.min(col(FigureRelease.version)))
        .where(col(FigureRelease.program_id) == program_id, col(FigureRelease.period_start) >= window[0])
    ).one()
    if latest is None or latest < window[-1] or oldest_version < RELEASE_VERSION:
        release_due(session, on=on, program_id=program_id)

