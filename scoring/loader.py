"""Reading and validating instrument files (TOML).

Every problem with a file raises `InstrumentError` naming the file and the
field, e.g. ``weekly-pulse.toml: items[3].labels: missing a label for 4``.
Unknown fields are rejected too, so a misspelt ``revers = true`` cannot
silently change how an instrument is scored.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

from scoring.errors import InstrumentError, ScoringError
from scoring.instrument import (
    BANDS,
    HIGHER_IS_BETTER,
    HIGHER_IS_WORSE,
    SOURCE_LANGUAGE,
    TRANSLATION_LANGUAGES,
    ChecklistOption,
    FieldSpec,
    Instrument,
    Item,
    ResponseScale,
    Scale,
)

BUILTIN_DIR = Path(__file__).parent / "instruments"

_ID_PATTERN = (re.compile(r"[a-z0-9][a-z0-9._-]*"), "lower-case letters, digits, '.', '_' and '-'")
_NAME_PATTERN = (re.compile(r"[a-z][a-z0-9_]*"), "lower-case letters, digits and '_', starting with a letter")
_TOP_LEVEL_REQUIRED = (
    "id",
    "version",
    "title",
    "instructions",
    "recall_window",
    "source",
    "credit",
    "response",
    "items",
)
_TOP_LEVEL_OPTIONAL = ("scales", "missing_data", "checklists", "fields", "translations")
_ITEM_FIELDS = ("number", "key", "prompt", "scale", "reverse", "higher_is_better", "labels")
_SCALE_REQUIRED = ("label", "about", "direction", "low_max", "high_min", "reliability", "meanings")
_SCALE_OPTIONAL = ("sd", "mean")


class _Fields:
    """Typed access to one TOML table, raising `InstrumentError` with the dotted field name."""

    def __init__(self, table: Any, *, path: str, where: str) -> None:
        self.path = path
        self.where = where
        if not isinstance(table, dict):
            self.fail(where, "must be a table")
        self.table = table

    def name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def fail(self, field: str, problem: str) -> NoReturn:
        raise InstrumentError(self.path, field, problem)

    def only(self, *, required: Iterable[str], optional: Iterable[str] = ()) -> None:
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in self.table:
            if key not in allowed:
                self.fail(self.name(key), f"unknown field (allowed: {', '.join(sorted(allowed))})")
        for key in required:
            if key not in self.table:
                self.fail(self.name(key), "missing")

    def has(self, key: str) -> bool:
        return key in self.table

    def text(self, key: str, *, pattern: tuple[re.Pattern[str], str] | None = None) -> str:
        value = self.table.get(key)
        if not isinstance(value, str):
            self.fail(self.name(key), "must be text")
        if not value.strip():
            self.fail(self.name(key), "must not be empty")
        if pattern is not None:
            self.check_pattern(key, value, pattern)
        return value

    def check_pattern(self, key: str, value: str, pattern: tuple[re.Pattern[str], str]) -> None:
        regex, description = pattern
        if not regex.fullmatch(value):
            self.fail(self.name(key), f"{value!r} must use only {description}")

    def integer(self, key: str) -> int:
        value = self.table.get(key)
        if type(value) is not int:
            self.fail(self.name(key), "must be a whole number")
        return value

    def number(self, key: str) -> float:
        value = self.table.get(key)
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            self.fail(self.name(key), "must be a finite number")
        return float(value)

    def flag(self, key: str, *, default: bool | None = None) -> bool:
        if key not in self.table and default is not None:
            return default
        value = self.table.get(key)
        if type(value) is not bool:
            self.fail(self.name(key), "must be true or false")
        return value

    def sub(self, key: str) -> _Fields:
        return _Fields(self.table.get(key), path=self.path, where=self.name(key))

    def array(self, key: str) -> list[Any]:
        value = self.table.get(key)
        if not isinstance(value, list) or not value:
            self.fail(self.name(key), "must be a non-empty list")
        return value


def parse_instrument(text: str | bytes, *, path: str | Path | None = None) -> Instrument:
    """Build a validated `Instrument` from TOML text; `path` is named in error messages and kept."""
    origin = str(path) if path else "<instrument text>"
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InstrumentError(origin, "", f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    if not isinstance(text, str):
        raise InstrumentError(origin, "", "expected TOML text")
    try:
        data = tomllib.loads(text)
        return _build(data, path=Path(path) if path else None, origin=origin)
    except tomllib.TOMLDecodeError as error:
        raise InstrumentError(origin, "", f"not valid TOML ({error})") from None
    except RecursionError:
        raise InstrumentError(origin, "", "arrays or tables are nested too deeply for an instrument") from None


def load_instrument_file(path: str | Path) -> Instrument:
    """Read and validate one instrument file."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as error:
        raise InstrumentError(str(path), "", f"cannot read the file ({error.strerror or error})") from None
    return _load_file_cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def _load_file_cached(resolved: str, mtime_ns: int, size: int) -> Instrument:
    """Parse a file once per (path, modification time, size)."""
    try:
        content = Path(resolved).read_bytes()
    except OSError as error:
        raise InstrumentError(resolved, "", f"cannot read the file ({error.strerror or error})") from None
    return parse_instrument(content, path=Path(resolved))


