"""The ethics self-check: private until shared, never scored, never seen by program leads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from console.core.errors import PermissionDenied, ValidationError
from console.fieldwork import ethics
from console.policy.access import Action, allowed
from db.models import EthicsNote

ROOT = Path(__file__).resolve().parents[3]
NOTE = "I gave a ride home and felt unsure about it"


def test_the_checklist_has_the_three_areas_of_appendix_g_with_distinct_statements():
    assert [section.area for section in ethics.CHECKLIST] == ["self", "interpersonal", "group_organization"]
    assert all(4 <= len(section.statements) <= 6 for section in ethics.CHECKLIST)
    assert len(ethics.STATEMENTS) == sum(len(section.statements) for section in ethics.CHECKLIST)


def test_noted_items_stay_private_until_the_peer_shares_them(session, world):
    ethics.note_items(session, actor=world.peer, notes={"interpersonal_boundaries": NOTE, "self_role": ""},
                      share=False)
    assert ethics.shared_for_prep(session, actor=world.supervisor) == {}
    items = ethics.my_ethics_items(session, actor=world.peer)
    assert [(item.area, item.note, item.shared) for item in items] == [
        ("interpersonal", NOTE, False), ("self", "", False)]

    ethics.set_shared(session, actor=world.peer, item_id=items[0].id, shared=True)
    shared = ethics.shared_for_prep(session, actor=world.supervisor)
    assert [(item.area, item.note) for item in shared[world.peer.id]] == [("interpersonal", NOTE)]
    assert ethics.shared_for_prep(session, actor=world.admin_supervisor) == {}, "administrative-only supervision"
    assert ethics.shared_for_prep(session, actor=world.other_supervisor) == {}

    ethics.set_aside(session, actor=world.peer, item_id=items[0].id)
    assert ethics.shared_for_prep(session, actor=world.supervisor) == {}
    assert [item.statement for item in ethics.my_ethics_items(session, actor=world.peer)] == [
        ethics.STATEMENTS["self_role"][1].text]


def test_noting_an_open_item_again_updates_it(session, world):
    ethics.note_items(session, actor=world.peer, notes={"group_dual": "first"}, share=False)
    ethics.note_items(session, actor=world.peer, notes={"group_dual": "second"}, share=True)
    assert [(item.note, item.shared) for item in ethics.my_ethics_items(session, actor=world.peer)] == [
        ("second", True)]


@pytest.mark.parametrize(("notes", "field"), [
    ({}, "items"), ({"made_up": ""}, "items"), ({"self_role": "x" * 2001}, "note_self_role"),
])
def test_a_bad_submission_says_what_to_fix_and_saves_nothing(session, world, notes, field):
    with pytest.raises(ValidationError) as refused:
        ethics.note_items(session, actor=world.peer, notes=notes, share=True)
    assert field in refused.value.problems
    assert session.exec(select(EthicsNote)).all() == []


def test_only_the_peer_notes_and_changes_their_items(session, world):
    ethics.note_items(session, actor=world.peer, notes={"self_role": ""}, share=True)
    item_id = ethics.my_ethics_items(session, actor=world.peer)[0].id
    for actor in (world.supervisor, world.lead, world.admin, world.other_peer):
        with pytest.raises(PermissionDenied):
            ethics.set_shared(session, actor=actor, item_id=item_id, shared=False)
        with pytest.raises(PermissionDenied):
            ethics.set_aside(session, actor=actor, item_id=item_id)
    for actor in (world.supervisor, world.lead, world.admin):
        with pytest.raises(PermissionDenied):
            ethics.note_items(session, actor=actor, notes={"self_role": ""}, share=True)


def test_a_program_lead_never_sees_ethics_items(session, world):
    ethics.note_items(session, actor=world.peer, notes={"self_role": NOTE}, share=True)
    for peer in (world.peer, world.peer_scores, world.peer_completion, world.other_peer):
        assert not allowed(session, actor=world.lead, action=Action.VIEW_SHARED_ETHICS, subject_id=peer.id)
    with pytest.raises(PermissionDenied):
        ethics.shared_for_prep(session, actor=world.lead)


def test_ethics_notes_are_read_by_the_ethics_service_alone_and_never_scored():
    readers = sorted(str(path.relative_to(ROOT)) for folder in ("console", "app_pages", "scoring", "db")
                     for path in (ROOT / folder).rglob("*.py")
                     if "migrations" not in str(path) and re.search(r"\bEthicsNote\b", path.read_text()))
    assert readers == ["console/fieldwork/ethics.py", "db/models.py"]
    assert not any("ethics" in path.read_text() for path in (ROOT / "scoring").rglob("*.py"))
    lead_modules = ["console/program/wellness_figures.py", "console/program/workload_figures.py",
                    "console/program/coverage_figures.py",
                    "console/program/reports.py", "console/web/lead_charts.py"]
    assert not any(re.search(r"\bethics\b", (ROOT / module).read_text()) for module in lead_modules)


def test_notes_are_encrypted_at_rest(session, world):
    ethics.note_items(session, actor=world.peer, notes={"self_role": NOTE}, share=False)
    with session.get_bind().connect() as connection:
        item, note = connection.execute(text("SELECT item, note FROM ethicsnote")).one()
    assert "self_role" not in item and "ride home" not in note


def test_a_note_that_names_or_locates_a_person_served_is_held_back_until_the_peer_confirms_it(session, world):
    note = "Mr Jones at 12 Elm Road asked me for money."
    with pytest.raises(ValidationError) as refused:
        ethics.note_items(session, actor=world.peer, notes={"self_role": note}, share=True)
    assert "identify the person you served" in refused.value.problems["note_self_role"]
    assert ethics.my_ethics_items(session, actor=world.peer) == []
    ethics.note_items(session, actor=world.peer, notes={"self_role": note}, share=True, identifiers_confirmed=True)
    assert [item.note for item in ethics.my_ethics_items(session, actor=world.peer)] == [note]
