"""The kinds of email the console sends: who receives each, and what a person or a program may turn off.

Kept apart from the outbox so that program settings can validate kind names without importing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.core.i18n import N_


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    """What a person ticks on "My account" to receive it (English, marked: translate it where shown)."""
    role: str | None
    """The role whose people receive it; None for everyone."""
    optional: bool = True
    """False for messages a person needs to get into the console at all (invitations) or for their safety."""
    urgent: bool = False
    """Sent during quiet hours too: a field visit check-in that is overdue cannot wait for the morning."""


CHECKIN_REMINDER = Kind("checkin_reminder", N_("Weekly check-in reminder"), "peer")
ASSESSMENT_DUE = Kind("assessment_due", N_("Self-assessment due"), "peer")
ACTION_ITEM_DUE = Kind("action_item_due", N_("An action item from supervision is due tomorrow"), None)
REACH_OUT = Kind("reach_out", N_("A supervisee asked you to reach out"), "supervisor")
PREP_DIGEST = Kind("prep_digest", N_("Weekly: your supervision prep sheet is ready"), "supervisor")
ACTION_ITEMS_OVERDUE = Kind("action_items_overdue", N_("Action items from your sessions are overdue"), "supervisor")
NEW_VIEWER = Kind("new_viewer", N_("Someone new can see your data (a new supervision assignment)"), "peer")
PASSWORD_CHANGED = Kind("password_changed", N_("Your password was changed"), None)
SIGN_IN_AFTER_RESET = Kind("sign_in_after_reset", N_("Someone signed in after an admin reset your password"), None)
INVITATION = Kind("invitation", N_("Invitation to choose your password"), None, optional=False)
FIELD_VISIT_OVERDUE = Kind("field_visit_overdue", N_("A supervisee's field visit check-in is overdue"), "supervisor",
                           optional=False, urgent=True)
FIELD_VISIT_HELP = Kind("field_visit_help", N_("A supervisee on a field visit pressed \"I need help\""), "supervisor",
                        optional=False, urgent=True)
FIELD_VISIT_BACKUP = Kind("field_visit_backup", N_("A field visit check-in is overdue (program backup contact)"), None,
                          optional=False, urgent=True)

CALLOUT_LOGGED = Kind("callout_logged", N_("A supervisee logged a call-out"), "supervisor")
DEBRIEF_TO_OFFER = Kind("debrief_to_offer", N_("Offer a debrief after a supervisee's hard call"), "supervisor")

FIGURES_RELEASED = Kind("figures_released", N_("Monthly: the program figures for a month are released"), "lead")

KINDS: tuple[Kind, ...] = (
    CHECKIN_REMINDER, ASSESSMENT_DUE, ACTION_ITEM_DUE, REACH_OUT, PREP_DIGEST, ACTION_ITEMS_OVERDUE, NEW_VIEWER,
    PASSWORD_CHANGED, SIGN_IN_AFTER_RESET, INVITATION, FIELD_VISIT_OVERDUE, FIELD_VISIT_HELP, FIELD_VISIT_BACKUP,
    CALLOUT_LOGGED, DEBRIEF_TO_OFFER, FIGURES_RELEASED,
)
KIND_BY_CODE = {kind.code: kind for kind in KINDS}
OPTIONAL_KINDS = tuple(kind for kind in KINDS if kind.optional)


def kinds_for_roles(roles: frozenset[str]) -> tuple[Kind, ...]:
    """The kinds a person with these roles may receive and choose about."""
    return tuple(kind for kind in OPTIONAL_KINDS if kind.role is None or kind.role in roles)


def unknown_kinds(codes: list[str]) -> list[str]:
    return sorted(code for code in codes if code not in KIND_BY_CODE or not KIND_BY_CODE[code].optional)


def split_codes(text: str) -> list[str]:
    return [code.strip() for code in text.split(",") if code.strip()]
