"""The call-out log and the after-incident path of a hard call.

A peer logs each call-out in under a minute: when, what kind, where, with whom, what they did and how it went for
them, and nothing about the person served (`console.core.identifiers` warns about free text that may name or locate
them). Every supervisor of the peer is told a call-out was logged and sees the log at the peer's sharing level:
counts, kinds and the rest of the work record at `completion`, the peer's own rating from `bands`, the note only
when the peer shares it. A hard call (a fatal overdose, a death of someone served, or a call rated very hard)
opens the after-incident path: a short check-in for the peer, "I'd like a debrief", and a request to the peer's
supportive supervisor to offer a debrief within the program's `debrief_window_hours`, held as a supportive
supervision contact (a group session when a team debriefs a shared incident). A call rated very hard reaches a
supervisor only when they may see the rating, or when the peer asks for a debrief.

Call-outs count as the exposures of their week's check-in (`implied_exposures`), once: the check-in stores the
union of what the peer ticked and what the week's call-outs imply, and `ExposureTally` counts each code once.
Leads see call-out volume, after-hours share and kinds per team as released once per closed month under the one
release rule of lead figures (`console.program.fieldwork_figures`, read back by `lead_callouts`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

import scoring
from console.core import audit, clock, identifiers, input_limits
from console.core.dates import time_zone, week_start
from console.core.errors import NotFound, ValidationError
from console.core.i18n import N_, _, show_date, show_day, show_list
from console.core.idempotency import insert_once, stored_submission
from console.core.program_settings import read_settings
from console.notify import notifications
from console.notify.kinds import CALLOUT_LOGGED, DEBRIEF_TO_OFFER
from console.policy.access import (
    Action,
    authorize,
    decide,
    my_supervisees,
    my_supervisors,
    visibility,
)
from console.program import fieldwork_figures, release, words
from console.program.wellness_figures import complete_months, lead_scope
from console.supervision import sessions
from db import queries, tallies
from db.models import CallOut, PulseCheckin, ReleasedFigure, SupervisionSession, User, table_of
from scoring import release as rule

KINDS = {
    "overdose_nonfatal": N_("Overdose, not fatal"),
    "overdose_fatal": N_("Overdose, fatal"),
    "behavioral_health_crisis": N_("Behavioral health crisis"),
    "welfare_check": N_("Welfare check"),
    "other": N_("Other"),
}
"""Kinds of call-out, in English: shown through `_()`."""
SETTINGS = {"home": N_("Residence"), "street": N_("Street or outdoors"), "hospital": N_("Hospital"), "jail": N_("Jail"),
            "court": N_("Court"), "other": N_("Other")}
RESPONDERS = {"police": N_("Police"), "ems": N_("EMS"), "fire": N_("Fire"), "coroner": N_("Coroner"),
              "crisis_team": N_("Crisis team")}
ACTIONS = {
    "engaged": N_("Talked with the person and offered support"),
    "naloxone": N_("Gave or helped with naloxone"),
    "family_support": N_("Supported family or friends on scene"),
    "connected_care": N_("Connected them to treatment or recovery support"),
    "harm_reduction": N_("Gave harm reduction supplies or information"),
    "follow_up": N_("Planned a follow-up"),
}
RATINGS = {1: N_("It went well for me"), 2: N_("Okay"), 3: N_("Somewhat hard"), 4: N_("Hard"), 5: N_("Very hard")}
VERY_HARD = 5
AFTER_QUESTIONS = {
    "right_now": (N_("How are you right now?"), {1: N_("Not okay"), 2: N_("Shaky"), 3: N_("Getting by"),
                                                 4: N_("Mostly okay"), 5: N_("Okay")}),
    "carry_on": (N_("Can you carry on with your day?"), {1: N_("No"), 2: N_("Not sure"), 3: N_("Yes")}),
    "someone_to_talk": (N_("Is there someone you can talk with today?"), {1: N_("No"), 2: N_("Not sure"),
                                                                          3: N_("Yes")}),
}
NOTE = input_limits.TextField(N_("Note"), 2_000, multiline=True)
MAX_DURATION = timedelta(hours=24)
OLDEST = timedelta(days=30)
"""How long after a call-out it can still be logged."""
RECENT_DAYS = 90
DEBRIEF_DURATION = (5, 240)
LEAD_MONTHS = 3


def implied_exposures(*, kind: str, setting: str, person_served_died: bool) -> frozenset[str]:
    """The weekly check-in's exposures a call-out already reports."""
    codes = set()
    if kind.startswith("overdose"):
        codes.add("overdose_scene")
    if kind == "overdose_fatal" or person_served_died:
        codes.add("death_of_person_served")
    if setting in ("jail", "court"):
        codes.add("triggering_setting")
    return frozenset(codes)


