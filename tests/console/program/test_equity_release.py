"""The equity lens's figures are released once, when a quarter closes, and read back under the same rule: what is
stored equals the rule applied to the peers' data at release time, a second or concurrent release stores nothing,
nothing changed later moves a shown figure, and a lead who knows some peers can never solve for one of them, even
when the people they know changed their self-description after the release."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import col, delete, func, select, update

from console.core.program_settings import read_settings, write_settings
from console.program import equity, equity_figures, release
from db.engine import session_scope
from db.models import (
    FigureRelease,
    ReleasedFigure,
    SelfDescription,
    SupervisionAssignment,
    TeamMembership,
    User,
)
from scoring.release import VIEWER_REASON
from tests.conftest import add_user
from tests.console.program.conftest import release_together
from tests.console.program.test_equity import described_program  # noqa: F401  (a fixture)
from tests.console.program.test_program import add_assessment, add_peers, add_pulse, add_session, overdose_peers

Q3 = date(2026, 7, 1)
INCARCERATION = equity.DIMENSION_BY_KEY["incarceration"]
GENDER = equity.DIMENSION_BY_KEY["gender"]
MEASURES = equity.burden_measures([("burnout", "Burnout")])


def _equity_count(session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(ReleasedFigure)
                        .where(col(ReleasedFigure.topic).startswith("equity:"))).one()


def _random_program(session, world, rng: random.Random) -> list:
    """Peers on both teams with random self-descriptions, check-ins, assessments and supervision in Q3 2026."""
    peers = [*overdose_peers(world), world.other_peer,
             *add_peers(session, world, world.team, rng.randint(0, 12), "more"),
             *add_peers(session, world, world.other_team, rng.randint(0, 12), "other")]
    for peer in peers:
        for week in rng.sample(range(12), rng.randint(0, 3)):
            exposures = tuple(rng.sample(["overdose_scene", "racism_or_discrimination", "triggering_setting"],
                                         rng.randint(0, 2)))
            add_pulse(session, peer, date(2026, 7, 6) + timedelta(weeks=week), exposures=exposures,
                      caseload=rng.choice([None, 15, 20, 25, 30]))
        if rng.random() < 0.7:
            add_assessment(session, peer, date(2026, 8, rng.randint(1, 28)), burnout=rng.choice([20, 30, 42, 45]))
        answers = {dimension.key: rng.choice([code for code, _ in dimension.options])
                   for dimension in equity.DIMENSIONS if rng.random() < 0.6}
        if rng.random() < 0.8:
            # most peers share few answers, so that the groups are of every size
            answers = {key: code if rng.random() < 0.5 else answers[key] for key, code in answers.items()}
        equity.save_self_description(session, actor=peer, answers=answers)
    supported = [peer for peer in peers if rng.random() < 0.5]
    if supported:
        add_session(session, world.supervisor, supported, date(2026, 8, 12), kind="group")
    return peers


def _expected(session, world) -> tuple[equity.GroupTable, ...]:
    """The lens computed from the peers' data as it stands, for nobody in particular: the oracle."""
    settings_now = read_settings(session)
    scales = equity.lens_scales(settings_now)
    peers = equity._burdens(session, program_id=world.program.id, first=Q3, last=date(2026, 9, 30),
                            scales=[name for name, _ in scales])
    descriptions = session.exec(select(SelfDescription)).all()
    answers = {row.peer_id: row.answers or {} for row in descriptions}
    return tuple(
        equity.group_burden(dimension=dimension, peers=peers, k=settings_now.anonymity_k, known=frozenset(),
                            measures=equity.burden_measures(scales),
                            groups={peer_id: given[dimension.key] for peer_id, given in answers.items()
                                    if dimension.key in given})
        for dimension in equity.DIMENSIONS
    )


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_released_figures_equal_the_rule_applied_to_the_data_at_release(session, world, seed):
    rng = random.Random(seed)
    write_settings(session, actor=world.admin, changes={"anonymity_k": rng.choice((3, 4, 5))}, on=world.today)
    _random_program(session, world, rng)
    expected = _expected(session, world)
    release.release_due(session, on=world.today)
    lens = equity_figures.equity_lens(session, actor=world.lead, on=world.today)
    assert (lens.period_from, lens.period_to) == (Q3, date(2026, 9, 30))
    assert lens.tables == expected
    stored = session.exec(select(ReleasedFigure).where(ReleasedFigure.period_start == Q3,
                                                       col(ReleasedFigure.topic).startswith("equity:"))).all()
    for row in stored:
        assert row.released == (row.reason is None)
        if not row.released:
            assert (row.peers, row.count_a, row.median) == (None, None, None), "a withheld cell keeps its reason only"


def test_a_second_release_stores_nothing_and_earlier_quarters_stay(session, world, described_program):  # noqa: F811
    release.release_due(session, on=world.today)
    stored = _equity_count(session)
    quarters = set(session.exec(select(ReleasedFigure.period_start)
                                .where(col(ReleasedFigure.topic).startswith("equity:"))).all())
    assert stored and quarters == {date(2026, 1, 1), date(2026, 4, 1), Q3}
    assert release.release_due(session, on=world.today) == []
    equity_figures.equity_lens(session, actor=world.lead, on=world.today)
    assert _equity_count(session) == stored


