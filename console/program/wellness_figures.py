"""Team-level wellness figures for program leads, read only from released figures (`console.program.release`).

- Released once: every figure is for a closed calendar month, computed when the month closed under the one
  release rule (`scoring.release`) and stored; a lead page never recomputes it, so no two views of the same
  month differ and none can be subtracted from another.
- One pattern for every lead: which cells are withheld and which teams are pooled is decided over the whole
  program, so two leads with different teams see the same figure for a team, and only a lead who covers the
  whole program sees the "All teams" row.
- The viewer's own data never counts toward k for them: a lead who is also a peer, or who supervises peers,
  has cells withheld that would rest on too few other peers (`release.read_released`).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session

from console.core import clock
from console.core.dates import week_start
from console.core.errors import ValidationError
from console.core.i18n import N_, _, show_month, show_percent
from console.core.program_settings import ProgramSettings, read_settings
from console.policy.access import lead_teams
from console.program import release
from console.wellness.instruments import periodic_instrument
from db import queries
from db.models import Program, User
from scoring import release as rule

TOTAL = rule.PROGRAM_GROUP
POOL = rule.POOL_GROUP
CASELOAD_WEEKS = 4
TREND_MONTHS = 12
NOT_RELEASED_REASON = N_("not released: the month closed before the team had peers, or no figures were stored")


@dataclass(frozen=True)
class LeadScope:
    """What a lead may see: the program, the teams in view (None: all), and the program's settings, read once
    for the request (the anonymity threshold k among them)."""

    program_id: int
    team_ids: frozenset[int] | None
    settings: ProgramSettings

    @property
    def k(self) -> int:
        return self.settings.anonymity_k

    @property
    def whole_program(self) -> bool:
        return self.team_ids is None


def lead_scope(session: Session, *, actor: User) -> LeadScope:
    """Check the policy first; the teams the lead covers today and the program's k.

    Lead services count a day after today as today, so a date passed in never opens a period still running.
    """
    teams = lead_teams(session, actor=actor)
    if actor.program_id is None:
        raise ValidationError(_("Your account belongs to no program; ask an administrator to add it to one."))
    return LeadScope(actor.program_id, None if teams is None else frozenset(teams), read_settings(session))


def complete_months(on: date, count: int) -> tuple[date, ...]:
    """The first days of the `count` calendar months before the month of `on`, oldest first."""
    months = []
    month = on.replace(day=1)
    for _month in range(count):
        month = (month - timedelta(days=1)).replace(day=1)
        months.append(month)
    return tuple(reversed(months))


@dataclass(frozen=True)
class ParticipationRow:
    """Peers placed in a group for the month; of those, peers who sent a check-in and who took a
    self-assessment during the month (exact, or a range when exact would describe every or no member)."""

    team: str
    peers: int | None
    checked_in: rule.Count | None
    assessed: rule.Count | None
    suppressed_reason: str | None

    @property
    def checked_in_share(self) -> float | None:
        return _share(self.checked_in, self.peers)

    @property
    def assessed_share(self) -> float | None:
        return _share(self.assessed, self.peers)


def _share(count: rule.Count | None, peers: int | None) -> float | None:
    if count is None or count.exact is None or not peers:
        return None
    return count.exact / peers


@dataclass(frozen=True)
class ScaleFigure:
    """One scale for one group and month: median, quartiles and the peers in the high band, or why not shown."""

    team: str
    month: date
    scale: str
    peers: int | None
    median: float | None
    q1: float | None
    q3: float | None
    high: rule.Count | None
    suppressed_reason: str | None
    quarter: date | None = None
    """The first day of the quarter when the group was withheld for the month and its figure is the quarter's."""

    @property
    def high_share(self) -> float | None:
        return _share(self.high, self.peers)


@dataclass(frozen=True)
class ScaleTrend:
    scale: str
    label: str
    higher_is_better: bool
    low_max: float
    high_min: float
    figures: tuple[ScaleFigure, ...]

    def for_month(self, month: date) -> tuple[ScaleFigure, ...]:
        return tuple(figure for figure in self.figures if figure.month == month)


@dataclass(frozen=True)
class ExposureCell:
    """Exposures reported on a group's check-ins in a month (`month` None: the sum of the released months shown),
    or why it is hidden. `reported` is False when nobody checked in."""

    team: str
    month: date | None
    exposures: int | None
    reported: bool
    suppressed_reason: str | None


