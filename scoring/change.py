"""Change over time: reliable change between two assessments and trends across several."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from scoring.errors import ScoringError
from scoring.instrument import Scale
from scoring.phrases import N_, Phrase

RELIABLE_CHANGE_CRITERION = 1.96
"""|RCI| at or above this is reliable change (Jacobson & Truax, 1991): p < .05, two-sided."""

DAYS_PER_MONTH = 30.44
NOT_ENOUGH_DATA = "not enough data to judge"


def reliable_change(before: float, after: float, *, sd: float, reliability: float) -> float:
    """Jacobson & Truax (1991) reliable change index: (after - before) / (√2 · SD · √(1 - reliability))."""
    if not (isinstance(sd, (int, float)) and math.isfinite(sd) and sd > 0):
        raise ScoringError(f"sd must be a number above 0, got {sd!r}")
    if not (isinstance(reliability, (int, float)) and 0 <= reliability < 1):
        raise ScoringError(f"reliability must be at least 0 and below 1, got {reliability!r}")
    return (after - before) / (math.sqrt(2) * sd * math.sqrt(1 - reliability))


@dataclass(frozen=True)
class Change:
    """Whether a scale changed reliably between two scores, in numbers and plain words.

    `direction` is "better", "worse", "no reliable change" or "not enough data to
    judge"; `sd_source` says where the SD in the index came from: "instrument",
    "program baseline" or None when no index could be computed.
    """

    rci: float | None
    reliable: bool
    direction: str
    text: Phrase
    """The change in words; `str(text)` is the English text."""
    sd_source: str | None


def assess_change(
    *, scale: Scale, before: float | None, after: float | None, baseline_sd: float | None = None
) -> Change:
    """Say in plain words whether a scale changed reliably between two scores.

    The SD is the instrument's where it declares one, else the program's own
    baseline SD (see `baseline_sd`); with neither, or without two scores, the
    answer is "not enough data to judge" and no number is invented.
    """
    if before is None or after is None:
        text = Phrase.of(N_("{scale}: not enough data to judge (needs two scored assessments)."),
                         scale=scale.label)
        return Change(rci=None, reliable=False, direction=NOT_ENOUGH_DATA, text=text, sd_source=None)
    moved = Phrase.of(N_("{scale} went from {before} to {after}"), scale=scale.label,
                      before=format(before, "g"), after=format(after, "g"))
    if scale.sd is not None:
        sd, source = scale.sd, "instrument"
    elif baseline_sd is not None:
        sd, source = baseline_sd, "program baseline"
    else:
        text = Phrase.of(
            N_("{moved}. Not enough data to judge whether that is a real change: the instrument publishes no spread "
               "of scores and the program does not yet have first assessments from enough peers."),
            moved=moved,
        )
        return Change(rci=None, reliable=False, direction=NOT_ENOUGH_DATA, text=text, sd_source=None)
    rci = reliable_change(before, after, sd=sd, reliability=scale.reliability)
    index = f"{rci:.2f}"
    if abs(rci) < RELIABLE_CHANGE_CRITERION:
        text = Phrase.of(
            N_("{moved} (reliable change index {index}, below {criterion}): within what measurement error alone "
               "could explain."),
            moved=moved, index=index, criterion=RELIABLE_CHANGE_CRITERION,
        )
        return Change(rci=rci, reliable=False, direction="no reliable change", text=text, sd_source=source)
    direction = "better" if (rci > 0) == scale.higher_is_better else "worse"
    template = (
        N_("{moved} (reliable change index {index}; {criterion} or more either way counts): a reliable improvement, "
           "more than measurement error alone would explain.")
        if direction == "better" else
        N_("{moved} (reliable change index {index}; {criterion} or more either way counts): a reliable worsening, "
           "more than measurement error alone would explain.")
    )
    text = Phrase.of(template, moved=moved, index=index, criterion=RELIABLE_CHANGE_CRITERION)
    return Change(rci=rci, reliable=True, direction=direction, text=text, sd_source=source)


def baseline_sd(first_scores: Sequence[float | None], *, min_peers: int = 10) -> float | None:
    """Sample SD of each peer's first assessment on a scale, for the RCI when the instrument declares none.

    None with fewer than `min_peers` scores (missing scores are left out), or
    when every score is the same, since an SD of 0 cannot judge change.
    """
    scores = [value for value in first_scores if value is not None]
    if len(scores) < max(min_peers, 2):
        return None
    sd = statistics.stdev(scores)
    return sd if sd > 0 else None


def trend_per_month(points: Sequence[tuple[date, float | None]], *, last_n: int = 6) -> float | None:
    """Theil–Sen slope (median of pairwise slopes) over the last `last_n` dated scores, per 30.44 days.

    Robust to a single odd assessment. None with fewer than three scores
    (missing scores are left out) or when they all fall on one day.
    """
    if last_n < 3:
        raise ScoringError(f"last_n must be at least 3, got {last_n}")
    dated = sorted((day, value) for day, value in points if value is not None)[-last_n:]
    if len(dated) < 3:
        return None
    slopes = [
        (value_b - value_a) / (day_b - day_a).days
        for (day_a, value_a), (day_b, value_b) in combinations(dated, 2)
        if day_b != day_a
    ]
    if not slopes:
        return None
    return statistics.median(slopes) * DAYS_PER_MONTH
