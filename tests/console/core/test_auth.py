from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import Type, extract_parameters
from sqlmodel import select

import tests.conftest
from console.core.auth import (
    LOCKOUT,
    AccountLocked,
    SignInFailed,
    change_password,
    current_user,
    sign_in,
    sign_in_external,
    sign_in_failed,
)
from console.core.errors import ValidationError
from console.core.passwords import MIN_PASSWORD_LENGTH, password_problem, verify_password
from db.models import AuditEvent, User
from tests.conftest import TEST_PASSWORD, add_user

FAILURES_BEFORE_LOCK = 5
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
WRONG_PASSWORD = "not the right one at all"
NEW_PASSWORD = "a brand new passphrase"
PRODUCTION_HASH = tests.conftest._TEST_PASSWORD_HASH

pytestmark = pytest.mark.usefixtures("cheap_password_hashing")


def _actions(session, user_id: int) -> list[str]:
    return list(session.exec(select(AuditEvent.action).where(AuditEvent.subject_id == user_id)
                             .order_by(AuditEvent.id)).all())


def _fail(session, username: str, password: str, now: datetime = NOW) -> str:
    with pytest.raises(SignInFailed) as raised:
        sign_in(session, username=username, password=password, now=now)
    return str(raised.value)


def test_sign_in_with_the_right_password(session, world):
    user = sign_in(session, username="peer_bands", password=TEST_PASSWORD, now=NOW)
    assert user.id == world.peer.id
    assert user.last_login_at == NOW
    assert _actions(session, world.peer.id) == ["signed_in"]


def test_username_is_matched_without_regard_to_case_or_spaces(session, world):
    assert sign_in(session, username="  Peer_Bands ", password=TEST_PASSWORD, now=NOW).id == world.peer.id


def test_wrong_password_and_unknown_user_give_the_same_message(session, world):
    wrong_password = _fail(session, "peer_bands", WRONG_PASSWORD)
    unknown_user = _fail(session, "nobody_here", TEST_PASSWORD)
    assert wrong_password == unknown_user == sign_in_failed()
    assert "locked for 15 minutes" in sign_in_failed()
    assert _actions(session, world.peer.id) == ["sign_in_failed"]


def test_failures_lock_the_account_even_for_the_right_password_then_unlock(session, world):
    for attempt in range(FAILURES_BEFORE_LOCK):
        assert _fail(session, "peer_bands", WRONG_PASSWORD, NOW + timedelta(seconds=attempt)) == sign_in_failed()
    session.refresh(world.peer)
    assert world.peer.locked_until == NOW + timedelta(seconds=FAILURES_BEFORE_LOCK - 1) + LOCKOUT
    assert LOCKOUT == timedelta(minutes=15)

    assert _fail(session, "peer_bands", WRONG_PASSWORD, NOW + timedelta(minutes=14)) == sign_in_failed()
    with pytest.raises(AccountLocked) as locked:
        sign_in(session, username="peer_bands", password=TEST_PASSWORD, now=NOW + timedelta(minutes=14))
    assert str(locked.value) == ("This account is locked after repeated failed sign-ins until 09:15 UTC. "
                                 "Try again then.")

    unlocked = sign_in(session, username="peer_bands", password=TEST_PASSWORD, now=NOW + timedelta(minutes=16))
    assert unlocked.id == world.peer.id
    assert unlocked.locked_until is None
    assert unlocked.failed_attempts == 0
    assert _actions(session, world.peer.id) == [
        *["sign_in_failed"] * (FAILURES_BEFORE_LOCK - 1), "account_locked", "sign_in_refused_locked", "sign_in_refused_locked",
        "signed_in",
    ]


def test_four_failures_do_not_lock_and_a_success_resets_the_count(session, world):
    for _ in range(FAILURES_BEFORE_LOCK - 1):
        _fail(session, "peer_bands", WRONG_PASSWORD)
    sign_in(session, username="peer_bands", password=TEST_PASSWORD, now=NOW)
    _fail(session, "peer_bands", WRONG_PASSWORD)
    session.refresh(world.peer)
    assert world.peer.locked_until is None
    assert world.peer.failed_attempts == 1


def test_inactive_user_is_refused_with_the_same_message(session, world):
    world.peer.active = False
    session.add(world.peer)
    session.commit()
    assert _fail(session, "peer_bands", TEST_PASSWORD) == sign_in_failed()
    assert _actions(session, world.peer.id) == ["sign_in_refused_inactive"]
    assert current_user(session, user_id=world.peer.id) is None


