"""The access policy: the one place that decides who may do what to whose data.

`decide` is a pure function of the facts in a `Relationship`, so the whole
role × resource × action matrix can be tested without a database; `authorize`
gathers those facts and raises `PermissionDenied`. Services call `authorize`
before they read or write anything.

This module is also the only reader of the facts the policy rests on: sharing
levels, the functions of supervision assignments and a lead's teams. Every
decision is taken for today by `console.core.clock`; a service may show data as of
another day, but never with access granted for another day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Session, col, or_, select

from console.core import clock
from console.core.errors import PermissionDenied
from console.core.i18n import N_, _, render
from db.models import SHARING_LEVELS, SharingPreference, SupervisionAssignment, Team, TeamMembership, User
from scoring.phrases import Phrase


class Action(StrEnum):
    VIEW_COMPLETION = "view completion (check-ins and assessments on cadence)"
    VIEW_BANDS = "view bands, flags, pulse averages and exposure counts"
    VIEW_SCORES = "view raw scores and trends"
    VIEW_ITEM_ANSWERS = "view item-level answers"
    VIEW_SHARED_TEXT = "view notes and plans the peer chose to share"
    VIEW_WORKLOAD = "view caseload and hours"
    VIEW_SESSION_NOTES = "read notes of supervision sessions"
    VIEW_REACH_OUTS = "see and acknowledge the peer's requests to be reached out to"
    WRITE_OWN_WELLNESS = "record check-ins, assessments, plans and sharing choices"
    RECORD_SUPERVISION = "record supervision with this peer"
    LIST_SUPERVISEES = "work with one's own supervisees (their list, sessions and action items)"
    VIEW_TEAM_AGGREGATES = "view team aggregates"
    MANAGE_ACCOUNTS = "manage accounts, teams and settings"
    VIEW_AUDIT_LOG = "read the audit log"
    RECORD_FIELD_VISIT = "start, extend and close one's own field visit check-ins and document safety incidents"
    VIEW_FIELD_SAFETY = "see and acknowledge a supervisee's field visit check-ins and safety incidents"
    VIEW_SHARED_ETHICS = "read the ethics self-check items the peer chose to bring to supervision"
    RECORD_TRAINING = "record and read a person's trainings and certifications"
    PLAN_TEAM_ACTIONS = "record and follow up team-level action plans"
    VIEW_EQUITY_LENS = "view program-wide burden figures by self-described group"
    VIEW_CALLOUTS = "see the call-out log (when, kinds, settings, with whom, what the peer did)"
    VIEW_CALLOUT_RATINGS = "see how each call-out went for the peer (their own rating)"
    OFFER_DEBRIEF = "be asked to offer a debrief after the peer's hard calls, and record it"
    KEEP_OWN_DRAFTS = "keep and read one's own half-written forms (drafts)"


WELLNESS_FUNCTIONS = frozenset({"educational", "supportive"})
LEVEL_RANK = {"completion": 0, "bands": 1, "scores": 2}
DEFAULT_SHARING_LEVEL = "bands"
SUBJECTLESS_ROLES = {
    Action.LIST_SUPERVISEES: "supervisor",
    Action.VIEW_TEAM_AGGREGATES: "lead",
    Action.MANAGE_ACCOUNTS: "admin",
    Action.VIEW_AUDIT_LOG: "admin",
    Action.PLAN_TEAM_ACTIONS: "lead",
}


@dataclass(frozen=True)
class Relationship:
    """What the policy needs to know about an actor and, for personal data, its subject."""

    actor_id: int
    actor_roles: frozenset[str]
    actor_active: bool = True
    subject_id: int | None = None
    subject_is_peer: bool = False
    assignment_functions: frozenset[str] = frozenset()
    sharing_level: str = DEFAULT_SHARING_LEVEL
    lead_covers_subject: bool = False
    lead_covers_program: bool = False

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
    reason: Phrase
    """Why, in English (`str`), translated where a refusal is shown."""


def _allow(reason: str) -> Decision:
    return Decision(True, Phrase.of(reason))


def _deny(reason: str, /, **values: str) -> Decision:
    return Decision(False, Phrase.of(reason, **values))


def decide(relationship: Relationship, action: Action) -> Decision:
    r = relationship
    if not r.actor_active:
        return _deny(N_("this account is inactive"))

    if action is Action.VIEW_EQUITY_LENS:
        if "lead" not in r.actor_roles:
            return _deny(N_("only the {role} role may {action}"), role="lead", action=action.value)
        if not r.lead_covers_program:
            return _deny(N_("the equity lens is program-wide, so only a lead who covers the whole program sees it"))
        return _allow("a lead of the whole program sees released group figures")

    if action in SUBJECTLESS_ROLES:
        role = SUBJECTLESS_ROLES[action]
        return _allow(f"{role} role") if role in r.actor_roles else _deny(N_("only the {role} role may {action}"),
                                                                              role=role, action=action.value)

    if r.subject_id is None:
        return _deny(N_("{action} needs a person"), action=action.value)

    if r.is_self:
        if action is Action.RECORD_SUPERVISION:
            return _deny(N_("nobody records supervision with themselves"))
        if action is Action.OFFER_DEBRIEF:
            return _deny(N_("a debrief is offered by a supervisor, not to oneself"))
        if action is Action.WRITE_OWN_WELLNESS and "peer" not in r.actor_roles:
            return _deny(N_("only peers record check-ins and assessments"))
        if action is Action.RECORD_FIELD_VISIT and "peer" not in r.actor_roles:
            return _deny(N_("field visit check-ins are for peers"))
        if action is Action.RECORD_TRAINING and not r.actor_roles & {"peer", "supervisor"}:
            return _deny(N_("trainings are recorded for peers and supervisors"))
        return _allow("a person sees all of their own data")

    if action is Action.WRITE_OWN_WELLNESS:
        return _deny(N_("only the peer records their own check-ins, assessments, plan and sharing choices"))
    if action is Action.KEEP_OWN_DRAFTS:
        return _deny(N_("a draft is readable by the person writing it and nobody else"))
    if action is Action.VIEW_ITEM_ANSWERS:
        return _deny(N_("item-level answers are shown to nobody but the peer"))
    if action is Action.RECORD_FIELD_VISIT:
        return _deny(N_("only the peer starts and closes their own field visit check-ins"))

    if action is Action.VIEW_WORKLOAD:
        if r.supervises:
            return _allow("caseload and hours are operational data for any supervisor of the peer")
        if "lead" in r.actor_roles and r.lead_covers_subject:
            return _allow("caseload and hours are operational data for the program lead")
        return _deny(N_("workload is visible to the peer, their supervisors and their program lead"))

    if action is Action.RECORD_SUPERVISION:
        if r.supervises:
            return _allow("active supervision assignment")
        return _deny(N_("you have no active supervision assignment with this person"))

    if action is Action.VIEW_FIELD_SAFETY:
        if r.supervises:
            return _allow("a peer's safety in the field is the concern of every supervisor of the peer")
        return _deny(N_("field visit check-ins reach the peer's supervisors only"))
    if action is Action.RECORD_TRAINING:
        if r.supervises:
            return _allow("a supervisor keeps the training record of the people they supervise")
        return _deny(N_("a training record is kept by the person and their supervisors"))
    if action is Action.VIEW_CALLOUTS:
        if r.supervises:
            return _allow("a call-out log is submitted to every supervisor of the peer, at the completion level")
        return _deny(N_("the call-out log goes to the peer's supervisors only; leads see team figures"))

    if not r.supervises:
        return _deny(N_("wellness data is visible only through an active supervision assignment"))

    if action is Action.VIEW_COMPLETION:
        return _allow("any active supervisor sees whether check-ins are on cadence")
    if action is Action.VIEW_SESSION_NOTES:
        return _allow("a supervisor reads the notes of the sessions they led with the peer")
    if not r.supervises_wellness:
        return _deny(N_("an administrative-only supervisor sees completion and workload only"))
    if action is Action.VIEW_SHARED_TEXT:
        return _allow("notes the peer ticked to share reach their supervisor")
    if action is Action.VIEW_SHARED_ETHICS:
        return _allow("ethics items the peer chose to share reach their educational and supportive supervisors")
    if action is Action.VIEW_REACH_OUTS:
        return _allow("a request to be reached out to goes to the peer's educational and supportive supervisors")
    if action is Action.OFFER_DEBRIEF:
        if "supportive" in r.assignment_functions:
            return _allow("a debrief after a hard call is supportive supervision")
        return _deny(N_("a debrief after a hard call is offered by the peer's supportive supervisor"))
    if action is Action.VIEW_CALLOUT_RATINGS:
        if LEVEL_RANK[r.sharing_level] >= LEVEL_RANK["bands"]:
            return _allow(f"the peer shares at the {r.sharing_level} level, which includes their call-out ratings")
        return _deny(N_("the peer shares completion only: counts and kinds of call-outs, not how they went"))
    if action is Action.VIEW_BANDS:
        if LEVEL_RANK[r.sharing_level] >= LEVEL_RANK["bands"]:
            return _allow(f"the peer shares at the {r.sharing_level} level")
        return _deny(N_("the peer shares completion only"))
    if action is Action.VIEW_SCORES:
        if r.sharing_level == "scores":
            return _allow("the peer shares scores")
        return _deny(N_("the peer shares at the {level} level, not scores"), level=r.sharing_level)
    return _deny(N_("no rule allows {action}"), action=action.value)


@dataclass(frozen=True)
class Visibility:
    """Which parts of a peer's data one viewer sees, each decided by `decide` for its own action."""

    completion: bool
    workload: bool
    bands: bool
    scores: bool
    shared_text: bool
    reach_outs: bool
    callouts: bool = False
    callout_ratings: bool = False
    debriefs: bool = False

    @property
    def level(self) -> str:
        """The sharing level this viewer sees the peer at."""
        return "scores" if self.scores else "bands" if self.bands else "completion"

    @property
    def administrative_only(self) -> bool:
        """Completion and workload only: the view of a purely administrative supervisor."""
        return not self.reach_outs


