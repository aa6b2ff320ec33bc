"""What a supervisor sees of one peer, built at the detail the peer's sharing level allows.

The same builder serves the supervisor's pages and the peer's own "what my
supervisor sees" preview, so the preview cannot drift from the real thing.
What each part needs is asked of the access policy (`access.visibility`), never
re-derived here. Levels: `completion` (cadence and workload), `bands` (adds
bands, flags without raw numbers, reliable change in words, one strain average
and exposure counts), `scores` (adds raw scores, the weekly strain trend and
the check-in weeks). An administrative-only supervisor gets the completion view
without the peer's wellness requests.

Below `scores` nothing is a weekly series: the strain average covers the last
complete four-week period of a fixed calendar of periods (see
`strain_period`), so it changes once every four weeks, never as a check-in
arrives, and two averages never share a week. Overlapping rolling windows
would let a viewer difference two averages back into single weeks. The last session's date and functions and the count of open
action items are operational and shown at every level; an administrative-only
view counts sessions for their administrative part alone. Item-level answers
never appear in any view.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, or_, select

import scoring
from console.core import audit, clock
from console.core.dates import week_start
from console.core.errors import NotFound, ValidationError
from console.core.i18n import N_, _, n_, render
from console.core.program_settings import read_settings
from console.fieldwork import callouts
from console.policy.access import Action, Visibility, authorize, supervisor_visibility, visibility
from console.wellness.checkins import first_strains
from console.wellness.instruments import BAND_NAMES, periodic_instrument, program_baseline_sds
from db.models import (
    SHARING_LEVELS,
    ActionItem,
    AssessmentScore,
    PulseCheckin,
    ReachOutRequest,
    SessionAttendee,
    SupervisionSession,
    Team,
    TeamMembership,
    User,
    WellnessPlan,
)
from scoring.flags import band_word, exposure_phrase, scale_label
from scoring.phrases import Phrase

HISTORY_WEEKS = 26
COMPLETION_WEEKS = 4
SESSION_DAYS = 120
NO_TEAM_LABEL = N_("No current team")
"""What a supervisor view names as the team of a peer on no team today (English; translated where shown)."""
STRAIN_PERIOD_WEEKS = 4
MIN_STRAIN_WEEKS = 2
"""Fewest check-ins with a strain in a period for its average to be shown: one would be that week's figure."""
COMPLETION_FLAGS = frozenset({
    "checkin_overdue", "caseload_above_guideline", "caseload_rising", "no_recent_supervision",
    "no_supportive_supervision", "action_items_past_due", "asked_to_talk", "debrief_window_passed",
    "outside_role_high", "outside_role_rising",
})
ADMINISTRATIVE_FLAGS = COMPLETION_FLAGS - {"asked_to_talk", "no_supportive_supervision", "debrief_window_passed"}


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
class DebriefToOffer:
    """A hard call of the peer's, not yet debriefed, that the viewer is asked to offer a debrief for."""

    what: str | Phrase
    ended_at: datetime
    due: datetime


@dataclass(frozen=True)
class FlagView:
    code: str
    severity: str
    reason: Phrase
    """Shown with `i18n.render`; `str(reason)` is the English text."""
    suggested_function: str
    window: Phrase


@dataclass(frozen=True)
class ScaleChange:
    """Change on one scale between two consecutive self-assessments; `text` holds numbers only at `scores`."""

    scale: str
    label: str
    earlier: date
    later: date
    direction: str
    text: Phrase


@dataclass(frozen=True)
class PulseWeek:
    """One check-in week, at the `scores` level only: its strain and how many kinds of exposure it reported."""

    week_start: date
    strain: float | None
    exposures: int


@dataclass(frozen=True)
class LastSession:
    held_on: date
    functions: tuple[str, ...]


