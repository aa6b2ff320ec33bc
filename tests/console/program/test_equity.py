from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import select

from console.core import audit
from console.core.errors import PermissionDenied, ValidationError
from console.program import equity, equity_figures
from console.program.equity import ALL_PEERS, NOT_DESCRIBED, SAME_FOR_EVERYONE_REASON, PeerBurden, group_burden
from console.supervision import supervisor_week
from db.models import AuditEvent, SelfDescription, SupervisionAssignment
from scoring.release import COMPLEMENTARY_REASON, VIEWER_REASON
from scoring.release import small_reason as small_cell_reason
from tests.conftest import add_user
from tests.console.program.test_program import add_assessment, add_peers, add_pulse, add_session, overdose_peers

ROOT = Path(__file__).resolve().parents[3]
GENDER = equity.DIMENSION_BY_KEY["gender"]
INCARCERATION = equity.DIMENSION_BY_KEY["incarceration"]
MEASURES = equity.burden_measures([("burnout", "Burnout")])


def _peers(count: int, start: int, **burden) -> list[PeerBurden]:
    values = {"checkins": 4, "exposures": 3, "discrimination_checkins": 1, "high_band": {"burnout": False},
              "caseload": 25, "supportive_supervision": True} | burden
    return [PeerBurden(peer_id=start + n, **values) for n in range(count)]


def _rows(table: equity.GroupTable) -> dict[str, equity.GroupRow]:
    return {row.group: row for row in table.rows}


# --- the peer's self-description ------------------------------------------------------------------------------


def test_a_peer_describes_themselves_changes_and_removes_it(session, world):
    saved = equity.save_self_description(session, actor=world.peer,
                                         answers={"gender": "woman", "incarceration": "yes", "language": None})
    assert saved == {"gender": "woman", "incarceration": "yes"}
    assert equity.my_self_description(session, actor=world.peer) == saved

    equity.save_self_description(session, actor=world.peer, answers={"gender": "nonbinary", "incarceration": ""})
    assert equity.my_self_description(session, actor=world.peer) == {"gender": "nonbinary"}

    equity.remove_self_description(session, actor=world.peer)
    assert equity.my_self_description(session, actor=world.peer) == {}
    assert session.get(SelfDescription, world.peer.id).answers == {}, "kept, emptied, for released figures"
    actions = session.exec(select(AuditEvent.action, AuditEvent.detail).where(AuditEvent.subject_id == world.peer.id)
                           .order_by(AuditEvent.id)).all()
    assert [action for action, _ in actions] == ["self_description_saved", "self_description_saved",
                                                 "self_description_removed"]
    assert all("woman" not in detail and "yes" not in detail and "nonbinary" not in detail for _, detail in actions)
    assert {"self_description_saved", "self_description_removed"} <= audit.WELLNESS_FACT_ACTIONS


def test_answers_are_stored_encrypted(session, world):
    equity.save_self_description(session, actor=world.peer, answers={"race_ethnicity": "middle_eastern"})
    raw = session.connection().execute(text("SELECT answers FROM selfdescription")).scalar_one()
    assert "middle_eastern" not in raw and "race_ethnicity" not in raw


def test_an_answer_that_is_not_offered_is_refused_beside_its_question(session, world):
    with pytest.raises(ValidationError) as refused:
        equity.save_self_description(session, actor=world.peer, answers={"gender": "robot", "shoe_size": "9"})
    assert set(refused.value.problems) == {"gender", "shoe_size"}
    assert session.get(SelfDescription, world.peer.id) is None


@pytest.mark.parametrize("who", ["supervisor", "admin", "lead"])
def test_only_a_peer_has_a_self_description(session, world, who):
    with pytest.raises(PermissionDenied):
        equity.save_self_description(session, actor=getattr(world, who), answers={"gender": "man"})
    with pytest.raises(PermissionDenied):
        equity.my_self_description(session, actor=getattr(world, who))


def test_only_the_self_description_service_reads_the_table():
    readers = {path.relative_to(ROOT).as_posix() for folder in ("console", "app_pages", "db")
               for path in (ROOT / folder).rglob("*.py") if "SelfDescription" in path.read_text()}
    assert readers == {"console/program/equity.py", "console/demo.py", "db/models.py"}
    assert "SelfDescription" not in (ROOT / "console/program/equity_figures.py").read_text()


# --- group figures ------------------------------------------------------------------------------------------


def test_a_group_below_k_is_withheld_and_one_more_beside_it():
    peers = _peers(6, 0) + _peers(5, 100) + _peers(2, 200)
    groups = {peer.peer_id: "woman" for peer in peers[:6]} | {peer.peer_id: "man" for peer in peers[6:11]}
    table = group_burden(dimension=GENDER, peers=peers, groups=groups, k=5, known=frozenset(), measures=MEASURES)
    rows = _rows(table)
    assert rows[NOT_DESCRIBED].peers.reason == small_cell_reason(5)
    assert rows["Man"].peers.reason == COMPLEMENTARY_REASON
    assert rows["Woman"].peers.value == 6 and rows[ALL_PEERS].peers.value == 13
    assert all(not figure.shown for figure in rows["Man"].figures.values())
    assert rows["Woman"].figures["median_caseload"].value == 25
    assert table.released_groups == ("Woman",)


