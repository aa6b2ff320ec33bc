"""Team-level figures for program leads: aggregates only, small cells suppressed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, distinct
from sqlmodel import Session, col, func, or_, select

from console.access import Action, authorize, lead_team_ids
from console.dates import weeks_back
from console.program_settings import read_settings
from db.models import PulseCheckin, Team, TeamMembership, User


@dataclass(frozen=True)
class TeamParticipation:
    team: str
    peers: int | None
    checked_in: int | None
    share: float | None
    suppressed_reason: str | None


def team_participation(session: Session, *, actor: User, on: date, weeks: int = 4) -> list[TeamParticipation]:
    """Share of each team's peers with at least one check-in in the last `weeks` ISO weeks."""
    authorize(session, actor=actor, action=Action.VIEW_TEAM_AGGREGATES, on=on)
    k = read_settings(session).anonymity_k
    scope = lead_team_ids(session, lead=actor, on=on)
    since = weeks_back(on, weeks)
    current = and_(
        TeamMembership.started_on <= on,
        or_(col(TeamMembership.ended_on).is_(None), col(TeamMembership.ended_on) >= on),
    )
    query = (
        select(
            Team.name,
            func.count(distinct(TeamMembership.user_id)),
            func.count(distinct(PulseCheckin.peer_id)),
        )
        .join(TeamMembership, and_(TeamMembership.team_id == Team.id, current))
        .join(User, and_(User.id == TeamMembership.user_id, col(User.roles).contains("peer"), User.active))
        .outerjoin(PulseCheckin, and_(PulseCheckin.peer_id == User.id, PulseCheckin.week_start >= since))
        .where(Team.program_id == actor.program_id)
        .group_by(Team.id, Team.name)
        .order_by(Team.name)
    )
    if scope is not None:
        query = query.where(col(Team.id).in_(scope))
    rows = []
    for team_name, peers, checked_in in session.exec(query).all():
        if peers < k:
            rows.append(TeamParticipation(team_name, None, None, None, f"fewer than {k} peers"))
        else:
            rows.append(TeamParticipation(team_name, peers, checked_in, checked_in / peers, None))
    return rows
