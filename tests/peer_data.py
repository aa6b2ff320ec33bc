"""A peer's own records for tests, written through the peer's services so that they are stored as in use."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

import scoring
from console.wellness.assessments import submit_assessment
from console.wellness.checkins import submit_pulse
from db.models import User

PROQOL = "proqol-style-30"
STEADY_WEEK = {"energy": 3, "stress": 3, "sleep": 3, "workload": 3, "supported": 3, "connection": 3,
               "satisfaction": 3}
"""Strain 50: every rating in the middle."""
HARD_WEEK = {"energy": 1, "stress": 5, "sleep": 1, "workload": 1, "supported": 1, "connection": 1, "satisfaction": 1}
"""Strain 100."""


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def key() -> str:
    return uuid.uuid4().hex


def answers_for(scale_totals: Mapping[str, int], *, skip: tuple[int, ...] = ()) -> dict[int, int | None]:
    """ProQOL-style answers whose scales add up to `scale_totals` (10–50 each); `skip` leaves items blank."""
    instrument = scoring.load_instrument(PROQOL)
    answers: dict[int, int | None] = {}
    for name, total in scale_totals.items():
        items = [item for item in instrument.items if item.scale == name]
        base, extra = divmod(total, len(items))
        for position, item in enumerate(items):
            keyed = base + (1 if position < extra else 0)
            answers[item.number] = 6 - keyed if item.reverse else keyed
    return {number: None if number in skip else value for number, value in answers.items()}


def take_assessment(session, peer: User, *, on: date, burnout: int = 30, stress: int = 30,
                    satisfaction: int = 35, skip: tuple[int, ...] = ()):
    totals = {"burnout": burnout, "secondary_traumatic_stress": stress, "compassion_satisfaction": satisfaction}
    return submit_assessment(session, actor=peer, answers=answers_for(totals, skip=skip), idempotency_key=key(),
                             now=at(on))


def check_in(session, peer: User, *, on: date, answers: Mapping[str, int | None] = STEADY_WEEK, **fields):
    return submit_pulse(session, actor=peer, answers=answers, idempotency_key=key(), now=at(on), **fields)


def weekly_check_ins(session, peer: User, *, weeks: int, until: date, answers: Mapping[str, int | None] = STEADY_WEEK,
                     **fields) -> None:
    """One check-in a week for `weeks` weeks, the last in the week before `until`."""
    for weeks_ago in range(weeks, 0, -1):
        check_in(session, peer, on=until - timedelta(weeks=weeks_ago), answers=answers, **fields)
