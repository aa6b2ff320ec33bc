"""What a session can hold: functions, kinds, activities, ethics areas, limits and the edit window."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from console.core import input_limits
from db.models import (
    SUPERVISION_FUNCTIONS,
)

FUNCTION_LABELS = {"administrative": "Administrative", "educational": "Educational / formative",
                   "supportive": "Supportive"}


KINDS = ("individual", "group")
DRAFT_KIND = "supervision_session"
DRAFT_PERIOD = "new"
"""The one draft a supervisor keeps of the notes of a session not recorded yet."""


ETHICS_AREAS = {"self": "Self", "interpersonal": "Interpersonal", "group_organization": "Group / organization"}


EDIT_WINDOW = timedelta(days=7)


MIN_DURATION, MAX_DURATION = 5, 480


MAX_NOTE_LENGTH = input_limits.SESSION_NOTE.limit


MAX_ITEM_LENGTH = input_limits.ACTION_ITEM.limit


MAX_REASON_LENGTH = input_limits.AMENDMENT_REASON.limit


MAX_ACTION_ITEMS = 3
"""Action items recorded with one session: the rows the session form offers."""


@dataclass(frozen=True)
class Activity:
    code: str
    label: str
    function: str


ACTIVITIES: tuple[Activity, ...] = (
    Activity("orient_new_staff", "Orient new staff", "administrative"),
    Activity("plan_assign_work", "Plan, assign and delegate work", "administrative"),
    Activity("time_management", "Time management", "administrative"),
    Activity("explain_policies", "Explain policies", "administrative"),
    Activity("team_collaboration", "Appropriate collaboration with the team", "administrative"),
    Activity("documentation_review", "Review documentation and data", "administrative"),
    Activity("reflect_on_practice", "Reflect on peer practice", "educational"),
    Activity("knowledge_skills_attitudes", "Knowledge, skills and attitudes", "educational"),
    Activity("individualized_training", "Individualized training and support", "educational"),
    Activity("professional_development", "Professional development", "educational"),
    Activity("feedback_on_work", "Feedback on work", "supportive"),
    Activity("personal_reactions", "Personal reactions to the work", "supportive"),
    Activity("validation_encouragement", "Validation and encouragement", "supportive"),
    Activity("self_care", "Self-care practices", "supportive"),
    Activity("role_advocacy", "Advocacy for the peer role", "supportive"),
)


ACTIVITY_BY_CODE = {activity.code: activity for activity in ACTIVITIES}


def activities_of(function: str) -> tuple[Activity, ...]:
    return tuple(activity for activity in ACTIVITIES if activity.function == function)


def functions_held_with_all(functions_by_peer: Mapping[int, frozenset[str]], peer_ids: Sequence[int]) -> frozenset[str]:
    """The functions the supervisor holds with every one of `peer_ids` (no access check: the form's own choices)."""
    return frozenset.intersection(*(functions_by_peer[peer_id] for peer_id in peer_ids)) if peer_ids else frozenset()


def split_minutes(functions: Sequence[str], duration: int) -> dict[str, int]:
    """`duration` spread over `functions` in steps of five, the last taking the rest: a starting point."""
    minutes = dict.fromkeys(SUPERVISION_FUNCTIONS, 0)
    for function in functions[:-1]:
        minutes[function] = duration // len(functions) // 5 * 5
    if functions:
        minutes[functions[-1]] = duration - sum(minutes.values())
    return minutes