def test_two_releasers_at_once_store_the_quarter_once(engine, session, world, described_program,  # noqa: F811
                                                     monkeypatch):
    release_together(engine, monkeypatch, on=world.today)
    session.expire_all()
    cells = session.exec(select(ReleasedFigure.period_start, ReleasedFigure.topic, ReleasedFigure.group_key)
                         .where(col(ReleasedFigure.topic).startswith("equity:"))).all()
    assert cells and len(cells) == len(set(cells))


def test_a_quarter_released_before_the_lens_was_stored_gets_it_once_on_first_read(
        engine, session, world, described_program):  # noqa: F811
    release.release_due(session, on=world.today)
    session.exec(delete(ReleasedFigure).where(col(ReleasedFigure.topic).startswith("equity:")))
    session.exec(update(FigureRelease).values(version=release.RELEASE_VERSION - 1))
    session.commit()
    lead_id = world.lead.id

    def run(_: int):
        with session_scope(engine) as own:
            return equity_figures.equity_lens(own, actor=own.get(User, lead_id), on=world.today)

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(run, range(2))
    assert first.tables == second.tables and first.period_from == Q3
    session.expire_all()
    cells = session.exec(select(ReleasedFigure.period_start, ReleasedFigure.topic, ReleasedFigure.group_key)
                         .where(col(ReleasedFigure.topic).startswith("equity:"))).all()
    assert cells and len(cells) == len(set(cells))


def test_changes_after_the_release_never_change_a_shown_figure(session, world, described_program):  # noqa: F811
    before = equity_figures.equity_lens(session, actor=world.lead, on=world.today)
    yes = next(row for row in before.tables[2].rows if row.group == INCARCERATION.label_of("yes"))
    assert yes.peers.value == 7
    for peer in described_program[:4]:
        equity.save_self_description(session, actor=peer, answers={"incarceration": "no", "gender": "woman"})
    equity.remove_self_description(session, actor=described_program[5])
    for peer in described_program:
        add_pulse(session, peer, date(2026, 9, 28), exposures=("racism_or_discrimination",), caseload=60)
        add_assessment(session, peer, date(2026, 9, 29), burnout=49)
    after = equity_figures.equity_lens(session, actor=world.lead, on=world.today)
    assert after == before


def test_a_threshold_raised_since_withholds_more_and_a_lowered_one_shows_no_more(session, world,
                                                                                described_program):  # noqa: F811
    before = equity_figures.equity_lens(session, actor=world.lead, on=world.today)
    write_settings(session, actor=world.admin, changes={"anonymity_k": 3}, on=world.today)
    assert equity_figures.equity_lens(session, actor=world.lead, on=world.today) == before
    write_settings(session, actor=world.admin, changes={"anonymity_k": 8}, on=world.today)
    raised = equity_figures.equity_lens(session, actor=world.lead, on=world.today)
    rows = {row.group: row for row in raised.tables[2].rows}
    assert raised.k == 8 and not rows[INCARCERATION.label_of("yes")].peers.shown
    assert rows[equity.ALL_PEERS].peers.value == 12


def _supervise(session, lead, peers) -> None:
    for peer in peers:
        session.add(SupervisionAssignment(supervisor_id=lead.id, supervisee_id=peer.id,
                                          functions=frozenset({"supportive"}), started_on=date(2026, 1, 5)))
    session.commit()


@pytest.mark.parametrize("change", ["moved", "removed"])
def test_a_supervisee_who_changes_group_after_the_release_still_counts_as_known(session, world, described_program,  # noqa: F811
                                                                               change):
    """Seven peers said yes when the quarter was released. A lead who supervises three of them sees that group
    withheld (7 - 3 < 5); had one supervisee's new answer moved them out of it, counting them in their new group
    would show it (7 - 2 = 5), and the lead could subtract what they know of the other two."""
    supervising_lead = add_user(session, username="supervising_lead", roles={"lead", "supervisor"},
                                program=world.program)
    session.commit()
    _supervise(session, supervising_lead, described_program[:3])
    release.release_due(session, on=world.today)
    if change == "moved":
        equity.save_self_description(session, actor=described_program[0], answers={"incarceration": "no"})
    else:
        equity.remove_self_description(session, actor=described_program[0])
    lens = equity_figures.equity_lens(session, actor=supervising_lead, on=world.today)
    rows = {row.group: row for row in lens.tables[2].rows}
    assert rows[INCARCERATION.label_of("yes")].peers.reason == VIEWER_REASON
    assert not rows[equity.NOT_DESCRIBED].peers.shown, "5 peers, one of them perhaps the supervisee"


