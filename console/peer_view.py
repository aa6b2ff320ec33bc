"""What a supervisor sees of one peer, built at the detail the peer's sharing level allows.

The same builder serves the supervisor's pages and the peer's own "what my
supervisor sees" preview, so the preview cannot drift from the real thing.
Levels: `completion` (cadence and workload), `bands` (adds bands, flags
without raw numbers, the 4-week strain average and exposure counts), `scores`
(adds raw scores and the weekly strain trend). An administrative-only
supervisor gets the completion view without the peer's wellness requests.
Item-level answers never appear in any view.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

import scoring
from console import audit
from console.access import Action, authorize
from console.dates import week_start
from console.errors import NotFound, ValidationError
from console.program_settings import ProgramSettings, read_settings
from console.supervision import current_team_names
from db.models import (
    SHARING_LEVELS,
    ActionItem,
    AssessmentScore,
    PulseCheckin,
    SessionAttendee,
    SupervisionSession,
    User,
    WellnessPlan,
)

BAND_NAMES = {0: "low", 1: "moderate", 2: "high"}
HISTORY_WEEKS = 26
COMPLETION_WEEKS = 4
EXPOSURE_DAYS = 14
COMPLETION_FLAGS = frozenset({
    "checkin_overdue", "caseload_above_guideline", "caseload_rising", "no_recent_supervision",
    "no_supportive_supervision", "action_items_past_due", "asked_to_talk",
})
ADMINISTRATIVE_FLAGS = COMPLETION_FLAGS - {"asked_to_talk", "no_supportive_supervision"}


@dataclass(frozen=True)
class Completion:
    weeks_checked_in: int
    weeks_in_window: int
    last_checkin_week: date | None
    last_assessment_on: date | None
    assessment_due: bool
    checkin_overdue: bool


@dataclass(frozen=True)
class WorkloadWeek:
    week_start: date
    caseload: int | None
    hours: float | None
    after_hours_callouts: int | None
    hours_outside_role: float | None


@dataclass(frozen=True)
class ScalePoint:
    """One scale of one assessment; `raw` is None unless the level is `scores`."""

    taken_on: date
    scale: str
    label: str
    band: str | None
    raw: float | None


@dataclass(frozen=True)
class StrainPoint:
    week_start: date
    strain: float | None


@dataclass(frozen=True)
class SharedNote:
    week_start: date
    text: str


@dataclass(frozen=True)
class FlagView:
    code: str
    severity: str
    reason: str
    suggested_function: str
    window: str


@dataclass(frozen=True)
class SupervisorView:
    peer_id: int
    name: str
    team: str
    level: str
    administrative_only: bool
    completion: Completion
    workload: tuple[WorkloadWeek, ...]
    flags: tuple[FlagView, ...]
    assessments: tuple[ScalePoint, ...] | None
    strain_average: float | None
    exposure_counts: dict[str, int] | None
    strain_trend: tuple[StrainPoint, ...] | None
    shared_notes: tuple[SharedNote, ...]
    shared_plan: dict[str, str] | None
    wants_to_talk: bool

    @property
    def shows_bands(self) -> bool:
        return self.level in ("bands", "scores")

    @property
    def shows_scores(self) -> bool:
        return self.level == "scores"


def periodic_instrument(program_settings: ProgramSettings) -> scoring.Instrument:
    extra = [Path(program_settings.instruments_folder)] if program_settings.instruments_folder else []
    return scoring.load_instrument(program_settings.assessment_instrument, extra_dirs=extra)


def _band_level_reason(flag: scoring.Flag, instrument: scoring.Instrument) -> str:
    """The flag's reason without raw numbers, for the `bands` level."""
    for name, scale in instrument.scales.items():
        if flag.code.endswith(name) and flag.code.startswith(("high_", "low_")):
            return f"{scale.label} is in the {flag.code.split('_', 1)[0]} band ({flag.window})."
        if flag.code == f"reliable_worsening_{name}":
            return f"{scale.label} worsened reliably between the last two self-assessments ({flag.window})."
    if flag.code == "unusual_strain":
        return f"Check-in strain over the {flag.window} is unusual for this peer."
    return flag.reason