def is_hard(*, kind: str, person_served_died: bool, rating: int) -> bool:
    """Whether a call opens the after-incident path."""
    return kind == "overdose_fatal" or person_served_died or rating >= VERY_HARD


def callout_week(started_at: datetime) -> date:
    """The check-in week a call-out counts in: the week of its start (UTC, as check-ins are)."""
    return week_start(started_at.astimezone(UTC).date())


def _hard_phrase(callout: CallOut, *, sees_rating: bool) -> str | None:
    """What makes the call hard, as this viewer may know it, or None when they may not know it is hard."""
    if callout.kind == "overdose_fatal":
        return _("a fatal overdose")
    if callout.person_served_died:
        return _("the death of someone they serve or served")
    if callout.rating >= VERY_HARD and sees_rating:
        return _("a call they rated very hard")
    if callout.hard and callout.debrief_requested_at is not None:
        return _("a hard call after which they asked for a debrief")
    return None


# ---- the peer ----


def call_times(*, day: date, start: time, end: time, zone_name: str) -> tuple[datetime, datetime]:
    """A call-out's start and end from the day and clock times a peer enters in the program's time zone; an end
    earlier than the start is on the next day."""
    zone = time_zone(zone_name) or UTC
    started = datetime.combine(day, start, tzinfo=zone)
    ended = datetime.combine(day, end, tzinfo=zone)
    if ended < started:
        ended = datetime.combine(day + timedelta(days=1), end, tzinfo=zone)
    return started.astimezone(UTC), ended.astimezone(UTC)


@dataclass(frozen=True)
class LoggedCallOut:
    id: int
    hard: bool
    after_hours: bool
    exposures: tuple[str, ...]


def _problems(*, started_at: datetime, ended_at: datetime, kind: str, setting: str, with_whom: Sequence[str],
              actions: Sequence[str], rating: int, note: str, identifiers_confirmed: bool,
              now: datetime) -> dict[str, str]:
    problems: dict[str, str] = {}
    if started_at.tzinfo is None or ended_at.tzinfo is None:
        raise ValueError("call-out times must be time-zone aware")
    if started_at > now:
        problems["started_at"] = _("The start is in the future: enter when the call-out started.")
    elif now - started_at > OLDEST:
        problems["started_at"] = _("Call-outs can be logged up to {days} days afterwards.", days=OLDEST.days)
    if ended_at <= started_at:
        problems["ended_at"] = _("The end must be after the start.")
    elif ended_at - started_at > MAX_DURATION:
        problems["ended_at"] = _("A call-out lasts at most 24 hours: check the end date and time.")
    elif ended_at > now + timedelta(minutes=5):
        problems["ended_at"] = _("The end is in the future: enter when the call-out ended, or log it once it ends.")
    if kind not in KINDS:
        problems["kind"] = _("Choose what kind of call-out it was.")
    if setting not in SETTINGS:
        problems["setting"] = _("Choose where it happened.")
    if set(with_whom) - set(RESPONDERS):
        problems["with_whom"] = _("Choose among the responders listed.")
    if set(actions) - set(ACTIONS):
        problems["actions"] = _("Choose among what is listed.")
    if type(rating) is not int or rating not in RATINGS:
        problems["rating"] = _("Choose how it went for you.")
    note_problem = input_limits.text_problem(note, NOTE)
    if note_problem is not None:
        problems["note"] = note_problem
    elif not identifiers_confirmed and identifiers.warning(note):
        problems["note"] = identifiers.warning(note) or ""
    return problems


