"""The Supervision coverage lead page under the release rule: an attacker who sees every released coverage figure
of a month as the viewer is shown it (every scope, page and download shows a subset of these stored cells, and
two dates show the same stored cells) and knows the statuses of the peers they are or supervise tries to solve
for the peers they do not know. Figures go through the real release (`release._apply`) and the real per-viewer
pass (`release._for_viewer`)."""

from __future__ import annotations

import itertools
from datetime import date
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from console.program import release
from db.queries import MonthAttendance
from scoring import release as rule
from tests.scoring.test_scoring_release import programs

MONTH = date(2026, 10, 1)


def _released(topic: str, cells: dict, *, teams: int, pooled: list[int], k: int, known: dict[int, int]) -> dict:
    """The month's cells of `topic` as stored by the release and then shown to a viewer who knows `known` peers
    per team."""
    names = {team_id: f"team {team_id}" for team_id in range(1, teams + 1)}
    rows = release._apply(topic, cells, names=names, pooled=pooled, all_teams=sorted(names), k=k, program_id=1,
                          month=MONTH)
    stored = [SimpleNamespace(**row) for row in rows]
    return release._for_viewer(stored, known=known, k=k, released_with=k, counts_from=topic)


@settings(max_examples=300, deadline=None)
@given(programs(), st.booleans())
def test_no_coverage_figure_lets_a_viewer_solve_for_one_peers_supervision(program, is_viewer):
    k, sizes, highs, known, known_highs = program
    if not is_viewer:
        known, known_highs = [0] * len(sizes), [0] * len(sizes)
    keys = [release.team_key(index + 1) for index in range(len(sizes))]
    pooled = sorted(int(key.split(":")[1]) for key in rule.pool_teams(dict(zip(keys, sizes, strict=True)), k=k))
    cells = release._with_sums({key: release._Cell(size, (high, size - high), high, size - high)
                                for key, size, high in zip(keys, sizes, highs, strict=True)}, pooled)
    known_by_team = {index + 1: seen for index, seen in enumerate(known)}
    shown = _released(release.COVERAGE, cells, teams=len(sizes), pooled=pooled, k=k, known=known_by_team)
    everyone = _released(release.COVERAGE, cells, teams=len(sizes), pooled=pooled, k=k, known={})
    members = {key: [key] for key in keys} | {release.POOL_KEY: [release.team_key(team) for team in pooled],
                                              release.PROGRAM_KEY: keys}
    for key, figure in shown.items():
        if figure.released:
            assert everyone[key].released, "a viewer never sees a figure withheld from everyone"
    ranges = [range(seen_high, size - (seen - seen_high) + 1)
              for size, seen, seen_high in zip(sizes, known, known_highs, strict=True)]
    solutions = []
    for counts in itertools.product(*ranges):
        agrees = True
        for key, figure in shown.items():
            if not figure.released or len(figure.counts) < 2:
                continue
            supervised = sum(counts[keys.index(team)] for team in members[key])
            size = sum(sizes[keys.index(team)] for team in members[key])
            if not (figure.counts[0].low <= supervised <= figure.counts[0].high
                    and figure.counts[1].low <= size - supervised <= figure.counts[1].high):
                agrees = False
                break
        if agrees:
            solutions.append(counts)
    assert tuple(highs) in solutions
    for index, size in enumerate(sizes):
        unknown = size - known[index]
        if unknown == 0:
            continue
        values = {counts[index] - known_highs[index] for counts in solutions}
        assert values not in ({0}, {unknown}), f"team {index}: every unknown peer's supervision follows from {shown}"


@st.composite
def attended_programs(draw):
    """Peers in teams, sessions of either kind with some of them attending, and a viewer who knows some peers."""
    teams = draw(st.integers(1, 4))
    homes = draw(st.lists(st.integers(1, teams), min_size=1, max_size=20))
    sessions = draw(st.lists(st.tuples(st.sampled_from(release.SESSION_KINDS),
                                       st.sets(st.integers(0, len(homes) - 1), min_size=1, max_size=4),
                                       st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(0, 20))),
                             max_size=25))
    known = frozenset(draw(st.sets(st.integers(0, len(homes) - 1), max_size=3)))
    attended = [MonthAttendance(number, kind, 1, "Supervisor", peer, homes[peer], sum(minutes), *minutes)
                for number, (kind, attendees, minutes) in enumerate(sessions) for peer in sorted(attendees)]
    return teams, homes, attended, known, draw(st.integers(3, 5))


@settings(max_examples=300, deadline=None)
@given(attended_programs())
def test_no_shown_session_count_rests_on_fewer_than_k_peers_besides_the_viewers_own(case):
    teams, homes, attended, known, k = case
    sizes = {release.team_key(team): sum(home == team for home in homes) for team in range(1, teams + 1)}
    pooled = sorted(int(key.split(":")[1]) for key in rule.pool_teams(sizes, k=k))
    known_by_team: dict[int, int] = {}
    for peer in known:
        known_by_team[homes[peer]] = known_by_team.get(homes[peer], 0) + 1
    group_of = {team: (release.POOL_KEY if team in pooled else release.team_key(team)) for team in range(1, teams + 1)}
    rows = sorted(set(group_of.values()))
    for topic, cells in release.coverage_cells(attended, pooled).items():
        shown = _released(topic, cells, teams=teams, pooled=pooled, k=k, known=known_by_team)
        kind = topic.rsplit(":", 1)[1]

        def behind(group: str, kind: str = kind) -> frozenset[int]:
            return frozenset(row.peer_id for row in attended
                             if (row.kind == kind or getattr(row, kind, 0) > 0)
                             and (group == release.PROGRAM_KEY or group_of[row.team_id] == group))

        for group in [*rows, release.PROGRAM_KEY]:
            figure = shown[group]
            if figure.released and figure.count_a:
                assert len(behind(group) - known) >= k, f"{topic} {group} rests on too few peers besides the viewer's"
        if not shown[release.PROGRAM_KEY].released:
            continue
        withheld = [group for group in rows if not shown[group].released and behind(group)]
        assert len(withheld) != 1, "the program's total less the shown teams would isolate one team's sessions"
        residual = frozenset().union(*(behind(group) for group in withheld))
        assert not residual or len(residual - known) >= k
        assert all(not shown[release.team_key(team)].released for team in pooled)


def test_a_small_team_is_counted_in_the_pool_and_its_own_row_says_why():
    sizes = {release.team_key(1): 6, release.team_key(2): 2, release.team_key(3): 4}
    pooled = sorted(int(key.split(":")[1]) for key in rule.pool_teams(sizes, k=5))
    assert pooled == [2, 3]
    cells = release._with_sums({release.team_key(1): release._Cell(6, (3, 3), 3, 3),
                                release.team_key(2): release._Cell(2, (2, 1), 2, 1),
                                release.team_key(3): release._Cell(4, (2, 0), 2, 0)}, pooled)
    shown = _released(release.COVERAGE, cells, teams=3, pooled=pooled, k=5, known={})
    assert shown[release.team_key(2)].reason == rule.POOLED_REASON
    assert (shown[release.POOL_KEY].peers, shown[release.POOL_KEY].counts[0]) == (6, rule.Count(4, 4))
    assert shown[release.team_key(1)].counts[0] == rule.Count(3, 3) and shown[release.PROGRAM_KEY].peers == 12
