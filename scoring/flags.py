"""Supervision prep flags: what a supervisor may want to raise with one supervisee this week.

Date windows follow `scoring.windows`: "in the last N days" means the N
calendar days ending today; gaps are "more than N days since", so a session
exactly 14 days ago does not raise "no supervision in 14 days". Records dated
after `today` are ignored, so a sheet can be recomputed for an earlier day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from scoring.balance import FUNCTIONS
from scoring.change import assess_change
from scoring.errors import ScoringError
from scoring.instrument import Instrument, Scale
from scoring.loader import load_instrument
from scoring.pulse import StrainSettings, strain_reading
from scoring.windows import gap_exceeded, window_start

SEVERITIES = ("info", "attention", "urgent")
_URGENCY_WEIGHTS = {"urgent": 10_000, "attention": 100, "info": 1}

EXPOSURE_PHRASES = {
    "overdose_scene": "an overdose scene",
    "death_of_person_served": "the death of someone they serve or served",
    "threat_or_violence": "a threat or violence",
    "people_from_past": "meeting people from their own past",
    "triggering_setting": "a triggering setting such as a jail or court",
    "stigma_or_criticism": "stigma or criticism for doing the work",
    "recovery_pressure": "pressure on their own recovery or wellness",
}


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

    def __post_init__(self) -> None:
        for name in (
            "caseload_rising_weeks",
            "exposure_window_days",
            "asked_to_talk_window_days",
            "supervision_gap_days",
            "supportive_gap_days",
            "checkin_overdue_days",
            "strain_recent_days",
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
    reason: str
    suggested_function: str
    window: str


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
) -> list[Flag]:
    """Flags for one supervisee, most severe first.

    `reference_strains` are the strains of the peer's first check-ins ever,
    oldest first, the long reference for "unusual strain"; None when `pulses`
    hold the whole history, so their earliest check-ins are the reference.

    `instrument` is the periodic self-assessment the `assessments` were scored
    on (default: the built-in proqol-style-30); it supplies bands, directions
    and reliabilities. `baseline_sd_by_scale` is the program's baseline SD per
    scale (see `scoring.baseline_sd`) for instruments that declare none.
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
        *_asked_to_talk_flags(pulses, today, settings),
        *_checkin_flags(pulses, today, settings),
        *_supervision_flags(sessions, today, settings),
        *_action_item_flags(action_items, today),
    ]
    return sorted(flags, key=lambda flag: -SEVERITIES.index(flag.severity))


def _check_scale_names(assessment: AssessmentInput, instrument: Instrument) -> None:
    unknown = set(assessment.scales) - set(instrument.scales)
    if unknown:
        raise ScoringError(
            f"assessment of {assessment.taken_on}: unknown scale {sorted(unknown)[0]!r} "
            f"(scales of {instrument.id}: {', '.join(instrument.scales)})"
        )


def _last_days(today: date, days: int) -> tuple[date, str]:
    start = window_start(today, days)
    return start, f"last {days} days ({start.isoformat()} to {today.isoformat()})"


def _checkins_of(days: Sequence[date]) -> str:
    listed = ", ".join(day.isoformat() for day in days)
    return f"the check-in of {listed}" if len(days) == 1 else f"the check-ins of {listed}"


def _band_rule(scale: Scale, band: str) -> str:
    return f"{scale.low_max:g} or less" if band == "low" else f"{scale.high_min:g} or more"


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
                    reason=(
                        f"{scale.label} was {raw:g} on the self-assessment of {latest.taken_on.isoformat()}, "
                        f"in the {band} band ({_band_rule(scale, band)})."
                    ),
                    suggested_function="supportive",
                    window=f"assessment of {latest.taken_on.isoformat()}",
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
                    reason=f"{change.text} Self-assessments of {earlier} and {later}.",
                    suggested_function="supportive",
                    window=f"{earlier} to {later}",
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
            f"median {compared.median:.1f} over their previous {compared.points} check-ins"
            if compared is reading.recent
            else f"median {compared.median:.1f} over their first {compared.points} check-ins"
        )
        reason = (
            f"Check-in strain over the {window} averaged {compared.recent_mean:.1f} (0 best, 100 worst), "
            f"above this peer's usual range: {usual}, unusual above {compared.upper_bound:.1f}."
        )
        flags.append(Flag("unusual_strain", "attention", reason, "supportive", window))
    if reading.rising:
        reason = (
            f"Check-in strain has been rising by about {reading.rise_per_week:g} points a week over the last "
            f"{settings.strain_trend_points} check-ins (flagged from {settings.strain_rise_per_week:g} a week), "
            "a sustained climb even where each week looks close to the one before."
        )
        window = f"last {settings.strain_trend_points} check-ins"
        flags.append(Flag("rising_strain", "attention", reason, "supportive", window))
    return flags