def log_callout(
    session: Session,
    *,
    actor: User,
    started_at: datetime,
    ended_at: datetime,
    kind: str,
    setting: str,
    rating: int,
    idempotency_key: str,
    with_whom: Sequence[str] = (),
    actions: Sequence[str] = (),
    person_served_died: bool = False,
    note: str = "",
    note_shared: bool = False,
    identifiers_confirmed: bool = False,
    now: datetime | None = None,
) -> LoggedCallOut:
    """Store a call-out, count it in its week's check-in, tell the peer's supervisors and, after a hard call, ask
    the supportive supervisor to offer a debrief; a repeated idempotency key returns the stored one."""
    now = now or clock.now()
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    stored = stored_submission(session, CallOut, key=idempotency_key, owner="peer_id", owner_id=actor.id)
    if stored is not None:
        return _logged(stored)
    problems = _problems(started_at=started_at, ended_at=ended_at, kind=kind, setting=setting, with_whom=with_whom,
                         actions=actions, rating=rating, note=note, identifiers_confirmed=identifiers_confirmed,
                         now=now)
    if problems:
        raise ValidationError(_("Please fix: {problems}", problems=" ".join(problems.values())), problems=problems)
    program = read_settings(session)
    callout = CallOut(
        peer_id=actor.id, started_at=started_at, ended_at=ended_at, week_start=callout_week(started_at),
        after_hours=program.is_after_hours(started_at), kind=kind, setting=setting,
        person_served_died=person_served_died, with_whom=frozenset(with_whom),
        actions=frozenset(actions), rating=rating,
        note=note.strip() or None, note_shared=bool(note.strip()) and note_shared,
        hard=is_hard(kind=kind, person_served_died=person_served_died, rating=rating),
        created_at=now, idempotency_key=idempotency_key,
    )
    stored = insert_once(session, callout, owner="peer_id")
    if stored is not callout:
        return _logged(stored)
    count_in_checkin(session, peer_id=actor.id, week=callout.week_start)
    for mine in my_supervisors(session, actor=actor):
        if mine.visibility.callouts:
            notifications.enqueue(session, recipient=mine.supervisor, kind=CALLOUT_LOGGED,
                                  key=f"{callout.id}:{mine.supervisor.id}", now=now)
    if callout.hard:
        _ask_for_debrief(session, peer=actor, callout=callout, window_hours=program.debrief_window_hours, now=now,
                         requested=False)
    audit.record(session, actor=actor, action="callout_logged", subject_id=actor.id, resource_type="callout",
                 resource_id=callout.id)
    session.commit()
    return _logged(callout)


def _logged(callout: CallOut) -> LoggedCallOut:
    return LoggedCallOut(callout.id, callout.hard, callout.after_hours, tuple(sorted(implied_exposures(
        kind=callout.kind, setting=callout.setting, person_served_died=callout.person_served_died))))


def _ask_for_debrief(session: Session, *, peer: User, callout: CallOut, window_hours: int, now: datetime,
                     requested: bool) -> None:
    """Email each supervisor who may offer the peer a debrief and may know this call was hard."""
    due = scoring.debrief_due(callout.ended_at, window_hours=window_hours)
    for mine in my_supervisors(session, actor=peer):
        sees = mine.visibility
        if not sees.debriefs or (not requested and _hard_phrase(callout, sees_rating=sees.callout_ratings) is None):
            continue
        notifications.enqueue(session, recipient=mine.supervisor, kind=DEBRIEF_TO_OFFER,
                              key=f"{callout.id}:{mine.supervisor.id}", now=now,
                              params={"due": due.isoformat(), "window_hours": window_hours})


def _own_callout(session: Session, *, actor: User, callout_id: int) -> CallOut:
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    callout = session.get(CallOut, callout_id)
    if callout is None or callout.peer_id != actor.id:
        raise NotFound(_("There is no such call-out in your log."))
    return callout


def after_incident_checkin(session: Session, *, actor: User, callout_id: int, answers: Mapping[str, int | None],
                           wants_debrief: bool = False) -> None:
    """The peer's short check-in after a hard call (every question may be skipped), and "I'd like a debrief"."""
    callout = _own_callout(session, actor=actor, callout_id=callout_id)
    if not callout.hard:
        raise ValidationError(_("The after-incident check-in follows a hard call."))
    problems = {key: _("{question} Choose one of the answers.",
                       question=_(AFTER_QUESTIONS[key][0]) if key in AFTER_QUESTIONS else key)
                for key, value in answers.items()
                if key not in AFTER_QUESTIONS or (value is not None and value not in AFTER_QUESTIONS[key][1])}
    if problems:
        raise ValidationError(_("Please fix: {problems}", problems=" ".join(problems.values())), problems=problems)
    callout.after_checkin = {key: answers.get(key) for key in AFTER_QUESTIONS}
    callout.after_checkin_at = clock.now()
    session.add(callout)
    audit.record(session, actor=actor, action="callout_after_checkin", subject_id=actor.id, resource_type="callout",
                 resource_id=callout.id)
    if wants_debrief:
        _request_debrief(session, actor=actor, callout=callout)
    session.commit()


