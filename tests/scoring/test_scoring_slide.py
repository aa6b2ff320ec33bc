"""A personal baseline that cannot follow a slide: the long reference and the sustained-rise trend."""

import math
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

import scoring
from scoring import PulseInput, StrainSettings

JUNE = date(2026, 6, 1)
DEFAULTS = StrainSettings()
RISE_BOUND_WEEKS = DEFAULTS.trend_min_points
"""A climb of at least `rise_per_week` every week is flagged from this check-in on."""


def slow_climb_bound(per_week: float) -> int:
    """The check-in by which a steady climb of `per_week` points (0.5 to 2) reads "harder than your usual".

    The first 8 check-ins have median start + 3.5 c and spread below the floor of 5, so the usual range
    ends about 14.83 points above that median: the climb passes it after 4.5 + 14.83 / c weeks.
    """
    return math.ceil(6 + 15 / per_week)


def weeks(count: int) -> list[date]:
    return [JUNE + timedelta(weeks=week) for week in range(count)]


def reading_at(strains: list[float], *, settings: StrainSettings = DEFAULTS) -> scoring.StrainReading:
    """The reading on the last week, as the peer's feedback computes it."""
    dated = list(zip(weeks(len(strains)), strains, strict=True))
    return scoring.strain_reading(earlier=dated[:-1], recent=dated[-1:], reference=strains[:-1], settings=settings)


def first_reported(strains: list[float]) -> int | None:
    for count in range(2, len(strains) + 1):
        reading = reading_at(strains[:count])
        if reading.harder or reading.rising:
            return count
    return None


SLIDE = [30.0, 34.1, 32.2, 38.2, 36.3, 42.4, 40.5, 46.6, 44.6, 50.7, 48.8, 54.9, 53.0, 59.0, 57.1, 63.2, 61.3,
         67.4, 65.4, 71.5, 69.6, 75.7, 73.8, 79.8, 77.9, 82.0]
"""Strain from about 30 in June to 82 in late November, one check-in a week: the example of docs/scoring.md."""


def test_the_slide_reads_harder_than_your_usual():
    reading = reading_at(SLIDE)
    assert not reading.recent.unusual, "the recent range has followed the slide"
    assert reading.recent.median == 72.65 and reading.recent.upper_bound == 87.5
    assert reading.reference.unusual
    assert reading.reference.median == 37.25 and reading.reference.upper_bound == 52.1
    assert reading.harder and reading.rising and reading.rise_per_week == 2.1
    assert "harder than your usual" in reading.text and "rising by about 2.1 points a week" in reading.text


def test_the_slide_raises_unusual_and_rising_strain_flags():
    pulses = [PulseInput(day, day, strain) for day, strain in zip(weeks(len(SLIDE)), SLIDE, strict=True)]
    flags = {flag.code: flag for flag in scoring.supervision_flags(
        today=pulses[-1].taken_on, assessments=[], pulses=pulses, sessions=[], action_items=[])}
    assert "median 37.2 over their first 8 check-ins" in str(flags["unusual_strain"].reason)
    assert "rising by about 2.1 points a week" in str(flags["rising_strain"].reason)


def test_the_reference_can_come_from_check_ins_outside_the_history_given():
    recent = [PulseInput(day, day, strain) for day, strain in zip(weeks(len(SLIDE)), SLIDE, strict=True)][-12:]
    flags = scoring.supervision_flags(today=recent[-1].taken_on, assessments=[], pulses=recent, sessions=[],
                                      action_items=[], reference_strains=SLIDE[:8])
    assert "unusual_strain" in {flag.code for flag in flags}
    without = scoring.supervision_flags(today=recent[-1].taken_on, assessments=[], pulses=recent, sessions=[],
                                        action_items=[])
    assert "unusual_strain" not in {flag.code for flag in without}


def test_a_steady_peer_is_neither_harder_nor_rising():
    reading = reading_at([40.0, 45.0, 38.0, 42.0, 44.0, 39.0, 41.0, 43.0, 40.0, 42.0])
    assert not reading.harder and not reading.rising


@settings(max_examples=200, deadline=None)
@given(start=st.integers(0, 40), rises=st.lists(st.integers(2, 10), min_size=RISE_BOUND_WEEKS - 1, max_size=12))
def test_a_climb_of_at_least_the_setting_each_week_is_flagged_from_the_sixth_check_in(start, rises):
    strains = [float(start)]
    for rise in rises:
        strains.append(min(100.0, strains[-1] + rise))
    if strains[-1] == 100.0:
        return
    for count in range(RISE_BOUND_WEEKS, len(strains) + 1):
        assert reading_at(strains[:count]).rising, strains[:count]


@settings(max_examples=200, deadline=None)
@given(start=st.integers(0, 40), per_week=st.floats(0.5, 2.0))
def test_a_steady_slow_climb_reads_harder_than_your_usual_within_the_bound(start, per_week):
    bound = slow_climb_bound(per_week)
    strains = [round(start + per_week * week, 1) for week in range(bound)]
    first = first_reported(strains)
    assert first is not None and first <= bound, (per_week, first, bound)
