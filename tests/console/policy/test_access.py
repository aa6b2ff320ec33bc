from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from console.core.errors import PermissionDenied
from console.policy.access import Action, Relationship, allowed, authorize, decide
from console.program import coverage_figures, wellness_figures, workload_figures
from console.supervision import action_items, sessions, shared_view, supervisor_week
from db.engine import session_scope
from db.models import AuditEvent, SharingPreference, SupervisionAssignment, TeamMembership, utcnow
from tests.conftest import add_user, clock_on
from tests.supervision_data import add_wellness_history

A = Action
ACTOR, SUBJECT = 1, 2
ALL_FUNCTIONS = frozenset({"administrative", "educational", "supportive"})


def _other(roles: set[str], **facts) -> Relationship:
    return Relationship(actor_id=ACTOR, actor_roles=frozenset(roles), subject_id=SUBJECT, subject_is_peer=True, **facts)


def _self(roles: set[str], **facts) -> Relationship:
    return Relationship(actor_id=ACTOR, actor_roles=frozenset(roles), subject_id=ACTOR,
                        subject_is_peer="peer" in roles, **facts)


RELATIONSHIPS: dict[str, Relationship] = {
    "peer reading self": _self({"peer"}),
    "peer sharing completion reading self": _self({"peer"}, sharing_level="completion"),
    "full supervisor, peer shares completion": _other({"supervisor"}, assignment_functions=ALL_FUNCTIONS,
                                                      sharing_level="completion"),
    "full supervisor, peer shares bands": _other({"supervisor"}, assignment_functions=ALL_FUNCTIONS,
                                                 sharing_level="bands"),
    "full supervisor, peer shares scores": _other({"supervisor"}, assignment_functions=ALL_FUNCTIONS,
                                                  sharing_level="scores"),
    "supportive-only supervisor, peer shares scores": _other({"supervisor"},
                                                             assignment_functions=frozenset({"supportive"}),
                                                             sharing_level="scores"),
    "administrative-only supervisor, peer shares scores": _other(
        {"supervisor"}, assignment_functions=frozenset({"administrative"}), sharing_level="scores"),
    "supervisor without an assignment": _other({"supervisor"}, sharing_level="scores"),
    "assignment left over after the supervisor role was removed": _other(
        {"peer"}, assignment_functions=ALL_FUNCTIONS, sharing_level="scores"),
    "lead covering the subject": _other({"lead"}, lead_covers_subject=True, sharing_level="scores"),
    "lead not covering the subject": _other({"lead"}, sharing_level="scores"),
    "admin reading a peer": _other({"admin"}, sharing_level="scores"),
    "admin with no subject": Relationship(actor_id=ACTOR, actor_roles=frozenset({"admin"})),
    "lead with no subject": Relationship(actor_id=ACTOR, actor_roles=frozenset({"lead"})),
    "peer with no subject": Relationship(actor_id=ACTOR, actor_roles=frozenset({"peer"})),
    "inactive peer reading self": _self({"peer"}, actor_active=False),
    "inactive admin": Relationship(actor_id=ACTOR, actor_roles=frozenset({"admin"}), actor_active=False),
    "inactive full supervisor": _other({"supervisor"}, actor_active=False, assignment_functions=ALL_FUNCTIONS,
                                       sharing_level="scores"),
    "peer reading another peer": _other({"peer"}, sharing_level="scores"),
    "supervisor and peer reading a peer they do not supervise": _other({"supervisor", "peer"},
                                                                       sharing_level="scores"),
    "supervisor and peer reading self": _self({"supervisor", "peer"}),
    "supervisor without the peer role reading self": _self({"supervisor"}),
    "lead and supervisor supervising the subject at bands": _other(
        {"lead", "supervisor"}, assignment_functions=ALL_FUNCTIONS, lead_covers_subject=True),
    "every role, no assignment, covering lead": _other({"peer", "supervisor", "lead", "admin"},
                                                       lead_covers_subject=True, sharing_level="scores"),
}

