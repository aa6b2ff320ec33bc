"""Checking a session's content and its action items before anything is written."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Literal

from console.core import input_limits
from console.core.errors import ValidationError
from console.core.i18n import _, show_list
from console.supervision.sessions.catalogue import (
    ACTIVITY_BY_CODE,
    ETHICS_AREAS,
    FUNCTION_LABELS,
    FUNCTION_WORDS,
    MAX_ACTION_ITEMS,
    MAX_DURATION,
    MIN_DURATION,
)
from console.supervision.sessions.results import NewActionItem, SessionContent
from db.models import (
    SUPERVISION_FUNCTIONS,
)


def _is_whole(value: object) -> bool:
    return type(value) is int


def _content_problems(content: SessionContent, *, functions: frozenset[str], today: date) -> dict[str, str]:
    """What to fix in `content`, for a session with people the supervisor holds `functions` with."""
    problems: dict[str, str] = {}
    date_issue = input_limits.date_problem(content.held_on, label=_("Date"), today=today)
    if date_issue is not None:
        problems["held_on"] = date_issue
    elif content.held_on > today:
        problems["held_on"] = _("The session date is in the future; choose the day it took place.")
    if not _is_whole(content.duration_minutes) or not MIN_DURATION <= content.duration_minutes <= MAX_DURATION:
        problems["duration_minutes"] = _(
            "Duration: enter the session's length in whole minutes, from {low} to {high}.", low=MIN_DURATION,
            high=MAX_DURATION,
        )
    unknown = sorted(set(content.minutes) - set(SUPERVISION_FUNCTIONS))
    if unknown:
        problems["minutes"] = _("Unknown function {unknown}; the functions are {functions}.",
                                unknown=", ".join(unknown), functions=_function_list(FUNCTION_LABELS))
    elif any(not _is_whole(value) or value < 0 for value in content.minutes.values()):
        problems["minutes"] = _("Minutes per function: enter whole minutes, 0 or more.")
    else:
        total = sum(content.minutes.values())
        if total == 0:
            problems["minutes"] = _("Enter the minutes spent on at least one function.")
        elif "duration_minutes" not in problems and total > content.duration_minutes:
            problems["minutes"] = _(
                "The minutes per function add up to {total}, more than the session's {duration} minutes; correct "
                "one or the other.", total=total, duration=content.duration_minutes,
            )
        outside = [function for function in content.functions if function not in functions]
        if outside and functions:
            problems["functions"] = _(
                "You do not hold the {outside} function with everyone in this session; record only {held} minutes, "
                "or leave out the people you supervise differently.", outside=_function_list(outside),
                held=_function_list([f for f in SUPERVISION_FUNCTIONS if f in functions]),
            )
        elif outside:
            problems["functions"] = _(
                "You hold no supervision function with everyone in this session; record separate sessions."
            )
    covered = set(content.functions)
    unknown_activities = sorted(set(content.activities) - set(ACTIVITY_BY_CODE))
    if unknown_activities:
        problems["activities"] = _("Unknown activity {activities}.", activities=", ".join(unknown_activities))
    else:
        uncovered = sorted({ACTIVITY_BY_CODE[code].function for code in content.activities} - covered)
        if uncovered:
            problems["activities"] = _(
                "You ticked {functions} activities but recorded no {either} minutes; add the minutes or untick them.",
                functions=_function_list(uncovered), either=_function_list(uncovered, style="or"),
            )
    for function, text in content.notes.items():
        if function not in FUNCTION_LABELS:
            problems["notes"] = _("Unknown function {function} for a note.", function=function)
        elif (text_issue := input_limits.text_problem(
                text, input_limits.SESSION_NOTE,
                label=_("{function} notes", function=_(FUNCTION_LABELS[function])))) is not None:
            problems[f"notes_{function}"] = text_issue
        elif text.strip() and function not in covered:
            problems[f"notes_{function}"] = _(
                "There are {function} notes but no {function} minutes; add the minutes or move the notes.",
                function=_function_list([function]),
            )
    for name, label, text in (("private_reflection", _("Private reflection"), content.private_reflection),
                              ("peer_drift_note", _("Peer drift note"), content.peer_drift_note)):
        text_issue = input_limits.text_problem(text, input_limits.SESSION_NOTE, label=label)
        if text_issue is not None:
            problems[name] = text_issue
    unknown_areas = sorted(set(content.ethics_areas) - set(ETHICS_AREAS))
    if unknown_areas:
        problems["ethics_areas"] = _(
            "Unknown ethics area {unknown}; the areas are {areas}.", unknown=", ".join(unknown_areas),
            areas=", ".join(_(area) for area in ETHICS_AREAS.values()),
        )
    return problems


def _item_problems(items: Sequence[NewActionItem], *, owners: set[int], held_on: date, today: date
                   ) -> dict[str, str]:
    problems: dict[str, str] = {}
    if len(items) > MAX_ACTION_ITEMS:
        problems["action_items"] = _("A session records at most {most} action items; this has {count}. Add the "
                                     "others from a later session.", most=MAX_ACTION_ITEMS, count=len(items))
        return problems
    for position, item in enumerate(items, start=1):
        text_issue = input_limits.text_problem(item.text, input_limits.ACTION_ITEM,
                                                label=_("Action item {position}", position=position))
        if item.owner_id not in owners:
            problems[f"action_item_{position}"] = _(
                "Action item {position}: the owner must be you or someone who attended.", position=position
            )
        elif text_issue is not None:
            problems[f"action_item_{position}"] = text_issue
        elif not item.text.strip():
            problems[f"action_item_{position}"] = _("Action item {position}: say what is to be done.",
                                                    position=position)
        elif item.due_on is not None and (due_issue := input_limits.date_problem(
                item.due_on, label=_("Action item {position} due date", position=position), today=today)) is not None:
            problems[f"action_item_{position}"] = due_issue
        elif item.due_on is not None and item.due_on < held_on:
            problems[f"action_item_{position}"] = _("Action item {position}: the due date is before the session.",
                                                    position=position)
    return problems


def _raise_problems(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError(_("Please fix: {problems}", problems=" ".join(problems.values())), problems=problems)


def _function_list(functions: Sequence[str] | Mapping[str, str], *, style: Literal["standard", "or"] = "standard"
                   ) -> str:
    """Functions named in the reader's language, lower case, joined as the language joins them."""
    return show_list([_(FUNCTION_WORDS[function]) if function in FUNCTION_WORDS else function
                      for function in functions], style=style)
