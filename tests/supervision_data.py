"""Rows for supervision tests: check-ins, self-assessments and sessions with values no view may leak.

The raw scores and weekly strains below are deliberately odd numbers, so a test
can search any rendered text or chart for them: a view below `scores` must not
contain one of them anywhere.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from console.core.dates import week_start
from console.supervision.sessions import SessionContent
from db.models import (
    BAND_CODES,
    ActionItem,
    Assessment,
    AssessmentScore,
    PulseCheckin,
    ReachOutRequest,
    SessionAttendee,
    SupervisionSession,
    User,
)

RAW_SCORES = {"burnout": 43.7, "compassion_satisfaction": 21.3, "secondary_traumatic_stress": 37.9}
EARLIER_SCORES = {"burnout": 24.1, "compassion_satisfaction": 38.3, "secondary_traumatic_stress": 23.9}
WEEKLY_STRAINS = (61.7, 66.6, 71.3)
RAW_NUMBERS = ("43.7", "21.3", "37.9", "24.1", "38.3", "23.9", "61.7", "66.6", "71.3")
SHARED_NOTE = "Hard week at the courthouse, would like to talk."
PRIVATE_NOTE = "Not for anyone else to read."
PRIVATE_REFLECTION = "My own doubts about how I handled this."


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _band(raw: float) -> int:
    if raw <= 22:
        return BAND_CODES["low"]
    return BAND_CODES["high"] if raw >= 42 else BAND_CODES["moderate"]


def add_assessment(session: Session, peer: User, *, taken_on: date, raw: dict[str, float]) -> None:
    assessment = Assessment(peer_id=peer.id, instrument_id="proqol-style-30", instrument_version="1",
                            taken_at=at(taken_on), answers={}, idempotency_key=uuid.uuid4().hex)
    session.add(assessment)
    session.flush()
    session.add_all(
        AssessmentScore(assessment_id=assessment.id, scale=scale, peer_id=peer.id, taken_at=at(taken_on), raw=value,
                        band=_band(value), answered=10)
        for scale, value in raw.items()
    )


def add_pulse(session: Session, peer: User, *, taken_on: date, strain: float | None = 50.0,
              exposures: Sequence[str] = (), caseload: int | None = 24, note: str | None = None,
              note_shared: bool = False, wants_to_talk: bool = False) -> None:
    iso = taken_on.isocalendar()
    session.add(PulseCheckin(
        peer_id=peer.id, iso_year=iso.year, iso_week=iso.week, week_start=week_start(taken_on), taken_at=at(taken_on),
        answers={"energy": 3}, strain=strain, exposures=",".join(exposures),
        caseload=caseload, hours=38.5, note=note, note_shared=note_shared, wants_to_talk=wants_to_talk,
        idempotency_key=uuid.uuid4().hex,
    ))


def add_wellness_history(session: Session, peer: User, *, today: date) -> None:
    """Two self-assessments and three weekly check-ins, the last with a shared note and an overdose scene."""
    add_assessment(session, peer, taken_on=today - timedelta(days=40), raw=EARLIER_SCORES)
    add_assessment(session, peer, taken_on=today - timedelta(days=5), raw=RAW_SCORES)
    for weeks_ago, strain in zip((2, 1, 0), WEEKLY_STRAINS, strict=True):
        last = weeks_ago == 0
        add_pulse(session, peer, taken_on=today - timedelta(weeks=weeks_ago), strain=strain,
                  caseload=33 if last else 27, exposures=("overdose_scene",) if last else (),
                  note=SHARED_NOTE if last else PRIVATE_NOTE, note_shared=last)
    session.commit()


def add_session_row(session: Session, supervisor: User, attendees: Sequence[User], *, held_on: date,
                    minutes: tuple[int, int, int] = (10, 20, 30), notes: str = "Session notes.",
                    private_reflection: str | None = None, created_at: datetime | None = None) -> SupervisionSession:
    administrative, educational, supportive = minutes
    row = SupervisionSession(
        supervisor_id=supervisor.id, held_on=held_on, kind="group" if len(attendees) > 1 else "individual",
        duration_minutes=sum(minutes), minutes_administrative=administrative, minutes_educational=educational,
        minutes_supportive=supportive, notes_administrative=notes if administrative else None,
        notes_educational=notes if educational else None, notes_supportive=notes if supportive else None,
        private_reflection=private_reflection, created_at=created_at or at(held_on, 17),
        updated_at=created_at or at(held_on, 17), idempotency_key=uuid.uuid4().hex,
    )
    session.add(row)
    session.flush()
    session.add_all(SessionAttendee(session_id=row.id, peer_id=attendee.id) for attendee in attendees)
    session.commit()
    return row


def add_action_item(session: Session, row: SupervisionSession, owner: User, *, text: str, due_on: date | None
                    ) -> ActionItem:
    item = ActionItem(session_id=row.id, owner_id=owner.id, text=text, due_on=due_on, created_at=row.created_at)
    session.add(item)
    session.commit()
    return item


def add_reach_out(session: Session, peer: User, *, on: date) -> ReachOutRequest:
    request = ReachOutRequest(peer_id=peer.id, created_at=at(on, 9))
    session.add(request)
    session.commit()
    return request


def content(held_on: date, *, administrative: int = 0, educational: int = 0, supportive: int = 0,
            duration: int | None = None, **fields) -> SessionContent:
    minutes = {"administrative": administrative, "educational": educational, "supportive": supportive}
    return SessionContent(held_on=held_on, duration_minutes=duration or sum(minutes.values()), minutes=minutes,
                          **fields)
