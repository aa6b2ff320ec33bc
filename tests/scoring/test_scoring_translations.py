"""Instrument files carry their texts in several languages; scoring is the same in every one."""

import pickle
import random

import pytest

import scoring
from scoring.instrument import TRANSLATION_LANGUAGES
from scoring.loader import BUILTIN_DIR

BUILTINS = sorted(path.stem for path in BUILTIN_DIR.glob("*.toml"))


@pytest.mark.parametrize("language", TRANSLATION_LANGUAGES)
@pytest.mark.parametrize("instrument_id", BUILTINS)
def test_every_builtin_text_has_a_translation(instrument_id, language):
    instrument = scoring.load_instrument(instrument_id)
    assert instrument.untranslated(language) == []
    english = instrument.texts()
    translated = instrument.in_language(language).texts()
    assert translated.keys() == english.keys()
    copied = [place for place, text in translated.items() if text == english[place] and " " in text]
    assert copied == [], "texts left in English"


@pytest.mark.parametrize("instrument_id", BUILTINS)
def test_spanish_prompts_are_distinct_and_spanish(instrument_id):
    spanish = scoring.load_instrument(instrument_id).in_language("es")
    prompts = [item.prompt for item in spanish.items]
    assert len(set(prompts)) == len(prompts)
    assert spanish.language == "es"


def test_spanish_self_assessment_wording():
    spanish = scoring.load_instrument("proqol-style-30").in_language("es")
    assert spanish.item(1).prompt == "En el trabajo pude ser yo."
    assert list(spanish.response.labels.values()) == ["Nunca", "Rara vez", "A veces", "A menudo", "Muy a menudo"]
    assert spanish.scales["burnout"].label == "Agotamiento"
    assert spanish.scales["compassion_satisfaction"].label == "Satisfacción por compasión"
    assert spanish.scales["secondary_traumatic_stress"].label == "Estrés traumático secundario"
    for text in (spanish.credit, spanish.source):
        assert "Adaptado del ProQOL" in text
        assert "The Center for Victims of Torture" in text and "www.proqol.org" in text
    assert "Stamm, 2010" in spanish.credit and "no es el ProQOL" in spanish.credit
    for scale in spanish.scales.values():
        assert scale.about.startswith(scale.label)


@pytest.mark.parametrize("instrument_id", BUILTINS)
def test_only_texts_change_between_languages(instrument_id):
    english = scoring.load_instrument(instrument_id)
    spanish = english.in_language("es")
    assert (spanish.id, spanish.version, spanish.response.values) == (english.id, english.version, english.response.values)
    assert [(i.number, i.key, i.scale, i.reverse, i.higher_is_better, tuple(i.labels)) for i in spanish.items] == [
        (i.number, i.key, i.scale, i.reverse, i.higher_is_better, tuple(i.labels)) for i in english.items
    ]
    for name, scale in english.scales.items():
        other = spanish.scales[name]
        assert (other.items, other.low_max, other.high_min, other.reliability, other.sd, other.mean,
                other.higher_is_better, tuple(other.meanings)) == (
            scale.items, scale.low_max, scale.high_min, scale.reliability, scale.sd, scale.mean,
            scale.higher_is_better, tuple(scale.meanings))
    assert (spanish.max_missing_per_scale, spanish.prorate) == (english.max_missing_per_scale, english.prorate)
    assert {name: [option.code for option in options] for name, options in spanish.checklists.items()} == {
        name: [option.code for option in options] for name, options in english.checklists.items()
    }
    assert {name: (spec.min, spec.max) for name, spec in spanish.fields.items()} == {
        name: (spec.min, spec.max) for name, spec in english.fields.items()
    }
    assert [(plan.name, plan.forward, plan.reverse, plan.reverse_base, plan.count) for plan in spanish.scale_plans] == [
        (plan.name, plan.forward, plan.reverse, plan.reverse_base, plan.count) for plan in english.scale_plans
    ]


def _numbers(score):
    return {name: (scale.raw, scale.band, scale.answered, scale.complete) for name, scale in score.scales.items()}


def test_scores_are_identical_in_every_language():
    english = scoring.load_instrument("proqol-style-30")
    chance = random.Random(15)
    for _ in range(300):
        answers = {number: chance.choice((None, 1, 2, 3, 4, 5)) if chance.random() < 0.2 else chance.randint(1, 5)
                   for number in range(1, 31)}
        expected = scoring.score(english, answers)
        for language in TRANSLATION_LANGUAGES:
            translated = scoring.score(english.in_language(language), answers)
            assert _numbers(translated) == _numbers(expected)
            assert translated.instrument_id == expected.instrument_id


