"""Field work figures released with each closed month: call-outs and the training snapshot.

Call-outs of the month, per team, *Smaller teams combined* and the program (`CALLOUTS`, `CALLOUTS_AFTER_HOURS`,
`callout_kind_topic`): counts of events, each cell resting on the distinct peers behind its call-outs. A call-out
is dated by the program's time zone and counted in the lowest-numbered team of the program its peer belonged to
that day, as `queries.month_placement` places peers; call-outs of peers on no team of the program that day (other
programs) are never counted. The cells of a month form two count tables (groups by kind, groups by after or
working hours) released with `scoring.release.release_table`, so no row, column or total minus its shown cells
isolates a withheld one.

The training snapshot on the month's last day (`TRAINING`, `TRAINING_RENEWAL`): peers placed on a team that day
and, of them, peers with a current peer certification, with the 72-hour training, and with a renewal due within
`RENEWAL_WINDOW_DAYS` of that day (or past) — counts of peers with a status, ranged near none or all.

Both are stored as `ReleasedFigure` rows under the month's marker by `release._release_month`, so they never
change once shown; see docs/release.md. This module imports `console.program.release` only inside functions:
the release module imports it to store the month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, or_, select

from console.core.dates import time_zone
from console.core.program_settings import read_settings
from db import queries
from db.models import CallOut, Team, TeamMembership, TrainingRecord
from scoring import release as rule

CALLOUT_KINDS = ("overdose_nonfatal", "overdose_fatal", "behavioral_health_crisis", "welfare_check", "other")
"""The codes of the kinds of call-out (`console.fieldwork.callouts.KINDS` names them; a test keeps the two equal)."""
CALLOUTS = "callouts"
"""A closed month's call-outs per group: distinct peers behind them, and the call-outs (events, `count_a`)."""
CALLOUTS_AFTER_HOURS = "callouts:after_hours"
"""A closed month's after-hours call-outs per group: distinct peers behind them, and the call-outs (events)."""
TRAINING = "training"
"""The training snapshot on a closed month's last day: peers placed in the group that day, those with a current
peer certification (`count_a`) and those with a current 72-hour training (`count_b`)."""
TRAINING_RENEWAL = "training:renewal"
"""The same snapshot: peers placed, and those with a renewal due within the window of the last day or past."""
RENEWAL_WINDOW_DAYS = 60
"""Kept equal to `console.fieldwork.trainings.RENEWAL_WINDOW_DAYS` (it imports this one)."""
AFTER_HOURS, WORKING_HOURS = "after", "working"


def callout_kind_topic(kind: str) -> str:
    """A closed month's call-outs of one kind per group: distinct peers behind them, and the call-outs."""
    return f"callouts:kind:{kind}"


CALLOUT_TOPICS = (CALLOUTS, CALLOUTS_AFTER_HOURS, *(callout_kind_topic(kind) for kind in CALLOUT_KINDS))
TRAINING_TOPICS = (TRAINING, TRAINING_RENEWAL)
STATUS_COUNTS = {**dict.fromkeys(CALLOUT_TOPICS, 0), TRAINING: 2, TRAINING_RENEWAL: 1}
"""How many of each topic's counts are counts of peers with a status (see `release.STATUS_COUNTS`)."""


def month_rows(session: Session, *, program_id: int, month: date, names: dict[int, str], pooled: Sequence[int],
               k: int) -> list[dict]:
    """The stored rows of a closing month's call-outs and training snapshot, with the month's pooling."""
    return [*callout_rows(session, program_id=program_id, month=month, names=names, pooled=pooled, k=k),
            *training_rows(session, program_id=program_id, month=month, names=names, pooled=pooled, k=k)]


def month_bounds(session: Session, month: date) -> tuple[datetime, datetime]:
    """The month's first and next month's first moment in the program's time zone."""
    zone = time_zone(read_settings(session).time_zone) or UTC
    return (datetime.combine(month, time.min, tzinfo=zone),
            datetime.combine(queries.next_month(month), time.min, tzinfo=zone))


