import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scoring

PROQOL = scoring.load_instrument("proqol-style-30")
CS = (3, 6, 12, 16, 18, 20, 22, 24, 27, 30)
BO = (1, 4, 8, 10, 15, 17, 19, 21, 26, 29)
BO_REVERSED = (1, 4, 15, 17, 29)
STS = (2, 5, 7, 9, 11, 13, 14, 23, 25, 28)
BANDS = ("low", "moderate", "high")

answer_sets = st.fixed_dictionaries(
    {}, optional={number: st.one_of(st.none(), st.integers(min_value=1, max_value=5)) for number in range(1, 31)}
)
PROPERTY = settings(max_examples=200, deadline=None)


def _all(value):
    return {number: value for number in range(1, 31)}


def _raws(result):
    return {name: scale.raw for name, scale in result.scales.items()}


def test_all_threes_score_thirty_on_every_scale():
    result = scoring.score(PROQOL, _all(3))
    assert _raws(result) == {"compassion_satisfaction": 30.0, "burnout": 30.0, "secondary_traumatic_stress": 30.0}
    assert all(scale.band == "moderate" and scale.answered == 10 and scale.complete for scale in result.scales.values())
    assert result.complete and result.instrument_id == "proqol-style-30"


def test_reverse_keying_on_all_ones_and_all_fives():
    assert _raws(scoring.score(PROQOL, _all(1))) == {
        "compassion_satisfaction": 10.0,
        "burnout": 30.0,
        "secondary_traumatic_stress": 10.0,
    }
    assert _raws(scoring.score(PROQOL, _all(5))) == {
        "compassion_satisfaction": 50.0,
        "burnout": 30.0,
        "secondary_traumatic_stress": 50.0,
    }


def test_hand_built_answers():
    answers = _all(2)
    answers.update({8: 5, 10: 4, 19: 5, 21: 4, 26: 5})
    answers.update({1: 1, 4: 2, 15: 1, 17: 2, 29: 1})
    answers.update({3: 4, 6: 4, 12: 5, 16: 3})
    result = scoring.score(PROQOL, answers)
    assert result.scales["burnout"].raw == 5 + 4 + 5 + 4 + 5 + 5 + 4 + 5 + 4 + 5
    assert result.scales["burnout"].band == "high"
    assert result.scales["compassion_satisfaction"].raw == 4 + 4 + 5 + 3 + 2 * 6
    assert result.scales["secondary_traumatic_stress"].raw == 20.0
    assert result.scales["secondary_traumatic_stress"].band == "low"
    assert result.scales["burnout"].meaning == PROQOL.scales["burnout"].meanings["high"]


def test_one_skip_is_prorated():
    answers = {3: None, 6: 5, 12: 5, 16: 4, 18: 4, 20: 3, 22: 3, 24: 2, 27: 2, 30: 1}
    cs = scoring.score(PROQOL, answers).scales["compassion_satisfaction"]
    assert cs.raw == 32.2
    assert (cs.answered, cs.complete, cs.band) == (9, True, "moderate")


def test_one_skip_on_a_reverse_keyed_item():
    answers = _all(2)
    del answers[1]
    burnout = scoring.score(PROQOL, answers).scales["burnout"]
    assert burnout.raw == round((5 * 2 + 4 * 4) / 9 * 10, 1) == 28.9


def test_missing_key_counts_as_skipped():
    with_none = _all(4) | {9: None}
    without = {number: value for number, value in with_none.items() if number != 9}
    assert scoring.score(PROQOL, with_none) == scoring.score(PROQOL, without)


def test_two_skips_leave_the_scale_incomplete():
    answers = _all(3) | {2: None, 5: None}
    result = scoring.score(PROQOL, answers)
    sts = result.scales["secondary_traumatic_stress"]
    assert (sts.raw, sts.band, sts.complete, sts.answered, sts.meaning) == (None, None, False, 8, None)
    assert result.scales["burnout"].raw == 30.0
    assert not result.complete


def test_empty_answers():
    result = scoring.score(PROQOL, {})
    assert all(scale.raw is None and scale.answered == 0 for scale in result.scales.values())


@pytest.mark.parametrize(
    ("raw", "band"), [(10, "low"), (22, "low"), (22.2, "moderate"), (41.9, "moderate"), (42, "high"), (50, "high")]
)
def test_band_edges(raw, band):
    assert PROQOL.scales["burnout"].band(raw) == band


