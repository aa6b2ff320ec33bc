"""Supervision coverage for program leads, from session metadata only: dates, kinds and minutes
per function. Narrative, notes and private reflections are never read here.

Every figure goes through the one release rule of lead figures (`scoring.release`, docs/release.md): peers
supervised and without supportive supervision per team are counts of peers with a status (`view_groups`, small
teams pooled into "Smaller teams combined", the program's total under the residual rule, none or all shown as a
range); sessions and minutes per team are count tables of events (`view_table`, each cell built from the distinct
peers who attended); sessions per month and kind, and a supervisor's sessions, need k attending peers each
(`release_line`). The peers the viewer knows (themself, their supervisees) never count toward k.
What is withheld for teams is decided over the whole program, so every lead sees the same figure for a team.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

import scoring
from console.core import clock
from console.policy.access import people_known_to
from console.program import release
from console.program.wellness_figures import TREND_MONTHS, complete_months, lead_scope
from db import queries
from db.models import SUPERVISION_FUNCTIONS, User
from scoring import release as rule

KINDS = ("individual", "group")
TOTAL = rule.PROGRAM_GROUP
POOL = rule.POOL_GROUP


@dataclass(frozen=True)
class CoveragePeer:
    """One unnamed peer on the roster today: the team they count in, and whether they were at a session within the
    supervision gap, and at one with supportive minutes within the supportive gap. Never shown."""

    peer_id: int
    team: str
    supervised: bool
    supported: bool


@dataclass(frozen=True)
class Attended:
    """One roster peer's attendance at a session (metadata only): the session, its kind, month, supervisor and
    minutes per function (in SUPERVISION_FUNCTIONS order). Never shown."""

    session_id: int
    kind: str
    peer_id: int
    team: str
    minutes: tuple[int, ...]
    held_on: date | None = None
    supervisor: str | None = None

    @property
    def month(self) -> date | None:
        return None if self.held_on is None else self.held_on.replace(day=1)


@dataclass(frozen=True)
class TeamCoverage:
    """A team's (or the pool's, or the program's) released coverage: each figure None when withheld, `minutes`
    empty when the balance of functions is withheld, and `reason` saying why."""

    team: str
    peers: int | None
    supervised: rule.Count | None
    without_supportive: rule.Count | None
    individual_sessions: int | None
    group_sessions: int | None
    minutes: dict[str, int]
    reason: str | None = None

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
    month: date
    kind: str
    sessions: int | None
    reason: str | None = None


@dataclass(frozen=True)
class SupervisorLoad:
    """A supervisor's load: supervisees on the roster (a roster fact), and their sessions and minutes, withheld
    (None, with `reason`) when those sessions had fewer than k peers besides the viewer's known ones."""

    supervisor: str
    supervisees: int
    sessions: int | None
    group_sessions: int | None
    minutes: int | None
    supportive_minutes: int | None
    reason: str | None = None


@dataclass(frozen=True)
class SupervisionCoverage:
    """`recent_from` and `supportive_from` are the earliest session dates that still count as supervised and
    supportively supervised: the cut-offs of the prep flags' gaps (`scoring.gap_cutoff`), so both pages agree.
    `teams` are the lead's teams (and the pool when one of them is in it); `total` is the program's row for a
    lead of the whole program, else the sum of the released rows shown."""

    recent_days: int
    supportive_days: int
    balance_days: int
    recent_from: date
    supportive_from: date
    balance_from: date
    teams: tuple[TeamCoverage, ...]
    month_cells: tuple[MonthSessions, ...]
    supervisors: tuple[SupervisorLoad, ...]
    k: int = 5
    total: TeamCoverage | None = None
    pooled: tuple[str, ...] = field(default=())
    whole_program: bool = True

    @property
    def months(self) -> tuple[MonthSessions, ...]:
        """The released months and kinds with sessions, for the chart."""
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


