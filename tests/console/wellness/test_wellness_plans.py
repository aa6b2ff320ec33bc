from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from console.core.errors import NotFound, PermissionDenied, ValidationError
from console.supervision.shared_view import view_for_supervisor
from console.wellness.wellness_plans import MAX_SECTION_LENGTH, SECTION_KEYS, my_plan, my_plan_versions, printable, save_plan
from db.models import AuditEvent, WellnessPlan
from tests.peer_data import at

FIRST = {"warning_signs": "I stop answering texts.", "what_helps": "A walk by the river after a call."}


def _save(session, peer, sections, *, shared=False, day=None):
    return save_plan(session, actor=peer, sections=sections, shared=shared, now=at(day) if day else None)


def _actions(session) -> list[str]:
    return session.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_saving_changed_text_adds_an_encrypted_version(session, world):
    first = _save(session, world.peer, FIRST, day=world.today - timedelta(days=3))
    second = _save(session, world.peer, {**FIRST, "commitments": "  Two evenings off.  "}, day=world.today)
    assert (first.version, second.version) == (1, 2)
    assert second.sections["commitments"] == "Two evenings off."
    assert set(second.sections) == set(SECTION_KEYS)
    assert [version.version for version in my_plan_versions(session, actor=world.peer)] == [2, 1]
    assert my_plan(session, actor=world.peer, version=1).sections["commitments"] == ""
    raw = session.execute(text("SELECT sections FROM wellnessplan")).scalars().all()
    assert all(value.startswith("gAAAAA") and "river" not in value for value in raw)
    assert _actions(session) == ["wellness_plan_saved", "wellness_plan_saved"]


def test_saving_the_same_plan_again_writes_nothing(session, world):
    _save(session, world.peer, FIRST)
    again = _save(session, world.peer, FIRST)
    assert again.version == 1
    assert len(session.exec(select(WellnessPlan)).all()) == 1
    assert _actions(session) == ["wellness_plan_saved"]


def test_sharing_alone_switches_the_newest_version_and_reaches_the_supervisor_at_once(session, world):
    _save(session, world.peer, FIRST)
    assert view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today).shared_plan \
        is None
    shared = _save(session, world.peer, FIRST, shared=True)
    assert (shared.version, shared.shared) == (1, True)
    seen = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today).shared_plan
    assert seen["what_helps"] == "A walk by the river after a call."
    _save(session, world.peer, FIRST, shared=False)
    assert view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today).shared_plan \
        is None
    assert view_for_supervisor(session, actor=world.admin_supervisor, peer_id=world.peer.id,
                               on=world.today).shared_plan is None
    assert "wellness_plan_shared" in _actions(session) and "wellness_plan_unshared" in _actions(session)


@pytest.mark.parametrize(("sections", "field"), [
    ({"warning_signs": "x" * (MAX_SECTION_LENGTH + 1)}, "warning_signs"),
    ({"diary": "secret"}, "diary"),
    ({"what_helps": 42}, "what_helps"),
    ({}, "sections"),
    ({"what_helps": "   "}, "sections"),
])
def test_bad_plans_are_refused_with_the_section_named(session, world, sections, field):
    with pytest.raises(ValidationError) as refused:
        _save(session, world.peer, sections)
    assert field in refused.value.problems
    session.rollback()
    assert session.exec(select(WellnessPlan)).all() == []


def test_the_longest_section_is_kept_whole(session, world):
    long_text = "I notice " * (MAX_SECTION_LENGTH // 9)
    saved = _save(session, world.peer, {"warning_signs": long_text})
    assert saved.sections["warning_signs"] == long_text.strip()


def test_a_peer_reaches_only_their_own_plan(session, world):
    _save(session, world.peer, FIRST)
    assert my_plan(session, actor=world.other_peer) is None
    assert my_plan_versions(session, actor=world.other_peer) == []
    with pytest.raises(NotFound):
        my_plan(session, actor=world.other_peer, version=1)
    for actor in (world.supervisor, world.lead, world.admin):
        with pytest.raises(PermissionDenied):
            my_plan(session, actor=actor)


def test_printable_plan_lists_every_section_title(session, world):
    plan = _save(session, world.peer, FIRST)
    page = printable(plan)
    assert "My early warning signs" in page and "What I want my supervisor to know" in page
    assert "A walk by the river after a call." in page and "(empty)" in page
