"""Safety check-ins on field visits, and safety incidents documented afterwards (LAPPA tool kit, Appendix I).

Before a home or community visit a peer starts a timer ("expect me back by 15:30"). They close it with
"I'm OK", extend it, or press "I need help". A visit past its time without a close, or with help asked for,
alerts the peer's supervisors and the program's backup contact through the outbox, again every
`ALERT_REPEAT`, until a supervisor acknowledges it (or the peer closes it). The scheduler
(`wellness-console notify`) sends the rounds: each round's key comes from the clock, so a run that comes
twice, or late, enqueues each round once.

Nothing here identifies the person visited. The peer's location note for their supervisor is encrypted and
emptied when the visit is closed. Alerts carry no name, note or place: they say a check-in needs attention
and link to the supervisor's prep sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, or_, select

from console.core import audit, clock, identifiers, input_limits
from console.core.dates import time_zone
from console.core.errors import PermissionDenied, ValidationError
from console.core.i18n import N_, _, n_, show_list
from console.core.idempotency import insert_once, stored_submission
from console.core.program_settings import read_settings
from console.notify import notifications
from console.notify.kinds import FIELD_VISIT_BACKUP, FIELD_VISIT_HELP, FIELD_VISIT_OVERDUE, Kind
from console.notify.notifications import Outgoing
from console.policy.access import Action, allowed, authorize, my_supervisees, my_supervisors
from db.models import FieldVisit, SafetyIncident, User

ALERT_REPEAT = timedelta(minutes=15)
"""How often an alert is sent again while nobody has acknowledged it."""
VISIT_LENGTHS = {30: N_("30 minutes"), 45: N_("45 minutes"), 60: N_("1 hour"), 90: N_("1½ hours"), 120: N_("2 hours"),
                 180: N_("3 hours"), 240: N_("4 hours")}
"""The lengths in minutes a peer chooses from when starting or extending a visit."""
VISIT_MINUTES = tuple(VISIT_LENGTHS)
LONGEST_VISIT = timedelta(hours=12)
"""A visit's "back by" time may be at most this long after it started, extensions included."""
RECENT_VISITS = 5
INCIDENT_PREP_WINDOW_DAYS = 28
"""A safety incident documented in the last this many days shows on the supervisor's prep card."""
NO_SUCH_VISIT = N_("There is no such field visit among yours; reload the page.")
NO_SUCH_ALERT = N_("There is no such field visit among the people you supervise; reload the page.")
ALERT_KINDS = (FIELD_VISIT_OVERDUE, FIELD_VISIT_HELP, FIELD_VISIT_BACKUP)


@dataclass(frozen=True)
class VisitView:
    id: int
    started_at: datetime
    expected_back_at: datetime
    """In the program's time zone, for showing "back by 15:30"."""
    location_note: str | None
    help_requested_at: datetime | None
    closed_at: datetime | None
    acknowledged_at: datetime | None
    overdue: bool

    @property
    def open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class IncidentView:
    id: int
    occurred_on: date
    what_happened: str
    reported: bool
    follow_up_wanted: bool


@dataclass(frozen=True)
class MyFieldVisits:
    open_visit: VisitView | None
    recent: tuple[VisitView, ...]
    incidents: tuple[IncidentView, ...]
    supervised: bool
    """Whether any supervisor would be alerted; when not, the page says so."""


@dataclass(frozen=True)
class VisitAlert:
    """A supervisee's open field visit, as their supervisor sees it."""

    visit: VisitView
    peer_id: int
    peer_name: str

    @property
    def needs_attention(self) -> bool:
        return self.visit.acknowledged_at is None and (self.visit.overdue or self.visit.help_requested_at is not None)


def _zone(session: Session) -> ZoneInfo:
    return time_zone(read_settings(session).time_zone) or ZoneInfo("UTC")


def _view(visit: FieldVisit, *, zone: ZoneInfo, now: datetime) -> VisitView:
    def local(moment: datetime | None) -> datetime | None:
        return moment.astimezone(zone) if moment is not None else None

    return VisitView(
        id=visit.id, started_at=visit.started_at.astimezone(zone), expected_back_at=visit.expected_back_at.astimezone(zone),
        location_note=visit.location_note, help_requested_at=local(visit.help_requested_at),
        closed_at=local(visit.closed_at), acknowledged_at=local(visit.acknowledged_at),
        overdue=visit.closed_at is None and now >= visit.expected_back_at,
    )


def _incident_view(incident: SafetyIncident) -> IncidentView:
    return IncidentView(incident.id, incident.occurred_on, incident.what_happened or "", incident.reported,
                        incident.follow_up_wanted)


def _open_visit(session: Session, *, peer_id: int) -> FieldVisit | None:
    return session.exec(select(FieldVisit).where(FieldVisit.peer_id == peer_id, col(FieldVisit.closed_at).is_(None))
                        .order_by(col(FieldVisit.started_at).desc())).first()


