"""One submit per form render: the idempotency key every form-backed service stores with its row.

A service calls `stored_submission` before validating (a repeated key returns
the row it already stored) and `insert_once` to write the new row. On a race
there is one behaviour: when another submit of the same key won, the new row
is rolled back and the stored one returned; any other unique conflict (for
example a second check-in for the same week under a different key) raises the
service's own `conflict` error, such as the check-in's "replace or keep"
question.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from console.core.errors import ValidationError

MAX_KEY_LENGTH = 64
FORM_EXPIRED = "The form expired; reload the page and submit again."

Row = TypeVar("Row", bound=SQLModel)


def stored_submission(session: Session, model: type[Row], *, key: str, owner: str, owner_id: int) -> Row | None:
    """The row stored under `key` by this owner, or None when the key is new.

    `owner` names the column holding who submitted. A missing or over-long key,
    or a key stored by someone else, is an expired form: the page renders a new key.
    """
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationError(FORM_EXPIRED)
    stored = session.exec(select(model).where(model.idempotency_key == key)).first()
    if stored is not None and getattr(stored, owner) != owner_id:
        raise ValidationError(FORM_EXPIRED)
    return stored


def insert_once(
    session: Session, row: Row, *, owner: str, conflict: Callable[[], Exception] = lambda: ValidationError(FORM_EXPIRED)
) -> Row:
    """Flush `row`; when a concurrent submit of the same key was stored first, roll back and return that one.

    The caller compares the result with `row`: when it is another row, the
    submission was already done and only its stored result is returned. Any other
    conflict rolls back and raises `conflict()`.
    """
    model, key, owner_id = type(row), row.idempotency_key, getattr(row, owner)
    session.add(row)
    try:
        session.flush()
    except IntegrityError as error:
        session.rollback()
        raced = session.exec(select(model).where(model.idempotency_key == key)).first()
        if raced is not None and getattr(raced, owner) == owner_id:
            return raced
        raise conflict() from error
    return row
