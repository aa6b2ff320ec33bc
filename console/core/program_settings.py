"""Program settings stored in the database, with their defaults and validation.

A setting is checked when it is saved: its value (`ProgramSettings.problems`), its text
(`input_limits`, per field in `TEXT_FIELDS`) and what it refers to (`reference_problems`: the
instruments folder exists, is readable and every file in it loads; the instrument id names one that
loads). A stored value that later stops working (a file removed) is reported by `stored_problems`
and never stops `read_settings`.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

import scoring
from console.core import audit, clock, input_limits
from console.core.dates import WEEKDAYS, time_of_day, time_zone
from console.core.errors import ValidationError
from console.core.i18n import LANGUAGES, N_, _
from console.notify.kinds import split_codes, unknown_kinds
from console.policy.access import Action, authorize
from db.models import Setting, User

CADENCES = ("weekly", "biweekly")
WHERE_TO_FIX = "An admin can fix this on Program settings."


_FLAG_DEFAULTS = scoring.FlagSettings()


@dataclass(frozen=True)
class ThresholdSetting:
    """One numeric threshold or window an admin may change: its label, explanation and allowed range."""

    name: str
    label: str
    """In English, marked for translation: shown as `_(label)`."""
    help: str
    minimum: float
    maximum: float
    whole: bool = True


THRESHOLD_SETTINGS = (
    ThresholdSetting("caseload_guideline_min", N_("Caseload guideline, bottom"), N_("Below this a caseload is shown as "
                     "below the guideline (the LAPPA tool kit names 20–30 for weekly check-in work)."), 0, 200),
    ThresholdSetting("caseload_guideline_max", N_("Caseload guideline, top"), N_("A caseload above this raises a prep flag "
                     "and counts as above the guideline on lead pages."), 1, 200),
    ThresholdSetting("caseload_rising_weeks", N_("Caseload rising, weeks running"), N_("A caseload that rose this many "
                     "weeks running raises a prep flag."), 1, 12),
    ThresholdSetting("checkin_overdue_days", N_("Check-in overdue after … days"), N_("More than this many days since the "
                     "last check-in raises a prep flag."), 1, 60),
    ThresholdSetting("asked_to_talk_window_days", N_("Asked to talk: look back … days"), N_("A check-in in the last this "
                     "many days (today included) asking to talk in supervision raises an urgent prep flag."), 1, 60),
    ThresholdSetting("exposure_window_days", N_("Debrief exposures: look back … days"), N_("A death of someone served or an "
                     "overdose scene reported in the last this many days (today included) suggests a supportive "
                     "debrief."), 1, 60),
    ThresholdSetting("supervision_gap_days", N_("No supervision in … days"), N_("More than this many days since the last "
                     "session raises a prep flag."), 1, 90),
    ThresholdSetting("supportive_gap_days", N_("No supportive supervision in … days"), N_("More than this many days since a "
                     "session with supportive minutes raises a prep flag."),
                     1, 180),
    ThresholdSetting("balance_window_days", N_("Balance of functions over the last … days"), N_("The window of minutes per "
                     "function on the supervisor's load page."), 7, 365),
    ThresholdSetting("strain_recent_days", N_("Recent strain: last … days"), N_("Check-ins in the last this many days "
                     "(today included) are compared with what is usual for the peer."), 7, 60),
    ThresholdSetting("strain_window", N_("Recent usual range: earlier check-ins"), N_("How many earlier check-ins make the "
                     "peer's recent usual range."), 2, 52),
    ThresholdSetting("strain_min_points", N_("Usual range: check-ins needed"), N_("How many check-ins a usual range needs "
                     "before it is used."), 2, 52),
    ThresholdSetting("strain_mad_floor", N_("Usual range: spread floor (strain points)"), N_("The smallest spread a usual "
                     "range is given, so a very steady peer is not flagged for a small wobble."), 0, 50, whole=False),
    ThresholdSetting("strain_multiplier", N_("Usual range: width (spreads)"), N_("How many spreads above the typical week "
                     "counts as unusual."), 0.5, 5, whole=False),
    ThresholdSetting("strain_reference_points", N_("Long reference: first check-ins"), N_("How many of the peer's first "
                     "check-ins make their long reference, which a slow slide cannot drag along."), 2, 52),
    ThresholdSetting("strain_trend_points", N_("Sustained rise: over the last … check-ins"), N_("How many recent check-ins "
                     "the strain trend is measured over."), 3, 52),
    ThresholdSetting("strain_trend_min_points", N_("Sustained rise: check-ins needed"), N_("How many check-ins in that "
                     "window the trend needs."), 3, 52),
    ThresholdSetting("strain_rise_per_week", N_("Sustained rise: strain points a week"), N_("A trend at least this steep "
                     "raises a prep flag and is named in the peer's feedback."), 0.5, 20, whole=False),
    ThresholdSetting("debrief_window_hours", N_("After a hard call: offer a debrief within … hours (a program choice)"),
                     N_("After a fatal overdose, a death of someone served or a call the peer rated very hard, the "
                     "supervisor is asked to offer a debrief within this many hours of the call's end; a prep flag "
                     "follows when the window passes without one."), 1, 336),
    ThresholdSetting("outside_role_hours_max", N_("Hours outside the peer role, a week"), N_("More hours than this on tasks "
                     "outside the peer role (driving, case management, clerical or clinical-type work) on the latest "
                     "check-in raises a prep flag (peer drift)."), 0, 100, whole=False),
    ThresholdSetting("outside_role_rising_weeks", N_("Hours outside the peer role rising, weeks running"), N_("Hours "
                     "outside the peer role that rose this many weeks running raise a prep flag."), 1, 12),
)
"""The thresholds and windows of flags and lead figures, in the order the admin page shows them."""


RECOMMENDED_K = 5
"""The anonymity threshold below which the admin page warns (the lowest allowed is 3)."""


@dataclass(frozen=True)
class ProgramSettings:
    anonymity_k: int = 5
    supervision_cadence: str = "weekly"
    assessment_cadence_days: int = 30
    assessment_instrument: str = "proqol-style-30"
    support_contact: str = "Your program's employee assistance program (EAP): ask your supervisor or lead for the number."
    instruments_folder: str = ""
    time_zone: str = "UTC"
    language: str = "en"
    reminder_weekday: str = "monday"
    reminder_time: str = "09:00"
    prep_digest_weekday: str = "thursday"
    reach_out_response_hours: int = 24
    notifications_off: str = ""
    backup_contact_email: str = ""
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
    debrief_window_hours: int = _FLAG_DEFAULTS.debrief_window_hours
    working_hours_start: str = "08:00"
    working_hours_end: str = "17:00"
    working_days: str = "monday,tuesday,wednesday,thursday,friday"
    outside_role_hours_max: float = _FLAG_DEFAULTS.outside_role_hours_max
    outside_role_rising_weeks: int = _FLAG_DEFAULTS.outside_role_rising_weeks

    @property
    def flags(self) -> scoring.FlagSettings:
        """The prep-flag thresholds as this program set them."""
        names = {field.name for field in fields(scoring.FlagSettings)} & {field.name for field in fields(self)}
        return replace(_FLAG_DEFAULTS, **{name: getattr(self, name) for name in names})

    @property
    def caseload_guideline(self) -> tuple[int, int]:
        return self.caseload_guideline_min, self.caseload_guideline_max

    @property
    def working_day_codes(self) -> tuple[str, ...]:
        """The working days as `WEEKDAYS` codes, in week order; an unknown name is left out (`problems` names it)."""
        return parse_working_days(self.working_days)

    def is_after_hours(self, moment: datetime) -> bool:
        """Whether `moment` falls outside the program's working hours: on a day that is not a working day, or
        before `working_hours_start` or from `working_hours_end` on, in the program's time zone."""
        zone = time_zone(self.time_zone) or UTC
        local = moment.astimezone(zone)
        start, end = time_of_day(self.working_hours_start), time_of_day(self.working_hours_end)
        if start is None or end is None:
            start, end = time_of_day(_default_text("working_hours_start")), time_of_day(_default_text("working_hours_end"))
            assert start is not None and end is not None, "the default working hours are HH:MM"
        working_days = set(self.working_day_codes)
        clock_time = local.time().replace(tzinfo=None)
        return WEEKDAYS[local.weekday()] not in working_days or not start <= clock_time < end

    @property
    def anonymity_warning(self) -> str | None:
        """A caution shown beside the threshold when it is allowed but below the recommended RECOMMENDED_K."""
        if self.anonymity_k >= RECOMMENDED_K:
            return None
        return _("A threshold below {recommended} shows figures built from as few as {k} peers: a lead who knows "
                 "some of them learns more about the others. Keep it at {recommended} or more unless your teams are "
                 "too small to see anything.", recommended=RECOMMENDED_K, k=self.anonymity_k)

    def problems(self) -> dict[str, str]:
        found = self._threshold_problems()
        if not 3 <= self.anonymity_k <= 50:
            found["anonymity_k"] = _("The anonymity threshold k must be a whole number from 3 to 50.")
        if self.supervision_cadence not in CADENCES:
            found["supervision_cadence"] = _("Supervision cadence must be weekly or biweekly.")
        if not 7 <= self.assessment_cadence_days <= 365:
            found["assessment_cadence_days"] = _("Assessment cadence must be from 7 to 365 days.")
        if not self.assessment_instrument.strip():
            found["assessment_instrument"] = _("Name the instrument id of the periodic self-assessment.")
        if time_zone(self.time_zone) is None:
            found["time_zone"] = _("Enter an IANA time zone name such as America/Chicago or UTC.")
        if self.language not in LANGUAGES:
            found["language"] = _("Choose the program's language: {languages}.", languages=", ".join(LANGUAGES))
        for name in ("reminder_weekday", "prep_digest_weekday"):
            if getattr(self, name) not in WEEKDAYS:
                found[name] = _("Choose a weekday: {weekdays}.", weekdays=", ".join(WEEKDAYS))
        if time_of_day(self.reminder_time) is None:
            found["reminder_time"] = _("Enter the reminder time as HH:MM on a 24-hour clock, e.g. 09:00.")
        if not 1 <= self.reach_out_response_hours <= 168:
            found["reach_out_response_hours"] = _("The expected response time must be from 1 to 168 hours.")
        if self.backup_contact_email and not EMAIL_ADDRESS.fullmatch(self.backup_contact_email):
            found["backup_contact_email"] = _("Enter the backup contact's email address, such as "
                                              "duty.supervisor@example.org, or leave it empty.")
        start, end = time_of_day(self.working_hours_start), time_of_day(self.working_hours_end)
        if start is None:
            found["working_hours_start"] = _("Enter when the working day starts as HH:MM on a 24-hour clock, e.g. "
                                              "08:00.")
        if end is None:
            found["working_hours_end"] = _("Enter when the working day ends as HH:MM on a 24-hour clock, e.g. 17:00.")
        elif start is not None and end <= start:
            found["working_hours_end"] = _("The working day must end after it starts (call-outs outside it count as "
                                            "after hours).")
        if any(day not in WEEKDAYS for day in split_codes(self.working_days)):
            found["working_days"] = _("Working days are weekday names: {weekdays}.", weekdays=", ".join(WEEKDAYS))
        unknown = unknown_kinds(split_codes(self.notifications_off))
        if unknown:
            found["notifications_off"] = _("Unknown or required notification kind {kinds}.", kinds=", ".join(unknown))
        return found

    def _threshold_problems(self) -> dict[str, str]:
        found = {}
        for setting in THRESHOLD_SETTINGS:
            value = getattr(self, setting.name)
            if not (math.isfinite(value) and setting.minimum <= value <= setting.maximum):
                found[setting.name] = (
                    _("{setting} must be a whole number from {minimum} to {maximum}.", setting=_(setting.label),
                      minimum=f"{setting.minimum:g}", maximum=f"{setting.maximum:g}") if setting.whole else
                    _("{setting} must be a number from {minimum} to {maximum}.", setting=_(setting.label),
                      minimum=f"{setting.minimum:g}", maximum=f"{setting.maximum:g}"))
        pairs = (
            ("caseload_guideline_min", "caseload_guideline_max", N_("The caseload guideline's bottom")),
            ("strain_min_points", "strain_window", N_("Usual range: check-ins needed")),
            ("strain_min_points", "strain_reference_points", N_("Usual range: check-ins needed")),
            ("strain_trend_min_points", "strain_trend_points", N_("Sustained rise: check-ins needed")),
        )
        for low, high, label in pairs:
            if low not in found and high not in found and getattr(self, low) > getattr(self, high):
                found.setdefault(low, _("{setting} ({low}) cannot be above {other} ({high}).", setting=_(label),
                                        low=f"{getattr(self, low):g}", other=_label(high),
                                        high=f"{getattr(self, high):g}"))
        return found


