"""The peer's wellness plan: five sections, a new encrypted version each time the text changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from console.core import audit, clock, i18n, input_limits
from console.core.errors import NotFound, ValidationError
from console.core.i18n import N_, _
from console.policy.access import Action, authorize
from db.models import User, WellnessPlan

MAX_SECTION_LENGTH = input_limits.PLAN_SECTION.limit


@dataclass(frozen=True)
class PlanSection:
    key: str
    title: str
    prompt: str


SECTIONS: tuple[PlanSection, ...] = (
    PlanSection("warning_signs", N_("My early warning signs"),
                N_("What do you notice when the work starts to wear on you? Sleep, mood, habits, what others notice.")),
    PlanSection("what_helps", N_("What helps me"),
                N_("What brings you back: routines, places, activities, rituals for letting the day go.")),
    PlanSection("people_and_supports", N_("People and supports I can reach"),
                N_("Who you can call, and how: colleagues, a mentor or sponsor, friends, family, your program's "
                   "support contact.")),
    PlanSection("commitments", N_("My commitments this month"),
                N_("One or two small things you'll do for yourself this month.")),
    PlanSection("for_my_supervisor", N_("What I want my supervisor to know"),
                N_("Anything that would help your supervisor support you. They read it only if you share the plan.")),
)
SECTION_KEYS = tuple(section.key for section in SECTIONS)


@dataclass(frozen=True)
class PlanView:
    version: int
    sections: dict[str, str]
    shared: bool
    saved_at: datetime

    @property
    def is_empty(self) -> bool:
        return not any(self.sections.values())


@dataclass(frozen=True)
class PlanVersion:
    version: int
    saved_at: datetime


def _view(plan: WellnessPlan) -> PlanView:
    stored = plan.sections or {}
    return PlanView(version=plan.version, sections={key: stored.get(key, "") for key in SECTION_KEYS},
                    shared=plan.shared, saved_at=plan.created_at)


def _latest(session: Session, *, peer_id: int) -> WellnessPlan | None:
    return session.exec(
        select(WellnessPlan).where(WellnessPlan.peer_id == peer_id).order_by(col(WellnessPlan.version).desc())
    ).first()


def my_plan(session: Session, *, actor: User, version: int | None = None) -> PlanView | None:
    """The newest version of the peer's plan, or the one asked for; None before the first save."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    if version is None:
        plan = _latest(session, peer_id=actor.id)
        return _view(plan) if plan else None
    plan = session.exec(
        select(WellnessPlan).where(WellnessPlan.peer_id == actor.id, WellnessPlan.version == version)
    ).first()
    if plan is None:
        raise NotFound(_("Your plan has no version {version}.", version=version))
    return _view(plan)


def my_plan_versions(session: Session, *, actor: User) -> list[PlanVersion]:
    """Every saved version, newest first."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    rows = session.exec(
        select(WellnessPlan.version, WellnessPlan.created_at)
        .where(WellnessPlan.peer_id == actor.id)
        .order_by(col(WellnessPlan.version).desc())
    ).all()
    return [PlanVersion(version, saved_at) for version, saved_at in rows]


def _cleaned(sections: Mapping[str, str]) -> dict[str, str]:
    problems: dict[str, str] = {}
    titles = {section.key: _(section.title) for section in SECTIONS}
    for key in sorted(set(sections) - set(SECTION_KEYS)):
        problems[key] = _("{key} is not a section of the wellness plan.", key=repr(key))
    cleaned = {}
    for key in SECTION_KEYS:
        text = sections.get(key) or ""
        problem = input_limits.text_problem(text, input_limits.PLAN_SECTION, label=titles[key])
        if problem is not None:
            problems[key] = problem
        else:
            cleaned[key] = text.strip()
    if problems:
        raise ValidationError(_("Please fix: {problems}", problems=" ".join(problems.values())), problems=problems)
    return cleaned


def save_plan(
    session: Session, *, actor: User, sections: Mapping[str, str], shared: bool, now: datetime | None = None
) -> PlanView:
    """Save a new version when the text changed; a change of sharing alone applies to the newest version.

    Saving the same text and choice again changes nothing, so a double-clicked save writes once.
    """
    now = now or clock.now()
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    cleaned = _cleaned(sections)
    latest = _latest(session, peer_id=actor.id)
    if latest is None and not any(cleaned.values()):
        raise ValidationError(_("Write something in at least one section before saving."),
                              problems={"sections": _("Write something in at least one section.")})
    if latest is not None and _view(latest).sections == cleaned:
        if latest.shared != shared:
            latest.shared = shared
            session.add(latest)
            audit.record(session, actor=actor, action="wellness_plan_shared" if shared else "wellness_plan_unshared",
                         subject_id=actor.id, resource_type="wellness_plan", resource_id=latest.id,
                         detail=f"version {latest.version}")
            session.commit()
        return _view(latest)
    plan = WellnessPlan(peer_id=actor.id, version=(latest.version + 1) if latest else 1, sections=cleaned,
                        shared=shared, created_at=now)
    session.add(plan)
    try:
        session.flush()
    except IntegrityError as error:
        session.rollback()
        raise ValidationError(_("Your plan was just saved from another window. Reload the page to see it, "
                                "then make your change again.")) from error
    audit.record(session, actor=actor, action="wellness_plan_saved", subject_id=actor.id,
                 resource_type="wellness_plan", resource_id=plan.id,
                 detail=f"version {plan.version}, {'shared' if shared else 'private'}")
    session.commit()
    return _view(plan)


def printable(plan: PlanView) -> str:
    """The plan as plain text with its section titles, for printing or download."""
    parts = [_("My wellness plan (version {version}, saved {day})", version=plan.version,
               day=i18n.show_date(plan.saved_at.date()))]
    empty = _("(empty)")
    for section in SECTIONS:
        title = _(section.title)
        parts.append(f"\n{title}\n{'-' * len(title)}\n{plan.sections[section.key] or empty}")
    return "\n".join(parts) + "\n"
