"""The weekly pulse: a 0-100 strain figure and the peer's own baseline for it."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import combinations

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


@dataclass(frozen=True)
class StrainSettings:
    """How a peer's strain is compared with what is usual for them. Every number is a program setting.

    `window`, `min_points`, `mad_floor` and `multiplier` shape both usual ranges
    (see `pulse_baseline`). The recent range is built from the last `window`
    earlier check-ins, the long reference from the peer's first
    `reference_points` check-ins. A sustained rise is a Theil-Sen slope of at
    least `rise_per_week` strain points a week over the last `trend_points`
    check-ins, needing at least `trend_min_points` of them.
    """

    window: int = 8
    min_points: int = 4
    mad_floor: float = 5.0
    multiplier: float = 2.0
    reference_points: int = 8
    trend_points: int = 8
    trend_min_points: int = 6
    rise_per_week: float = 2.0

    def __post_init__(self) -> None:
        if self.reference_points < 1 or self.trend_points < 2 or not 2 <= self.trend_min_points <= self.trend_points:
            raise ScoringError(
                "strain settings: reference_points must be at least 1, trend_points at least 2 and "
                "trend_min_points from 2 to trend_points"
            )
        if self.rise_per_week <= 0:
            raise ScoringError("strain settings: rise_per_week must be above 0")


@dataclass(frozen=True)
class StrainReading:
    """Recent strain against the peer's recent range and their long reference, and whether it is climbing.

    `harder` when either range says the recent strain is unusual, so a slow
    slide that drags the recent range along is still caught by the reference.
    `rise_per_week` is the Theil-Sen slope in strain points a week (None
    without enough check-ins); `rising` when it reaches the setting.
    """

    recent: PulseBaseline
    reference: PulseBaseline
    rise_per_week: float | None
    rising: bool
    harder: bool
    text: str


def weekly_slope(points: Sequence[tuple[date, float | None]]) -> float | None:
    """Theil-Sen slope (median of pairwise slopes, Theil 1950, Sen 1968) per 7 days; None below two dated points."""
    dated = sorted((day, value) for day, value in points if value is not None)
    slopes = [
        (value_b - value_a) * 7 / (day_b - day_a).days
        for (day_a, value_a), (day_b, value_b) in combinations(dated, 2)
        if day_b != day_a
    ]
    return statistics.median(slopes) if slopes else None


def strain_reading(
    *,
    earlier: Sequence[tuple[date, float | None]],
    recent: Sequence[tuple[date, float | None]],
    reference: Sequence[float | None],
    settings: StrainSettings = StrainSettings(),
) -> StrainReading:
    """Compare the `recent` check-ins (week start, strain) with the `earlier` ones and with `reference`.

    `earlier` are the check-ins before the recent ones, oldest first; `reference`
    the strains of the peer's first check-ins ever (oldest first, none of them
    recent), of which the first `reference_points` are used.
    """
    baseline = partial(
        pulse_baseline, min_points=settings.min_points, mad_floor=settings.mad_floor, multiplier=settings.multiplier
    )
    recent_strains = [strain for _, strain in recent]
    recent_range = baseline([strain for _, strain in earlier], recent_strains, window=settings.window)
    reference_range = baseline(list(reference)[: settings.reference_points], recent_strains, window=settings.reference_points)
    trend_points = [point for point in [*earlier, *recent] if point[1] is not None][-settings.trend_points :]
    slope = weekly_slope(trend_points) if len(trend_points) >= settings.trend_min_points else None
    rise = None if slope is None else round(slope, 1)
    rising = slope is not None and slope >= settings.rise_per_week
    harder = recent_range.unusual or reference_range.unusual
    if reference_range.unusual and not recent_range.unusual:
        text = (
            f"Recent strain averaged {reference_range.recent_mean:.1f}, harder than your usual: your first "
            f"check-ins were around {reference_range.median:.1f} (above {reference_range.upper_bound:.1f} "
            "would be unusual), though your recent weeks have been similar."
        )
    else:
        text = recent_range.text
    if rising:
        text += f" Strain has been rising by about {rise:g} points a week over your last {len(trend_points)} check-ins."
    return StrainReading(recent_range, reference_range, rise, rising, harder, text)
