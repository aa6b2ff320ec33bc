"""Team-level figures that never describe fewer than `k` distinct peers.

Small-cell rule: a figure built from fewer than `k` distinct peers (default 5,
a program setting) is suppressed and says so. Complementary suppression: when
a total is published beside its parts, a line (the groups under a total, or a
row or column of a count table) never has exactly one suppressed part, since
that part could be worked out by subtracting the others from the total; the
smallest other part is suppressed too.

The program lead's wellness figures are released under `scoring.release` instead, the one rule for lead
figures; this module stays only for figures that still call it and should move onto that rule.
"""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from scoring.errors import ScoringError

TOTAL_GROUP = "All teams"
COMPLEMENTARY_REASON = "hidden alongside a small figure so that it cannot be worked out from the total"


def small_cell_reason(k: int) -> str:
    return f"fewer than {k} peers"


@dataclass(frozen=True)
class PeerValue:
    """One peer's value in one group, e.g. their latest burnout score and band in their team."""

    peer_id: Hashable
    group: str
    value: float | None
    band: str | None = None


@dataclass(frozen=True)
class GroupAggregate:
    """Median, quartiles (statistics.quantiles, method "inclusive") and the share in
    `band` for one group; every figure is None when the group is suppressed."""

    group: str
    peers: int | None
    median: float | None
    q1: float | None
    q3: float | None
    band: str
    band_share: float | None
    suppressed: bool
    reason: str | None


def _check_k(k: int) -> None:
    if type(k) is not int or k < 1:
        raise ScoringError(f"k must be a whole number of at least 1, got {k!r}")


_Key = TypeVar("_Key", bound=Hashable)
_CellKey = tuple[Hashable, ...]


def _next_to_hide(sizes: Mapping[_Key, int], hidden: Mapping[_Key, str], total: _Key) -> _Key | None:
    """What to suppress next in a line of parts under a shown total, or None when the line is safe.

    A line is unsafe when exactly one part is hidden. The smallest shown part
    with a nonzero size is hidden next (a zero is easy to guess); with no other
    part, the total itself.
    """
    hidden_parts = [key for key in sizes if key in hidden]
    if total in hidden or len(hidden_parts) != 1:
        return None
    shown = [key for key in sizes if key not in hidden]
    if not shown:
        return total
    return min(shown, key=lambda key: (sizes[key] == 0, sizes[key], str(key)))


def team_aggregates(
    values: Iterable[PeerValue],
    *,
    k: int = 5,
    band: str = "high",
    include_total: bool = False,
    total_label: str = TOTAL_GROUP,
) -> dict[str, GroupAggregate]:
    """Per group: distinct peers, median, quartiles and share in `band`, with small groups suppressed.

    Peers whose value is None are left out. Each peer may appear once (in one
    group), so that groups add up to the total. The band share counts peers
    whose value has a band; it is None when none has. With `include_total`, a
    `total_label` row over all peers is added last, and complementary
    suppression applies (see the module docstring).
    """
    _check_k(k)
    groups: dict[str, list[PeerValue]] = {}
    seen: dict[Hashable, str] = {}
    for value in values:
        if value.value is None:
            continue
        if value.peer_id in seen:
            raise ScoringError(
                f"peer {value.peer_id!r} appears twice (groups {seen[value.peer_id]!r} and {value.group!r})"
            )
        seen[value.peer_id] = value.group
        groups.setdefault(value.group, []).append(value)
    if include_total and total_label in groups:
        raise ScoringError(f"a group is named {total_label!r}, the label of the total row; pass another total_label")
    hidden = {group: small_cell_reason(k) for group, members in groups.items() if len(members) < k}
    if include_total:
        if len(seen) < k:
            hidden[total_label] = small_cell_reason(k)
        extra = _next_to_hide({group: len(members) for group, members in groups.items()}, hidden, total_label)
        if extra is not None:
            hidden[extra] = COMPLEMENTARY_REASON
    result = {
        group: _aggregate(group, members, band=band, reason=hidden.get(group))
        for group, members in sorted(groups.items())
    }
    if include_total:
        everyone = [member for members in groups.values() for member in members]
        result[total_label] = _aggregate(total_label, everyone, band=band, reason=hidden.get(total_label))
    return result


def _aggregate(group: str, members: list[PeerValue], *, band: str, reason: str | None) -> GroupAggregate:
    if reason is not None:
        return GroupAggregate(group, None, None, None, None, band, None, True, reason)
    numbers = sorted(float(member.value) for member in members if member.value is not None)
    q1, _, q3 = statistics.quantiles(numbers, n=4, method="inclusive") if len(numbers) > 1 else numbers * 3
    banded = [member.band for member in members if member.band is not None]
    share = sum(1 for member_band in banded if member_band == band) / len(banded) if banded else None
    return GroupAggregate(group, len(members), statistics.median(numbers), q1, q3, band, share, False, None)


