"""Training and certification records: what a peer or supervisor completed and when it is up for renewal.

A person records their own; a supervisor records and reads those of the people they supervise and sees the
renewals coming up within `RENEWAL_WINDOW_DAYS`. Program leads see counts per team only: a snapshot on the last day of
each closed month, released once under the one release rule of lead figures (`console.program.fieldwork_figures`)
and read back by `team_counts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from console.core import audit, clock, input_limits
from console.core.errors import PermissionDenied, ValidationError
from console.core.i18n import N_, _, show_list
from console.policy.access import Action, allowed, authorize, my_supervisees
from console.program import fieldwork_figures, release
from console.program.wellness_figures import complete_months, lead_scope
from db import queries
from db.models import TrainingRecord, User
from scoring import release as rule

RENEWAL_WINDOW_DAYS = fieldwork_figures.RENEWAL_WINDOW_DAYS
"""A renewal or expiry date within this many days (or already past) is shown as coming up."""
KINDS = {
    "crisis_response_72h": N_("72-hour crisis and response training"),
    "peer_certification": N_("State peer support certification"),
    "other": N_("Other training or certification"),
}
NO_SUCH_RECORD = N_("There is no such training record; reload the page.")
COUNT_COLUMNS = {
    "peers": N_("Peers on the team"),
    "certified": N_("Current peer certification"),
    "crisis_trained": N_("72-hour crisis and response training"),
    "renewal_due": N_("Renewal due within 60 days or past"),
}
"""Column titles of the lead's counts, in English: shown through `_()`; the renewal one names RENEWAL_WINDOW_DAYS."""


@dataclass(frozen=True)
class TrainingEntry:
    id: int
    person_id: int
    kind: str
    name: str
    completed_on: date
    renews_on: date | None
    renewal_due: bool
    lapsed: bool


@dataclass(frozen=True)
class Renewal:
    person_id: int
    person_name: str
    name: str
    renews_on: date
    lapsed: bool


@dataclass(frozen=True)
class TeamTrainingRow:
    """A team's (or the total's) counts, each exact or a range ("5 to 6"); all None when withheld, with the
    reason."""

    team: str
    counts: dict[str, rule.Count | None]
    reason: str | None


def shown_name(*, kind: str, name: str) -> str:
    """A record's name as shown: a kind's own name (stored in English when none was given) in the reader's
    language."""
    return _(KINDS[kind]) if kind in KINDS and name in ("", KINDS[kind]) else name


def _entry(row: TrainingRecord, *, on: date) -> TrainingEntry:
    due = row.renews_on is not None and row.renews_on <= on + timedelta(days=RENEWAL_WINDOW_DAYS)
    return TrainingEntry(row.id, row.person_id, row.kind, shown_name(kind=row.kind, name=row.name), row.completed_on,
                         row.renews_on, due,
                         row.renews_on is not None and row.renews_on < on)


def _latest(rows: list[TrainingRecord]) -> list[TrainingRecord]:
    """Per person and training, only the latest completion: a renewal replaces the record it renews."""
    latest: dict[tuple[int, str, str], TrainingRecord] = {}
    for row in rows:
        key = (row.person_id, row.kind, row.name)
        if key not in latest or (row.completed_on, row.id) > (latest[key].completed_on, latest[key].id):
            latest[key] = row
    return list(latest.values())


def trainings_of(session: Session, *, actor: User, person_id: int) -> list[TrainingEntry]:
    """A person's records, newest first."""
    authorize(session, actor=actor, action=Action.RECORD_TRAINING, subject_id=person_id)
    rows = session.exec(select(TrainingRecord).where(TrainingRecord.person_id == person_id)
                        .order_by(col(TrainingRecord.completed_on).desc(), col(TrainingRecord.id).desc())).all()
    return [_entry(row, on=clock.today()) for row in rows]


def record_training(session: Session, *, actor: User, person_id: int, kind: str, name: str, completed_on: date | None,
                    renews_on: date | None) -> TrainingEntry:
    authorize(session, actor=actor, action=Action.RECORD_TRAINING, subject_id=person_id)
    today = clock.today()
    problems = {}
    if kind not in KINDS:
        problems["kind"] = _("Choose what kind of training it is: {kinds}.",
                             kinds=show_list((_(label) for label in KINDS.values()), style="or"))
    if (problem := input_limits.text_problem(name, input_limits.TRAINING_NAME)) is not None:
        problems["name"] = problem
    elif kind == "other" and not input_limits.normalized(name):
        problems["name"] = _("Name the training or certification, e.g. Naloxone train-the-trainer.")
    if (problem := input_limits.date_problem(completed_on, label=_("Completed on"), today=today)) is not None:
        problems["completed_on"] = problem
    elif completed_on is not None and completed_on > today:
        problems["completed_on"] = _("Completed on: choose today or an earlier day.")
    if renews_on is not None:
        if (problem := input_limits.date_problem(renews_on, label=_("Renewal or expiry"), today=today)) is not None:
            problems["renews_on"] = problem
        elif "completed_on" not in problems and completed_on is not None and renews_on <= completed_on:
            problems["renews_on"] = _("Renewal or expiry: choose a day after the day it was completed, or leave it "
                                      "empty.")
    if problems:
        raise ValidationError(_("The training was not saved: {problems}", problems=" ".join(problems.values())),
                              problems=problems)
    assert completed_on is not None, "date_problem accepts only a date"
    row = TrainingRecord(person_id=person_id, kind=kind, name=input_limits.normalized(name) or KINDS[kind],
                         completed_on=completed_on, renews_on=renews_on, recorded_by=actor.id)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="training_recorded", subject_id=person_id,
                 resource_type="training_record", resource_id=row.id)
    session.commit()
    return _entry(row, on=today)


