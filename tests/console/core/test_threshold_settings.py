"""Thresholds and windows as program settings: validated, read back, used by the flags, and documented.

In the manner of datasette's documentation tests, a setting that exists in code but not in the README's settings
table, in docs/scoring.md or on the admin page fails here.
"""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

import scoring
from console.core.errors import ValidationError
from console.core.program_settings import THRESHOLD_SETTINGS, ProgramSettings, read_settings, write_settings
from db.models import Setting

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text()
SCORING_DOC = (ROOT / "docs" / "scoring.md").read_text()
BY_NAME = {setting.name: setting for setting in THRESHOLD_SETTINGS}
WEEKS = [date(2026, 1, 5) + timedelta(weeks=week) for week in range(10)]


def _readme_settings() -> dict[str, str]:
    """Name → default from the README's program settings table."""
    table = README.split("Program settings live in the database", 1)[1].split("\n\n", 2)[1]
    return dict(re.findall(r"^\| `(\w+)` \| ([^|]+?) \|", table, flags=re.MULTILINE))


def test_every_program_setting_is_in_the_readme_with_its_default():
    documented = _readme_settings()
    assert set(documented) == {field.name for field in fields(ProgramSettings)}
    for setting in THRESHOLD_SETTINGS:
        assert documented[setting.name] == f"{getattr(ProgramSettings(), setting.name):g}", setting.name


def test_every_threshold_setting_is_explained_in_docs_scoring():
    for setting in THRESHOLD_SETTINGS:
        assert f"`{setting.name}`" in SCORING_DOC, setting.name


def test_every_flag_threshold_is_a_program_setting():
    """Each FlagSettings field is a program setting of the same name, or a scoring rule the docs name as such."""
    scoring_rules = {"debrief_exposures"}
    for field in fields(scoring.FlagSettings):
        assert field.name in BY_NAME or field.name in scoring_rules, field.name
    assert "`debrief_exposures`) is a scoring rule" in SCORING_DOC


def test_flag_settings_are_built_from_the_program_settings(session, world):
    write_settings(session, actor=world.admin, on=world.today, changes={
        "checkin_overdue_days": 5, "strain_mad_floor": "2.5", "strain_rise_per_week": 3, "caseload_rising_weeks": 2,
    })
    flags = read_settings(session).flags
    assert (flags.checkin_overdue_days, flags.strain_mad_floor, flags.strain_rise_per_week,
            flags.caseload_rising_weeks) == (5, 2.5, 3.0, 2)
    assert flags.strain.mad_floor == 2.5 and flags.strain.rise_per_week == 3.0
    assert ProgramSettings().flags == scoring.FlagSettings()


@pytest.mark.parametrize("setting", THRESHOLD_SETTINGS, ids=lambda setting: setting.name)
def test_a_threshold_outside_its_range_is_refused_and_nothing_is_written(session, world, setting):
    for value in (setting.minimum - 1, setting.maximum + 1):
        with pytest.raises(ValidationError) as raised:
            write_settings(session, actor=world.admin, changes={"anonymity_k": 9, setting.name: value},
                           on=world.today)
        assert f"from {setting.minimum:g} to {setting.maximum:g}" in raised.value.problems[setting.name]
        session.rollback()
        assert session.exec(select(Setting)).all() == []


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"caseload_guideline_min": 31}, "caseload_guideline_min", "cannot be above caseload guideline, top (30)"),
    ({"strain_min_points": 9}, "strain_min_points", "cannot be above recent usual range"),
    ({"strain_trend_min_points": 9}, "strain_trend_min_points", "cannot be above sustained rise"),
    ({"strain_mad_floor": "lots"}, "strain_mad_floor", "enter a number"),
    ({"supervision_gap_days": "two weeks"}, "supervision_gap_days", "enter a whole number"),
])
def test_thresholds_that_contradict_each_other_or_are_not_numbers_are_refused(session, world, changes, field, message):
    with pytest.raises(ValidationError) as raised:
        write_settings(session, actor=world.admin, changes=changes, on=world.today)
    assert message in raised.value.problems[field]


@given(st.fixed_dictionaries({setting.name: (st.integers(int(setting.minimum), int(setting.maximum))
                                             if setting.whole else
                                             st.floats(setting.minimum, setting.maximum, allow_nan=False))
                              for setting in THRESHOLD_SETTINGS}))
def test_any_accepted_settings_give_usable_flag_settings(values):
    chosen = ProgramSettings(**values)
    if chosen.problems():
        return
    strains = [30.0, 34.0, 32.0, 38.0, 36.0, 42.0, 40.0, 46.0, 44.0, 50.0]
    pulses = [scoring.PulseInput(day, day, strain, caseload=20 + week)
              for week, (day, strain) in enumerate(zip(WEEKS, strains, strict=True))]
    scoring.supervision_flags(today=WEEKS[-1], assessments=[], pulses=pulses, sessions=[], action_items=[],
                              settings=chosen.flags)
