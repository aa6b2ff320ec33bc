"""The ethics self-check: a personal checklist a peer goes through privately (LAPPA tool kit, Appendix G).

The statements are the console's own words, in the tool kit's three areas: self, interpersonal, and group or
organization. Nothing is scored and nothing of a peer's pass through the list is kept: only the items the
peer notes to bring to supervision, with their note, encrypted. A noted item reaches the peer's educational
and supportive supervisors only when the peer shares it, and never a program lead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from console.core import audit, clock, identifiers, input_limits
from console.core.errors import PermissionDenied, ValidationError
from console.core.i18n import N_, _
from console.policy.access import Action, allowed, authorize, my_supervisees
from console.supervision.sessions import ETHICS_AREAS
from db.models import EthicsNote, User

NO_SUCH_ITEM = N_("There is no such item among your ethics notes; reload the page.")


@dataclass(frozen=True)
class Statement:
    code: str
    text: str


@dataclass(frozen=True)
class Section:
    area: str
    title: str
    prompt: str
    statements: tuple[Statement, ...]


CHECKLIST: tuple[Section, ...] = (
    Section("self", ETHICS_AREAS["self"], N_("How I look after myself and my own part in the work"), (
        Statement("self_wellbeing", N_("I look after my own recovery and wellbeing, and I ask for help when I need it.")),
        Statement("self_triggers", N_("I know which places, people or stories can stir up my own past, and I have a "
                                      "plan for when they do.")),
        Statement("self_role", N_("I stay within what a peer does, and I say so when I am asked to act as a case "
                                  "manager, counselor, driver or officer.")),
        Statement("self_mistakes", N_("I own my mistakes and bring them to supervision instead of hiding them.")),
        Statement("self_values", N_("I keep my own beliefs about recovery, faith or politics from steering the "
                                    "choices of the people I walk with.")),
    )),
    Section("interpersonal", ETHICS_AREAS["interpersonal"], N_("How I am with the people I serve and work with"), (
        Statement("interpersonal_boundaries", N_("I keep clear, kind boundaries with the people I serve: no money, "
                                                 "loans, favors, dating or private social media contact.")),
        Statement("interpersonal_confidentiality", N_("I keep what people tell me private, and I explain up front "
                                                      "what I would have to pass on (a risk to life, a court order).")),
        Statement("interpersonal_story", N_("I share my own story when it helps the other person, not because it "
                                            "helps me.")),
        Statement("interpersonal_respect", N_("I treat everyone with the same respect, whatever their charges, "
                                              "background or path to recovery.")),
        Statement("interpersonal_closeness", N_("I notice when a relationship with someone I serve starts to feel "
                                                "like more than a working one, and I talk about it.")),
    )),
    Section("group_organization", ETHICS_AREAS["group_organization"],
            N_("How I work within my agency and alongside partners"), (
        Statement("group_roles", N_("I know where my role ends and the role of police, court, jail or treatment staff "
                                    "begins.")),
        Statement("group_information", N_("I am clear about what I may share when a partner agency asks me about "
                                          "someone I serve, and I check before I share.")),
        Statement("group_reporting", N_("I know what I must report, to whom, and what I do not have to pass on.")),
        Statement("group_dual", N_("I handle dual relationships openly with my supervisor, such as meeting people from "
                                   "my own past or officers who once arrested me.")),
        Statement("group_speaking_up", N_("I speak up, in the right place, when a practice at my agency or a partner "
                                          "agency seems unfair or harmful to the people we serve.")),
    )),
)
STATEMENTS = {statement.code: (section, statement) for section in CHECKLIST for statement in section.statements}


@dataclass(frozen=True)
class EthicsItem:
    id: int
    area: str
    area_title: str
    statement: str
    note: str
    shared: bool
    noted_at: datetime


@dataclass(frozen=True)
class SharedEthicsItem:
    area: str
    area_title: str
    statement: str
    note: str


def _item(row: EthicsNote) -> EthicsItem:
    section, statement = STATEMENTS.get(row.item or "", (None, None))
    text = _(statement.text) if statement else _("An item no longer on the checklist")
    return EthicsItem(row.id, row.area, _(ETHICS_AREAS[row.area]) if row.area in ETHICS_AREAS else row.area, text,
                      row.note or "", row.shared, row.created_at)


def _open_items(session: Session, *, peer_id: int) -> list[EthicsNote]:
    return list(session.exec(select(EthicsNote).where(EthicsNote.peer_id == peer_id, col(EthicsNote.closed_at).is_(None))
                             .order_by(col(EthicsNote.created_at), col(EthicsNote.id))).all())


def my_ethics_items(session: Session, *, actor: User) -> list[EthicsItem]:
    """The items the peer noted to bring to supervision and has not set aside yet."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    return [_item(row) for row in _open_items(session, peer_id=actor.id)]