def visibility(relationship: Relationship) -> Visibility:
    def sees(action: Action) -> bool:
        return decide(relationship, action).allowed

    return Visibility(
        completion=sees(Action.VIEW_COMPLETION),
        workload=sees(Action.VIEW_WORKLOAD),
        bands=sees(Action.VIEW_BANDS),
        scores=sees(Action.VIEW_SCORES),
        shared_text=sees(Action.VIEW_SHARED_TEXT),
        reach_outs=sees(Action.VIEW_REACH_OUTS),
        callouts=sees(Action.VIEW_CALLOUTS),
        callout_ratings=sees(Action.VIEW_CALLOUT_RATINGS),
        debriefs=sees(Action.OFFER_DEBRIEF),
    )


def supervisor_visibility(*, level: str, administrative_only: bool) -> Visibility:
    """What a supervisor holding these functions would see of a peer sharing at `level` (for the peer's preview)."""
    functions = frozenset({"administrative"}) if administrative_only else frozenset({"educational", "supportive"})
    return visibility(Relationship(actor_id=0, actor_roles=frozenset({"supervisor"}), subject_id=-1,
                                   subject_is_peer=True, assignment_functions=functions, sharing_level=level))


class NotesAccess(StrEnum):
    """How much of one supervision session a reader gets."""

    AUTHOR = "everything, private reflection included"
    ATTENDEE = "the narrative, without the private reflection"
    METADATA = "date, kind, duration and minutes per function"