Y, N = True, False
COLUMNS = (A.VIEW_COMPLETION, A.VIEW_BANDS, A.VIEW_SCORES, A.VIEW_ITEM_ANSWERS, A.VIEW_SHARED_TEXT, A.VIEW_WORKLOAD,
           A.VIEW_SESSION_NOTES, A.VIEW_REACH_OUTS, A.WRITE_OWN_WELLNESS, A.RECORD_SUPERVISION, A.LIST_SUPERVISEES,
           A.VIEW_TEAM_AGGREGATES, A.MANAGE_ACCOUNTS, A.VIEW_AUDIT_LOG)

# completion, bands, scores, item answers, shared text, workload, session notes, reach-outs, write own,
# record supervision, own supervisees, team aggregates, manage accounts, audit log
EXPECTED: dict[str, tuple[bool, ...]] = {
    "peer reading self":                                          (Y, Y, Y, Y, Y, Y, Y, Y, Y, N, N, N, N, N),
    "peer sharing completion reading self":                       (Y, Y, Y, Y, Y, Y, Y, Y, Y, N, N, N, N, N),
    "full supervisor, peer shares completion":                    (Y, N, N, N, Y, Y, Y, Y, N, Y, Y, N, N, N),
    "full supervisor, peer shares bands":                         (Y, Y, N, N, Y, Y, Y, Y, N, Y, Y, N, N, N),
    "full supervisor, peer shares scores":                        (Y, Y, Y, N, Y, Y, Y, Y, N, Y, Y, N, N, N),
    "supportive-only supervisor, peer shares scores":             (Y, Y, Y, N, Y, Y, Y, Y, N, Y, Y, N, N, N),
    "administrative-only supervisor, peer shares scores":         (Y, N, N, N, N, Y, Y, N, N, Y, Y, N, N, N),
    "supervisor without an assignment":                           (N, N, N, N, N, N, N, N, N, N, Y, N, N, N),
    "assignment left over after the supervisor role was removed": (N, N, N, N, N, N, N, N, N, N, N, N, N, N),
    "lead covering the subject":                                  (N, N, N, N, N, Y, N, N, N, N, N, Y, N, N),
    "lead not covering the subject":                              (N, N, N, N, N, N, N, N, N, N, N, Y, N, N),
    "admin reading a peer":                                       (N, N, N, N, N, N, N, N, N, N, N, N, Y, Y),
    "admin with no subject":                                      (N, N, N, N, N, N, N, N, N, N, N, N, Y, Y),
    "lead with no subject":                                       (N, N, N, N, N, N, N, N, N, N, N, Y, N, N),
    "peer with no subject":                                       (N, N, N, N, N, N, N, N, N, N, N, N, N, N),
    "inactive peer reading self":                                 (N, N, N, N, N, N, N, N, N, N, N, N, N, N),
    "inactive admin":                                             (N, N, N, N, N, N, N, N, N, N, N, N, N, N),
    "inactive full supervisor":                                   (N, N, N, N, N, N, N, N, N, N, N, N, N, N),
    "peer reading another peer":                                  (N, N, N, N, N, N, N, N, N, N, N, N, N, N),
    "supervisor and peer reading a peer they do not supervise":   (N, N, N, N, N, N, N, N, N, N, Y, N, N, N),
    "supervisor and peer reading self":                           (Y, Y, Y, Y, Y, Y, Y, Y, Y, N, Y, N, N, N),
    "supervisor without the peer role reading self":              (Y, Y, Y, Y, Y, Y, Y, Y, N, N, Y, N, N, N),
    "lead and supervisor supervising the subject at bands":       (Y, Y, N, N, Y, Y, Y, Y, N, Y, Y, Y, N, N),
    "every role, no assignment, covering lead":                   (N, N, N, N, N, Y, N, N, N, N, Y, Y, Y, Y),
}

MATRIX = [
    pytest.param(name, action, expected, id=f"{name} | {action.name}")
    for name, row in EXPECTED.items()
    for action, expected in zip(COLUMNS, row, strict=True)
]