def remove_training(session: Session, *, actor: User, record_id: int) -> None:
    """Take back a record entered by mistake."""
    row = session.get(TrainingRecord, record_id)
    if row is None or not allowed(session, actor=actor, action=Action.RECORD_TRAINING, subject_id=row.person_id):
        raise PermissionDenied(_(NO_SUCH_RECORD))
    audit.record(session, actor=actor, action="training_removed", subject_id=row.person_id,
                 resource_type="training_record", resource_id=row.id)
    session.delete(row)
    session.commit()


def upcoming_renewals(session: Session, *, actor: User, on: date) -> list[Renewal]:
    """Renewals and expiries of the actor's supervisees due within RENEWAL_WINDOW_DAYS of `on`, or past, soonest first."""
    people = [peer_id for peer_id in my_supervisees(session, actor=actor)
              if allowed(session, actor=actor, action=Action.RECORD_TRAINING, subject_id=peer_id)]
    if not people:
        return []
    rows = session.exec(select(TrainingRecord).where(col(TrainingRecord.person_id).in_(people))).all()
    names = dict(session.exec(select(User.id, User.display_name).where(col(User.id).in_(people))).all())
    until = on + timedelta(days=RENEWAL_WINDOW_DAYS)
    due = [row for row in _latest(list(rows)) if row.renews_on is not None and row.renews_on <= until]
    return [Renewal(row.person_id, names[row.person_id], shown_name(kind=row.kind, name=row.name), row.renews_on,
                    row.renews_on < on)
            for row in sorted(due, key=lambda row: (row.renews_on, names[row.person_id], row.id)) if row.renews_on is not None]


def renewals_for_prep(session: Session, *, actor: User, on: date) -> dict[int, list[Renewal]]:
    found: dict[int, list[Renewal]] = {}
    for renewal in upcoming_renewals(session, actor=actor, on=on):
        found.setdefault(renewal.person_id, []).append(renewal)
    return found


@dataclass(frozen=True)
class TrainingCounts:
    """The training snapshot released for the last day of `month` (None: nothing released yet) per group the lead
    covers."""

    month: date | None
    rows: tuple[TeamTrainingRow, ...]


def team_counts(session: Session, *, actor: User, on: date) -> TrainingCounts:
    """Per group in the lead's view — their teams, the pool when one of their teams is in it, the program for a
    lead of the whole program — peers placed on the last day of the latest closed month, and of them peers with a
    current certification, with the 72-hour training, and with a renewal due within the window, as released when
    the month closed (`console.program.fieldwork_figures`) and read back under the rule for this viewer. Nothing
    is counted at page time, so reading on two days, or after a team change, shows the same cells."""
    scope = lead_scope(session, actor=actor)
    on = min(on, clock.today())
    release.ensure_released(session, program_id=scope.program_id, on=on)
    month = complete_months(on, 1)[0]
    data = release.read_released(session, program_id=scope.program_id, months=[month],
                                 topics=fieldwork_figures.TRAINING_TOPICS, viewer=actor, k=scope.k)
    snapshot, renewals = data.get(fieldwork_figures.TRAINING, month), data.get(fieldwork_figures.TRAINING_RENEWAL, month)
    if not snapshot:
        return TrainingCounts(None, ())
    names = dict(queries.teams(session, program_id=scope.program_id))
    in_view = [team_id for team_id in sorted(names, key=lambda team_id: (names[team_id], team_id))
               if scope.team_ids is None or team_id in scope.team_ids]
    groups = [(release.team_key(team_id), names[team_id]) for team_id in in_view]
    if set(data.pooled.get(month, ())) & set(in_view):
        groups.append((release.POOL_KEY, rule.POOL_GROUP))
    if scope.whole_program:
        groups.append((release.PROGRAM_KEY, rule.PROGRAM_GROUP))

    def row(label: str, cell: release.Figure, renewal: release.Figure | None) -> TeamTrainingRow:
        if not cell.released or cell.peers is None:
            return TeamTrainingRow(label, dict.fromkeys(COUNT_COLUMNS), cell.reason)
        certified, crisis = (*cell.counts, None, None)[:2]
        due = renewal.counts[0] if renewal is not None and renewal.released and renewal.counts else None
        reason = None if renewal is None or renewal.released else renewal.reason
        return TeamTrainingRow(label, dict(zip(COUNT_COLUMNS, (rule.Count(cell.peers, cell.peers), certified, crisis,
                                                               due), strict=True)), reason)

    return TrainingCounts(month, tuple(row(label, snapshot[key], renewals.get(key)) for key, label in groups
                                       if key in snapshot))
