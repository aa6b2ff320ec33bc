"""Errors raised by the scoring engine."""

from __future__ import annotations


class ScoringError(ValueError):
    """Bad input to a scoring function: the message names the item or value and the problem."""


class InstrumentError(ScoringError):
    """An instrument file that cannot be used: the message names the file and the field.

    A subclass of `ScoringError` (and so of `ValueError`), so callers that guard
    scoring with ``except ScoringError`` also catch a broken instrument file.
    """

    def __init__(self, path: str, field: str, problem: str) -> None:
        self.path = path
        self.field = field
        self.problem = problem
        where = f"{path}: {field}" if field else path
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[type[InstrumentError], tuple[str, str, str]]:
        return (type(self), (self.path, self.field, self.problem))