def test_expected_table_covers_every_action_and_relationship():
    assert set(COLUMNS) == set(Action)
    assert set(EXPECTED) == set(RELATIONSHIPS)


@pytest.mark.parametrize(("name", "action", "expected"), MATRIX)
def test_decide_matrix(name: str, action: Action, expected: bool):
    decision = decide(RELATIONSHIPS[name], action)
    assert decision.allowed is expected, decision.reason
    assert decision.reason


def _denied(session: Session, actor, action: Action, subject_id: int | None = None) -> bool:
    try:
        authorize(session, actor=actor, action=action, subject_id=subject_id)
    except PermissionDenied as error:
        assert str(error).startswith("Not allowed: ")
        return True
    return False


WELLNESS_READS = (A.VIEW_COMPLETION, A.VIEW_BANDS, A.VIEW_SCORES, A.VIEW_ITEM_ANSWERS, A.VIEW_SHARED_TEXT)


def test_supervisor_cannot_read_a_peer_they_do_not_supervise(session, world):
    for action in (*WELLNESS_READS, A.VIEW_WORKLOAD, A.RECORD_SUPERVISION):
        assert _denied(session, world.supervisor, action, world.other_peer.id), action
    assert not _denied(session, world.other_supervisor, A.VIEW_BANDS, world.other_peer.id)


def test_supervisor_reads_supervisees_at_their_sharing_level(session, world):
    assert not _denied(session, world.supervisor, A.VIEW_SCORES, world.peer_scores.id)
    assert not _denied(session, world.supervisor, A.VIEW_BANDS, world.peer.id)
    assert _denied(session, world.supervisor, A.VIEW_SCORES, world.peer.id)
    assert not _denied(session, world.supervisor, A.VIEW_COMPLETION, world.peer_completion.id)
    assert _denied(session, world.supervisor, A.VIEW_BANDS, world.peer_completion.id)


def test_administrative_only_supervisor_sees_completion_and_workload_only(session, world):
    subject = world.peer_scores.id
    assert _denied(session, world.admin_supervisor, A.VIEW_BANDS, subject)
    assert _denied(session, world.admin_supervisor, A.VIEW_SHARED_TEXT, subject)
    assert _denied(session, world.admin_supervisor, A.VIEW_SCORES, subject)
    assert not _denied(session, world.admin_supervisor, A.VIEW_COMPLETION, subject)
    assert not _denied(session, world.admin_supervisor, A.VIEW_WORKLOAD, subject)


def test_ended_assignment_is_denied_from_the_day_after_it_ended(session, world):
    subject = world.peer_scores.id
    with clock_on(world.today - timedelta(days=1)):
        assert not _denied(session, world.ended_supervisor, A.VIEW_SCORES, subject)
    for action in (*WELLNESS_READS, A.VIEW_WORKLOAD, A.RECORD_SUPERVISION):
        assert _denied(session, world.ended_supervisor, action, subject), action


def test_assignment_not_started_yet_gives_no_access(session, world):
    with clock_on(world.today - timedelta(days=365)):
        assert _denied(session, world.supervisor, A.VIEW_COMPLETION, world.peer.id)


def test_lead_gets_no_individual_wellness_data(session, world):
    for subject in (world.peer, world.peer_scores, world.peer_completion, world.other_peer):
        for action in (A.VIEW_SCORES, A.VIEW_BANDS, A.VIEW_COMPLETION, A.VIEW_SHARED_TEXT, A.VIEW_ITEM_ANSWERS):
            assert _denied(session, world.lead, action, subject.id), (subject.username, action)
        assert not _denied(session, world.lead, A.VIEW_WORKLOAD, subject.id)
    assert not _denied(session, world.lead, A.VIEW_TEAM_AGGREGATES)


