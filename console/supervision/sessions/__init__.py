"""Supervision sessions: recorded by function, editable for seven days, then only amended with a reason.

Who reads what: the narrative (notes per function, the peer-drift note) is read
by the supervisor who wrote it and by the people who attended; the private
reflection by its author alone. Another supervisor of the same peer — the
administrative one, say — sees the session's metadata only (date, kind,
duration, minutes per function), as a program lead does.

The package is split by concern: catalogue, results, rows, validation, commands, reads; import from the package."""

from console.supervision.sessions.catalogue import (
    ACTIVITIES,
    ACTIVITY_BY_CODE,
    DRAFT_KIND,
    DRAFT_PERIOD,
    EDIT_WINDOW,
    ETHICS_AREAS,
    FUNCTION_LABELS,
    FUNCTION_WORDS,
    KIND_LABELS,
    KINDS,
    MAX_ACTION_ITEMS,
    MAX_DURATION,
    MAX_ITEM_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_REASON_LENGTH,
    MIN_DURATION,
    Activity,
    activities_of,
    functions_held_with_all,
    split_minutes,
)
from console.supervision.sessions.commands import amend_session, edit_session, record_session, store_session
from console.supervision.sessions.reads import (
    my_recent_sessions,
    my_sessions_as_supervisee,
    session_record,
    supervisee_history,
    supervisee_session_minutes,
)
from console.supervision.sessions.results import (
    Amendment,
    AttendedSession,
    HistoryEntry,
    NewActionItem,
    SessionActionItem,
    SessionContent,
    SessionRecord,
    SessionSummary,
)
from console.supervision.sessions.rows import content_from_draft, draft_payload

__all__ = [
    "DRAFT_KIND",
    "DRAFT_PERIOD",
    "content_from_draft",
    "draft_payload",
    "ACTIVITIES",
    "ACTIVITY_BY_CODE",
    "Activity",
    "Amendment",
    "AttendedSession",
    "EDIT_WINDOW",
    "ETHICS_AREAS",
    "FUNCTION_LABELS",
    "FUNCTION_WORDS",
    "HistoryEntry",
    "KIND_LABELS",
    "KINDS",
    "MAX_ACTION_ITEMS",
    "MAX_DURATION",
    "MAX_ITEM_LENGTH",
    "MAX_NOTE_LENGTH",
    "MAX_REASON_LENGTH",
    "MIN_DURATION",
    "NewActionItem",
    "SessionActionItem",
    "SessionContent",
    "SessionRecord",
    "SessionSummary",
    "activities_of",
    "amend_session",
    "edit_session",
    "functions_held_with_all",
    "my_recent_sessions",
    "my_sessions_as_supervisee",
    "record_session",
    "session_record",
    "split_minutes",
    "store_session",
    "supervisee_history",
    "supervisee_session_minutes",
]
