"""Sets of tags (roles, supervision functions, session activities, checklists) are stored in one form,
refused when a tag could be mistaken for two, and matched exactly in SQL."""

from __future__ import annotations

import uuid
from itertools import combinations

import pytest
from sqlalchemy import text
from sqlmodel import select

from db.columns import has_tag, sets_with_tag, tags_from_text, tags_text
from db.models import ROLES, Program, User


def test_a_set_is_stored_sorted_and_read_back_whole():
    assert tags_text({"supervisor", "peer", "lead"}) == "lead,peer,supervisor"
    assert tags_text(frozenset()) == ""
    assert tags_from_text(tags_text({"b", "a"})) == {"a", "b"}
    assert tags_from_text("") == frozenset()


@pytest.mark.parametrize("tags", [{"peer,lead"}, {""}, {" peer"}, {"peer "}])
def test_a_tag_that_could_read_as_another_is_refused(tags):
    with pytest.raises(ValueError, match="tag"):
        tags_text(tags)


def test_a_string_is_not_taken_for_a_set_of_its_letters():
    with pytest.raises(TypeError):
        tags_text("peer")


def test_every_set_holding_the_tag_is_matched_and_no_other():
    found = sets_with_tag("peer", vocabulary=ROLES)
    every_set = [frozenset(chosen) for size in range(1, len(ROLES) + 1) for chosen in combinations(ROLES, size)]
    assert sorted(map(sorted, found)) == sorted(sorted(roles) for roles in every_set if "peer" in roles)


def test_roles_are_stored_sorted_and_matched_exactly(session):
    program = Program(name=f"Tags {uuid.uuid4().hex[:6]}")
    session.add(program)
    session.flush()
    people = {
        name: User(program_id=program.id, username=f"{name}_{uuid.uuid4().hex[:6]}", display_name=name,
                   roles=roles, password_hash="-")
        for name, roles in {"both": frozenset({"supervisor", "peer"}), "lead": frozenset({"lead"}),
                            "peer": frozenset({"peer"})}.items()
    }
    session.add_all(people.values())
    session.commit()
    stored = session.execute(text('SELECT roles FROM "user" WHERE id = :id'), {"id": people["both"].id}).scalar_one()
    assert stored == "peer,supervisor"
    session.expire_all()
    assert session.get(User, people["both"].id).roles == {"peer", "supervisor"}
    matched = set(session.exec(select(User.display_name).where(
        User.program_id == program.id, has_tag(User.roles, "peer", vocabulary=ROLES))).all())
    assert matched == {"both", "peer"}