def test_team_lead_sees_workload_of_current_team_members_only(session, world):
    team_lead = add_user(session, username="team_lead", roles="lead", program=world.program, team=world.other_team)
    session.commit()
    assert not _denied(session, team_lead, A.VIEW_WORKLOAD, world.other_peer.id)
    assert _denied(session, team_lead, A.VIEW_WORKLOAD, world.peer.id)

    membership = session.exec(select(TeamMembership).where(TeamMembership.user_id == world.other_peer.id)).one()
    membership.ended_on = world.today - timedelta(days=1)
    session.add(membership)
    session.add(TeamMembership(user_id=world.other_peer.id, team_id=world.team.id, started_on=world.today))
    session.commit()
    assert _denied(session, team_lead, A.VIEW_WORKLOAD, world.other_peer.id)


def test_admin_has_no_path_to_wellness_data(session, world):
    for subject in (world.peer, world.peer_scores, world.peer_completion, world.other_peer):
        for action in (*WELLNESS_READS, A.VIEW_WORKLOAD, A.WRITE_OWN_WELLNESS, A.RECORD_SUPERVISION):
            assert _denied(session, world.admin, action, subject.id), (subject.username, action)
    assert _denied(session, world.admin, A.VIEW_TEAM_AGGREGATES)
    assert not _denied(session, world.admin, A.MANAGE_ACCOUNTS)
    assert not _denied(session, world.admin, A.VIEW_AUDIT_LOG)


def test_peer_cannot_read_or_write_another_peers_data(session, world):
    for action in (*WELLNESS_READS, A.VIEW_WORKLOAD, A.WRITE_OWN_WELLNESS):
        assert _denied(session, world.peer, action, world.other_peer.id), action
        assert _denied(session, world.peer, action, world.peer_scores.id), action
    assert not _denied(session, world.peer, A.VIEW_ITEM_ANSWERS, world.peer.id)


def test_nobody_but_the_peer_gets_item_answers(session, world):
    everyone = [world.peer, world.peer_scores, world.peer_completion, world.other_peer, world.supervisor,
                world.admin_supervisor, world.other_supervisor, world.ended_supervisor, world.lead, world.admin]
    peers = [world.peer, world.peer_scores, world.peer_completion, world.other_peer]
    for subject in peers:
        permitted = [actor.username for actor in everyone
                     if allowed(session, actor=actor, action=A.VIEW_ITEM_ANSWERS, subject_id=subject.id)]
        assert permitted == [subject.username]


def test_sharing_change_takes_effect_on_the_next_call(session, world):
    assert _denied(session, world.supervisor, A.VIEW_SCORES, world.peer.id)

    preference = session.get(SharingPreference, world.peer.id)
    preference.level = "scores"
    preference.updated_at = utcnow()
    session.add(preference)
    session.commit()
    assert not _denied(session, world.supervisor, A.VIEW_SCORES, world.peer.id)

    preference.level = "completion"
    session.add(preference)
    session.commit()
    assert _denied(session, world.supervisor, A.VIEW_BANDS, world.peer.id)
    assert not _denied(session, world.supervisor, A.VIEW_COMPLETION, world.peer.id)


def test_sharing_change_from_another_session_takes_effect_on_the_next_call(engine, session, world):
    with session_scope(engine) as supervisor_session:
        assert _denied(supervisor_session, world.supervisor, A.VIEW_SCORES, world.peer.id)
    with session_scope(engine) as peer_session:
        peer_session.get(SharingPreference, world.peer.id).level = "scores"
        peer_session.commit()
    with session_scope(engine) as supervisor_session:
        assert not _denied(supervisor_session, world.supervisor, A.VIEW_SCORES, world.peer.id)


def test_peer_without_a_preference_shares_bands(session, world):
    assert session.get(SharingPreference, world.other_peer.id) is None
    assert not _denied(session, world.other_supervisor, A.VIEW_BANDS, world.other_peer.id)
    assert _denied(session, world.other_supervisor, A.VIEW_SCORES, world.other_peer.id)


def test_deactivated_account_is_denied_on_the_next_call(session, world):
    assert not _denied(session, world.supervisor, A.VIEW_BANDS, world.peer.id)
    world.supervisor.active = False
    session.add(world.supervisor)
    session.commit()
    assert _denied(session, world.supervisor, A.VIEW_COMPLETION, world.peer.id)


