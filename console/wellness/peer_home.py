"""The peer's home page in one read: what is due, the latest results, open action items, who sees what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from console.core.errors import SettingUnusable
from console.policy import sharing
from console.policy.access import Action, authorize
from console.supervision import action_items
from console.wellness import assessments, checkins, support
from db.models import User


@dataclass(frozen=True)
class PeerHome:
    first_name: str
    checked_in_this_week: bool
    last_checkin: checkins.PulseSummary | None
    assessment: assessments.AssessmentStatus
    latest_result: assessments.AssessmentResult | None
    action_items: tuple[action_items.MyActionItem, ...]
    who_sees_what: str
    asked_to_reach_out: bool
    assessment_unavailable: str | None = None
    """Why self-assessment results cannot be shown now (a program setting to fix), or None."""


def peer_home(session: Session, *, actor: User, on: date) -> PeerHome:
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    recent = checkins.my_recent_pulses(session, actor=actor, limit=1)
    last = recent[0] if recent else None
    try:
        assessments.my_instrument(session, actor=actor)
        latest_result, assessment_unavailable = assessments.latest_result(session, actor=actor), None
    except SettingUnusable as problem:
        latest_result, assessment_unavailable = None, str(problem)
    return PeerHome(
        first_name=actor.display_name.split()[0] if actor.display_name.strip() else actor.username,
        checked_in_this_week=checkins.this_weeks_pulse(session, actor=actor, on=on) is not None,
        last_checkin=last,
        assessment=assessments.assessment_status(session, actor=actor, on=on),
        latest_result=latest_result,
        action_items=tuple(action_items.my_action_items(session, actor=actor)),
        who_sees_what=sharing.who_sees_what(session, actor=actor),
        asked_to_reach_out=support.support_now(session, actor=actor).asked_to_reach_out_at is not None,
        assessment_unavailable=assessment_unavailable,
    )