def session_notes_access(*, reader_id: int, author_id: int, attendee_ids: frozenset[int]) -> NotesAccess:
    """Supervision notes are read by their author and by the people who attended, the private reflection by
    the author alone; any other supervisor of an attendee sees the metadata, as a program lead does."""
    if reader_id == author_id:
        return NotesAccess.AUTHOR
    if reader_id in attendee_ids:
        return NotesAccess.ATTENDEE
    return NotesAccess.METADATA


def _active_on(model: type[SupervisionAssignment] | type[TeamMembership], on: date) -> list:
    return [model.started_on <= on, or_(col(model.ended_on).is_(None), col(model.ended_on) >= on)]


def _functions(assignment: SupervisionAssignment) -> frozenset[str]:
    return frozenset(assignment.functions)


def _assignment_functions(session: Session, *, supervisor_id: int, supervisee_id: int, on: date) -> frozenset[str]:
    assignments = session.exec(
        select(SupervisionAssignment).where(
            SupervisionAssignment.supervisor_id == supervisor_id,
            SupervisionAssignment.supervisee_id == supervisee_id,
            *_active_on(SupervisionAssignment, on),
        )
    ).all()
    return frozenset().union(*(_functions(assignment) for assignment in assignments))


def _sharing_level(session: Session, *, peer_id: int) -> str:
    preference = session.get(SharingPreference, peer_id)
    return preference.level if preference else DEFAULT_SHARING_LEVEL


