"""Supervision prep flags: what a supervisor may want to raise with one supervisee this week.

Date windows follow `scoring.windows`: "in the last N days" means the N
calendar days ending today; gaps are "more than N days since", so a session
exactly 14 days ago does not raise "no supervision in 14 days". Records dated
after `today` are ignored, so a sheet can be recomputed for an earlier day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise

from scoring.balance import FUNCTIONS
from scoring.change import assess_change
from scoring.errors import ScoringError
from scoring.instrument import Instrument, Scale
from scoring.loader import load_instrument
from scoring.phrases import N_, Phrase
from scoring.pulse import StrainSettings, strain_reading
from scoring.windows import gap_exceeded, window_start

SEVERITIES = ("info", "attention", "urgent")
_URGENCY_WEIGHTS = {"urgent": 10_000, "attention": 100, "info": 1}

EXPOSURE_PHRASES = {
    "overdose_scene": N_("an overdose scene"),
    "death_of_person_served": N_("the death of someone they serve or served"),
    "threat_or_violence": N_("a threat or violence"),
    "people_from_past": N_("meeting people from their own past"),
    "triggering_setting": N_("a triggering setting such as a jail or court"),
    "stigma_or_criticism": N_("stigma or criticism for doing the work"),
    "racism_or_discrimination": N_("racism or discrimination in the work"),
    "recovery_pressure": N_("pressure on their own recovery or wellness"),
}
"""Each exposure as a flag's reason names it (English; translated where shown)."""


def exposure_phrase(code: str) -> Phrase:
    """An exposure named in words, for a reason: a phrase of its own, so the reader's language names it."""
    return Phrase.of(EXPOSURE_PHRASES[code]) if code in EXPOSURE_PHRASES else Phrase.of(code.replace("_", " "))


@dataclass(frozen=True)
class AssessmentInput:
    """One periodic self-assessment: raw score per scale name (None when incomplete)."""

    taken_on: date
    scales: dict[str, float | None] = field(hash=False)


@dataclass(frozen=True)
class PulseInput:
    week_start: date
    taken_on: date
    strain: float | None
    exposures: frozenset[str] = frozenset()
    caseload: int | None = None
    wants_to_talk: bool = False
    hours_outside_role: float | None = None


@dataclass(frozen=True)
class SessionInput:
    """A supervision session; `functions` are those it spent time on."""

    held_on: date
    functions: frozenset[str]


@dataclass(frozen=True)
class ActionItemInput:
    due_on: date
    done: bool
    text_label: str


@dataclass(frozen=True)
class HardCallInput:
    """A hard call (a fatal overdose, a death of someone served, or a call the peer rated very hard) as the viewer
    may see it: when it ended, a plain phrase for it, and whether a debrief was held."""

    ended_at: datetime
    what: str | Phrase
    debriefed: bool


def debrief_due(ended_at: datetime, *, window_hours: int) -> datetime:
    """The end of the window in which a debrief is offered after a hard call: `window_hours` after the call ended."""
    return ended_at + timedelta(hours=window_hours)