def test_a_score_means_the_same_in_its_language():
    english = scoring.load_instrument("proqol-style-30")
    spanish = english.in_language("es")
    answers = {number: 5 for number in range(1, 31)}
    assert scoring.score(spanish, answers).scales["secondary_traumatic_stress"].meaning == (
        spanish.scales["secondary_traumatic_stress"].meanings["high"]
    )
    assert scoring.score(english, answers).scales["secondary_traumatic_stress"].meaning == (
        english.scales["secondary_traumatic_stress"].meanings["high"]
    )


def test_pulse_strain_is_identical_in_every_language():
    english = scoring.load_instrument("weekly-pulse")
    chance = random.Random(5)
    for _ in range(200):
        answers = {number: chance.choice((None, 1, 2, 3, 4, 5)) for number in range(1, 8)}
        for language in TRANSLATION_LANGUAGES:
            assert scoring.pulse_strain(english.in_language(language), answers) == scoring.pulse_strain(english, answers)


def test_in_language_keeps_each_language_once():
    english = scoring.load_instrument("weekly-pulse")
    spanish = english.in_language("es")
    assert english.in_language("en") is english
    assert english.in_language("es") is spanish
    assert spanish.in_language("en") is english
    assert spanish.in_language("es") is spanish
    assert english.in_language("fr") is english
    copy = pickle.loads(pickle.dumps(spanish))
    assert copy.item(1).prompt == spanish.item(1).prompt and copy.language == "es"


def _with_translations(to_toml, data, translations):
    return scoring.parse_instrument(to_toml({**data, "translations": translations}), path="custom/mine.toml")


def test_a_text_without_a_translation_stays_as_written(pulse_data, to_toml):
    instrument = _with_translations(to_toml, pulse_data, {"es": {"title": "Registro", "items": {"2": {"prompt": "Estrés"}}}})
    spanish = instrument.in_language("es")
    assert (spanish.title, spanish.item(2).prompt) == ("Registro", "Estrés")
    assert spanish.item(3).prompt == "How well I slept"
    assert spanish.item(2).labels[1] == "Not at all"
    assert "items.3.prompt" in instrument.untranslated("es") and "title" not in instrument.untranslated("es")
    assert instrument.untranslated("fr") == list(instrument.texts())


def test_items_sharing_the_response_labels_take_their_translation(pulse_data, to_toml):
    instrument = _with_translations(to_toml, pulse_data, {"es": {"response": {"labels": {"1": "Nada"}}}})
    spanish = instrument.in_language("es")
    assert spanish.item(2).labels[1] == "Nada" and spanish.response.labels[1] == "Nada"
    assert spanish.item(1).labels[1] == "Very low"


@pytest.mark.parametrize(
    ("translations", "field", "problem"),
    [
        ({"fr": {"title": "Bilan"}}, "translations.fr", "unknown language 'fr' (languages: es)"),
        ({"en": {"title": "Check"}}, "translations.en", "translations are for other languages"),
        ({"es": {"titel": "Registro"}}, "translations.es.titel", "no such text"),
        ({"es": {"items": {"31": {"prompt": "x"}}}}, "translations.es.items.31", "no texts here"),
        ({"es": {"items": {"2": {"labels": {"1": "Nada"}}}}}, "translations.es.items.2.labels", "no texts here"),
        ({"es": {"items": {"1": {"labels": {"6": "x"}}}}}, "translations.es.items.1.labels.6", "no such text"),
        ({"es": {"response": {"labels": {"0": "x"}}}}, "translations.es.response.labels.0", "no such text"),
        ({"es": {"checklists": {"exposures": {"fire": "x"}}}}, "translations.es.checklists.exposures.fire", "no such"),
        ({"es": {"title": 3}}, "translations.es.title", "must be text"),
        ({"es": {"title": " "}}, "translations.es.title", "must not be empty"),
        ({"es": "Registro"}, "translations.es", "must be a table"),
        ({"es": {"fields": {"hours": {"label": ["x"]}}}}, "translations.es.fields.hours.label", "must be text"),
    ],
)
def test_bad_translations_name_file_and_field(pulse_data, to_toml, translations, field, problem):
    with pytest.raises(scoring.InstrumentError) as raised:
        _with_translations(to_toml, pulse_data, translations)
    assert (raised.value.path, raised.value.field) == ("custom/mine.toml", field)
    assert problem in raised.value.problem
