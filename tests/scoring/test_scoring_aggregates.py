import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scoring
from scoring import CountCell, PeerValue

PROPERTY = settings(max_examples=200, deadline=None)


def peers(group, values, start=0, bands=None):
    return [
        PeerValue(f"{group}-{start + index}", group, value, (bands or {}).get(index))
        for index, value in enumerate(values)
    ]


def test_median_quartiles_and_band_share():
    values = peers("North", [10, 20, 30, 40, 50], bands={0: "low", 1: "moderate", 2: "moderate", 3: "high", 4: "high"})
    north = scoring.team_aggregates(values)["North"]
    assert (north.peers, north.median, north.q1, north.q3) == (5, 30, 20, 40)
    assert north.band_share == pytest.approx(2 / 5)
    assert (north.suppressed, north.reason) == (False, None)
    low = scoring.team_aggregates(values, band="low")["North"]
    assert low.band_share == pytest.approx(1 / 5) and low.band == "low"


def test_band_share_counts_only_banded_values():
    values = peers("North", [10, 20, 30, 40, 50], bands={0: "high", 1: "moderate"})
    assert scoring.team_aggregates(values)["North"].band_share == pytest.approx(1 / 2)
    assert scoring.team_aggregates(peers("North", [1, 2, 3, 4, 5]))["North"].band_share is None


def test_small_groups_are_suppressed_with_k_in_the_reason():
    result = scoring.team_aggregates(peers("North", [10, 20, 30, 40]))
    north = result["North"]
    assert (north.peers, north.median, north.q1, north.q3, north.band_share) == (None,) * 5
    assert (north.suppressed, north.reason) == (True, "fewer than 5 peers")
    three = scoring.team_aggregates(peers("North", [10, 20]), k=3)["North"]
    assert three.reason == "fewer than 3 peers"
    assert not scoring.team_aggregates(peers("North", [10, 20, 30]), k=3)["North"].suppressed


def test_missing_values_do_not_count_as_peers():
    values = peers("North", [10, 20, 30, 40, None])
    assert scoring.team_aggregates(values)["North"].suppressed


def test_a_peer_may_appear_once():
    with pytest.raises(scoring.ScoringError, match="peer 'x' appears twice"):
        scoring.team_aggregates([PeerValue("x", "North", 1.0), PeerValue("x", "South", 2.0)])


def test_total_row_and_complementary_suppression():
    values = peers("North", [1, 2, 3]) + peers("South", range(6)) + peers("East", range(8)) + peers("West", range(7))
    result = scoring.team_aggregates(values, include_total=True)
    assert list(result) == ["East", "North", "South", "West", "All teams"]
    assert result["North"].reason == "fewer than 5 peers"
    assert result["South"].suppressed and "cannot be worked out from the total" in result["South"].reason
    assert not result["East"].suppressed and not result["West"].suppressed
    assert result["All teams"].peers == 24
    without_total = scoring.team_aggregates(values)
    assert not without_total["South"].suppressed and "All teams" not in without_total


def test_two_small_groups_need_no_complement():
    values = peers("North", [1, 2, 3]) + peers("South", [1, 2]) + peers("East", range(8))
    result = scoring.team_aggregates(values, include_total=True)
    assert [result[group].suppressed for group in ("East", "North", "South", "All teams")] == [False, True, True, False]


def test_small_total_is_suppressed():
    result = scoring.team_aggregates(peers("North", [1, 2]) + peers("South", [3]), include_total=True)
    assert all(aggregate.suppressed for aggregate in result.values())
    assert result["All teams"].reason == "fewer than 5 peers"


def test_total_label_must_not_clash():
    with pytest.raises(scoring.ScoringError, match="total_label"):
        scoring.team_aggregates(peers("All teams", range(5)), include_total=True)


def test_k_must_be_positive():
    with pytest.raises(scoring.ScoringError, match="k must be"):
        scoring.team_aggregates([], k=0)


peer_values = st.lists(
    st.tuples(
        st.sampled_from("ABCDEF"),
        st.one_of(st.none(), st.floats(0, 100)),
        st.sampled_from(["low", "moderate", "high", None]),
    ),
    max_size=40,
)


@PROPERTY
@given(rows=peer_values, k=st.integers(1, 8), include_total=st.booleans())
def test_no_figure_comes_from_fewer_than_k_peers(rows, k, include_total):
    values = [PeerValue(index, group, value, band) for index, (group, value, band) in enumerate(rows)]
    result = scoring.team_aggregates(values, k=k, include_total=include_total)
    true_sizes = {}
    for value in values:
        if value.value is not None:
            true_sizes[value.group] = true_sizes.get(value.group, 0) + 1
    for group, aggregate in result.items():
        if group == "All teams":
            continue
        if true_sizes[group] < k:
            assert aggregate.suppressed and aggregate.median is None and aggregate.peers is None
        if not aggregate.suppressed:
            assert aggregate.peers == true_sizes[group] >= k
    if include_total and not result["All teams"].suppressed:
        assert result["All teams"].peers == sum(true_sizes.values()) >= k
        hidden = [group for group, aggregate in result.items() if group != "All teams" and aggregate.suppressed]
        assert len(hidden) != 1


