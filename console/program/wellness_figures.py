"""Team-level wellness figures for program leads: aggregates only, small cells suppressed.

Three rules keep one peer's wellness data from reaching a lead:

- Small cells: a figure built from fewer than `k` distinct peers is suppressed
  and says why; where an "All teams" total is shown, complementary suppression
  hides one more team whenever exactly one is hidden (see `scoring.aggregates`).
- One pattern for every lead: which teams are hidden is decided over the whole
  program, so two leads with different teams see the same figure for a team,
  and only a lead who covers the whole program sees the "All teams" row. A
  total over a lead's own teams could otherwise be set against another lead's
  view to isolate a hidden team.
- Closed periods: wellness figures are for complete calendar months and
  participation for the last four complete weeks, so figures do not move as
  each check-in or assessment arrives; a peer's month is counted in a team they
  belonged to during that month, so figures stay put when people move or leave.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy.engine import Row
from sqlmodel import Session

import scoring
from console.core import clock
from console.core.dates import week_start
from console.core.errors import ValidationError
from console.core.program_settings import ProgramSettings, read_settings
from console.policy.access import lead_teams
from console.wellness.instruments import periodic_instrument
from db import queries
from db.models import BAND_CODES, Program, User

TOTAL = scoring.aggregates.TOTAL_GROUP
PARTICIPATION_WEEKS = 4
TREND_MONTHS = 12


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
        raise ValidationError("Your account belongs to no program; ask an administrator to add it to one.")
    return LeadScope(actor.program_id, None if teams is None else frozenset(teams), read_settings(session))


def complete_months(on: date, count: int) -> tuple[date, ...]:
    """The first days of the `count` calendar months before the month of `on`, oldest first."""
    months = []
    month = on.replace(day=1)
    for _ in range(count):
        month = (month - timedelta(days=1)).replace(day=1)
        months.append(month)
    return tuple(reversed(months))


@dataclass(frozen=True)
class ParticipationRow:
    """Peers on a team today; of those, peers with a check-in in the window and with an assessment on cadence."""

    team: str
    peers: int | None
    checked_in: int | None
    assessed: int | None
    suppressed_reason: str | None

    @property
    def checked_in_share(self) -> float | None:
        return None if not self.peers or self.checked_in is None else self.checked_in / self.peers

    @property
    def assessed_share(self) -> float | None:
        return None if not self.peers or self.assessed is None else self.assessed / self.peers


@dataclass(frozen=True)
class ScaleFigure:
    """One scale for one team and month: median, quartiles and share in the high band, or why not shown."""

    team: str
    month: date
    scale: str
    peers: int | None
    median: float | None
    q1: float | None
    q3: float | None
    high_share: float | None
    suppressed_reason: str | None


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
    """Exposures reported on a team's check-ins in a month (`month` None: all months shown;
    `team` TOTAL: all teams), or why it is hidden. `reported` is False when nobody checked in."""

    team: str
    month: date | None
    exposures: int | None
    reported: bool
    suppressed_reason: str | None


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
    participation_from: date
    participation_to: date
    assessment_cadence_days: int
    settings: ProgramSettings
    months: tuple[date, ...]
    trend_scale: str
    participation: tuple[ParticipationRow, ...]
    trends: tuple[ScaleTrend, ...]
    exposures: tuple[ExposureCell, ...]
    alerts: tuple[TeamAlert, ...]

    @property
    def latest_month(self) -> date:
        return self.months[-1]

    @property
    def chosen_trend(self) -> ScaleTrend:
        """The scale shown month by month; the other scales hold the latest month (burnout the last three)."""
        return self.trend(self.trend_scale)

    def trend(self, scale: str) -> ScaleTrend:
        for trend in self.trends:
            if trend.scale == scale:
                return trend
        known = ", ".join(trend.scale for trend in self.trends)
        raise ValidationError(f"There is no scale {scale!r} in the overview; choose one of {known}.")


def _hidden_teams(sizes: dict[int, int], k: int, *, total: int) -> dict[int | str, str]:
    """Team id (or TOTAL) → reason for hiding its row, where `total` peers stand in the row of all teams."""
    table = scoring.suppress_counts(
        {(team_id, "peers"): size for team_id, size in sizes.items()}, k=k, column_peers={"peers": total}
    )
    hidden: dict[int | str, str] = {
        team_id: shown.reason for (team_id, _), shown in table.cells.items() if shown.suppressed
    }
    if table.column_totals and table.column_totals["peers"].suppressed:
        hidden[TOTAL] = table.column_totals["peers"].reason
    return hidden


@dataclass(frozen=True)
class _Teams:
    """The program's teams by id, their names, and today's roster counts."""

    names: dict[int, str]
    counts: dict[int, tuple[int, int, int]]

    def ordered(self) -> list[int]:
        return sorted(self.names, key=lambda team_id: (self.names[team_id], team_id))


def _participation(scope: LeadScope, teams: _Teams) -> list[ParticipationRow]:
    sizes = {team_id: peers for team_id, (peers, _, _) in teams.counts.items()}
    hidden = _hidden_teams(sizes, scope.k, total=sum(sizes.values()))
    rows = [
        ParticipationRow(teams.names[team_id], None, None, None, hidden[team_id]) if team_id in hidden
        else ParticipationRow(teams.names[team_id], *teams.counts[team_id], None)
        for team_id in teams.ordered()
    ]
    total = [sum(values) for values in zip(*teams.counts.values(), strict=True)] or [0, 0, 0]
    rows.append(ParticipationRow(TOTAL, None, None, None, hidden[TOTAL]) if TOTAL in hidden
                else ParticipationRow(TOTAL, *total, None))
    return rows


def _scale_trends(
    scope: LeadScope, teams: _Teams, summaries: list, *, months: tuple[date, ...], instrument: scoring.Instrument,
    scales_from: dict[str, date],
) -> tuple[ScaleTrend, ...]:
    """Figures per scale, month and team from the SQL summaries, with small and complementary cells hidden as
    `scoring.team_aggregates` would hide them."""
    found: dict[tuple[str, str], dict[int | None, Row]] = defaultdict(dict)
    for row in summaries:
        found[(row.scale, row.month)][row.team_id] = row
    small = scoring.aggregates.small_cell_reason(scope.k)
    trends = []
    for name, scale in instrument.scales.items():
        figures = []
        for month in months:
            if month < scales_from[name]:
                continue
            rows = found.get((name, month.isoformat()), {})
            total = rows.get(None)
            hidden = _hidden_teams({team_id: row.n for team_id, row in rows.items() if team_id is not None},
                                   scope.k, total=total.n if total else 0)
            for team_id in [*teams.ordered(), None]:
                team = TOTAL if team_id is None else teams.names[team_id]
                row = rows.get(team_id)
                reason = small if row is None else hidden.get(TOTAL if team_id is None else team_id)
                if reason is not None:
                    figures.append(ScaleFigure(team, month, name, None, None, None, None, None, reason))
                else:
                    figures.append(ScaleFigure(team, month, name, row.n, row.median, row.q1, row.q3,
                                               row.high / row.banded if row.banded else None, None))
        trends.append(ScaleTrend(name, scale.label, scale.higher_is_better, scale.low_max, scale.high_min,
                                 tuple(figures)))
    return tuple(trends)


def _exposures(
    scope: LeadScope, teams: _Teams, exposures: list, *, months: tuple[date, ...]
) -> tuple[ExposureCell, ...]:
    cells = {(team_id, month): scoring.CountCell(0, 0) for team_id in teams.names for month in months}
    column_peers: dict[date, int] = defaultdict(int)
    row_reported: set[int] = set()
    for team_id, month, reported, peers in exposures:
        day = date.fromisoformat(month)
        cells[(team_id, day)] = scoring.CountCell(int(reported), peers)
        column_peers[day] += peers
        row_reported.add(team_id)
    table = scoring.suppress_counts(cells, k=scope.k, column_peers=column_peers)

    def cell(team: str, month: date | None, shown: scoring.ShownCount, reported: bool) -> ExposureCell:
        return ExposureCell(team, month, shown.count, reported, shown.reason)

    result = []
    for team_id in teams.ordered():
        team = teams.names[team_id]
        result += [cell(team, month, table.cells[(team_id, month)], cells[(team_id, month)].peers > 0)
                   for month in months]
        result.append(cell(team, None, table.row_totals[team_id], team_id in row_reported))
    result += [cell(TOTAL, month, table.column_totals[month], column_peers[month] > 0) for month in months]
    result.append(cell(TOTAL, None, table.total, bool(row_reported)))
    return tuple(result)


def _alerts(
    session: Session, scope: LeadScope, teams: _Teams, *, on: date, burnout: ScaleTrend | None,
    months: tuple[date, ...],
) -> list[TeamAlert]:
    alerts = []
    if burnout is not None and len(months) >= 3:
        shares = {(figure.team, figure.month): figure.high_share for figure in burnout.figures}
        for team in teams.names.values():
            last_three = [shares.get((team, month)) for month in months[-3:]]
            if None not in last_three and last_three[0] < last_three[1] < last_three[2]:
                alerts.append(TeamAlert(team, "rising_high_burnout", (
                    "The share in the high burnout band rose two months running: "
                    + " → ".join(f"{share:.0%}" for share in last_three)
                    + f" ({months[-3]:%B} to {months[-1]:%B %Y})."
                )))
    for team_id, (peers, _, _) in teams.counts.items():
        if peers == 1:
            alerts.append(TeamAlert(teams.names[team_id], "single_peer", (
                "This team has a single peer. An isolated peer has nobody to share the work with: "
                "pair them with another team or add a second peer."
            )))
    caseloads: dict[int, list[int]] = defaultdict(list)
    for team_id, caseload in queries.latest_caseloads(
        session, program_id=scope.program_id, on=on, since=week_start(on) - timedelta(weeks=PARTICIPATION_WEEKS)
    ):
        caseloads[team_id].append(caseload)
    for team_id, values in caseloads.items():
        middle = statistics.median(values)
        low, high = scope.settings.caseload_guideline
        if middle > high:
            alerts.append(TeamAlert(teams.names[team_id], "caseload_above_guideline", (
                f"The median caseload, {middle:g}, is above the program's guideline of {low}–{high}."
            )))
    return sorted(alerts, key=lambda alert: (alert.team, alert.kind))


def _monthly(
    session: Session, scope: LeadScope, *, on: date, months: int, scales_from: Callable[[tuple[date, ...]], dict],
    instrument: scoring.Instrument, teams: _Teams,
) -> tuple[tuple[date, ...], tuple[ScaleTrend, ...], list[Row]]:
    """The months shown (from the first with data), the scales' monthly figures and the exposures rows."""
    calendar = complete_months(on, months)
    first_months = scales_from(calendar)
    summaries = queries.monthly_score_summaries(session, program_id=scope.program_id, months=calendar,
                                                scales_from=first_months, high_band=BAND_CODES["high"])
    exposures = queries.monthly_exposures(session, program_id=scope.program_id, months=calendar)
    calendar = _from_first_data(calendar, {row.month for row in summaries} | {row.month for row in exposures})
    trends = _scale_trends(scope, teams, summaries, months=calendar, instrument=instrument, scales_from=first_months)
    return calendar, trends, exposures


