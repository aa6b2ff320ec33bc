import os
import re
import shutil
import tomllib
from pathlib import Path

import pytest

import scoring
from scoring.loader import BUILTIN_DIR

TEMPLATE = Path(__file__).resolve().parents[2] / "docs" / "instruments" / "proqol5-template.toml"

PROQOL5_KEY = {
    "compassion_satisfaction": {3, 6, 12, 16, 18, 20, 22, 24, 27, 30},
    "burnout": {1, 4, 8, 10, 15, 17, 19, 21, 26, 29},
    "secondary_traumatic_stress": {2, 5, 7, 9, 11, 13, 14, 23, 25, 28},
}
REVERSE_KEYED = {1, 4, 15, 17, 29}


def test_builtins_are_listed_sorted_by_id():
    assert [instrument.id for instrument in scoring.list_instruments()] == ["proqol-style-30", "weekly-pulse"]


def test_proqol_style_follows_the_proqol5_key(proqol):
    assert len(proqol.items) == 30
    assert [item.number for item in proqol.items] == list(range(1, 31))
    for name, numbers in PROQOL5_KEY.items():
        assert {item.number for item in proqol.items if item.scale == name} == numbers
        assert set(proqol.scales[name].items) == numbers
    assert {item.number for item in proqol.items if item.reverse} == REVERSE_KEYED
    assert {name: scale.reliability for name, scale in proqol.scales.items()} == {
        "compassion_satisfaction": 0.88,
        "burnout": 0.75,
        "secondary_traumatic_stress": 0.81,
    }
    assert all(scale.sd is None and scale.low_max == 22 and scale.high_min == 42 for scale in proqol.scales.values())
    assert proqol.scales["compassion_satisfaction"].higher_is_better
    assert not proqol.scales["burnout"].higher_is_better
    assert not proqol.scales["secondary_traumatic_stress"].higher_is_better
    assert (proqol.max_missing_per_scale, proqol.prorate) == (1, True)


def test_proqol_style_wording(proqol):
    assert proqol.recall_window == "the last 30 days"
    assert proqol.response.values == (1, 2, 3, 4, 5)
    assert list(proqol.response.labels.values()) == ["Never", "Rarely", "Sometimes", "Often", "Very often"]
    prompts = [item.prompt for item in proqol.items]
    assert len(set(prompts)) == 30
    assert proqol.item(1).prompt == "I felt like myself at work."
    for word in ("bogged down", "invigorated", "preoccupied", "I am happy"):
        assert not any(word.lower() in prompt.lower() for prompt in prompts)
    assert "ProQOL 5" in proqol.credit and "Stamm, 2010" in proqol.credit
    for scale in proqol.scales.values():
        assert set(scale.meanings) == {"low", "moderate", "high"}
        assert all(meaning.strip() for meaning in scale.meanings.values())
        assert scale.about.startswith(scale.label)


def test_proqol_style_is_credited_as_adapted_from_the_proqol(proqol):
    """The ProQOL's terms of use: an adaptation is called "adapted from the ProQOL", crediting its copyright
    holder with a link to proqol.org."""
    for text in (proqol.credit, proqol.source):
        assert "Adapted from the ProQOL" in text
        assert "The Center for Victims of Torture" in text and "www.proqol.org" in text


def test_prompts_fit_peers_in_recovery_and_with_other_living_experience(proqol):
    prompts = " ".join(item.prompt.lower() for item in proqol.items)
    for word in ("recovery", "sober", "sponsor", "clean", "relapse", "meeting"):
        assert word not in prompts
    assert proqol.item(17).prompt == "I was living the kind of life I want for myself."
    assert (proqol.item(17).scale, proqol.item(17).reverse) == ("burnout", True)


def test_reverse_keyed_prompts_are_worded_positively(proqol):
    for item in proqol.items:
        assert item.higher_is_better == (item.reverse or item.scale == "compassion_satisfaction")


def test_weekly_pulse_items_and_orientation(pulse):
    assert pulse.id == "weekly-pulse"
    assert [item.key for item in pulse.items] == [
        "energy",
        "stress",
        "sleep",
        "workload",
        "supported",
        "connection",
        "satisfaction",
    ]
    assert [item.number for item in pulse.items] == list(range(1, 8))
    assert [item.key for item in pulse.items if not item.higher_is_better] == ["stress"]
    assert pulse.scales == {}
    assert all(set(item.labels) == {1, 2, 3, 4, 5} for item in pulse.items)
    assert pulse.item_by_key("energy").labels[1] != pulse.response.labels[1]
    assert pulse.item_by_key("stress").labels == pulse.response.labels


