"""The Supervision coverage lead page under the release rule: an attacker who sees every figure the page and its
downloads show (every scope shows a subset of the same cells, decided over the whole program) and knows the
statuses of the peers they are or supervise tries to solve for the peers they do not know."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from console.program.coverage_figures import KINDS, POOL, TOTAL, Attended, CoveragePeer, team_coverage
from scoring import release as rule
from tests.scoring.test_scoring_release import programs


def _peers(sizes, highs, known, known_highs):
    """Team i has sizes[i] peers, highs[i] of them supervised (and supportively supervised), the first known[i] of
    them known to the viewer, known_highs[i] of those supervised."""
    peers, known_ids = [], set()
    for index, (size, high, seen, seen_high) in enumerate(zip(sizes, highs, known, known_highs, strict=True)):
        statuses = [True] * seen_high + [False] * (seen - seen_high)
        statuses += [True] * (high - seen_high) + [False] * (size - seen - (high - seen_high))
        for number, status in enumerate(statuses):
            peer_id = index * 100 + number
            peers.append(CoveragePeer(peer_id, f"team {index}", status, status))
            if number < seen:
                known_ids.add(peer_id)
    return peers, frozenset(known_ids)


@settings(max_examples=300, deadline=None)
@given(programs(), st.booleans())
def test_no_coverage_figure_lets_a_viewer_solve_for_one_peers_supervision(program, is_viewer):
    k, sizes, highs, known, known_highs = program
    if not is_viewer:
        known, known_highs = [0] * len(sizes), [0] * len(sizes)
    peers, known_ids = _peers(sizes, highs, known, known_highs)
    shown, pooled = team_coverage(peers, [], k=k, known=known_ids)
    everyone, _ = team_coverage(peers, [], k=k)
    keys = [f"team {index}" for index in range(len(sizes))]
    members = {key: [key] for key in keys} | {POOL: list(pooled), TOTAL: keys}
    for key, figure in shown.items():
        if figure.supervised is not None:
            assert everyone[key].supervised is not None, "a viewer never sees a figure withheld from everyone"
    ranges = [range(seen_high, size - (seen - seen_high) + 1)
              for size, seen, seen_high in zip(sizes, known, known_highs, strict=True)]
    solutions = []
    for counts in itertools.product(*ranges):
        agrees = True
        for key, figure in shown.items():
            if figure.supervised is None or figure.without_supportive is None:
                continue
            supervised = sum(counts[keys.index(team)] for team in members[key])
            size = sum(sizes[keys.index(team)] for team in members[key])
            if not (figure.supervised.low <= supervised <= figure.supervised.high
                    and figure.without_supportive.low <= size - supervised <= figure.without_supportive.high):
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
    homes = draw(st.lists(st.integers(0, teams - 1), min_size=1, max_size=20))
    sessions = draw(st.lists(st.tuples(st.sampled_from(KINDS), st.sets(st.integers(0, len(homes) - 1), min_size=1,
                                                                          max_size=4),
                                       st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(0, 20))),
                             max_size=25))
    known = frozenset(draw(st.sets(st.integers(0, len(homes) - 1), max_size=3)))
    peers = [CoveragePeer(peer, f"team {home}", False, False) for peer, home in enumerate(homes)]
    attended = [Attended(number, kind, peer, f"team {homes[peer]}", minutes)
                for number, (kind, attendees, minutes) in enumerate(sessions) for peer in sorted(attendees)]
    return peers, attended, known, draw(st.integers(3, 5))


@settings(max_examples=300, deadline=None)
@given(attended_programs())
def test_no_shown_session_count_rests_on_fewer_than_k_peers_besides_the_viewers_own(case):
    peers, attended, known, k = case
    shown, pooled = team_coverage(peers, attended, k=k, known=known)
    group_of = {peer.team: (POOL if peer.team in pooled else peer.team) for peer in peers}
    rows = sorted({group_of[peer.team] for peer in peers})
    for kind in KINDS:
        def behind(group: str, kind: str = kind) -> frozenset[int]:
            return frozenset(row.peer_id for row in attended if row.kind == kind
                             and (group == TOTAL or group_of[row.team] == group))

        for group in [*rows, TOTAL]:
            figure = shown[group]
            count = figure.individual_sessions if kind == "individual" else figure.group_sessions
            if count is not None:
                peers_behind = behind(group)
                assert not peers_behind or len(peers_behind - known) >= k
        total = shown[TOTAL].individual_sessions if kind == "individual" else shown[TOTAL].group_sessions
        if total is None:
            continue
        withheld = [group for group in rows
                    if (shown[group].individual_sessions if kind == "individual" else shown[group].group_sessions)
                    is None and behind(group)]
        assert len(withheld) != 1, "the program's total less the shown teams would isolate one team's sessions"
        residual = frozenset().union(*(behind(group) for group in withheld))
        assert not residual or len(residual - known) >= k
    for group in rows:
        figure = shown[group]
        if figure.minutes and sum(figure.minutes.values()):
            spent = frozenset(row.peer_id for row in attended if group_of[row.team] == group and any(row.minutes))
            assert len(spent - known) >= k, "a balance of functions rests on k peers besides the viewer's own"
    assert all(figure.supervised is None for team, figure in shown.items() if team in pooled)


def test_a_small_team_is_counted_in_the_pool_and_its_own_row_says_why():
    peers = [CoveragePeer(number, "big", number % 2 == 0, True) for number in range(6)]
    peers += [CoveragePeer(10 + number, "small", True, number == 0) for number in range(2)]
    peers += [CoveragePeer(20 + number, "middle", number < 2, True) for number in range(4)]
    shown, pooled = team_coverage(peers, [], k=5)
    assert pooled == ("middle", "small")
    assert shown["small"].reason == rule.POOLED_REASON
    assert (shown[POOL].peers, shown[POOL].supervised) == (6, rule.Count(4, 4))
    assert shown["big"].supervised == rule.Count(3, 3) and shown[TOTAL].peers == 12