@dataclass(frozen=True)
class FlagSettings:
    """Thresholds behind the flags. All are program settings chosen to prompt a
    conversation, not clinical cut-offs; the band flags use the instrument's own bands.

    Defaults: the caseload guideline of 30 is the top of the 20-30 range the LAPPA
    tool kit names for weekly check-in work (20 its bottom); 14 and 28 days follow weekly or
    biweekly supervision with every function covered at least monthly; the
    strain settings are described in `scoring.pulse.StrainSettings`.
    """

    caseload_guideline_min: int = 20
    caseload_guideline_max: int = 30
    caseload_rising_weeks: int = 3
    debrief_exposures: tuple[str, ...] = ("death_of_person_served", "overdose_scene")
    exposure_window_days: int = 14
    asked_to_talk_window_days: int = 14
    supervision_gap_days: int = 14
    supportive_gap_days: int = 28
    checkin_overdue_days: int = 10
    strain_recent_days: int = 14
    strain_window: int = 8
    strain_min_points: int = 4
    strain_mad_floor: float = 5.0
    strain_multiplier: float = 2.0
    strain_reference_points: int = 8
    strain_trend_points: int = 8
    strain_trend_min_points: int = 6
    strain_rise_per_week: float = 2.0
    debrief_window_hours: int = 72
    outside_role_hours_max: float = 6.0
    outside_role_rising_weeks: int = 3

    def __post_init__(self) -> None:
        for name in (
            "caseload_rising_weeks",
            "exposure_window_days",
            "asked_to_talk_window_days",
            "supervision_gap_days",
            "supportive_gap_days",
            "checkin_overdue_days",
            "strain_recent_days",
            "debrief_window_hours",
            "outside_role_rising_weeks",
        ):
            value = getattr(self, name)
            if type(value) is not int or value < 1:
                raise ScoringError(f"flag setting {name} must be a whole number of at least 1, got {value!r}")

    @property
    def strain(self) -> StrainSettings:
        return StrainSettings(
            window=self.strain_window,
            min_points=self.strain_min_points,
            mad_floor=self.strain_mad_floor,
            multiplier=self.strain_multiplier,
            reference_points=self.strain_reference_points,
            trend_points=self.strain_trend_points,
            trend_min_points=self.strain_trend_min_points,
            rise_per_week=self.strain_rise_per_week,
        )


@dataclass(frozen=True)
class Flag:
    code: str
    severity: str
    reason: Phrase
    """Why the flag is raised, in words (`str(reason)` is the English text)."""
    suggested_function: str
    window: Phrase


def urgency(flags: Sequence[Flag]) -> int:
    """A number for ordering prep cards, highest first: one urgent flag outranks
    any number of attention flags (up to 99), and one attention flag any number of info flags."""
    return sum(_URGENCY_WEIGHTS[flag.severity] for flag in flags)


def supervision_flags(
    *,
    today: date,
    assessments: Sequence[AssessmentInput],
    pulses: Sequence[PulseInput],
    sessions: Sequence[SessionInput],
    action_items: Sequence[ActionItemInput],
    baseline_sd_by_scale: Mapping[str, float | None] | None = None,
    settings: FlagSettings = FlagSettings(),
    instrument: Instrument | None = None,
    reference_strains: Sequence[float | None] | None = None,
    hard_calls: Sequence[HardCallInput] = (),
) -> list[Flag]:
    """Flags for one supervisee, most severe first.

    `reference_strains` are the strains of the peer's first check-ins ever,
    oldest first, the long reference for "unusual strain"; None when `pulses`
    hold the whole history, so their earliest check-ins are the reference.

    `instrument` is the periodic self-assessment the `assessments` were scored
    on (default: the built-in proqol-style-30); it supplies bands, directions
    and reliabilities. `baseline_sd_by_scale` is the program's baseline SD per
    scale (see `scoring.baseline_sd`) for instruments that declare none.

    `hard_calls` are the peer's hard calls the viewer may see; one whose debrief window passed without a
    debrief raises a flag.
    """
    instrument = instrument or load_instrument("proqol-style-30")
    assessments = sorted(
        (assessment for assessment in assessments if assessment.taken_on <= today),
        key=lambda assessment: assessment.taken_on,
    )
    pulses = sorted((pulse for pulse in pulses if pulse.taken_on <= today), key=lambda pulse: pulse.taken_on)
    sessions = [session for session in sessions if session.held_on <= today]
    for assessment in assessments:
        _check_scale_names(assessment, instrument)
    for session in sessions:
        unknown = set(session.functions) - set(FUNCTIONS)
        if unknown:
            raise ScoringError(
                f"session of {session.held_on}: unknown function {sorted(unknown)[0]!r} "
                f"(functions: {', '.join(FUNCTIONS)})"
            )
    flags = [
        *_band_flags(assessments, instrument),
        *_worsening_flags(assessments, instrument, baseline_sd_by_scale or {}),
        *_strain_flags(pulses, today, settings, reference_strains),
        *_exposure_flags(pulses, today, settings),
        *_caseload_flags(pulses, settings),
        *_outside_role_flags(pulses, settings),
        *_asked_to_talk_flags(pulses, today, settings),
        *_checkin_flags(pulses, today, settings),
        *_supervision_flags(sessions, today, settings),
        *_action_item_flags(action_items, today),
        *_debrief_flags(hard_calls, today, settings),
    ]
    return sorted(flags, key=lambda flag: -SEVERITIES.index(flag.severity))


