"""Scheduled email: the reminders and digests due now, on the program's clock.

`enqueue_due` runs from `wellness-console notify` (cron, a systemd timer, or `--loop`). Every message has a
key per person, kind and period (an ISO week, a due date), so running it twice in a minute, or in two
processes at once, enqueues each message once; a run that comes late, because the timer was stopped, still
enqueues what is due in the current period. Times are the program's wall-clock times (`time_zone`), so a
reminder set for Monday 09:00 goes at 09:00 on both sides of a daylight-saving change.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from console.core import clock
from console.core.dates import WEEKDAYS, time_of_day, time_zone, week_start
from console.core.program_settings import ProgramSettings, read_settings
from console.notify.kinds import (
    ACTION_ITEM_DUE,
    ACTION_ITEMS_OVERDUE,
    ASSESSMENT_DUE,
    CHECKIN_REMINDER,
    PREP_DIGEST,
    Kind,
    split_codes,
)
from console.notify.notifications import Outgoing, enqueue_many
from console.policy.access import WELLNESS_FUNCTIONS, my_supervisees
from console.wellness.assessments import _status as assessment_status_on
from db.models import ActionItem, Assessment, OutboxMessage, PulseCheckin, ReachOutRequest, SupervisionSession, User

OVERDUE_NOTICE_DAYS = 7
"""A supervisor hears about items overdue since at most this many days, so a late run still tells them."""
KEY_CHUNK = 500


@dataclass(frozen=True)
class ProgramClock:
    """Now, on the program's wall clock. Moments are compared through `now` (UTC): Python compares two
    times of the same zone by their wall-clock reading, which is wrong across a daylight-saving change."""

    zone: ZoneInfo
    now: datetime
    reminder_time: time

    @property
    def local(self) -> datetime:
        return self.now.astimezone(self.zone)

    def reached(self, moment: datetime) -> bool:
        return self.now >= moment.astimezone(UTC)

    @property
    def today(self) -> date:
        return self.local.date()

    @property
    def week(self) -> str:
        iso = self.today.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"

    def at(self, day: date, when: time) -> datetime:
        """A wall-clock moment; a time skipped by a daylight-saving change counts as just after it."""
        return datetime.combine(day, when, tzinfo=self.zone)

    def weekly_moment(self, weekday: str) -> datetime:
        """This ISO week's `weekday` at the reminder time."""
        return self.at(week_start(self.today) + timedelta(days=WEEKDAYS.index(weekday)), self.reminder_time)

    @property
    def past_reminder_time(self) -> bool:
        return self.reached(self.at(self.today, self.reminder_time))

    @property
    def end_of_week(self) -> datetime:
        return self.at(week_start(self.today) + timedelta(days=7), time(0))


def program_clock(program: ProgramSettings, *, now: datetime) -> ProgramClock:
    zone = time_zone(program.time_zone)
    return ProgramClock(zone=zone, now=now.astimezone(UTC), reminder_time=time_of_day(program.reminder_time))


def _existing_keys(session: Session, kind: Kind, keys: list[str]) -> set[str]:
    found: set[str] = set()
    full = [f"{kind.code}:{key}" for key in keys]
    for start in range(0, len(full), KEY_CHUNK):
        found.update(session.exec(
            select(OutboxMessage.dedupe_key).where(col(OutboxMessage.dedupe_key).in_(full[start:start + KEY_CHUNK]))
        ).all())
    return {key.removeprefix(f"{kind.code}:") for key in found}


def _enqueue_all(session: Session, kind: Kind, due: list[Outgoing], *, now: datetime) -> int:
    """Enqueue what is not in the outbox yet; returns how many were added."""
    existing = _existing_keys(session, kind, [item.key for item in due])
    return enqueue_many(session, kind=kind, messages=[item for item in due if item.key not in existing], now=now)


def _active_with_role(session: Session, role: str) -> list[User]:
    return [user for user in session.exec(
        select(User).where(col(User.active).is_(True), col(User.roles).contains(role)).order_by(User.id)
    ) if user.has_role(role)]


def _checkin_reminders(session: Session, program: ProgramSettings, clock_: ProgramClock) -> list[Outgoing]:
    if not clock_.reached(clock_.weekly_moment(program.reminder_weekday)):
        return []
    checked_in = set(session.exec(
        select(PulseCheckin.peer_id).where(PulseCheckin.week_start == week_start(clock_.today))
    ).all())
    return [Outgoing(peer, f"{peer.id}:{clock_.week}", {}, clock_.end_of_week)
            for peer in _active_with_role(session, "peer") if peer.id not in checked_in]


def _assessment_reminders(session: Session, program: ProgramSettings, clock_: ProgramClock) -> list[Outgoing]:
    if not clock_.past_reminder_time:
        return []
    last_taken = dict(session.exec(
        select(Assessment.peer_id, func.max(Assessment.taken_at)).group_by(Assessment.peer_id)
    ).all())
    due = []
    for peer in _active_with_role(session, "peer"):
        taken_at = last_taken.get(peer.id)
        status = assessment_status_on(last_taken_on=taken_at.astimezone(clock_.zone).date() if taken_at else None,
                                      cadence_days=program.assessment_cadence_days, on=clock_.today)
        if status.due:
            period = status.next_due_on.isoformat() if taken_at else "first"
            due.append(Outgoing(peer, f"{peer.id}:{period}", {}, clock_.end_of_week))
    return due


