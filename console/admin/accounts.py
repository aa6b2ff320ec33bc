"""Accounts, teams and assignments: the admin's area, with no path to wellness data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, or_, select

from console.core import audit, clock, input_limits, invitations, sign_in_sessions
from console.core.auth import find_user
from console.core.errors import NotFound, PermissionDenied, ValidationError
from console.core.i18n import LANGUAGES, _
from console.core.passwords import NO_PASSWORD_YET
from console.notify import notifications
from console.notify.kinds import NEW_VIEWER
from console.policy.access import Action, authorize
from console.supervision.shared_view import NO_TEAM_LABEL
from db.models import (
    ROLES,
    SUPERVISION_FUNCTIONS,
    Invitation,
    Program,
    SupervisionAssignment,
    Team,
    TeamMembership,
    User,
)
from scoring.release import POOL_GROUP, PROGRAM_GROUP

RESERVED_TEAM_NAMES = (PROGRAM_GROUP, POOL_GROUP, NO_TEAM_LABEL)
"""Labels the console itself shows where a team name goes: a team called so would be mistaken for them."""
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    roles: str
    teams: str
    active: bool
    locked: bool
    invitation_pending: bool
    role_set: frozenset[str]
    """The role codes, for choosing people by role (`roles` is their label)."""


@dataclass(frozen=True)
class CreatedAccount:
    user: User
    invitation: invitations.IssuedInvitation


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    setting: str
    members: int


def _in_order(functions: frozenset[str]) -> list[str]:
    return [function for function in SUPERVISION_FUNCTIONS if function in functions]


def _check_admin(session: Session, actor: User | None) -> None:
    """`actor` None is the operator at the command line, who already holds the database."""
    if actor is not None:
        authorize(session, actor=actor, action=Action.MANAGE_ACCOUNTS)


def create_user(
    session: Session,
    *,
    actor: User | None,
    username: str,
    display_name: str,
    roles: list[str],
    on: date,
    email: str | None = None,
    team_id: int | None = None,
    program_id: int | None = None,
    send_email: bool = False,
) -> CreatedAccount:
    """A new account without a password, and the one-time invitation with which its person chooses one.

    With `send_email` (the caller knows email is configured) the invitation is also emailed to the person's
    address, in the same transaction.
    """
    _check_admin(session, actor)
    input_limits.require_texts({"username": (username, input_limits.USERNAME),
                                "display_name": (display_name, input_limits.DISPLAY_NAME),
                                "email": (email or "", input_limits.EMAIL)}, refused=_("The account was not created:"))
    username = username.strip().lower()
    problems: dict[str, str] = {}
    if not USERNAME_PATTERN.match(username):
        problems["username"] = (
            _("Use 2–64 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit.")
        )
    elif find_user(session, username=username) is not None:
        problems["username"] = _("The username {username} is taken; choose another.", username=repr(username))
    if not display_name.strip():
        problems["display_name"] = _("Enter the name people will see.")
    unknown_roles = sorted(set(roles) - set(ROLES))
    if not roles:
        problems["roles"] = _("Choose at least one role from {roles}.", roles=", ".join(ROLES))
    elif unknown_roles:
        problems["roles"] = _("Unknown role {unknown}; roles are {roles}.", unknown=", ".join(unknown_roles),
                              roles=", ".join(ROLES))
    if email is not None and email.strip() and "@" not in email:
        problems["email"] = _("Enter an email address such as name@example.org, or leave it empty.")
    if team_id is not None and session.get(Team, team_id) is None:
        problems["team_id"] = _("There is no team {team}.", team=team_id)
    if problems:
        raise ValidationError(" ".join([_("The account was not created:"), *problems.values()]), problems=problems)

    if program_id is None:
        team = session.get(Team, team_id) if team_id is not None else None
        program_id = team.program_id if team else (actor.program_id if actor else _only_program_id(session))
    user = User(
        program_id=program_id,
        username=username,
        display_name=display_name.strip(),
        email=email.strip().lower() if email and email.strip() else None,
        roles=frozenset(role for role in ROLES if role in roles),
        password_hash=NO_PASSWORD_YET,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as error:
        session.rollback()
        raise ValidationError(_("The username or email is already in use."),
                              problems={"username": _("Choose another.")}) from error
    if team_id is not None:
        session.add(TeamMembership(user_id=user.id, team_id=team_id, started_on=on))
    audit.record(session, actor=actor, action="account_created", subject_id=user.id, resource_type="account",
                 resource_id=user.id, detail=f"roles {','.join(role for role in ROLES if role in user.roles)}")
    invitation = invitations.issue(session, actor=actor, user=user, purpose=invitations.NEW_ACCOUNT, now=clock.now())
    if send_email:
        invitation = invitations.send_by_email(session, user=user, invitation=invitation)
    session.commit()
    return CreatedAccount(user=user, invitation=invitation)


def _only_program_id(session: Session) -> int | None:
    programs = session.exec(select(Program.id)).all()
    return programs[0] if len(programs) == 1 else None


def create_team(session: Session, *, actor: User | None, program_id: int, name: str, setting: str, on: date) -> Team:
    _check_admin(session, actor)
    input_limits.require_texts({"name": (name, input_limits.TEAM_NAME), "setting": (setting, input_limits.TEAM_SETTING)},
                               refused=_("The team was not created:"))
    name, setting = input_limits.normalized(name), input_limits.normalized(setting)
    if not name:
        raise ValidationError(_("Enter a team name."), problems={"name": _("Enter a team name.")})
    reserved = next((label for label in RESERVED_TEAM_NAMES
                     if input_limits.comparable(label) == input_limits.comparable(name)), None)
    if reserved is not None:
        message = _("“{name}” is a label the console shows for a total or a missing team; choose another name.",
                    name=reserved)
        raise ValidationError(message, problems={"name": message})
    existing = session.exec(select(Team.name).where(Team.program_id == program_id)).all()
    same = next((other for other in existing if input_limits.comparable(other) == input_limits.comparable(name)), None)
    if same is not None:
        raise ValidationError(_("A team named {name} already exists.", name=repr(same)),
                              problems={"name": _("A team named {name} already exists; choose another name.",
                                                  name=repr(same))})
    team = Team(program_id=program_id, name=name, setting=setting)
    session.add(team)
    session.flush()
    audit.record(session, actor=actor, action="team_created", resource_type="team", resource_id=team.id)
    session.commit()
    return team


def assign_supervision(
    session: Session, *, actor: User | None, supervisor_id: int, supervisee_id: int, functions: list[str], on: date
) -> SupervisionAssignment:
    _check_admin(session, actor)
    supervisor, supervisee = session.get(User, supervisor_id), session.get(User, supervisee_id)
    problems = {}
    if supervisor is None or not supervisor.has_role("supervisor"):
        problems["supervisor_id"] = _("Choose an account with the supervisor role.")
    if supervisee is None or not supervisee.has_role("peer"):
        problems["supervisee_id"] = _("Choose an account with the peer role.")
    if supervisor_id == supervisee_id:
        problems["supervisee_id"] = _("A person cannot supervise themselves.")
    if not functions or set(functions) - set(SUPERVISION_FUNCTIONS):
        problems["functions"] = _("Choose one or more of {functions}.", functions=", ".join(SUPERVISION_FUNCTIONS))
    if problems:
        raise ValidationError(" ".join([_("The assignment was not saved:"), *problems.values()]), problems=problems)
    assert supervisor is not None and supervisee is not None
    assignment = SupervisionAssignment(
        supervisor_id=supervisor_id,
        supervisee_id=supervisee_id,
        functions=frozenset(function for function in SUPERVISION_FUNCTIONS if function in functions),
        started_on=on,
    )
    session.add(assignment)
    session.flush()
    audit.record(session, actor=actor, action="assignment_created", subject_id=supervisee_id,
                 resource_type="supervision_assignment", resource_id=assignment.id,
                 detail=",".join(_in_order(assignment.functions)))
    notifications.enqueue(session, recipient=supervisee, kind=NEW_VIEWER, key=str(assignment.id),
                          params={"supervisor": supervisor.display_name,
                                  "functions": ", ".join(_in_order(assignment.functions))})
    session.commit()
    return assignment


def end_assignment(session: Session, *, actor: User | None, assignment_id: int, on: date) -> SupervisionAssignment:
    """End an assignment; the supervisor loses access from the next day (today is its last day)."""
    _check_admin(session, actor)
    assignment = session.get(SupervisionAssignment, assignment_id)
    if assignment is None:
        raise ValidationError(_("There is no supervision assignment {assignment}.", assignment=assignment_id))
    assignment.ended_on = on
    session.add(assignment)
    audit.record(session, actor=actor, action="assignment_ended", subject_id=assignment.supervisee_id,
                 resource_type="supervision_assignment", resource_id=assignment.id)
    session.commit()
    return assignment


def list_users(session: Session, *, actor: User, on: date) -> list[UserRow]:
    authorize(session, actor=actor, action=Action.MANAGE_ACCOUNTS)
    team_names = dict(session.exec(select(Team.id, Team.name)).all())
    memberships: dict[int, list[str]] = {}
    for membership in session.exec(
        select(TeamMembership).where(or_(col(TeamMembership.ended_on).is_(None), col(TeamMembership.ended_on) >= on))
    ):
        memberships.setdefault(membership.user_id, []).append(team_names.get(membership.team_id, "?"))
    users = session.exec(select(User).order_by(User.display_name)).all()
    now = clock.now()
    now_locked = {user.id for user in users if user.locked_until is not None and user.locked_until > now}
    invited = set(session.exec(
        select(Invitation.user_id).where(col(Invitation.used_at).is_(None), col(Invitation.expires_at) > now)
    ).all())
    return [
        UserRow(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            roles=", ".join(role for role in ROLES if role in user.roles),
            teams=", ".join(sorted(memberships.get(user.id, []))),
            active=user.active,
            locked=user.id in now_locked,
            invitation_pending=user.id in invited,
            role_set=user.role_set,
        )
        for user in users
    ]


def list_teams(session: Session, *, actor: User, on: date) -> list[TeamRow]:
    authorize(session, actor=actor, action=Action.MANAGE_ACCOUNTS)
    counts = dict(
        session.exec(
            select(TeamMembership.team_id, func.count(func.distinct(TeamMembership.user_id)))
            .where(or_(col(TeamMembership.ended_on).is_(None), col(TeamMembership.ended_on) >= on))
            .group_by(col(TeamMembership.team_id))
        ).all()
    )
    return [
        TeamRow(id=team.id, name=team.name, setting=team.setting, members=counts.get(team.id, 0))
        for team in session.exec(select(Team).order_by(Team.name))
    ]


@dataclass(frozen=True)
class AssignmentRow:
    id: int
    supervisor: str
    supervisee: str
    functions: str
    started_on: date
    ended_on: date | None


def list_assignments(session: Session, *, actor: User, on: date, include_ended: bool = False) -> list[AssignmentRow]:
    authorize(session, actor=actor, action=Action.MANAGE_ACCOUNTS)
    query = select(SupervisionAssignment).order_by(col(SupervisionAssignment.started_on))
    if not include_ended:
        query = query.where(or_(col(SupervisionAssignment.ended_on).is_(None), col(SupervisionAssignment.ended_on) >= on))
    assignments = session.exec(query).all()
    names = dict(session.exec(select(User.id, User.display_name)).all())
    return [
        AssignmentRow(
            id=assignment.id,
            supervisor=names.get(assignment.supervisor_id, "?"),
            supervisee=names.get(assignment.supervisee_id, "?"),
            functions=", ".join(_in_order(assignment.functions)),
            started_on=assignment.started_on,
            ended_on=assignment.ended_on,
        )
        for assignment in assignments
    ]


def set_account_active(session: Session, *, actor: User, user_id: int, active: bool, on: date) -> User:
    """Deactivate or reactivate an account; deactivating ends all of the person's sign-ins at their next click."""
    authorize(session, actor=actor, action=Action.MANAGE_ACCOUNTS)
    user = session.get(User, user_id)
    if user is None:
        raise ValidationError(_("There is no account {account}.", account=user_id))
    if user.id == actor.id and not active:
        raise ValidationError(_("You cannot deactivate your own account; ask another admin."))
    user.active = active
    session.add(user)
    if not active:
        sign_in_sessions.end_all(session, user_id=user.id)
    audit.record(session, actor=actor, action="account_activated" if active else "account_deactivated",
                 subject_id=user.id, resource_type="account", resource_id=user.id)
    session.commit()
    return user


