"""The release rule: small cells, residuals, none-or-all counts, pooling, and an attacker who tries to solve
for one peer's status from everything a viewer is shown."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import release as rule
from scoring.errors import ScoringError


def test_a_cell_needs_k_peers_and_the_viewer_does_not_count_toward_k():
    shown = rule.release_line([rule.Part("a", 4, (2,)), rule.Part("b", 5, (2,))], k=5)
    assert shown["a"].reason == "fewer than 5 peers" and shown["b"].released
    mine = rule.release_line([rule.Part("b", 5, (2,), known=1)], k=5)
    assert mine["b"].reason == rule.VIEWER_REASON


def test_none_or_all_is_shown_as_a_range():
    assert rule.coded(0, peers=6) == rule.Count(0, 1)
    assert rule.coded(6, peers=6) == rule.Count(5, 6)
    assert rule.coded(1, peers=6) == rule.Count(1, 1)
    assert rule.coded(1, peers=6, known=1) == rule.Count(0, 2)
    assert rule.Count(0, 1).text() == "1 or fewer" and rule.Count(5, 6).text() == "5 to 6"
    assert rule.Count(3, 3).text() == "3"


def test_a_lone_small_part_under_a_total_takes_another_part_with_it():
    shown = rule.release_line([rule.Part("a", 2, (1,)), rule.Part("b", 6, (3,)), rule.Part("c", 9, (4,))],
                              rule.Part("all", 17, (8,)), k=5)
    assert shown["a"].reason == "fewer than 5 peers"
    assert shown["b"].reason == rule.COMPLEMENTARY_REASON
    assert shown["c"].released and shown["all"].released


def test_a_total_is_widened_rather_than_give_away_a_part_shown_as_none():
    shown = rule.release_line([rule.Part("a", 7, (0,)), rule.Part("b", 8, (3,))], rule.Part("all", 15, (3,)), k=5)
    assert shown["a"].counts == (rule.Count(0, 1),)
    assert shown["b"].counts == (rule.Count(3, 3),)
    assert shown["all"].counts == (rule.Count(3, 4),)


def test_pooling_takes_small_teams_and_then_the_smallest_others():
    assert rule.pool_teams({"a": 2, "b": 1, "c": 9, "d": 6}, k=5) == ("a", "b", "d")
    assert rule.pool_teams({"a": 2, "b": 3, "c": 9}, k=5) == ("a", "b")
    assert rule.pool_teams({"a": 2, "b": 3}, k=5) == ()
    assert rule.pool_teams({"a": 5, "b": 0}, k=5) == ()


def test_bad_input_is_refused():
    with pytest.raises(ScoringError):
        rule.release_line([rule.Part("a", 5)], k=0)
    with pytest.raises(ScoringError):
        rule.release_line([rule.Part("a", 5), rule.Part("a", 6)], k=3)
    with pytest.raises(ScoringError):
        rule.release_groups([rule.Part("a", 5)], program=rule.Part("p", 5), pooled=["a"], k=3)


def _groups(sizes: list[int], highs: list[int], known: list[int], *, k: int, viewer: bool):
    """The rule as the console applies it: release with nobody known, then read for a viewer who knows
    `known[i]` peers of team i (their own data, or their supervisees')."""
    keys = [f"team:{index}" for index in range(len(sizes))]
    pooled = rule.pool_teams(dict(zip(keys, sizes, strict=True)), k=k)
    members = {key: [key] for key in keys} | {"pool": list(pooled), "program": keys}

    def part(key: str, known_of: dict[str, int]) -> rule.Part:
        inside = members[key]
        return rule.Part(key, sum(sizes[keys.index(team)] for team in inside),
                         (sum(highs[keys.index(team)] for team in inside),),
                         known=sum(known_of.get(team, 0) for team in inside))

    nobody: dict[str, int] = {}
    released = rule.release_groups([part(key, nobody) for key in keys], program=part("program", nobody),
                                   pool=part("pool", nobody) if pooled else None, pooled=pooled, k=k)
    if not viewer:
        return keys, members, released
    known_of = dict(zip(keys, known, strict=True))

    def stored(key: str) -> rule.Part:
        seen = part(key, known_of)
        if not released[key].released:
            return rule.Part(key, None, known=seen.known, reason=released[key].reason)
        return seen

    shown = rule.view_groups([stored(key) for key in keys], program=stored("program"),
                             pool=stored("pool") if pooled else None, pooled=pooled, k=k)
    for key, view in shown.items():
        assert released[key].released or not view.released, "reading never shows what release withheld"
    return keys, members, shown


@st.composite
def programs(draw):
    k = draw(st.integers(3, 5))
    teams = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(0, 8), min_size=teams, max_size=teams))
    highs = [draw(st.integers(0, size)) for size in sizes]
    known = [draw(st.integers(0, min(size, 2))) for size in sizes]
    known_highs = [draw(st.integers(max(0, seen - (size - high)), min(seen, high)))
                   for size, high, seen in zip(sizes, highs, known, strict=True)]
    return k, sizes, highs, known, known_highs


