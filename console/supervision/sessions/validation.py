"""Checking a session's content and its action items before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from console.core import input_limits
from console.core.errors import ValidationError
from console.supervision.sessions.catalogue import (
    ACTIVITY_BY_CODE,
    ETHICS_AREAS,
    FUNCTION_LABELS,
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
    date_issue = input_limits.date_problem(content.held_on, label="Date", today=today)
    if date_issue is not None:
        problems["held_on"] = date_issue
    elif content.held_on > today:
        problems["held_on"] = "The session date is in the future; choose the day it took place."
    if not _is_whole(content.duration_minutes) or not MIN_DURATION <= content.duration_minutes <= MAX_DURATION:
        problems["duration_minutes"] = (
            f"Duration: enter the session's length in whole minutes, from {MIN_DURATION} to {MAX_DURATION}."
        )
    unknown = sorted(set(content.minutes) - set(SUPERVISION_FUNCTIONS))
    if unknown:
        problems["minutes"] = f"Unknown function {', '.join(unknown)}; the functions are {', '.join(FUNCTION_LABELS)}."
    elif any(not _is_whole(value) or value < 0 for value in content.minutes.values()):
        problems["minutes"] = "Minutes per function: enter whole minutes, 0 or more."
    else:
        total = sum(content.minutes.values())
        if total == 0:
            problems["minutes"] = "Enter the minutes spent on at least one function."
        elif "duration_minutes" not in problems and total > content.duration_minutes:
            problems["minutes"] = (
                f"The minutes per function add up to {total}, more than the session's {content.duration_minutes} "
                "minutes; correct one or the other."
            )
        outside = [function for function in content.functions if function not in functions]
        if outside and functions:
            problems["functions"] = (
                f"You do not hold the {' and '.join(outside)} function with everyone in this session; "
                f"record only {' and '.join(f for f in SUPERVISION_FUNCTIONS if f in functions)} minutes, "
                "or leave out the people you supervise differently."
            )
        elif outside:
            problems["functions"] = (
                "You hold no supervision function with everyone in this session; record separate sessions."
            )
    covered = set(content.functions)
    unknown_activities = sorted(set(content.activities) - set(ACTIVITY_BY_CODE))
    if unknown_activities:
        problems["activities"] = f"Unknown activity {', '.join(unknown_activities)}."
    else:
        uncovered = sorted({ACTIVITY_BY_CODE[code].function for code in content.activities} - covered)
        if uncovered:
            problems["activities"] = (
                f"You ticked {' and '.join(uncovered)} activities but recorded no {' or '.join(uncovered)} minutes; "
                "add the minutes or untick them."
            )
    for function, text in content.notes.items():
        if function not in FUNCTION_LABELS:
            problems["notes"] = f"Unknown function {function} for a note."
        elif (text_issue := input_limits.text_problem(text, input_limits.SESSION_NOTE,
                                                      label=f"{FUNCTION_LABELS[function]} notes")) is not None:
            problems[f"notes_{function}"] = text_issue
        elif text.strip() and function not in covered:
            problems[f"notes_{function}"] = (
                f"There are {function} notes but no {function} minutes; add the minutes or move the notes."
            )
    for name, label, text in (("private_reflection", "Private reflection", content.private_reflection),
                              ("peer_drift_note", "Peer drift note", content.peer_drift_note)):
        text_issue = input_limits.text_problem(text, input_limits.SESSION_NOTE, label=label)
        if text_issue is not None:
            problems[name] = text_issue
    unknown_areas = sorted(set(content.ethics_areas) - set(ETHICS_AREAS))
    if unknown_areas:
        problems["ethics_areas"] = (
            f"Unknown ethics area {', '.join(unknown_areas)}; the areas are {', '.join(ETHICS_AREAS.values())}."
        )
    return problems


def _item_problems(items: Sequence[NewActionItem], *, owners: set[int], held_on: date, today: date
                   ) -> dict[str, str]:
    problems: dict[str, str] = {}
    if len(items) > MAX_ACTION_ITEMS:
        problems["action_items"] = (f"A session records at most {MAX_ACTION_ITEMS} action items; this has "
                                    f"{len(items)}. Add the others from a later session.")
        return problems
    for position, item in enumerate(items, start=1):
        text_issue = input_limits.text_problem(item.text, input_limits.ACTION_ITEM, label=f"Action item {position}")
        if item.owner_id not in owners:
            problems[f"action_item_{position}"] = (
                f"Action item {position}: the owner must be you or someone who attended."
            )
        elif text_issue is not None:
            problems[f"action_item_{position}"] = text_issue
        elif not item.text.strip():
            problems[f"action_item_{position}"] = f"Action item {position}: say what is to be done."
        elif item.due_on is not None and (due_issue := input_limits.date_problem(
                item.due_on, label=f"Action item {position} due date", today=today)) is not None:
            problems[f"action_item_{position}"] = due_issue
        elif item.due_on is not None and item.due_on < held_on:
            problems[f"action_item_{position}"] = f"Action item {position}: the due date is before the session."
    return problems


def _raise_problems(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError("Please fix: " + " ".join(problems.values()), problems=problems)
