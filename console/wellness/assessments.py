"""The periodic self-assessment: when it is due, submitting it, and its results in plain words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, func, select

import scoring
from console.core import audit, clock
from console.core.errors import ValidationError
from console.core.i18n import N_, _, n_
from console.core.idempotency import insert_once, stored_submission
from console.core.program_settings import read_settings
from console.policy.access import Action, authorize
from console.wellness.instruments import BAND_NAMES, periodic_instrument, program_baseline_sds
from db.models import BAND_CODES, Assessment, AssessmentScore, User
from scoring.change import NOT_ENOUGH_DATA

OVERDUE_AFTER_DAYS = 7
"""Days past the due date after which the home page says the self-assessment is overdue."""
BAND_WORDS = {"low": N_("low"), "moderate": N_("moderate"), "high": N_("high")}


def band_in_words(band: str | None) -> str:
    """A result's band as shown to its reader, or "no result"."""
    if band is None:
        return _("no result")
    return _(BAND_WORDS[band]) if band in BAND_WORDS else band


@dataclass(frozen=True)
class AssessmentStatus:
    cadence_days: int
    last_taken_on: date | None
    next_due_on: date
    due: bool
    overdue: bool


@dataclass(frozen=True)
class ScaleResult:
    name: str
    label: str
    raw: float | None
    band: str | None
    meaning: str | None
    about: str
    """What the scale measures, shown beside the score as a self-score sheet does."""
    cut_offs: str
    """The band cut-offs in words, e.g. "22 or less is low, 42 or more is high, moderate in between"."""
    answered: int
    item_count: int
    concern: bool
    """True when the band is the one to take care about: high burnout or stress, low satisfaction."""
    change: str


@dataclass(frozen=True)
class AssessmentResult:
    assessment_id: int
    taken_on: date
    previous_taken_on: date | None
    scales: tuple[ScaleResult, ...]

    @property
    def needs_support(self) -> bool:
        return any(scale.concern for scale in self.scales)


def my_instrument(session: Session, *, actor: User) -> scoring.Instrument:
    """The program's configured periodic instrument (`proqol-style-30` unless settings say otherwise)."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    return periodic_instrument(read_settings(session))


def cut_offs_in_words(scale: scoring.Scale) -> str:
    """The scale's bands in plain words, from its own cut points (the band rule of `scoring.Scale.band`)."""
    return _("{low} or less is low, {high} or more is high, and a score in between is moderate.",
             low=format(scale.low_max, "g"), high=format(scale.high_min, "g"))


def missing_data_rule(instrument: scoring.Instrument) -> str:
    """The instrument's rule for skipped questions, in plain words."""
    if not instrument.scales:
        return _("You can skip any question.")
    sizes = sorted({len(scale.items) for scale in instrument.scales.values()})
    part = n_("{count} question", "{count} questions", sizes[0]) if len(sizes) == 1 else _("questions")
    allowed = instrument.max_missing_per_scale
    if allowed == 0:
        return _("You can skip any question, but each part ({part}) needs every one of its questions answered "
                 "to give a result.", part=part)
    skipped = n_("one question", "{count} questions", allowed)
    return _("You can skip any question. Each part of the results comes from {part}; with up to {skipped} "
             "skipped, that part is worked out from the average of the questions you answered. With more "
             "skipped, that part shows no result this time.", part=part, skipped=skipped)


def parts_without_result(instrument: scoring.Instrument, answers: Mapping[int, int | None]) -> tuple[str, ...]:
    """Labels of the scales these answers leave with too many skipped questions to score, for the review step."""
    result = scoring.score(instrument, {number: answers.get(number) for number in instrument.item_numbers})
    return tuple(instrument.scales[name].label for name, scale in result.scales.items() if not scale.complete)


def _status(*, last_taken_on: date | None, cadence_days: int, on: date) -> AssessmentStatus:
    next_due_on = on if last_taken_on is None else last_taken_on + timedelta(days=cadence_days)
    return AssessmentStatus(
        cadence_days=cadence_days,
        last_taken_on=last_taken_on,
        next_due_on=next_due_on,
        due=next_due_on <= on,
        overdue=last_taken_on is not None and (on - next_due_on).days > OVERDUE_AFTER_DAYS,
    )


def assessment_status(session: Session, *, actor: User, on: date) -> AssessmentStatus:
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    last_taken_at = session.exec(select(func.max(Assessment.taken_at)).where(Assessment.peer_id == actor.id)).one()
    return _status(last_taken_on=last_taken_at.date() if last_taken_at else None,
                   cadence_days=read_settings(session).assessment_cadence_days, on=on)


def _validated_answers(instrument: scoring.Instrument, answers: Mapping[int, int | None]) -> dict[int, int | None]:
    problems: dict[str, str] = {}
    values = instrument.response.values
    for number, value in answers.items():
        if type(number) is not int or number not in instrument.item_numbers:
            problems[str(number)] = _("Question {number} is not part of this self-assessment.", number=repr(number))
        elif value is not None and (type(value) is not int or value not in values):
            problems[str(number)] = _("Question {number}: choose one of {values}, or skip it.", number=number,
                                      values=", ".join(map(str, values)))
    if not problems and all(answers.get(number) is None for number in instrument.item_numbers):
        problems["answers"] = _("Answer at least one question before submitting.")
    if problems:
        raise ValidationError(_("Please fix: {problems}", problems=" ".join(problems.values())), problems=problems)
    return {item.number: answers.get(item.number) for item in instrument.items}


