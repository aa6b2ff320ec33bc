"""Call-outs and the training snapshot released with each closed month (`console.program.fieldwork_figures`):
stored figures equal the rule applied by hand to raw rows, a release is idempotent, late data never changes a
shown figure, other programs' call-outs are never counted, call-outs are dated in the program's time zone, and an
attacker who sees every view of the released cells cannot solve for one peer."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from console.core.program_settings import write_settings
from console.fieldwork import callouts, trainings
from console.program import fieldwork_figures as ff
from console.program import release
from db.models import CallOut, Program, ReleasedFigure, Team, TrainingRecord
from scoring import release as rule
from tests.conftest import add_user
from tests.console.program.test_program import add_peers, add_team, overdose_peers

OCTOBER = date(2026, 10, 1)
CHICAGO = "America/Chicago"


def add_callout(session, peer, moment: datetime, *, kind: str = "welfare_check", after_hours: bool = False) -> None:
    session.add(CallOut(peer_id=peer.id, started_at=moment, ended_at=moment + timedelta(hours=1),
                        week_start=callouts.callout_week(moment), after_hours=after_hours, kind=kind, setting="home",
                        rating=2, idempotency_key=uuid.uuid4().hex))


def stored(session, program_id: int, month: date = OCTOBER) -> dict[tuple[str, str], ReleasedFigure]:
    rows = session.exec(select(ReleasedFigure).where(ReleasedFigure.program_id == program_id,
                                                     ReleasedFigure.period_start == month)).all()
    return {(row.topic, row.group_key): row for row in rows}


def test_the_kinds_of_call_out_released_are_the_kinds_logged():
    assert tuple(callouts.KINDS) == ff.CALLOUT_KINDS
    assert trainings.RENEWAL_WINDOW_DAYS == ff.RENEWAL_WINDOW_DAYS


def _random_program(session, world, seed: int):
    """Teams of random sizes (some small), random call-outs around October in Chicago time, some by peers of
    another program; returns the peers by team and the call-outs (peer, moment, kind, after hours)."""
    chooser = random.Random(seed)
    write_settings(session, actor=None, changes={"time_zone": CHICAGO}, on=world.today)
    by_team = {world.team.id: overdose_peers(world), world.other_team.id: [world.other_peer]}
    for index in range(chooser.randint(1, 3)):
        team = add_team(session, world, f"Team {seed}-{index}")
        by_team[team.id] = add_peers(session, world, team, chooser.choice([1, 2, 5, 6, 8]), f"p{seed}_{index}")
    elsewhere = Program(name="Elsewhere")
    session.add(elsewhere)
    session.flush()
    foreign_team = Team(program_id=elsewhere.id, name="Foreign")
    session.add(foreign_team)
    session.flush()
    foreign = [add_user(session, username=f"foreign_{seed}_{n}", roles="peer", program=elsewhere, team=foreign_team)
               for n in range(6)]
    logged = []
    start = datetime(2026, 9, 30, 0, 0, tzinfo=UTC)
    for peer in [peer for peers in by_team.values() for peer in peers] + foreign:
        for _number in range(chooser.randint(0, 4)):
            moment = start + timedelta(hours=chooser.randint(0, 33 * 24))
            kind = chooser.choice(ff.CALLOUT_KINDS[:3])
            after = chooser.random() < 0.4
            add_callout(session, peer, moment, kind=kind, after_hours=after)
            logged.append((peer.id, moment, kind, after))
    session.commit()
    return by_team, logged


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_stored_call_outs_equal_the_rule_applied_to_raw_call_outs(session, world, seed):
    by_team, logged = _random_program(session, world, seed)
    release.release_due(session, on=world.today, program_id=world.program.id)
    k = 5
    team_of = {peer.id: team_id for team_id, peers in by_team.items() for peer in peers}
    sizes = {release.team_key(team_id): len(peers) for team_id, peers in by_team.items()}
    pooled = sorted(int(key.split(":")[1]) for key in rule.pool_teams(sizes, k=k))
    zone = ZoneInfo(CHICAGO)
    rows = [release.team_key(team_id) for team_id in sorted(by_team) if team_id not in pooled]
    rows += [release.POOL_KEY] if pooled else []

    def row_of(peer_id: int) -> str:
        return release.POOL_KEY if team_of[peer_id] in pooled else release.team_key(team_of[peer_id])

    in_month = [(peer_id, kind, after) for peer_id, moment, kind, after in logged
                if peer_id in team_of and moment.astimezone(zone).date().replace(day=1) == OCTOBER]

    def table(columns, column_of) -> rule.Table:
        cells = {(row, column): rule.TableCell(
            sum(1 for item in in_month if row_of(item[0]) == row and column_of(item) == column),
            frozenset(item[0] for item in in_month if row_of(item[0]) == row and column_of(item) == column))
            for row in rows for column in columns}
        return rule.release_table(cells, k=k)

    kinds = table(ff.CALLOUT_KINDS, lambda item: item[1])
    hours = table(("after", "working"), lambda item: "after" if item[2] else "working")
    found = stored(session, world.program.id)
    for row in rows:
        for topic, shown in [(ff.CALLOUTS, kinds.rows[row]),
                             *((ff.callout_kind_topic(kind), kinds.cells[(row, kind)]) for kind in ff.CALLOUT_KINDS)]:
            assert (found[(topic, row)].released, found[(topic, row)].count_a) == (shown.released, shown.count)
        after = hours.cells[(row, "after")] if hours.rows[row].released else hours.rows[row]
        assert found[(ff.CALLOUTS_AFTER_HOURS, row)].count_a == after.count
    assert found[(ff.CALLOUTS, release.PROGRAM_KEY)].count_a == kinds.total.count
    if kinds.total.released:
        assert kinds.total.count == len(in_month), "every call-out of the program's month, and no other program's"
    for team_id in pooled:
        assert found[(ff.CALLOUTS, release.team_key(team_id))].reason == rule.POOLED_REASON


def test_call_outs_are_dated_in_the_programs_time_zone_and_other_programs_never_count(session, world):
    write_settings(session, actor=None, changes={"time_zone": CHICAGO}, on=world.today)
    peers = [*overdose_peers(world), *add_peers(session, world, world.team, 3, "more")]
    for peer in peers:
        add_callout(session, peer, datetime(2026, 11, 1, 3, 0, tzinfo=UTC))  # 31 October, 22:00 in Chicago
        add_callout(session, peer, datetime(2026, 10, 1, 3, 0, tzinfo=UTC))  # 30 September, 22:00 in Chicago
    elsewhere = Program(name="Elsewhere")
    session.add(elsewhere)
    session.flush()
    team = Team(program_id=elsewhere.id, name="Foreign")
    session.add(team)
    session.flush()
    for number in range(6):
        add_callout(session, add_user(session, username=f"far_{number}", roles="peer", program=elsewhere, team=team),
                    datetime(2026, 10, 15, 12, 0, tzinfo=UTC))
    session.commit()
    figures = callouts.lead_callouts(session, actor=world.lead, on=world.today, months=3)
    by_month = {month.month: {team.team: team.callouts for team in month.teams} for month in figures.months}
    assert by_month[OCTOBER]["Overdose response"] == 6
    assert by_month[date(2026, 9, 1)]["Overdose response"] == 6
    assert by_month[OCTOBER][rule.PROGRAM_GROUP] == 6
    assert {team.team: team.callouts for team in figures.teams}["Overdose response"] == 12


def _snapshot_program(session, world, seed: int):
    chooser = random.Random(seed)
    by_team = {world.team.id: overdose_peers(world), world.other_team.id: [world.other_peer]}
    for index in range(chooser.randint(1, 3)):
        team = add_team(session, world, f"Team {seed}-{index}")
        by_team[team.id] = add_peers(session, world, team, chooser.choice([1, 3, 5, 6, 9]), f"t{seed}_{index}")
    records = []
    for peer in [peer for peers in by_team.values() for peer in peers]:
        for _number in range(chooser.randint(0, 3)):
            kind = chooser.choice(["peer_certification", "crisis_response_72h", "other"])
            completed = date(2026, 6, 1) + timedelta(days=chooser.randint(0, 170))
            renews = None if chooser.random() < 0.3 else completed + timedelta(days=chooser.randint(20, 400))
            record = TrainingRecord(person_id=peer.id, kind=kind, name=kind if kind != "other" else "Naloxone",
                                    completed_on=completed, renews_on=renews, recorded_by=peer.id)
            session.add(record)
            records.append(record)
    session.commit()
    return by_team, records


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_stored_training_snapshot_equals_the_rule_applied_to_raw_records(session, world, seed):
    by_team, records = _snapshot_program(session, world, seed)
    release.release_due(session, on=world.today, program_id=world.program.id)
    k, last_day = 5, date(2026, 10, 31)
    held = [record for record in records if record.completed_on <= last_day]

    def status(peer_id: int) -> tuple[int, int, int]:
        mine = [record for record in held if record.person_id == peer_id]
        current = {record.kind for record in mine if record.renews_on is None or record.renews_on >= last_day}
        latest: dict[tuple[str, str], TrainingRecord] = {}
        for record in sorted(mine, key=lambda record: (record.completed_on, record.id)):
            latest[(record.kind, record.name)] = record
        due = any(record.renews_on is not None and record.renews_on <= last_day + timedelta(days=60)
                  for record in latest.values())
        return int("peer_certification" in current), int("crisis_response_72h" in current), int(due)

    keys = {team_id: release.team_key(team_id) for team_id in by_team}
    pooled = sorted(rule.pool_teams({keys[team_id]: len(peers) for team_id, peers in by_team.items()}, k=k))

    def cell(peers, index: int) -> tuple[int, tuple[int, ...]]:
        statuses = [status(peer.id) for peer in peers]
        counts = (sum(s[0] for s in statuses), sum(s[1] for s in statuses)) if index == 0 else \
            (sum(s[2] for s in statuses),)
        return len(peers), counts

    found = stored(session, world.program.id)
    everyone = [peer for peers in by_team.values() for peer in peers]
    in_pool = [peer for team_id, peers in by_team.items() if keys[team_id] in pooled for peer in peers]
    for index, topic in enumerate(ff.TRAINING_TOPICS):
        shown = rule.release_groups(
            [rule.Part(keys[team_id], *cell(peers, index)) for team_id, peers in by_team.items()],
            program=rule.Part(release.PROGRAM_KEY, *cell(everyone, index)),
            pool=rule.Part(release.POOL_KEY, *cell(in_pool, index)) if pooled else None, pooled=pooled, k=k)
        for key, expected in shown.items():
            row = found[(topic, key)]
            assert row.released == expected.released, (topic, key)
            if expected.released:
                assert (row.a_low, row.a_high) == (expected.counts[0].low, expected.counts[0].high)
                assert row.peers == expected.peers


def test_a_release_is_idempotent_and_late_data_changes_nothing_shown(session, world):
    peers = [*overdose_peers(world), *add_peers(session, world, world.team, 3, "more")]
    for peer in peers:
        add_callout(session, peer, datetime(2026, 10, 14, 20, 0, tzinfo=UTC), after_hours=True)
        session.add(TrainingRecord(person_id=peer.id, kind="peer_certification", name="peer_certification",
                                   completed_on=date(2026, 3, 1), renews_on=None, recorded_by=peer.id))
    session.commit()
    figures = callouts.lead_callouts(session, actor=world.lead, on=world.today, months=12)
    counts = trainings.team_counts(session, actor=world.lead, on=world.today)
    before = session.execute(sa.select(sa.func.count()).select_from(ReleasedFigure)).scalar()
    assert release.release_due(session, on=world.today, program_id=world.program.id) == []
    assert session.execute(sa.select(sa.func.count()).select_from(ReleasedFigure)).scalar() == before
    add_callout(session, peers[0], datetime(2026, 10, 20, 12, 0, tzinfo=UTC), kind="overdose_fatal")
    session.add(TrainingRecord(person_id=peers[1].id, kind="crisis_response_72h", name="crisis_response_72h",
                               completed_on=date(2026, 10, 2), renews_on=None, recorded_by=peers[1].id))
    session.commit()
    assert callouts.lead_callouts(session, actor=world.lead, on=world.today, months=12) == figures
    assert trainings.team_counts(session, actor=world.lead, on=world.today + timedelta(days=2)) == counts
    october = {team.team: team for team in figures.months[-1].teams}["Overdose response"]
    assert (october.callouts, october.after_hours_share) == (6, 1.0)


def test_period_sums_add_up_released_month_cells_only(session, world):
    peers = [*overdose_peers(world), *add_peers(session, world, world.team, 3, "more")]
    for month in (8, 9, 10):
        for peer in peers[: 6 if month != 9 else 2]:
            add_callout(session, peer, datetime(2026, month, 10, 12, 0, tzinfo=UTC))
    session.commit()
    figures = callouts.lead_callouts(session, actor=world.lead, on=world.today, months=3)
    months = {month.month: {team.team: team for team in month.teams} for month in figures.months}
    assert months[date(2026, 8, 1)]["Overdose response"].callouts == 6
    assert months[date(2026, 9, 1)]["Overdose response"].callouts is None, "two peers"
    period = {team.team: team for team in figures.teams}
    assert period["Overdose response"].callouts is None, "no sum over a hidden month"
    two = callouts.lead_callouts(session, actor=world.lead, on=date(2026, 9, 5), months=1)
    assert {team.team: team.callouts for team in two.teams}["Overdose response"] == 6


# ---- the attacker ----


@st.composite
def called_programs(draw):
    """Teams of peers, each peer's call-outs by kind and hours, and the peers the viewer knows."""
    teams = draw(st.integers(1, 4))
    peers = [(peer, draw(st.integers(1, teams))) for peer in range(draw(st.integers(1, 18)))]
    logged = [(peer, team, draw(st.sampled_from(ff.CALLOUT_KINDS[:3])), draw(st.booleans()))
              for peer, team in peers for _number in range(draw(st.integers(0, 3)))]
    known = draw(st.sets(st.sampled_from([peer for peer, _team in peers]))) if peers else set()
    return draw(st.sampled_from([3, 5])), teams, peers, logged, known