@dataclass(frozen=True)
class ReachOut:
    """An open "please reach out to me" from the peer, waiting for a supervisor to acknowledge it."""

    id: int
    created_at: datetime


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
    strain_period: tuple[date, date] | None
    """The Mondays of the first and last week the strain average covers."""
    exposure_counts: dict[str, int] | None
    strain_trend: tuple[StrainPoint, ...] | None
    shared_notes: tuple[SharedNote, ...]
    shared_plan: dict[str, str] | None
    wants_to_talk: bool
    urgency: int
    changes: tuple[ScaleChange, ...] | None
    pulse_weeks: tuple[PulseWeek, ...] | None
    last_session: LastSession | None
    action_items_open: int
    action_items_overdue: int
    reach_outs: tuple[ReachOut, ...]
    scales: dict[str, scoring.Scale]
    """The periodic self-assessment's scales (labels, bands, direction): instrument data, nobody's answers."""
    caseload_guideline: tuple[int, int]
    exposure_window_days: int
    debriefs_to_offer: tuple[DebriefToOffer, ...] = ()
    """Hard calls the viewer is asked to offer a debrief for (a supportive supervisor), within what the peer shares."""
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Lowest and highest possible score of each scale (instrument data), the fixed axis of its chart."""

    @property
    def latest_caseload(self) -> int | None:
        return next((week.caseload for week in reversed(self.workload) if week.caseload is not None), None)

    @property
    def caseload_note(self) -> str:
        caseload = self.latest_caseload
        if caseload is None:
            return _("No caseload reported in recent check-ins.")
        low, high = self.caseload_guideline
        if caseload > high:
            return _("Caseload {caseload}: above the {low}–{high} guideline.", caseload=caseload, low=low, high=high)
        if caseload < low:
            return _("Caseload {caseload}: below the {low}–{high} guideline.", caseload=caseload, low=low, high=high)
        return _("Caseload {caseload}: within the {low}–{high} guideline.", caseload=caseload, low=low, high=high)

    def trend_lines(self, last: int = 3) -> tuple[str, ...]:
        """Each scale's last few self-assessments as bands, with scores only when the view holds them."""
        by_scale: dict[str, list[ScalePoint]] = {}
        for point in self.assessments or ():
            by_scale.setdefault(point.label, []).append(point)
        return tuple(
            _("{scale}: {points}", scale=label, points=" → ".join(_point_text(point) for point in points[-last:]))
            for label, points in by_scale.items()
        )

    def exposure_lines(self) -> tuple[str, ...]:
        return tuple(
            n_("{exposure}: in {count} check-in", "{exposure}: in {count} check-ins", count,
               exposure=_capitalized(render(exposure_phrase(code))))
            for code, count in sorted((self.exposure_counts or {}).items(), key=lambda entry: -entry[1])
        )

    @property
    def shows_bands(self) -> bool:
        return self.level in ("bands", "scores")

    @property
    def shows_scores(self) -> bool:
        return self.level == "scores"


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def band_text(band: str | None) -> str:
    """A band's name in the reader's language; "incomplete" when the assessment had no band."""
    return render(band_word(band)) if band else _("incomplete")


def _point_text(point: ScalePoint) -> str:
    band = band_text(point.band)
    return band if point.raw is None else _("{score} ({band})", score=format(point.raw, "g"), band=band)


def _band_level_reason(flag: scoring.Flag, instrument: scoring.Instrument) -> Phrase:
    """The flag's reason without raw numbers, for the `bands` level."""
    for name, scale in instrument.scales.items():
        if flag.code.endswith(name) and flag.code.startswith(("high_", "low_")):
            return Phrase.of(N_("{scale} is in the {band} band ({window})."), scale=scale_label(scale),
                             band=band_word(flag.code.split("_", 1)[0]), window=flag.window)
        if flag.code == f"reliable_worsening_{name}":
            return Phrase.of(N_("{scale} worsened reliably between the last two self-assessments ({window})."),
                             scale=scale_label(scale), window=flag.window)
    if flag.code == "unusual_strain":
        return Phrase.of(N_("Check-in strain over the {window} is unusual for this peer."), window=flag.window)
    if flag.code == "rising_strain":
        return Phrase.of(N_("Check-in strain has been rising steadily over the {window}."), window=flag.window)
    return flag.reason


def _flag_visible(flag: scoring.Flag, *, sees: Visibility) -> bool:
    if sees.bands:
        return True
    return flag.code in (COMPLETION_FLAGS if sees.reach_outs else ADMINISTRATIVE_FLAGS)


def _flag_view(flag: scoring.Flag, *, sees: Visibility, instrument: scoring.Instrument) -> FlagView:
    reason = flag.reason if sees.scores else _band_level_reason(flag, instrument)
    return FlagView(flag.code, flag.severity, reason, flag.suggested_function, flag.window)


CHANGE_WORDS = {"better": N_("a reliable improvement"), "worse": N_("a reliable worsening"),
                "no reliable change": N_("no reliable change"),
                "not enough data to judge": N_("not enough data to judge")}
LEVEL_WORDS = {"completion": N_("completion only"), "bands": N_("bands, no numbers"), "scores": N_("scores and trends")}
"""Each sharing level in words (English), wherever a level is shown to a person: show it with `_`."""