def my_field_visits(session: Session, *, actor: User) -> MyFieldVisits:
    authorize(session, actor=actor, action=Action.RECORD_FIELD_VISIT, subject_id=actor.id)
    zone, now = _zone(session), clock.now()
    visits = session.exec(select(FieldVisit).where(FieldVisit.peer_id == actor.id)
                          .order_by(col(FieldVisit.started_at).desc()).limit(RECENT_VISITS + 1)).all()
    incidents = session.exec(select(SafetyIncident).where(SafetyIncident.peer_id == actor.id)
                             .order_by(col(SafetyIncident.occurred_on).desc(), col(SafetyIncident.id).desc())
                             .limit(RECENT_VISITS)).all()
    open_visit = next((visit for visit in visits if visit.closed_at is None), None)
    return MyFieldVisits(
        open_visit=_view(open_visit, zone=zone, now=now) if open_visit else None,
        recent=tuple(_view(visit, zone=zone, now=now) for visit in visits if visit.closed_at is not None)[:RECENT_VISITS],
        incidents=tuple(_incident_view(incident) for incident in incidents),
        supervised=bool(my_supervisors(session, actor=actor)),
    )


def _minutes_problem(minutes: object) -> str | None:
    if minutes not in VISIT_MINUTES:
        return _("Choose how long you expect to be: {choices} minutes.",
                 choices=show_list((str(choice) for choice in VISIT_MINUTES), style="or"))
    return None


def start_visit(session: Session, *, actor: User, minutes: int, location_note: str = "",
                idempotency_key: str, identifiers_confirmed: bool = False) -> VisitView:
    """Start the timer: back by now + `minutes`. One visit is open at a time."""
    authorize(session, actor=actor, action=Action.RECORD_FIELD_VISIT, subject_id=actor.id)
    now = clock.now()
    stored = stored_submission(session, FieldVisit, key=idempotency_key, owner="peer_id", owner_id=actor.id)
    if stored is not None:
        return _view(stored, zone=_zone(session), now=now)
    problems = {}
    if (problem := _minutes_problem(minutes)) is not None:
        problems["minutes"] = problem
    if (problem := input_limits.text_problem(location_note, input_limits.LOCATION_NOTE)) is not None:
        problems["location_note"] = problem
    elif not identifiers_confirmed and (warning := identifiers.warning(location_note)):
        problems["location_note"] = warning
    if problems:
        raise ValidationError(_("The check-in timer did not start: {problems}", problems=" ".join(problems.values())),
                              problems=problems)
    if _open_visit(session, peer_id=actor.id) is not None:
        raise ValidationError(_("You already have a field visit open: close it with \"I'm OK\" before starting "
                                "another."))
    note = input_limits.normalized(location_note)
    visit = FieldVisit(peer_id=actor.id, started_at=now, expected_back_at=now + timedelta(minutes=minutes),
                       location_note=note or None, idempotency_key=idempotency_key)
    visit = insert_once(session, visit, owner="peer_id")
    audit.record(session, actor=actor, action="field_visit_started", subject_id=actor.id, resource_type="field_visit",
                 resource_id=visit.id)
    session.commit()
    return _view(visit, zone=_zone(session), now=now)


def _my_visit(session: Session, *, actor: User, visit_id: int) -> FieldVisit:
    authorize(session, actor=actor, action=Action.RECORD_FIELD_VISIT, subject_id=actor.id)
    visit = session.get(FieldVisit, visit_id)
    if visit is None or visit.peer_id != actor.id:
        raise PermissionDenied(_(NO_SUCH_VISIT))
    return visit


def _cancel_alerts(session: Session, visit: FieldVisit) -> None:
    for kind in ALERT_KINDS:
        notifications.cancel_pending(session, kind=kind, key_prefix=f"{visit.id}:")


def close_visit(session: Session, *, actor: User, visit_id: int) -> VisitView:
    """"I'm OK": the visit is over, its alerts stop and its location note is deleted. Closing twice changes nothing."""
    visit = _my_visit(session, actor=actor, visit_id=visit_id)
    now = clock.now()
    if visit.closed_at is None:
        visit.closed_at = now
        visit.location_note = None
        session.add(visit)
        _cancel_alerts(session, visit)
        audit.record(session, actor=actor, action="field_visit_closed", subject_id=actor.id,
                     resource_type="field_visit", resource_id=visit.id)
        session.commit()
    return _view(visit, zone=_zone(session), now=now)