def _check_scale_names(assessment: AssessmentInput, instrument: Instrument) -> None:
    unknown = set(assessment.scales) - set(instrument.scales)
    if unknown:
        raise ScoringError(
            f"assessment of {assessment.taken_on}: unknown scale {sorted(unknown)[0]!r} "
            f"(scales of {instrument.id}: {', '.join(instrument.scales)})"
        )


def _last_days(today: date, days: int) -> tuple[date, Phrase]:
    start = window_start(today, days)
    return start, Phrase.of(N_("last {days} days ({start} to {end})"), days=days, start=start.isoformat(),
                            end=today.isoformat())


def _checkins_of(days: Sequence[date]) -> Phrase:
    listed = ", ".join(day.isoformat() for day in days)
    if len(days) == 1:
        return Phrase.of(N_("the check-in of {days}"), days=listed)
    return Phrase.of(N_("the check-ins of {days}"), days=listed)


def _band_rule(scale: Scale, band: str) -> Phrase:
    if band == "low":
        return Phrase.of(N_("{score} or less"), score=format(scale.low_max, "g"))
    return Phrase.of(N_("{score} or more"), score=format(scale.high_min, "g"))


def scale_label(scale: Scale) -> str:
    """A scale's label: the instrument's own text, already in the reader's language (see
    `Instrument.in_language`), so it is shown as it is."""
    return scale.label


BAND_WORDS = {"low": N_("low"), "moderate": N_("moderate"), "high": N_("high")}


def band_word(band: str) -> Phrase:
    return Phrase.of(BAND_WORDS.get(band, band))


def _joined(parts: Sequence[Phrase]) -> Phrase:
    """Parts one after the other, each ended by a semicolon but the last."""
    joined = parts[-1]
    for part in reversed(parts[:-1]):
        joined = Phrase.of(N_("{earlier}; {later}"), earlier=part, later=joined)
    return joined


def _band_flags(assessments: Sequence[AssessmentInput], instrument: Instrument) -> list[Flag]:
    if not assessments:
        return []
    latest = assessments[-1]
    flags = []
    for name, scale in instrument.scales.items():
        raw = latest.scales.get(name)
        band = scale.band(raw)
        if band == scale.concern_band:
            flags.append(
                Flag(
                    code=f"{band}_{name}",
                    severity="attention",
                    reason=Phrase.of(
                        N_("{scale} was {score} on the self-assessment of {day}, in the {band} band ({rule})."),
                        scale=scale_label(scale), score=format(raw, "g"), day=latest.taken_on.isoformat(),
                        band=band_word(band), rule=_band_rule(scale, band),
                    ),
                    suggested_function="supportive",
                    window=Phrase.of(N_("assessment of {day}"), day=latest.taken_on.isoformat()),
                )
            )
    return flags


def _worsening_flags(
    assessments: Sequence[AssessmentInput], instrument: Instrument, baseline_sds: Mapping[str, float | None]
) -> list[Flag]:
    if len(assessments) < 2:
        return []
    previous, latest = assessments[-2], assessments[-1]
    earlier, later = previous.taken_on.isoformat(), latest.taken_on.isoformat()
    flags = []
    for name, scale in instrument.scales.items():
        change = assess_change(
            scale=scale,
            before=previous.scales.get(name),
            after=latest.scales.get(name),
            baseline_sd=baseline_sds.get(name),
        )
        if change.direction == "worse":
            flags.append(
                Flag(
                    code=f"reliable_worsening_{name}",
                    severity="attention",
                    reason=Phrase.of(N_("{change} Self-assessments of {earlier} and {later}."), change=change.text,
                                     earlier=earlier, later=later),
                    suggested_function="supportive",
                    window=Phrase.of(N_("{start} to {end}"), start=earlier, end=later),
                )
            )
    return flags


