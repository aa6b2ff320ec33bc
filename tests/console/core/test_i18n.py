from datetime import UTC, date, datetime

import pytest

from console.core import i18n
from console.core.i18n import N_, _, n_, render, show_date, show_list, show_month, show_time, use_language
from scoring.phrases import Phrase


def test_english_is_the_source_and_fills_placeholders():
    with use_language("en"):
        assert _("Hi {name}.", name="Ana") == "Hi Ana."
        assert n_("{count} check-in", "{count} check-ins", 1) == "1 check-in"
        assert n_("{count} check-in", "{count} check-ins", 3) == "3 check-ins"


def test_spanish_comes_from_the_catalogue():
    with use_language("es"):
        assert _("Language") == "Idioma"
        assert _("Save language") == "Guardar idioma"


def test_a_language_the_console_does_not_speak_falls_back_to_english():
    with use_language("xx"):
        assert i18n.current_language() == "en"
        assert _("Language") == "Language"


def test_use_language_restores_the_language_it_found():
    with use_language("es"):
        with use_language("en"):
            assert i18n.current_language() == "en"
        assert i18n.current_language() == "es"


def test_a_missing_translation_is_recorded_when_asked_for(monkeypatch):
    monkeypatch.setattr(i18n, "missing_messages", set())
    with use_language("es"):
        assert _("A message nobody translated") == "A message nobody translated"
    assert i18n.missing_messages == {("es", "A message nobody translated")}


def test_dates_months_and_lists_follow_the_language():
    day = date(2026, 11, 24)
    with use_language("en"):
        assert show_date(day) == "24 Nov 2026"
        assert show_month(day) == "November 2026"
        assert show_list(["a", "b", "c"]) == "a, b, and c"
    with use_language("es"):
        assert show_date(day) == "24 nov 2026"
        assert show_month(day) == "noviembre de 2026"
        assert show_list(["a", "b", "c"]) == "a, b y c"
        assert show_time(datetime(2026, 11, 24, 15, 5, tzinfo=UTC), zone_name="America/Chicago") == "24 nov 2026, 09:05 CST"


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_phrase_from_pure_code_renders_its_dates_and_nested_phrases(language):
    phrase = Phrase.of(N_("Since {day}: {inner}"), day=date(2026, 1, 5), inner=Phrase.of(N_("Language")))
    with use_language(language):
        rendered = render(phrase)
    assert rendered.startswith("Since 5 " if language == "en" else "Since 5 ")
    assert str(phrase) == "Since 5 Jan 2026: Language"


def test_a_weekday_is_named_in_the_readers_language():
    from console.core.i18n import show_weekday, use_language

    with use_language("en"):
        assert [show_weekday(day) for day in ("monday", "sunday")] == ["Monday", "Sunday"]
    with use_language("es"):
        assert [show_weekday(day) for day in ("monday", "wednesday", "sunday")] == ["Lunes", "Miércoles", "Domingo"]
    assert show_weekday("funday") == "funday"