@settings(max_examples=300, deadline=None)
@given(called_programs())
def test_no_call_out_view_lets_a_viewer_solve_for_one_peers_call_outs(program):
    """Every cell a viewer is shown rests on at least k peers besides those they know, and no withheld small
    cell follows from a row or column of shown cells (its line's total minus the others)."""
    k, teams, peers, logged, known = program
    names = {team: f"team {team}" for team in range(1, teams + 1)}
    sizes = {release.team_key(team): sum(1 for _peer, on in peers if on == team) for team in names}
    pooled = sorted(int(key.split(":")[1]) for key in rule.pool_teams(sizes, k=k))
    rows = ff.stored_callouts([(peer, team, kind, after) for peer, team, kind, after in logged], names=names,
                              pooled=pooled, k=k, program_id=1, month=OCTOBER)
    team_of = dict(peers)
    known_by_team: dict[int, int] = defaultdict(int)
    for peer in known:
        known_by_team[team_of[peer]] += 1
    by_topic: dict[str, list] = defaultdict(list)
    for row in rows:
        by_topic[row["topic"]].append(SimpleNamespace(**row))
    seen = {topic: release._for_viewer(figures, known=dict(known_by_team), k=k, released_with=k, counts_from=topic)
            for topic, figures in by_topic.items()}
    released = {(row["topic"], row["group_key"]) for row in rows if row["released"]}
    seen = callouts._month_groups(seen, {(topic, key) for topic, key in released if topic in callouts._BREAKDOWN})
    members = {release.team_key(team): {team} for team in names} | {release.POOL_KEY: set(pooled),
                                                                     release.PROGRAM_KEY: set(names)}

    def behind(topic: str, key: str) -> set[int]:
        return {peer for peer, team, kind, after in logged if team in members[key]
                and (topic == ff.CALLOUTS or (topic == ff.CALLOUTS_AFTER_HOURS and after)
                     or topic == ff.callout_kind_topic(kind))}

    for topic, cells in seen.items():
        for key, figure in cells.items():
            if figure.released and behind(topic, key):
                assert len(behind(topic, key) - known) >= k, (topic, key)
    kinds = [ff.callout_kind_topic(kind) for kind in ff.CALLOUT_KINDS]
    line_keys = [release.team_key(team) for team in names if team not in pooled] + \
        ([release.POOL_KEY] if pooled else [])
    for key in line_keys:
        row_total = seen[ff.CALLOUTS][key]
        hidden = [topic for topic in kinds if not seen[topic][key].released]
        if row_total.released and len(hidden) == 1:
            assert not behind(hidden[0], key) or len(behind(hidden[0], key) - known) >= k, (key, hidden)
    for topic in (ff.CALLOUTS, ff.CALLOUTS_AFTER_HOURS, *kinds):
        total = seen[topic][release.PROGRAM_KEY]
        hidden = [key for key in line_keys if not seen[topic][key].released]
        if total.released and len(hidden) == 1:
            assert not behind(topic, hidden[0]) or len(behind(topic, hidden[0]) - known) >= k, (topic, hidden)


def test_a_lead_of_some_teams_sees_their_teams_and_the_pool_but_not_the_program(session, world):
    small = add_team(session, world, "Small")
    add_peers(session, world, small, 2, "small")
    big = add_team(session, world, "Big")
    big_peers = add_peers(session, world, big, 6, "big")
    team_lead = add_user(session, username="small_lead", roles="lead", program=world.program, team=small)
    for peer in big_peers:
        add_callout(session, peer, datetime(2026, 10, 5, 12, 0, tzinfo=UTC))
    session.commit()
    figures = callouts.lead_callouts(session, actor=team_lead, on=world.today, months=1)
    assert [team.team for team in figures.teams] == ["Small", rule.POOL_GROUP]
    whole = callouts.lead_callouts(session, actor=world.lead, on=world.today, months=1)
    assert [team.team for team in whole.teams][-1] == rule.PROGRAM_GROUP
    assert {team.team: team.callouts for team in whole.teams}["Big"] == 6
    assert session.exec(select(col(ReleasedFigure.topic)).where(ReleasedFigure.topic == ff.TRAINING)).first()
