"""Sign-in under parallel attempts: every failure counts and a lock holds, on SQLite and PostgreSQL.

Each attempt runs in its own thread with its own database session, and a barrier holds every thread
inside the (slow) password check until all of them are there, so the attempts overlap exactly where a
read-then-write counter would lose updates.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import select

from console.core import auth
from console.core.auth import MAX_FAILED_ATTEMPTS, AccountLocked, SignInFailed, sign_in, sign_in_failed
from db.engine import session_scope
from db.models import AuditEvent, User
from tests.conftest import TEST_PASSWORD

WRONG_PASSWORD = "not the right one at all"

pytestmark = pytest.mark.usefixtures("cheap_password_hashing")


def _overlapping_attempts(engine, monkeypatch, passwords: list[str], *, username: str = "peer_bands") -> list[str]:
    """Run one sign-in per password in parallel; each outcome is "ok" or the message shown."""
    barrier = threading.Barrier(len(passwords), timeout=30)
    real_verify = auth.verify_password

    def verify_together(password_hash, password):
        barrier.wait()
        return real_verify(password_hash, password)

    monkeypatch.setattr(auth, "verify_password", verify_together)

    def attempt(password: str) -> str:
        with session_scope(engine) as session:
            try:
                sign_in(session, username=username, password=password)
            except SignInFailed as failure:
                return str(failure)
            return "ok"

    with ThreadPoolExecutor(max_workers=len(passwords)) as pool:
        outcomes = list(pool.map(attempt, passwords))
    monkeypatch.setattr(auth, "verify_password", real_verify)
    return outcomes


def _actions(session, user_id: int) -> list[str]:
    session.expire_all()
    return sorted(session.exec(select(AuditEvent.action).where(AuditEvent.subject_id == user_id)).all())


@pytest.mark.parametrize("parallel", [MAX_FAILED_ATTEMPTS, 10])
def test_parallel_wrong_passwords_all_count_and_lock_the_account(engine, session, world, monkeypatch, parallel):
    outcomes = _overlapping_attempts(engine, monkeypatch, [WRONG_PASSWORD] * parallel)

    assert outcomes == [sign_in_failed()] * parallel
    session.expire_all()
    stored = session.get(User, world.peer.id)
    assert stored.locked_until is not None
    assert _actions(session, world.peer.id) == sorted(
        ["sign_in_failed"] * (MAX_FAILED_ATTEMPTS - 1) + ["account_locked"]
        + ["sign_in_refused_locked"] * (parallel - MAX_FAILED_ATTEMPTS)
    )
    with pytest.raises(AccountLocked):
        sign_in(session, username="peer_bands", password=TEST_PASSWORD)


def test_the_right_password_in_parallel_with_a_locking_burst_never_gets_in_after_the_lock(engine, session, world,
                                                                                       monkeypatch):
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(SignInFailed):
            sign_in(session, username="peer_bands", password=WRONG_PASSWORD)
    outcomes = _overlapping_attempts(engine, monkeypatch, [WRONG_PASSWORD] * 9 + [TEST_PASSWORD])

    session.expire_all()
    stored = session.get(User, world.peer.id)
    if outcomes[-1] == "ok":
        # The right password was admitted before the fifth failure: the burst started counting afresh.
        assert stored.last_login_at is not None and stored.failed_attempts <= 9
    else:
        assert outcomes[-1].startswith("This account is locked")
        assert stored.locked_until is not None
    assert outcomes[:9].count(sign_in_failed()) == 9


def test_parallel_guesses_at_unknown_and_locked_accounts_say_the_same_thing(engine, session, world, monkeypatch):
    outcomes = _overlapping_attempts(engine, monkeypatch, [WRONG_PASSWORD] * 6)
    assert set(outcomes) == {sign_in_failed()}
    unknown = _overlapping_attempts(engine, monkeypatch, [WRONG_PASSWORD, TEST_PASSWORD], username="nobody_here")
    assert set(unknown) == {sign_in_failed()}
    assert "locked" in sign_in_failed()


def test_the_lock_ends_after_fifteen_minutes_and_counting_starts_again(engine, session, world, monkeypatch):
    _overlapping_attempts(engine, monkeypatch, [WRONG_PASSWORD] * 10)
    session.expire_all()
    locked_until = session.get(User, world.peer.id).locked_until
    assert sign_in(session, username="peer_bands", password=TEST_PASSWORD,
                   now=locked_until + timedelta(seconds=1)).failed_attempts == 0