def test_a_lead_who_was_a_peer_and_changed_their_answers_is_still_known_in_their_group(session, world):
    """A peer of the quarter who now leads the whole program (their team membership ended after the quarter)."""
    peer_lead = add_user(session, username="peer_lead", roles={"peer", "lead"}, program=world.program, team=world.team)
    membership = session.exec(select(TeamMembership).where(TeamMembership.user_id == peer_lead.id)).one()
    membership.ended_on = date(2026, 10, 31)
    session.add(membership)
    session.commit()
    peers = [*overdose_peers(world), world.other_peer, peer_lead, *add_peers(session, world, world.team, 6, "more")]
    for peer in peers:
        add_pulse(session, peer, date(2026, 8, 5), caseload=20)
    for peer in peers[:5]:
        equity.save_self_description(session, actor=peer, answers={"gender": "woman"})
    release.release_due(session, on=world.today)
    general = {row.group: row for row in equity_figures.equity_lens(session, actor=world.lead, on=world.today)
               .tables[1].rows}
    assert general["Woman"].peers.value == 5
    equity.save_self_description(session, actor=peer_lead, answers={"gender": "man"})
    mine = {row.group: row for row in equity_figures.equity_lens(session, actor=peer_lead, on=world.today)
            .tables[1].rows}
    assert mine["Woman"].peers.reason == VIEWER_REASON


def test_no_quarter_is_shown_before_the_program_has_run_for_one(session, world):
    for membership in session.exec(select(TeamMembership)).all():
        membership.started_on = date(2026, 10, 5)
        session.add(membership)
    session.commit()
    lens = equity_figures.equity_lens(session, actor=world.lead, on=world.today)
    assert (lens.period_from, lens.period_to, lens.tables) == (None, None, ())
    assert session.exec(select(func.count()).select_from(FigureRelease)).one() == 1, "October only"


# --- an attacker who knows some peers -----------------------------------------------------------------------------

CODES = [code for code, _ in GENDER.options]


@settings(max_examples=300, deadline=None)
@given(
    data=st.data(),
    k=st.integers(min_value=2, max_value=6),
    sizes=st.lists(st.integers(min_value=0, max_value=9), min_size=len(CODES) + 1, max_size=len(CODES) + 1),
)
def test_a_viewer_whose_people_changed_their_answers_cannot_solve_for_one_peer(data, k, sizes):
    """A lead who supervises some peers (or is one), some of whom changed or removed their answers after the
    release: every group shown to them rests on at least k peers they do not know, and when the total is shown,
    the groups withheld from them together hold none or at least k peers they do not know — counted by the groups
    everyone was really in at the release."""
    peers: list[equity.PeerBurden] = []
    groups: dict[int, str] = {}
    for position, size in enumerate(sizes):
        for n in range(size):
            peer_id = 100 * position + n
            peers.append(equity.PeerBurden(peer_id=peer_id, checkins=1 + n % 3, exposures=n % 4,
                                           discrimination_checkins=n % 2, high_band={"burnout": n % 3 == 0},
                                           caseload=20 + n, supportive_supervision=n % 2 == 1))
            if position < len(CODES):
                groups[peer_id] = CODES[position]
    if not peers:
        return
    known = data.draw(st.sets(st.sampled_from([peer.peer_id for peer in peers]), max_size=6))
    changed = data.draw(st.sets(st.sampled_from(sorted(known)), max_size=len(known))) if known else set()
    stored: dict[str, dict[str, SimpleNamespace]] = {}
    for cell in equity.released_cells(dimension=GENDER, peers=peers, groups=groups, k=k, measures=MEASURES):
        stored.setdefault(cell["topic"], {})[cell["group_key"]] = SimpleNamespace(**cell)
    then = {peer_id: None if peer_id in changed else ({"gender": groups[peer_id]} if peer_id in groups else {})
            for peer_id in known}
    table = equity_figures.viewer_table(GENDER, stored, then=then, k=k, measures=MEASURES)
    assert table is not None
    members = {code: [peer for peer in peers if groups.get(peer.peer_id) == code] for code in CODES}
    members[equity.NOT_DESCRIBED] = [peer for peer in peers if peer.peer_id not in groups]
    by_label = {equity.NOT_DESCRIBED: equity.NOT_DESCRIBED, **{GENDER.label_of(code): code for code in CODES}}
    for line in ["peers", *(measure.key for measure in MEASURES)]:
        measure = next((measure for measure in MEASURES if measure.key == line), None)

        def behind(pool, measure=measure):
            return [peer for peer in pool if measure is None or equity._contributes(measure, peer)]

        def shown(row, line=line):
            return (row.peers if line == "peers" else row.figures[line]).shown

        hidden_unknown, hidden_peers = 0, 0
        for row in table.rows:
            if row.group == equity.ALL_PEERS:
                continue
            pool = behind(members[by_label[row.group]])
            unknown = [peer for peer in pool if peer.peer_id not in known]
            if shown(row):
                assert len(unknown) >= k, (line, row.group)
            else:
                hidden_peers += len(pool)
                hidden_unknown += len(unknown)
        total = next(row for row in table.rows if row.group == equity.ALL_PEERS)
        if shown(total):
            assert hidden_peers == 0 or hidden_unknown >= k, line