def _strain_flags(
    pulses: Sequence[PulseInput], today: date, settings: FlagSettings, reference_strains: Sequence[float | None] | None
) -> list[Flag]:
    start, window = _last_days(today, settings.strain_recent_days)
    earlier = [pulse for pulse in pulses if pulse.taken_on < start]
    reading = strain_reading(
        earlier=[(pulse.week_start, pulse.strain) for pulse in earlier],
        recent=[(pulse.week_start, pulse.strain) for pulse in pulses if pulse.taken_on >= start],
        reference=[pulse.strain for pulse in earlier] if reference_strains is None else reference_strains,
        settings=settings.strain,
    )
    flags = []
    if reading.harder:
        compared = reading.recent if reading.recent.unusual else reading.reference
        usual = (
            Phrase.of(N_("median {median} over their previous {points} check-ins"),
                      median=format(compared.median, ".1f"), points=compared.points)
            if compared is reading.recent
            else Phrase.of(N_("median {median} over their first {points} check-ins"),
                           median=format(compared.median, ".1f"), points=compared.points)
        )
        reason = Phrase.of(
            N_("Check-in strain over the {window} averaged {mean} (0 best, 100 worst), above this peer's usual "
               "range: {usual}, unusual above {bound}."),
            window=window, mean=format(compared.recent_mean, ".1f"), usual=usual, bound=format(compared.upper_bound, ".1f"),
        )
        flags.append(Flag("unusual_strain", "attention", reason, "supportive", window))
    if reading.rising:
        reason = Phrase.of(
            N_("Check-in strain has been rising by about {rise} points a week over the last {points} check-ins "
               "(flagged from {threshold} a week), a sustained climb even where each week looks close to the one "
               "before."),
            rise=format(reading.rise_per_week, "g"), points=settings.strain_trend_points,
            threshold=format(settings.strain_rise_per_week, "g"),
        )
        trend_window = Phrase.of(N_("last {points} check-ins"), points=settings.strain_trend_points)
        flags.append(Flag("rising_strain", "attention", reason, "supportive", trend_window))
    return flags


def _exposure_flags(pulses: Sequence[PulseInput], today: date, settings: FlagSettings) -> list[Flag]:
    start, window = _last_days(today, settings.exposure_window_days)
    flags = []
    for code in settings.debrief_exposures:
        days = [pulse.taken_on for pulse in pulses if pulse.taken_on >= start and code in pulse.exposures]
        if days:
            reason = Phrase.of(N_("Reported {exposure} on {checkins}. A supportive debrief may help."),
                               exposure=exposure_phrase(code), checkins=_checkins_of(days))
            flags.append(Flag(f"recent_{code}", "attention", reason, "supportive", window))
    return flags


def _caseload_flags(pulses: Sequence[PulseInput], settings: FlagSettings) -> list[Flag]:
    with_caseload = [(pulse, pulse.caseload) for pulse in pulses if pulse.caseload is not None]
    if not with_caseload:
        return []
    flags = []
    latest, latest_caseload = with_caseload[-1]
    if latest_caseload > settings.caseload_guideline_max:
        flags.append(
            Flag(
                code="caseload_above_guideline",
                severity="attention",
                reason=Phrase.of(
                    N_("Caseload was {caseload} on the check-in of {day}, above the program guideline of {guideline}."),
                    caseload=latest_caseload, day=latest.taken_on.isoformat(),
                    guideline=settings.caseload_guideline_max,
                ),
                suggested_function="administrative",
                window=Phrase.of(N_("check-in of {day}"), day=latest.taken_on.isoformat()),
            )
        )
    by_week = {pulse.week_start: caseload for pulse, caseload in with_caseload}
    weeks = sorted(by_week)[-(settings.caseload_rising_weeks + 1) :]
    consecutive = all((later - earlier).days == 7 for earlier, later in pairwise(weeks))
    rising = all(by_week[earlier] < by_week[later] for earlier, later in pairwise(weeks))
    if len(weeks) == settings.caseload_rising_weeks + 1 and consecutive and rising:
        path = " → ".join(str(by_week[week]) for week in weeks)
        window = _weeks_starting(weeks[0], weeks[-1])
        reason = Phrase.of(N_("Caseload rose {weeks} weeks running: {path} ({window})."),
                           weeks=settings.caseload_rising_weeks, path=path, window=window)
        flags.append(Flag("caseload_rising", "info", reason, "administrative", window))
    return flags


