"""The release rule for program lead figures, defined once (see docs/release.md for the reasoning).

A figure reaches a program lead only as a released cell of a *line*: parts (teams, the smaller teams
combined) under a total (the program). A cell is released when:

- it is built from at least `k` distinct peers, not counting the peers the viewer knows about (the viewer
  themself when they are also a peer, and the people they supervise);
- the *residual* of its line — the total minus every part shown exactly — is itself releasable: empty, or
  built from at least `k` peers the viewer does not know and with no count that describes all or none of
  them. This is complementary suppression: a lone hidden part is never the difference of shown figures;
- a count of peers with a status (checked in, in the high band) never says that every member, or no
  member, has it: a count of none or all (for a viewer who knows some of the peers, within that many of none
  or all) is shown only as a range ("1 or fewer", "4 or more").

Small teams are pooled before the rule runs (`pool_teams`), so that a small program still sees a figure.

Every lead figure goes through this module: the released wellness figures (`release_groups`, read through
`view_groups`), the equity lens's released quarters (`view_groups` with no pool, at release and on reading), the
live lines of groups under a total (training counts per team: `view_groups`) and the live count tables of events
(call-outs per team and kind: `view_table`).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from scoring.errors import ScoringError
from scoring.phrases import N_, Phrase

PROGRAM_GROUP = N_("All teams")
POOL_GROUP = N_("Smaller teams combined")
"""The reserved group names, stored as written; the console translates them where they are shown."""
COMPLEMENTARY_REASON = N_("hidden alongside a small figure so that it cannot be worked out from the total")
POOLED_REASON = N_("counted in Smaller teams combined, since the team alone has fewer peers than the threshold")
VIEWER_REASON = N_("it would rest on too few peers besides you and the people you supervise, so it is not "
                   "shown to you")
NO_DATA_REASON = N_("no data for this period")
SMALL_REASON = N_("fewer than {k} peers")
"""Reasons are stored in English, as written here; the console shows them with `i18n.render(reason_phrase(...))`."""


def small_reason(k: int) -> str:
    return SMALL_REASON.format(k=k)


_SMALL = re.compile(re.escape(SMALL_REASON).replace(re.escape("{k}"), r"(\d+)"))


def reason_phrase(reason: str) -> Phrase:
    """A stored reason as a phrase to translate: the reasons above are templates, `small_reason`'s is filled."""
    small = _SMALL.fullmatch(reason)
    if small:
        return Phrase.of(SMALL_REASON, k=int(small.group(1)))
    return Phrase(reason)


@dataclass(frozen=True)
class Part:
    """One cell of a line: distinct peers it is built from (None: already withheld, for `reason`), the
    counts of peers with a status, and how many of its peers the viewer knows (0 at release time)."""

    key: str
    peers: int | None
    counts: tuple[int, ...] = ()
    known: int = 0
    reason: str | None = None


@dataclass(frozen=True)
class Count:
    """A count as shown: exact, or a range when the exact number would describe all or none of a group."""

    low: int
    high: int

    @property
    def exact(self) -> int | None:
        return self.low if self.low == self.high else None

    def text(self) -> str:
        return str(self.phrase())

    def phrase(self) -> Phrase | str:
        """The count as shown: the number, or the range as a phrase ("1 or fewer", "5 to 6")."""
        if self.low == self.high:
            return str(self.low)
        if self.low == 0:
            return Phrase.of(N_("{high} or fewer"), high=self.high)
        return Phrase.of(N_("{low} to {high}"), low=self.low, high=self.high)


@dataclass(frozen=True)
class Shown:
    """A cell after the rule: released (with its counts as shown) or withheld with the reason."""

    key: str
    released: bool
    reason: str | None
    peers: int | None
    counts: tuple[Count, ...]


def _check(k: int, parts: Sequence[Part]) -> None:
    if type(k) is not int or k < 1:
        raise ScoringError(f"k must be a whole number of at least 1, got {k!r}")
    keys = [part.key for part in parts]
    if len(set(keys)) != len(keys):
        raise ScoringError(f"a line names a part twice: {keys!r}")
    for part in parts:
        if part.peers is not None and (part.peers < 0 or any(not 0 <= count for count in part.counts)):
            raise ScoringError(f"part {part.key!r}: peers and counts must be 0 or more")
        if part.known < 0:
            raise ScoringError(f"part {part.key!r}: known peers must be 0 or more")


