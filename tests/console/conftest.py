from __future__ import annotations

import pytest
from argon2 import PasswordHasher

import tests.conftest
from console.core import passwords


@pytest.fixture
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> PasswordHasher:
    """Argon2id at its lowest cost, for tests about sign-in rules rather than hashing strength."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", cheap.hash("a password nobody has, used to keep timing even"))
    monkeypatch.setattr(tests.conftest, "_TEST_PASSWORD_HASH", cheap.hash(tests.conftest.TEST_PASSWORD))
    return cheap