def placed_callouts(session: Session, *, program_id: int, month: date) -> list[tuple[int, int, str, bool]]:
    """(peer_id, team_id, kind, after_hours) of each call-out of `month` (by the program's time zone), in the
    lowest-numbered team of the program its peer belonged to that day; others are left out."""
    start, end = month_bounds(session, month)
    zone = start.tzinfo or UTC
    after_last = queries.next_month(month)
    memberships = session.execute(
        sa.select(col(TeamMembership.user_id), col(TeamMembership.team_id), col(TeamMembership.started_on),
                  col(TeamMembership.ended_on))
        .join(Team, col(Team.id) == TeamMembership.team_id)
        .where(col(Team.program_id) == program_id, col(TeamMembership.started_on) < after_last,
               or_(col(TeamMembership.ended_on).is_(None), col(TeamMembership.ended_on) >= month))
    ).all()
    by_peer: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
    for user_id, team_id, started_on, ended_on in memberships:
        by_peer[user_id].append((team_id, started_on, ended_on))
    if not by_peer:
        return []
    found = session.exec(select(CallOut.peer_id, CallOut.started_at, CallOut.kind, CallOut.after_hours).where(
        col(CallOut.peer_id).in_(sorted(by_peer)), col(CallOut.started_at) >= start, col(CallOut.started_at) < end,
    )).all()
    placed = []
    for peer_id, started_at, kind, after_hours in found:
        day = (started_at if started_at.tzinfo else started_at.replace(tzinfo=UTC)).astimezone(zone).date()
        teams = [team_id for team_id, started_on, ended_on in by_peer[peer_id]
                 if started_on <= day and (ended_on is None or ended_on >= day)]
        if teams:
            placed.append((peer_id, min(teams), kind, bool(after_hours)))
    return placed


def _stored(*, program_id: int, month: date, topic: str, key: str, label: str, team_ids: Sequence[int],
            released: bool, reason: str | None, peers: int, count_a: int | None, count_b: int | None = None) -> dict:
    return {"program_id": program_id, "period_start": month, "topic": topic, "group_key": key,
            "group_label": label, "team_ids": frozenset(str(team_id) for team_id in team_ids),
            "released": released, "reason": reason, "peers": peers if released else None,
            "count_a": count_a if released else None, "count_b": count_b if released else None,
            "a_low": None, "a_high": None, "b_low": None, "b_high": None, "median": None, "q1": None, "q3": None}


def callout_rows(session: Session, *, program_id: int, month: date, names: dict[int, str], pooled: Sequence[int],
                 k: int) -> list[dict]:
    """Call-outs of the month per group under the rule for count tables: rows are the teams not pooled and the
    pool, columns the kinds (and, in a second table, after or working hours), the program is the table's total.
    A pooled team's cells are withheld as counted in the pool."""
    return stored_callouts(placed_callouts(session, program_id=program_id, month=month), names=names, pooled=pooled,
                           k=k, program_id=program_id, month=month)


def stored_callouts(placed: Sequence[tuple[int, int, str, bool]], *, names: dict[int, str], pooled: Sequence[int],
                    k: int, program_id: int, month: date) -> list[dict]:
    """The stored rows of a month's placed call-outs ((peer_id, team_id, kind, after_hours) each), pure."""
    from console.program import release

    pooled_set = set(pooled)

    def row_of(team_id: int) -> str:
        return release.POOL_KEY if team_id in pooled_set else release.team_key(team_id)

    rows_keys = [release.team_key(team_id) for team_id in sorted(names) if team_id not in pooled_set]
    if pooled_set:
        rows_keys.append(release.POOL_KEY)

    def table(columns: Sequence[str], column_of) -> tuple[rule.Table, dict]:
        peers: dict[tuple[str, str], set[int]] = defaultdict(set)
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for callout in placed:
            cell = (row_of(callout[1]), column_of(callout))
            peers[cell].add(callout[0])
            counts[cell] += 1
        cells: dict[tuple[Hashable, Hashable], rule.TableCell] = {
            (row, column): rule.TableCell(counts[(row, column)], frozenset(peers[(row, column)]))
            for row in rows_keys for column in columns}
        return rule.release_table(cells, k=k), peers

    kinds, kind_peers = table(CALLOUT_KINDS, lambda callout: callout[2])
    hours, hour_peers = table((AFTER_HOURS, WORKING_HOURS),
                              lambda callout: AFTER_HOURS if callout[3] else WORKING_HOURS)

    def unions(peers: dict[tuple[str, str], set[int]]) -> dict[tuple[str | None, str | None], set[int]]:
        """The distinct peers behind each cell, each row, each column and the total, in one pass."""
        found: dict[tuple[str | None, str | None], set[int]] = defaultdict(set)
        for (at_row, at_column), ids in peers.items():
            for key in ((at_row, at_column), (at_row, None), (None, at_column), (None, None)):
                found[key] |= ids
        return found

    kind_behind, hour_behind = unions(kind_peers), unions(hour_peers)

    def behind(found: dict[tuple[str | None, str | None], set[int]], row: str | None, column: str | None) -> int:
        return len(found.get((row, column), ()))

    stored: list[dict] = []

    def add(topic: str, key: str, shown: rule.TableCount, peers: int) -> None:
        if key == release.PROGRAM_KEY:
            label, team_ids = rule.PROGRAM_GROUP, sorted(names)
        elif key == release.POOL_KEY:
            label, team_ids = rule.POOL_GROUP, sorted(pooled_set)
        else:
            team_id = int(key.split(":")[1])
            label, team_ids = names[team_id], [team_id]
        stored.append(_stored(program_id=program_id, month=month, topic=topic, key=key, label=label,
                              team_ids=team_ids, released=shown.released, reason=shown.reason, peers=peers,
                              count_a=shown.count))

    def after_hours(cell: rule.TableCount, total: rule.TableCount) -> rule.TableCount:
        """After-hours call-outs are shown only beside their shown total, so that total minus them (working hours)
        is one the hours table released too."""
        return cell if not cell.released or total.released else total

    for key in rows_keys:
        add(CALLOUTS, key, kinds.rows[key], behind(kind_behind, key, None))
        add(CALLOUTS_AFTER_HOURS, key, after_hours(hours.cells[(key, AFTER_HOURS)], hours.rows[key]),
            behind(hour_behind, key, AFTER_HOURS))
        for kind in CALLOUT_KINDS:
            add(callout_kind_topic(kind), key, kinds.cells[(key, kind)], behind(kind_behind, key, kind))
    add(CALLOUTS, release.PROGRAM_KEY, kinds.total, behind(kind_behind, None, None))
    add(CALLOUTS_AFTER_HOURS, release.PROGRAM_KEY, after_hours(hours.columns[AFTER_HOURS], hours.total),
        behind(hour_behind, None, AFTER_HOURS))
    for kind in CALLOUT_KINDS:
        add(callout_kind_topic(kind), release.PROGRAM_KEY, kinds.columns[kind], behind(kind_behind, None, kind))
    pooled_reason = rule.TableCount(None, rule.POOLED_REASON)
    for team_id in sorted(pooled_set):
        for topic in CALLOUT_TOPICS:
            add(topic, release.team_key(team_id), pooled_reason, 0)
    return stored


