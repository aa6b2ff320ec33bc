"""Limits on what people type, defined once and checked in the services before anything reaches the database,
so SQLite and PostgreSQL refuse the same inputs with the same message.

Every text field has one `TextField` here: its label, its length limit and whether it may span lines.
Control characters (NUL and the like) are refused everywhere; line breaks and tabs only in multi-line
free text. Dates people enter must fall in `EARLIEST_DATE` … today + `LATEST_YEARS_AHEAD` years.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from console.core.errors import ValidationError
from console.core.i18n import N_, _, show_date, show_number

MULTILINE_ALLOWED = frozenset("\n\r\t")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Direction overrides that can make a name display as another: refused in single-line fields."""
EARLIEST_DATE = date(2000, 1, 1)
LATEST_YEARS_AHEAD = 5


@dataclass(frozen=True)
class TextField:
    label: str
    """In English, marked for translation: shown as `_(label)`."""
    limit: int
    multiline: bool = False


PROGRAM_NAME = TextField(N_("Program name"), 200)
USERNAME = TextField(N_("Username"), 64)
PASSWORD = TextField(N_("Password"), 1_000)
DISPLAY_NAME = TextField(N_("Name"), 120)
EMAIL = TextField(N_("Email"), 254)
TEAM_NAME = TextField(N_("Team name"), 100)
TEAM_SETTING = TextField(N_("Team setting"), 200)
SUPPORT_CONTACT = TextField(N_("Support contact"), 500, multiline=True)
INSTRUMENT_ID = TextField(N_("Instrument id"), 100)
INSTRUMENTS_FOLDER = TextField(N_("Instruments folder"), 1_000)
CHECKIN_NOTE = TextField(N_("Note"), 10_000, multiline=True)
PLAN_SECTION = TextField(N_("Plan section"), 5_000, multiline=True)
SESSION_NOTE = TextField(N_("Session notes"), 10_000, multiline=True)
ACTION_ITEM = TextField(N_("Action item"), 500)
AMENDMENT_REASON = TextField(N_("Reason"), 1_000, multiline=True)
ROSTER_LIST = TextField(N_("List"), 1_000)
LOCATION_NOTE = TextField(N_("Location note"), 500, multiline=True)
INCIDENT_ACCOUNT = TextField(N_("What happened"), 5_000, multiline=True)
ETHICS_NOTE = TextField(N_("Note for supervision"), 2_000, multiline=True)
TRAINING_NAME = TextField(N_("Name of the training or certification"), 200)


def _forbidden(character: str, *, multiline: bool) -> bool:
    if multiline and character in MULTILINE_ALLOWED:
        return False
    if not multiline and character in BIDI_CONTROLS:
        return True
    return unicodedata.category(character) in ("Cc", "Cs", "Zl", "Zp")


def text_problem(value: object, field: TextField, *, label: str | None = None) -> str | None:
    """What to fix in `value` for `field`, or None when it is acceptable."""
    label = label or _(field.label)
    if not isinstance(value, str):
        return _("{field}: enter text.", field=label)
    if len(value) > field.limit:
        return _("{field}: at most {limit} characters; this has {length}, so shorten it by {excess}.", field=label,
                 limit=show_number(field.limit), length=show_number(len(value)),
                 excess=show_number(len(value) - field.limit))
    if any(_forbidden(character, multiline=field.multiline) for character in value):
        if field.multiline:
            return _("{field}: remove the control characters (they can come with pasted text).", field=label)
        return _("{field}: remove the control characters or line breaks (they can come with pasted text).",
                 field=label)
    return None


def require_texts(values: Mapping[str, tuple[object, TextField]], *, refused: str | None = None) -> None:
    """Raise one ValidationError naming every field in `values` ({name: (value, field)}) that needs a change."""
    problems = {name: problem for name, (value, field) in values.items()
                if (problem := text_problem(value, field)) is not None}
    if problems:
        raise ValidationError(" ".join([refused or _("Please fix:"), *problems.values()]), problems=problems)


def normalized(text: str) -> str:
    """`text` in one Unicode form (NFC) without surrounding space: what is stored."""
    return unicodedata.normalize("NFC", text).strip()


def comparable(text: str) -> str:
    """The form two names are compared in, so "Café" typed two ways, or in another case, is one name."""
    return unicodedata.normalize("NFC", text).strip().casefold()


def latest_date(today: date) -> date:
    try:
        return today.replace(year=today.year + LATEST_YEARS_AHEAD)
    except ValueError:
        return today.replace(year=today.year + LATEST_YEARS_AHEAD, day=28)


def date_problem(value: object, *, label: str, today: date) -> str | None:
    """What to fix in a date a person entered, or None when it is in the range the console accepts."""
    if not isinstance(value, date):
        return _("{field}: choose a date.", field=label)
    if not EARLIEST_DATE <= value <= latest_date(today):
        return _("{field}: choose a date from {earliest} to {latest}.", field=label, earliest=show_date(EARLIEST_DATE),
                 latest=show_date(latest_date(today)))
    return None