@dataclass(frozen=True)
class CountCell:
    """A count and the number of distinct peers it is built from.

    For a count of peers (e.g. peers who checked in), `peers` equals `count`;
    for a count of events or answers (check-ins, peers reporting an exposure
    out of those who checked in), `peers` is everyone the cell describes.
    """

    count: int
    peers: int


@dataclass(frozen=True)
class ShownCount:
    count: int | None
    suppressed: bool
    reason: str | None


@dataclass(frozen=True)
class CountTable:
    cells: dict[tuple[Hashable, Hashable], ShownCount] = field(hash=False)
    row_totals: dict[Hashable, ShownCount] = field(hash=False)
    column_totals: dict[Hashable, ShownCount] = field(hash=False)
    total: ShownCount


def suppress_counts(
    cells: Mapping[tuple[Hashable, Hashable], int | CountCell],
    *,
    k: int = 5,
    row_peers: Mapping[Hashable, int] | None = None,
    column_peers: Mapping[Hashable, int] | None = None,
    total_peers: int | None = None,
) -> CountTable:
    """Apply the small-cell rule to a (row, column) → count table, with row, column and grand totals.

    A cell is suppressed when it is built from 1 to k - 1 peers; an empty cell
    (0 peers) describes no one and is shown as 0. Totals are sums of the
    counts. The distinct peers behind a total are taken from `row_peers`,
    `column_peers` and `total_peers` when given; otherwise the largest cell of
    the line stands in for it, a lower bound (the same peer may sit in several
    months), so a total is never shown on a guess. Then, repeatedly, any line
    with a shown total and exactly one suppressed part has its smallest other
    part suppressed too, or its total when there is no other part; this covers
    rows, columns, and the row and column totals under the grand total.
    """
    _check_k(k)
    counted: dict[tuple[Hashable, Hashable], CountCell] = {}
    for key, cell in cells.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            raise ScoringError(f"count table keys are (row, column) pairs, got {key!r}")
        if type(cell) is int:
            cell = CountCell(count=cell, peers=cell)
        if not (
            isinstance(cell, CountCell)
            and type(cell.count) is int
            and type(cell.peers) is int
            and cell.count >= 0
            and cell.peers >= 0
        ):
            raise ScoringError(f"cell {key!r}: counts must be whole numbers 0 or more, got {cell!r}")
        counted[key] = cell
    rows = list(dict.fromkeys(row for row, _ in counted))
    columns = list(dict.fromkeys(column for _, column in counted))
    row_members: dict[Hashable, list[_CellKey]] = {
        row: [("cell", key) for key in counted if key[0] == row] for row in rows
    }
    column_members: dict[Hashable, list[_CellKey]] = {
        column: [("cell", key) for key in counted if key[1] == column] for column in columns
    }

    counts: dict[_CellKey, int] = {("cell", key): cell.count for key, cell in counted.items()}
    peers: dict[_CellKey, int] = {("cell", key): cell.peers for key, cell in counted.items()}
    for row, members in row_members.items():
        counts[("row", row)] = sum(counts[member] for member in members)
        peers[("row", row)] = (row_peers or {}).get(row, max(peers[member] for member in members))
    for column, members in column_members.items():
        counts[("column", column)] = sum(counts[member] for member in members)
        peers[("column", column)] = (column_peers or {}).get(column, max(peers[member] for member in members))
    counts[("total",)] = sum(cell.count for cell in counted.values())
    peers[("total",)] = total_peers if total_peers is not None else max(peers.values(), default=0)

    hidden = {key: small_cell_reason(k) for key, behind in peers.items() if 0 < behind < k}
    lines: list[tuple[_CellKey, list[_CellKey]]] = [
        *((("row", row), members) for row, members in row_members.items()),
        *((("column", column), members) for column, members in column_members.items()),
        (("total",), [("row", row) for row in rows]),
        (("total",), [("column", column) for column in columns]),
    ]
    changed = True
    while changed:
        changed = False
        for total_key, members in lines:
            extra = _next_to_hide({member: counts[member] for member in members}, hidden, total_key)
            if extra is not None:
                hidden[extra] = COMPLEMENTARY_REASON
                changed = True

    def shown(key: _CellKey) -> ShownCount:
        if key in hidden:
            return ShownCount(None, True, hidden[key])
        return ShownCount(counts[key], False, None)

    return CountTable(
        cells={key: shown(("cell", key)) for key in counted},
        row_totals={row: shown(("row", row)) for row in rows},
        column_totals={column: shown(("column", column)) for column in columns},
        total=shown(("total",)),
    )