def _visible_flags(
    flags: list[scoring.Flag], *, level: str, administrative_only: bool, instrument: scoring.Instrument
) -> tuple[FlagView, ...]:
    shown = []
    for flag in flags:
        if administrative_only and flag.code not in ADMINISTRATIVE_FLAGS:
            continue
        if level == "completion" and flag.code not in COMPLETION_FLAGS:
            continue
        reason = flag.reason if level == "scores" else _band_level_reason(flag, instrument)
        shown.append(FlagView(flag.code, flag.severity, reason, flag.suggested_function, flag.window))
    return tuple(shown)


def build_view(
    session: Session, *, peer: User, level: str, administrative_only: bool, on: date, viewer_id: int | None
) -> SupervisorView:
    """The view at `level`; callers have already checked that the viewer may see it.

    Action items are counted whoever set them, but their text is named only when the
    viewer's own session set them: another supervisor's session stays theirs.
    """
    program_settings = read_settings(session)
    instrument = periodic_instrument(program_settings)
    since = week_start(on) - timedelta(weeks=HISTORY_WEEKS)
    pulses = session.exec(
        select(PulseCheckin)
        .where(PulseCheckin.peer_id == peer.id, PulseCheckin.week_start >= since, PulseCheckin.week_start <= on)
        .order_by(PulseCheckin.week_start)
    ).all()
    scores = session.exec(
        select(AssessmentScore)
        .where(AssessmentScore.peer_id == peer.id, col(AssessmentScore.taken_at) <= _end_of(on))
        .order_by(AssessmentScore.taken_at)
    ).all()
    sessions = session.exec(
        select(SupervisionSession)
        .join(SessionAttendee, SessionAttendee.session_id == SupervisionSession.id)
        .where(SessionAttendee.peer_id == peer.id, SupervisionSession.held_on >= on - timedelta(days=120),
               SupervisionSession.held_on <= on)
    ).all()
    items = session.exec(
        select(ActionItem, SupervisionSession.supervisor_id)
        .outerjoin(SupervisionSession, SupervisionSession.id == ActionItem.session_id)
        .where(ActionItem.owner_id == peer.id, ActionItem.status == "open")
    ).all()

    by_assessment: dict[int, dict[str, float | None]] = {}
    taken_on: dict[int, date] = {}
    for row in scores:
        by_assessment.setdefault(row.assessment_id, {})[row.scale] = row.raw
        taken_on[row.assessment_id] = row.taken_at.date()
    flags = scoring.supervision_flags(
        today=on,
        assessments=[scoring.AssessmentInput(taken_on[key], values) for key, values in by_assessment.items()],
        pulses=[
            scoring.PulseInput(
                week_start=pulse.week_start, taken_on=pulse.taken_at.date(), strain=pulse.strain,
                exposures=frozenset(code for code in pulse.exposures.split(",") if code),
                caseload=pulse.caseload, wants_to_talk=pulse.wants_to_talk,
            )
            for pulse in pulses
        ],
        sessions=[
            scoring.SessionInput(
                held_on=supervision.held_on,
                functions=frozenset(
                    function for function in scoring.FUNCTIONS if getattr(supervision, f"minutes_{function}") > 0
                ),
            )
            for supervision in sessions
        ],
        action_items=[
            scoring.ActionItemInput(
                due_on=item.due_on,
                done=False,
                text_label=item.text if viewer_id is not None and set_by == viewer_id else "an item from supervision",
            )
            for item, set_by in items
            if item.due_on is not None
        ],
        instrument=instrument,
    )

    window_start = week_start(on) - timedelta(weeks=COMPLETION_WEEKS - 1)
    last_assessment = scores[-1].taken_at.date() if scores else None
    completion = Completion(
        weeks_checked_in=sum(1 for pulse in pulses if pulse.week_start >= window_start),
        weeks_in_window=COMPLETION_WEEKS,
        last_checkin_week=pulses[-1].week_start if pulses else None,
        last_assessment_on=last_assessment,
        assessment_due=last_assessment is None
        or (on - last_assessment).days >= program_settings.assessment_cadence_days,
        checkin_overdue=not pulses or (on - pulses[-1].taken_at.date()).days > 10,
    )
    workload = tuple(
        WorkloadWeek(pulse.week_start, pulse.caseload, pulse.hours, pulse.after_hours_callouts,
                     pulse.hours_outside_role)
        for pulse in pulses
    )
    shows_bands = level in ("bands", "scores") and not administrative_only
    shows_scores = level == "scores" and not administrative_only
    recent = [pulse for pulse in pulses if pulse.week_start >= window_start and pulse.strain is not None]
    exposure_since = on - timedelta(days=EXPOSURE_DAYS - 1)
    exposure_counts = Counter(
        code
        for pulse in pulses
        if pulse.taken_at.date() >= exposure_since
        for code in pulse.exposures.split(",")
        if code
    )
    plan = None
    if not administrative_only:
        latest_plan = session.exec(
            select(WellnessPlan).where(WellnessPlan.peer_id == peer.id).order_by(col(WellnessPlan.version).desc())
        ).first()
        plan = latest_plan.sections if latest_plan is not None and latest_plan.shared else None
    return SupervisorView(
        peer_id=peer.id,
        name=peer.display_name,
        team=current_team_names(session, user_ids=[peer.id], on=on).get(peer.id, ""),
        level="completion" if administrative_only else level,
        administrative_only=administrative_only,
        completion=completion,
        workload=workload,
        flags=_visible_flags(flags, level=level, administrative_only=administrative_only, instrument=instrument),
        assessments=tuple(
            ScalePoint(
                taken_on=row.taken_at.date(),
                scale=row.scale,
                label=instrument.scales[row.scale].label if row.scale in instrument.scales else row.scale,
                band=BAND_NAMES.get(row.band) if row.band is not None else None,
                raw=row.raw if shows_scores else None,
            )
            for row in scores
        ) if shows_bands else None,
        strain_average=round(sum(p.strain for p in recent) / len(recent), 1) if shows_bands and recent else None,
        exposure_counts=dict(exposure_counts) if shows_bands else None,
        strain_trend=tuple(StrainPoint(pulse.week_start, pulse.strain) for pulse in pulses) if shows_scores else None,
        shared_notes=tuple(
            SharedNote(pulse.week_start, pulse.note) for pulse in pulses if pulse.note_shared and pulse.note
        ) if not administrative_only else (),
        shared_plan=plan,
        wants_to_talk=not administrative_only and any(
            pulse.wants_to_talk for pulse in pulses if pulse.taken_at.date() >= on - timedelta(days=13)
        ),
    )


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=UTC)


def view_for_supervisor(session: Session, *, actor: User, peer_id: int, on: date) -> SupervisorView:
    """A supervisee as their supervisor may see them today; the read is audited."""
    facts = authorize(session, actor=actor, action=Action.VIEW_COMPLETION, subject_id=peer_id, on=on)
    peer = session.get(User, peer_id)
    if peer is None:
        raise NotFound("There is no such person.")
    administrative_only = not facts.supervises_wellness
    view = build_view(session, peer=peer, level=facts.sharing_level, administrative_only=administrative_only, on=on,
                      viewer_id=actor.id)
    audit.record(session, actor=actor, action="viewed_wellness", subject_id=peer_id, resource_type="supervisee_view",
                 detail=f"level {view.level}")
    session.commit()
    return view


def preview_for_peer(session: Session, *, actor: User, level: str, on: date, administrative_only: bool = False
                     ) -> SupervisorView:
    """Exactly what a supervisor would see of the signed-in peer at `level`."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id, on=on)
    if level not in SHARING_LEVELS:
        raise ValidationError(f"Choose a sharing level from {', '.join(SHARING_LEVELS)}.")
    return build_view(session, peer=actor, level=level, administrative_only=administrative_only, on=on, viewer_id=None)