def test_weekly_pulse_checklists_and_fields(pulse):
    exposures = {option.code: option.label for option in pulse.checklists["exposures"]}
    assert list(exposures) == [
        "overdose_scene",
        "death_of_person_served",
        "threat_or_violence",
        "people_from_past",
        "triggering_setting",
        "stigma_or_criticism",
        "racism_or_discrimination",
        "recovery_pressure",
    ]
    assert exposures["people_from_past"] == "Met people from my own past (e.g. officers who arrested me)"
    assert exposures["triggering_setting"] == "A triggering setting such as a jail or court"
    assert [option.code for option in pulse.checklists["self_care"]] == [
        "sleep",
        "food",
        "movement",
        "relaxation",
        "letting_go_ritual",
        "colleague_connection",
        "time_away",
    ]
    assert {name: (spec.min, spec.max) for name, spec in pulse.fields.items()} == {
        "caseload": (0, 200),
        "hours": (0, 100),
        "after_hours_callouts": (0, 50),
        "hours_outside_role": (0, 100),
    }
    assert all(spec.label for spec in pulse.fields.values())
    assert [option.code for option in pulse.checklists["outside_role"]] == [
        "driving", "case_management", "clerical", "clinical", "other",
    ]


def test_unknown_id_lists_known_ids():
    with pytest.raises(scoring.ScoringError) as raised:
        scoring.load_instrument("proqol-4")
    assert "proqol-4" in str(raised.value)
    assert "proqol-style-30" in str(raised.value) and "weekly-pulse" in str(raised.value)
    assert not isinstance(raised.value, scoring.InstrumentError)


def test_builtins_are_cached():
    assert scoring.load_instrument("weekly-pulse") is scoring.load_instrument("weekly-pulse")


def test_instrument_is_hashable_and_picklable(proqol):
    import pickle

    assert hash(proqol) == hash(scoring.load_instrument("proqol-style-30"))
    copy = pickle.loads(pickle.dumps(proqol))
    assert copy == proqol
    assert scoring.score(copy, {n: 3 for n in range(1, 31)}) == scoring.score(proqol, {n: 3 for n in range(1, 31)})


def _fill_template(text: str) -> str:
    counter = iter(range(1, 31))
    text = re.sub(r'^prompt = ""$', lambda _: f'prompt = "Official item {next(counter)}"', text, flags=re.MULTILINE)
    return re.sub(r'^credit = ""$', 'credit = "Credit line copied from the form"', text, flags=re.MULTILINE)


def test_template_does_not_load_until_filled():
    with pytest.raises(scoring.InstrumentError) as raised:
        scoring.parse_instrument(TEMPLATE.read_text(encoding="utf-8"), path=TEMPLATE)
    assert "proqol5-template.toml" in str(raised.value)


def test_filled_template_scores_like_the_builtin(tmp_path, proqol):
    (tmp_path / "proqol-5.toml").write_text(_fill_template(TEMPLATE.read_text(encoding="utf-8")), encoding="utf-8")
    official = scoring.load_instrument("proqol-5", extra_dirs=[tmp_path])
    assert official.item(30).prompt == "Official item 30"
    for name, scale in proqol.scales.items():
        other = official.scales[name]
        assert (other.items, other.low_max, other.high_min, other.reliability, other.higher_is_better) == (
            scale.items,
            scale.low_max,
            scale.high_min,
            scale.reliability,
            scale.higher_is_better,
        )
    assert [item.reverse for item in official.items] == [item.reverse for item in proqol.items]
    answers = {n: (n * 7) % 5 + 1 for n in range(1, 31)}
    answers[3] = None
    assert scoring.score(official, answers).scales == scoring.score(proqol, answers).scales


def test_extra_dirs_add_instruments(tmp_path, pulse_data, to_toml):
    pulse_data["id"] = "team-pulse"
    (tmp_path / "team.toml").write_text(to_toml(pulse_data), encoding="utf-8")
    ids = [instrument.id for instrument in scoring.list_instruments(extra_dirs=[str(tmp_path)])]
    assert ids == ["proqol-style-30", "team-pulse", "weekly-pulse"]
    assert scoring.load_instrument("team-pulse", extra_dirs=[tmp_path]).path == (tmp_path / "team.toml").resolve()


def test_duplicate_id_in_extra_dir_is_an_error(tmp_path):
    shutil.copy(BUILTIN_DIR / "weekly-pulse.toml", tmp_path / "copy.toml")
    with pytest.raises(scoring.InstrumentError, match=r"copy\.toml: id: 'weekly-pulse' is already used"):
        scoring.load_instrument("weekly-pulse", extra_dirs=[tmp_path])


def test_missing_extra_dir_is_an_error(tmp_path):
    with pytest.raises(scoring.InstrumentError, match="instrument folder not found"):
        scoring.list_instruments(extra_dirs=[tmp_path / "nowhere"])


def test_broken_extra_file_names_the_file(tmp_path):
    (tmp_path / "broken.toml").write_bytes(b"id = [unclosed")
    with pytest.raises(scoring.InstrumentError, match=r"broken\.toml: not valid TOML"):
        scoring.load_instrument("weekly-pulse", extra_dirs=[tmp_path])