RISING_HIGH_BURNOUT = "rising_high_burnout"
SINGLE_PEER = "single_peer"
CASELOAD_ABOVE_GUIDELINE = "caseload_above_guideline"
"""The kinds of team alert on the overview; action plans answer them by these names."""


@dataclass(frozen=True)
class TeamAlert:
    team: str
    kind: str
    message: str


@dataclass(frozen=True)
class ProgramOverview:
    program: str
    k: int
    whole_program: bool
    settings: ProgramSettings
    months: tuple[date, ...]
    trend_scale: str
    participation: tuple[ParticipationRow, ...]
    trends: tuple[ScaleTrend, ...]
    exposures: tuple[ExposureCell, ...]
    alerts: tuple[TeamAlert, ...]
    pooled: tuple[str, ...]
    """Teams in view counted in "Smaller teams combined" in the latest month."""
    released: bool
    """False when no month has been released yet (the program has no closed month with peers)."""
    by_quarter: tuple[tuple[str, str], ...] = ()
    """(group, why) for the groups whose trend shows a quarter's figure for months they were withheld in."""

    @property
    def latest_month(self) -> date:
        return self.months[-1]

    @property
    def participation_from(self) -> date:
        return self.latest_month

    @property
    def participation_to(self) -> date:
        return queries.next_month(self.latest_month) - timedelta(days=1)

    @property
    def chosen_trend(self) -> ScaleTrend:
        return self.trend(self.trend_scale)

    def trend(self, scale: str) -> ScaleTrend:
        for trend in self.trends:
            if trend.scale == scale:
                return trend
        known = ", ".join(trend.scale for trend in self.trends)
        raise ValidationError(_("There is no scale {scale} in the overview; choose one of {known}.", scale=repr(scale),
                                known=known))


def _check_months(months: object) -> None:
    if type(months) is not int or not 3 <= months <= 36:
        raise ValidationError(_("Show from 3 to 36 months of trend, not {months}.", months=repr(months)))


@dataclass(frozen=True)
class _View:
    """The released cells a lead reads, with the groups in view in display order."""

    scope: LeadScope
    months: tuple[date, ...]
    data: release.Released
    groups: tuple[tuple[str, str], ...]
    """(group key, label) in view: the lead's teams by name, then the pool and the program where visible."""
    quarters: release.Released | None = None
    """The released quarterly figures of the closed quarters of the trend's months."""
    names: dict[int, str] = field(default_factory=dict, hash=False)
    """Team id → name, for every team of the program."""

    def cell(self, topic: str, month: date, key: str) -> release.Figure | None:
        return self.data.get(topic, month).get(key)

    def quarter_cell(self, topic: str, month: date, key: str) -> release.Figure | None:
        if self.quarters is None or not topic.startswith("scale:"):
            return None
        return self.quarters.get(release.quarter_topic(topic.removeprefix("scale:")), release.quarter_of(month)).get(key)


RECENT_MONTHS = 3
"""Months of the overview's other figures (participation, the scales not chosen): the latest, and for the
burnout alert the two before it."""


def _read(
    session: Session, *, actor: User, on: date, months: int, topics: list[str], recent_topics: Sequence[str] = (),
) -> _View:
    """`topics` for every month of the trend, `recent_topics` for the last RECENT_MONTHS only."""
    scope = lead_scope(session, actor=actor)
    on = min(on, clock.today())
    release.ensure_released(session, program_id=scope.program_id, on=on)
    calendar = complete_months(on, months)
    data = release.read_released(session, program_id=scope.program_id, months=calendar, topics=topics, viewer=actor,
                                 also=[(calendar[-RECENT_MONTHS:], recent_topics)] if recent_topics else [],
                                 k=scope.k)
    shown = _from_first_data(calendar, data)
    names = dict(queries.teams(session, program_id=scope.program_id))
    in_view = [team_id for team_id in sorted(names, key=lambda team_id: (names[team_id], team_id))
               if scope.team_ids is None or team_id in scope.team_ids]
    groups = [(release.team_key(team_id), names[team_id]) for team_id in in_view]
    if any(set(data.pooled.get(month, ())) & set(in_view) for month in shown):
        groups.append((release.POOL_KEY, POOL))
    if scope.whole_program:
        groups.append((release.PROGRAM_KEY, TOTAL))
    after_last = queries.next_month(calendar[-1])
    quarter_starts = sorted({quarter for quarter in map(release.quarter_of, shown)
                             if queries.after_months(quarter, release.QUARTER_SPAN) <= after_last})
    scales = [topic.removeprefix("scale:") for topic in topics if topic.startswith("scale:")]
    quarters = release.read_released(
        session, program_id=scope.program_id, months=quarter_starts, topics=[release.quarter_topic(scale)
                                                                             for scale in scales],
        viewer=actor, span=release.QUARTER_SPAN, k=scope.k) if quarter_starts and scales else None
    return _View(scope, shown, data, tuple(groups), quarters, names)


