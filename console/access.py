"""The access policy: the one place that decides who may do what to whose data.

`decide` is a pure function of the facts in a `Relationship`, so the whole
role × resource × action matrix can be tested without a database; `authorize`
gathers those facts and raises `PermissionDenied`. Services call `authorize`
before they read or write anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlmodel import Session, col, or_, select

from console.errors import PermissionDenied
from db.models import SharingPreference, SupervisionAssignment, TeamMembership, User


class Action(StrEnum):
    VIEW_COMPLETION = "view completion (check-ins and assessments on cadence)"
    VIEW_BANDS = "view bands, flags, pulse averages and exposure counts"
    VIEW_SCORES = "view raw scores and trends"
    VIEW_ITEM_ANSWERS = "view item-level answers"
    VIEW_SHARED_TEXT = "view notes and plans the peer chose to share"
    VIEW_WORKLOAD = "view caseload and hours"
    WRITE_OWN_WELLNESS = "record check-ins, assessments, plans and sharing choices"
    RECORD_SUPERVISION = "record supervision with this peer"
    VIEW_TEAM_AGGREGATES = "view team aggregates"
    MANAGE_ACCOUNTS = "manage accounts, teams and settings"
    VIEW_AUDIT_LOG = "read the audit log"


WELLNESS_FUNCTIONS = frozenset({"educational", "supportive"})
LEVEL_RANK = {"completion": 0, "bands": 1, "scores": 2}
SUBJECTLESS_ACTIONS = frozenset({Action.VIEW_TEAM_AGGREGATES, Action.MANAGE_ACCOUNTS, Action.VIEW_AUDIT_LOG})


@dataclass(frozen=True)
class Relationship:
    """What the policy needs to know about an actor and, for personal data, its subject."""

    actor_id: int
    actor_roles: frozenset[str]
    actor_active: bool = True
    subject_id: int | None = None
    subject_is_peer: bool = False
    assignment_functions: frozenset[str] = frozenset()
    sharing_level: str = "bands"
    lead_covers_subject: bool = False

    @property
    def is_self(self) -> bool:
        return self.subject_id is not None and self.subject_id == self.actor_id

    @property
    def supervises(self) -> bool:
        return "supervisor" in self.actor_roles and bool(self.assignment_functions)

    @property
    def supervises_wellness(self) -> bool:
        return "supervisor" in self.actor_roles and bool(self.assignment_functions & WELLNESS_FUNCTIONS)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str


def _allow(reason: str) -> Decision:
    return Decision(True, reason)


def _deny(reason: str) -> Decision:
    return Decision(False, reason)


def decide(relationship: Relationship, action: Action) -> Decision:
    r = relationship
    if not r.actor_active:
        return _deny("this account is inactive")

    if action in SUBJECTLESS_ACTIONS:
        needed = {Action.VIEW_TEAM_AGGREGATES: "lead", Action.MANAGE_ACCOUNTS: "admin", Action.VIEW_AUDIT_LOG: "admin"}
        role = needed[action]
        return _allow(f"{role} role") if role in r.actor_roles else _deny(f"only the {role} role may {action.value}")

    if r.subject_id is None:
        return _deny(f"{action.value} needs a person")

    if r.is_self:
        if action is Action.RECORD_SUPERVISION:
            return _deny("nobody records supervision with themselves")
        if action is Action.WRITE_OWN_WELLNESS and "peer" not in r.actor_roles:
            return _deny("only peers record check-ins and assessments")
        return _allow("a person sees all of their own data")

    if action is Action.WRITE_OWN_WELLNESS:
        return _deny("only the peer records their own check-ins, assessments, plan and sharing choices")
    if action is Action.VIEW_ITEM_ANSWERS:
        return _deny("item-level answers are shown to nobody but the peer")

    if action is Action.VIEW_WORKLOAD:
        if r.supervises:
            return _allow("caseload and hours are operational data for any supervisor of the peer")
        if "lead" in r.actor_roles and r.lead_covers_subject:
            return _allow("caseload and hours are operational data for the program lead")
        return _deny("workload is visible to the peer, their supervisors and their program lead")

    if action is Action.RECORD_SUPERVISION:
        if r.supervises:
            return _allow("active supervision assignment")
        return _deny("you have no active supervision assignment with this person")

    if not r.supervises:
        return _deny("wellness data is visible only through an active supervision assignment")

    if action is Action.VIEW_COMPLETION:
        return _allow("any active supervisor sees whether check-ins are on cadence")
    if not r.supervises_wellness:
        return _deny("an administrative-only supervisor sees completion and workload only")
    if action is Action.VIEW_SHARED_TEXT:
        return _allow("notes the peer ticked to share reach their supervisor")
    if action is Action.VIEW_BANDS:
        if LEVEL_RANK[r.sharing_level] >= LEVEL_RANK["bands"]:
            return _allow(f"the peer shares at the {r.sharing_level} level")
        return _deny("the peer shares completion only")
    if action is Action.VIEW_SCORES:
        if r.sharing_level == "scores":
            return _allow("the peer shares scores")
        return _deny(f"the peer shares at the {r.sharing_level} level, not scores")
    return _deny(f"no rule allows {action.value}")


def active_assignment_functions(session: Session, *, supervisor_id: int, supervisee_id: int, on: date) -> frozenset[str]:
    assignments = session.exec(
        select(SupervisionAssignment).where(
            SupervisionAssignment.supervisor_id == supervisor_id,
            SupervisionAssignment.supervisee_id == supervisee_id,
            SupervisionAssignment.started_on <= on,
            or_(col(SupervisionAssignment.ended_on).is_(None), col(SupervisionAssignment.ended_on) >= on),
        )
    ).all()
    return frozenset().union(*(assignment.function_set for assignment in assignments))


def sharing_level(session: Session, *, peer_id: int) -> str:
    preference = session.get(SharingPreference, peer_id)
    return preference.level if preference else "bands"


def current_team_ids(session: Session, *, user_id: int, on: date) -> set[int]:
    return set(
        session.exec(
            select(TeamMembership.team_id).where(
                TeamMembership.user_id == user_id,
                TeamMembership.started_on <= on,
                or_(col(TeamMembership.ended_on).is_(None), col(TeamMembership.ended_on) >= on),
            )
        ).all()
    )


def lead_team_ids(session: Session, *, lead: User, on: date) -> set[int] | None:
    """The teams a lead is assigned to, or None when the lead covers the whole program."""
    return current_team_ids(session, user_id=lead.id, on=on) or None


def _lead_covers(session: Session, *, lead: User, subject: User, on: date) -> bool:
    if lead.program_id != subject.program_id:
        return False
    scope = lead_team_ids(session, lead=lead, on=on)
    if scope is None:
        return True
    return bool(scope & current_team_ids(session, user_id=subject.id, on=on))


def relationship(session: Session, *, actor: User, subject_id: int | None, on: date) -> Relationship:
    fresh_actor = session.get(User, actor.id)
    actor_active = bool(fresh_actor and fresh_actor.active)
    roles = fresh_actor.role_set if fresh_actor else frozenset()
    if subject_id is None:
        return Relationship(actor_id=actor.id, actor_roles=roles, actor_active=actor_active)
    subject = session.get(User, subject_id)
    if subject is None:
        return Relationship(actor_id=actor.id, actor_roles=roles, actor_active=actor_active, subject_id=subject_id)
    functions = (
        active_assignment_functions(session, supervisor_id=actor.id, supervisee_id=subject_id, on=on)
        if "supervisor" in roles and actor.id != subject_id
        else frozenset()
    )
    covers = "lead" in roles and fresh_actor is not None and _lead_covers(session, lead=fresh_actor, subject=subject, on=on)
    return Relationship(
        actor_id=actor.id,
        actor_roles=roles,
        actor_active=actor_active,
        subject_id=subject_id,
        subject_is_peer=subject.has_role("peer"),
        assignment_functions=functions,
        sharing_level=sharing_level(session, peer_id=subject_id),
        lead_covers_subject=covers,
    )


def authorize(
    session: Session, *, actor: User, action: Action, on: date, subject_id: int | None = None
) -> Relationship:
    """Return the relationship when the policy allows the action; raise PermissionDenied otherwise."""
    facts = relationship(session, actor=actor, subject_id=subject_id, on=on)
    decision = decide(facts, action)
    if not decision.allowed:
        raise PermissionDenied(f"Not allowed: {decision.reason}.")
    return facts


def allowed(session: Session, *, actor: User, action: Action, on: date, subject_id: int | None = None) -> bool:
    return decide(relationship(session, actor=actor, subject_id=subject_id, on=on), action).allowed
