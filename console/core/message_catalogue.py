"""Keeping the translation catalogues whole: which messages the code shows, and which a language lacks.

`python -m console.core.message_catalogue missing --language es --into FILE PATH...` appends every message
found under the PATHs that no catalogue file of the language translates to FILE, with an empty
translation to fill in; `check` lists what is untranslated or whose placeholders differ from the English.
"""

from __future__ import annotations

import argparse
import string
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from console.core.i18n import EXTRACTION_KEYWORDS, LANGUAGES, SOURCE_LANGUAGE, catalogue_files, translations_of

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("streamlit_app.py", "app_pages", "console", "scoring")
"""Where messages shown to people are written."""


@dataclass(frozen=True)
class Found:
    message: str | tuple[str, str]
    where: tuple[tuple[str, int], ...]

    @property
    def key(self) -> str:
        return self.message if isinstance(self.message, str) else self.message[0]


def source_files(paths: Iterable[str] = SOURCES) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = ROOT / name
        files.extend([path] if path.is_file() else sorted(path.rglob("*.py")))
    return [file for file in files if "tests" not in file.parts]


def extract(paths: Iterable[str] = SOURCES) -> dict[str, Found]:
    """Every message marked in the code under `paths`, by its id, with where it is written."""
    found: dict[str, Found] = {}
    for file in source_files(paths):
        for line, message, _comments, _context in extract_from_file(
                "python", str(file), keywords=EXTRACTION_KEYWORDS, comment_tags=(), strip_comment_tags=True):
            text = message if isinstance(message, str) else (message[0], message[1])
            if not text or (isinstance(text, tuple) and not all(text)):
                continue
            entry = Found(text, ((str(file.relative_to(ROOT)), line),))
            earlier = found.get(entry.key)
            found[entry.key] = Found(text, (earlier.where if earlier else ()) + entry.where)
    return found


def read_catalogue(language: str) -> dict[str, object]:
    """Every message of the language's catalogue files, by id, with its translation ("" or None when none)."""
    translations: dict[str, object] = {}
    for path in catalogue_files(language):
        with path.open("rb") as po_file:
            for message in read_po(po_file, locale=language):
                if message.id:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    translations[key] = None if message.fuzzy else message.string
    return translations


def conflicting(language: str) -> list[str]:
    """Messages that two catalogue files of the language translate differently."""
    seen: dict[str, tuple[object, str]] = {}
    found = []
    for path in catalogue_files(language):
        with path.open("rb") as po_file:
            for message in read_po(po_file, locale=language):
                if not message.id or not all(translations_of(message.string)):
                    continue
                key = message.id if isinstance(message.id, str) else message.id[0]
                earlier = seen.setdefault(key, (message.string, path.name))
                if earlier[0] != message.string:
                    found.append(f"{key!r}: {earlier[1]} and {path.name} differ")
    return found


def placeholders(text: str) -> frozenset[str]:
    try:
        return frozenset(field for _literal, field, _spec, _conversion in string.Formatter().parse(text) if field)
    except ValueError:
        return frozenset({"<unbalanced braces>"})


def problems(language: str, paths: Iterable[str] = SOURCES) -> list[str]:
    """What keeps `language` from covering every message: missing, empty, or with other placeholders."""
    catalogue = read_catalogue(language)
    found: list[str] = []
    for key, entry in sorted(extract(paths).items()):
        where = ", ".join(f"{file}:{line}" for file, line in entry.where[:3])
        translation = catalogue.get(key)
        texts = translations_of(translation)
        if not all(texts):
            found.append(f"no {language} translation for {key!r} ({where})")
            continue
        expected = placeholders(key) | (placeholders(entry.message[1]) if isinstance(entry.message, tuple) else frozenset())
        for text in texts:
            if placeholders(text) - expected or (placeholders(text) != placeholders(key) and isinstance(entry.message, str)):
                found.append(f"the {language} translation of {key!r} has placeholders {sorted(placeholders(text))}, "
                             f"the English {sorted(expected)} ({where})")
    return found


def append_missing(language: str, *, into: Path, paths: Iterable[str]) -> int:
    """Add every untranslated message under `paths` to the catalogue file `into`, with an empty translation."""
    catalogue = read_catalogue(language)
    if into.exists():
        with into.open("rb") as po_file:
            target = read_po(po_file, locale=language)
    else:
        target = Catalog(locale=language, project="Peer Wellness Console", version="1", fuzzy=False,
                         copyright_holder="Peer Wellness Console", msgid_bugs_address="-",
                         header_comment=f"# {LANGUAGES[language]}: messages of the Peer Wellness Console, one area "
                                        "a file.\n#")
    added = 0
    for key, entry in sorted(extract(paths).items()):
        if all(translations_of(catalogue.get(key))) or key in target:
            continue
        target.add(entry.message, "" if isinstance(entry.message, str) else ("", ""), locations=entry.where)
        added += 1
    into.parent.mkdir(parents=True, exist_ok=True)
    with into.open("wb") as po_file:
        write_po(po_file, target, width=120, omit_header=False, sort_output=False)
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console.core.message_catalogue")
    commands = parser.add_subparsers(dest="command", required=True)
    missing = commands.add_parser("missing", help="append untranslated messages to a catalogue file")
    missing.add_argument("--language", default="es", choices=[code for code in LANGUAGES if code != SOURCE_LANGUAGE])
    missing.add_argument("--into", type=Path, required=True)
    missing.add_argument("paths", nargs="+")
    check = commands.add_parser("check", help="list what a language lacks")
    check.add_argument("--language", choices=[code for code in LANGUAGES if code != SOURCE_LANGUAGE],
                       help="one language (every language the console speaks when left out)")
    check.add_argument("paths", nargs="*", default=list(SOURCES))
    arguments = parser.parse_args(argv)
    if arguments.command == "missing":
        added = append_missing(arguments.language, into=arguments.into, paths=arguments.paths)
        print(f"{added} messages to translate added to {arguments.into}")
        return 0
    languages = [arguments.language] if arguments.language else [code for code in LANGUAGES if code != SOURCE_LANGUAGE]
    found = [problem for language in languages for problem in problems(language, arguments.paths)]
    print("\n".join(found) or "Every message has a translation.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