def submit_assessment(
    session: Session,
    *,
    actor: User,
    answers: Mapping[int, int | None],
    idempotency_key: str,
    now: datetime | None = None,
) -> AssessmentResult:
    """Score and store one self-assessment; a repeated idempotency key returns the one already stored."""
    now = now or clock.now()
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    stored = stored_submission(session, Assessment, key=idempotency_key, owner="peer_id", owner_id=actor.id)
    if stored is not None:
        return _result(session, peer=actor, assessment_id=stored.id)

    instrument = periodic_instrument(read_settings(session))
    complete_answers = _validated_answers(instrument, answers)
    result = scoring.score(instrument, complete_answers)
    assessment = Assessment(
        peer_id=actor.id, instrument_id=instrument.id, instrument_version=instrument.version, taken_at=now,
        answers={str(number): value for number, value in complete_answers.items()}, idempotency_key=idempotency_key,
    )
    stored = insert_once(session, assessment, owner="peer_id")
    if stored is not assessment:
        return _result(session, peer=actor, assessment_id=stored.id)
    session.add_all(
        AssessmentScore(
            assessment_id=assessment.id, scale=name, peer_id=actor.id, taken_at=now, raw=scale.raw,
            band=None if scale.band is None else BAND_CODES[scale.band], answered=scale.answered,
        )
        for name, scale in result.scales.items()
    )
    audit.record(session, actor=actor, action="assessment_submitted", subject_id=actor.id,
                 resource_type="assessment", resource_id=assessment.id, detail=instrument.id)
    session.commit()
    return _result(session, peer=actor, assessment_id=assessment.id)


def latest_result(session: Session, *, actor: User) -> AssessmentResult | None:
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    latest = session.exec(
        select(Assessment.id).where(Assessment.peer_id == actor.id).order_by(col(Assessment.taken_at).desc())
    ).first()
    return None if latest is None else _result(session, peer=actor, assessment_id=latest)


def _change_in_words(change: scoring.Change, *, before: float | None, after: float | None,
                     has_previous: bool) -> str:
    if not has_previous:
        return _("Your first result: next time you'll see how it compares.")
    if change.direction == NOT_ENOUGH_DATA:
        if before is None or after is None:
            return _("Not enough data to judge: one of the two results is missing because of skipped questions.")
        return _("{before} last time, {after} now. Not enough data to judge whether that is a real change yet: "
                 "the program needs first self-assessments from more peers before it can tell.",
                 before=format(before, "g"), after=format(after, "g"))
    moved = _("{before} last time, {after} now", before=format(before, "g"), after=format(after, "g"))
    if change.direction == "better":
        return _("{moved}: a real change for the better, bigger than everyday ups and downs.", moved=moved)
    if change.direction == "worse":
        return _("{moved}: a real change in a harder direction, bigger than everyday ups and downs. "
                 "Worth talking about with someone you trust.", moved=moved)
    return _("{moved}: about the same, within everyday ups and downs.", moved=moved)


def _result(session: Session, *, peer: User, assessment_id: int) -> AssessmentResult:
    assessment = session.get_one(Assessment, assessment_id)
    instrument = periodic_instrument(read_settings(session))
    scores = {row.scale: row for row in session.exec(
        select(AssessmentScore).where(AssessmentScore.assessment_id == assessment_id))}
    previous = session.exec(
        select(Assessment.id, Assessment.taken_at)
        .where(Assessment.peer_id == peer.id, col(Assessment.taken_at) < assessment.taken_at)
        .order_by(col(Assessment.taken_at).desc())
    ).first()
    previous_scores = {} if previous is None else {row.scale: row.raw for row in session.exec(
        select(AssessmentScore).where(AssessmentScore.assessment_id == previous[0]))}
    sds = program_baseline_sds(session, program_id=peer.program_id)
    results = []
    for name, scale in instrument.scales.items():
        row = scores.get(name)
        raw = row.raw if row else None
        band = BAND_NAMES.get(row.band) if row and row.band is not None else None
        before = previous_scores.get(name)
        change = scoring.assess_change(scale=scale, before=before, after=raw, baseline_sd=sds.get(name))
        results.append(ScaleResult(
            name=name, label=scale.label, raw=raw, band=band, meaning=scale.meanings.get(band) if band else None,
            about=scale.about, cut_offs=cut_offs_in_words(scale),
            answered=row.answered if row else 0, item_count=len(scale.items), concern=band == scale.concern_band,
            change=_change_in_words(change, before=before, after=raw, has_previous=previous is not None),
        ))
    return AssessmentResult(
        assessment_id=assessment.id,
        taken_on=assessment.taken_at.date(),
        previous_taken_on=previous[1].date() if previous else None,
        scales=tuple(results),
    )