def list_instruments(*, extra_dirs: Iterable[str | Path] = ()) -> list[Instrument]:
    """All instruments, built-in and from `extra_dirs`, sorted by id.

    A broken file in any folder raises `InstrumentError`, so a deployment notices
    a bad extra instrument at start-up rather than when someone first opens it.
    """
    return sorted(_catalog(tuple(extra_dirs)).values(), key=lambda instrument: instrument.id)


def load_instrument(instrument_id: str, *, extra_dirs: Iterable[str | Path] = ()) -> Instrument:
    catalog = _catalog(tuple(extra_dirs))
    if not isinstance(instrument_id, str) or instrument_id not in catalog:
        known = ", ".join(sorted(catalog))
        raise ScoringError(f"unknown instrument {instrument_id!r}; known instruments: {known}")
    return catalog[instrument_id]


def _catalog(extra_dirs: tuple[str | Path, ...]) -> dict[str, Instrument]:
    catalog: dict[str, Instrument] = {}
    for folder in (BUILTIN_DIR, *map(Path, extra_dirs)):
        if not folder.is_dir():
            raise InstrumentError(str(folder), "", "instrument folder not found")
        for file in sorted(folder.glob("*.toml")):
            instrument = load_instrument_file(file)
            if instrument.id in catalog:
                raise InstrumentError(
                    str(file), "id", f"{instrument.id!r} is already used by {catalog[instrument.id].path}"
                )
            catalog[instrument.id] = instrument
    return catalog


def _build(data: dict[str, Any], *, path: Path | None, origin: str) -> Instrument:
    top = _Fields(data, path=origin, where="")
    top.only(required=_TOP_LEVEL_REQUIRED, optional=_TOP_LEVEL_OPTIONAL)
    instrument_id = top.text("id", pattern=_ID_PATTERN)
    version, title, instructions, recall_window, source, credit = (
        top.text(key) for key in ("version", "title", "instructions", "recall_window", "source", "credit")
    )
    response = _response(top.sub("response"))
    scales = _scales(top) if top.has("scales") else {}
    items = _items(top, response=response, scales=scales)
    for name, scale in scales.items():
        keyed = tuple(item.number for item in items if item.scale == name)
        if not keyed:
            top.fail(f"scales.{name}", "no item is keyed to this scale")
        scales[name] = dataclasses.replace(scale, items=keyed)
    max_missing, prorate = _missing_data(top, scales=scales)
    instrument = Instrument(
        id=instrument_id,
        version=version,
        title=title,
        instructions=instructions,
        recall_window=recall_window,
        source=source,
        credit=credit,
        response=response,
        items=items,
        scales=scales,
        max_missing_per_scale=max_missing,
        prorate=prorate,
        checklists=_checklists(top.sub("checklists")) if top.has("checklists") else {},
        fields=_form_fields(top.sub("fields")) if top.has("fields") else {},
        path=path,
    )
    if not top.has("translations"):
        return instrument
    translations = _translations(top.sub("translations"), texts=instrument.texts())
    return dataclasses.replace(instrument, translations=translations)