def _feasible(sizes, members, keys, shown, known, known_highs):
    """Every per-team count of peers in the high band that agrees with all the viewer is shown and knows."""
    ranges = [range(known_high, size - (seen - known_high) + 1)
              for size, seen, known_high in zip(sizes, known, known_highs, strict=True)]
    for counts in itertools.product(*ranges):
        agrees = True
        for key, view in shown.items():
            if not view.released or not view.counts:
                continue
            total = sum(counts[keys.index(team)] for team in members[key])
            if not view.counts[0].low <= total <= view.counts[0].high:
                agrees = False
                break
        if agrees:
            yield counts


@settings(max_examples=300, deadline=None)
@given(programs(), st.booleans())
def test_no_view_lets_anyone_solve_for_one_peers_status(program, is_viewer):
    """The attacker sees every released cell of the program (every scope, page and download shows a subset of
    them, never recomputed) and knows the statuses of the peers they are or supervise; for each team they try
    to pin down the status of the peers they do not know. They must fail: for every team, the unknown peers'
    count can still be more than one value, or is pinned to a value strictly between none and all."""
    k, sizes, highs, known, known_highs = program
    if not is_viewer:
        known, known_highs = [0] * len(sizes), [0] * len(sizes)
    keys, members, shown = _groups(sizes, highs, known, k=k, viewer=is_viewer)
    solutions = list(_feasible(sizes, members, keys, shown, known, known_highs))
    assert tuple(highs) in solutions
    for index, size in enumerate(sizes):
        unknown = size - known[index]
        if unknown == 0:
            continue
        values = {counts[index] - known_highs[index] for counts in solutions}
        assert values not in ({0}, {unknown}), (
            f"team {index}: every unknown peer's status follows ({values}) from {shown}"
        )


@settings(max_examples=200, deadline=None)
@given(programs())
def test_a_viewer_who_is_a_peer_or_supervisor_sees_no_more_than_anyone(program):
    k, sizes, highs, known, _ = program
    _, _, everyone = _groups(sizes, highs, [0] * len(sizes), k=k, viewer=False)
    _, _, mine = _groups(sizes, highs, known, k=k, viewer=True)
    for key, view in mine.items():
        if view.released:
            assert everyone[key].released
            for own, general in zip(view.counts, everyone[key].counts, strict=True):
                assert own.low <= general.low and own.high >= general.high


def _cell(count, *peers):
    return rule.TableCell(count, frozenset(peers))


def test_a_table_cell_from_too_few_peers_is_withheld_and_a_second_one_beside_it_in_both_lines():
    cells = {
        ("A", "x"): _cell(9, *range(0, 6)), ("A", "y"): _cell(2, 6),
        ("B", "x"): _cell(7, *range(10, 16)), ("B", "y"): _cell(8, *range(16, 22)),
        ("C", "x"): _cell(6, *range(30, 36)), ("C", "y"): _cell(5, *range(36, 41)),
    }
    table = rule.release_table(cells, k=5)
    assert table.cells[("A", "y")].reason == rule.small_reason(5)
    assert table.cells[("A", "x")].reason == rule.COMPLEMENTARY_REASON, "else row A's total gives A/y away"
    assert table.rows["A"].released and table.rows["A"].count == 11
    withheld_y = [row for row in "ABC" if not table.cells[(row, "y")].released]
    withheld_x = [row for row in "ABC" if not table.cells[(row, "x")].released]
    assert len(withheld_y) >= 2 and len(withheld_x) >= 2, "no column total less its shown cells isolates one cell"
    assert table.total == rule.TableCount(37, None)