def request_debrief(session: Session, *, actor: User, callout_id: int) -> None:
    """"I'd like a debrief" after a hard call: the peer's supportive supervisors are asked to offer one."""
    callout = _own_callout(session, actor=actor, callout_id=callout_id)
    if not callout.hard:
        raise ValidationError(_("A debrief is offered after a hard call; for anything else use \"Please reach out "
                                "to me\" on Support now."))
    _request_debrief(session, actor=actor, callout=callout)
    session.commit()


def _request_debrief(session: Session, *, actor: User, callout: CallOut) -> None:
    if callout.debrief_requested_at is not None:
        return
    callout.debrief_requested_at = clock.now()
    session.add(callout)
    _ask_for_debrief(session, peer=actor, callout=callout, window_hours=read_settings(session).debrief_window_hours,
                     now=clock.now(), requested=True)
    audit.record(session, actor=actor, action="debrief_requested", subject_id=actor.id, resource_type="callout",
                 resource_id=callout.id)


@dataclass(frozen=True)
class CallOutEntry:
    """One call-out as a viewer may see it: `rating` None below `bands`, `note` None unless it may be read;
    `hard_reason` None when the viewer may not know the call was hard."""

    id: int
    peer_id: int
    started_at: datetime
    ended_at: datetime
    after_hours: bool
    kind: str
    setting: str
    person_served_died: bool
    with_whom: tuple[str, ...]
    actions: tuple[str, ...]
    rating: int | None
    note: str | None
    note_shared: bool
    hard_reason: str | None
    debrief_due: datetime | None
    debriefed_on: date | None
    debrief_requested: bool
    after_checkin_done: bool

    def summary(self, zone_name: str) -> str:
        """One line: when (in the program's time zone), what, where and with whom, in plain words."""
        zone = time_zone(zone_name) or UTC
        started, ended = self.started_at.astimezone(zone), self.ended_at.astimezone(zone)
        parts = [f"{show_day(started.date())} {started:%H:%M}–{ended:%H:%M}", _(KINDS[self.kind]),
                 _(SETTINGS[self.setting]).lower()]
        if self.with_whom:
            parts.append(_("with {responders}", responders=show_list(_(RESPONDERS[code]) for code in self.with_whom)))
        if self.after_hours:
            parts.append(_("after hours"))
        return " · ".join(parts)


def _entry(callout: CallOut, *, sees_rating: bool, sees_note: bool, window_hours: int,
           debriefed_on: date | None, own: bool) -> CallOutEntry:
    hard_reason = _hard_phrase(callout, sees_rating=sees_rating)
    if own and callout.hard and hard_reason is None:
        hard_reason = _("a call you rated very hard")
    return CallOutEntry(
        id=callout.id, peer_id=callout.peer_id, started_at=callout.started_at, ended_at=callout.ended_at,
        after_hours=callout.after_hours, kind=callout.kind, setting=callout.setting,
        person_served_died=callout.person_served_died, with_whom=tuple(code for code in RESPONDERS if code in callout.with_whom),
        actions=tuple(code for code in ACTIONS if code in callout.actions), rating=callout.rating if sees_rating else None,
        note=callout.note if sees_note and (own or callout.note_shared) else None, note_shared=callout.note_shared,
        hard_reason=hard_reason,
        debrief_due=scoring.debrief_due(callout.ended_at, window_hours=window_hours) if hard_reason else None,
        debriefed_on=debriefed_on, debrief_requested=callout.debrief_requested_at is not None,
        after_checkin_done=callout.after_checkin_at is not None,
    )


