"""Support now: crisis lines, the program's own contact, self-care strategies and "please reach out to me".

The strategies follow the self-care practices the LAPPA tool kit asks programs
to encourage (debriefing after critical incidents, rituals that end the
workday, rest, connection with colleagues, looking after one's own recovery or
wellbeing, whatever path a peer is on).
`suggestions_for` matches them to what a check-in reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from console.core import audit, clock
from console.core.i18n import N_
from console.core.program_settings import read_settings
from console.notify import notifications
from console.notify.kinds import REACH_OUT
from console.policy.access import Action, authorize
from console.policy.sharing import my_supervisors
from db.models import ReachOutRequest, User

MAX_SUGGESTIONS = 4
LOW_ANSWER = 2
HIGH_STRESS = 4


@dataclass(frozen=True)
class Strategy:
    code: str
    title: str
    text: str


STRATEGIES: tuple[Strategy, ...] = (
    Strategy("debrief", N_("Debrief with someone you trust"),
             N_("Talk the hard call through with your supervisor, a colleague or someone you trust, soon after it "
                "happens. You don't have to carry it alone.")),
    Strategy("grief", N_("Give the loss its space"),
             N_("The death of someone you walked alongside is a real loss. It's okay to grieve. Some peers write a "
                "few words, light a candle or go to the service.")),
    Strategy("letting_go_ritual", N_("A ritual to let the day go"),
             N_("Mark the end of the shift: change your clothes, take a short walk, wash your face, play one song on "
                "the way home — something that tells you the workday is over.")),
    Strategy("reach_colleague", N_("Reach out to a colleague"),
             N_("Call or text another peer who knows this work. A few minutes with someone who gets it can lighten "
                "the load.")),
    Strategy("grounding", N_("Step back and ground yourself"),
             N_("When a place or a person brings your own past close, take a few slow breaths, step outside, and "
                "notice what is around you right now. Then tell someone you trust how it went.")),
    Strategy("recovery_supports", N_("Lean on what keeps you well"),
             N_("Reach for the people and practices that keep you steady: a mentor, a group, a friend, someone from "
                "your own community, or whatever supports your recovery or your wellbeing. Looking after yourself is "
                "part of doing this work well.")),
    Strategy("rest", N_("Rest"),
             N_("Give sleep a chance tonight: a regular bedtime, screens down a little earlier, less caffeine late "
                "in the day. If sleep stays hard, mention it in supervision.")),
    Strategy("workload", N_("Bring your workload to supervision"),
             N_("If the work feels like too much, say so in supervision. Caseload, hours and what can wait are all "
                "fair things to raise.")),
    Strategy("purpose", N_("Remember why the work matters"),
             N_("Stigma and criticism hurt. Think of one person you have walked alongside and what changed for them, "
                "and spend time with peers who understand the role.")),
    Strategy("basics", N_("Eat, move, breathe"),
             N_("Regular meals, a little movement and a few quiet minutes help your body recover from stress.")),
    Strategy("time_away", N_("Take time away"),
             N_("Plan some time fully away from work: a day off, an evening with your work phone off. Your "
                "supervisor can help make it happen.")),
)
STRATEGY_BY_CODE = {strategy.code: strategy for strategy in STRATEGIES}

EXPOSURE_STRATEGIES = {
    "death_of_person_served": ("grief", "debrief", "letting_go_ritual", "reach_colleague"),
    "overdose_scene": ("debrief", "letting_go_ritual", "reach_colleague"),
    "threat_or_violence": ("debrief", "letting_go_ritual", "reach_colleague"),
    "people_from_past": ("grounding", "debrief"),
    "triggering_setting": ("grounding", "letting_go_ritual"),
    "recovery_pressure": ("recovery_supports", "reach_colleague"),
    "stigma_or_criticism": ("purpose", "reach_colleague"),
    "racism_or_discrimination": ("debrief", "reach_colleague"),
}
LOW_ANSWER_STRATEGIES = {
    "sleep": ("rest",),
    "energy": ("rest", "time_away"),
    "workload": ("workload",),
    "supported": ("debrief", "reach_colleague"),
    "connection": ("reach_colleague",),
    "satisfaction": ("purpose",),
}


def suggestions_for(
    *, exposures: Sequence[str], answers: Mapping[str, int | None], self_care: Sequence[str]
) -> tuple[Strategy, ...]:
    """A few strategies that fit the week: the hardest exposures first, then low ratings, then basics."""
    codes: list[str] = []
    for exposure in EXPOSURE_STRATEGIES:
        if exposure in exposures:
            codes.extend(EXPOSURE_STRATEGIES[exposure])
    for key, matched in LOW_ANSWER_STRATEGIES.items():
        value = answers.get(key)
        if value is not None and value <= LOW_ANSWER:
            codes.extend(matched)
    stress = answers.get("stress")
    if stress is not None and stress >= HIGH_STRESS:
        codes.extend(("letting_go_ritual", "basics"))
    if not self_care:
        codes.append("basics")
    return tuple(STRATEGY_BY_CODE[code] for code in dict.fromkeys(codes))[:MAX_SUGGESTIONS]


@dataclass(frozen=True)
class SupportNow:
    contact: str
    strategies: tuple[Strategy, ...]
    supporters: tuple[str, ...]
    """Supervisors who see a "please reach out to me": those who supervise the peer's wellness."""
    asked_to_reach_out_at: datetime | None
    """When the peer's open "please reach out to me" was pressed, until a supervisor acknowledges it."""
    response_hours: int
    """Within how many hours the program asks supervisors to get in touch."""