def _outside_role_flags(pulses: Sequence[PulseInput], settings: FlagSettings) -> list[Flag]:
    """Peer drift: the latest check-in's hours on tasks outside the peer role above the program's threshold, or
    those hours rising week after week."""
    by_week = {pulse.week_start: pulse.hours_outside_role for pulse in pulses if pulse.hours_outside_role is not None}
    if not by_week:
        return []
    flags = []
    latest_week = max(by_week)
    latest = by_week[latest_week]
    if latest > settings.outside_role_hours_max:
        window = Phrase.of(N_("check-in for the week of {week}"), week=latest_week.isoformat())
        reason = Phrase.of(
            N_("{hours} hours on tasks outside the peer role (driving, case management, clerical or clinical-type "
               "work) in the week of {week}, above the program's threshold of {threshold} hours a week. Talk about "
               "protecting the peer role."),
            hours=format(latest, "g"), week=latest_week.isoformat(), threshold=format(settings.outside_role_hours_max, "g"),
        )
        flags.append(Flag("outside_role_high", "attention", reason, "administrative", window))
    weeks = sorted(by_week)[-(settings.outside_role_rising_weeks + 1) :]
    consecutive = all((later - earlier).days == 7 for earlier, later in pairwise(weeks))
    rising = all(by_week[earlier] < by_week[later] for earlier, later in pairwise(weeks))
    if len(weeks) == settings.outside_role_rising_weeks + 1 and consecutive and rising:
        path = " → ".join(f"{by_week[week]:g}" for week in weeks)
        window = _weeks_starting(weeks[0], weeks[-1])
        reason = Phrase.of(N_("Hours on tasks outside the peer role rose {weeks} weeks running: {path} ({window})."),
                           weeks=settings.outside_role_rising_weeks, path=path, window=window)
        flags.append(Flag("outside_role_rising", "info", reason, "administrative", window))
    return flags


def _asked_to_talk_flags(pulses: Sequence[PulseInput], today: date, settings: FlagSettings) -> list[Flag]:
    start, window = _last_days(today, settings.asked_to_talk_window_days)
    days = [pulse.taken_on for pulse in pulses if pulse.taken_on >= start and pulse.wants_to_talk]
    if not days:
        return []
    reason = Phrase.of(N_("Asked to talk in supervision on {checkins}."), checkins=_checkins_of(days))
    return [Flag("asked_to_talk", "urgent", reason, "supportive", window)]


def _checkin_flags(pulses: Sequence[PulseInput], today: date, settings: FlagSettings) -> list[Flag]:
    limit = settings.checkin_overdue_days
    if not pulses:
        reason = Phrase.of(N_("No weekly check-in recorded yet."))
        return [Flag("checkin_overdue", "info", reason, "supportive", Phrase.of(N_("no check-ins")))]
    last = pulses[-1].taken_on
    if not gap_exceeded(last, on=today, days=limit):
        return []
    days = (today - last).days
    reason = Phrase.of(
        N_("No check-in for {days} days (last on {last}; flagged after {limit}). A missed check-in can mean a hard "
           "stretch: ask how things are."),
        days=days, last=last.isoformat(), limit=limit,
    )
    return [Flag("checkin_overdue", "info", reason, "supportive", _since(last))]


