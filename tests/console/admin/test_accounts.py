from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlmodel import func, select

from console.admin.accounts import (
    UserRow,
    assign_supervision,
    create_team,
    create_user,
    end_assignment,
    list_teams,
    list_users,
)
from console.core.errors import PermissionDenied, ValidationError
from console.core.passwords import NO_PASSWORD_YET, verify_password
from console.policy.access import Action, allowed
from db.models import AuditEvent, SupervisionAssignment, Team, TeamMembership, User
from tests.conftest import TEST_PASSWORD, add_user, clock_on

pytestmark = pytest.mark.usefixtures("cheap_password_hashing")


def _user_count(session) -> int:
    return session.exec(select(func.count()).select_from(User)).one()


def _valid(world, **overrides):
    values = dict(username="new.peer", display_name="New Peer", roles=["peer"],
                  on=world.today, email="new.peer@example.org", team_id=world.team.id)
    values.update(overrides)
    return values


def test_admin_creates_a_user_without_any_password_and_gets_a_one_time_invitation(session, world):
    created = create_user(session, actor=world.admin,
                          **_valid(world, username="New.Peer", roles=["supervisor", "peer"]))
    user = created.user
    session.expire_all()
    stored = session.get(User, user.id)
    assert stored.username == "new.peer"
    assert stored.roles == {"peer", "supervisor"}
    assert stored.program_id == world.program.id
    assert stored.email == "new.peer@example.org"
    assert stored.password_hash == NO_PASSWORD_YET
    for guess in ("", NO_PASSWORD_YET, "a password nobody has, used to keep timing even", TEST_PASSWORD):
        assert not verify_password(stored.password_hash, guess)
    assert created.invitation.user_id == user.id and created.invitation.purpose == "new_account"
    membership = session.exec(select(TeamMembership).where(TeamMembership.user_id == user.id)).one()
    assert membership.team_id == world.team.id
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "account_created")).one()
    assert (event.actor_id, event.subject_id) == (world.admin.id, user.id)
    assert created.invitation.code not in event.detail


BAD_FIELDS = [
    ("username", {"username": "Not Valid!"}),
    ("username", {"username": "x"}),
    ("username", {"username": "-starts-with-dash"}),
    ("username", {"username": "PEER_BANDS"}),
    ("display_name", {"display_name": "   "}),
    ("roles", {"roles": []}),
    ("roles", {"roles": ["peer", "wizard"]}),
    ("email", {"email": "not-an-email"}),
    ("team_id", {"team_id": 999_999}),
]


def test_each_bad_field_is_named_and_nothing_is_written(session, world):
    before = _user_count(session)
    for field, overrides in BAD_FIELDS:
        with pytest.raises(ValidationError) as raised:
            create_user(session, actor=world.admin, **_valid(world, **overrides))
        assert raised.value.problems.get(field), (field, overrides, raised.value.problems)
        session.rollback()
        assert _user_count(session) == before
    assert session.exec(select(AuditEvent)).all() == []


def test_several_bad_fields_are_reported_together(session, world):
    with pytest.raises(ValidationError) as raised:
        create_user(session, actor=world.admin, **_valid(world, username="!", display_name="", roles=[]))
    assert set(raised.value.problems) == {"username", "display_name", "roles"}


def test_duplicate_email_is_refused_and_nothing_is_written(session, world):
    create_user(session, actor=world.admin, **_valid(world))
    before = _user_count(session)
    with pytest.raises(ValidationError):
        create_user(session, actor=world.admin, **_valid(world, username="someone.else",
                                                         email="NEW.PEER@example.org"))
    session.rollback()
    assert _user_count(session) == before
    assert session.exec(select(func.count()).select_from(TeamMembership)
                        .where(TeamMembership.team_id == world.team.id)).one() == 4


def test_only_an_admin_creates_users(session, world):
    before = _user_count(session)
    for actor in (world.supervisor, world.lead, world.peer):
        with pytest.raises(PermissionDenied):
            create_user(session, actor=actor, **_valid(world))
        session.rollback()
    assert _user_count(session) == before


def test_inactive_admin_is_denied(session, world):
    world.admin.active = False
    session.add(world.admin)
    session.commit()
    with pytest.raises(PermissionDenied):
        create_user(session, actor=world.admin, **_valid(world))


def test_assign_supervision_gives_access_from_that_day(session, world):
    assert not allowed(session, actor=world.other_supervisor, action=Action.VIEW_BANDS, subject_id=world.peer.id)
    assignment = assign_supervision(session, actor=world.admin, supervisor_id=world.other_supervisor.id,
                                    supervisee_id=world.peer.id, functions=["supportive", "administrative"],
                                    on=world.today)
    assert assignment.functions == {"administrative", "supportive"}
    assert assignment.started_on == world.today
    assert allowed(session, actor=world.other_supervisor, action=Action.VIEW_BANDS, subject_id=world.peer.id)
    with clock_on(world.today - timedelta(days=1)):
        assert not allowed(session, actor=world.other_supervisor, action=Action.VIEW_BANDS, subject_id=world.peer.id)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "assignment_created")).one()
    assert event.subject_id == world.peer.id


