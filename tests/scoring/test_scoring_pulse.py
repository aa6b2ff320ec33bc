import math

import pytest

import scoring
from scoring.pulse import MAD_TO_SD

ENERGY, STRESS, SLEEP, WORKLOAD, SUPPORTED, CONNECTION, SATISFACTION = range(1, 8)


def test_best_and_worst_weeks(pulse):
    best = {ENERGY: 5, STRESS: 1, SLEEP: 5, WORKLOAD: 5, SUPPORTED: 5, CONNECTION: 5, SATISFACTION: 5}
    worst = {ENERGY: 1, STRESS: 5, SLEEP: 1, WORKLOAD: 1, SUPPORTED: 1, CONNECTION: 1, SATISFACTION: 1}
    assert scoring.pulse_strain(pulse, best) == 0.0
    assert scoring.pulse_strain(pulse, worst) == 100.0
    assert scoring.pulse_strain(pulse, {number: 3 for number in range(1, 8)}) == 50.0


def test_hand_computed_strain(pulse):
    answers = {ENERGY: 4, STRESS: 2, SLEEP: 3, WORKLOAD: 5, SUPPORTED: 2}
    assert scoring.pulse_strain(pulse, answers) == round((0.25 + 0.25 + 0.5 + 0 + 0.75) / 5 * 100, 1) == 35.0


def test_strain_rounds_to_one_decimal(pulse):
    answers = {ENERGY: 4, STRESS: 1, SLEEP: 5, WORKLOAD: 5, SUPPORTED: 5, CONNECTION: 5}
    assert scoring.pulse_strain(pulse, answers) == 4.2


def test_needs_four_answered_items(pulse):
    assert scoring.pulse_strain(pulse, {ENERGY: 2, STRESS: 4, SLEEP: None, WORKLOAD: 2}) is None
    assert scoring.pulse_strain(pulse, {ENERGY: 2, STRESS: 4, SLEEP: 2, WORKLOAD: 2}) == 75.0
    assert scoring.pulse_strain(pulse, {ENERGY: 2, STRESS: 4, SLEEP: 2}, min_answered=3) == 75.0


@pytest.mark.parametrize(
    ("answers", "message"), [({8: 3}, "item 8"), ({2: 6}, "item 2: 6 is outside"), ({2: False}, "bool")]
)
def test_strain_validates_like_score(pulse, answers, message):
    with pytest.raises(scoring.ScoringError, match=message):
        scoring.pulse_strain(pulse, answers)


def test_baseline_hand_computed():
    previous = [30, 32, 34, 36, 38]
    result = scoring.pulse_baseline(previous, [50, 48])
    assert (result.median, result.mad, result.points) == (34, 2, 5)
    assert result.upper_bound == round(34 + 2 * 1.4826 * 5, 1) == 48.8
    assert (result.recent_mean, result.enough_data, result.unusual) == (49.0, True, True)
    assert "higher than usual for you" in result.text
    calm = scoring.pulse_baseline(previous, [48, 49])
    assert (calm.recent_mean, calm.unusual) == (48.5, False)
    assert "within what is usual" in calm.text


def test_baseline_uses_mad_above_the_floor():
    result = scoring.pulse_baseline([10, 20, 30, 40, 50, 60, 70, 80], [90])
    assert (result.median, result.mad) == (45, 20)
    assert result.upper_bound == round(45 + 2 * MAD_TO_SD * 20, 1)
    assert not result.unusual


def test_baseline_uses_only_the_last_window_points():
    result = scoring.pulse_baseline([90, 90, 90, 10, 10, 10, 10, 10, 10, 10, 10], [40])
    assert (result.median, result.points, result.unusual) == (10, 8, True)


def test_baseline_needs_enough_points_and_skips_missing():
    result = scoring.pulse_baseline([20, None, 25, 30], [80])
    assert (result.enough_data, result.unusual, result.median, result.points) == (False, False, None, 3)
    assert "3 of the 4 needed" in result.text
    assert scoring.pulse_baseline([20, None, 25, 30, 35], [80]).enough_data


def test_baseline_without_recent_pulses():
    result = scoring.pulse_baseline([20, 25, 30, 35], [None])
    assert (result.recent_mean, result.unusual) == (None, False)
    assert "No recent check-ins" in result.text


def test_baseline_settings():
    tight = scoring.pulse_baseline([30, 30, 30, 30], [36], mad_floor=1.0, multiplier=2.0)
    assert math.isclose(tight.upper_bound, round(30 + 2 * MAD_TO_SD, 1)) and tight.unusual
    for bad in ({"window": 0}, {"min_points": 0}, {"mad_floor": -1}, {"multiplier": 0}):
        with pytest.raises(scoring.ScoringError):
            scoring.pulse_baseline([1, 2, 3, 4], [5], **bad)
