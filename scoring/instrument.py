"""What an instrument is, as the rest of the console sees it.

Instances are built by `scoring.loader` from TOML files, which validates them;
the dataclasses here hold the result and a scoring plan worked out once.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from scoring.results import ScaleScore

HIGHER_IS_BETTER = "higher-is-better"
HIGHER_IS_WORSE = "higher-is-worse"
BANDS = ("low", "moderate", "high")
SOURCE_LANGUAGE = "en"
"""The language of an instrument file's own texts."""
TRANSLATION_LANGUAGES = ("es",)
"""The languages an instrument file may carry translations for (the console's languages but English)."""


@dataclass(frozen=True)
class ResponseScale:
    values: tuple[int, ...]
    labels: dict[int, str] = field(hash=False)

    @property
    def minimum(self) -> int:
        return self.values[0]

    @property
    def maximum(self) -> int:
        return self.values[-1]


@dataclass(frozen=True)
class Item:
    number: int
    key: str | None
    prompt: str
    scale: str | None
    reverse: bool
    higher_is_better: bool
    labels: dict[int, str] = field(hash=False)


@dataclass(frozen=True)
class Scale:
    """A scale: the sum of its keyed items, banded by two cut points.

    Band rule: ``low`` when raw <= ``low_max``, ``high`` when raw >= ``high_min``,
    ``moderate`` otherwise, so a prorated 22.2 on a 22/42 scale is moderate.
    """

    name: str
    label: str
    about: str
    """What the scale measures, in plain words, as a self-score sheet explains it beside the score."""
    higher_is_better: bool
    low_max: float
    high_min: float
    reliability: float
    sd: float | None
    mean: float | None
    meanings: dict[str, str] = field(hash=False)
    items: tuple[int, ...] = ()

    @property
    def direction(self) -> str:
        return HIGHER_IS_BETTER if self.higher_is_better else HIGHER_IS_WORSE

    @property
    def concern_band(self) -> str:
        """The band a supervisor should notice: low for a higher-is-better scale, else high."""
        return "low" if self.higher_is_better else "high"

    def band(self, raw: float | None) -> str | None:
        if raw is None:
            return None
        if raw <= self.low_max:
            return "low"
        if raw >= self.high_min:
            return "high"
        return "moderate"


@dataclass(frozen=True)
class ChecklistOption:
    code: str
    label: str


@dataclass(frozen=True)
class FieldSpec:
    """Limits for a whole-number field of a form, e.g. the check-in's caseload."""

    min: int
    max: int
    label: str


@dataclass(frozen=True)
class ScalePlan:
    """Everything `scoring.score` needs for one scale, worked out once per instrument.

    Item numbers are split by keying (a reverse-keyed answer x counts as
    ``reverse_base - x``, i.e. 6 - x on a 1-5 scale), and every possible
    `ScaleScore` is built in advance, so scoring a set of answers is two sums
    and a dictionary lookup per scale.
    """

    name: str
    forward: tuple[int, ...]
    reverse: tuple[int, ...]
    reverse_base: int
    count: int
    complete: dict[int, ScaleScore] = field(hash=False)
    prorated: dict[tuple[int, int], ScaleScore] = field(hash=False)
    incomplete: dict[int, ScaleScore] = field(hash=False)