def my_sharing_level(session: Session, *, actor: User) -> str:
    """The level the peer chose (the default when they never chose): what their supervisors may see."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    return _sharing_level(session, peer_id=actor.id)


def change_my_sharing_level(session: Session, *, actor: User, level: str, at: datetime) -> str:
    """Record the peer's new level in the caller's transaction and return the previous one; the caller has
    checked that `level` is one of SHARING_LEVELS and commits."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    if level not in SHARING_LEVELS:
        raise ValueError(f"unknown sharing level {level!r}")
    preference = session.get(SharingPreference, actor.id)
    previous = preference.level if preference else DEFAULT_SHARING_LEVEL
    if preference is not None and previous == level:
        return previous
    preference = preference or SharingPreference(peer_id=actor.id)
    preference.level = level
    preference.updated_at = at
    session.add(preference)
    return previous


def _current_team_ids(session: Session, *, user_id: int, on: date) -> set[int]:
    return set(
        session.exec(
            select(TeamMembership.team_id).where(TeamMembership.user_id == user_id, *_active_on(TeamMembership, on))
        ).all()
    )


def _lead_team_ids(session: Session, *, lead: User, on: date) -> set[int] | None:
    """The teams a lead is assigned to, or None when the lead covers the whole program."""
    return _current_team_ids(session, user_id=lead.id, on=on) or None


def _lead_covers(session: Session, *, lead: User, subject: User, on: date) -> bool:
    if lead.program_id != subject.program_id:
        return False
    scope = _lead_team_ids(session, lead=lead, on=on)
    if scope is None:
        return True
    return bool(scope & _current_team_ids(session, user_id=subject.id, on=on))


def _relationship(session: Session, *, actor: User, subject_id: int | None, on: date) -> Relationship:
    fresh_actor = session.get(User, actor.id)
    actor_active = bool(fresh_actor and fresh_actor.active)
    roles = fresh_actor.role_set if fresh_actor else frozenset()
    if subject_id is None:
        covers_program = ("lead" in roles and fresh_actor is not None and fresh_actor.program_id is not None
                          and _lead_team_ids(session, lead=fresh_actor, on=on) is None)
        return Relationship(actor_id=actor.id, actor_roles=roles, actor_active=actor_active,
                            lead_covers_program=covers_program)
    subject = session.get(User, subject_id)
    if subject is None:
        return Relationship(actor_id=actor.id, actor_roles=roles, actor_active=actor_active, subject_id=subject_id)
    functions = (
        _assignment_functions(session, supervisor_id=actor.id, supervisee_id=subject_id, on=on)
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
        sharing_level=_sharing_level(session, peer_id=subject_id),
        lead_covers_subject=covers,
    )


