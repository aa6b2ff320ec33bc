from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from console.core.dates import week_start
from console.core.errors import PermissionDenied
from console.supervision.supervisor_week import my_supervisees
from db.models import AuditEvent, PulseCheckin
from tests.conftest import clock_on


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
    with clock_on(world.today - timedelta(days=1)):
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