def _plan_scale(scale: Scale, *, items: tuple[Item, ...], response: ResponseScale, max_missing: int) -> ScalePlan:
    keyed = [item for item in items if item.scale == scale.name]
    count = len(keyed)

    def outcome(raw: float, answered: int) -> ScaleScore:
        band = scale.band(raw)
        return ScaleScore(scale.name, raw, band, answered, True, None if band is None else scale.meanings.get(band))

    def totals(answered: int) -> range:
        return range(answered * response.minimum, answered * response.maximum + 1)

    return ScalePlan(
        name=scale.name,
        forward=tuple(item.number for item in keyed if not item.reverse),
        reverse=tuple(item.number for item in keyed if item.reverse),
        reverse_base=response.minimum + response.maximum,
        count=count,
        complete={total: outcome(float(total), count) for total in totals(count)},
        prorated={
            (answered, total): outcome(round(total / answered * count, 1), answered)
            for answered in range(max(count - max_missing, 1), count)
            for total in totals(answered)
        },
        incomplete={
            answered: ScaleScore(scale.name, None, None, answered, False, None) for answered in range(count + 1)
        },
    )


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    title: str
    instructions: str
    recall_window: str
    response: ResponseScale
    items: tuple[Item, ...]
    scales: dict[str, Scale] = field(hash=False)
    max_missing_per_scale: int = 0
    prorate: bool = False
    source: str = ""
    credit: str = ""
    checklists: dict[str, tuple[ChecklistOption, ...]] = field(default_factory=dict, hash=False)
    fields: dict[str, FieldSpec] = field(default_factory=dict, hash=False)
    path: Path | None = None
    translations: dict[str, dict[str, str]] = field(default_factory=dict, hash=False)
    """Per language code, texts by their place in the file (see `texts`); built by the loader."""
    language: str = SOURCE_LANGUAGE
    item_numbers: frozenset[int] = field(init=False, repr=False, compare=False, hash=False)
    answer_values: frozenset[int | None] = field(init=False, repr=False, compare=False, hash=False)
    scale_plans: tuple[ScalePlan, ...] = field(init=False, repr=False, compare=False, hash=False)
    by_language: dict[str, Instrument] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "item_numbers", frozenset(item.number for item in self.items))
        object.__setattr__(self, "answer_values", frozenset((*self.response.values, None)))
        plans = tuple(
            _plan_scale(scale, items=self.items, response=self.response, max_missing=self.max_missing_per_scale)
            for scale in self.scales.values()
        )
        object.__setattr__(self, "scale_plans", plans)
        object.__setattr__(self, "by_language", {self.language: self})

    def item(self, number: int) -> Item:
        for item in self.items:
            if item.number == number:
                return item
        raise KeyError(number)

    def item_by_key(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def texts(self) -> dict[str, str]:
        """Every text a person reads, in the instrument's own language, by its place in the file.

        The places are the keys a ``[translations.<language>]`` table uses: ``title``, ``instructions``,
        ``recall_window``, ``source``, ``credit``, ``response.labels.<value>``, ``items.<number>.prompt``,
        ``items.<number>.labels.<value>`` (items with labels of their own), ``scales.<name>.label``,
        ``scales.<name>.about``, ``scales.<name>.meanings.<band>``, ``checklists.<name>.<code>`` and
        ``fields.<name>.label``.
        """
        texts = {
            "title": self.title,
            "instructions": self.instructions,
            "recall_window": self.recall_window,
            "source": self.source,
            "credit": self.credit,
        }
        texts.update({f"response.labels.{value}": label for value, label in self.response.labels.items()})
        for item in self.items:
            texts[f"items.{item.number}.prompt"] = item.prompt
            if item.labels != self.response.labels:
                texts.update({f"items.{item.number}.labels.{value}": label for value, label in item.labels.items()})
        for name, scale in self.scales.items():
            texts[f"scales.{name}.label"] = scale.label
            texts[f"scales.{name}.about"] = scale.about
            texts.update({f"scales.{name}.meanings.{band}": meaning for band, meaning in scale.meanings.items()})
        for name, options in self.checklists.items():
            texts.update({f"checklists.{name}.{option.code}": option.label for option in options})
        for name, spec in self.fields.items():
            texts[f"fields.{name}.label"] = spec.label
        return {place: text for place, text in texts.items() if text}

    def untranslated(self, language: str) -> list[str]:
        """The places of `texts` that have no translation into `language`, in file order."""
        translated = self.translations.get(language, {})
        return [place for place in self.texts() if place not in translated]

    def in_language(self, language: str) -> Instrument:
        """This instrument with its texts in `language`, each text without a translation left as written.

        Only texts change: items, keying, scales, cut points and the scoring plan are the same in every
        language. A language the file has no translations for gives the instrument as written.
        """
        known = self.by_language.get(language)
        if known is not None:
            return known
        source = self.by_language.get(SOURCE_LANGUAGE, self)
        translated = source if language not in source.translations else source.translated(language)
        object.__setattr__(translated, "by_language", self.by_language)
        self.by_language[language] = translated
        return translated

    def translated(self, language: str) -> Instrument:
        """A new instrument with the texts of `language` (use `in_language`, which keeps them)."""
        words = self.translations.get(language, {})

        def text(place: str, english: str) -> str:
            return words.get(place, english)

        def labels(prefix: str, english: dict[int, str]) -> dict[int, str]:
            return {value: text(f"{prefix}.{value}", label) for value, label in english.items()}

        response = dataclasses.replace(self.response, labels=labels("response.labels", self.response.labels))
        items = tuple(
            dataclasses.replace(
                item,
                prompt=text(f"items.{item.number}.prompt", item.prompt),
                labels=response.labels
                if item.labels == self.response.labels
                else labels(f"items.{item.number}.labels", item.labels),
            )
            for item in self.items
        )
        scales = {
            name: dataclasses.replace(
                scale,
                label=text(f"scales.{name}.label", scale.label),
                about=text(f"scales.{name}.about", scale.about),
                meanings={
                    band: text(f"scales.{name}.meanings.{band}", meaning) for band, meaning in scale.meanings.items()
                },
            )
            for name, scale in self.scales.items()
        }
        checklists = {
            name: tuple(
                dataclasses.replace(option, label=text(f"checklists.{name}.{option.code}", option.label))
                for option in options
            )
            for name, options in self.checklists.items()
        }
        fields = {
            name: dataclasses.replace(spec, label=text(f"fields.{name}.label", spec.label))
            for name, spec in self.fields.items()
        }
        return dataclasses.replace(
            self,
            language=language,
            title=text("title", self.title),
            instructions=text("instructions", self.instructions),
            recall_window=text("recall_window", self.recall_window),
            source=text("source", self.source),
            credit=text("credit", self.credit),
            response=response,
            items=items,
            scales=scales,
            checklists=checklists,
            fields=fields,
        )
