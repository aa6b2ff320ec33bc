"""The weekly pulse: a 0-100 strain figure and the peer's own baseline for it."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from scoring.errors import ScoringError
from scoring.instrument import Instrument
from scoring.scores import Answers, check_answers

PULSE_MIN_ANSWERED = 4
MAD_TO_SD = 1.4826
"""Scales a median absolute deviation to the standard deviation it estimates for normal data."""


def pulse_strain(instrument: Instrument, answers: Answers, *, min_answered: int = PULSE_MIN_ANSWERED) -> float | None:
    """Strain from 0 (best week on every rated item) to 100 (worst), one decimal.

    Each answered item contributes its distance from the item's best answer as a
    fraction of the scale: (5 - x) / 4 for a higher-is-better item such as energy,
    (x - 1) / 4 for stress. Strain is the mean contribution × 100. With fewer
    than `min_answered` items answered there is too little to go on: None.
    """
    check_answers(instrument, answers)
    low, high = instrument.response.minimum, instrument.response.maximum
    span = high - low
    contributions = []
    for item in instrument.items:
        value = answers.get(item.number)
        if value is not None:
            contributions.append((high - value if item.higher_is_better else value - low) / span)
    if len(contributions) < min_answered:
        return None
    return round(statistics.fmean(contributions) * 100, 1)


@dataclass(frozen=True)
class PulseBaseline:
    """How the peer's recent strain compares with what is usual for them.

    `upper_bound` = median + multiplier × 1.4826 × max(MAD, floor) of the earlier
    check-ins; `unusual` when the recent mean is above it.
    """

    median: float | None
    mad: float | None
    upper_bound: float | None
    recent_mean: float | None
    points: int
    enough_data: bool
    unusual: bool
    text: str


def pulse_baseline(
    previous_strains: Sequence[float | None],
    recent_strains: Sequence[float | None],
    *,
    window: int = 8,
    min_points: int = 4,
    mad_floor: float = 5.0,
    multiplier: float = 2.0,
) -> PulseBaseline:
    """Compare recent strain with the peer's own earlier check-ins (oldest first).

    The baseline is the median and median absolute deviation (MAD) of the last
    `window` earlier strains, needing at least `min_points`. The MAD floor keeps
    a very steady peer from being flagged for a small wobble. All four numbers
    are program settings, not clinical cut-offs. Missing strains (None) are left out.
    """
    if window < 1 or min_points < 1 or mad_floor < 0 or multiplier <= 0:
        raise ScoringError(
            "pulse baseline settings: window and min_points must be at least 1, "
            "mad_floor 0 or more and multiplier above 0"
        )
    history = [strain for strain in previous_strains if strain is not None][-window:]
    recent = [strain for strain in recent_strains if strain is not None]
    recent_mean = round(statistics.fmean(recent), 1) if recent else None
    if len(history) < min_points:
        text = (
            f"Not enough earlier check-ins yet to know what is usual for you "
            f"({len(history)} of the {min_points} needed)."
        )
        return PulseBaseline(None, None, None, recent_mean, len(history), False, False, text)
    median = statistics.median(history)
    mad = statistics.median(abs(strain - median) for strain in history)
    upper_bound = round(median + multiplier * MAD_TO_SD * max(mad, mad_floor), 1)
    unusual = recent_mean is not None and recent_mean > upper_bound
    usual = f"usually around {median:.1f} (above {upper_bound:.1f} would be unusual)"
    if recent_mean is None:
        text = f"No recent check-ins to compare; strain is {usual}."
    elif unusual:
        text = f"Recent strain averaged {recent_mean:.1f}, higher than usual for you: {usual}."
    else:
        text = f"Recent strain averaged {recent_mean:.1f}, within what is usual for you: {usual}."
    return PulseBaseline(median, mad, upper_bound, recent_mean, len(history), True, unusual, text)