def test_count_table_hand_example():
    cells = {
        ("North", "Jan"): 3,
        ("North", "Feb"): 6,
        ("South", "Jan"): 7,
        ("South", "Feb"): 8,
        ("East", "Jan"): 9,
        ("East", "Feb"): 10,
    }
    table = scoring.suppress_counts(cells)
    shown = {key: cell.count for key, cell in table.cells.items()}
    assert shown == {
        ("North", "Jan"): None,
        ("North", "Feb"): None,
        ("South", "Jan"): None,
        ("South", "Feb"): None,
        ("East", "Jan"): 9,
        ("East", "Feb"): 10,
    }
    assert table.cells[("North", "Jan")].reason == "fewer than 5 peers"
    assert "worked out from the total" in table.cells[("North", "Feb")].reason
    assert {row: total.count for row, total in table.row_totals.items()} == {"North": 9, "South": 15, "East": 19}
    assert {column: total.count for column, total in table.column_totals.items()} == {"Jan": 19, "Feb": 24}
    assert table.total.count == 43


def test_count_table_uses_peers_behind_each_cell_and_shows_empty_cells():
    cells = {
        ("North", "Jan"): CountCell(count=6, peers=8),
        ("North", "Feb"): CountCell(count=0, peers=0),
        ("South", "Jan"): CountCell(count=0, peers=3),
        ("South", "Feb"): CountCell(count=2, peers=9),
        ("East", "Jan"): CountCell(count=4, peers=9),
        ("East", "Feb"): CountCell(count=5, peers=9),
    }
    table = scoring.suppress_counts(
        cells, row_peers={"North": 8, "South": 10, "East": 9}, column_peers={"Jan": 20, "Feb": 18}, total_peers=26
    )
    assert {key: cell.count for key, cell in table.cells.items()} == {
        ("North", "Jan"): 6,
        ("North", "Feb"): 0,
        ("South", "Jan"): None,
        ("South", "Feb"): None,
        ("East", "Jan"): None,
        ("East", "Feb"): None,
    }
    assert table.cells[("South", "Jan")].reason == "fewer than 5 peers"
    assert table.row_totals["South"].count == 2 and table.total.count == 17


def test_count_table_totals_without_peer_counts_use_the_largest_cell():
    table = scoring.suppress_counts(
        {("North", "Jan"): CountCell(count=2, peers=4), ("North", "Feb"): CountCell(count=2, peers=4)}
    )
    assert table.row_totals["North"].suppressed and table.total.suppressed


def test_count_table_single_cell_line_hides_its_total():
    table = scoring.suppress_counts({("North", "Jan"): 3, ("South", "Jan"): 9, ("South", "Feb"): 9})
    assert table.cells[("North", "Jan")].suppressed
    assert table.row_totals["North"].suppressed


def test_count_table_rejects_bad_cells():
    with pytest.raises(scoring.ScoringError, match="whole numbers"):
        scoring.suppress_counts({("North", "Jan"): -1})
    with pytest.raises(scoring.ScoringError, match="pairs"):
        scoring.suppress_counts({"North": 3})


count_tables = st.dictionaries(
    st.tuples(st.sampled_from("ABCD"), st.sampled_from(["Jan", "Feb", "Mar"])), st.integers(0, 12), max_size=12
)


@PROPERTY
@given(cells=count_tables, k=st.integers(1, 6))
def test_count_tables_never_show_small_cells_or_allow_subtraction(cells, k):
    table = scoring.suppress_counts(cells, k=k)
    for key, cell in table.cells.items():
        if 0 < cells[key] < k:
            assert cell.suppressed and cell.count is None
        if not cell.suppressed:
            assert cell.count == cells[key]
    rows = {row for row, _ in cells}
    columns = {column for _, column in cells}
    lines = [(table.row_totals[row], [table.cells[key] for key in cells if key[0] == row]) for row in rows]
    lines += [
        (table.column_totals[column], [table.cells[key] for key in cells if key[1] == column]) for column in columns
    ]
    lines += [
        (table.total, [table.row_totals[row] for row in rows]),
        (table.total, [table.column_totals[column] for column in columns]),
    ]
    for total, parts in lines:
        if not total.suppressed:
            assert sum(part.suppressed for part in parts) != 1
    for row in rows:
        if not table.row_totals[row].suppressed:
            assert table.row_totals[row].count == sum(count for key, count in cells.items() if key[0] == row)
