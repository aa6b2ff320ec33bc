import dataclasses
import math
import statistics
from datetime import date, timedelta

import pytest

import scoring

PROQOL = scoring.load_instrument("proqol-style-30")
BURNOUT = PROQOL.scales["burnout"]
CS = PROQOL.scales["compassion_satisfaction"]


def test_reliable_change_formula():
    assert scoring.reliable_change(30, 40, sd=5, reliability=0.75) == pytest.approx(10 / (math.sqrt(2) * 5 * 0.5))
    assert scoring.reliable_change(40, 30, sd=5, reliability=0.75) == pytest.approx(-2.8284, abs=1e-4)


@pytest.mark.parametrize(("sd", "reliability"), [(0, 0.8), (-1, 0.8), (float("nan"), 0.8), (5, 1.0), (5, -0.1)])
def test_reliable_change_rejects_unusable_inputs(sd, reliability):
    with pytest.raises(scoring.ScoringError):
        scoring.reliable_change(30, 40, sd=sd, reliability=reliability)


def test_no_sd_means_not_enough_data():
    change = scoring.assess_change(scale=BURNOUT, before=20, after=45)
    assert (change.rci, change.reliable, change.direction, change.sd_source) == (
        None,
        False,
        "not enough data to judge",
        None,
    )
    assert "Not enough data to judge" in str(change.text)


def test_missing_score_means_not_enough_data():
    change = scoring.assess_change(scale=BURNOUT, before=None, after=45, baseline_sd=6)
    assert (change.rci, change.direction) == (None, "not enough data to judge")


def test_program_baseline_sd_is_used_when_the_instrument_has_none():
    change = scoring.assess_change(scale=BURNOUT, before=25, after=35, baseline_sd=6.0)
    assert change.rci == pytest.approx(10 / (math.sqrt(2) * 6 * math.sqrt(0.25)))
    assert (change.reliable, change.direction, change.sd_source) == (True, "worse", "program baseline")
    assert "25 to 35" in str(change.text) and "2.36" in str(change.text)


def test_declared_sd_wins_over_the_baseline():
    with_sd = dataclasses.replace(BURNOUT, sd=10.0)
    change = scoring.assess_change(scale=with_sd, before=25, after=35, baseline_sd=1.0)
    assert change.sd_source == "instrument"
    assert change.direction == "no reliable change"


def test_direction_respects_the_scale():
    assert scoring.assess_change(scale=CS, before=25, after=35, baseline_sd=4).direction == "better"
    assert scoring.assess_change(scale=CS, before=35, after=25, baseline_sd=4).direction == "worse"
    assert scoring.assess_change(scale=BURNOUT, before=35, after=25, baseline_sd=4).direction == "better"


def test_criterion_edge():
    sd = 10 / (1.96 * math.sqrt(2) * math.sqrt(1 - BURNOUT.reliability))
    at_edge = scoring.assess_change(scale=BURNOUT, before=20, after=30, baseline_sd=sd * (1 - 1e-9))
    below = scoring.assess_change(scale=BURNOUT, before=20, after=30, baseline_sd=sd * 1.01)
    assert at_edge.reliable and not below.reliable


def test_baseline_sd():
    scores = [20, 22, 25, 27, 30, 31, 33, 35, 38, 40]
    assert scoring.baseline_sd(scores) == statistics.stdev(scores)
    assert scoring.baseline_sd(scores[:9]) is None
    assert scoring.baseline_sd(scores[:9] + [None]) is None
    assert scoring.baseline_sd(scores[:5], min_peers=5) == statistics.stdev(scores[:5])
    assert scoring.baseline_sd([30] * 12) is None


def test_trend_per_month_is_theil_sen():
    start = date(2024, 1, 1)
    points = [(start + timedelta(days=round(30.44 * month)), 30 + month) for month in range(4)]
    assert scoring.trend_per_month(points) == pytest.approx(1.0, rel=0.02)
    with_outlier = points + [(start + timedelta(days=130), 10)]
    assert scoring.trend_per_month(with_outlier) > 0


def test_trend_hand_computed():
    points = [(date(2024, 3, 1), 36.0), (date(2024, 1, 1), 30.0), (date(2024, 1, 31), 33.0)]
    slopes = sorted([3 / 30, 6 / 60, 3 / 30])
    assert scoring.trend_per_month(points) == pytest.approx(statistics.median(slopes) * 30.44)


def test_trend_uses_the_last_n_and_needs_three():
    points = [(date(2024, 1, day), value) for day, value in ((1, 50), (2, 10), (3, 11), (4, 12))]
    assert scoring.trend_per_month(points, last_n=3) == pytest.approx(30.44)
    assert scoring.trend_per_month(points[:2]) is None
    assert scoring.trend_per_month(points[:2] + [(date(2024, 1, 5), None)]) is None
    assert scoring.trend_per_month([(date(2024, 1, 1), value) for value in (1, 2, 3)]) is None
    with pytest.raises(scoring.ScoringError):
        scoring.trend_per_month(points, last_n=2)