def _scale_changes(
    by_assessment: list[tuple[date, dict[str, float | None]]],
    *,
    instrument: scoring.Instrument,
    baseline_sds: dict[str, float | None],
    show_scores: bool,
) -> tuple[ScaleChange, ...]:
    """Reliable change between each pair of consecutive self-assessments, in words without numbers below `scores`."""
    changes = []
    for (earlier, before), (later, after) in zip(by_assessment, by_assessment[1:], strict=False):
        for name, scale in instrument.scales.items():
            change = scoring.assess_change(scale=scale, before=before.get(name), after=after.get(name),
                                           baseline_sd=baseline_sds.get(name))
            between = Phrase.of(N_("self-assessments of {earlier} and {later}"), earlier=earlier.isoformat(),
                                later=later.isoformat())
            if show_scores:
                text = Phrase.of(N_("{change} ({between})"), change=change.text, between=between)
            else:
                words = Phrase.of(CHANGE_WORDS.get(change.direction, change.direction))
                text = Phrase.of(N_("{scale}: {change} between the {between}."), scale=scale_label(scale),
                                 change=words, between=between)
            changes.append(ScaleChange(name, scale.label, earlier, later, change.direction, text))
    return tuple(changes)


def _last_session(held: list[tuple[date, tuple[str, ...]]], *, administrative_only: bool) -> LastSession | None:
    """The latest session; an administrative-only view counts sessions for their administrative part alone."""
    if administrative_only:
        held = [(day, ("administrative",)) for day, functions in held if "administrative" in functions]
    return LastSession(*held[-1]) if held else None