def coded(count: int, *, peers: int, known: int = 0) -> Count:
    """`count` of `peers` as shown to a viewer who knows `known` of them: exact only when, whatever the known
    peers' part of it, at least one other peer is counted and at least one is not."""
    if peers <= known:
        return Count(count, count)
    if count <= known:
        return Count(0, known + 1)
    if count >= peers - known:
        return Count(max(0, peers - known - 1), peers)
    return Count(count, count)


def _safe_residual(peers: int, known: int, counts: Sequence[Count], *, k: int) -> bool:
    """Whether what a line's shown figures leave over can be worked out without describing one peer."""
    if peers == 0:
        return True
    if peers - known < k:
        return False
    for count in counts:
        low, high = max(0, count.low), min(peers, count.high)
        if high <= low and coded(low, peers=peers, known=known).exact is None:
            return False
    return True


def _at(counts: tuple[int, ...], index: int) -> int:
    return counts[index] if index < len(counts) else 0


def _widen_total(
    counts: tuple[Count, ...], residual: list[Count], *, peers: int, residual_peers: int, residual_known: int
) -> tuple[Count, ...] | None:
    """The total's counts shown as ranges wide enough that the residual's count is no longer one value that
    describes all or none of it; None when nothing needs widening."""
    widened = list(counts)
    changed = False
    for index, (count, left) in enumerate(zip(counts, residual, strict=True)):
        if left.high > left.low or coded(left.low, peers=residual_peers, known=residual_known).exact is not None:
            continue
        changed = True
        if left.low <= residual_known:
            widened[index] = Count(count.low, max(count.high, count.low + residual_known + 1, count.low + 1))
        else:
            widened[index] = Count(max(0, min(count.low, count.high - residual_known - 1)), count.high)
        widened[index] = Count(widened[index].low, min(widened[index].high, peers))
    return tuple(widened) if changed else None


def release_line(parts: Sequence[Part], total: Part | None = None, *, k: int) -> dict[str, Shown]:
    """Apply the rule to a line of parts under an optional total; every part's and the total's cell."""
    every = [*parts, *([total] if total is not None else [])]
    _check(k, every)
    reasons: dict[str, str] = {}
    for part in every:
        if part.peers is None:
            reasons[part.key] = part.reason or small_reason(k)
        elif 0 < part.peers < k:
            reasons[part.key] = small_reason(k)
        elif part.peers > 0 and part.peers - part.known < k:
            reasons[part.key] = VIEWER_REASON
    shown_counts = {
        part.key: tuple(coded(count, peers=part.peers, known=part.known) for count in part.counts)
        for part in every
        if part.peers is not None
    }
    if total is not None and total.peers is not None and total.key not in reasons:
        was_widened = False
        while True:
            exact = [part for part in parts if part.key not in reasons and part.peers is not None
                     and all(count.exact is not None for count in shown_counts[part.key])]
            residual_peers = total.peers - sum(part.peers or 0 for part in exact)
            residual_known = max(0, total.known - sum(part.known for part in exact))
            residual_counts = [
                Count(count.low - sum(_at(part.counts, index) for part in exact),
                      count.high - sum(_at(part.counts, index) for part in exact))
                for index, count in enumerate(shown_counts[total.key])
            ]
            if _safe_residual(residual_peers, residual_known, residual_counts, k=k):
                break
            widened = _widen_total(shown_counts[total.key], residual_counts, peers=total.peers,
                                   residual_peers=residual_peers, residual_known=residual_known)
            if not was_widened and widened is not None and _safe_residual(residual_peers, residual_known, [], k=k):
                shown_counts[total.key] = widened
                was_widened = True
                continue
            candidates = [part for part in exact if (part.peers or 0) > 0]
            if not candidates:
                reasons[total.key] = COMPLEMENTARY_REASON
                break
            smallest = min(candidates, key=lambda part: (part.peers, part.key))
            reasons[smallest.key] = COMPLEMENTARY_REASON
    return {
        part.key: Shown(part.key, False, reasons[part.key], None, ()) if part.key in reasons
        else Shown(part.key, True, None, part.peers, shown_counts[part.key])
        for part in every
    }