def test_the_viewers_own_data_never_counts_toward_k():
    peers = _peers(5, 0) + _peers(5, 100) + _peers(5, 200)
    groups = {peer.peer_id: "yes" for peer in peers[:5]} | {peer.peer_id: "no" for peer in peers[5:10]}
    everyone = group_burden(dimension=INCARCERATION, peers=peers, groups=groups, k=5, known=frozenset(),
                            measures=MEASURES)
    assert len(everyone.released_groups) == 2
    viewer_inside = group_burden(dimension=INCARCERATION, peers=peers, groups=groups, k=5, known=frozenset({0}),
                                 measures=MEASURES)
    rows = _rows(viewer_inside)
    assert rows[INCARCERATION.label_of("yes")].peers.reason == VIEWER_REASON
    assert not rows[INCARCERATION.label_of("no")].peers.shown or not rows[NOT_DESCRIBED].peers.shown


def test_a_group_made_only_of_people_the_viewer_already_sees_is_withheld():
    peers = _peers(6, 0) + _peers(6, 100)
    groups = {peer.peer_id: "woman" for peer in peers[:6]} | {peer.peer_id: "man" for peer in peers[6:]}
    known = frozenset(peer.peer_id for peer in peers[:6])
    rows = _rows(group_burden(dimension=GENDER, peers=peers, groups=groups, k=5, known=known, measures=MEASURES))
    assert not rows["Woman"].peers.shown and not rows["Man"].peers.shown


def test_a_share_that_says_the_same_of_every_member_is_withheld_with_its_neighbour():
    peers = (_peers(6, 0, high_band={"burnout": True}) + _peers(6, 100, high_band={"burnout": False})
             + _peers(6, 200, high_band={"burnout": True}) + _peers(1, 300, high_band={"burnout": False}))
    groups = ({peer.peer_id: "woman" for peer in peers[:6]} | {peer.peer_id: "man" for peer in peers[6:12]}
              | {peer.peer_id: "nonbinary" for peer in peers[12:13]}
              | {peer.peer_id: "another" for peer in peers[13:18]})
    rows = _rows(group_burden(dimension=GENDER, peers=peers, groups=groups, k=5, known=frozenset(),
                              measures=MEASURES))
    assert rows["Woman"].figures["high_burnout"].reason == SAME_FOR_EVERYONE_REASON
    assert rows["Man"].figures["high_burnout"].reason == SAME_FOR_EVERYONE_REASON
    assert rows["Woman"].peers.value == 6 and rows["Woman"].figures["median_caseload"].shown
    shown_shares = [row.figures["high_burnout"] for row in rows.values() if row.figures["high_burnout"].shown]
    hidden = [row.group for row in rows.values() if not row.figures["high_burnout"].shown and row.group != ALL_PEERS]
    assert len(hidden) != 1 and all(0 < figure.value < 1 for figure in shown_shares)


@settings(max_examples=100, deadline=None)
@given(sizes=st.lists(st.integers(min_value=0, max_value=9), min_size=2, max_size=5),
       k=st.integers(min_value=3, max_value=6), viewer=st.booleans())
def test_no_line_of_groups_ever_has_exactly_one_figure_withheld_under_a_shown_total(sizes, k, viewer):
    peers, groups = [], {}
    codes = [code for code, _ in GENDER.options] + [None]
    for position, size in enumerate(sizes):
        members = _peers(size, 100 * position, high_band={"burnout": position % 2 == 0}, caseload=20 + position)
        peers += members
        if codes[position] is not None:
            groups |= {peer.peer_id: codes[position] for peer in members}
    known = frozenset({peers[0].peer_id}) if viewer and peers else frozenset()
    table = group_burden(dimension=GENDER, peers=peers, groups=groups, k=k, known=known, measures=MEASURES)
    parts = [row for row in table.rows if row.group != ALL_PEERS]
    total = _rows(table)[ALL_PEERS]
    for key in ["peers", *(measure.key for measure in MEASURES)]:
        def figure(row, key=key):
            return row.peers if key == "peers" else row.figures[key]
        if figure(total).shown:
            assert sum(1 for row in parts if not figure(row).shown) != 1, key
        for row in parts:
            members = [peer for peer in peers if (groups.get(peer.peer_id) or NOT_DESCRIBED)
                       in (row.group, _code_of(row.group))]
            beyond = [peer for peer in members if peer.peer_id not in known]
            if figure(row).shown and key == "peers":
                assert len(beyond) >= k