def test_changed_file_is_read_again(tmp_path, pulse_data, to_toml):
    path = tmp_path / "team.toml"
    pulse_data["id"] = "team-pulse"
    path.write_text(to_toml(pulse_data), encoding="utf-8")
    first = scoring.load_instrument_file(path)
    assert scoring.load_instrument_file(path) is first
    pulse_data["title"] = "Team pulse, revised"
    path.write_text(to_toml(pulse_data), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert scoring.load_instrument_file(path).title == "Team pulse, revised"


def test_unreadable_path_is_an_instrument_error(tmp_path):
    with pytest.raises(scoring.InstrumentError, match="cannot read the file"):
        scoring.load_instrument_file(tmp_path / "absent.toml")
    with pytest.raises(scoring.InstrumentError, match="cannot read the file"):
        scoring.load_instrument_file(tmp_path)


def _item(data, number):
    return next(item for item in data["items"] if item["number"] == number)


def _duplicate_number(data):
    _item(data, 2)["number"] = 1


def _gap_in_numbers(data):
    _item(data, 30)["number"] = 31


def _reverse_on_unscored(data):
    del _item(data, 1)["scale"]


def _unordered_cut_points(data):
    data["scales"]["burnout"]["low_max"] = 42


def _missing_label(data):
    del data["response"]["labels"]["3"]


def _label_for_unknown_value(data):
    data["response"]["labels"]["6"] = "Always"


def _unknown_scale(data):
    _item(data, 3)["scale"] = "compassion"


def _misspelt_field(data):
    _item(data, 4)["revers"] = True


def _empty_prompt(data):
    _item(data, 5)["prompt"] = "  "


def _reliability_of_one(data):
    data["scales"]["burnout"]["reliability"] = 1.0


def _contradicting_orientation(data):
    _item(data, 1)["higher_is_better"] = False


def _missing_meaning(data):
    del data["scales"]["burnout"]["meanings"]["moderate"]


def _missing_about(data):
    del data["scales"]["burnout"]["about"]


def _scale_without_items(data):
    data["scales"]["extra"] = dict(data["scales"]["burnout"])


def _missing_rule(data):
    del data["missing_data"]


def _bool_as_number(data):
    _item(data, 6)["number"] = True


def _values_with_gap(data):
    data["response"]["values"] = [1, 2, 4, 5]


def _bad_id(data):
    data["id"] = "ProQOL Style"


@pytest.mark.parametrize(
    ("mutate", "field", "problem"),
    [
        (_duplicate_number, "items[1].number", "used twice"),
        (_gap_in_numbers, "items", "run 1..30 without gaps"),
        (_reverse_on_unscored, "items[0].reverse", "only items keyed to a scale"),
        (_unordered_cut_points, "scales.burnout.high_min", "must be ordered"),
        (_missing_label, "response.labels", "missing a label for 3"),
        (_label_for_unknown_value, "response.labels.6", "not a value of the response scale"),
        (_unknown_scale, "items[2].scale", "unknown scale 'compassion'"),
        (_misspelt_field, "items[3].revers", "unknown field"),
        (_empty_prompt, "items[4].prompt", "must not be empty"),
        (_reliability_of_one, "scales.burnout.reliability", "between 0 and 1"),
        (_contradicting_orientation, "items[0].higher_is_better", "contradicts scale 'burnout'"),
        (_missing_meaning, "scales.burnout.meanings.moderate", "missing"),
        (_missing_about, "scales.burnout.about", "missing"),
        (_scale_without_items, "scales.extra", "no item is keyed"),
        (_missing_rule, "missing_data", "required when the instrument has scales"),
        (_bool_as_number, "items[5].number", "whole number"),
        (_values_with_gap, "response.values", "consecutive"),
        (_bad_id, "id", "lower-case letters"),
    ],
)
def test_invalid_files_name_file_and_field(proqol_data, to_toml, mutate, field, problem):
    mutate(proqol_data)
    with pytest.raises(scoring.InstrumentError) as raised:
        scoring.parse_instrument(to_toml(proqol_data), path="custom/mine.toml")
    error = raised.value
    assert (error.path, error.field) == ("custom/mine.toml", field)
    assert problem in error.problem
    assert str(error).startswith(f"custom/mine.toml: {field}: ")
    assert isinstance(error, scoring.ScoringError) and isinstance(error, ValueError)


def test_builtin_files_round_trip_through_the_writer(to_toml):
    for path in BUILTIN_DIR.glob("*.toml"):
        loaded = scoring.load_instrument_file(path)
        rewritten = scoring.parse_instrument(to_toml(tomllib.loads(path.read_text(encoding="utf-8"))))
        assert (rewritten.items, rewritten.scales, rewritten.checklists) == (
            loaded.items,
            loaded.scales,
            loaded.checklists,
        )