def pool_teams(sizes: Mapping[str, int], *, k: int) -> tuple[str, ...]:
    """The teams counted together as "Smaller teams combined": every team with 1 to k - 1 peers, and then
    the smallest other teams until the pool reaches k. Empty when no team is small, or when the pool would
    be the whole program (then only program-level figures describe those teams)."""
    if type(k) is not int or k < 1:
        raise ScoringError(f"k must be a whole number of at least 1, got {k!r}")
    pooled = sorted(team for team, size in sizes.items() if 0 < size < k)
    if not pooled:
        return ()
    others = sorted((team for team, size in sizes.items() if size >= k), key=lambda team: (sizes[team], team))
    while sum(sizes[team] for team in pooled) < k and others:
        pooled.append(others.pop(0))
    if not others:
        return ()
    return tuple(sorted(pooled))


def release_groups(
    teams: Sequence[Part], *, program: Part, pool: Part | None = None, pooled: Sequence[str] = (), k: int,
) -> dict[str, Shown]:
    """The rule for one topic and period of a program: the teams in `pooled` are counted only in `pool`, whose
    line (the pooled teams under the pool) is released first; then the program's line (the other teams and the
    pool under the program)."""
    if pooled and pool is None:
        raise ScoringError("teams are pooled but the pool's cell is missing")
    pooled_set = set(pooled)
    shown: dict[str, Shown] = {}
    line = [part for part in teams if part.key not in pooled_set]
    if pool is not None and pooled_set:
        inside = [Part(part.key, None, known=part.known, reason=part.reason or POOLED_REASON)
                  for part in teams if part.key in pooled_set]
        shown.update(release_line(inside, pool, k=k))
        pool_shown = shown[pool.key]
        line.append(pool if pool_shown.released else Part(pool.key, None, known=pool.known, reason=pool_shown.reason))
    shown.update(release_line(line, program, k=k))
    return shown


def view_groups(
    teams: Sequence[Part], *, program: Part, pool: Part | None = None, pooled: Sequence[str] = (), k: int,
) -> dict[str, Shown]:
    """The released cells as one viewer sees them: the rule applied for them (`known` in the parts) and as
    released for everyone (nobody known), each cell shown only when both show it, with the wider of the two
    ranges. Reading therefore never shows more than was released."""
    mine = release_groups(teams, program=program, pool=pool, pooled=pooled, k=k)

    def nobody(part: Part) -> Part:
        return Part(part.key, part.peers, part.counts, 0, part.reason)

    everyone = release_groups([nobody(part) for part in teams], program=nobody(program),
                              pool=nobody(pool) if pool is not None else None, pooled=pooled, k=k)
    merged = {}
    for key, view in mine.items():
        general = everyone[key]
        if not (view.released and general.released):
            merged[key] = Shown(key, False, view.reason or general.reason, None, ())
            continue
        counts = tuple(Count(min(own.low, wide.low), max(own.high, wide.high))
                       for own, wide in zip(view.counts, general.counts, strict=True))
        merged[key] = Shown(key, True, None, view.peers, counts)
    return merged


@dataclass(frozen=True)
class TableCell:
    """One cell of a count table of events (e.g. call-outs of a team and kind): the count and the distinct peers
    it is built from."""

    count: int
    peers: frozenset[Hashable]