def _check_months(months: object) -> None:
    if type(months) is not int or not 3 <= months <= 36:
        raise ValidationError(f"Show from 3 to 36 months of trend, not {months!r}.")


def program_overview(
    session: Session, *, actor: User, on: date, scale: str = "burnout", months: int = TREND_MONTHS
) -> ProgramOverview:
    """Participation; the latest complete month of every scale and the trend of `scale` over `months`
    months; exposures and alerts; for the teams a lead covers."""
    _check_months(months)
    scope = lead_scope(session, actor=actor)
    on = min(on, clock.today())
    settings = scope.settings
    instrument = periodic_instrument(settings)
    if scale not in instrument.scales:
        raise ValidationError(f"There is no scale {scale!r} on {instrument.id}; choose one of "
                              f"{', '.join(instrument.scales)}.")
    names = dict(queries.teams(session, program_id=scope.program_id))
    this_week = week_start(on)
    first_week = this_week - timedelta(weeks=PARTICIPATION_WEEKS)
    last_day = this_week - timedelta(days=1)
    counted = queries.participation(
        session, program_id=scope.program_id, on=on, pulse_since=first_week, pulse_until=this_week,
        assessed_since=queries.start_of_day(this_week - timedelta(days=settings.assessment_cadence_days)),
        assessed_until=queries.start_of_day(this_week),
    )
    counts = {team_id: (0, 0, 0) for team_id in names}
    counts.update({team_id: (peers, checked_in, assessed) for team_id, peers, checked_in, assessed in counted})
    teams = _Teams(names, counts)

    def scales_from(calendar: tuple[date, ...]) -> dict[str, date]:
        first = {name: calendar[-1] for name in instrument.scales}
        if "burnout" in first:
            first["burnout"] = calendar[-3]
        return first | {scale: calendar[0]}

    calendar, trends, exposures = _monthly(session, scope, on=on, months=months, scales_from=scales_from,
                                           instrument=instrument, teams=teams)
    burnout = next((trend for trend in trends if trend.scale == "burnout"), None)
    visible = _visible_teams(scope, names)
    return ProgramOverview(
        program=session.get(Program, scope.program_id).name,
        k=scope.k,
        whole_program=scope.whole_program,
        participation_from=first_week,
        participation_to=last_day,
        assessment_cadence_days=settings.assessment_cadence_days,
        settings=settings,
        months=calendar,
        trend_scale=scale,
        participation=tuple(row for row in _participation(scope, teams) if row.team in visible),
        trends=_visible_figures(trends, visible),
        exposures=tuple(cell for cell in _exposures(scope, teams, exposures, months=calendar) if cell.team in visible),
        alerts=tuple(alert for alert in _alerts(session, scope, teams, on=on, burnout=burnout, months=calendar)
                     if alert.team in visible),
    )