def _event_table(
    rows: Sequence[Hashable], columns: Sequence[str], attended: Sequence[Attended], *, row_of: dict[str, Hashable],
    column_count: dict[str, tuple[str, int]] | None = None, k: int, known: frozenset[int],
) -> rule.Table:
    """A (row, column) table of events under `view_table`. Sessions (columns are kinds) count each session once per
    row; minutes (columns are functions) add each session's minutes once per row; each cell's peers are the
    distinct attendees behind it."""
    sessions: dict[tuple[Hashable, str], dict[int, int]] = defaultdict(dict)
    peers: dict[tuple[Hashable, str], set[int]] = defaultdict(set)
    for row in attended:
        group = row_of.get(row.team)
        if group is None:
            continue
        if column_count is None:
            key = (group, row.kind)
            sessions[key][row.session_id] = 1
            peers[key].add(row.peer_id)
            continue
        for function, (_, index) in column_count.items():
            if row.minutes[index] > 0:
                key = (group, function)
                sessions[key][row.session_id] = row.minutes[index]
                peers[key].add(row.peer_id)
    return rule.view_table({(group, column): rule.TableCell(sum(sessions[(group, column)].values()),
                                                            frozenset(peers[(group, column)]))
                            for group in rows for column in columns}, k=k, known=known)


def team_coverage(
    peers: Sequence[CoveragePeer], attended: Sequence[Attended], *, k: int, known: Collection[int] = frozenset(),
) -> tuple[dict[str, TeamCoverage], tuple[str, ...]]:
    """Every team's, the pool's and the program's (TOTAL) coverage under the release rule, and the teams pooled;
    `attended` are the sessions of the balance window."""
    known = frozenset(known)
    teams = sorted({peer.team for peer in peers})
    members: dict[str, list[CoveragePeer]] = defaultdict(list)
    for peer in peers:
        members[peer.team].append(peer)
    pooled = rule.pool_teams({team: len(members[team]) for team in teams}, k=k)

    def part(key: str, inside: Sequence[str]) -> rule.Part:
        group = [peer for team in inside for peer in members[team]]
        return rule.Part(key, len(group), (sum(peer.supervised for peer in group),
                                           sum(not peer.supported for peer in group)),
                         known=sum(peer.peer_id in known for peer in group))

    status = rule.view_groups([part(team, [team]) for team in teams], program=part(TOTAL, teams),
                              pool=part(POOL, pooled) if pooled else None, pooled=pooled, k=k)
    row_of: dict[str, Hashable] = {team: (POOL if team in pooled else team) for team in teams}
    rows = [*(team for team in teams if team not in pooled), *([POOL] if pooled else [])]
    functions = {function: (function, index) for index, function in enumerate(SUPERVISION_FUNCTIONS)}
    held = _event_table(rows, KINDS, attended, row_of=row_of, k=k, known=known)
    spent = _event_table(rows, list(SUPERVISION_FUNCTIONS), attended, row_of=row_of, column_count=functions, k=k,
                         known=known)

    def figure(key: str, kinds: dict[str, rule.TableCount], minutes: dict[str, rule.TableCount]) -> TeamCoverage:
        shown = status[key]
        if not shown.released:
            return TeamCoverage(key, None, None, None, None, None, {}, shown.reason)
        balance_reason = _reasons(*(count.reason for count in minutes.values()))
        return TeamCoverage(
            team=key, peers=shown.peers, supervised=shown.counts[0], without_supportive=shown.counts[1],
            individual_sessions=kinds["individual"].count, group_sessions=kinds["group"].count,
            minutes={} if balance_reason else {function: int(count.count or 0) for function, count in minutes.items()},
            reason=_reasons(*(count.reason for count in kinds.values()), balance_reason),
        )

    result = {}
    for key in rows:
        result[key] = figure(key, {kind: held.cells[(key, kind)] for kind in KINDS},
                             {function: spent.cells[(key, function)] for function in SUPERVISION_FUNCTIONS})
    for team in pooled:
        result[team] = TeamCoverage(team, None, None, None, None, None, {}, status[team].reason)
    if teams:
        result[TOTAL] = figure(TOTAL, {str(key): count for key, count in held.columns.items()},
                               {str(key): count for key, count in spent.columns.items()})
    return result, pooled


