from datetime import date, timedelta

import pytest

import scoring
from scoring import SessionMinutes

TODAY = date(2024, 5, 20)


def days_ago(days):
    return TODAY - timedelta(days=days)


def test_minutes_and_shares_over_the_window():
    sessions = [
        SessionMinutes(days_ago(2), administrative=20, educational=10, supportive=30),
        SessionMinutes(days_ago(27), administrative=20, supportive=0),
        SessionMinutes(days_ago(28), administrative=100, supportive=100),
    ]
    balance = scoring.supervision_balance(sessions=sessions, today=TODAY)
    assert (balance.window_start, balance.window_end) == (days_ago(27), TODAY)
    assert balance.sessions == 2
    assert balance.minutes == {"administrative": 40, "educational": 10, "supportive": 30}
    assert balance.total_minutes == 80
    assert balance.shares == {"administrative": 0.5, "educational": 0.125, "supportive": 0.375}
    assert (balance.days_since_last, balance.days_since_supportive) == (2, 2)
    assert balance.cadence_met


def test_days_since_supportive_looks_beyond_the_window():
    sessions = [SessionMinutes(days_ago(5), administrative=30), SessionMinutes(days_ago(40), supportive=45)]
    balance = scoring.supervision_balance(sessions=sessions, today=TODAY)
    assert (balance.days_since_last, balance.days_since_supportive) == (5, 40)
    assert balance.minutes["supportive"] == 0


@pytest.mark.parametrize(
    ("cadence", "days", "met"),
    [("weekly", 7, True), ("weekly", 8, False), ("biweekly", 14, True), ("biweekly", 15, False)],
)
def test_cadence(cadence, days, met):
    balance = scoring.supervision_balance(
        sessions=[SessionMinutes(days_ago(days), supportive=30)], today=TODAY, cadence=cadence
    )
    assert balance.cadence_met is met


def test_no_sessions():
    balance = scoring.supervision_balance(sessions=[], today=TODAY, window_days=14)
    assert balance.window_start == days_ago(13)
    assert (balance.sessions, balance.total_minutes, balance.days_since_last, balance.cadence_met) == (
        0,
        0,
        None,
        False,
    )
    assert balance.shares == {"administrative": None, "educational": None, "supportive": None}


def test_future_sessions_are_ignored():
    balance = scoring.supervision_balance(sessions=[SessionMinutes(days_ago(-1), supportive=30)], today=TODAY)
    assert (balance.sessions, balance.days_since_last) == (0, None)


def test_functions_covered():
    assert SessionMinutes(TODAY, administrative=5, supportive=10).functions == {"administrative", "supportive"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cadence": "monthly"}, "cadence must be one of weekly, biweekly"),
        ({"window_days": 0}, "window_days"),
        ({"sessions": [SessionMinutes(TODAY, supportive=-5)]}, "supportive minutes must be a whole number"),
        ({"sessions": [SessionMinutes(TODAY, educational=2.5)]}, "educational minutes"),
    ],
)
def test_bad_input(kwargs, message):
    with pytest.raises(scoring.ScoringError, match=message):
        scoring.supervision_balance(**{"sessions": [], "today": TODAY} | kwargs)
