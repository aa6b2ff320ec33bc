"""Lead figures' words in the reader's language: withheld reasons, the reserved group names and coded counts.

Reasons and group names are stored in English (`scoring.release`); they are translated only where shown.
"""

from __future__ import annotations

from console.core.i18n import _, render
from scoring import release as rule

RESERVED_GROUPS = frozenset({rule.PROGRAM_GROUP, rule.POOL_GROUP})


def reason(text: str | None) -> str:
    """A withheld cell's reason as shown; "" for none."""
    return render(rule.reason_phrase(text)) if text else ""


def group(label: str) -> str:
    """A group's name as shown: a team's own name, or the reserved name of the program or the pool translated."""
    return _(label) if label in RESERVED_GROUPS else label


def count(shown: rule.Count) -> str:
    """A count as shown: the number, or its range ("1 or fewer")."""
    return render(shown.phrase())


def withheld_note(text: str | None) -> str:
    """A table's note for a withheld cell: "withheld: fewer than 5 peers"; "" when nothing is withheld."""
    return _("withheld: {reason}", reason=reason(text)) if text else ""