def extend_visit(session: Session, *, actor: User, visit_id: int, minutes: int) -> VisitView:
    """Move "back by" on by `minutes` (from now when it has already passed); an overdue alert stops."""
    visit = _my_visit(session, actor=actor, visit_id=visit_id)
    now = clock.now()
    if visit.closed_at is not None:
        raise ValidationError(_("This visit is already closed; start a new one if you are going out again."))
    if (problem := _minutes_problem(minutes)) is not None:
        raise ValidationError(problem, problems={"minutes": problem})
    expected = max(visit.expected_back_at, now) + timedelta(minutes=minutes)
    if expected - visit.started_at > LONGEST_VISIT:
        hours = int(LONGEST_VISIT.total_seconds() // 3600)
        problem = n_("A visit can last at most {count} hour; close this one with \"I'm OK\" and start a new one, "
                     "or choose a shorter extension.",
                     "A visit can last at most {count} hours; close this one with \"I'm OK\" and start a new one, "
                     "or choose a shorter extension.", hours)
        raise ValidationError(problem, problems={"minutes": problem})
    visit.expected_back_at = expected
    visit.extensions += 1
    session.add(visit)
    notifications.cancel_pending(session, kind=FIELD_VISIT_OVERDUE, key_prefix=f"{visit.id}:")
    if visit.help_requested_at is None:
        notifications.cancel_pending(session, kind=FIELD_VISIT_BACKUP, key_prefix=f"{visit.id}:")
    audit.record(session, actor=actor, action="field_visit_extended", subject_id=actor.id, resource_type="field_visit",
                 resource_id=visit.id)
    session.commit()
    return _view(visit, zone=_zone(session), now=now)


def request_help(session: Session, *, actor: User, visit_id: int) -> VisitView:
    """"I need help": alert the supervisors and the backup contact now, and again until a supervisor acknowledges."""
    visit = _my_visit(session, actor=actor, visit_id=visit_id)
    now = clock.now()
    if visit.closed_at is not None:
        raise ValidationError(_("This visit is already closed. If you are in danger, call 911."))
    if visit.help_requested_at is None or visit.acknowledged_at is not None:
        visit.help_requested_at = now
        visit.acknowledged_at = None
        visit.acknowledged_by = None
        session.add(visit)
        session.flush()
        for kind in (FIELD_VISIT_HELP, FIELD_VISIT_BACKUP):
            notifications.enqueue_many(session, kind=kind, messages=_alerts_of(session, visit, kind=kind, now=now),
                                       now=now)
        audit.record(session, actor=actor, action="field_visit_help_requested", subject_id=actor.id,
                     resource_type="field_visit", resource_id=visit.id)
        session.commit()
    return _view(visit, zone=_zone(session), now=now)


def document_incident(session: Session, *, actor: User, occurred_on: date, what_happened: str, reported: bool,
                      follow_up_wanted: bool, idempotency_key: str, identifiers_confirmed: bool = False
                      ) -> IncidentView:
    """A safety incident written up afterwards; it shows on the supervisors' prep cards for discussion."""
    authorize(session, actor=actor, action=Action.RECORD_FIELD_VISIT, subject_id=actor.id)
    stored = stored_submission(session, SafetyIncident, key=idempotency_key, owner="peer_id", owner_id=actor.id)
    if stored is not None:
        return _incident_view(stored)
    today = clock.today()
    problems = {}
    if (problem := input_limits.date_problem(occurred_on, label=_("When it happened"), today=today)) is not None:
        problems["occurred_on"] = problem
    elif occurred_on > today:
        problems["occurred_on"] = _("When it happened: choose today or an earlier day.")
    if (problem := input_limits.text_problem(what_happened, input_limits.INCIDENT_ACCOUNT)) is not None:
        problems["what_happened"] = problem
    elif not input_limits.normalized(what_happened):
        problems["what_happened"] = _("What happened: write a few words, so your supervisor knows what to talk "
                                      "about.")
    elif not identifiers_confirmed and (warning := identifiers.warning(what_happened)):
        problems["what_happened"] = warning
    if problems:
        raise ValidationError(_("The incident was not saved: {problems}", problems=" ".join(problems.values())),
                              problems=problems)
    incident = SafetyIncident(peer_id=actor.id, occurred_on=occurred_on,
                              what_happened=input_limits.normalized(what_happened), reported=bool(reported),
                              follow_up_wanted=bool(follow_up_wanted), idempotency_key=idempotency_key)
    incident = insert_once(session, incident, owner="peer_id")
    audit.record(session, actor=actor, action="safety_incident_documented", subject_id=actor.id,
                 resource_type="safety_incident", resource_id=incident.id)
    session.commit()
    return _incident_view(incident)


def supervisee_visits(session: Session, *, actor: User) -> list[VisitAlert]:
    """The open field visits of the people the actor supervises, those needing attention first."""
    supervisees = [peer_id for peer_id in my_supervisees(session, actor=actor)
                   if allowed(session, actor=actor, action=Action.VIEW_FIELD_SAFETY, subject_id=peer_id)]
    if not supervisees:
        return []
    zone, now = _zone(session), clock.now()
    rows = session.exec(select(FieldVisit, User).join(User, col(User.id) == FieldVisit.peer_id)
                        .where(col(FieldVisit.peer_id).in_(supervisees), col(FieldVisit.closed_at).is_(None))
                        .order_by(col(FieldVisit.expected_back_at))).all()
    alerts = [VisitAlert(_view(visit, zone=zone, now=now), peer.id, peer.display_name) for visit, peer in rows]
    return sorted(alerts, key=lambda alert: not alert.needs_attention)


def acknowledge(session: Session, *, actor: User, visit_id: int) -> None:
    """A supervisor has seen the alert and is acting on it: the repeats stop. A second acknowledgement changes nothing."""
    visit = session.get(FieldVisit, visit_id)
    if (visit is None or visit.peer_id == actor.id
            or not allowed(session, actor=actor, action=Action.VIEW_FIELD_SAFETY, subject_id=visit.peer_id)):
        raise PermissionDenied(_(NO_SUCH_ALERT))
    if visit.acknowledged_at is not None:
        return
    visit.acknowledged_at = clock.now()
    visit.acknowledged_by = actor.id
    session.add(visit)
    _cancel_alerts(session, visit)
    audit.record(session, actor=actor, action="field_visit_acknowledged", subject_id=visit.peer_id,
                 resource_type="field_visit", resource_id=visit.id)
    session.commit()


def incidents_for_prep(session: Session, *, actor: User, on: date) -> dict[int, list[IncidentView]]:
    """Safety incidents of the last INCIDENT_PREP_WINDOW_DAYS, per supervisee, for the prep cards."""
    supervisees = [peer_id for peer_id in my_supervisees(session, actor=actor)
                   if allowed(session, actor=actor, action=Action.VIEW_FIELD_SAFETY, subject_id=peer_id)]
    since = on - timedelta(days=INCIDENT_PREP_WINDOW_DAYS - 1)
    rows = session.exec(select(SafetyIncident).where(col(SafetyIncident.peer_id).in_(supervisees),
                                                     SafetyIncident.occurred_on >= since)
                        .order_by(col(SafetyIncident.occurred_on).desc())).all() if supervisees else []
    found: dict[int, list[IncidentView]] = {}
    for incident in rows:
        found.setdefault(incident.peer_id, []).append(_incident_view(incident))
    for peer_id in found:
        audit.record(session, actor=actor, action="viewed_safety_incidents", subject_id=peer_id,
                     resource_type="safety_incident")
    if found:
        session.commit()
    return found


def _attention_since(visit: FieldVisit, kind: Kind) -> tuple[str, datetime] | None:
    """Which alert a visit calls for with this kind of message, and since when; None when none."""
    if kind is FIELD_VISIT_HELP:
        return ("help", visit.help_requested_at) if visit.help_requested_at is not None else None
    if kind is FIELD_VISIT_OVERDUE:
        return ("overdue", visit.expected_back_at) if visit.help_requested_at is None else None
    if visit.help_requested_at is not None:
        return "help", visit.help_requested_at
    return "overdue", visit.expected_back_at


def _alerts_of(session: Session, visit: FieldVisit, *, kind: Kind, now: datetime) -> list[Outgoing]:
    attention = _attention_since(visit, kind)
    if attention is None or now < attention[1]:
        return []
    reason, since = attention
    round_ = int((now - since) / ALERT_REPEAT)
    round_start = since + round_ * ALERT_REPEAT
    expires = round_start + 2 * ALERT_REPEAT
    key = f"{visit.id}:{reason}:{int(since.timestamp())}:{round_}"
    if kind is FIELD_VISIT_BACKUP:
        return [Outgoing(None, key, {}, expires)] if read_settings(session).backup_contact_email else []
    peer = session.get_one(User, visit.peer_id)
    try:
        supervisors = my_supervisors(session, actor=peer)
    except PermissionDenied:
        supervisors = []
    return [Outgoing(mine.supervisor, f"{key}:{mine.supervisor.id}", {}, expires) for mine in supervisors]


def alerts_due(session: Session, *, kind: Kind, now: datetime) -> list[Outgoing]:
    """This round's alerts of one kind for every open, unacknowledged visit past its time or with help asked
    for. The scheduler enqueues the ones not in the outbox yet."""
    visits = session.exec(
        select(FieldVisit).where(col(FieldVisit.closed_at).is_(None), col(FieldVisit.acknowledged_at).is_(None),
                                 or_(FieldVisit.expected_back_at <= now, col(FieldVisit.help_requested_at).is_not(None)))
        .order_by(col(FieldVisit.id))
    ).all()
    return [message for visit in visits for message in _alerts_of(session, visit, kind=kind, now=now)]