def strain_period(on: date) -> tuple[date, date]:
    """The last complete four-week period before the week of `on`, in a calendar of periods fixed from the
    first Monday of the proleptic calendar, so that periods never overlap whatever day a view is built."""
    weeks = week_start(on).toordinal() // 7
    first = date.fromordinal((weeks // STRAIN_PERIOD_WEEKS - 1) * STRAIN_PERIOD_WEEKS * 7 + 1)
    return first, first + timedelta(weeks=STRAIN_PERIOD_WEEKS - 1)


def _strain_average(pulses: Sequence[PulseCheckin], *, on: date) -> tuple[float | None, tuple[date, date]]:
    first, last = strain_period(on)
    strains = [pulse.strain for pulse in pulses if first <= pulse.week_start <= last and pulse.strain is not None]
    average = round(sum(strains) / len(strains)) if len(strains) >= MIN_STRAIN_WEEKS else None
    return average, (first, last)


def _build_view(session: Session, *, peer: User, sees: Visibility, on: date, viewer_id: int | None) -> SupervisorView:
    """The view with the parts `sees` allows; callers have asked the policy for `sees`.

    Action items are counted whoever set them, but their text is named only when the
    viewer's own session set them: another supervisor's session stays theirs.
    """
    program_settings = read_settings(session)
    flag_settings = program_settings.flags
    instrument = periodic_instrument(program_settings)
    since = week_start(on) - timedelta(weeks=HISTORY_WEEKS)
    pulses = session.exec(
        select(PulseCheckin)
        .where(PulseCheckin.peer_id == peer.id, PulseCheckin.week_start >= since, PulseCheckin.week_start <= on)
        .order_by(col(PulseCheckin.week_start))
    ).all()
    scores = session.exec(
        select(AssessmentScore)
        .where(AssessmentScore.peer_id == peer.id, col(AssessmentScore.taken_at) <= _end_of(on))
        .order_by(col(AssessmentScore.taken_at))
    ).all()
    sessions = session.exec(
        select(SupervisionSession)
        .join(SessionAttendee, col(SessionAttendee.session_id) == col(SupervisionSession.id))
        .where(SessionAttendee.peer_id == peer.id, SupervisionSession.held_on >= on - timedelta(days=SESSION_DAYS),
               SupervisionSession.held_on <= on)
        .order_by(col(SupervisionSession.held_on))
    ).all()
    items = session.exec(
        select(ActionItem, SupervisionSession.supervisor_id)
        .outerjoin(SupervisionSession, col(SupervisionSession.id) == col(ActionItem.session_id))
        .where(ActionItem.owner_id == peer.id, ActionItem.status == "open")
    ).all()
    shows_bands = sees.bands
    shows_scores = sees.scores
    administrative_only = sees.administrative_only

    by_assessment: dict[int, dict[str, float | None]] = {}
    taken_on: dict[int, date] = {}
    for row in scores:
        by_assessment.setdefault(row.assessment_id, {})[row.scale] = row.raw
        taken_on[row.assessment_id] = row.taken_at.date()
    assessments = sorted((taken_on[key], values) for key, values in by_assessment.items())
    baseline_sds = program_baseline_sds(session, program_id=peer.program_id) if assessments else {}
    session_functions = [
        (supervision.held_on, tuple(function for function in scoring.FUNCTIONS
                                    if getattr(supervision, f"minutes_{function}") > 0))
        for supervision in sessions
    ]
    hard_calls = callouts.hard_calls_for_flags(
        session, peer_id=peer.id, sees_ratings=sees.callout_ratings, on=on, days=flag_settings.supportive_gap_days,
    ) if sees.debriefs else []
    flags = scoring.supervision_flags(
        today=on,
        assessments=[scoring.AssessmentInput(day, values) for day, values in assessments],
        pulses=[
            scoring.PulseInput(
                week_start=pulse.week_start, taken_on=pulse.taken_at.date(), strain=pulse.strain,
                exposures=pulse.exposures, caseload=pulse.caseload,
                wants_to_talk=pulse.wants_to_talk, hours_outside_role=pulse.hours_outside_role,
            )
            for pulse in pulses
        ],
        sessions=[scoring.SessionInput(held_on=day, functions=frozenset(functions))
                  for day, functions in session_functions],
        action_items=[
            scoring.ActionItemInput(
                due_on=item.due_on,
                done=False,
                text_label=item.text if viewer_id is not None and set_by == viewer_id else _("an item from supervision"),
            )
            for item, set_by in items
            if item.due_on is not None
        ],
        baseline_sd_by_scale=baseline_sds,
        settings=flag_settings,
        instrument=instrument,
        reference_strains=first_strains(session, peer_id=peer.id, limit=flag_settings.strain_reference_points,
                                        before=scoring.window_start(on, flag_settings.strain_recent_days)),
        hard_calls=hard_calls,
    )
    raised = {flag.code for flag in flags}
    shown_flags = [flag for flag in flags if _flag_visible(flag, sees=sees)]

    window_start = week_start(on) - timedelta(weeks=COMPLETION_WEEKS - 1)
    last_assessment = scores[-1].taken_at.date() if scores else None
    completion = Completion(
        weeks_checked_in=sum(1 for pulse in pulses if pulse.week_start >= window_start),
        weeks_in_window=COMPLETION_WEEKS,
        last_checkin_week=pulses[-1].week_start if pulses else None,
        last_assessment_on=last_assessment,
        assessment_due=last_assessment is None
        or (on - last_assessment).days >= program_settings.assessment_cadence_days,
        checkin_overdue="checkin_overdue" in raised,
    )
    workload = tuple(
        WorkloadWeek(pulse.week_start, pulse.caseload, pulse.hours, pulse.after_hours_callouts,
                     pulse.hours_outside_role)
        for pulse in pulses
    ) if sees.workload else ()
    strain_average, period = _strain_average(pulses, on=on)
    exposure_since = scoring.window_start(on, flag_settings.exposure_window_days)
    exposure_counts = Counter(
        code for pulse in pulses if pulse.taken_at.date() >= exposure_since for code in sorted(pulse.exposures)
    )
    plan = None
    reach_outs: tuple[ReachOut, ...] = ()
    if sees.shared_text:
        latest_plan = session.exec(
            select(WellnessPlan).where(WellnessPlan.peer_id == peer.id).order_by(col(WellnessPlan.version).desc())
        ).first()
        plan = latest_plan.sections if latest_plan is not None and latest_plan.shared else None
    if sees.reach_outs:
        reach_outs = tuple(
            ReachOut(request.id, request.created_at)
            for request in session.exec(
                select(ReachOutRequest)
                .where(ReachOutRequest.peer_id == peer.id, col(ReachOutRequest.acknowledged_at).is_(None),
                       col(ReachOutRequest.created_at) <= _end_of(on))
                .order_by(col(ReachOutRequest.created_at))
            )
        )
    return SupervisorView(
        peer_id=peer.id,
        name=peer.display_name,
        team=current_team_names(session, user_ids=[peer.id], on=on).get(peer.id, ""),
        level=sees.level,
        administrative_only=administrative_only,
        completion=completion,
        workload=workload,
        flags=tuple(_flag_view(flag, sees=sees, instrument=instrument) for flag in shown_flags),
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
        strain_average=strain_average if shows_bands else None,
        strain_period=period if shows_bands and strain_average is not None else None,
        exposure_counts=dict(exposure_counts) if shows_bands else None,
        strain_trend=tuple(StrainPoint(pulse.week_start, pulse.strain) for pulse in pulses) if shows_scores else None,
        shared_notes=tuple(
            SharedNote(pulse.week_start, pulse.note) for pulse in pulses if pulse.note_shared and pulse.note
        ) if sees.shared_text else (),
        shared_plan=plan,
        wants_to_talk=sees.reach_outs and "asked_to_talk" in raised,
        urgency=scoring.urgency(shown_flags),
        changes=_scale_changes(assessments, instrument=instrument, baseline_sds=baseline_sds,
                               show_scores=shows_scores) if shows_bands else None,
        pulse_weeks=tuple(
            PulseWeek(pulse.week_start, pulse.strain, len(pulse.exposures))
            for pulse in pulses
        ) if shows_scores else None,
        last_session=_last_session(session_functions, administrative_only=administrative_only),
        action_items_open=len(items),
        action_items_overdue=sum(1 for item, _ in items if item.due_on is not None and item.due_on < on),
        reach_outs=reach_outs,
        scales=dict(instrument.scales),
        caseload_guideline=program_settings.caseload_guideline,
        exposure_window_days=flag_settings.exposure_window_days,
        debriefs_to_offer=tuple(
            DebriefToOffer(call.what, call.ended_at,
                           scoring.debrief_due(call.ended_at, window_hours=flag_settings.debrief_window_hours))
            for call in hard_calls if not call.debriefed
        ),
        ranges=scale_ranges(instrument),
    )


def scale_ranges(instrument: scoring.Instrument) -> dict[str, tuple[float, float]]:
    """Lowest and highest possible raw score of each scale: its item count times the response range."""
    low, high = instrument.response.minimum, instrument.response.maximum
    counts = {name: sum(1 for item in instrument.items if item.scale == name) for name in instrument.scales}
    return {name: (float(count * low), float(count * high)) for name, count in counts.items()}


def current_team_names(session: Session, *, user_ids: list[int], on: date) -> dict[int, str]:
    rows = session.exec(
        select(TeamMembership.user_id, Team.name)
        .join(Team, col(Team.id) == col(TeamMembership.team_id))
        .where(
            col(TeamMembership.user_id).in_(user_ids),
            TeamMembership.started_on <= on,
            or_(col(TeamMembership.ended_on).is_(None), col(TeamMembership.ended_on) >= on),
        )
    ).all()
    names: dict[int, list[str]] = {}
    for user_id, team_name in rows:
        names.setdefault(user_id, []).append(team_name)
    return {user_id: ", ".join(sorted(teams)) for user_id, teams in names.items()}


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=UTC)


def audited_view(session: Session, *, actor: User, peer_id: int, on: date, resource_type: str) -> SupervisorView:
    """The peer as the policy lets this actor see them today, with data up to `on` (never past today); the read
    is audited and the caller commits."""
    facts = authorize(session, actor=actor, action=Action.VIEW_COMPLETION, subject_id=peer_id)
    peer = session.get(User, peer_id)
    if peer is None:
        raise NotFound(_("There is no such person."))
    view = _build_view(session, peer=peer, sees=visibility(facts), on=min(on, clock.today()), viewer_id=actor.id)
    audit.record(session, actor=actor, action="viewed_wellness", subject_id=peer_id, resource_type=resource_type,
                 detail=f"level {view.level}")
    return view


def view_for_supervisor(session: Session, *, actor: User, peer_id: int, on: date) -> SupervisorView:
    """A supervisee as their supervisor may see them today; the read is audited."""
    view = audited_view(session, actor=actor, peer_id=peer_id, on=on, resource_type="supervisee_view")
    session.commit()
    return view


def preview_for_peer(session: Session, *, actor: User, level: str, on: date, administrative_only: bool = False
                     ) -> SupervisorView:
    """Exactly what a supervisor would see of the signed-in peer at `level`."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    if level not in SHARING_LEVELS:
        raise ValidationError(_("Choose a sharing level from {levels}.", levels=", ".join(SHARING_LEVELS)))
    sees = supervisor_visibility(level=level, administrative_only=administrative_only)
    return _build_view(session, peer=actor, sees=sees, on=min(on, clock.today()), viewer_id=None)