def issue_invitation(session: Session, *, actor: User | None, user_id: int, on: date,
                     send_email: bool = False) -> invitations.IssuedInvitation:
    """A new one-time invitation for the person to choose their own password; earlier unused ones stop working.

    For an account whose person has chosen a password this is a password reset: the current password keeps
    working until a new one is chosen from the invitation, and the person's privacy page and home page then
    show the reset and the next sign-in. With `send_email` the link is also emailed to the person, as in
    `create_user`.
    """
    _check_admin(session, actor)
    user = session.get(User, user_id)
    if user is None:
        raise ValidationError(_("There is no account {account}.", account=user_id))
    if not user.active:
        raise ValidationError(_("This account is deactivated; reactivate it before sending an invitation."))
    purpose = invitations.NEW_ACCOUNT if user.password_hash == NO_PASSWORD_YET else invitations.PASSWORD_RESET
    invitation = invitations.issue(session, actor=actor, user=user, purpose=purpose, now=clock.now())
    if send_email:
        invitation = invitations.send_by_email(session, user=user, invitation=invitation)
    session.commit()
    return invitation


def add_to_team(session: Session, *, actor: User, user_id: int, team_id: int, on: date) -> TeamMembership:
    authorize(session, actor=actor, action=Action.MANAGE_ACCOUNTS)
    if session.get(User, user_id) is None or session.get(Team, team_id) is None:
        raise ValidationError(_("Choose an existing person and team."))
    current = session.exec(
        select(TeamMembership).where(
            TeamMembership.user_id == user_id, TeamMembership.team_id == team_id,
            or_(col(TeamMembership.ended_on).is_(None), col(TeamMembership.ended_on) >= on),
        )
    ).first()
    if current is not None:
        raise ValidationError(_("That person is already on that team."))
    membership = TeamMembership(user_id=user_id, team_id=team_id, started_on=on)
    session.add(membership)
    session.flush()
    audit.record(session, actor=actor, action="team_membership_added", subject_id=user_id, resource_type="team",
                 resource_id=team_id)
    session.commit()
    return membership


def audit_log(session: Session, *, actor: User, on: date, limit: int = 500) -> list[audit.AuditEntry]:
    """The newest audit events: actions and actors, never wellness facts (see audit.WELLNESS_FACT_ACTIONS)."""
    authorize(session, actor=actor, action=Action.VIEW_AUDIT_LOG)
    return audit.entries(session, limit=limit, for_admin=True)


def choose_my_language(session: Session, *, actor: User, language: str | None) -> User:
    """The language `actor` reads the console and its emails in; None follows the program's default."""
    if language is not None and language not in LANGUAGES:
        raise ValidationError(_("Choose one of the languages offered."), problems={"language": _(
            "Choose one of the languages offered.")})
    person = session.get(User, actor.id)
    if person is None:
        raise NotFound(_("Your account is no longer there."))
    if not person.active:
        raise PermissionDenied(_("Not allowed: this account is inactive."))
    person.language = language
    session.add(person)
    session.commit()
    return person