@dataclass(frozen=True)
class TableCount:
    """A count of a table as shown: the count, or None with the reason it is withheld."""

    count: int | None
    reason: str | None

    @property
    def released(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class Table:
    cells: dict[tuple[Hashable, Hashable], TableCount]
    rows: dict[Hashable, TableCount]
    columns: dict[Hashable, TableCount]
    total: TableCount


_TableKey = tuple[Hashable, ...]


def release_table(
    cells: Mapping[tuple[Hashable, Hashable], TableCell], *, k: int, known: frozenset[Hashable] = frozenset(),
) -> Table:
    """The rule for a (row, column) → count table of events with row, column and grand totals (sums of the
    cells, built from the union of their peers), for a viewer who knows the peers in `known`.

    A cell or total built from 1 to k - 1 peers, or from fewer than k peers outside `known`, is withheld.
    Counts of events are shown as they are (like exposures, see docs/release.md). Complementary suppression:
    every line (a row under its total, a column under its total, the row totals and the column totals under
    the grand total) with a shown total has no withheld part, or at least two whose peers together are a
    releasable residual (`_safe_residual`); otherwise the smallest shown part is withheld too, or the total when
    no part is left, repeatedly, so that no total minus the shown cells isolates one withheld cell."""
    if type(k) is not int or k < 1:
        raise ScoringError(f"k must be a whole number of at least 1, got {k!r}")
    for key, cell in cells.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            raise ScoringError(f"count table keys are (row, column) pairs, got {key!r}")
        if type(cell.count) is not int or cell.count < 0 or (cell.count == 0) != (not cell.peers):
            raise ScoringError(f"cell {key!r}: a count is 0 or more, and 0 exactly when no peer is behind it")
    rows = list(dict.fromkeys(row for row, _ in cells))
    columns = list(dict.fromkeys(column for _, column in cells))
    row_members: dict[Hashable, list[_TableKey]] = {row: [] for row in rows}
    column_members: dict[Hashable, list[_TableKey]] = {column: [] for column in columns}
    counts: dict[_TableKey, int] = {}
    peers: dict[_TableKey, frozenset[Hashable]] = {}
    for (row, column), cell in cells.items():
        counts[("cell", row, column)] = cell.count
        peers[("cell", row, column)] = cell.peers
        row_members[row].append(("cell", row, column))
        column_members[column].append(("cell", row, column))
    for name, members_of in (("row", row_members), ("column", column_members)):
        for line, members in members_of.items():
            counts[(name, line)] = sum(counts[member] for member in members)
            peers[(name, line)] = frozenset().union(*(peers[member] for member in members))
    counts[("total",)] = sum(cell.count for cell in cells.values())
    peers[("total",)] = frozenset().union(*(cell.peers for cell in cells.values()))
    reasons: dict[_TableKey, str] = {}
    for figure, behind in peers.items():
        if 0 < len(behind) < k:
            reasons[figure] = small_reason(k)
        elif behind and len(behind - known) < k:
            reasons[figure] = VIEWER_REASON
    lines: list[tuple[_TableKey, list[_TableKey]]] = [
        *((("row", row), members) for row, members in row_members.items()),
        *((("column", column), members) for column, members in column_members.items()),
        (("total",), [("row", row) for row in rows]),
        (("total",), [("column", column) for column in columns]),
    ]
    changed = True
    while changed:
        changed = False
        for total_key, members in lines:
            hidden = [member for member in members if member in reasons]
            if total_key in reasons or not hidden:
                continue
            residual = frozenset().union(*(peers[member] for member in hidden))
            if len(hidden) > 1 and _safe_residual(len(residual), len(residual & known), [], k=k):
                continue
            candidates = [member for member in members if member not in reasons and peers[member]]
            if candidates:
                reasons[min(candidates, key=lambda member: (len(peers[member]), counts[member], repr(member)))] = (
                    COMPLEMENTARY_REASON)
            else:
                reasons[total_key] = COMPLEMENTARY_REASON
            changed = True

    def shown(key: _TableKey) -> TableCount:
        return TableCount(None, reasons[key]) if key in reasons else TableCount(counts[key], None)

    return Table(
        cells={(row, column): shown(("cell", row, column)) for row, column in cells},
        rows={row: shown(("row", row)) for row in rows},
        columns={column: shown(("column", column)) for column in columns},
        total=shown(("total",)),
    )


def view_table(
    cells: Mapping[tuple[Hashable, Hashable], TableCell], *, k: int, known: frozenset[Hashable] = frozenset(),
) -> Table:
    """A count table as one viewer sees it, like `view_groups`: each count shown only when both the rule for
    everyone and the rule for this viewer show it, so every viewer's withheld cells include the common pattern."""
    mine = release_table(cells, k=k, known=known)
    everyone = release_table(cells, k=k)

    def merged(own: TableCount, general: TableCount) -> TableCount:
        return own if not own.released else general

    return Table(
        cells={key: merged(own, everyone.cells[key]) for key, own in mine.cells.items()},
        rows={key: merged(own, everyone.rows[key]) for key, own in mine.rows.items()},
        columns={key: merged(own, everyone.columns[key]) for key, own in mine.columns.items()},
        total=merged(mine.total, everyone.total),
    )
