"""Input limits hold on both databases: over-long text, control characters, dates far out of range, too many
action items, fractional k and look-alike team names are refused with a message before anything is written."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import SQLModel, func, select

from console.admin.accounts import create_team, create_user
from console.core import input_limits
from console.core.auth import SignInFailed, sign_in
from console.core.errors import ValidationError
from console.core.program_settings import read_settings, write_settings
from console.supervision.sessions import MAX_ACTION_ITEMS, NewActionItem, record_session
from console.wellness.checkins import submit_pulse
from console.wellness.wellness_plans import save_plan
from db import models
from db.models import AuditEvent, PulseCheckin, SupervisionSession, Team, User, WellnessPlan
from tests.supervision_data import at, content

pytestmark = pytest.mark.usefixtures("cheap_password_hashing")

NUL = "\x00"


def count(session, model: type[SQLModel]) -> int:
    session.rollback()
    return session.exec(select(func.count()).select_from(model)).one()


def account(world, **overrides):
    values = dict(username="new.peer", display_name="New Peer", roles=["peer"], on=world.today, email="new.peer@example.org")
    values.update(overrides)
    return values


BAD_ACCOUNTS = [
    ("username", {"username": "a" * 5_000}),
    ("username", {"username": "new" + NUL + "peer"}),
    ("display_name", {"display_name": "N" * 5_000}),
    ("display_name", {"display_name": "New" + NUL + "Peer"}),
    ("display_name", {"display_name": "New\nPeer"}),
    ("display_name", {"display_name": "New \u202eReep"}),
    ("email", {"email": "x" * 400 + "@example.org"}),
    ("email", {"email": "new" + NUL + "@example.org"}),
]


@pytest.mark.parametrize(("field", "overrides"), BAD_ACCOUNTS)
def test_an_account_with_unacceptable_text_is_refused_and_nothing_written(session, world, field, overrides):
    before = count(session, User), count(session, AuditEvent)
    with pytest.raises(ValidationError) as refused:
        create_user(session, actor=world.admin, **account(world, **overrides))
    assert refused.value.problems.get(field)
    assert "$argon2" not in str(refused.value) and "INSERT" not in str(refused.value)
    assert (count(session, User), count(session, AuditEvent)) == before


@pytest.mark.parametrize(("name", "setting", "field"), [
    ("T" * 5_000, "", "name"),
    ("Court" + NUL, "", "name"),
    ("Court team", "s" * 5_000, "setting"),
    ("Court team", "jail" + NUL, "setting"),
])
def test_a_team_with_unacceptable_text_is_refused(session, world, name, setting, field):
    before = count(session, Team)
    with pytest.raises(ValidationError) as refused:
        create_team(session, actor=world.admin, program_id=world.program.id, name=name, setting=setting,
                    on=world.today)
    assert refused.value.problems.get(field)
    assert count(session, Team) == before


@pytest.mark.parametrize("second", [unicodedata.normalize("NFD", "Café"), "CAFÉ", " café "])
def test_look_alike_team_names_are_one_name(session, world, second):
    create_team(session, actor=world.admin, program_id=world.program.id,
                name=unicodedata.normalize("NFC", "Café"), setting="", on=world.today)
    before = count(session, Team)
    with pytest.raises(ValidationError, match="already exists") as refused:
        create_team(session, actor=world.admin, program_id=world.program.id, name=second, setting="", on=world.today)
    assert refused.value.problems.get("name")
    assert count(session, Team) == before


def test_a_team_name_is_stored_in_one_unicode_form(session, world):
    team = create_team(session, actor=world.admin, program_id=world.program.id,
                       name=unicodedata.normalize("NFD", "Équipe Café"), setting="", on=world.today)
    assert team.name == unicodedata.normalize("NFC", "Équipe Café")


@pytest.mark.parametrize("username", ["peer" + NUL + "bands", "p" * 100_000, "peer_bands\n"])
def test_sign_in_with_an_unacceptable_username_fails_with_the_generic_message(session, world, username):
    with pytest.raises(SignInFailed, match="Wrong username or password"):
        sign_in(session, username=username, password="whatever it is")


def test_sign_in_with_a_nul_in_the_password_fails_cleanly(session, world):
    with pytest.raises(SignInFailed):
        sign_in(session, username="peer_bands", password="correct" + NUL + "horse")


def _session_kwargs(world, *, held_on: date, items=()):
    return dict(actor=world.supervisor, kind="individual", attendee_ids=[world.peer.id],
                content=content(held_on, supportive=30, notes={"supportive": "Talked."}),
                action_items=items, idempotency_key=f"limits-{held_on}-{len(items)}", now=at(world.today, 15))


@pytest.mark.parametrize("held_on", [date(1, 1, 1), date(1999, 12, 31)])
def test_a_session_dated_far_in_the_past_is_refused(session, world, held_on):
    with pytest.raises(ValidationError) as refused:
        record_session(session, **_session_kwargs(world, held_on=held_on))
    assert "held_on" in refused.value.problems
    assert count(session, SupervisionSession) == 0


def test_an_action_item_due_far_in_the_future_is_refused(session, world):
    items = [NewActionItem(world.peer.id, "Book a debrief.", date(9999, 12, 31))]
    with pytest.raises(ValidationError) as refused:
        record_session(session, **_session_kwargs(world, held_on=world.today, items=items))
    assert "action_item_1" in refused.value.problems
    assert count(session, SupervisionSession) == 0


def test_more_action_items_than_the_form_allows_are_refused(session, world):
    items = [NewActionItem(world.peer.id, f"Item {n}", None) for n in range(MAX_ACTION_ITEMS + 1)]
    with pytest.raises(ValidationError, match=str(MAX_ACTION_ITEMS)) as refused:
        record_session(session, **_session_kwargs(world, held_on=world.today, items=items))
    assert "action_items" in refused.value.problems
    assert count(session, SupervisionSession) == 0


def test_an_action_item_with_a_control_character_is_refused(session, world):
    items = [NewActionItem(world.peer.id, "Book" + NUL, None)]
    with pytest.raises(ValidationError) as refused:
        record_session(session, **_session_kwargs(world, held_on=world.today, items=items))
    assert "action_item_1" in refused.value.problems


@pytest.mark.parametrize("k", [5.5, "5.5", "7.25", True, "seven"])
def test_a_fractional_or_non_numeric_k_is_refused(session, world, k):
    with pytest.raises(ValidationError) as refused:
        write_settings(session, actor=world.admin, changes={"anonymity_k": k}, on=world.today)
    assert "whole number" in refused.value.problems["anonymity_k"]
    assert read_settings(session).anonymity_k == 5


@pytest.mark.parametrize("k", [7, 7.0, "7", " 7 "])
def test_a_whole_k_is_accepted_however_it_is_written(session, world, k):
    assert write_settings(session, actor=world.admin, changes={"anonymity_k": k}, on=world.today).anonymity_k == 7


def test_a_check_in_note_with_a_nul_is_refused_and_line_breaks_are_kept(session, world):
    with pytest.raises(ValidationError) as refused:
        submit_pulse(session, actor=world.peer, answers={"energy": 3}, note="hard" + NUL, idempotency_key="k1")
    assert "note" in refused.value.problems
    assert count(session, PulseCheckin) == 0
    pulse = submit_pulse(session, actor=world.peer, answers={"energy": 3}, note="hard\nweek\ttoo",
                         idempotency_key="k2")
    assert pulse.note == "hard\nweek\ttoo"


def test_a_plan_section_with_a_control_character_is_refused(session, world):
    with pytest.raises(ValidationError) as refused:
        save_plan(session, actor=world.peer, sections={"what_helps": "walks\x1b[31m"}, shared=False)
    assert "what_helps" in refused.value.problems
    assert count(session, WellnessPlan) == 0


def test_a_support_contact_with_a_control_character_is_refused(session, world):
    with pytest.raises(ValidationError) as refused:
        write_settings(session, actor=world.admin, changes={"support_contact": "Call\x07 EAP"}, on=world.today)
    assert "support_contact" in refused.value.problems


LIMITED_COLUMNS = [
    (input_limits.PROGRAM_NAME, models.Program, "name"),
    (input_limits.USERNAME, models.User, "username"),
    (input_limits.DISPLAY_NAME, models.User, "display_name"),
    (input_limits.EMAIL, models.User, "email"),
    (input_limits.TEAM_NAME, models.Team, "name"),
    (input_limits.TEAM_SETTING, models.Team, "setting"),
    (input_limits.SUPPORT_CONTACT, models.Setting, "value"),
    (input_limits.INSTRUMENTS_FOLDER, models.Setting, "value"),
    (input_limits.INSTRUMENT_ID, models.Setting, "value"),
]


@pytest.mark.parametrize(("field", "model", "column"), LIMITED_COLUMNS, ids=lambda value: getattr(value, "label", ""))
def test_every_limit_fits_its_column(field, model, column):
    assert field.limit <= model.__table__.columns[column].type.length


@given(st.text(max_size=200))
def test_accepted_single_line_text_has_no_control_characters(text):
    if input_limits.text_problem(text, input_limits.DISPLAY_NAME) is None:
        assert len(text) <= input_limits.DISPLAY_NAME.limit
        assert not any(unicodedata.category(character) in ("Cc", "Cs", "Zl", "Zp") for character in text)


@given(st.text(max_size=50), st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=20))
def test_look_alike_names_compare_equal(text, ascii_text):
    assert input_limits.comparable(unicodedata.normalize("NFD", text)) == input_limits.comparable(
        unicodedata.normalize("NFC", text))
    assert input_limits.comparable(ascii_text.upper()) == input_limits.comparable(ascii_text)
