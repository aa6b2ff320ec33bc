"""The words and tables beside every chart: what a sighted reader takes from it (latest value, band,
direction), and the same figures as rows, for screen readers, keyboards and anyone who prefers a table.

Each function takes exactly the rows its chart builder takes (see `console.web.charts` and
`console.web.lead_charts`), so the text can say nothing the chart does not show. No Streamlit here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import scoring
from console.core.i18n import _, n_, show_date, show_list, show_month
from console.program.coverage_figures import SupervisionCoverage
from console.program.wellness_figures import TOTAL, ProgramOverview, ScaleTrend
from console.program.workload_figures import Workload
from console.supervision.shared_view import ScalePoint, StrainPoint
from console.web.charts import PracticeWeek, WeekCount, usual_range

Row = dict[str, object]


@dataclass(frozen=True)
class ChartText:
    """A chart's text alternative: `summary` is read out as its accessible description and shown under it;
    `rows` is the table behind "Show as a table"."""

    summary: str
    rows: tuple[Row, ...]


def _direction(previous: float | None, latest: float | None, *, unit: str = "") -> str:
    if previous is None or latest is None:
        return ""
    if latest == previous:
        return "the same as the time before"
    word = "up" if latest > previous else "down"
    return f"{word} {abs(latest - previous):g}{unit} from the time before"


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _weeks(count: int) -> str:
    return "1 week" if count == 1 else f"{count} weeks"


def _joined(parts: Iterable[str]) -> str:
    return " ".join(part for part in parts if part)


def scale_trend(points: Iterable[ScalePoint], *, scales: Mapping[str, scoring.Scale], show_scores: bool) -> ChartText:
    kept = sorted((point for point in points if point.band is not None and point.scale in scales
                   and (point.raw is not None or not show_scores)), key=lambda point: point.taken_on)
    sentences = []
    for name, scale in scales.items():
        rows = [point for point in kept if point.scale == name]
        if not rows:
            continue
        latest = rows[-1]
        better = "higher is better" if scale.higher_is_better else "lower is better"
        value = f"{latest.raw:g}, " if show_scores and latest.raw is not None else ""
        change = _direction(rows[-2].raw, latest.raw) if show_scores and len(rows) > 1 else ""
        if not show_scores and len(rows) > 1 and rows[-2].band != latest.band:
            change = f"it was {rows[-2].band} the time before"
        sentences.append(f"{scale.label} ({better}): {value}{latest.band} band on {show_date(latest.taken_on)}"
                         + (f", {change}" if change else "") + ".")
    summary = _joined(sentences) or "No self-assessment results in this time range."
    rows_out: tuple[Row, ...] = tuple(
        {"date": show_date(point.taken_on), "scale": point.label,
         **({"score": point.raw} if show_scores else {}), "band": point.band}
        for point in reversed(kept)
    )
    return ChartText(summary, rows_out)


def strain(points: Iterable[StrainPoint], *, baseline: scoring.PulseBaseline | None) -> ChartText:
    kept = sorted((point for point in points if point.strain is not None), key=lambda point: point.week_start)
    if not kept:
        return ChartText("No check-ins in this time range.", ())
    latest = kept[-1]
    assert latest.strain is not None
    parts = [f"Strain in the week of {show_date(latest.week_start)}: {latest.strain:g} out of 100 "
             "(0 easiest, 100 hardest)"]
    if len(kept) > 1:
        parts.append(", " + _direction(kept[-2].strain, latest.strain, unit=" points"))
    usual = usual_range(baseline)
    if usual is not None:
        low, high = usual
        where = ("within" if low <= latest.strain <= high else "above" if latest.strain > high else "below")
        parts.append(f"; {where} what is usual for you ({low:.0f} to {high:.0f})")
    values = [point.strain for point in kept if point.strain is not None]
    parts.append(f". Over {_weeks(len(kept))} it ranged from {min(values):g} to {max(values):g}.")
    rows: tuple[Row, ...] = tuple({"week of": show_date(point.week_start), "strain (0–100)": point.strain}
                                  for point in reversed(kept))
    return ChartText("".join(parts), rows)


def exposures(rows: Iterable[WeekCount]) -> ChartText:
    kept = sorted((row for row in rows if row.count > 0), key=lambda row: (row.week_start, row.category))
    if not kept:
        return ChartText(_("Nothing from the list of hard moments was reported in this time range."), ())
    totals: dict[str, int] = defaultdict(int)
    for row in kept:
        totals[row.category] += row.count
    weeks = sorted({row.week_start for row in kept})
    latest = weeks[-1]
    most = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    summary = _("Hard moments were reported in {weeks}. Most often: {most}. The latest, the week of {day}: {latest}.",
                weeks=n_("{count} week", "{count} weeks", len(weeks)),
                most="; ".join(_("{kind} ({times})", kind=kind, times=n_("once", "{count} times", times))
                               for kind, times in most[:3]),
                day=show_date(latest), latest=show_list(row.category for row in kept if row.week_start == latest))
    table = tuple({_("week of"): show_date(row.week_start), _("exposure"): row.category, _("times"): row.count}
                  for row in reversed(kept))
    return ChartText(summary, table)


def self_care(rows: Iterable[PracticeWeek]) -> ChartText:
    kept = list(rows)
    if not kept:
        return ChartText(_("No self-care answers in this time range."), ())
    weeks = sorted({row.week_start for row in kept})
    done: dict[str, int] = defaultdict(int)
    for row in kept:
        done[row.practice] += row.done
    practices = "; ".join(_("{practice} managed in {done} of {weeks}", practice=practice, done=count, weeks=len(weeks))
                          for practice, count in done.items())
    summary = n_("Over {count} check-in week: {practices}.", "Over {count} check-in weeks: {practices}.", len(weeks),
                 practices=practices)
    by_week: dict[object, Row] = {}
    for row in sorted(kept, key=lambda row: row.week_start, reverse=True):
        by_week.setdefault(row.week_start, {_("week of"): show_date(row.week_start)})[row.practice] = \
            _("yes") if row.done else _("no")
    return ChartText(summary, tuple(by_week.values()))


def minutes_per_function(sessions: Iterable[scoring.SessionMinutes]) -> ChartText:
    months: dict[date, dict[str, int]] = {}
    for held in sorted(sessions, key=lambda held: held.held_on):
        month = months.setdefault(held.held_on.replace(day=1), dict.fromkeys(scoring.FUNCTIONS, 0))
        for function in scoring.FUNCTIONS:
            month[function] += getattr(held, function)
    if not months:
        return ChartText("No supervision sessions yet.", ())
    latest, minutes = list(months.items())[-1]
    summary = (f"In {show_month(latest)}: " + ", ".join(f"{minutes[function]} minutes {function}"
                                                       for function in scoring.FUNCTIONS) + ".")
    rows = tuple({"month": show_month(month), **{f"{function} (min)": figures[function]
                                               for function in scoring.FUNCTIONS}}
                 for month, figures in reversed(list(months.items())))
    return ChartText(summary, rows)


def lead_scale_trend(trend: ScaleTrend, *, teams: Collection[str]) -> str:
    """What the lead's trend chart shows: each team's latest shown median and its band."""
    latest: dict[str, tuple[date, float]] = {}
    for figure in sorted(trend.figures, key=lambda figure: figure.month):
        if figure.team in teams and figure.suppressed_reason is None and figure.median is not None:
            latest[figure.team] = (figure.month, figure.median)
    if not latest:
        return f"{trend.label}: no month with figures shown for the teams chosen."
    better = "higher is better" if trend.higher_is_better else "lower is better"
    parts = [f"{'All teams' if team == TOTAL else team}: median {median:g} in {show_month(month)}"
             f" ({band_of(trend, median)} band)" for team, (month, median) in latest.items()]
    return (f"{trend.label} ({better}; low up to {trend.low_max:g}, high from {trend.high_min:g}). "
            + "; ".join(parts) + ".")


def band_of(trend: ScaleTrend, value: float) -> str:
    if value <= trend.low_max:
        return "low"
    return "high" if value >= trend.high_min else "moderate"


def lead_median_heatmap(trend: ScaleTrend) -> str:
    shown = [figure for figure in trend.figures if figure.suppressed_reason is None and figure.median is not None]
    hidden = sum(1 for figure in trend.figures if figure.suppressed_reason is not None)
    if not shown:
        return f"Median {trend.label.lower()}: every team and month is suppressed or has no data."
    high = [figure for figure in shown if figure.median is not None and band_of(trend, figure.median) == "high"]
    return (f"Median {trend.label.lower()} for {len(shown)} team-months, coloured by band (low up to "
            f"{trend.low_max:g}, high from {trend.high_min:g}); {len(high)} in the high band; {hidden} suppressed. "
            "The table below gives every figure.")


def lead_exposures_heatmap(overview: ProgramOverview) -> str:
    cells = [cell for cell in overview.exposures if cell.month is not None and cell.team != TOTAL and cell.reported
             and cell.suppressed_reason is None and cell.exposures is not None]
    if not cells:
        return "Exposures reported: no team and month to show."
    top = max(cells, key=lambda cell: cell.exposures or 0)
    assert top.month is not None
    return (f"Exposures reported per team and month; the most, {top.exposures}, by {top.team} in "
            f"{show_month(top.month)}.")


def lead_caseloads(workload: Workload) -> str:
    low, high = workload.caseload_guideline
    caseloads = [peer.caseload for peer in workload.shown_caseloads if peer.caseload is not None]
    if not caseloads:
        return "No caseloads reported recently."
    above = sum(1 for value in caseloads if value > high)
    below = sum(1 for value in caseloads if value < low)
    return (f"{len(caseloads)} peers reported a caseload, from {min(caseloads)} to {max(caseloads)}; guideline "
            f"{low}–{high}: {above} above it, {below} below it.")


def lead_weekly(workload: Workload, *, measure: str, title: str, teams: Collection[str]) -> str:
    latest: dict[str, tuple[date, float]] = {}
    for row in sorted(workload.weeks, key=lambda row: row.week):
        value = getattr(row, measure)
        if row.team in teams and value is not None:
            latest[row.team] = (row.week, value)
    if not latest:
        return f"{title.capitalize()}: no weeks to show for the teams chosen."
    return (f"{title.capitalize()}, latest week per team: "
            + "; ".join(f"{team} {value:.1f} (week of {show_date(week)})"
                        for team, (week, value) in latest.items()) + ".")


def lead_function_balance(coverage: SupervisionCoverage) -> str:
    parts = []
    for team in coverage.teams:
        total = sum(team.minutes.values())
        if total:
            parts.append(f"{team.team}: " + ", ".join(f"{function} {round(100 * minutes / total)}%"
                                                      for function, minutes in team.minutes.items()))
    return ("Share of supervision minutes per function. " + "; ".join(parts) + ".") if parts else \
        "No supervision minutes recorded in this window."


def lead_sessions(coverage: SupervisionCoverage) -> str:
    if not coverage.months:
        return "No supervision sessions in this window."
    latest = max(row.month for row in coverage.months)
    counts = ", ".join(f"{row.sessions} {row.kind}" for row in coverage.months if row.month == latest)
    return f"Supervision sessions by month and kind; in {show_month(latest)}: {counts}."
