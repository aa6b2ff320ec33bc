"""One idempotency rule for every form-backed service, raced by concurrent submitters.

Each submitter runs in its own thread with its own session (its own database
connection). The lookup of the key is held at a barrier until every submitter
has made it, so all of them reach the insert: the race is forced, not hoped for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from console.core import idempotency
from console.core.errors import ValidationError
from console.supervision import sessions
from console.supervision.sessions import commands as session_commands
from console.wellness import assessments, checkins
from console.wellness.checkins import WeekAlreadyRecorded
from db.engine import session_scope
from db.models import Assessment, PulseCheckin, SupervisionSession, User
from tests.peer_data import answers_for, at
from tests.supervision_data import content

SUBMITTERS = 4
PULSE_ANSWERS = {"energy": 2, "stress": 4, "sleep": 3, "workload": 2, "supported": 4, "connection": 3,
                 "satisfaction": 4}


def _race(engine, monkeypatch, module, submit: Callable[[Session, int], object]) -> list[object]:
    """Run `submit(session, n)` in SUBMITTERS threads whose key lookups all finish before any insert."""
    barrier = threading.Barrier(SUBMITTERS, timeout=30)
    lookup = idempotency.stored_submission

    def held_lookup(*args, **kwargs):
        found = lookup(*args, **kwargs)
        barrier.wait()
        return found

    monkeypatch.setattr(module, "stored_submission", held_lookup)
    outcomes: list[object] = [None] * SUBMITTERS

    def run(n: int) -> None:
        with session_scope(engine) as own:
            try:
                outcomes[n] = submit(own, n)
            except Exception as error:  # noqa: BLE001 - the outcome under test
                outcomes[n] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(SUBMITTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _count(session: Session, model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return session.exec(query).one()


def test_a_check_in_submitted_at_once_from_several_windows_is_stored_once(session, world, engine, monkeypatch):
    now = at(world.today, 9)

    def submit(own: Session, _: int):
        return checkins.submit_pulse(own, actor=own.get(User, world.peer.id), answers=PULSE_ANSWERS,
                                     idempotency_key="same-render", now=now)

    outcomes = _race(engine, monkeypatch, checkins, submit)
    assert all(isinstance(outcome, PulseCheckin) for outcome in outcomes), outcomes
    assert len({outcome.id for outcome in outcomes}) == 1
    assert _count(session, PulseCheckin, peer_id=world.peer.id) == 1


def test_check_ins_of_the_same_week_under_different_keys_ask_replace_or_keep(session, world, engine, monkeypatch):
    now = at(world.today, 9)

    def submit(own: Session, n: int):
        return checkins.submit_pulse(own, actor=own.get(User, world.peer.id), answers=PULSE_ANSWERS,
                                     idempotency_key=f"render-{n}", now=now)

    outcomes = _race(engine, monkeypatch, checkins, submit)
    stored = [outcome for outcome in outcomes if isinstance(outcome, PulseCheckin)]
    assert len(stored) == 1
    assert all(isinstance(outcome, WeekAlreadyRecorded) for outcome in outcomes if outcome not in stored), outcomes
    assert _count(session, PulseCheckin, peer_id=world.peer.id) == 1


def test_an_assessment_submitted_twice_at_once_returns_the_one_stored(session, world, engine, monkeypatch):
    answers = answers_for({"burnout": 30, "secondary_traumatic_stress": 25, "compassion_satisfaction": 40})
    now = at(world.today, 10)

    def submit(own: Session, _: int):
        return assessments.submit_assessment(own, actor=own.get(User, world.peer.id), answers=answers,
                                             idempotency_key="same-render", now=now)

    outcomes = _race(engine, monkeypatch, assessments, submit)
    assert all(isinstance(outcome, assessments.AssessmentResult) for outcome in outcomes), outcomes
    assert len({outcome.assessment_id for outcome in outcomes}) == 1
    assert _count(session, Assessment, peer_id=world.peer.id) == 1


def test_a_session_recorded_twice_at_once_returns_the_one_stored(session, world, engine, monkeypatch):
    body = content(world.today - timedelta(days=1), administrative=10, supportive=30, duration=45)

    def submit(own: Session, _: int):
        return sessions.record_session(own, actor=own.get(User, world.supervisor.id), kind="individual",
                                       attendee_ids=[world.peer.id], content=body, idempotency_key="same-render",
                                       now=at(world.today, 15))

    outcomes = _race(engine, monkeypatch, session_commands, submit)
    assert all(isinstance(outcome, sessions.SessionRecord) for outcome in outcomes), outcomes
    assert len({outcome.summary.id for outcome in outcomes}) == 1
    assert _count(session, SupervisionSession, supervisor_id=world.supervisor.id) == 1


@pytest.mark.parametrize("bad_key", ["", "x" * 65])
def test_a_missing_or_overlong_key_is_an_expired_form(session, world, bad_key):
    with pytest.raises(ValidationError, match="The form expired"):
        idempotency.stored_submission(session, PulseCheckin, key=bad_key, owner="peer_id", owner_id=world.peer.id)


def test_a_key_stored_by_someone_else_is_an_expired_form(session, world):
    checkins.submit_pulse(session, actor=world.peer, answers=PULSE_ANSWERS, idempotency_key="shared",
                          now=at(world.today, 9))
    with pytest.raises(ValidationError, match="The form expired"):
        checkins.submit_pulse(session, actor=world.peer_scores, answers=PULSE_ANSWERS, idempotency_key="shared",
                              now=at(world.today, 9))