def _action_items_due_tomorrow(session: Session, clock_: ProgramClock) -> list[Outgoing]:
    if not clock_.past_reminder_time:
        return []
    tomorrow = clock_.today + timedelta(days=1)
    rows = session.exec(
        select(ActionItem, User).join(User, col(User.id) == ActionItem.owner_id)
        .where(ActionItem.status == "open", ActionItem.due_on == tomorrow, col(User.active).is_(True))
        .order_by(ActionItem.id)
    ).all()
    expires = clock_.at(tomorrow + timedelta(days=1), time(0))
    return [Outgoing(owner, f"{item.id}:{tomorrow.isoformat()}",
                {"path": "home" if owner.has_role("peer") else "action-items"}, expires)
            for item, owner in rows]


def _overdue_items(session: Session, *, supervisor_id: int, owners: set[int], before: date,
                   since: date | None = None) -> Counter[date]:
    """Open items set in the supervisor's sessions, due before `before` (and on or after `since`), by due date."""
    query = (
        select(ActionItem.owner_id, ActionItem.due_on)
        .join(SupervisionSession, col(SupervisionSession.id) == ActionItem.session_id)
        .where(SupervisionSession.supervisor_id == supervisor_id, ActionItem.status == "open",
               col(ActionItem.due_on) < before)
    )
    if since is not None:
        query = query.where(col(ActionItem.due_on) >= since)
    rows = session.exec(query).all()
    return Counter(due_on for owner_id, due_on in rows if owner_id in owners)


def _prep_digests(session: Session, program: ProgramSettings, clock_: ProgramClock) -> list[Outgoing]:
    if not clock_.reached(clock_.weekly_moment(program.prep_digest_weekday)):
        return []
    supervisors = _active_with_role(session, "supervisor")
    existing = _existing_keys(session, PREP_DIGEST, [f"{supervisor.id}:{clock_.week}" for supervisor in supervisors])
    due = []
    for supervisor in supervisors:
        key = f"{supervisor.id}:{clock_.week}"
        supervisees = _supervisee_functions(session, supervisor=supervisor)
        if key in existing or not supervisees:
            continue
        wellness = [peer_id for peer_id, functions in supervisees.items() if functions & WELLNESS_FUNCTIONS]
        checkins = session.exec(select(func.count()).where(
            col(PulseCheckin.peer_id).in_(list(supervisees)), PulseCheckin.week_start == week_start(clock_.today)
        )).one()
        reach_outs = session.exec(select(func.count()).where(
            col(ReachOutRequest.peer_id).in_(wellness), col(ReachOutRequest.acknowledged_at).is_(None)
        )).one()
        overdue = _overdue_items(session, supervisor_id=supervisor.id, owners=set(supervisees) | {supervisor.id},
                                 before=clock_.today)
        due.append(Outgoing(supervisor, key, {"supervisees": len(supervisees), "checkins": checkins,
                                         "reach_outs": reach_outs, "overdue_items": sum(overdue.values())},
                       clock_.end_of_week))
    return due


def _supervisee_functions(session: Session, *, supervisor: User) -> dict[int, frozenset[str]]:
    """The people the supervisor supervises today, with the functions of each assignment, as the policy sees them."""
    return {peer_id: facts.assignment_functions for peer_id, facts in my_supervisees(session, actor=supervisor).items()}


def _overdue_notices(session: Session, clock_: ProgramClock) -> list[Outgoing]:
    """One message per supervisor and due date whose items are still open after it."""
    if not clock_.past_reminder_time:
        return []
    due = []
    for supervisor in _active_with_role(session, "supervisor"):
        owners = set(_supervisee_functions(session, supervisor=supervisor)) | {supervisor.id}
        overdue = _overdue_items(session, supervisor_id=supervisor.id, owners=owners,
                                 since=clock_.today - timedelta(days=OVERDUE_NOTICE_DAYS), before=clock_.today)
        due += [Outgoing(supervisor, f"{supervisor.id}:{due_on.isoformat()}", {"count": count},
                    clock_.at(clock_.today + timedelta(days=1), time(0)))
                for due_on, count in sorted(overdue.items())]
    return due


def enqueue_due(session: Session, *, now: datetime | None = None) -> dict[str, int]:
    """Enqueue every scheduled message due now and not enqueued before, in one transaction.

    Returns the number added per kind. Kinds the program turned off are not scheduled at all.
    """
    now = now or clock.now()
    program = read_settings(session)
    clock_ = program_clock(program, now=now)
    off = set(split_codes(program.notifications_off))
    schedules = {
        CHECKIN_REMINDER: lambda: _checkin_reminders(session, program, clock_),
        ASSESSMENT_DUE: lambda: _assessment_reminders(session, program, clock_),
        ACTION_ITEM_DUE: lambda: _action_items_due_tomorrow(session, clock_),
        PREP_DIGEST: lambda: _prep_digests(session, program, clock_),
        ACTION_ITEMS_OVERDUE: lambda: _overdue_notices(session, clock_),
    }
    added = {kind.code: _enqueue_all(session, kind, due(), now=now)
             for kind, due in schedules.items() if kind.code not in off}
    session.commit()
    return added