def test_current_user_is_the_stored_active_account(session, world):
    assert current_user(session, user_id=world.peer.id).username == "peer_bands"
    assert current_user(session, user_id=999_999) is None


def test_short_new_password_is_refused_and_the_old_one_still_works(session, world):
    with pytest.raises(ValidationError) as raised:
        change_password(session, actor=world.peer, current_password=TEST_PASSWORD, new_password="x" * 5 + "y" * 6)
    assert "new_password" in raised.value.problems
    assert str(MIN_PASSWORD_LENGTH) in raised.value.problems["new_password"]
    session.refresh(world.peer)
    assert verify_password(world.peer.password_hash, TEST_PASSWORD)


def test_change_password_needs_the_current_password(session, world):
    with pytest.raises(ValidationError) as raised:
        change_password(session, actor=world.peer, current_password=WRONG_PASSWORD, new_password=NEW_PASSWORD)
    assert "current_password" in raised.value.problems


def test_new_password_must_differ_from_the_current_one(session, world):
    with pytest.raises(ValidationError) as raised:
        change_password(session, actor=world.peer, current_password=TEST_PASSWORD, new_password=TEST_PASSWORD)
    assert "new_password" in raised.value.problems


def test_change_password_clears_must_change_password(session, world):
    user = add_user(session, username="newcomer", roles="peer", program=world.program, must_change_password=True)
    session.commit()
    changed = change_password(session, actor=user, current_password=TEST_PASSWORD, new_password=NEW_PASSWORD)
    assert changed.must_change_password is False
    session.refresh(user)
    assert user.must_change_password is False
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert not verify_password(user.password_hash, TEST_PASSWORD)
    assert _actions(session, user.id) == ["password_changed"]


def test_no_password_or_hash_text_reaches_the_audit_log(session, world):
    user = add_user(session, username="audited", roles="peer", program=world.program)
    session.commit()
    for _ in range(FAILURES_BEFORE_LOCK):
        _fail(session, "audited", WRONG_PASSWORD)
    _fail(session, "audited", TEST_PASSWORD)
    _fail(session, "nobody_here", WRONG_PASSWORD)
    sign_in(session, username="audited", password=TEST_PASSWORD, now=NOW + LOCKOUT + timedelta(seconds=1))
    change_password(session, actor=user, current_password=TEST_PASSWORD, new_password=NEW_PASSWORD)

    hashes = {row for row in session.exec(select(User.password_hash)).all()}
    events = session.exec(select(AuditEvent)).all()
    assert len(events) >= FAILURES_BEFORE_LOCK + 2
    for event in events:
        text = " ".join(str(value) for value in (event.detail, event.action, event.resource_type, event.resource_id))
        for secret in (TEST_PASSWORD, WRONG_PASSWORD, NEW_PASSWORD, "$argon2", *hashes):
            assert secret not in text, event.action


def test_external_sign_in_matches_an_active_account_by_email(session, world):
    world.peer.email = "peer@example.org"
    session.add(world.peer)
    session.commit()
    assert sign_in_external(session, email=" Peer@Example.org ").id == world.peer.id
    with pytest.raises(SignInFailed):
        sign_in_external(session, email="stranger@example.org")
    world.peer.active = False
    session.add(world.peer)
    session.commit()
    with pytest.raises(SignInFailed):
        sign_in_external(session, email="peer@example.org")


def test_verify_password_for_an_unknown_user_is_false():
    assert verify_password(None, TEST_PASSWORD) is False
    assert verify_password(None, "a password nobody has, used to keep timing even") is False
    assert verify_password("not a hash", TEST_PASSWORD) is False


def test_password_policy():
    assert password_problem("short", username="someone")
    assert password_problem("someone.long.name", username="someone.long.name")
    assert password_problem("abababababababab", username="someone")
    assert password_problem("a" * (MIN_PASSWORD_LENGTH - 1), username="someone")
    assert password_problem(TEST_PASSWORD, username="someone") is None


def test_passwords_are_hashed_with_argon2id_at_full_cost():
    parameters = extract_parameters(PRODUCTION_HASH)
    assert parameters.type is Type.ID
    assert parameters.time_cost >= 2
    assert parameters.memory_cost >= 19 * 1024
