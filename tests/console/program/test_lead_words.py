"""Withheld reasons, reserved group names and coded counts are stored in English and shown in the reader's language."""

from __future__ import annotations

from console.core.i18n import use_language
from console.program import words
from scoring import release as rule


def test_stored_reasons_stay_english_and_are_shown_translated():
    assert rule.small_reason(5) == "fewer than 5 peers"
    assert str(rule.reason_phrase(rule.small_reason(5))) == "fewer than 5 peers"
    assert words.reason(rule.small_reason(5)) == "fewer than 5 peers"
    with use_language("es"):
        assert words.reason(rule.small_reason(5)) == "menos de 5 pares"
        assert words.reason(rule.VIEWER_REASON).startswith("se basaría en muy pocos pares")
        assert words.withheld_note(rule.POOLED_REASON) == (
            "retenido: contado en Equipos pequeños combinados, ya que el equipo solo tiene menos pares que el umbral")
        assert words.reason(None) == ""


def test_ranges_read_in_english_and_in_spanish():
    assert rule.Count(0, 1).text() == "1 or fewer" and rule.Count(5, 6).text() == "5 to 6"
    assert rule.Count(3, 3).text() == "3"
    with use_language("es"):
        assert words.count(rule.Count(0, 1)) == "1 o menos"
        assert words.count(rule.Count(5, 6)) == "5 a 6"
        assert words.count(rule.Count(3, 3)) == "3"


def test_only_the_reserved_group_names_are_translated():
    with use_language("es"):
        assert words.group(rule.PROGRAM_GROUP) == "Todos los equipos"
        assert words.group(rule.POOL_GROUP) == "Equipos pequeños combinados"
        assert words.group("Overdose response") == "Overdose response"
    assert words.group(rule.PROGRAM_GROUP) == "All teams"