def scale_trends(session: Session, *, actor: User, on: date, months: int = TREND_MONTHS) -> tuple[ScaleTrend, ...]:
    """Every scale month by month, with the same suppression as the overview, for the downloads."""
    _check_months(months)
    scope = lead_scope(session, actor=actor)
    on = min(on, clock.today())
    instrument = periodic_instrument(read_settings(session))
    names = dict(queries.teams(session, program_id=scope.program_id))
    _, trends, _ = _monthly(session, scope, on=on, months=months, instrument=instrument, teams=_Teams(names, {}),
                            scales_from=lambda calendar: dict.fromkeys(instrument.scales, calendar[0]))
    return _visible_figures(trends, _visible_teams(scope, names))


def _visible_figures(trends: tuple[ScaleTrend, ...], visible: set[str]) -> tuple[ScaleTrend, ...]:
    return tuple(replace(trend, figures=tuple(figure for figure in trend.figures if figure.team in visible))
                 for trend in trends)


def _from_first_data(months: tuple[date, ...], with_data: set[str]) -> tuple[date, ...]:
    """The months from the first with any assessment or check-in in the program (all of them when none has),
    so that a young program's trend does not open with empty months."""
    for position, month in enumerate(months):
        if month.isoformat() in with_data:
            return months[position:]
    return months


def _visible_teams(scope: LeadScope, names: dict[int, str]) -> set[str]:
    """Names of the rows a lead sees: their teams, and the total only for a lead of the whole program."""
    if scope.whole_program:
        return {*names.values(), TOTAL}
    return {name for team_id, name in names.items() if team_id in scope.team_ids}
