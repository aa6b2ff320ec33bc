"""Program settings stored in the database, with their defaults and validation."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

from sqlmodel import Session, select

from console import audit, clock
from console.access import Action, authorize
from console.dates import WEEKDAYS, time_of_day, time_zone
from console.errors import ValidationError
from console.notification_kinds import split_codes, unknown_kinds
from db.models import Setting, User

CADENCES = ("weekly", "biweekly")


@dataclass(frozen=True)
class ProgramSettings:
    anonymity_k: int = 5
    supervision_cadence: str = "weekly"
    assessment_cadence_days: int = 30
    assessment_instrument: str = "proqol-style-30"
    support_contact: str = "Your program's employee assistance program (EAP): ask your supervisor or lead for the number."
    instruments_folder: str = ""
    time_zone: str = "UTC"
    reminder_weekday: str = "monday"
    reminder_time: str = "09:00"
    prep_digest_weekday: str = "thursday"
    reach_out_response_hours: int = 24
    notifications_off: str = ""

    def problems(self) -> dict[str, str]:
        found = {}
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
        if time_zone(self.time_zone) is None:
            found["time_zone"] = "Enter an IANA time zone name such as America/Chicago or UTC."
        for name in ("reminder_weekday", "prep_digest_weekday"):
            if getattr(self, name) not in WEEKDAYS:
                found[name] = f"Choose a weekday: {', '.join(WEEKDAYS)}."
        if time_of_day(self.reminder_time) is None:
            found["reminder_time"] = "Enter the reminder time as HH:MM on a 24-hour clock, e.g. 09:00."
        if not 1 <= self.reach_out_response_hours <= 168:
            found["reach_out_response_hours"] = "The expected response time must be from 1 to 168 hours."
        unknown = unknown_kinds(split_codes(self.notifications_off))
        if unknown:
            found["notifications_off"] = f"Unknown or required notification kind {', '.join(unknown)}."
        return found


def read_settings(session: Session) -> ProgramSettings:
    stored = {row.key: row.value for row in session.exec(select(Setting))}
    values = {}
    for field in fields(ProgramSettings):
        if field.name in stored:
            values[field.name] = int(stored[field.name]) if field.type in ("int", int) else stored[field.name]
    return ProgramSettings(**values)


def settings_for_admin(session: Session, *, actor: User, on: date) -> ProgramSettings:
    authorize(session, actor=actor, action=Action.MANAGE_ACCOUNTS)
    return read_settings(session)


def _coerce(name: str, value: object) -> object:
    default = getattr(ProgramSettings(), name)
    if isinstance(default, int):
        try:
            return int(value)
        except (TypeError, ValueError) as error:
            raise ValidationError(f"{name} must be a whole number.", problems={name: "Enter a whole number."}) from error
    return str(value).strip()


def write_settings(session: Session, *, actor: User | None, changes: dict[str, object], on: date) -> ProgramSettings:
    """Validate every change first, then store them together. `actor` None is the command line."""
    if actor is not None:
        authorize(session, actor=actor, action=Action.MANAGE_ACCOUNTS)
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