def test_unknown_subject_is_denied(session, world):
    assert _denied(session, world.supervisor, A.VIEW_COMPLETION, 999_999)


def test_a_date_passed_to_a_service_never_grants_access(session, world):
    """A supervisor whose assignment starts tomorrow gets nothing today, whatever day they ask a service about."""
    add_wellness_history(session, world.other_peer, today=world.today)
    tomorrow = world.today + timedelta(days=1)
    session.add(SupervisionAssignment(supervisor_id=world.supervisor.id, supervisee_id=world.other_peer.id,
                                      functions="administrative,educational,supportive", started_on=tomorrow))
    session.commit()
    peer_id = world.other_peer.id
    for on in (tomorrow, tomorrow + timedelta(days=30), world.today):
        with pytest.raises(PermissionDenied):
            shared_view.view_for_supervisor(session, actor=world.supervisor, peer_id=peer_id, on=on)
        with pytest.raises(PermissionDenied):
            supervisor_week.supervisee_detail(session, actor=world.supervisor, peer_id=peer_id, on=on)
        with pytest.raises(PermissionDenied):
            sessions.supervisee_history(session, actor=world.supervisor, peer_id=peer_id, since=world.today, on=on)
        assert peer_id not in {card.view.peer_id for card in supervisor_week.prep_sheet(session, actor=world.supervisor,
                                                                                    on=on)}
        assert peer_id not in {row.peer_id for row in supervisor_week.my_supervisees(session, actor=world.supervisor,
                                                                                on=on)}
        assert peer_id not in {choice.peer_id for choice in supervisor_week.supervisee_choices(session,
                                                                                         actor=world.supervisor)}
        assert supervisor_week.supervision_load(session, actor=world.supervisor, on=on).supervisees == 3
        assert all(item.owner_id != peer_id
                   for item in action_items.items_from_my_sessions(session, actor=world.supervisor, on=on,
                                                                   status="all"))
    viewed = session.exec(select(AuditEvent).where(AuditEvent.actor_id == world.supervisor.id,
                                                   AuditEvent.subject_id == peer_id)).all()
    assert viewed == []
    with clock_on(tomorrow):
        assert shared_view.view_for_supervisor(session, actor=world.supervisor, peer_id=peer_id, on=tomorrow).level == "bands"


POLICY_FACTS = re.compile(r"\bSharingPreference\b|\bfunction_set\b|\bassignment\.(?:c\.)?functions\b"
                          r"|SupervisionAssignment\.functions\b")
ALLOWED_MENTIONS = {
    "console/admin/accounts.py": {"assignment.functions"},
    "console/demo.py": {"SharingPreference"},
}
"""Admins create, end and list assignments (nothing in accounts decides what anyone sees), and the demo seeds its
sharing choices; no other module names these facts."""


def test_only_the_policy_reads_sharing_levels_and_assignment_functions():
    root = Path(__file__).resolve().parents[3]
    readers = [
        f"{relative}:{number}: {line.strip()}"
        for folder in ("console", "app_pages", "db", "scoring")
        for path in sorted((root / folder).rglob("*.py"))
        if (relative := str(path.relative_to(root))) not in {"console/policy/access.py", "db/models.py"}
        and "migrations" not in relative
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if set(POLICY_FACTS.findall(line)) - ALLOWED_MENTIONS.get(relative, set())
    ]
    assert readers == [], "ask console.policy.access instead:\n" + "\n".join(readers)


def test_a_lead_cannot_open_a_running_period_by_passing_a_later_date(session, world):
    for peer in (world.peer, world.peer_scores, world.peer_completion):
        add_wellness_history(session, peer, today=world.today)
    later = world.today + timedelta(days=60)
    for service in (wellness_figures.program_overview, wellness_figures.scale_trends, workload_figures.workload,
                    coverage_figures.supervision_coverage):
        assert service(session, actor=world.lead, on=later) == service(session, actor=world.lead, on=world.today)