def parse_working_days(stored: str) -> tuple[str, ...]:
    """The `working_days` setting as `WEEKDAYS` codes, in week order, each once; unknown names left out."""
    named = set(split_codes(stored))
    return tuple(day for day in WEEKDAYS if day in named)


def working_days_text(days: Iterable[str]) -> str:
    """Weekday codes as the `working_days` setting stores them: in week order, comma-separated. An unknown
    name is kept, after the weekdays, for `ProgramSettings.problems` to name."""
    chosen = list(dict.fromkeys(day.strip() for day in days if day.strip()))
    return ",".join([day for day in WEEKDAYS if day in chosen] + [day for day in chosen if day not in WEEKDAYS])


def _label(name: str) -> str:
    return _(next(setting.label for setting in THRESHOLD_SETTINGS if setting.name == name)).lower()


LABELS = {
    "anonymity_k": N_("Anonymity threshold k"),
    "supervision_cadence": N_("Supervision cadence"),
    "assessment_cadence_days": N_("Self-assessment cadence (days)"),
    "assessment_instrument": N_("Self-assessment instrument id"),
    "support_contact": N_("Program support contact"),
    "instruments_folder": N_("Folder of extra instrument files"),
    "backup_contact_email": N_("Field safety backup contact email"),
    "working_hours_start": N_("Working day starts (HH:MM)"),
    "working_hours_end": N_("Working day ends (HH:MM)"),
    "working_days": N_("Working days"),
}
TEXT_FIELDS = {
    "assessment_instrument": input_limits.INSTRUMENT_ID,
    "support_contact": input_limits.SUPPORT_CONTACT,
    "instruments_folder": input_limits.INSTRUMENTS_FOLDER,
}
OTHER_TEXT = input_limits.TextField("Setting", 200)
"""The limit of a text setting not named in TEXT_FIELDS."""
WHOLE_NUMBER = re.compile(r"[+-]?\d{1,9}")
EMAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def label(name: str) -> str:
    """A setting's name, in the reader's language."""
    threshold = next((setting.label for setting in THRESHOLD_SETTINGS if setting.name == name), None)
    known = LABELS.get(name) or threshold
    return _(known) if known else name.replace("_", " ").capitalize()


