from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import scoring
from scoring import FlagSettings, SessionInput

TODAY = date(2026, 12, 31)
EVERY_FUNCTION = frozenset({"administrative", "educational", "supportive"})


def test_the_last_n_days_end_today_and_hold_n_days():
    assert scoring.window_start(TODAY, 1) == TODAY
    assert scoring.window_start(TODAY, 14) == date(2026, 12, 18)


def test_a_gap_is_more_than_n_whole_days():
    assert not scoring.gap_exceeded(TODAY - timedelta(days=14), on=TODAY, days=14)
    assert scoring.gap_exceeded(TODAY - timedelta(days=15), on=TODAY, days=14)
    assert scoring.gap_exceeded(None, on=TODAY, days=14)
    assert scoring.gap_cutoff(TODAY, 14) == TODAY - timedelta(days=14)


@pytest.mark.parametrize("days", [0, -1, 1.5, True])
def test_a_window_is_a_whole_number_of_days(days):
    with pytest.raises(scoring.ScoringError, match="whole number of days"):
        scoring.window_start(TODAY, days)


@given(on=st.dates(), last=st.dates(), days=st.integers(1, 400))
def test_the_gap_and_its_cut_off_are_one_rule(on, last, days):
    """What a flag decides from a date and what a query counts from the cut-off always agree."""
    try:
        cutoff = scoring.gap_cutoff(on, days)
    except OverflowError:
        return
    assert scoring.gap_exceeded(last, on=on, days=days) == (not last >= cutoff)
    assert scoring.gap_exceeded(last, on=on, days=days) == ((on - last).days > days)


@pytest.mark.parametrize(("days_ago", "recent", "supportive"), [(14, False, False), (15, True, False),
                                                                 (28, True, False), (29, True, True)])
def test_a_session_exactly_14_or_28_days_ago_raises_no_gap_flag(days_ago, recent, supportive):
    flags = scoring.supervision_flags(
        today=TODAY, assessments=[], pulses=[], action_items=[],
        sessions=[SessionInput(TODAY - timedelta(days=days_ago), EVERY_FUNCTION)],
    )
    codes = {flag.code for flag in flags}
    assert ("no_recent_supervision" in codes) is recent
    assert ("no_supportive_supervision" in codes) is supportive


def test_the_gap_flags_follow_the_settings():
    flags = scoring.supervision_flags(
        today=TODAY, assessments=[], pulses=[], action_items=[],
        sessions=[SessionInput(TODAY - timedelta(days=8), EVERY_FUNCTION)],
        settings=FlagSettings(supervision_gap_days=7, supportive_gap_days=8),
    )
    assert {flag.code for flag in flags} >= {"no_recent_supervision"}
    assert "no_supportive_supervision" not in {flag.code for flag in flags}