def authorize(session: Session, *, actor: User, action: Action, subject_id: int | None = None) -> Relationship:
    """Return today's relationship when the policy allows the action; raise PermissionDenied otherwise."""
    facts = _relationship(session, actor=actor, subject_id=subject_id, on=clock.today())
    decision = decide(facts, action)
    if not decision.allowed:
        raise PermissionDenied(_("Not allowed: {reason}.", reason=render(decision.reason)))
    return facts


def allowed(session: Session, *, actor: User, action: Action, subject_id: int | None = None) -> bool:
    return decide(_relationship(session, actor=actor, subject_id=subject_id, on=clock.today()), action).allowed


def my_supervisees(session: Session, *, actor: User) -> dict[int, Relationship]:
    """Each person the actor supervises today, with the relationship the policy decides on."""
    authorize(session, actor=actor, action=Action.LIST_SUPERVISEES)
    supervisee_ids = sorted(set(session.exec(
        select(SupervisionAssignment.supervisee_id).where(
            SupervisionAssignment.supervisor_id == actor.id, *_active_on(SupervisionAssignment, clock.today())
        )
    ).all()))
    facts = {peer_id: _relationship(session, actor=actor, subject_id=peer_id, on=clock.today())
             for peer_id in supervisee_ids}
    return {peer_id: relationship for peer_id, relationship in facts.items() if relationship.supervises}


@dataclass(frozen=True)
class SupervisorOfMine:
    supervisor: User
    functions: frozenset[str]
    visibility: Visibility


def my_supervisors(session: Session, *, actor: User) -> list[SupervisorOfMine]:
    """The active supervisors of the actor today, with what each of them sees."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    today = clock.today()
    supervisor_ids = sorted(set(session.exec(
        select(SupervisionAssignment.supervisor_id)
        .join(User, col(User.id) == SupervisionAssignment.supervisor_id)
        .where(SupervisionAssignment.supervisee_id == actor.id, col(User.active).is_(True),
               *_active_on(SupervisionAssignment, today))
    ).all()))
    result = []
    for supervisor_id in supervisor_ids:
        supervisor = session.get_one(User, supervisor_id)
        facts = _relationship(session, actor=supervisor, subject_id=actor.id, on=today)
        if facts.supervises:
            result.append(SupervisorOfMine(supervisor, facts.assignment_functions, visibility(facts)))
    return result


def lead_teams(session: Session, *, actor: User) -> set[int] | None:
    """The teams a lead covers today (None: the whole program), after checking the lead may see aggregates."""
    authorize(session, actor=actor, action=Action.VIEW_TEAM_AGGREGATES)
    return _lead_team_ids(session, lead=actor, on=clock.today())


def authorize_team(session: Session, *, actor: User, action: Action, team_id: int) -> Team:
    """The team, when the policy allows the action and the team is one the lead covers today; PermissionDenied
    otherwise (a team of another program reads as one outside the lead's teams)."""
    authorize(session, actor=actor, action=action)
    team = session.get(Team, team_id)
    scope = _lead_team_ids(session, lead=actor, on=clock.today())
    if team is None or team.program_id != actor.program_id or (scope is not None and team_id not in scope):
        raise PermissionDenied(_("Not allowed: this team is not one of the teams you lead."))
    return team


def people_known_to(session: Session, *, actor: User) -> frozenset[int]:
    """The actor and everyone they supervise or supervised (any assignment, whatever its functions), as the
    release rule counts them (docs/release.md): a lead figure shown to the actor must rest on at least k peers
    beyond these."""
    known = {actor.id}
    known |= set(session.exec(
        select(SupervisionAssignment.supervisee_id).where(SupervisionAssignment.supervisor_id == actor.id)
    ).all())
    return frozenset(known)