def month_sessions(
    cells: Sequence[queries.MonthSessionCell], months: Sequence[date], *, k: int,
) -> tuple[MonthSessions, ...]:
    """Sessions per month and kind: each count shown only when the sessions had at least k attending peers besides
    the viewer's known ones (or none). No total is shown beside them, so no cell is the difference of others."""
    found = {(date.fromisoformat(cell.month), cell.kind): cell for cell in cells}
    keys = [(month, kind) for month in months for kind in KINDS]

    def part(key: tuple[date, str]) -> rule.Part:
        cell = found.get(key)
        return rule.Part(f"{key[0].isoformat()}:{key[1]}", cell.peers if cell else 0, known=cell.known if cell else 0)

    shown = rule.release_line([part(key) for key in keys], k=k)
    result = []
    for key in keys:
        cell, view = found.get(key), shown[part(key).key]
        result.append(MonthSessions(key[0], key[1], (cell.sessions if cell else 0) if view.released else None,
                                    view.reason))
    return tuple(result)


def supervisor_figures(
    loads: Sequence[queries.SupervisorLoadRow], attended: Sequence[Attended], *, k: int,
    known: Collection[int] = frozenset(),
) -> tuple[SupervisorLoad, ...]:
    """Each supervisor's sessions and minutes, shown only when their sessions had at least k attending peers besides
    the viewer's known ones (or none at all)."""
    behind: dict[str, set[int]] = defaultdict(set)
    for row in attended:
        if row.supervisor is not None:
            behind[row.supervisor].add(row.peer_id)
    keys = [str(load.supervisor_id) for load in loads]
    shown = rule.release_line([rule.Part(key, len(behind[key]), known=len(behind[key] & set(known))) for key in keys],
                              k=k)
    return tuple(
        SupervisorLoad(load.name, load.supervisees, load.sessions, load.group_sessions, int(load.minutes),
                       int(load.supportive_minutes)) if shown[key].released
        else SupervisorLoad(load.name, load.supervisees, None, None, None, None, shown[key].reason)
        for key, load in zip(keys, loads, strict=True)
    )


def _summed(rows: Sequence[TeamCoverage]) -> TeamCoverage | None:
    """The sum of the released rows a lead of some teams is shown: a total of released cells."""
    shown = [row for row in rows if row.reason is None and row.supervised is not None]
    if not shown:
        return None

    def added(counts: list[rule.Count | None]) -> rule.Count:
        present = [count for count in counts if count is not None]
        return rule.Count(sum(count.low for count in present), sum(count.high for count in present))

    return TeamCoverage(TOTAL, sum(row.peers or 0 for row in shown), added([row.supervised for row in shown]),
                        added([row.without_supportive for row in shown]), None, None, {})


def _inputs(
    session: Session, *, program_id: int, on: date, names: dict[int, str], recent_from: date, supportive_from: date,
    since: date,
) -> tuple[list[CoveragePeer], list[Attended]]:
    rows = queries.roster_attendance(session, program_id=program_id, on=on,
                                     since=min(since, recent_from, supportive_from), until=on)
    supervised = {row.peer_id for row in rows if row.held_on >= recent_from}
    supported = {row.peer_id for row in rows if row.held_on >= supportive_from and (row.supportive or 0) > 0}
    peers = [CoveragePeer(peer.peer_id, names[peer.team_id], peer.peer_id in supervised, peer.peer_id in supported)
             for peer in queries.roster_peers(session, program_id=program_id, on=on)]
    attended = [Attended(row.session_id, row.kind, row.peer_id, names[row.team_id],
                         (int(row.administrative or 0), int(row.educational or 0), int(row.supportive or 0)),
                         held_on=row.held_on, supervisor=str(row.supervisor_id)) for row in rows]
    return peers, attended


def coverage_inputs(session: Session, *, actor: User, on: date) -> tuple[list[CoveragePeer], list[Attended]]:
    """The unnamed per-peer statuses and attendances of the whole program that the released figures are built
    from (the balance window's sessions); for checking the figures against the rule, never shown."""
    scope = lead_scope(session, actor=actor)
    settings = scope.settings
    on = min(on, clock.today())
    names = {team.id: team.name for team in queries.teams(session, program_id=scope.program_id)}
    balance_from = scoring.window_start(on, settings.balance_window_days)
    peers, attended = _inputs(session, program_id=scope.program_id, on=on, names=names,
                              recent_from=scoring.gap_cutoff(on, settings.supervision_gap_days),
                              supportive_from=scoring.gap_cutoff(on, settings.supportive_gap_days), since=balance_from)
    return peers, [row for row in attended if row.held_on is not None and row.held_on >= balance_from]


