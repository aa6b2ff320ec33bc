"""What a session can hold: functions, kinds, activities, ethics areas, limits and the edit window."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from console.core import input_limits
from console.core.i18n import N_
from db.models import (
    SUPERVISION_FUNCTIONS,
)

FUNCTION_LABELS = {"administrative": N_("Administrative"), "educational": N_("Educational / formative"),
                   "supportive": N_("Supportive")}
"""Each supervision function named (English): show it with `_`."""
FUNCTION_WORDS = {"administrative": N_("administrative"), "educational": N_("educational"),
                  "supportive": N_("supportive")}
"""Each function as a word inside a sentence ("the supportive function"), English: show it with `_`."""


KINDS = ("individual", "group")
KIND_LABELS = {"individual": N_("Individual"), "group": N_("Group")}
DRAFT_KIND = "supervision_session"
DRAFT_PERIOD = "new"
"""The one draft a supervisor keeps of the notes of a session not recorded yet."""


ETHICS_AREAS = {"self": N_("Self"), "interpersonal": N_("Interpersonal"),
                "group_organization": N_("Group / organization")}
"""Each ethics area named (English): show it with `_`."""


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
    """English: show it with `_`."""
    function: str


ACTIVITIES: tuple[Activity, ...] = (
    Activity("orient_new_staff", N_("Orient new staff"), "administrative"),
    Activity("plan_assign_work", N_("Plan, assign and delegate work"), "administrative"),
    Activity("time_management", N_("Time management"), "administrative"),
    Activity("explain_policies", N_("Explain policies"), "administrative"),
    Activity("team_collaboration", N_("Appropriate collaboration with the team"), "administrative"),
    Activity("documentation_review", N_("Review documentation and data"), "administrative"),
    Activity("reflect_on_practice", N_("Reflect on peer practice"), "educational"),
    Activity("knowledge_skills_attitudes", N_("Knowledge, skills and attitudes"), "educational"),
    Activity("individualized_training", N_("Individualized training and support"), "educational"),
    Activity("professional_development", N_("Professional development"), "educational"),
    Activity("feedback_on_work", N_("Feedback on work"), "supportive"),
    Activity("personal_reactions", N_("Personal reactions to the work"), "supportive"),
    Activity("validation_encouragement", N_("Validation and encouragement"), "supportive"),
    Activity("self_care", N_("Self-care practices"), "supportive"),
    Activity("role_advocacy", N_("Advocacy for the peer role"), "supportive"),
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