def training_statuses(session: Session, *, program_id: int, on: date) -> dict[int, list[tuple[bool, bool, bool]]]:
    """Per team, each peer placed on it on `on` (active peers, the lowest-numbered team): whether they held a
    current peer certification, a current 72-hour training, and a renewal due within the window of `on` or past,
    from the records completed by `on`."""
    roster = queries.roster(program_id, on)
    placed: dict[int, int] = {peer_id: team_id for peer_id, team_id
                              in session.execute(sa.select(roster.c.peer_id, roster.c.team_id))}
    if not placed:
        return {}
    records = session.exec(select(TrainingRecord).where(col(TrainingRecord.person_id).in_(sorted(placed)),
                                                        col(TrainingRecord.completed_on) <= on)).all()
    latest: dict[tuple[int, str, str], TrainingRecord] = {}
    for record in records:
        key = (record.person_id, record.kind, record.name)
        if key not in latest or (record.completed_on, record.id) > (latest[key].completed_on, latest[key].id):
            latest[key] = record
    until = on + timedelta(days=RENEWAL_WINDOW_DAYS)
    held: dict[int, set[str]] = defaultdict(set)
    due: set[int] = set()
    for record in records:
        if record.renews_on is None or record.renews_on >= on:
            held[record.person_id].add(record.kind)
    for record in latest.values():
        if record.renews_on is not None and record.renews_on <= until:
            due.add(record.person_id)
    by_team: dict[int, list[tuple[bool, bool, bool]]] = defaultdict(list)
    for peer_id, team_id in placed.items():
        by_team[team_id].append(("peer_certification" in held[peer_id], "crisis_response_72h" in held[peer_id],
                                 peer_id in due))
    return dict(by_team)


def training_rows(session: Session, *, program_id: int, month: date, names: dict[int, str], pooled: Sequence[int],
                  k: int) -> list[dict]:
    """The training snapshot on the month's last day per team, the pool and the program, under the rule."""
    from console.program import release

    last_day = queries.next_month(month) - timedelta(days=1)
    by_team = training_statuses(session, program_id=program_id, on=last_day)

    def training(members: list[tuple[bool, bool, bool]]) -> release._Cell:
        certified, crisis = sum(member[0] for member in members), sum(member[1] for member in members)
        return release._Cell(len(members), (certified, crisis), certified, crisis)

    def renewal(members: list[tuple[bool, bool, bool]]) -> release._Cell:
        due = sum(member[2] for member in members)
        return release._Cell(len(members), (due,), due)

    rows: list[dict] = []
    for topic, cell in ((TRAINING, training), (TRAINING_RENEWAL, renewal)):
        rows.extend(release._apply(topic, release._group_cells(by_team, pooled, cell), names=names, pooled=pooled,
                                   all_teams=sorted(names), k=k, program_id=program_id, month=month))
    return rows
