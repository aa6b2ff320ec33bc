"""The console hands pages the instruments in the language of the page run; scores do not depend on it."""

from sqlmodel import select

from console.core import i18n
from console.core.i18n import use_language
from console.core.program_settings import read_settings
from console.wellness.checkins import pulse_instrument
from console.wellness.instruments import periodic_instrument
from db.models import AssessmentScore, PulseCheckin
from scoring.instrument import SOURCE_LANGUAGE, TRANSLATION_LANGUAGES
from tests.peer_data import check_in, take_assessment


def test_instrument_files_may_be_translated_into_every_language_the_console_speaks():
    assert i18n.SOURCE_LANGUAGE == SOURCE_LANGUAGE
    assert set(TRANSLATION_LANGUAGES) == set(i18n.LANGUAGES) - {SOURCE_LANGUAGE}


def test_instruments_come_in_the_current_language(session):
    settings = read_settings(session)
    assert (pulse_instrument().language, periodic_instrument(settings).language) == ("en", "en")
    with use_language("es"):
        assert pulse_instrument().title == "Registro semanal"
        spanish = periodic_instrument(settings)
        assert spanish.language == "es" and spanish.scales["burnout"].label == "Agotamiento"
    assert pulse_instrument().title == "Weekly check-in"


def test_answers_given_in_spanish_are_scored_and_stored_as_in_english(session, world):
    english = take_assessment(session, world.peer, on=world.today, burnout=44, stress=23, satisfaction=22)
    with use_language("es"):
        spanish = take_assessment(session, world.other_peer, on=world.today, burnout=44, stress=23, satisfaction=22)
        meaning = periodic_instrument(read_settings(session)).scales["burnout"].meanings["high"]
    assert [(s.name, s.raw, s.band, s.concern) for s in spanish.scales] == [
        (s.name, s.raw, s.band, s.concern) for s in english.scales
    ]
    assert {s.name: s.meaning for s in spanish.scales}["burnout"] == meaning
    stored = session.exec(select(AssessmentScore.peer_id, AssessmentScore.scale, AssessmentScore.raw,
                                 AssessmentScore.band)).all()
    by_peer: dict = {}
    for peer_id, scale, raw, band in stored:
        by_peer.setdefault(peer_id, {})[scale] = (raw, band)
    assert by_peer[world.peer.id] == by_peer[world.other_peer.id]


def test_a_check_in_in_spanish_stores_the_same_strain(session, world):
    answers = {"energy": 2, "stress": 4, "sleep": 3, "workload": 2, "supported": 4, "connection": 3, "satisfaction": 4}
    check_in(session, world.peer, on=world.today, answers=answers)
    with use_language("es"):
        check_in(session, world.other_peer, on=world.today, answers=answers)
    strains = {row.peer_id: row.strain for row in session.exec(select(PulseCheckin)).all()}
    assert strains[world.peer.id] == strains[world.other_peer.id] is not None
