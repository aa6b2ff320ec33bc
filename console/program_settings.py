"""Program settings stored in the database, with their defaults and validation."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from datetime import date

from sqlmodel import Session, select

import scoring
from console import audit, clock
from console.access import Action, authorize
from console.errors import ValidationError
from db.models import Setting, User

CADENCES = ("weekly", "biweekly")
_FLAG_DEFAULTS = scoring.FlagSettings()


@dataclass(frozen=True)
class ThresholdSetting:
    """One numeric threshold or window an admin may change: its label, explanation and allowed range."""

    name: str
    label: str
    help: str
    minimum: float
    maximum: float
    whole: bool = True


THRESHOLD_SETTINGS = (
    ThresholdSetting("caseload_guideline_min", "Caseload guideline, bottom", "Below this a caseload is shown as "
                     "below the guideline (the LAPPA tool kit names 20–30 for weekly check-in work).", 0, 200),
    ThresholdSetting("caseload_guideline_max", "Caseload guideline, top", "A caseload above this raises a prep flag "
                     "and counts as above the guideline on lead pages.", 1, 200),
    ThresholdSetting("caseload_rising_weeks", "Caseload rising, weeks running", "A caseload that rose this many "
                     "weeks running raises a prep flag.", 1, 12),
    ThresholdSetting("checkin_overdue_days", "Check-in overdue after … days", "More than this many days since the "
                     "last check-in raises a prep flag.", 1, 60),
    ThresholdSetting("asked_to_talk_window_days", "Asked to talk: look back … days", "A check-in in the last this "
                     "many days (today included) asking to talk in supervision raises an urgent prep flag.", 1, 60),
    ThresholdSetting("exposure_window_days", "Debrief exposures: look back … days", "A death of someone served or an "
                     "overdose scene reported in the last this many days (today included) suggests a supportive "
                     "debrief.", 1, 60),
    ThresholdSetting("supervision_gap_days", "No supervision in … days", "More than this many days since the last "
                     "session raises a prep flag; the lead's coverage counts the same way.", 1, 90),
    ThresholdSetting("supportive_gap_days", "No supportive supervision in … days", "More than this many days since a "
                     "session with supportive minutes raises a prep flag; the lead's coverage counts the same way.",
                     1, 180),
    ThresholdSetting("balance_window_days", "Balance of functions over the last … days", "The window of minutes per "
                     "function on the supervisor's load page and the lead's coverage page.", 7, 365),
    ThresholdSetting("strain_recent_days", "Recent strain: last … days", "Check-ins in the last this many days "
                     "(today included) are compared with what is usual for the peer.", 7, 60),
    ThresholdSetting("strain_window", "Recent usual range: earlier check-ins", "How many earlier check-ins make the "
                     "peer's recent usual range.", 2, 52),
    ThresholdSetting("strain_min_points", "Usual range: check-ins needed", "How many check-ins a usual range needs "
                     "before it is used.", 2, 52),
    ThresholdSetting("strain_mad_floor", "Usual range: spread floor (strain points)", "The smallest spread a usual "
                     "range is given, so a very steady peer is not flagged for a small wobble.", 0, 50, whole=False),
    ThresholdSetting("strain_multiplier", "Usual range: width (spreads)", "How many spreads above the typical week "
                     "counts as unusual.", 0.5, 5, whole=False),
    ThresholdSetting("strain_reference_points", "Long reference: first check-ins", "How many of the peer's first "
                     "check-ins make their long reference, which a slow slide cannot drag along.", 2, 52),
    ThresholdSetting("strain_trend_points", "Sustained rise: over the last … check-ins", "How many recent check-ins "
                     "the strain trend is measured over.", 3, 52),
    ThresholdSetting("strain_trend_min_points", "Sustained rise: check-ins needed", "How many check-ins in that "
                     "window the trend needs.", 3, 52),
    ThresholdSetting("strain_rise_per_week", "Sustained rise: strain points a week", "A trend at least this steep "
                     "raises a prep flag and is named in the peer's feedback.", 0.5, 20, whole=False),
)
"""The thresholds and windows of flags and lead figures, in the order the admin page shows them."""


@dataclass(frozen=True)
class ProgramSettings:
    anonymity_k: int = 5
    supervision_cadence: str = "weekly"
    assessment_cadence_days: int = 30
    assessment_instrument: str = "proqol-style-30"
    support_contact: str = "Your program's employee assistance program (EAP): ask your supervisor or lead for the number."
    instruments_folder: str = ""
    caseload_guideline_min: int = _FLAG_DEFAULTS.caseload_guideline_min
    caseload_guideline_max: int = _FLAG_DEFAULTS.caseload_guideline_max
    caseload_rising_weeks: int = _FLAG_DEFAULTS.caseload_rising_weeks
    checkin_overdue_days: int = _FLAG_DEFAULTS.checkin_overdue_days
    asked_to_talk_window_days: int = _FLAG_DEFAULTS.asked_to_talk_window_days
    exposure_window_days: int = _FLAG_DEFAULTS.exposure_window_days
    supervision_gap_days: int = _FLAG_DEFAULTS.supervision_gap_days
    supportive_gap_days: int = _FLAG_DEFAULTS.supportive_gap_days
    balance_window_days: int = scoring.BALANCE_WINDOW_DAYS
    strain_recent_days: int = _FLAG_DEFAULTS.strain_recent_days
    strain_window: int = _FLAG_DEFAULTS.strain_window
    strain_min_points: int = _FLAG_DEFAULTS.strain_min_points
    strain_mad_floor: float = _FLAG_DEFAULTS.strain_mad_floor
    strain_multiplier: float = _FLAG_DEFAULTS.strain_multiplier
    strain_reference_points: int = _FLAG_DEFAULTS.strain_reference_points
    strain_trend_points: int = _FLAG_DEFAULTS.strain_trend_points
    strain_trend_min_points: int = _FLAG_DEFAULTS.strain_trend_min_points
    strain_rise_per_week: float = _FLAG_DEFAULTS.strain_rise_per_week

    @property
    def flags(self) -> scoring.FlagSettings:
        """The prep-flag thresholds as this program set them."""
        names = {field.name for field in fields(scoring.FlagSettings)} & {field.name for field in fields(self)}
        return replace(_FLAG_DEFAULTS, **{name: getattr(self, name) for name in names})

    @property
    def caseload_guideline(self) -> tuple[int, int]:
        return self.caseload_guideline_min, self.caseload_guideline_max

    def problems(self) -> dict[str, str]:
        found = self._threshold_problems()
        if not 3 <= self.anonymity_k <= 50:
            found["anonymity_k"] = "The anonymity threshold k must be a whole number from 3 to 50."
        if self.supervision_cadence not in CADENCES:
            found["supervision_cadence"] = "Supervision cadence must be weekly or biweekly."
        if not 7 <= self.assessment_cadence_days <= 365:
            found["assessment_cadence_days"] = "Assessment cadence must be from 7 to 365 days."
        if not self.assessment_instrument.strip():
            found["assessment_instrument"] = "Name the instrument id of the periodic self-assessment."
        if len(self.support_contact) > 500:
            found["support_contact"] = "Keep the support contact under 500 characters."
        return found

    def _threshold_problems(self) -> dict[str, str]:
        found = {}
        for setting in THRESHOLD_SETTINGS:
            value = getattr(self, setting.name)
            kind = "a whole number" if setting.whole else "a number"
            if not (math.isfinite(value) and setting.minimum <= value <= setting.maximum):
                found[setting.name] = f"{setting.label} must be {kind} from {setting.minimum:g} to {setting.maximum:g}."
        pairs = (
            ("caseload_guideline_min", "caseload_guideline_max", "The caseload guideline's bottom"),
            ("strain_min_points", "strain_window", "Usual range: check-ins needed"),
            ("strain_min_points", "strain_reference_points", "Usual range: check-ins needed"),
            ("strain_trend_min_points", "strain_trend_points", "Sustained rise: check-ins needed"),
        )
        for low, high, label in pairs:
            if low not in found and high not in found and getattr(self, low) > getattr(self, high):
                found.setdefault(low, f"{label} ({getattr(self, low):g}) cannot be above {_label(high)} "
                                      f"({getattr(self, high):g}).")
        return found


def _label(name: str) -> str:
    return next(setting.label for setting in THRESHOLD_SETTINGS if setting.name == name).lower()


_TYPES = {"int": int, "float": float}


def read_settings(session: Session) -> ProgramSettings:
    stored = {row.key: row.value for row in session.exec(select(Setting))}
    values = {}
    for field in fields(ProgramSettings):
        if field.name in stored:
            values[field.name] = _TYPES.get(field.type, str)(stored[field.name])
    return ProgramSettings(**values)


def settings_for_admin(session: Session, *, actor: User, on: date) -> ProgramSettings:
    authorize(session, actor=actor, action=Action.MANAGE_ACCOUNTS, on=on)
    return read_settings(session)


def _coerce(name: str, value: object) -> object:
    default = getattr(ProgramSettings(), name)
    if isinstance(default, int):
        try:
            return int(value)
        except (TypeError, ValueError) as error:
            raise ValidationError(f"{name} must be a whole number.", problems={name: "Enter a whole number."}) from error
    if isinstance(default, float):
        try:
            return float(value)
        except (TypeError, ValueError) as error:
            raise ValidationError(f"{name} must be a number.", problems={name: "Enter a number."}) from error
    return str(value).strip()


def write_settings(session: Session, *, actor: User | None, changes: dict[str, object], on: date) -> ProgramSettings:
    """Validate every change first, then store them together. `actor` None is the command line."""
    if actor is not None:
        authorize(session, actor=actor, action=Action.MANAGE_ACCOUNTS, on=on)
    known = {field.name for field in fields(ProgramSettings)}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise ValidationError(f"Unknown setting {', '.join(unknown)}; known settings are {', '.join(sorted(known))}.")
    updated = replace(read_settings(session), **{name: _coerce(name, value) for name, value in changes.items()})
    problems = updated.problems()
    if problems:
        raise ValidationError(" ".join(problems.values()), problems=problems)
    for name in changes:
        row = session.get(Setting, name) or Setting(key=name, value="")
        row.value = str(getattr(updated, name))
        row.updated_at = clock.now()
        session.add(row)
    audit.record(session, actor=actor, action="settings_changed", resource_type="setting", detail=", ".join(sorted(changes)))
    session.commit()
    return updated
