"""Column types: encrypted text and JSON, sets of tags, and timestamps kept in UTC."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from itertools import combinations
from typing import Any

from sqlalchemy import ColumnElement, DateTime, String, Text
from sqlalchemy.types import TypeDecorator

from db.crypto import decrypt_text, encrypt_text


class EncryptedText(TypeDecorator):
    """A string stored as a Fernet token."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        if value is None:
            return None
        return encrypt_text(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        if value is None:
            return None
        return decrypt_text(value)


class EncryptedJSON(TypeDecorator):
    """A JSON document stored as a Fernet token."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return encrypt_text(json.dumps(value, sort_keys=True))

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        if value is None:
            return None
        return json.loads(decrypt_text(value))


TAG_SEPARATOR = ","


def tags_text(tags: Iterable[str]) -> str:
    """The stored form of a set of tags: sorted and comma-separated, empty for no tag."""
    if isinstance(tags, str):
        raise TypeError("a set of tags is stored, not a string")
    chosen = sorted(set(tags))
    for tag in chosen:
        if not isinstance(tag, str) or not tag or tag != tag.strip() or TAG_SEPARATOR in tag:
            raise ValueError(f"a tag is a non-empty code without {TAG_SEPARATOR!r} or surrounding spaces: {tag!r}")
    return TAG_SEPARATOR.join(chosen)


def tags_from_text(text: str) -> frozenset[str]:
    return frozenset(tag for tag in text.split(TAG_SEPARATOR) if tag)


class TagSet(TypeDecorator):
    """A set of tags (codes such as roles or supervision functions), read back as a frozenset.

    Stored as the sorted comma-separated text, so that one set has one stored form and
    `has_tag` can match it exactly in SQL.
    """

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Iterable[str] | None, dialect: Any) -> str | None:
        if value is None:
            return None
        return tags_text(value)

    def process_result_value(self, value: str | None, dialect: Any) -> frozenset[str] | None:
        if value is None:
            return None
        return tags_from_text(value)


def sets_with_tag(tag: str, *, vocabulary: Iterable[str]) -> list[frozenset[str]]:
    """Every set of tags from `vocabulary` that holds `tag`."""
    others = sorted(set(vocabulary) - {tag})
    return [frozenset({tag, *chosen}) for size in range(len(others) + 1) for chosen in combinations(others, size)]


def has_tag(column: Any, tag: str, *, vocabulary: Iterable[str]) -> ColumnElement[bool]:
    """Rows whose set in the `TagSet` column holds `tag`, matched exactly: the column is compared
    with the stored form of every set from `vocabulary` that holds the tag (no pattern matching)."""
    return column.in_(sets_with_tag(tag, vocabulary=vocabulary))


class EncryptedTagSet(EncryptedText):
    """A set of tags (a person's checklist), encrypted; read back as a frozenset."""

    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return super().process_bind_param(tags_text(value), dialect)

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        text = super().process_result_value(value, dialect)
        if text is None:
            return None
        return tags_from_text(text)


class AwareDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on every database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("timestamps must carry a time zone (UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