def _recent(session: Session, *, peer_ids: Sequence[int], on: date, days: int) -> list[CallOut]:
    since = datetime.combine(on - timedelta(days=days), datetime.min.time(), tzinfo=UTC)
    until = datetime.combine(on + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    return list(session.exec(
        select(CallOut).where(col(CallOut.peer_id).in_(list(peer_ids)), col(CallOut.started_at) >= since,
                              col(CallOut.started_at) < until)
        .order_by(col(CallOut.started_at).desc())
    ).all())


def _debrief_days(session: Session, callouts: Sequence[CallOut]) -> dict[int, date]:
    session_ids = {callout.debrief_session_id for callout in callouts if callout.debrief_session_id is not None}
    if not session_ids:
        return {}
    held = dict(session.exec(select(col(SupervisionSession.id), col(SupervisionSession.held_on))
                             .where(col(SupervisionSession.id).in_(sorted(session_ids)))).all())
    return {callout.id: held[callout.debrief_session_id] for callout in callouts
            if callout.debrief_session_id in held}


@dataclass(frozen=True)
class MyCallOuts:
    entries: tuple[CallOutEntry, ...]
    window_hours: int
    supportive_supervisors: tuple[str, ...]
    time_zone: str

    @property
    def awaiting_after_checkin(self) -> tuple[CallOutEntry, ...]:
        """Hard calls of the last few days whose short check-in is still open."""
        return tuple(entry for entry in self.entries if entry.hard_reason and not entry.after_checkin_done
                     and entry.debriefed_on is None
                     and clock.now() - entry.ended_at <= timedelta(hours=self.window_hours))


def my_callouts(session: Session, *, actor: User, on: date, days: int = RECENT_DAYS) -> MyCallOuts:
    """The peer's own call-outs of the last `days` days, newest first, everything included."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    callouts = _recent(session, peer_ids=[actor.id], on=on, days=days)
    window_hours = read_settings(session).debrief_window_hours
    debriefed = _debrief_days(session, callouts)
    supporters = tuple(mine.supervisor.display_name for mine in my_supervisors(session, actor=actor)
                       if mine.visibility.debriefs)
    return MyCallOuts(
        tuple(_entry(callout, sees_rating=True, sees_note=True, window_hours=window_hours,
                     debriefed_on=debriefed.get(callout.id), own=True) for callout in callouts),
        window_hours, supporters, read_settings(session).time_zone,
    )


# ---- the weekly check-in ----


def week_callout_exposures(session: Session, *, peer_id: int, week: date) -> frozenset[str]:
    """The exposures the peer's call-outs of the week starting `week` already report."""
    rows = session.exec(select(CallOut.kind, CallOut.setting, CallOut.person_served_died)
                        .where(CallOut.peer_id == peer_id, CallOut.week_start == week)).all()
    return frozenset().union(*(implied_exposures(kind=kind, setting=setting, person_served_died=died)
                               for kind, setting, died in rows))


def week_after_hours(session: Session, *, peer_id: int, week: date) -> int:
    return len(session.exec(select(CallOut.id).where(CallOut.peer_id == peer_id, CallOut.week_start == week,
                                                     col(CallOut.after_hours).is_(True))).all())


def count_in_checkin(session: Session, *, peer_id: int, week: date) -> None:
    """Bring the week's call-outs into that week's check-in when there is one (in the caller's transaction): their
    exposures join its checklist, counted once in `ExposureTally`, and its after-hours call-outs are at least the
    number logged."""
    pulse = session.exec(select(PulseCheckin).where(PulseCheckin.peer_id == peer_id, PulseCheckin.week_start == week)
                         .with_for_update()).first()
    if pulse is None:
        return
    ticked = set(pulse.exposures)
    new = week_callout_exposures(session, peer_id=peer_id, week=week) - ticked
    if new:
        pulse.exposures = frozenset(ticked | new)
        tallies.adjust(session, team_id=pulse.tallied_team_id, month=tallies.month_of(week), codes=new, by=1)
    logged = week_after_hours(session, peer_id=peer_id, week=week)
    if logged > (pulse.after_hours_callouts or 0):
        pulse.after_hours_callouts = logged
    session.add(pulse)


@dataclass(frozen=True)
class PreCounted:
    """What the week's call-outs already tell the check-in."""

    callouts: int
    after_hours: int
    exposures: tuple[str, ...]


def precounted_for_checkin(session: Session, *, actor: User, on: date) -> PreCounted:
    """The call-outs the peer logged in the week holding `on`, as the check-in counts them."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    week = week_start(on)
    count = len(session.exec(select(CallOut.id).where(CallOut.peer_id == actor.id, CallOut.week_start == week)).all())
    return PreCounted(count, week_after_hours(session, peer_id=actor.id, week=week),
                      tuple(sorted(week_callout_exposures(session, peer_id=actor.id, week=week))))


# ---- the supervisor ----


@dataclass(frozen=True)
class SuperviseeCallOuts:
    peer_id: int
    name: str
    level: str
    entries: tuple[CallOutEntry, ...]
    kinds: dict[str, int]
    offers_debriefs: bool

    @property
    def debriefs_to_offer(self) -> tuple[CallOutEntry, ...]:
        return tuple(entry for entry in self.entries if self.offers_debriefs and entry.hard_reason
                     and entry.debriefed_on is None)


def _supervisee_view(session: Session, *, actor: User, peer: User, sees, on: date, days: int,
                     window_hours: int) -> SuperviseeCallOuts:
    callouts = _recent(session, peer_ids=[peer.id], on=on, days=days)
    debriefed = _debrief_days(session, callouts)
    entries = tuple(_entry(callout, sees_rating=sees.callout_ratings, sees_note=sees.shared_text,
                           window_hours=window_hours, debriefed_on=debriefed.get(callout.id), own=False)
                    for callout in callouts)
    kinds: dict[str, int] = defaultdict(int)
    for entry in entries:
        kinds[entry.kind] += 1
    audit.record(session, actor=actor, action="viewed_callouts", subject_id=peer.id, resource_type="callout_log",
                 detail=f"level {sees.level}")
    return SuperviseeCallOuts(peer.id, peer.display_name, sees.level, entries, dict(kinds), sees.debriefs)


def supervisees_callouts(session: Session, *, actor: User, on: date, days: int = RECENT_DAYS
                         ) -> list[SuperviseeCallOuts]:
    """Each supervisee's call-outs of the last `days` days at their sharing level, those with a debrief to offer
    first; every read is audited."""
    window_hours = read_settings(session).debrief_window_hours
    result = []
    for peer_id, facts in my_supervisees(session, actor=actor).items():
        sees = visibility(facts)
        if not sees.callouts:
            continue
        peer = session.get_one(User, peer_id)
        result.append(_supervisee_view(session, actor=actor, peer=peer, sees=sees, on=min(on, clock.today()),
                                       days=days, window_hours=window_hours))
    session.commit()
    return sorted(result, key=lambda view: (not view.debriefs_to_offer, view.name))


def program_time_zone(session: Session, *, actor: User) -> str:
    """The program's time zone, in which a supervisor reads call-out times."""
    authorize(session, actor=actor, action=Action.LIST_SUPERVISEES)
    return read_settings(session).time_zone


def hard_calls_for_flags(session: Session, *, peer_id: int, sees_ratings: bool, on: date, days: int
                         ) -> list[scoring.HardCallInput]:
    """The peer's hard calls a viewer with this visibility may know of, for the prep flags (no access check: the
    caller has asked the policy)."""
    callouts = [callout for callout in _recent(session, peer_ids=[peer_id], on=on, days=days) if callout.hard]
    result = []
    for callout in callouts:
        phrase = _hard_phrase(callout, sees_rating=sees_ratings)
        if phrase is not None:
            result.append(scoring.HardCallInput(callout.ended_at, phrase, callout.debrief_session_id is not None))
    return result


@dataclass(frozen=True)
class DebriefRecorded:
    session_id: int
    kind: str


def record_debrief(
    session: Session,
    *,
    actor: User,
    callout_ids: Sequence[int],
    held_on: date,
    duration_minutes: int,
    idempotency_key: str,
    note: str = "",
) -> DebriefRecorded:
    """Record the debrief of one or more hard calls as supportive supervision: an individual session for one peer,
    a group session when a team debriefs a shared incident; the calls are linked to it in the same transaction."""
    stored = stored_submission(session, SupervisionSession, key=idempotency_key, owner="supervisor_id",
                               owner_id=actor.id)
    if stored is not None:
        return DebriefRecorded(stored.id, stored.kind)
    if not callout_ids:
        problem = _("Choose the call or calls this debrief was about.")
        raise ValidationError(problem, problems={"callouts": problem})
    callouts: list[CallOut] = []
    for callout in [session.get(CallOut, callout_id) for callout_id in sorted(set(callout_ids))]:
        if callout is None:
            raise NotFound(_("There is no such call-out."))
        facts = authorize(session, actor=actor, action=Action.OFFER_DEBRIEF, subject_id=callout.peer_id)
        sees_rating = decide(facts, Action.VIEW_CALLOUT_RATINGS).allowed
        if not callout.hard or _hard_phrase(callout, sees_rating=sees_rating) is None:
            raise ValidationError(_("A debrief is recorded for a hard call you have been asked to debrief."))
        if callout.debrief_session_id is not None:
            raise ValidationError(_("A debrief of this call is already recorded."))
        callouts.append(callout)
    if not DEBRIEF_DURATION[0] <= duration_minutes <= DEBRIEF_DURATION[1] or type(duration_minutes) is not int:
        problem = _("Enter the minutes the debrief took, from {least} to {most}.", least=DEBRIEF_DURATION[0],
                    most=DEBRIEF_DURATION[1])
        raise ValidationError(problem, problems={"duration_minutes": problem})
    earliest = min(callout.started_at.date() for callout in callouts)
    if held_on < earliest:
        problem = _("A debrief is held after the call: choose {day} or later.", day=show_date(earliest))
        raise ValidationError(problem, problems={"held_on": problem})
    attendees = sorted({callout.peer_id for callout in callouts})
    content = sessions.SessionContent(
        held_on=held_on, duration_minutes=duration_minutes, minutes={"supportive": duration_minutes},
        activities=("personal_reactions", "validation_encouragement"), notes={"supportive": note.strip()},
    )
    row = sessions.store_session(session, actor=actor, kind="individual" if len(attendees) == 1 else "group",
                                 attendee_ids=attendees, content=content, idempotency_key=idempotency_key)
    for callout in callouts:
        callout.debrief_session_id = row.id
        session.add(callout)
        audit.record(session, actor=actor, action="debrief_recorded", subject_id=callout.peer_id,
                     resource_type="callout", resource_id=callout.id, detail=f"session {row.id}")
    session.commit()
    return DebriefRecorded(row.id, row.kind)


# ---- the lead ----


@dataclass(frozen=True)
class TeamCallOuts:
    """One group's call-outs in a closed month, or summed over a period of closed months; None where a figure is
    withheld, with the reason."""

    team: str
    callouts: int | None
    after_hours: int | None
    kinds: dict[str, int | None]
    reason: str | None

    @property
    def after_hours_share(self) -> float | None:
        """The share of the call-outs made after hours (of call-outs, not of peers)."""
        if self.callouts is None or self.after_hours is None or not self.callouts:
            return None
        return self.after_hours / self.callouts


@dataclass(frozen=True)
class MonthCallOuts:
    month: date
    teams: tuple[TeamCallOuts, ...]


@dataclass(frozen=True)
class CallOutFigures:
    """The released call-outs of the closed months `first_month` to `last_month`: each month's groups, and
    `teams`, each group's sums of its released month cells over the period."""

    first_month: date
    last_month: date
    k: int
    teams: tuple[TeamCallOuts, ...]
    months: tuple[MonthCallOuts, ...]


LEAD_PERIODS = (1, 3, 6, 12)
"""The periods of closed months the lead's Call-outs page offers."""
PERIOD_HIDDEN = N_("hidden in a month of the period, so the period's sum is not shown")
_BREAKDOWN = (fieldwork_figures.CALLOUTS_AFTER_HOURS, *(fieldwork_figures.callout_kind_topic(kind) for kind in KINDS))


def _month_groups(
    cells: dict[str, dict[str, release.Figure]], stored: set[tuple[str, str]],
) -> dict[str, dict[str, release.Figure]]:
    """A month's released call-out cells for a viewer, with one more pass over each group's row: when the viewer's
    pass withheld a kind or after-hours cell the release showed, or withheld a total whose kinds are shown, the
    row's breakdown is withheld, and so are the pool's and the program's, so no row or column minus its shown
    cells gives the cell back (`stored`: the (topic, group) cells the release showed)."""
    totals = cells.get(fieldwork_figures.CALLOUTS, {})
    kinds = [fieldwork_figures.callout_kind_topic(kind) for kind in KINDS]
    rows = set()
    for key, total in totals.items():
        newly = any((topic, key) in stored and key in cells.get(topic, {}) and not cells[topic][key].released
                    for topic in _BREAKDOWN)
        summed = not total.released and any(key in cells.get(topic, {}) and cells[topic][key].released
                                            for topic in kinds)
        if newly or summed:
            rows.add(key)
    if not rows:
        return cells
    rows |= {release.PROGRAM_KEY, release.POOL_KEY}
    result = dict(cells)
    for topic in _BREAKDOWN:
        result[topic] = {key: replace(figure, released=False, reason=figure.reason or rule.COMPLEMENTARY_REASON,
                                      count_a=None, count_b=None, peers=None)
                         if key in rows and figure.released else figure
                         for key, figure in cells.get(topic, {}).items()}
    return result


def _reasons(*reasons: str | None) -> str | None:
    return "; ".join(dict.fromkeys(words.reason(reason) for reason in reasons if reason)) or None


def _group_figure(label: str, cells: dict[str, dict[str, release.Figure]], key: str) -> TeamCallOuts:
    def cell(topic: str) -> release.Figure | None:
        return cells.get(topic, {}).get(key)

    total = cell(fieldwork_figures.CALLOUTS)
    after = cell(fieldwork_figures.CALLOUTS_AFTER_HOURS)
    kind_cells = {kind: cell(fieldwork_figures.callout_kind_topic(kind)) for kind in KINDS}
    hidden = [figure.reason for figure in (total, *kind_cells.values()) if figure is not None and not figure.released]
    if total is not None and total.released and after is not None and not after.released:
        hidden.append(after.reason)
    return TeamCallOuts(
        label, total.count_a if total is not None and total.released else None,
        after.count_a if after is not None and after.released and total is not None and total.released else None,
        {kind: figure.count_a if figure is not None and figure.released else None
         for kind, figure in kind_cells.items()},
        _reasons(*hidden),
    )


def _period_sum(label: str, months: Sequence[TeamCallOuts | None]) -> TeamCallOuts:
    """A group's sums over the period: each the sum of the released month cells, shown only when every month's
    cell is shown, so a period total is never more than what anyone can add up from the months."""

    def summed(values: list[int | None]) -> int | None:
        return None if any(value is None for value in values) else sum(value for value in values if value is not None)

    present = [month for month in months if month is not None]
    if len(present) < len(months) or not present:
        return TeamCallOuts(label, None, None, dict.fromkeys(KINDS), _reasons(PERIOD_HIDDEN))
    figure = TeamCallOuts(label, summed([month.callouts for month in present]),
                          summed([month.after_hours for month in present]),
                          {kind: summed([month.kinds[kind] for month in present]) for kind in KINDS}, None)
    hidden = figure.callouts is None or (figure.callouts and figure.after_hours is None) or \
        any(value is None for value in figure.kinds.values())
    return replace(figure, reason=_reasons(PERIOD_HIDDEN) if hidden else None)


def lead_callouts(session: Session, *, actor: User, on: date, months: int = LEAD_MONTHS) -> CallOutFigures:
    """Released call-outs of the last `months` closed months (catching up on a month that closed since the last
    release), per group the lead covers: their teams, the pool when one of their teams is in it, the program for a
    lead of the whole program. Nothing is computed from call-outs here: each month's cells were released once when
    it closed (`console.program.fieldwork_figures`), and the period's sums add up released month cells only."""
    if type(months) is not int or not 1 <= months <= 12:
        raise ValidationError(_("Show from 1 to 12 months of call-outs, not {months}.", months=repr(months)))
    scope = lead_scope(session, actor=actor)
    on = min(on, clock.today())
    release.ensure_released(session, program_id=scope.program_id, on=on)
    calendar = complete_months(on, months)
    data = release.read_released(session, program_id=scope.program_id, months=calendar,
                                 topics=fieldwork_figures.CALLOUT_TOPICS, viewer=actor, k=scope.k)
    figure = table_of(ReleasedFigure).c
    stored: dict[date, set[tuple[str, str]]] = defaultdict(set)
    for topic, month, key in session.execute(
        sa.select(figure.topic, figure.period_start, figure.group_key).where(
            figure.program_id == scope.program_id, figure.period_start.in_(list(calendar)),
            figure.topic.in_(list(_BREAKDOWN)), figure.released.is_(True))
    ):
        stored[month].add((topic, key))
    names = dict(queries.teams(session, program_id=scope.program_id))
    in_view = [team_id for team_id in sorted(names, key=lambda team_id: (names[team_id], team_id))
               if scope.team_ids is None or team_id in scope.team_ids]
    per_month: list[MonthCallOuts] = []
    by_group: dict[str, list[TeamCallOuts | None]] = defaultdict(list)
    released_months = [month for month in calendar if data.get(fieldwork_figures.CALLOUTS, month)]
    groups = [(release.team_key(team_id), names[team_id]) for team_id in in_view]
    if any(set(data.pooled.get(month, ())) & set(in_view) for month in released_months):
        groups.append((release.POOL_KEY, rule.POOL_GROUP))
    if scope.whole_program:
        groups.append((release.PROGRAM_KEY, rule.PROGRAM_GROUP))
    for month in released_months:
        cells = _month_groups({topic: data.get(topic, month) for topic in fieldwork_figures.CALLOUT_TOPICS},
                              stored[month])
        visible = set(data.pooled.get(month, ())) & set(in_view)
        shown = []
        for key, label in groups:
            present = key in cells[fieldwork_figures.CALLOUTS] and (key != release.POOL_KEY or visible)
            month_figure = _group_figure(label, cells, key) if present else None
            by_group[key].append(month_figure)
            if month_figure is not None:
                shown.append(month_figure)
        per_month.append(MonthCallOuts(month, tuple(shown)))
    teams = tuple(_period_sum(label, by_group[key]) for key, label in groups) if released_months else ()
    return CallOutFigures(calendar[0], calendar[-1], scope.k, teams, tuple(per_month))