def _labels(table: _Fields, *, values: tuple[int, ...]) -> dict[int, str]:
    expected = {str(value): value for value in values}
    for key in table.table:
        if key not in expected:
            table.fail(table.name(key), f"not a value of the response scale ({', '.join(expected)})")
    labels = {}
    for key, value in expected.items():
        if key not in table.table:
            table.fail(table.where, f"missing a label for {key}")
        labels[value] = table.text(key)
    return labels


def _response(response: _Fields) -> ResponseScale:
    response.only(required=("values", "labels"))
    values = response.array("values")
    if any(type(value) is not int for value in values):
        response.fail(response.name("values"), "must be whole numbers")
    if len(values) < 2 or values != list(range(values[0], values[0] + len(values))):
        response.fail(response.name("values"), "must be at least two consecutive whole numbers in increasing order")
    return ResponseScale(values=tuple(values), labels=_labels(response.sub("labels"), values=tuple(values)))


def _scales(top: _Fields) -> dict[str, Scale]:
    table = top.sub("scales")
    scales = {}
    for name in table.table:
        table.check_pattern(name, name, _NAME_PATTERN)
        scale = table.sub(name)
        scale.only(required=_SCALE_REQUIRED, optional=_SCALE_OPTIONAL)
        direction = scale.text("direction")
        if direction not in (HIGHER_IS_BETTER, HIGHER_IS_WORSE):
            scale.fail(scale.name("direction"), f"must be {HIGHER_IS_BETTER!r} or {HIGHER_IS_WORSE!r}")
        low_max, high_min = scale.number("low_max"), scale.number("high_min")
        if not low_max < high_min:
            scale.fail(
                scale.name("high_min"), f"cut points must be ordered: low_max {low_max:g} < high_min {high_min:g}"
            )
        reliability = scale.number("reliability")
        if not 0 < reliability < 1:
            scale.fail(scale.name("reliability"), "must be between 0 and 1 (exclusive)")
        sd = scale.number("sd") if scale.has("sd") else None
        if sd is not None and sd <= 0:
            scale.fail(scale.name("sd"), "must be greater than 0")
        meanings = scale.sub("meanings")
        meanings.only(required=BANDS)
        scales[name] = Scale(
            name=name,
            label=scale.text("label"),
            about=scale.text("about"),
            higher_is_better=direction == HIGHER_IS_BETTER,
            low_max=low_max,
            high_min=high_min,
            reliability=reliability,
            sd=sd,
            mean=scale.number("mean") if scale.has("mean") else None,
            meanings={band: meanings.text(band) for band in BANDS},
        )
    return scales


def _items(top: _Fields, *, response: ResponseScale, scales: dict[str, Scale]) -> tuple[Item, ...]:
    items: dict[int, Item] = {}
    keys: set[str] = set()
    for index, raw_item in enumerate(top.array("items")):
        item = _Fields(raw_item, path=top.path, where=f"items[{index}]")
        item.only(required=("number", "prompt"), optional=_ITEM_FIELDS)
        number = item.integer("number")
        if number in items:
            item.fail(item.name("number"), f"item number {number} is used twice")
        key = item.text("key", pattern=_NAME_PATTERN) if item.has("key") else None
        if key is not None:
            if key in keys:
                item.fail(item.name("key"), f"key {key!r} is used twice")
            keys.add(key)
        scale_name = item.text("scale") if item.has("scale") else None
        if scale_name is not None and scale_name not in scales:
            known = ", ".join(scales) or "none declared"
            item.fail(item.name("scale"), f"unknown scale {scale_name!r} (scales: {known})")
        reverse = item.flag("reverse", default=False)
        if reverse and scale_name is None:
            item.fail(item.name("reverse"), "only items keyed to a scale can be reverse-keyed")
        items[number] = Item(
            number=number,
            key=key,
            prompt=item.text("prompt"),
            scale=scale_name,
            reverse=reverse,
            higher_is_better=_orientation(item, scale=scales[scale_name] if scale_name else None, reverse=reverse),
            labels=_labels(item.sub("labels"), values=response.values) if item.has("labels") else response.labels,
        )
    expected = set(range(1, len(items) + 1))
    if set(items) != expected:
        outside = sorted(set(items) - expected)
        top.fail("items", f"item numbers must run 1..{len(items)} without gaps; found {outside[0]}")
    return tuple(items[number] for number in sorted(items))