def _from_first_data(months: tuple[date, ...], data: release.Released) -> tuple[date, ...]:
    """The months from the first with any answer in the program (all of them when none has), so that a young
    program's trend does not open with empty months."""
    for position, month in enumerate(months):
        for (topic, at), cells in data.cells.items():
            program = cells.get(release.PROGRAM_KEY)
            if at != month or program is None:
                continue
            if topic == release.PARTICIPATION:
                if program.released and ((program.count_a or 0) + (program.count_b or 0)) > 0:
                    return months[position:]
            elif not program.released or program.peers:
                return months[position:]
    return months


def _reason(cell: release.Figure | None) -> str | None:
    if cell is None:
        return NOT_RELEASED_REASON
    return cell.reason


def _participation(view: _View) -> list[ParticipationRow]:
    month = view.months[-1]
    rows = []
    for key, label in view.groups:
        cell = view.cell(release.PARTICIPATION, month, key)
        if cell is None or not cell.released:
            rows.append(ParticipationRow(label, None, None, None, _reason(cell)))
        else:
            checked_in, assessed = cell.counts or (rule.Count(0, 0), rule.Count(0, 0))
            rows.append(ParticipationRow(label, cell.peers, checked_in, assessed, None))
    return rows


def _scale_trends(view: _View, instrument, *, only: Sequence[str] | None = None) -> tuple[ScaleTrend, ...]:
    trends = []
    for name, scale in instrument.scales.items():
        if only is not None and name not in only:
            continue
        figures = []
        topic = release.scale_topic(name)
        for month in view.months:
            if month in view.data.months and (topic, month) not in view.data.cells:
                continue
            for key, label in view.groups:
                cell = view.cell(topic, month, key)
                quarter = view.quarter_cell(topic, month, key) if cell is not None and not cell.released else None
                if quarter is not None and quarter.released and quarter.peers:
                    figures.append(ScaleFigure(label, month, name, quarter.peers, quarter.median, quarter.q1,
                                               quarter.q3, quarter.counts[0] if quarter.counts else None, None,
                                               quarter=quarter.month))
                elif cell is None or not cell.released or not cell.peers:
                    reason = _reason(cell) if cell is None or not cell.released else rule.NO_DATA_REASON
                    figures.append(ScaleFigure(label, month, name, None, None, None, None, None, reason))
                else:
                    figures.append(ScaleFigure(label, month, name, cell.peers, cell.median, cell.q1, cell.q3,
                                               cell.counts[0] if cell.counts else None, None))
        trends.append(ScaleTrend(name, scale.label, scale.higher_is_better, scale.low_max, scale.high_min,
                                 tuple(figures)))
    return tuple(trends)


def _exposures(view: _View) -> tuple[ExposureCell, ...]:
    result = []
    for key, label in view.groups:
        total, any_reported = 0, False
        for month in view.months:
            cell = view.cell(release.EXPOSURES, month, key)
            if cell is None or not cell.released:
                result.append(ExposureCell(label, month, None, True, _reason(cell)))
                continue
            reported = bool(cell.peers)
            result.append(ExposureCell(label, month, cell.count_a or 0, reported, None))
            total += cell.count_a or 0
            any_reported = any_reported or reported
        result.append(ExposureCell(label, None, total, any_reported, None))
    return tuple(result)


