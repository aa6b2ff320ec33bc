"""The console's log: one `console` logger, configured once, one grep-able line per event.

Log lines name what happened and an error id, never passwords, keys, notes, answers or whose data:
an unexpected error is logged with its exception type and its stack (files, lines, code), not its
message, because a database error's message can carry the values it was given.
"""

from __future__ import annotations

import logging
import sys
import traceback

LOGGER_NAME = "console"
FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"

logger = logging.getLogger(LOGGER_NAME)
_handler = logging.StreamHandler(sys.stderr)
_handler.setFormatter(logging.Formatter(FORMAT))


def configure_logging() -> logging.Logger:
    """Give the console logger its one stderr handler; calling again adds nothing."""
    if _handler not in logger.handlers:
        logger.addHandler(_handler)
        logger.setLevel(logging.INFO)
    return logger


def stack_without_values(error: BaseException) -> str:
    """The stack of `error` and of the errors that led to it: types, files, lines and code, no messages."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.StackSummary.extract(traceback.walk_tb(current.__traceback__),
                                                       capture_locals=False).format())
        parts.append(f"{type(current).__module__}.{type(current).__qualname__}\n{frames}")
        current = current.__cause__ or current.__context__
    return "which led to ".join(reversed(parts))


def log_unexpected_error(error: BaseException, *, error_id: str, page: str) -> None:
    configure_logging()
    logger.error("unexpected_error error_id=%s page=%r exception=%s\n%s", error_id, page,
                 type(error).__qualname__, stack_without_values(error))