def support_contact(session: Session, *, actor: User) -> str:
    """The program's own support contact from settings, shown beside 988 on peer pages."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    return read_settings(session).support_contact


def _open_request(session: Session, *, peer_id: int) -> ReachOutRequest | None:
    """The peer's request no supervisor acknowledged and the peer did not withdraw (a withdrawal is recorded
    as an acknowledgement by the peer themself, so every reader of open requests leaves it out)."""
    return session.exec(
        select(ReachOutRequest)
        .where(ReachOutRequest.peer_id == peer_id, col(ReachOutRequest.acknowledged_at).is_(None))
        .order_by(col(ReachOutRequest.created_at).desc())
    ).first()


def support_now(session: Session, *, actor: User) -> SupportNow:
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    request = _open_request(session, peer_id=actor.id)
    program = read_settings(session)
    return SupportNow(
        contact=program.support_contact,
        strategies=STRATEGIES,
        supporters=tuple(supervisor.name for supervisor in my_supervisors(session, actor=actor)
                         if not supervisor.administrative_only),
        asked_to_reach_out_at=request.created_at if request else None,
        response_hours=program.reach_out_response_hours,
    )


def request_reach_out(session: Session, *, actor: User, now: datetime | None = None) -> datetime:
    """Flag the peer's supervisors; pressing again while a request is open adds nothing."""
    now = now or clock.now()
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    existing = _open_request(session, peer_id=actor.id)
    if existing is not None:
        return existing.created_at
    request = ReachOutRequest(peer_id=actor.id, created_at=now)
    session.add(request)
    session.flush()
    audit.record(session, actor=actor, action="reach_out_requested", subject_id=actor.id,
                 resource_type="reach_out_request", resource_id=request.id)
    notifications.reach_out_requested(session, request=request,
                                      response_hours=read_settings(session).reach_out_response_hours)
    session.commit()
    return request.created_at


def withdraw_reach_out(session: Session, *, actor: User) -> None:
    """Take back an open "please reach out to me"; emails not yet handed to the mail server are not sent."""
    now = clock.now()
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    request = _open_request(session, peer_id=actor.id)
    if request is None:
        return
    request.acknowledged_at = now
    request.acknowledged_by = actor.id
    session.add(request)
    notifications.cancel_pending(session, kind=REACH_OUT, key_prefix=f"{request.id}:")
    audit.record(session, actor=actor, action="reach_out_withdrawn", subject_id=actor.id,
                 resource_type="reach_out_request", resource_id=request.id)
    session.commit()