def _alerts(session: Session, view: _View, *, on: date, burnout: ScaleTrend | None) -> list[TeamAlert]:
    alerts = []
    labels = {label for key, label in view.groups if key.startswith("team:")}
    if burnout is not None and len(view.months) >= 3:
        shares = {(figure.team, figure.month): figure.high_share for figure in burnout.figures}
        for team in sorted(labels):
            last_three = [share for month in view.months[-3:] if (share := shares.get((team, month))) is not None]
            if len(last_three) == 3 and last_three[0] < last_three[1] < last_three[2]:
                alerts.append(TeamAlert(team, RISING_HIGH_BURNOUT, _(
                    "The share in the high burnout band rose two months running: {shares} ({start} to {end}).",
                    shares=" → ".join(show_percent(share) for share in last_three),
                    start=show_month(view.months[-3]), end=show_month(view.months[-1]),
                )))
    names = view.names
    for team_id, peers in queries.roster_sizes(session, program_id=view.scope.program_id, on=on):
        if peers == 1 and names[team_id] in labels:
            alerts.append(TeamAlert(names[team_id], SINGLE_PEER, _(
                "This team has a single peer. An isolated peer has nobody to share the work with: "
                "pair them with another team or add a second peer."
            )))
    caseloads: dict[int, list[int]] = defaultdict(list)
    for team_id, caseload in queries.latest_caseloads(
        session, program_id=view.scope.program_id, on=on, since=week_start(on) - timedelta(weeks=CASELOAD_WEEKS)
    ):
        caseloads[team_id].append(caseload)
    for team_id, values in caseloads.items():
        middle = statistics.median(values)
        low, high = view.scope.settings.caseload_guideline
        if middle > high and names[team_id] in labels and len(values) >= view.scope.k:
            alerts.append(TeamAlert(names[team_id], CASELOAD_ABOVE_GUIDELINE, _(
                "The median caseload, {middle}, is above the program's guideline of {low}–{high}.",
                middle=f"{middle:g}", low=low, high=high,
            )))
    return sorted(alerts, key=lambda alert: (alert.team, alert.kind))


def program_overview(
    session: Session, *, actor: User, on: date, scale: str = "burnout", months: int = TREND_MONTHS
) -> ProgramOverview:
    """Participation and every scale for the latest released month, the trend of `scale` over `months`
    released months, exposures, pooling and alerts, for the groups a lead covers."""
    _check_months(months)
    settings = read_settings(session)
    instrument = periodic_instrument(settings)
    if scale not in instrument.scales:
        raise ValidationError(_("There is no scale {scale} on {instrument}; choose one of {known}.",
                                scale=repr(scale), instrument=instrument.id, known=", ".join(instrument.scales)))
    view = _read(session, actor=actor, on=on, months=months,
                 topics=[release.EXPOSURES, release.scale_topic(scale)],
                 recent_topics=[release.PARTICIPATION, *(release.scale_topic(name) for name in instrument.scales
                                                         if name != scale)])
    trends = _scale_trends(view, instrument)
    burnout = next((trend for trend in trends if trend.scale == "burnout"), None)
    names = view.names
    latest_pool = view.data.pooled.get(view.months[-1], ())
    return ProgramOverview(
        program=session.get_one(Program, view.scope.program_id).name,
        k=view.scope.k,
        whole_program=view.scope.whole_program,
        settings=view.scope.settings,
        months=view.months,
        trend_scale=scale,
        participation=tuple(_participation(view)),
        trends=trends,
        exposures=_exposures(view),
        alerts=tuple(_alerts(session, view, on=min(on, clock.today()), burnout=burnout)),
        pooled=tuple(sorted(names[team_id] for team_id in latest_pool
                            if view.scope.team_ids is None or team_id in view.scope.team_ids)),
        released=bool(view.data.months),
        by_quarter=_by_quarter(view, next(trend for trend in trends if trend.scale == scale)),
    )


def _by_quarter(view: _View, trend: ScaleTrend) -> tuple[tuple[str, str], ...]:
    """The groups whose trend shows a quarter's figure, each with why its month was withheld (the first such)."""
    keys = {label: key for key, label in view.groups}
    result: dict[str, str] = {}
    for figure in trend.figures:
        if figure.quarter is not None and figure.team not in result:
            cell = view.cell(release.scale_topic(trend.scale), figure.month, keys[figure.team])
            result[figure.team] = (cell.reason if cell is not None else None) or NOT_RELEASED_REASON
    return tuple((label, result[label]) for _, label in view.groups if label in result)


def scale_trends(
    session: Session, *, actor: User, on: date, months: int = TREND_MONTHS, scales: tuple[str, ...] | None = None,
) -> tuple[ScaleTrend, ...]:
    """Every scale (or those of `scales`) month by month, as released, for the downloads."""
    _check_months(months)
    instrument = periodic_instrument(read_settings(session))
    unknown = [scale for scale in scales or () if scale not in instrument.scales]
    if unknown:
        raise ValidationError(_("There is no scale {scale} on {instrument}; choose one of {known}.",
                                scale=repr(unknown[0]), instrument=instrument.id, known=", ".join(instrument.scales)))
    chosen = list(instrument.scales) if scales is None else [name for name in instrument.scales if name in scales]
    view = _read(session, actor=actor, on=on, months=months, topics=[release.scale_topic(name) for name in chosen])
    return _scale_trends(view, instrument, only=chosen)

