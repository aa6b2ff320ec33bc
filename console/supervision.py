"""What a supervisor sees of the people they supervise, always through the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, or_, select

from console import audit
from console.access import Action, authorize, sharing_level
from console.errors import PermissionDenied
from db.models import PulseCheckin, SupervisionAssignment, Team, TeamMembership, User


@dataclass(frozen=True)
class SuperviseeRow:
    peer_id: int
    name: str
    team: str
    functions: tuple[str, ...]
    sharing_level: str
    last_checkin: date | None


def active_supervisee_ids(session: Session, *, supervisor: User, on: date) -> dict[int, frozenset[str]]:
    """Supervisee id → functions of the supervisor's active assignments with them."""
    rows = session.exec(
        select(SupervisionAssignment).where(
            SupervisionAssignment.supervisor_id == supervisor.id,
            SupervisionAssignment.started_on <= on,
            or_(col(SupervisionAssignment.ended_on).is_(None), col(SupervisionAssignment.ended_on) >= on),
        )
    ).all()
    functions: dict[int, frozenset[str]] = {}
    for assignment in rows:
        functions[assignment.supervisee_id] = functions.get(assignment.supervisee_id, frozenset()) | assignment.function_set
    return functions


def current_team_names(session: Session, *, user_ids: list[int], on: date) -> dict[int, str]:
    rows = session.exec(
        select(TeamMembership.user_id, Team.name)
        .join(Team, Team.id == TeamMembership.team_id)
        .where(
            col(TeamMembership.user_id).in_(user_ids),
            TeamMembership.started_on <= on,
            or_(col(TeamMembership.ended_on).is_(None), col(TeamMembership.ended_on) >= on),
        )
    ).all()
    names: dict[int, list[str]] = {}
    for user_id, team_name in rows:
        names.setdefault(user_id, []).append(team_name)
    return {user_id: ", ".join(sorted(teams)) for user_id, teams in names.items()}


def my_supervisees(session: Session, *, actor: User, on: date) -> list[SuperviseeRow]:
    """Each active supervisee with the date of their last check-in (completion level, audited)."""
    if not actor.has_role("supervisor"):
        raise PermissionDenied("Not allowed: only supervisors have supervisees.")
    assignments = active_supervisee_ids(session, supervisor=actor, on=on)
    for peer_id in assignments:
        authorize(session, actor=actor, action=Action.VIEW_COMPLETION, subject_id=peer_id, on=on)
    last_checkins = dict(
        session.exec(
            select(PulseCheckin.peer_id, func.max(PulseCheckin.week_start))
            .where(col(PulseCheckin.peer_id).in_(list(assignments)))
            .group_by(PulseCheckin.peer_id)
        ).all()
    )
    people = {user.id: user for user in session.exec(select(User).where(col(User.id).in_(list(assignments))))}
    teams = current_team_names(session, user_ids=list(assignments), on=on)
    rows = []
    for peer_id, functions in assignments.items():
        audit.record(session, actor=actor, action="viewed_completion", subject_id=peer_id,
                     resource_type="supervisee_overview")
        rows.append(
            SuperviseeRow(
                peer_id=peer_id,
                name=people[peer_id].display_name,
                team=teams.get(peer_id, ""),
                functions=tuple(sorted(functions)),
                sharing_level=sharing_level(session, peer_id=peer_id),
                last_checkin=last_checkins.get(peer_id),
            )
        )
    session.commit()
    return sorted(rows, key=lambda row: row.name)