def _default(name: str) -> object:
    return getattr(ProgramSettings(), name)


def _default_text(name: str) -> str:
    return str(_default(name))


def read_settings(session: Session) -> ProgramSettings:
    """The stored settings; a stored value that cannot be read as its type falls back to the default
    (and `stored_problems` reports it), so no page breaks on it."""
    stored = {row.key: row.value for row in session.exec(select(Setting))}
    values: dict[str, Any] = {}
    for field in fields(ProgramSettings):
        if field.name in stored:
            try:
                values[field.name] = _coerce(field.name, stored[field.name])
            except ValidationError:
                continue
    return ProgramSettings(**values)


def reference_problems(settings: ProgramSettings, *, names: set[str] | None = None) -> dict[str, str]:
    """What is wrong with what the settings in `names` (None: all) refer to: the instruments folder and the
    self-assessment instrument."""
    names = {"instruments_folder", "assessment_instrument"} if names is None else names
    found: dict[str, str] = {}
    extra_dirs: list[Path] = []
    if settings.instruments_folder:
        folder = Path(settings.instruments_folder)
        if not folder.is_dir():
            found["instruments_folder"] = _("{setting}: there is no folder {folder} on the server; enter the full "
                                            "path of an existing folder, or leave it empty.",
                                            setting=label("instruments_folder"), folder=str(folder))
        elif not os.access(folder, os.R_OK | os.X_OK):
            found["instruments_folder"] = _("{setting}: the console may not read {folder}; let its account read "
                                            "the folder, or choose another.", setting=label("instruments_folder"),
                                            folder=str(folder))
        else:
            try:
                scoring.list_instruments(extra_dirs=[folder])
            except (scoring.ScoringError, OSError, RecursionError) as error:
                found["instruments_folder"] = _("{setting}: a file there cannot be used ({error}); fix or remove "
                                                "it.", setting=label("instruments_folder"), error=str(error))
            else:
                extra_dirs.append(folder)
    if "instruments_folder" in found:
        if "assessment_instrument" in names and "instruments_folder" not in names:
            found["assessment_instrument"] = _("{setting}: cannot be checked while the instruments folder has a "
                                               "problem.", setting=label("assessment_instrument"))
        return {name: problem for name, problem in found.items() if name in names | {"instruments_folder"}}
    if "assessment_instrument" in names or "instruments_folder" in names:
        try:
            instrument = scoring.load_instrument(settings.assessment_instrument, extra_dirs=extra_dirs)
        except (scoring.ScoringError, OSError, RecursionError):
            known = ", ".join(instrument.id for instrument in scoring.list_instruments(extra_dirs=extra_dirs)
                              if instrument.scales)
            found["assessment_instrument"] = _("{setting}: there is no instrument {instrument}; choose one of: "
                                               "{known}.", setting=label("assessment_instrument"),
                                               instrument=repr(settings.assessment_instrument), known=known)
        else:
            if not instrument.scales:
                found["assessment_instrument"] = _("{setting}: {instrument} has no scales to score, so it cannot be "
                                                   "the self-assessment.", setting=label("assessment_instrument"),
                                                   instrument=repr(instrument.id))
    return found


