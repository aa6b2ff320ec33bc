"""The weekly pulse check-in: one per ISO week, validated, idempotent, encrypted where it is personal.

The checklists (exposures, self-care) are encrypted like the answers; lead figures count exposures from
`ExposureTally`, which `submit_pulse` keeps in the same transaction as the check-in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

import scoring
from console.core import audit, clock, i18n, input_limits
from console.core.dates import week_start
from console.core.errors import ValidationError
from console.core.i18n import _, current_language
from console.core.idempotency import insert_once, stored_submission
from console.core.program_settings import read_settings
from console.fieldwork import callouts
from console.policy.access import Action, authorize
from console.wellness import drafts
from console.wellness.support import Strategy, suggestions_for
from db import tallies
from db.models import PulseCheckin, User

PULSE_INSTRUMENT = "weekly-pulse"
MAX_NOTE_LENGTH = input_limits.CHECKIN_NOTE.limit
LIGHTER_BY = 5.0
"""Strain points below the usual median that count as a lighter week in the feedback wording."""


CHECKLISTS = ("exposures", "self_care", "outside_role")
DRAFT_KIND = "weekly_checkin"


def open_weeks(today: date) -> tuple[date, date]:
    """The weeks a check-in may be for, by their Mondays: this week, and the week just ended (a check-in on a
    Monday morning is often about the week before)."""
    monday = week_start(today)
    return monday, monday - timedelta(weeks=1)


def week_not_open(today: date) -> str:
    this_week, last_week = open_weeks(today)
    return _("A check-in can be for this week (from {this_monday}) or the week just ended (from {last_monday}); "
             "choose one of them.", this_monday=i18n.show_day(this_week), last_monday=i18n.show_day(last_week))


class WeekAlreadyRecorded(ValidationError):
    """This week's check-in exists; the peer may choose to replace it."""


def _week_already_recorded() -> WeekAlreadyRecorded:
    return WeekAlreadyRecorded(
        _("You already checked in this week. Replace that check-in with this one, or keep the first.")
    )


@dataclass(frozen=True)
class PulseSummary:
    id: int
    week_start: date
    taken_at: datetime
    strain: float | None
    exposures: tuple[str, ...]
    self_care: tuple[str, ...]
    caseload: int | None
    hours: float | None
    after_hours_callouts: int | None
    wants_to_talk: bool
    note_shared: bool
    hours_outside_role: float | None = None
    outside_role_tasks: tuple[str, ...] = ()


def pulse_instrument() -> scoring.Instrument:
    """The weekly check-in in the current language."""
    return scoring.load_instrument(PULSE_INSTRUMENT).in_language(current_language())