def test_band_edges_from_answers():
    at_22 = {number: 2 for number in CS} | {3: 3, 6: 3}
    at_42 = {number: 4 for number in CS} | {3: 5, 6: 5}
    at_22_2 = {number: 2 for number in CS} | {3: None, 6: 3, 12: 3}
    assert [
        (s.raw, s.band)
        for s in (
            scoring.score(PROQOL, answers).scales["compassion_satisfaction"] for answers in (at_22, at_42, at_22_2)
        )
    ] == [(22.0, "low"), (42.0, "high"), (22.2, "moderate")]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({31: 3}, "item 31 is not on proqol-style-30 (items 1–30)"),
        ({0: 3}, "item 0 is not on proqol-style-30"),
        ({4: 6}, "item 4: 6 is outside the response scale 1–5"),
        ({4: 0}, "item 4: 0 is outside the response scale 1–5"),
        ({4: True}, "item 4: True (bool) is not an answer"),
        ({4: 3.0}, "item 4: 3.0 (float) is not an answer"),
        ({4: "3"}, "item 4: '3' (str) is not an answer"),
        ({"4": 3}, "'4' is not an item number of proqol-style-30"),
        ({True: 3}, "True is not an item number"),
        ({1.0: 3}, "1.0 is not an item number"),
    ],
)
def test_bad_answers_name_the_item_and_problem(answers, message):
    with pytest.raises(scoring.ScoringError) as raised:
        scoring.score(PROQOL, answers)
    assert message in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_a_bad_answer_among_good_ones_is_found():
    answers = _all(3)
    answers[17] = 3.0
    with pytest.raises(scoring.ScoringError, match=r"item 17: 3\.0 \(float\) is not an answer"):
        scoring.score(PROQOL, answers)


def test_answers_must_be_a_mapping():
    with pytest.raises(scoring.ScoringError, match="answers must map item numbers"):
        scoring.score(PROQOL, [3] * 30)


def test_instrument_without_scales_validates_and_scores_nothing():
    pulse = scoring.load_instrument("weekly-pulse")
    assert scoring.score(pulse, {1: 3, 7: None}).scales == {}
    with pytest.raises(scoring.ScoringError, match="item 8 is not on weekly-pulse"):
        scoring.score(pulse, {8: 3})


def _reference_score(answers):
    """The ProQOL 5 key written out plainly, to check the fast path against."""
    raws = {}
    for name, numbers in (("compassion_satisfaction", CS), ("burnout", BO), ("secondary_traumatic_stress", STS)):
        keyed = [
            6 - answers[number] if number in BO_REVERSED else answers[number]
            for number in numbers
            if answers.get(number) is not None
        ]
        if len(keyed) == 10:
            raws[name] = float(sum(keyed))
        elif len(keyed) == 9:
            raws[name] = round(sum(keyed) / 9 * 10, 1)
        else:
            raws[name] = None
    return raws


@PROPERTY
@given(answers=answer_sets)
def test_matches_the_plain_key(answers):
    result = scoring.score(PROQOL, answers)
    assert _raws(result) == _reference_score(answers)
    for scale in result.scales.values():
        assert scale.band == PROQOL.scales[scale.name].band(scale.raw)
        assert scale.complete == (scale.raw is not None)


@PROPERTY
@given(answers=answer_sets)
def test_raws_stay_within_ten_to_fifty(answers):
    for scale in scoring.score(PROQOL, answers).scales.values():
        assert scale.raw is None or 10 <= scale.raw <= 50


@PROPERTY
@given(value=st.integers(min_value=1, max_value=5), answers=answer_sets)
def test_reverse_keying_is_an_involution(value, answers):
    base = PROQOL.response.minimum + PROQOL.response.maximum
    assert base - (base - value) == value
    assert base - value in PROQOL.response.values
    flipped = {
        number: (base - answer if answer is not None and number in BO else answer) for number, answer in answers.items()
    }
    twice = {
        number: (base - answer if answer is not None and number in BO else answer) for number, answer in flipped.items()
    }
    assert twice == answers
    burnout, flipped_burnout = (scoring.score(PROQOL, a).scales["burnout"].raw for a in (answers, flipped))
    assert flipped_burnout == (None if burnout is None else pytest.approx(60 - burnout, abs=0.11))


@PROPERTY
@given(answers=answer_sets, item=st.sampled_from(CS))
def test_raising_a_compassion_satisfaction_answer_never_lowers_it(answers, item):
    current = answers.get(item)
    if current is None or current == 5:
        return
    before = scoring.score(PROQOL, answers).scales["compassion_satisfaction"].raw
    after = scoring.score(PROQOL, answers | {item: current + 1}).scales["compassion_satisfaction"].raw
    assert (before is None) == (after is None)
    assert before is None or after >= before


@PROPERTY
@given(
    first=st.floats(min_value=10, max_value=50),
    second=st.floats(min_value=10, max_value=50),
    name=st.sampled_from(sorted(PROQOL.scales)),
)
def test_bands_are_monotone_in_raw(first, second, name):
    scale = PROQOL.scales[name]
    low, high = sorted((first, second))
    assert BANDS.index(scale.band(low)) <= BANDS.index(scale.band(high))