def stored_problems(session: Session, *, actor: User, on: date) -> dict[str, str]:
    """What is wrong with the settings as stored now (a value out of range, a file removed since), for the admin."""
    authorize(session, actor=actor, action=Action.MANAGE_ACCOUNTS)
    found: dict[str, str] = {}
    for row in session.exec(select(Setting)):
        if row.key in {field.name for field in fields(ProgramSettings)}:
            try:
                _coerce(row.key, row.value)
            except ValidationError as error:
                found[row.key] = _("{problem} (stored: {value})", problem=error.problems.get(row.key, str(error)),
                                   value=repr(row.value))
    current = read_settings(session)
    return found | current.problems() | reference_problems(current)


def settings_for_admin(session: Session, *, actor: User, on: date) -> ProgramSettings:
    authorize(session, actor=actor, action=Action.MANAGE_ACCOUNTS)
    return read_settings(session)


def _refuse(name: str, problem: str) -> ValidationError:
    return ValidationError(problem, problems={name: problem})


def _whole_number(name: str, value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and WHOLE_NUMBER.fullmatch(value.strip()):
        return int(value.strip())
    raise _refuse(name, _("{setting}: enter a whole number such as 5 ({value} is not one).", setting=label(name),
                          value=repr(value)))


def _number(name: str, value: Any) -> float:
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise _refuse(name, _("{setting}: enter a number ({value} is not one).", setting=label(name),
                              value=repr(value)))
    return number


def _coerce(name: str, value: object) -> object:
    """`value` as the type of setting `name`, or a ValidationError saying what to enter."""
    default = _default(name)
    if isinstance(default, bool):
        if str(value).strip().lower() not in ("true", "false"):
            raise _refuse(name, _("{setting}: enter true or false.", setting=label(name)))
        return str(value).strip().lower() == "true"
    if isinstance(default, int):
        return _whole_number(name, value)
    if isinstance(default, float):
        return _number(name, value)
    problem = input_limits.text_problem(value, TEXT_FIELDS.get(name, OTHER_TEXT), label=label(name))
    if problem is not None:
        raise _refuse(name, problem)
    return input_limits.normalized(str(value))


def write_settings(session: Session, *, actor: User | None, changes: dict[str, object], on: date) -> ProgramSettings:
    """Validate every change first, then store them together. `actor` None is the command line."""
    if actor is not None:
        authorize(session, actor=actor, action=Action.MANAGE_ACCOUNTS)
    known = {field.name for field in fields(ProgramSettings)}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise ValidationError(_("Unknown setting {unknown}; known settings are {known}.", unknown=", ".join(unknown),
                                known=", ".join(sorted(known))))
    current = read_settings(session)
    coerced: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name, value in changes.items():
        try:
            coerced[name] = _coerce(name, value)
        except ValidationError as error:
            problems |= error.problems
    if problems:
        raise ValidationError(" ".join(problems.values()), problems=problems)
    updated = replace(current, **coerced)
    changed = {name for name in coerced if getattr(updated, name) != getattr(current, name)}
    problems = {name: problem for name, problem in updated.problems().items() if name in changes}
    if changed & {"instruments_folder", "assessment_instrument"}:
        problems = reference_problems(updated, names=changed) | problems
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