def _code_of(label: str) -> str | None:
    return next((code for code, option in GENDER.options if option == label), None)


# --- the lead's lens ----------------------------------------------------------------------------------------------


@pytest.fixture
def described_program(session, world):
    """Twelve peers on the two teams, seven of them describing themselves as having been incarcerated,
    with check-ins, assessments and supervision in the third quarter of 2026."""
    peers = [*overdose_peers(world), world.other_peer,
             *add_peers(session, world, world.team, 4, "overdose"), *add_peers(session, world, world.other_team, 4, "re")]
    for position, peer in enumerate(peers):
        add_pulse(session, peer, date(2026, 8, 5), exposures=("overdose_scene", "racism_or_discrimination")
                  if position < 7 else ("triggering_setting",), caseload=20 + position)
        add_assessment(session, peer, date(2026, 8, 20), burnout=45 if position % 3 == 0 else 30)
    add_session(session, world.supervisor, overdose_peers(world), date(2026, 9, 1), kind="group")
    for peer in peers[:7]:
        equity.save_self_description(session, actor=peer, answers={"incarceration": "yes"})
    return peers


def test_a_lead_of_the_whole_program_sees_released_groups_for_the_last_complete_quarter(session, world,
                                                                                      described_program):
    lens = equity_figures.equity_lens(session, actor=world.lead, on=world.today)
    assert (lens.period_from, lens.period_to, lens.k) == (date(2026, 7, 1), date(2026, 9, 30), 5)
    table = next(table for table in lens.tables if table.dimension == INCARCERATION.label)
    rows = _rows(table)
    yes = rows[INCARCERATION.label_of("yes")]
    assert yes.peers.value == 7
    assert yes.figures["discrimination_share"].reason == SAME_FOR_EVERYONE_REASON
    assert yes.figures["median_caseload"].value == 23
    assert rows[NOT_DESCRIBED].peers.value == 5 and rows[ALL_PEERS].peers.value == 12
    gender = next(table for table in lens.tables if table.dimension == GENDER.label)
    assert gender.released_groups == ()


def test_a_lead_who_is_also_a_supervisor_does_not_count_their_supervisees_toward_k(session, world,
                                                                                 described_program):
    world.lead.roles = frozenset({"lead", "supervisor"})
    session.add(world.lead)
    for peer in described_program[:3]:
        session.add(SupervisionAssignment(supervisor_id=world.lead.id, supervisee_id=peer.id,
                                          functions=frozenset({"supportive"}), started_on=world.today - timedelta(days=30)))
    session.commit()
    lens = equity_figures.equity_lens(session, actor=world.lead, on=world.today)
    rows = _rows(next(table for table in lens.tables if table.dimension == INCARCERATION.label))
    assert not rows[INCARCERATION.label_of("yes")].peers.shown


def test_nobody_but_a_lead_of_the_whole_program_sees_the_lens(session, world, described_program):
    team_lead = add_user(session, username="team_lead", roles="lead", program=world.program, team=world.team)
    session.commit()
    for actor in (team_lead, world.supervisor, world.admin_supervisor, world.peer, world.admin):
        with pytest.raises(PermissionDenied):
            equity_figures.equity_lens(session, actor=actor, on=world.today)


DISTINCTIVE_LABELS = [label for dimension in equity.DIMENSIONS for _, label in dimension.options
                      if len(label) > 12]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.fixed_dictionaries({}, optional={
    dimension.key: st.sampled_from([code for code, _ in dimension.options]) for dimension in equity.DIMENSIONS}))
def test_no_supervisor_path_returns_a_self_description(session, world, answers):
    for peer in (world.peer, world.peer_scores, world.peer_completion, world.other_peer):
        equity.save_self_description(session, actor=peer, answers=answers)
    chosen = [equity.DIMENSION_BY_KEY[key].label_of(code) for key, code in answers.items()]
    for supervisor in (world.supervisor, world.admin_supervisor, world.other_supervisor, world.ended_supervisor):
        for service in (equity.my_self_description, equity.remove_self_description):
            with pytest.raises(PermissionDenied):
                service(session, actor=supervisor)
        with pytest.raises(PermissionDenied):
            equity_figures.equity_lens(session, actor=supervisor, on=world.today)
        seen = [supervisor_week.prep_sheet(session, actor=supervisor, on=world.today),
                supervisor_week.my_supervisees(session, actor=supervisor, on=world.today),
                supervisor_week.supervision_load(session, actor=supervisor, on=world.today)]
        for row in supervisor_week.my_supervisees(session, actor=supervisor, on=world.today):
            seen.append(supervisor_week.supervisee_detail(session, actor=supervisor, peer_id=row.peer_id, on=world.today))
        shown = repr(seen)
        for label in [*chosen, *DISTINCTIVE_LABELS]:
            if len(label) > 12:
                assert label not in shown
        assert "race_ethnicity" not in shown and "incarceration" not in shown