def _exposure_flags(pulses: Sequence[PulseInput], today: date, settings: FlagSettings) -> list[Flag]:
    start, window = _last_days(today, settings.exposure_window_days)
    flags = []
    for code in settings.debrief_exposures:
        days = [pulse.taken_on for pulse in pulses if pulse.taken_on >= start and code in pulse.exposures]
        if days:
            phrase = EXPOSURE_PHRASES.get(code, code.replace("_", " "))
            reason = f"Reported {phrase} on {_checkins_of(days)}. A supportive debrief may help."
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
                reason=(
                    f"Caseload was {latest_caseload} on the check-in of {latest.taken_on.isoformat()}, "
                    f"above the program guideline of {settings.caseload_guideline_max}."
                ),
                suggested_function="administrative",
                window=f"check-in of {latest.taken_on.isoformat()}",
            )
        )
    by_week = {pulse.week_start: caseload for pulse, caseload in with_caseload}
    weeks = sorted(by_week)[-(settings.caseload_rising_weeks + 1) :]
    consecutive = all((later - earlier).days == 7 for earlier, later in pairwise(weeks))
    rising = all(by_week[earlier] < by_week[later] for earlier, later in pairwise(weeks))
    if len(weeks) == settings.caseload_rising_weeks + 1 and consecutive and rising:
        path = " → ".join(str(by_week[week]) for week in weeks)
        window = f"weeks starting {weeks[0].isoformat()} to {weeks[-1].isoformat()}"
        reason = f"Caseload rose {settings.caseload_rising_weeks} weeks running: {path} ({window})."
        flags.append(Flag("caseload_rising", "info", reason, "administrative", window))
    return flags


def _asked_to_talk_flags(pulses: Sequence[PulseInput], today: date, settings: FlagSettings) -> list[Flag]:
    start, window = _last_days(today, settings.asked_to_talk_window_days)
    days = [pulse.taken_on for pulse in pulses if pulse.taken_on >= start and pulse.wants_to_talk]
    if not days:
        return []
    reason = f"Asked to talk in supervision on {_checkins_of(days)}."
    return [Flag("asked_to_talk", "urgent", reason, "supportive", window)]


def _checkin_flags(pulses: Sequence[PulseInput], today: date, settings: FlagSettings) -> list[Flag]:
    limit = settings.checkin_overdue_days
    if not pulses:
        reason = "No weekly check-in recorded yet."
        return [Flag("checkin_overdue", "info", reason, "supportive", "no check-ins")]
    last = pulses[-1].taken_on
    if not gap_exceeded(last, on=today, days=limit):
        return []
    days = (today - last).days
    reason = (
        f"No check-in for {days} days (last on {last.isoformat()}; flagged after {limit}). "
        "A missed check-in can mean a hard stretch: ask how things are."
    )
    return [Flag("checkin_overdue", "info", reason, "supportive", f"since {last.isoformat()}")]


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
    if last is None:
        since, window = f"No {what} recorded yet.", "none recorded"
    elif gap_exceeded(last, on=today, days=gap_days):
        since = f"No {what} for {(today - last).days} days (last on {last.isoformat()})."
        window = f"since {last.isoformat()}"
    else:
        return []
    reason = f"{since} The program asks for {what} at least every {gap_days} days."
    return [Flag(code, "attention", reason, function, window)]


def _action_item_flags(action_items: Sequence[ActionItemInput], today: date) -> list[Flag]:
    overdue = sorted(
        (item for item in action_items if not item.done and item.due_on < today), key=lambda item: item.due_on
    )
    if not overdue:
        return []
    listed = "; ".join(f"“{item.text_label}” (due {item.due_on.isoformat()})" for item in overdue)
    count = f"{len(overdue)} action item{'s' if len(overdue) > 1 else ''}"
    reason = f"{count} past due: {listed}."
    return [Flag("action_items_past_due", "info", reason, "administrative", f"due before {today.isoformat()}")]