def _check_number(
    problems: dict[str, str], name: str, value: float | None, *, instrument: scoring.Instrument, whole: bool
) -> None:
    if value is None:
        return
    spec = instrument.fields[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems[name] = _("{field}: enter a number.", field=spec.label)
    elif whole and int(value) != value:
        problems[name] = _("{field}: enter a whole number.", field=spec.label)
    elif not spec.min <= value <= spec.max:
        problems[name] = _("{field}: enter a number from {low} to {high}.", field=spec.label,
                           low=format(spec.min, "g"), high=format(spec.max, "g"))


def _validated(
    *,
    instrument: scoring.Instrument,
    answers: Mapping[str, int | None],
    exposures: Sequence[str],
    self_care: Sequence[str],
    caseload: int | None,
    hours: float | None,
    after_hours_callouts: int | None,
    note: str,
    hours_outside_role: float | None = None,
    outside_role_tasks: Sequence[str] = (),
) -> tuple[dict[str, int | None], float | None]:
    problems: dict[str, str] = {}
    items_by_key = {item.key: item for item in instrument.items if item.key}
    for key in sorted(set(answers) - set(items_by_key)):
        problems[key] = _("{key} is not a question of this check-in.", key=repr(key))
    by_number: dict[int, int | None] = {}
    for key, item in items_by_key.items():
        value = answers.get(key)
        if value is not None and (type(value) is not int or value not in instrument.response.values):
            problems[key] = _("{question}: choose one of {values}.", question=item.prompt,
                              values=", ".join(map(str, instrument.response.values)))
        else:
            by_number[item.number] = value
    for name, chosen, options in (
        ("exposures", exposures, instrument.checklists["exposures"]),
        ("self_care", self_care, instrument.checklists["self_care"]),
        ("outside_role_tasks", outside_role_tasks, instrument.checklists["outside_role"]),
    ):
        unknown = sorted(set(chosen) - {option.code for option in options})
        if unknown:
            problems[name] = _("Unknown choice {choices}.", choices=", ".join(unknown))
    _check_number(problems, "caseload", caseload, instrument=instrument, whole=True)
    _check_number(problems, "hours", hours, instrument=instrument, whole=False)
    _check_number(problems, "after_hours_callouts", after_hours_callouts, instrument=instrument, whole=True)
    _check_number(problems, "hours_outside_role", hours_outside_role, instrument=instrument, whole=False)
    note_issue = input_limits.text_problem(note, input_limits.CHECKIN_NOTE)
    if note_issue is not None:
        problems["note"] = note_issue
    if all(value is None for value in by_number.values()):
        problems["answers"] = _("Answer at least one of the questions about your week.")
    if problems:
        raise ValidationError(_("Please fix: {problems}", problems=" ".join(problems.values())), problems=problems)
    strain = scoring.pulse_strain(instrument, by_number)
    return {key: answers.get(key) for key in items_by_key}, strain


@dataclass(frozen=True)
class Recorded:
    pulse: PulseCheckin
    replaced: bool
    new: bool
    """False when a concurrent submit of the same key was stored first and `pulse` is that one."""


def record_pulse(
    session: Session,
    *,
    peer: User,
    answers: Mapping[str, int | None],
    idempotency_key: str,
    now: datetime,
    week: date | None = None,
    exposures: Sequence[str] = (),
    self_care: Sequence[str] = (),
    caseload: int | None = None,
    hours: float | None = None,
    after_hours_callouts: int | None = None,
    hours_outside_role: float | None = None,
    outside_role_tasks: Sequence[str] = (),
    note: str = "",
    note_shared: bool = False,
    wants_to_talk: bool = False,
    replace: bool = False,
) -> Recorded:
    """Validate and store one check-in of `peer` for `week` (this week of `now` or the one just ended), with its
    exposure counts, without committing: `submit_pulse` for the peer, and the demo, which builds its weeks
    through here so that everything a check-in holds has a real input."""
    instrument = pulse_instrument()
    monday = week or week_start(now.date())
    if monday not in open_weeks(now.date()):
        raise ValidationError(week_not_open(now.date()), problems={"week": week_not_open(now.date())})
    stored_answers, strain = _validated(
        instrument=instrument, answers=answers, exposures=exposures, self_care=self_care,
        caseload=caseload, hours=hours, after_hours_callouts=after_hours_callouts, note=note,
        hours_outside_role=hours_outside_role, outside_role_tasks=outside_role_tasks,
    )
    iso = monday.isocalendar()
    this_week = session.exec(
        select(PulseCheckin).where(PulseCheckin.peer_id == peer.id, PulseCheckin.week_start == monday)
        .with_for_update()
    ).first()
    if this_week is not None and this_week.idempotency_key == idempotency_key:
        return Recorded(this_week, replaced=False, new=False)
    if this_week is not None and not replace:
        raise _week_already_recorded()
    counted = (this_week.tallied_team_id, this_week.exposures) if this_week is not None else (None, ())
    exposures = sorted(set(exposures) | callouts.week_callout_exposures(session, peer_id=peer.id, week=monday))
    logged_after_hours = callouts.week_after_hours(session, peer_id=peer.id, week=monday)
    if logged_after_hours > (after_hours_callouts or 0):
        after_hours_callouts = logged_after_hours
    month = tallies.month_of(monday)
    pulse = this_week or PulseCheckin(peer_id=peer.id, iso_year=iso.year, iso_week=iso.week, week_start=monday,
                                      idempotency_key=idempotency_key)
    pulse.taken_at = now
    pulse.answers = stored_answers
    pulse.strain = strain
    pulse.exposures = frozenset(exposures)
    pulse.tallied_team_id = tallies.tally_team(session, peer_id=peer.id, month=month)
    pulse.self_care = frozenset(self_care)
    pulse.caseload = caseload
    pulse.hours = hours
    pulse.after_hours_callouts = after_hours_callouts
    pulse.hours_outside_role = hours_outside_role
    pulse.outside_role_tasks = frozenset(outside_role_tasks) if hours_outside_role else frozenset()
    pulse.note = note.strip() or None
    pulse.note_shared = bool(note.strip()) and note_shared
    pulse.wants_to_talk = wants_to_talk
    pulse.idempotency_key = idempotency_key
    pulse.replaced_at = now if this_week is not None else None
    stored = insert_once(session, pulse, owner="peer_id", conflict=_week_already_recorded)
    if stored is not pulse:
        return Recorded(stored, replaced=False, new=False)
    counted_team, counted_codes = counted
    tallies.adjust(session, team_id=counted_team, month=month, codes=counted_codes, by=-1)
    tallies.adjust(session, team_id=pulse.tallied_team_id, month=month, codes=set(exposures), by=1)
    return Recorded(pulse, replaced=this_week is not None, new=True)


def submit_pulse(
    session: Session,
    *,
    actor: User,
    answers: Mapping[str, int | None],
    idempotency_key: str,
    week: date | None = None,
    exposures: Sequence[str] = (),
    self_care: Sequence[str] = (),
    caseload: int | None = None,
    hours: float | None = None,
    after_hours_callouts: int | None = None,
    hours_outside_role: float | None = None,
    outside_role_tasks: Sequence[str] = (),
    note: str = "",
    note_shared: bool = False,
    wants_to_talk: bool = False,
    replace: bool = False,
    now: datetime | None = None,
) -> PulseCheckin:
    """Store the peer's check-in for `week` (the Monday of this week, the default, or of the week just ended);
    a repeated idempotency key returns the row it already stored. Saving deletes the check-in's draft."""
    now = now or clock.now()
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    stored = stored_submission(session, PulseCheckin, key=idempotency_key, owner="peer_id", owner_id=actor.id)
    if stored is not None:
        return stored
    recorded = record_pulse(
        session, peer=actor, answers=answers, idempotency_key=idempotency_key, now=now, week=week,
        exposures=exposures, self_care=self_care, caseload=caseload, hours=hours,
        after_hours_callouts=after_hours_callouts, hours_outside_role=hours_outside_role,
        outside_role_tasks=outside_role_tasks, note=note, note_shared=note_shared, wants_to_talk=wants_to_talk,
        replace=replace,
    )
    if not recorded.new:
        return recorded.pulse
    pulse = recorded.pulse
    drafts.forget_drafts(session, owner_id=actor.id, kind=DRAFT_KIND)
    audit.record(
        session, actor=actor, action="pulse_replaced" if recorded.replaced else "pulse_submitted",
        subject_id=actor.id, resource_type="pulse", resource_id=pulse.id,
        detail=f"week of {pulse.week_start.isoformat()}",
    )
    session.commit()
    return pulse


def _codes(codes: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(codes))


def _summary(pulse: PulseCheckin) -> PulseSummary:
    return PulseSummary(
        id=pulse.id,
        week_start=pulse.week_start,
        taken_at=pulse.taken_at,
        strain=pulse.strain,
        exposures=_codes(pulse.exposures),
        self_care=_codes(pulse.self_care),
        caseload=pulse.caseload,
        hours=pulse.hours,
        after_hours_callouts=pulse.after_hours_callouts,
        wants_to_talk=pulse.wants_to_talk,
        note_shared=pulse.note_shared,
        hours_outside_role=pulse.hours_outside_role,
        outside_role_tasks=_codes(pulse.outside_role_tasks or frozenset()),
    )


def my_recent_pulses(session: Session, *, actor: User, limit: int = 8) -> list[PulseSummary]:
    """The peer's own latest check-ins, newest first."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    pulses = session.exec(
        select(PulseCheckin).where(PulseCheckin.peer_id == actor.id).order_by(col(PulseCheckin.week_start).desc()).limit(limit)
    ).all()
    return [_summary(pulse) for pulse in pulses]


def this_weeks_pulse(session: Session, *, actor: User, on: date) -> PulseSummary | None:
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    pulse = session.exec(
        select(PulseCheckin).where(PulseCheckin.peer_id == actor.id, PulseCheckin.week_start == week_start(on))
    ).first()
    return _summary(pulse) if pulse else None


@dataclass(frozen=True)
class PulseEntry:
    """This week's check-in as the peer entered it (note included: it is their own), to start a change from."""

    week_start: date
    taken_at: datetime
    answers: dict[str, int | None]
    exposures: tuple[str, ...]
    self_care: tuple[str, ...]
    caseload: int | None
    hours: float | None
    after_hours_callouts: int | None
    note: str
    note_shared: bool
    wants_to_talk: bool
    hours_outside_role: float | None = None
    outside_role_tasks: tuple[str, ...] = ()


def this_weeks_entry(session: Session, *, actor: User, on: date) -> PulseEntry | None:
    """The peer's own check-in of the week holding `on`, with every answer, or None before it is done."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    pulse = session.exec(
        select(PulseCheckin).where(PulseCheckin.peer_id == actor.id, PulseCheckin.week_start == week_start(on))
    ).first()
    if pulse is None:
        return None
    summary = _summary(pulse)
    return PulseEntry(
        week_start=pulse.week_start, taken_at=pulse.taken_at, answers=dict(pulse.answers or {}),
        exposures=summary.exposures, self_care=summary.self_care, caseload=pulse.caseload, hours=pulse.hours,
        after_hours_callouts=pulse.after_hours_callouts, note=pulse.note or "", note_shared=pulse.note_shared,
        wants_to_talk=pulse.wants_to_talk, hours_outside_role=pulse.hours_outside_role,
        outside_role_tasks=summary.outside_role_tasks,
    )


@dataclass(frozen=True)
class Workload:
    """The workload answers of the peer's latest check-in before a week, to start the next one from."""

    week_start: date
    caseload: int | None
    hours: float | None
    after_hours_callouts: int | None
    hours_outside_role: float | None
    outside_role_tasks: tuple[str, ...]


def last_workload(session: Session, *, actor: User, before: date) -> Workload | None:
    """The peer's own workload answers from their latest check-in for a week starting before `before`."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    pulse = session.exec(
        select(PulseCheckin).where(PulseCheckin.peer_id == actor.id, PulseCheckin.week_start < week_start(before))
        .order_by(col(PulseCheckin.week_start).desc())
    ).first()
    if pulse is None:
        return None
    return Workload(week_start=pulse.week_start, caseload=pulse.caseload, hours=pulse.hours,
                    after_hours_callouts=pulse.after_hours_callouts, hours_outside_role=pulse.hours_outside_role,
                    outside_role_tasks=_codes(pulse.outside_role_tasks or frozenset()))


def entry_in_words(entry: PulseEntry, *, instrument: scoring.Instrument) -> str:
    """A saved check-in as plain lines, for the peer to see what a replacement would overwrite."""
    lines = []
    skipped = _("(skipped)")
    for item in instrument.items:
        value = entry.answers.get(item.key) if item.key is not None else None
        labels = item.labels or instrument.response.labels
        lines.append(f"{item.prompt} {labels.get(value, value) if value is not None else skipped}")
    for name, chosen in (("exposures", entry.exposures), ("self_care", entry.self_care)):
        options = {option.code: option.label for option in instrument.checklists[name]}
        ticked = ", ".join(options.get(code, code) for code in chosen) or _("none ticked")
        lines.append(_("This week I: {ticked}", ticked=ticked) if name == "exposures"
                     else _("Self-care: {ticked}", ticked=ticked))
    for name, amount in (("caseload", entry.caseload), ("hours", entry.hours),
                         ("after_hours_callouts", entry.after_hours_callouts),
                         ("hours_outside_role", entry.hours_outside_role)):
        lines.append(f"{instrument.fields[name].label}: {skipped if amount is None else f'{amount:g}'}")
    if entry.outside_role_tasks:
        options = {option.code: option.label for option in instrument.checklists["outside_role"]}
        lines.append(_("Outside the peer role: {tasks}",
                       tasks=", ".join(options.get(code, code) for code in entry.outside_role_tasks)))
    if entry.note:
        lines.append(_("Note (shared with your supervisor): {note}", note=entry.note) if entry.note_shared
                     else _("Note: {note}", note=entry.note))
    if entry.wants_to_talk:
        lines.append(_("You asked to talk about it in supervision."))
    return "\n".join(lines)


@dataclass(frozen=True)
class WeekFeedback:
    """What the peer reads after checking in: this week against their own recent weeks, and what may help."""

    week_start: date
    strain: float | None
    comparison: str
    unusual: bool
    rising: bool
    suggestions: tuple[Strategy, ...]
    wants_to_talk: bool
    note_shared: bool


def first_strains(session: Session, *, peer_id: int, before: date, limit: int) -> list[float | None]:
    """The strains of the peer's first `limit` check-ins for weeks starting before `before`, oldest first:
    the long reference that a slow slide cannot drag along."""
    return list(session.exec(
        select(PulseCheckin.strain)
        .where(PulseCheckin.peer_id == peer_id, PulseCheckin.week_start < before)
        .order_by(col(PulseCheckin.week_start))
        .limit(limit)
    ).all())


def _comparison(strain: float | None, reading: scoring.StrainReading) -> str:
    if strain is None:
        return _("You answered fewer than four of the seven questions, so there is no overall figure for this "
                 "week. That's fine: skip whatever you like.")
    shown = i18n.show_number(strain)
    recent, reference = reading.recent, reading.reference
    if not recent.enough_data:
        return _("This week's strain: {strain} out of 100 (higher means a harder week). After a few more weekly "
                 "check-ins you'll see how each week compares with what is usual for you.", strain=shown)
    rising = (" " + _("Your strain has been climbing by about {points} points a week lately; that is worth "
                      "raising in supervision.", points=format(reading.rise_per_week, "g")) if reading.rising else "")
    usual = i18n.show_number(recent.median or 0.0)
    if recent.unusual:
        return _("This week was harder than your usual: strain {strain} out of 100, where your recent weeks were "
                 "around {usual}.", strain=shown, usual=usual) + rising
    if reference.unusual:
        return _("This week was harder than your usual: strain {strain} out of 100. Your recent weeks were around "
                 "{usual}, but your first check-ins were around {first}.", strain=shown, usual=usual,
                 first=i18n.show_number(reference.median or 0.0)) + rising
    if recent.median is not None and strain <= recent.median - LIGHTER_BY:
        return _("This week was lighter than your recent weeks: strain {strain} out of 100, where your recent "
                 "weeks were around {usual}.", strain=shown, usual=usual) + rising
    return _("This week looks about usual for you: strain {strain} out of 100, and your recent weeks were around "
             "{usual}.", strain=shown, usual=usual) + rising


def week_feedback(session: Session, *, actor: User, on: date) -> WeekFeedback | None:
    """Feedback on the check-in of the week holding `on`, or None before it is done.

    "Harder than your usual" follows `scoring.strain_reading`: the week's strain above
    the peer's usual range from their recent check-ins, or above the range of their
    first check-ins, never a fixed cut-off; a sustained climb is named on its own.
    """
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    settings = read_settings(session).flags.strain
    monday = week_start(on)
    pulse = session.exec(
        select(PulseCheckin).where(PulseCheckin.peer_id == actor.id, PulseCheckin.week_start == monday)
    ).first()
    if pulse is None:
        return None
    earlier = session.exec(
        select(col(PulseCheckin.week_start), col(PulseCheckin.strain))
        .where(PulseCheckin.peer_id == actor.id, PulseCheckin.week_start < monday)
        .order_by(col(PulseCheckin.week_start).desc())
        .limit(max(settings.window, settings.trend_points))
    ).all()
    reading = scoring.strain_reading(
        earlier=[(week, strain) for week, strain in reversed(earlier)],
        recent=[(monday, pulse.strain)],
        reference=first_strains(session, peer_id=actor.id, before=monday, limit=settings.reference_points),
        settings=settings,
    )
    summary = _summary(pulse)
    return WeekFeedback(
        week_start=monday,
        strain=pulse.strain,
        comparison=_comparison(pulse.strain, reading),
        unusual=reading.harder,
        rising=reading.rising,
        suggestions=suggestions_for(exposures=summary.exposures, answers=pulse.answers or {},
                                    self_care=summary.self_care),
        wants_to_talk=pulse.wants_to_talk,
        note_shared=pulse.note_shared,
    )
