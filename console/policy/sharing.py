"""Privacy and sharing: the peer's sharing level, who supervises them for what, and who looked at their data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from console.core import audit, clock
from console.core.errors import ValidationError
from console.policy import access
from console.policy.access import Action, authorize, change_my_sharing_level, my_sharing_level
from db.models import SHARING_LEVELS, SUPERVISION_FUNCTIONS, AuditEvent, User

VIEWER_EVENTS_SHOWN = 100


@dataclass(frozen=True)
class LevelChoice:
    level: str
    title: str
    short: str
    sees: str


LEVEL_CHOICES: tuple[LevelChoice, ...] = (
    LevelChoice("completion", "Completion only", "whether you are on time, and your workload",
                "whether your check-ins and self-assessments are on time, and your caseload and hours."),
    LevelChoice("bands", "Bands (the default)", "your bands and summaries, without numbers",
                "completion and workload, plus low / moderate / high bands of your self-assessments, prep flags "
                "without numbers, one average of your check-in strain over the last complete four-week period "
                "(never week by week) and how often hard things came up in the last two weeks."),
    LevelChoice("scores", "Scores and trends", "your scores and trends",
                "everything in Bands, plus your actual scores and your weekly strain chart."),
)
LEVEL_BY_NAME = {choice.level: choice for choice in LEVEL_CHOICES}
NEVER_SHARED = ("Your answers to single questions are never shown to anyone but you. A check-in note or your "
                "wellness plan reaches a supervisor only when you tick “share” on it.")
ADMINISTRATIVE_ONLY_SEES = "completion and workload only, whatever level you choose"


@dataclass(frozen=True)
class MySupervisor:
    name: str
    functions: tuple[str, ...]
    administrative_only: bool
    sees: str


@dataclass(frozen=True)
class DataView:
    """One time someone other than the peer opened the peer's data."""

    at: datetime
    who: str
    what: str


@dataclass(frozen=True)
class Privacy:
    level: str
    supervisors: tuple[MySupervisor, ...]
    views: tuple[DataView, ...]


VIEW_DESCRIPTIONS = {
    "viewed_wellness": "looked at your check-ins and results, as far as you share them",
    "viewed_completion": "saw whether your check-ins are on time",
    "viewed_action_items": "looked at your action items from supervision",
    "viewed_session_notes": "read the notes of your supervision sessions",
}


def _describe(action: str, detail: str) -> str:
    what = VIEW_DESCRIPTIONS.get(action) or f"looked at your {action.removeprefix('viewed_').replace('_', ' ')}"
    return f"{what} ({detail})" if detail else what


def my_supervisors(session: Session, *, actor: User) -> tuple[MySupervisor, ...]:
    """The people who supervise the actor today and what each of them sees, as the access policy decides it."""
    supervisors = []
    for mine in sorted(access.my_supervisors(session, actor=actor), key=lambda mine: mine.supervisor.display_name):
        supervisors.append(MySupervisor(
            name=mine.supervisor.display_name,
            functions=tuple(function for function in SUPERVISION_FUNCTIONS if function in mine.functions),
            administrative_only=mine.visibility.administrative_only,
            sees=ADMINISTRATIVE_ONLY_SEES if mine.visibility.administrative_only
            else LEVEL_BY_NAME[mine.visibility.level].sees,
        ))
    return tuple(supervisors)


def who_viewed_my_data(session: Session, *, actor: User, limit: int = VIEWER_EVENTS_SHOWN
                       ) -> tuple[DataView, ...]:
    """Newest first: every audited read of the peer's data by someone else."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    rows = session.exec(
        select(AuditEvent, User.display_name)
        .join(User, col(User.id) == AuditEvent.actor_id)
        .where(AuditEvent.subject_id == actor.id, AuditEvent.actor_id != actor.id,
               col(AuditEvent.action).startswith("viewed_"))
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(limit)
    ).all()
    return tuple(DataView(event.at, name, _describe(event.action, event.detail)) for event, name in rows)


def my_privacy(session: Session, *, actor: User) -> Privacy:
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    return Privacy(
        level=my_sharing_level(session, actor=actor),
        supervisors=my_supervisors(session, actor=actor),
        views=who_viewed_my_data(session, actor=actor),
    )


def set_sharing_level(session: Session, *, actor: User, level: str, now: datetime | None = None) -> str:
    """Change what supervisors see, from this moment on."""
    now = now or clock.now()
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    if level not in SHARING_LEVELS:
        raise ValidationError(f"Choose a sharing level from {', '.join(SHARING_LEVELS)}.",
                              problems={"level": "Choose one of the three levels."})
    previous = change_my_sharing_level(session, actor=actor, level=level, at=now)
    if previous == level:
        return level
    audit.record(session, actor=actor, action="sharing_changed", subject_id=actor.id,
                 resource_type="sharing_preference", resource_id=actor.id, detail=f"{previous} → {level}")
    session.commit()
    return level


def who_sees_what(session: Session, *, actor: User) -> str:
    """One line for the home page: which supervisor sees what of the peer."""
    supervisors = my_supervisors(session, actor=actor)
    if not supervisors:
        return "No supervisor is assigned to you right now, so nobody else sees your check-ins or results."
    level = LEVEL_BY_NAME[my_sharing_level(session, actor=actor)]
    wellness = [supervisor.name for supervisor in supervisors if not supervisor.administrative_only]
    administrative = [supervisor.name for supervisor in supervisors if supervisor.administrative_only]
    parts = []
    if wellness:
        parts.append(f"{' and '.join(wellness)} sees {level.short}")
    if administrative:
        parts.append(f"{' and '.join(administrative)} sees completion and workload only")
    return "; ".join(parts) + ". Your answers to single questions stay yours."