def _orientation(item: _Fields, *, scale: Scale | None, reverse: bool) -> bool:
    """Whether a higher answer is the better one; implied by the scale and keying when scored."""
    implied = None if scale is None else scale.higher_is_better != reverse
    if not item.has("higher_is_better"):
        if implied is None:
            item.fail(item.name("higher_is_better"), "missing (required for items not keyed to a scale)")
        return implied
    declared = item.flag("higher_is_better")
    if scale is not None and declared != implied:
        keying = "reverse-keyed" if reverse else "not reverse-keyed"
        item.fail(
            item.name("higher_is_better"),
            f"contradicts scale {scale.name!r} ({scale.direction}) for an item that is {keying}",
        )
    return declared


def _missing_data(top: _Fields, *, scales: dict[str, Scale]) -> tuple[int, bool]:
    if not top.has("missing_data"):
        if scales:
            top.fail("missing_data", "missing (required when the instrument has scales)")
        return 0, False
    rule = top.sub("missing_data")
    rule.only(required=("max_missing_per_scale", "prorate"))
    max_missing = rule.integer("max_missing_per_scale")
    prorate = rule.flag("prorate")
    if max_missing < 0:
        rule.fail(rule.name("max_missing_per_scale"), "must be 0 or more")
    if max_missing > 0 and not prorate:
        rule.fail(rule.name("prorate"), "must be true when skipped items are allowed (max_missing_per_scale > 0)")
    for scale in scales.values():
        if max_missing >= len(scale.items):
            rule.fail(
                rule.name("max_missing_per_scale"),
                f"must be less than the {len(scale.items)} items of scale {scale.name!r}",
            )
    return max_missing, prorate


def _checklists(table: _Fields) -> dict[str, tuple[ChecklistOption, ...]]:
    checklists = {}
    for name in table.table:
        table.check_pattern(name, name, _NAME_PATTERN)
        options = []
        codes: set[str] = set()
        for index, raw_option in enumerate(table.array(name)):
            option = _Fields(raw_option, path=table.path, where=f"{table.name(name)}[{index}]")
            option.only(required=("code", "label"))
            code = option.text("code", pattern=_NAME_PATTERN)
            if code in codes:
                option.fail(option.name("code"), f"code {code!r} is used twice")
            codes.add(code)
            options.append(ChecklistOption(code=code, label=option.text("label")))
        checklists[name] = tuple(options)
    return checklists


def _form_fields(table: _Fields) -> dict[str, FieldSpec]:
    specs = {}
    for name in table.table:
        table.check_pattern(name, name, _NAME_PATTERN)
        spec = table.sub(name)
        spec.only(required=("label", "min", "max"))
        low, high = spec.integer("min"), spec.integer("max")
        if low > high:
            spec.fail(spec.name("max"), f"must be at least min ({low})")
        specs[name] = FieldSpec(min=low, max=high, label=spec.text("label"))
    return specs


def _translations(table: _Fields, *, texts: dict[str, str]) -> dict[str, dict[str, str]]:
    """Each language's texts by their place (`Instrument.texts`), every place checked against the file's own."""
    translations = {}
    for language in table.table:
        if language == SOURCE_LANGUAGE:
            table.fail(table.name(language), "the file's own texts are English: translations are for other languages")
        if language not in TRANSLATION_LANGUAGES:
            known = ", ".join(TRANSLATION_LANGUAGES)
            table.fail(table.name(language), f"unknown language {language!r} (languages: {known})")
        words: dict[str, str] = {}
        _collect(table.sub(language), place="", into=words, texts=texts)
        translations[language] = words
    return translations


def _collect(table: _Fields, *, place: str, into: dict[str, str], texts: dict[str, str]) -> None:
    for key, value in table.table.items():
        inner = f"{place}.{key}" if place else key
        if isinstance(value, dict):
            if not any(known.startswith(f"{inner}.") for known in texts):
                table.fail(table.name(key), "the instrument has no texts here to translate")
            _collect(table.sub(key), place=inner, into=into, texts=texts)
        elif inner not in texts:
            table.fail(table.name(key), "the instrument has no such text to translate")
        else:
            into[inner] = table.text(key)
