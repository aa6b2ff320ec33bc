"""Scoring an instrument's scales from one set of answers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import cast

from scoring.errors import ScoringError
from scoring.instrument import Instrument
from scoring.results import ScoreResult

Answers = Mapping[int, int | None]

_ANSWER_TYPES = frozenset({int, type(None)})
_KEY_TYPES = frozenset({int})


def check_answers(instrument: Instrument, answers: Answers) -> None:
    """Raise `ScoringError` unless every answer is a known item with a whole number on the scale or None."""
    _every_item_answered(instrument, answers)


def _every_item_answered(instrument: Instrument, answers: Answers) -> bool:
    """Validate `answers` and say whether no item was skipped.

    The check runs as a few set operations over the whole mapping (booleans
    and floats equal to 1 would pass a plain membership test, hence the type
    sets); only a failing mapping is walked item by item to name the problem.
    """
    if (
        (type(answers) is dict or isinstance(answers, Mapping))
        and set(map(type, answers)) <= _KEY_TYPES
        and instrument.item_numbers.issuperset(answers)
        and set(map(type, answers.values())) <= _ANSWER_TYPES
    ):
        values = set(answers.values())
        if values <= instrument.answer_values:
            return None not in values and len(answers) == len(instrument.item_numbers)
    raise ScoringError(_first_problem(instrument, answers))


def _first_problem(instrument: Instrument, answers: object) -> str:
    if not isinstance(answers, Mapping):
        return f"answers must map item numbers to answers, not {type(answers).__name__}"
    low, high = instrument.response.minimum, instrument.response.maximum
    items = f"items 1–{len(instrument.items)}"
    for number, value in answers.items():
        if type(number) is not int:
            return f"{number!r} is not an item number of {instrument.id} ({items})"
        if number not in instrument.item_numbers:
            return f"item {number} is not on {instrument.id} ({items})"
        if value is not None and type(value) is not int:
            return (
                f"item {number}: {value!r} ({type(value).__name__}) is not an answer; "
                f"answers are whole numbers {low}–{high}, or None for a skipped item"
            )
        if value not in instrument.answer_values:
            return f"item {number}: {value} is outside the response scale {low}–{high}"
    raise AssertionError("answers failed validation but no item shows the problem")


def score(instrument: Instrument, answers: Answers) -> ScoreResult:
    """Score every scale of `instrument`; a missing item number counts as skipped.

    A scale with skipped items is prorated (mean of the answered items × item
    count, one decimal) when at most `instrument.max_missing_per_scale` are
    skipped, and is incomplete (no raw score, no band) otherwise. Skipped
    answers are dropped with ``filter(None, ...)``, which also drops zeros:
    harmless, as a zero adds nothing to a sum and answered items are counted apart.
    """
    # With every item answered, no answer is None.
    get = cast(Callable[[int], int], answers.__getitem__) if _every_item_answered(instrument, answers) else None
    scales = {}
    for plan in instrument.scale_plans:
        if get is not None:
            total = sum(map(get, plan.forward)) - sum(map(get, plan.reverse)) + plan.reverse_base * len(plan.reverse)
            scales[plan.name] = plan.complete[total]
            continue
        forward = list(map(answers.get, plan.forward))
        reverse = list(map(answers.get, plan.reverse))
        answered_reverse = len(reverse) - reverse.count(None)
        answered = len(forward) - forward.count(None) + answered_reverse
        total = sum(filter(None, forward)) - sum(filter(None, reverse)) + plan.reverse_base * answered_reverse
        if answered == plan.count:
            scales[plan.name] = plan.complete[total]
        else:
            scales[plan.name] = plan.prorated.get((answered, total), plan.incomplete[answered])
    return ScoreResult(instrument.id, scales)
