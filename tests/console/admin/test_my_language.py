import pytest

from console.admin.accounts import choose_my_language
from console.core.errors import PermissionDenied, ValidationError


def test_a_person_sets_and_clears_their_own_language(session, world):
    assert choose_my_language(session, actor=world.peer, language="es").language == "es"
    assert choose_my_language(session, actor=world.peer, language=None).language is None


def test_a_language_the_console_does_not_speak_is_refused_beside_the_field(session, world):
    with pytest.raises(ValidationError) as refused:
        choose_my_language(session, actor=world.peer, language="xx")
    assert "language" in refused.value.problems


def test_an_inactive_account_cannot_change_its_language(session, world):
    world.peer.active = False
    session.add(world.peer)
    session.commit()
    with pytest.raises(PermissionDenied):
        choose_my_language(session, actor=world.peer, language="es")
