"""The one translation layer: every string a person reads goes through `_` (or `n_`), in their language.

Messages are written in English in the code and translated through gettext catalogues kept with Babel under
`console/locale/<language>/LC_MESSAGES/*.po`, one file per area of the console (peer, supervisor, lead, admin,
core, notify, ...); the files of a language are read together as one catalogue. `make messages` lists the
messages a catalogue still lacks; a test fails while any message shown to a person has no translation.

The language is set once per page run (`set_language`, from the person's choice or the program's default) and
for work done on someone's behalf outside a page, such as an email (`use_language`). Messages carry named
placeholders, filled after translation: `_("Hi {name}.", name=first_name)`, so a translation may move them.
Module-level texts are marked with `N_` and translated where they are shown.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton, get_day_names
from babel.lists import format_list
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

from console.core.dates import WEEKDAYS, time_zone
from scoring.phrases import Phrase

SOURCE_LANGUAGE = "en"
"""The language the messages are written in."""
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
"""Every language the console speaks, by code, each named in itself."""
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
EXTRACTION_KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "n_": (1, 2)}
"""The marker functions, as Babel's extractor takes them (`n_` has its singular and plural at 1 and 2)."""

_language: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=SOURCE_LANGUAGE)


@dataclass(frozen=True)
class LoadedCatalogue:
    translations: Translations
    known: frozenset[str]
    """The message ids with a translation."""


def supported(language: str | None) -> str:
    """`language` when the console speaks it, else the source language."""
    return language if language in LANGUAGES else SOURCE_LANGUAGE


def catalogue_files(language: str) -> list[Path]:
    return sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po"))


@functools.cache
def _catalogue(language: str) -> LoadedCatalogue:
    merged = Catalog(locale=language)
    for path in catalogue_files(language):
        with path.open("rb") as po_file:
            for message in read_po(po_file, locale=language):
                if message.id and all(translations_of(message.string)) and not message.fuzzy:
                    merged.add(message.id, message.string, context=message.context)
    buffer = BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    known = frozenset(message.id if isinstance(message.id, str) else message.id[0] for message in merged if message.id)
    return LoadedCatalogue(Translations(fp=buffer), known)


def translations_of(string: object) -> list[str]:
    """A catalogue entry's translations: one, or one per plural form; [""] when there is none."""
    if isinstance(string, str):
        return [string]
    if isinstance(string, tuple | list) and string:
        return [text if isinstance(text, str) else "" for text in string]
    return [""]


missing_messages: set[tuple[str, str]] | None = None
"""Set to an empty set (by tests) to collect every (language, message) asked for that has no translation."""


def _lookup(language: str, message: str) -> LoadedCatalogue | None:
    if language == SOURCE_LANGUAGE:
        return None
    loaded = _catalogue(language)
    if message not in loaded.known and missing_messages is not None:
        missing_messages.add((language, message))
    return loaded


def _fill(text: str, values: Mapping[str, Any]) -> str:
    return text.format(**values) if values else text


def _(message: str, /, **values: Any) -> str:
    """`message` in the current language, its `{placeholders}` filled from `values`."""
    loaded = _lookup(_language.get(), message)
    text = loaded.translations.gettext(message) if loaded else message
    return _fill(text, values)


def n_(singular: str, plural: str, count: int, /, **values: Any) -> str:
    """The singular or plural message for `count`, as the current language counts; `{count}` is filled."""
    loaded = _lookup(_language.get(), singular)
    if loaded:
        text = loaded.translations.ngettext(singular, plural, count)
    else:
        text = singular if count == 1 else plural
    return _fill(text, {"count": count, **values})


def N_(message: str, /) -> str:
    """Marks a message to translate where it is shown (module-level texts); returns it unchanged."""
    return message


def current_language() -> str:
    return _language.get()


def set_language(language: str | None) -> None:
    """The language of everything that follows in this page run (or thread)."""
    _language.set(supported(language))


@contextmanager
def use_language(language: str | None) -> Iterator[None]:
    """Everything inside in `language` (an email written for its recipient), then back as it was."""
    token = _language.set(supported(language))
    try:
        yield
    finally:
        _language.reset(token)


def render(phrase: Phrase | str) -> str:
    """A phrase built by pure code (scoring), translated and filled: dates shown as dates, nested phrases
    rendered in turn, lists joined as the language joins them."""
    if isinstance(phrase, str):
        return phrase
    return _(phrase.template, **{name: _shown(value) for name, value in phrase.values})


def _shown(value: Any) -> Any:
    if isinstance(value, Phrase):
        return render(value)
    if isinstance(value, datetime):
        return show_date(value.date())
    if isinstance(value, date):
        return show_date(value)
    if isinstance(value, tuple):
        return show_list(str(_shown(item)) for item in value)
    return value


def show_date(day: date) -> str:
    """A date as every page shows it: "24 Nov 2026", "24 nov 2026"."""
    return format_date(day, format="d MMM y", locale=_language.get())


DAY_PATTERNS = {"en": "EEEE d MMMM", "es": "EEEE d 'de' MMMM"}


def show_day(day: date) -> str:
    """A day with its weekday: "Monday 23 November", "lunes 23 de noviembre"."""
    language = _language.get()
    if language in DAY_PATTERNS:
        return format_date(day, format=DAY_PATTERNS[language], locale=language)
    return format_skeleton("MMMMEEEEd", day, locale=language)


def show_weekday(code: str) -> str:
    """A weekday code of `WEEKDAYS` by its name in the reader's language: "Monday", "Lunes" (capitalized, as
    it stands alone in a list). An unknown code is shown as written."""
    if code not in WEEKDAYS:
        return code
    name = str(get_day_names("wide", locale=_language.get())[WEEKDAYS.index(code)])
    return name[:1].upper() + name[1:]


def show_month(day: date) -> str:
    """A month: "November 2026", "noviembre de 2026"."""
    return format_skeleton("yMMMM", day, locale=_language.get())


def show_time(moment: datetime, *, zone_name: str) -> str:
    """A moment on the program's wall clock, with its zone's abbreviation: "24 Nov 2026, 09:05 CST".

    A naive moment is read as UTC (the database stores UTC); an unknown zone name shows UTC.
    """
    zone = time_zone(zone_name) or ZoneInfo("UTC")
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    local = aware.astimezone(zone)
    return f"{show_date(local.date())}, {local:%H:%M} {local.tzname()}"


def show_number(value: float, *, decimals: int = 0) -> str:
    """A number with the language's decimal mark: "1,234.5", "1234,5"."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_language.get())


def show_percent(share: float, *, decimals: int = 0) -> str:
    """A share (0-1) as a percentage: "25%", "25 %"."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return format_percent(share, format=pattern, locale=_language.get())


def show_list(items: Iterable[str], *, style: Literal["standard", "or"] = "standard") -> str:
    """Items joined as the language joins them: "a, b and c", "a, b y c"."""
    return format_list(list(items), style=style, locale=_language.get())