def note_items(session: Session, *, actor: User, notes: dict[str, str], share: bool,
               identifiers_confirmed: bool = False) -> list[EthicsItem]:
    """Keep the chosen statements (code → the peer's note, possibly empty) to bring to supervision.

    A statement already noted and still open gets the new note instead of a second entry. A note that looks like
    it names or locates a person served is held back until the peer confirms it (`identifiers_confirmed`)."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    problems = {}
    unknown = sorted(set(notes) - set(STATEMENTS))
    if not notes:
        problems["items"] = _("Tick at least one statement you would like to bring to supervision.")
    elif unknown:
        problems["items"] = _("Choose among the statements of the checklist; reload the page.")
    for code, note in notes.items():
        if (problem := input_limits.text_problem(note, input_limits.ETHICS_NOTE)) is not None:
            problems[f"note_{code}"] = problem
        elif not identifiers_confirmed and (warning := identifiers.warning(note)):
            problems[f"note_{code}"] = warning
    if problems:
        raise ValidationError(_("Nothing was saved: {problems}", problems=" ".join(problems.values())), problems=problems)
    now = clock.now()
    existing = {row.item: row for row in _open_items(session, peer_id=actor.id)}
    for code, note in notes.items():
        section = STATEMENTS[code][0]
        row = existing.get(code) or EthicsNote(peer_id=actor.id, area=section.area, item=code, created_at=now)
        row.note = input_limits.normalized(note) or None
        row.shared = bool(share)
        session.add(row)
    audit.record(session, actor=actor, action="ethics_items_noted", subject_id=actor.id, resource_type="ethics_note",
                 detail="shared" if share else "private")
    session.commit()
    return my_ethics_items(session, actor=actor)


def _my_note(session: Session, *, actor: User, item_id: int) -> EthicsNote:
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    row = session.get(EthicsNote, item_id)
    if row is None or row.peer_id != actor.id or row.closed_at is not None:
        raise PermissionDenied(_(NO_SUCH_ITEM))
    return row


def set_shared(session: Session, *, actor: User, item_id: int, shared: bool) -> None:
    row = _my_note(session, actor=actor, item_id=item_id)
    if row.shared == shared:
        return
    row.shared = shared
    session.add(row)
    audit.record(session, actor=actor, action="ethics_item_shared" if shared else "ethics_item_unshared",
                 subject_id=actor.id, resource_type="ethics_note", resource_id=row.id)
    session.commit()


def set_aside(session: Session, *, actor: User, item_id: int) -> None:
    """Talked about, or no longer needed: the item leaves the peer's list and every prep card."""
    row = _my_note(session, actor=actor, item_id=item_id)
    row.closed_at = clock.now()
    row.note = None
    session.add(row)
    audit.record(session, actor=actor, action="ethics_item_closed", subject_id=actor.id, resource_type="ethics_note",
                 resource_id=row.id)
    session.commit()


def shared_for_prep(session: Session, *, actor: User) -> dict[int, list[SharedEthicsItem]]:
    """The open items each supervisee chose to share, for their prep card and the session form."""
    readable = [peer_id for peer_id in my_supervisees(session, actor=actor)
                if allowed(session, actor=actor, action=Action.VIEW_SHARED_ETHICS, subject_id=peer_id)]
    if not readable:
        return {}
    rows = session.exec(select(EthicsNote).where(col(EthicsNote.peer_id).in_(readable), col(EthicsNote.shared).is_(True),
                                                 col(EthicsNote.closed_at).is_(None))
                        .order_by(col(EthicsNote.peer_id), col(EthicsNote.created_at), col(EthicsNote.id))).all()
    found: dict[int, list[SharedEthicsItem]] = {}
    for row in rows:
        item = _item(row)
        found.setdefault(row.peer_id, []).append(SharedEthicsItem(item.area, item.area_title, item.statement, item.note))
    for peer_id in found:
        audit.record(session, actor=actor, action="viewed_ethics_items", subject_id=peer_id, resource_type="ethics_note")
    if found:
        session.commit()
    return found