def _assignment_problems(session, world, **overrides) -> dict[str, str]:
    values = dict(supervisor_id=world.other_supervisor.id, supervisee_id=world.peer.id, functions=["supportive"],
                  on=world.today)
    values.update(overrides)
    before = session.exec(select(func.count()).select_from(SupervisionAssignment)).one()
    with pytest.raises(ValidationError) as raised:
        assign_supervision(session, actor=world.admin, **values)
    session.rollback()
    assert session.exec(select(func.count()).select_from(SupervisionAssignment)).one() == before
    return raised.value.problems


def test_assignment_rules(session, world):
    assert "supervisor_id" in _assignment_problems(session, world, supervisor_id=world.peer_scores.id)
    assert "supervisor_id" in _assignment_problems(session, world, supervisor_id=999_999)
    assert "supervisee_id" in _assignment_problems(session, world, supervisee_id=world.lead.id)
    assert "functions" in _assignment_problems(session, world, functions=[])
    assert "functions" in _assignment_problems(session, world, functions=["supportive", "spiritual"])
    both = add_user(session, username="peer_and_supervisor", roles={"peer", "supervisor"}, program=world.program)
    session.commit()
    problems = _assignment_problems(session, world, supervisor_id=both.id, supervisee_id=both.id)
    assert "themselves" in problems["supervisee_id"]


def test_only_an_admin_assigns_or_ends_supervision(session, world):
    with pytest.raises(PermissionDenied):
        assign_supervision(session, actor=world.supervisor, supervisor_id=world.supervisor.id,
                           supervisee_id=world.other_peer.id, functions=["supportive"], on=world.today)
    assignment = session.exec(select(SupervisionAssignment)
                              .where(SupervisionAssignment.supervisor_id == world.supervisor.id)).first()
    with pytest.raises(PermissionDenied):
        end_assignment(session, actor=world.supervisor, assignment_id=assignment.id, on=world.today)
    session.rollback()
    assert session.get(SupervisionAssignment, assignment.id).ended_on is None


def test_ended_assignment_keeps_access_that_day_and_loses_it_the_next(session, world):
    assignment = session.exec(select(SupervisionAssignment).where(
        SupervisionAssignment.supervisor_id == world.supervisor.id,
        SupervisionAssignment.supervisee_id == world.peer.id)).one()
    ended = end_assignment(session, actor=world.admin, assignment_id=assignment.id, on=world.today)
    assert ended.ended_on == world.today
    assert allowed(session, actor=world.supervisor, action=Action.VIEW_BANDS, subject_id=world.peer.id)
    with clock_on(world.today + timedelta(days=1)):
        assert not allowed(session, actor=world.supervisor, action=Action.VIEW_COMPLETION, subject_id=world.peer.id)
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "assignment_ended")).one().subject_id == \
        world.peer.id


def test_ending_an_unknown_assignment_is_refused(session, world):
    with pytest.raises(ValidationError):
        end_assignment(session, actor=world.admin, assignment_id=999_999, on=world.today)


def test_list_users_shows_no_secrets(session, world):
    rows = list_users(session, actor=world.admin, on=world.today)
    assert {row.username for row in rows} == set(session.exec(select(User.username)).all())
    assert {field.name for field in dataclasses.fields(UserRow)} == {
        "id", "username", "display_name", "roles", "teams", "active", "locked", "invitation_pending", "role_set",
    }
    hashes = set(session.exec(select(User.password_hash)).all())
    for row in rows:
        assert not hasattr(row, "password_hash")
        for value in dataclasses.astuple(row):
            assert str(value) not in hashes
            assert "$argon2" not in str(value)
            assert TEST_PASSWORD not in str(value)
    by_name = {row.username: row for row in rows}
    assert by_name["peer_bands"].teams == "Overdose response"
    assert by_name["other_peer"].teams == "Reentry"


def test_only_an_admin_lists_users_and_teams(session, world):
    for actor in (world.supervisor, world.lead, world.peer):
        with pytest.raises(PermissionDenied):
            list_users(session, actor=actor, on=world.today)
        with pytest.raises(PermissionDenied):
            list_teams(session, actor=actor, on=world.today)


def test_teams_are_created_once_and_counted(session, world):
    team = create_team(session, actor=world.admin, program_id=world.program.id, name=" Courts ", setting="court",
                       on=world.today)
    assert team.name == "Courts"
    with pytest.raises(ValidationError):
        create_team(session, actor=world.admin, program_id=world.program.id, name="Courts", setting="",
                    on=world.today)
    with pytest.raises(ValidationError):
        create_team(session, actor=world.admin, program_id=world.program.id, name="  ", setting="", on=world.today)
    counts = {row.name: row.members for row in list_teams(session, actor=world.admin, on=world.today)}
    assert counts == {"Courts": 0, "Overdose response": 3, "Reentry": 1}


@pytest.mark.parametrize("name", ["All teams", "all teams", " ALL TEAMS ", "No current team", "Smaller teams combined",
                                  "", "   "])
def test_a_team_named_like_a_console_label_or_nothing_is_refused(session, world, name):
    before = session.exec(select(func.count()).select_from(Team)).one()
    with pytest.raises(ValidationError) as refused:
        create_team(session, actor=world.admin, program_id=world.program.id, name=name, setting="", on=world.today)
    assert refused.value.problems["name"]
    session.rollback()
    assert session.exec(select(func.count()).select_from(Team)).one() == before
