from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from console.dates import week_start
from console.errors import PermissionDenied
from console.program import TeamParticipation, team_participation
from console.program_settings import write_settings
from console.supervision import my_supervisees
from db.models import AuditEvent, PulseCheckin, TeamMembership
from tests.conftest import add_user


def _audited(session, actor_id: int, action: str) -> list[int]:
    return sorted(session.exec(select(AuditEvent.subject_id).where(AuditEvent.actor_id == actor_id,
                                                                   AuditEvent.action == action)).all())


def _pulse(session, peer, day) -> None:
    iso = day.isocalendar()
    session.add(PulseCheckin(peer_id=peer.id, iso_year=iso.year, iso_week=iso.week, week_start=week_start(day),
                             answers={"energy": 3}, idempotency_key=uuid.uuid4().hex))


def test_my_supervisees_lists_active_assignments_and_audits_each_view(session, world):
    _pulse(session, world.peer, world.today - timedelta(days=8))
    session.commit()
    rows = my_supervisees(session, actor=world.supervisor, on=world.today)
    assert [row.name for row in rows] == ["Peer Bands", "Peer Completion", "Peer Scores"]
    by_id = {row.peer_id: row for row in rows}
    assert by_id[world.peer.id].last_checkin == week_start(world.today - timedelta(days=8))
    assert by_id[world.peer_scores.id].last_checkin is None
    assert by_id[world.peer.id].sharing_level == "bands"
    assert by_id[world.peer_completion.id].sharing_level == "completion"
    assert by_id[world.peer.id].functions == ("administrative", "educational", "supportive")
    assert by_id[world.peer.id].team == "Overdose response"
    assert _audited(session, world.supervisor.id, "viewed_completion") == sorted(by_id)


def test_ended_assignment_is_not_listed_or_audited(session, world):
    assert my_supervisees(session, actor=world.ended_supervisor, on=world.today) == []
    assert _audited(session, world.ended_supervisor.id, "viewed_completion") == []
    yesterday = my_supervisees(session, actor=world.ended_supervisor, on=world.today - timedelta(days=1))
    assert [row.peer_id for row in yesterday] == [world.peer_scores.id]


def test_other_supervisors_supervisee_is_not_listed(session, world):
    rows = my_supervisees(session, actor=world.supervisor, on=world.today)
    assert world.other_peer.id not in {row.peer_id for row in rows}
    assert [row.peer_id for row in my_supervisees(session, actor=world.other_supervisor, on=world.today)] == [
        world.other_peer.id]


def test_administrative_supervisor_sees_completion_of_supervisees(session, world):
    rows = my_supervisees(session, actor=world.admin_supervisor, on=world.today)
    assert {row.peer_id for row in rows} == {world.peer.id, world.peer_scores.id, world.peer_completion.id}
    assert all(row.functions == ("administrative",) for row in rows)


def test_non_supervisor_has_no_supervisees(session, world):
    for actor in (world.peer, world.lead, world.admin):
        with pytest.raises(PermissionDenied):
            my_supervisees(session, actor=actor, on=world.today)
    assert session.exec(select(AuditEvent)).all() == []


def test_inactive_supervisor_is_denied(session, world):
    world.supervisor.active = False
    session.add(world.supervisor)
    session.commit()
    with pytest.raises(PermissionDenied):
        my_supervisees(session, actor=world.supervisor, on=world.today)
    assert _audited(session, world.supervisor.id, "viewed_completion") == []


def _grow_team(session, world, count: int) -> list:
    peers = [add_user(session, username=f"extra_peer_{n}", roles="peer", program=world.program, team=world.team)
             for n in range(count)]
    session.commit()
    return peers


def test_small_teams_are_suppressed(session, world):
    rows = team_participation(session, actor=world.lead, on=world.today)
    assert rows == [
        TeamParticipation("Overdose response", None, None, None, "fewer than 5 peers"),
        TeamParticipation("Reentry", None, None, None, "fewer than 5 peers"),
    ]


def test_team_of_k_peers_shows_counts(session, world):
    extra = _grow_team(session, world, 2)
    _pulse(session, world.peer, world.today)
    _pulse(session, world.peer, world.today - timedelta(days=7))
    _pulse(session, extra[0], world.today - timedelta(days=14))
    _pulse(session, world.peer_scores, world.today - timedelta(days=5 * 7))
    _pulse(session, world.other_peer, world.today)
    session.commit()
    rows = {row.team: row for row in team_participation(session, actor=world.lead, on=world.today)}
    assert rows["Overdose response"] == TeamParticipation("Overdose response", 5, 2, 0.4, None)
    assert rows["Reentry"].suppressed_reason == "fewer than 5 peers"
    assert rows["Reentry"].checked_in is None


def test_non_peers_and_inactive_peers_do_not_count_towards_k(session, world):
    extra = _grow_team(session, world, 1)
    add_user(session, username="team_supervisor", roles="supervisor", program=world.program, team=world.team)
    extra[0].active = False
    session.add(extra[0])
    session.commit()
    rows = {row.team: row for row in team_participation(session, actor=world.lead, on=world.today)}
    assert rows["Overdose response"].suppressed_reason == "fewer than 5 peers"


def test_ended_membership_does_not_count_towards_k(session, world):
    extra = _grow_team(session, world, 2)
    membership = session.exec(select(TeamMembership).where(TeamMembership.user_id == extra[0].id)).one()
    membership.ended_on = world.today - timedelta(days=1)
    session.add(membership)
    session.commit()
    rows = {row.team: row for row in team_participation(session, actor=world.lead, on=world.today)}
    assert rows["Overdose response"].peers is None


def test_threshold_follows_the_anonymity_setting(session, world):
    write_settings(session, actor=world.admin, changes={"anonymity_k": 3}, on=world.today)
    rows = {row.team: row for row in team_participation(session, actor=world.lead, on=world.today)}
    assert rows["Overdose response"].peers == 3
    assert rows["Reentry"].suppressed_reason == "fewer than 3 peers"


def test_lead_assigned_to_a_team_sees_only_that_team(session, world):
    write_settings(session, actor=world.admin, changes={"anonymity_k": 3}, on=world.today)
    team_lead = add_user(session, username="team_lead", roles="lead", program=world.program, team=world.other_team)
    session.commit()
    assert [row.team for row in team_participation(session, actor=team_lead, on=world.today)] == ["Reentry"]


def test_only_a_lead_sees_team_participation(session, world):
    _grow_team(session, world, 2)
    for actor in (world.peer, world.supervisor, world.admin):
        with pytest.raises(PermissionDenied):
            team_participation(session, actor=actor, on=world.today)