def test_a_table_cell_resting_on_the_viewers_own_peers_is_withheld_for_them_only():
    cells = {("A", "x"): _cell(5, *range(5)), ("B", "x"): _cell(6, *range(10, 16)), ("C", "x"): _cell(7, *range(20, 27))}
    assert rule.view_table(cells, k=5).cells[("A", "x")].released
    mine = rule.view_table(cells, k=5, known=frozenset({0}))
    assert mine.cells[("A", "x")].reason == rule.VIEWER_REASON
    assert mine.rows["A"].reason == rule.VIEWER_REASON
    assert sum(1 for row in "ABC" if not mine.cells[(row, "x")].released) >= 2


def test_a_table_refuses_a_count_without_peers_or_peers_without_a_count():
    with pytest.raises(ScoringError):
        rule.release_table({("A", "x"): _cell(0, 1)}, k=3)
    with pytest.raises(ScoringError):
        rule.release_table({("A", "x"): _cell(2)}, k=3)
    with pytest.raises(ScoringError):
        rule.release_table({("A", "x"): _cell(1, 1)}, k=0)


@st.composite
def event_tables(draw):
    """A random small program: peers in teams (rows), each with some events of some kinds (columns), and a viewer
    who knows some of the peers (themself, or people they supervise)."""
    teams = draw(st.integers(min_value=1, max_value=4))
    kinds = draw(st.integers(min_value=1, max_value=4))
    peers = draw(st.lists(st.tuples(st.integers(0, teams - 1),
                                     st.lists(st.integers(0, 2), min_size=kinds, max_size=kinds)),
                          min_size=0, max_size=24))
    known = frozenset(draw(st.sets(st.integers(0, max(0, len(peers) - 1)), max_size=4))) if peers else frozenset()
    cells = {}
    for team in range(teams):
        for kind in range(kinds):
            behind = [peer for peer, (home, events) in enumerate(peers) if home == team and events[kind]]
            cells[(team, kind)] = rule.TableCell(sum(peers[peer][1][kind] for peer in behind), frozenset(behind))
    return cells, known, draw(st.integers(min_value=3, max_value=5))


@settings(max_examples=300, deadline=None)
@given(event_tables())
def test_no_shown_table_count_is_derivable_for_fewer_than_k_peers_besides_the_viewers_own(table_input):
    cells, known, k = table_input
    table = rule.view_table(cells, k=k, known=known)
    general = rule.release_table(cells, k=k)
    rows = list(dict.fromkeys(row for row, _ in cells))
    columns = list(dict.fromkeys(column for _, column in cells))

    def peers_of(keys):
        return frozenset().union(*(cells[key].peers for key in keys))

    figures = {("cell", key): (table.cells[key], peers_of([key]), cells[key].count) for key in cells}
    figures |= {("row", row): (table.rows[row], peers_of([key for key in cells if key[0] == row]),
                               sum(cell.count for key, cell in cells.items() if key[0] == row)) for row in rows}
    figures |= {("column", column): (table.columns[column], peers_of([key for key in cells if key[1] == column]),
                                     sum(cell.count for key, cell in cells.items() if key[1] == column))
                for column in columns}
    figures[("total",)] = (table.total, peers_of(cells), sum(cell.count for cell in cells.values()))
    for shown, behind, count in figures.values():
        if shown.released:
            assert shown.count == count
            assert not behind or len(behind - known) >= k, "a shown count rests on k peers besides the viewer's own"
        else:
            assert shown.count is None and shown.reason
    lines = [(("row", row), [("cell", key) for key in cells if key[0] == row]) for row in rows]
    lines += [(("column", column), [("cell", key) for key in cells if key[1] == column]) for column in columns]
    lines += [(("total",), [("row", row) for row in rows]), (("total",), [("column", column) for column in columns])]
    for total, parts in lines:
        if not figures[total][0].released:
            continue
        withheld = [part for part in parts if not figures[part][0].released]
        assert len(withheld) != 1, "the total less the shown parts would isolate one withheld part"
        residual = frozenset().union(*(figures[part][1] for part in withheld))
        assert not residual or len(residual - known) >= k
    for key, shown in general.cells.items():
        if not shown.released:
            assert not table.cells[key].released, "a viewer never sees a cell withheld from everyone"