def supervision_coverage(session: Session, *, actor: User, on: date) -> SupervisionCoverage:
    """Per team: peers supervised within the supervision gap, without supportive supervision within the
    supportive gap (both counted as the prep flags count them), sessions by kind and minutes per function over
    the balance window; sessions by kind per month; supervisor loads — each under the release rule."""
    scope = lead_scope(session, actor=actor)
    settings = scope.settings
    on = min(on, clock.today())
    names = {team.id: team.name for team in queries.teams(session, program_id=scope.program_id)}
    recent_from = scoring.gap_cutoff(on, settings.supervision_gap_days)
    supportive_from = scoring.gap_cutoff(on, settings.supportive_gap_days)
    balance_from = scoring.window_start(on, settings.balance_window_days)
    known = people_known_to(session, actor=actor)
    calendar = complete_months(on, TREND_MONTHS)
    peers, everything = _inputs(session, program_id=scope.program_id, on=on, names=names, recent_from=recent_from,
                                supportive_from=supportive_from, since=balance_from)
    window = [row for row in everything if row.held_on is not None and row.held_on >= balance_from]
    figures, pooled = team_coverage(peers, window, k=scope.k, known=known)
    visible = set(names.values()) if scope.team_ids is None else {names[team_id] for team_id in scope.team_ids
                                                                   if team_id in names}
    teams = [figures[team] for team in sorted(figures) if team in visible]
    if visible & set(pooled):
        teams.append(figures[POOL])
    months = month_sessions(queries.monthly_session_cells(session, program_id=scope.program_id, on=on,
                                                          months=calendar, known=known, team_ids=scope.team_ids),
                            calendar, k=scope.k)
    loads = supervisor_figures(
        queries.supervisor_loads(session, since=balance_from, program_id=scope.program_id, on=on,
                                 team_ids=scope.team_ids),
        [row for row in window if row.team in visible], k=scope.k, known=known,
    )
    return SupervisionCoverage(
        recent_days=settings.supervision_gap_days,
        supportive_days=settings.supportive_gap_days,
        balance_days=settings.balance_window_days,
        recent_from=recent_from,
        supportive_from=supportive_from,
        balance_from=balance_from,
        teams=tuple(teams),
        month_cells=months,
        supervisors=loads,
        k=scope.k,
        total=figures.get(TOTAL) if scope.whole_program else _summed(teams),
        pooled=tuple(team for team in pooled if team in visible),
        whole_program=scope.whole_program,
    )


@dataclass(frozen=True)
class ReleasedCoverage:
    """A group's supervision in a closed month, as released: peers placed in it, those at a session during the
    month and those without a session with supportive minutes (exact or a range), or why it is withheld."""

    team: str
    peers: int | None
    supervised: rule.Count | None
    without_supportive: rule.Count | None
    reason: str | None


@dataclass(frozen=True)
class ReleasedMonthCoverage:
    month: date
    rows: tuple[ReleasedCoverage, ...]


def released_coverage(session: Session, *, actor: User, on: date) -> ReleasedMonthCoverage:
    """The latest closed month's supervision coverage per team, the pool and the program, read from the figures
    released when the month closed (so it never changes after it is shown), for the groups the lead covers."""
    scope = lead_scope(session, actor=actor)
    on = min(on, clock.today())
    release.ensure_released(session, program_id=scope.program_id, on=on)
    month = complete_months(on, 1)[0]
    rows = []
    for label, cell in release.latest_groups(session, program_id=scope.program_id, team_ids=scope.team_ids,
                                             month=month, topic=release.COVERAGE, viewer=actor):
        if not cell.released:
            rows.append(ReleasedCoverage(label, None, None, None, cell.reason))
            continue
        supervised, unsupported = cell.counts or (rule.Count(0, 0), rule.Count(0, 0))
        rows.append(ReleasedCoverage(label, cell.peers, supervised, unsupported, None))
    return ReleasedMonthCoverage(month, tuple(rows))