def _supervision_flags(sessions: Sequence[SessionInput], today: date, settings: FlagSettings) -> list[Flag]:
    last = max((session.held_on for session in sessions), default=None)
    last_supportive = max((session.held_on for session in sessions if "supportive" in session.functions), default=None)
    return [
        *_gap_flag(
            "no_recent_supervision", "supervision", last, today, settings.supervision_gap_days, "administrative"
        ),
        *_gap_flag(
            "no_supportive_supervision",
            "supportive supervision",
            last_supportive,
            today,
            settings.supportive_gap_days,
            "supportive",
        ),
    ]


def _gap_flag(code: str, what: str, last: date | None, today: date, gap_days: int, function: str) -> list[Flag]:
    """A flag when more than `gap_days` days have passed since `last` (or there was never one)."""
    supportive = what == "supportive supervision"
    if last is None:
        since = (Phrase.of(N_("No supportive supervision recorded yet.")) if supportive
                 else Phrase.of(N_("No supervision recorded yet.")))
        window = Phrase.of(N_("none recorded"))
    elif gap_exceeded(last, on=today, days=gap_days):
        template = (N_("No supportive supervision for {days} days (last on {last}).") if supportive
                    else N_("No supervision for {days} days (last on {last})."))
        since = Phrase.of(template, days=(today - last).days, last=last.isoformat())
        window = _since(last)
    else:
        return []
    asks = (N_("{since} The program asks for supportive supervision at least every {days} days.") if supportive
            else N_("{since} The program asks for supervision at least every {days} days."))
    return [Flag(code, "attention", Phrase.of(asks, since=since, days=gap_days), function, window)]


def _since(day: date) -> Phrase:
    return Phrase.of(N_("since {day}"), day=day.isoformat())


def _weeks_starting(first: date, last: date) -> Phrase:
    return Phrase.of(N_("weeks starting {first} to {last}"), first=first.isoformat(), last=last.isoformat())


def _action_item_flags(action_items: Sequence[ActionItemInput], today: date) -> list[Flag]:
    overdue = sorted(
        (item for item in action_items if not item.done and item.due_on < today), key=lambda item: item.due_on
    )
    if not overdue:
        return []
    listed = _joined([Phrase.of(N_("“{item}” (due {day})"), item=item.text_label, day=item.due_on.isoformat())
                      for item in overdue])
    template = (N_("{count} action item past due: {items}.") if len(overdue) == 1
                else N_("{count} action items past due: {items}."))
    reason = Phrase.of(template, count=len(overdue), items=listed)
    window = Phrase.of(N_("due before {day}"), day=today.isoformat())
    return [Flag("action_items_past_due", "info", reason, "administrative", window)]


def _debrief_flags(hard_calls: Sequence[HardCallInput], today: date, settings: FlagSettings) -> list[Flag]:
    """A flag for each hard call whose debrief window ended before `today` without a debrief; a call that ended
    more than `supportive_gap_days` ago is left to the "no supportive supervision" rule."""
    since = window_start(today, settings.supportive_gap_days)
    missed = sorted(
        (call for call in hard_calls
         if not call.debriefed and since <= call.ended_at.date() <= today
         and debrief_due(call.ended_at, window_hours=settings.debrief_window_hours).date() < today),
        key=lambda call: call.ended_at,
    )
    if not missed:
        return []
    listed = _joined([Phrase.of(N_("{call} on {day}"), call=call.what, day=call.ended_at.date().isoformat())
                      for call in missed])
    reason = Phrase.of(
        N_("No debrief was recorded within {hours} hours after a hard call ({calls}). Offer one now: a short "
           "supportive contact counts."),
        hours=settings.debrief_window_hours, calls=listed,
    )
    return [Flag("debrief_window_passed", "attention", reason, "supportive",
                 Phrase.of(N_("calls since {day}"), day=since.isoformat()))]
