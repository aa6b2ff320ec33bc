"""Words built by pure code, to be translated where they are shown.

Scoring explains itself (a flag's reason, a change's meaning) in English templates with named values; it
never translates, since that reads catalogues. `console.core.i18n.render` translates the template into the
reader's language and fills in the values: dates are shown as the language shows them, nested phrases are
rendered in turn and tuples become lists ("a, b and c"). `str(phrase)` gives the English text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Union

PhraseValue = Union[str, int, float, date, "Phrase", tuple["PhraseValue", ...]]


def N_(template: str, /) -> str:
    """Marks a template for the translation catalogue; returns it unchanged."""
    return template


@dataclass(frozen=True)
class Phrase:
    template: str
    values: tuple[tuple[str, PhraseValue], ...] = ()

    @classmethod
    def of(cls, template: str, /, **values: PhraseValue) -> Phrase:
        """`Phrase.of(N_("Reported {what} on {days}."), what=..., days=(...))`."""
        return cls(template, tuple(values.items()))

    def __str__(self) -> str:
        return self.template.format(**{name: _english(value) for name, value in self.values}) if self.values \
            else self.template


def _english(value: PhraseValue) -> str | int | float:
    if isinstance(value, Phrase):
        return str(value)
    if isinstance(value, date):
        return f"{value.day} {value:%b %Y}"
    if isinstance(value, tuple):
        items = [str(_english(item)) for item in value]
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""
    return value
