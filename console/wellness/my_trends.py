"""The peer's own trends: self-assessment scales, weekly strain, exposures and self-care, over a time range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

import scoring
from console.core.program_settings import read_settings
from console.policy.access import Action, authorize
from console.supervision.shared_view import ScalePoint, StrainPoint
from console.web.charts import PracticeWeek, WeekCount, scale_ranges
from console.wellness.checkins import pulse_instrument
from console.wellness.instruments import BAND_NAMES, periodic_instrument
from db.models import AssessmentScore, PulseCheckin, User


@dataclass(frozen=True)
class MyTrends:
    since: date | None
    until: date
    scales: dict[str, scoring.Scale]
    ranges: dict[str, tuple[float, float]]
    scale_points: tuple[ScalePoint, ...]
    strain_points: tuple[StrainPoint, ...]
    strain: scoring.StrainReading
    """Check-ins of the program's recent-strain window against the peer's recent range and first check-ins,
    as the prep flag compares them."""
    exposures: tuple[WeekCount, ...]
    self_care: tuple[PracticeWeek, ...]

    @property
    def axis_start(self) -> date:
        """Where the shared time axis begins: `since`, or the first record when showing everything."""
        if self.since is not None:
            return self.since
        days = [point.taken_on for point in self.scale_points] + [point.week_start for point in self.strain_points]
        return min(days, default=self.until)

    @property
    def baseline(self) -> scoring.PulseBaseline:
        """The recent usual range, drawn as the green band."""
        return self.strain.recent

    @property
    def has_assessments(self) -> bool:
        return bool(self.scale_points)

    @property
    def has_checkins(self) -> bool:
        return bool(self.strain_points)


def my_trends(session: Session, *, actor: User, on: date, since: date | None = None) -> MyTrends:
    """Everything My trends draws, from `since` (None: all) to `on`; the usual-strain range uses all history."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    settings = read_settings(session)
    instrument = periodic_instrument(settings)
    pulse = pulse_instrument()
    exposure_labels = {option.code: option.label for option in pulse.checklists["exposures"]}
    practice_labels = {option.code: option.label for option in pulse.checklists["self_care"]}

    scores = session.exec(
        select(AssessmentScore).where(AssessmentScore.peer_id == actor.id).order_by(AssessmentScore.taken_at)
    ).all()
    pulses = session.exec(
        select(PulseCheckin).where(PulseCheckin.peer_id == actor.id, PulseCheckin.week_start <= on)
        .order_by(PulseCheckin.week_start)
    ).all()

    recent_from = scoring.window_start(on, settings.strain_recent_days)
    earlier = [(row.week_start, row.strain) for row in pulses if row.taken_at.date() < recent_from]
    recent = [(row.week_start, row.strain) for row in pulses if row.taken_at.date() >= recent_from]
    shown = [row for row in pulses if since is None or row.week_start >= since]
    return MyTrends(
        since=since,
        until=on,
        scales=dict(instrument.scales),
        ranges=scale_ranges(instrument),
        scale_points=tuple(
            ScalePoint(
                taken_on=row.taken_at.date(),
                scale=row.scale,
                label=instrument.scales[row.scale].label,
                band=BAND_NAMES.get(row.band) if row.band is not None else None,
                raw=row.raw,
            )
            for row in scores
            if row.scale in instrument.scales and (since is None or row.taken_at.date() >= since)
            and row.taken_at.date() <= on
        ),
        strain_points=tuple(StrainPoint(row.week_start, row.strain) for row in shown),
        strain=scoring.strain_reading(earlier=earlier, recent=recent, reference=[strain for _, strain in earlier],
                                      settings=settings.flags.strain),
        exposures=tuple(
            WeekCount(row.week_start, exposure_labels.get(code, code), 1)
            for row in shown
            for code in row.exposures.split(",")
            if code
        ),
        self_care=tuple(
            PracticeWeek(row.week_start, label, code in row.self_care.split(","))
            for row in shown
            for code, label in practice_labels.items()
        ),
    )
