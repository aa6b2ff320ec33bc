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
from console.core.i18n import _, n_, show_date, show_list, show_month, show_percent
from console.program import words
from console.program.coverage_figures import SupervisionCoverage
from console.program.wellness_figures import TOTAL, ProgramOverview, ScaleTrend
from console.program.workload_figures import Workload
from console.supervision.shared_view import ScalePoint, StrainPoint
from console.web.charts import PracticeWeek, WeekCount, band_word, function_word, usual_range
from console.web.lead_charts import kind_name

Row = dict[str, object]


@dataclass(frozen=True)
class ChartText:
    """A chart's text alternative: `summary` is read out as its accessible description and shown under it;
    `rows` is the table behind "Show as a table"."""

    summary: str
    rows: tuple[Row, ...]


def _direction(previous: float | None, latest: float | None, *, points: bool = False) -> str:
    if previous is None or latest is None:
        return ""
    if latest == previous:
        return _("the same as the time before")
    change = f"{abs(latest - previous):g}"
    if points:
        if latest > previous:
            return _("up {change} points from the time before", change=change)
        return _("down {change} points from the time before", change=change)
    if latest > previous:
        return _("up {change} from the time before", change=change)
    return _("down {change} from the time before", change=change)


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
        better = _("higher is better") if scale.higher_is_better else _("lower is better")
        band = band_word(latest.band)
        if show_scores and latest.raw is not None:
            sentence = _("{scale} ({better}): {score}, {band} band on {day}", scale=scale.label, better=better,
                         score=f"{latest.raw:g}", band=band, day=show_date(latest.taken_on))
        else:
            sentence = _("{scale} ({better}): {band} band on {day}", scale=scale.label, better=better, band=band,
                         day=show_date(latest.taken_on))
        change = _direction(rows[-2].raw, latest.raw) if show_scores and len(rows) > 1 else ""
        if not show_scores and len(rows) > 1 and rows[-2].band != latest.band:
            change = _("it was {band} the time before", band=band_word(rows[-2].band))
        sentences.append(_("{sentence}, {change}.", sentence=sentence, change=change) if change
                         else _("{sentence}.", sentence=sentence))
    summary = _joined(sentences) or _("No self-assessment results in this time range.")
    rows_out: tuple[Row, ...] = tuple(
        {_("date"): show_date(point.taken_on), _("scale"): point.label,
         **({_("score"): point.raw} if show_scores else {}), _("band"): band_word(point.band)}
        for point in reversed(kept)
    )
    return ChartText(summary, rows_out)


def strain(points: Iterable[StrainPoint], *, baseline: scoring.PulseBaseline | None) -> ChartText:
    kept = sorted((point for point in points if point.strain is not None), key=lambda point: point.week_start)
    if not kept:
        return ChartText(_("No check-ins in this time range."), ())
    latest = kept[-1]
    assert latest.strain is not None
    parts = [_("Strain in the week of {day}: {strain} out of 100 (0 easiest, 100 hardest)",
               day=show_date(latest.week_start), strain=f"{latest.strain:g}")]
    if len(kept) > 1:
        parts.append(", " + _direction(kept[-2].strain, latest.strain, points=True))
    usual = usual_range(baseline)
    if usual is not None:
        low, high = usual
        shown = {"low": f"{low:.0f}", "high": f"{high:.0f}"}
        if low <= latest.strain <= high:
            parts.append(_("; within what is usual for you ({low} to {high})", **shown))
        elif latest.strain > high:
            parts.append(_("; above what is usual for you ({low} to {high})", **shown))
        else:
            parts.append(_("; below what is usual for you ({low} to {high})", **shown))
    values = [point.strain for point in kept if point.strain is not None]
    parts.append(n_(". Over {count} week it ranged from {lowest} to {highest}.",
                    ". Over {count} weeks it ranged from {lowest} to {highest}.", len(kept),
                    lowest=f"{min(values):g}", highest=f"{max(values):g}"))
    rows: tuple[Row, ...] = tuple({_("week of"): show_date(point.week_start), _("strain (0–100)"): point.strain}
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
        return ChartText(_("No supervision sessions yet."), ())
    latest, minutes = list(months.items())[-1]
    summary = _("In {month}: {minutes}.", month=show_month(latest), minutes=", ".join(
        n_("{count} minute {function}", "{count} minutes {function}", minutes[function],
           function=function_word(function)) for function in scoring.FUNCTIONS))
    rows = tuple({_("month"): show_month(month), **{_("{function} (min)", function=function_word(function)):
                                                    figures[function] for function in scoring.FUNCTIONS}}
                 for month, figures in reversed(list(months.items())))
    return ChartText(summary, rows)


def lead_scale_trend(trend: ScaleTrend, *, teams: Collection[str]) -> str:
    """What the lead's trend chart shows: each team's latest shown median and its band."""
    latest: dict[str, tuple[date, float]] = {}
    for figure in sorted(trend.figures, key=lambda figure: figure.month):
        if figure.team in teams and figure.suppressed_reason is None and figure.median is not None:
            latest[figure.team] = (figure.month, figure.median)
    if not latest:
        return _("{scale}: no month with figures shown for the teams chosen.", scale=trend.label)
    better = _("higher is better") if trend.higher_is_better else _("lower is better")
    parts = [_("{team}: median {median} in {month} ({band} band)", team=words.group(team), median=f"{median:g}",
               month=show_month(month), band=band_word(band_of(trend, median)))
             for team, (month, median) in latest.items()]
    return _("{scale} ({better}; low up to {low}, high from {high}). {teams}.", scale=trend.label, better=better,
             low=f"{trend.low_max:g}", high=f"{trend.high_min:g}", teams="; ".join(parts))


def band_of(trend: ScaleTrend, value: float) -> str:
    if value <= trend.low_max:
        return "low"
    return "high" if value >= trend.high_min else "moderate"


def lead_median_heatmap(trend: ScaleTrend) -> str:
    shown = [figure for figure in trend.figures if figure.suppressed_reason is None and figure.median is not None]
    hidden = sum(1 for figure in trend.figures if figure.suppressed_reason is not None)
    if not shown:
        return _("Median {scale}: every team and month is suppressed or has no data.", scale=trend.label.lower())
    high = [figure for figure in shown if figure.median is not None and band_of(trend, figure.median) == "high"]
    return _("Median {scale} for {shown} team-months, coloured by band (low up to {low}, high from {high}); "
             "{in_high} in the high band; {hidden} suppressed. The table below gives every figure.",
             scale=trend.label.lower(), shown=len(shown), low=f"{trend.low_max:g}", high=f"{trend.high_min:g}",
             in_high=len(high), hidden=hidden)


def lead_exposures_heatmap(overview: ProgramOverview) -> str:
    cells = [cell for cell in overview.exposures if cell.month is not None and cell.team != TOTAL and cell.reported
             and cell.suppressed_reason is None and cell.exposures is not None]
    if not cells:
        return _("Exposures reported: no team and month to show.")
    top = max(cells, key=lambda cell: cell.exposures or 0)
    assert top.month is not None
    return _("Exposures reported per team and month; the most, {count}, by {team} in {month}.",
             count=top.exposures, team=words.group(top.team), month=show_month(top.month))


def lead_caseloads(workload: Workload) -> str:
    low, high = workload.caseload_guideline
    shown = [row for row in workload.teams if row.median_caseload is not None]
    if not shown or workload.latest_week is None:
        return _("No caseloads released for a recent week.")
    return _("Median caseload per team in the week of {day}: {teams}; guideline {low}–{high}.",
             day=show_date(workload.latest_week), low=low, high=high, teams="; ".join(
                 f"{words.group(row.team)} {row.median_caseload:.1f}" for row in shown))


def lead_weekly(workload: Workload, *, measure: str, title: str, teams: Collection[str]) -> str:
    latest: dict[str, tuple[date, float]] = {}
    for row in sorted(workload.weeks, key=lambda row: row.week):
        value = getattr(row, measure)
        if row.team in teams and value is not None:
            latest[row.team] = (row.week, value)
    if not latest:
        return _("{measure}: no weeks to show for the teams chosen.", measure=title.capitalize())
    return _("{measure}, latest week per team: {teams}.", measure=title.capitalize(), teams="; ".join(
        _("{team} {value} (week of {day})", team=words.group(team), value=f"{value:.1f}", day=show_date(week))
        for team, (week, value) in latest.items()))


def lead_function_balance(coverage: SupervisionCoverage) -> str:
    parts = []
    for team in coverage.teams:
        total = sum(team.minutes.values())
        if total:
            parts.append(_("{team}: {shares}", team=words.group(team.team), shares=", ".join(
                _("{function} {share}", function=function_word(function), share=show_percent(minutes / total))
                for function, minutes in team.minutes.items())))
    return _("Share of supervision minutes per function. {teams}.", teams="; ".join(parts)) if parts else \
        _("No supervision minutes released for the month.")


def lead_sessions(coverage: SupervisionCoverage) -> str:
    group = coverage.trend_group
    shown = [row for row in coverage.months if row.team == group]
    if not shown:
        return _("No supervision sessions in the released months.")
    latest = max(row.month for row in shown)
    counts = ", ".join(f"{row.sessions} {kind_name(row.kind)}" for row in shown if row.month == latest)
    return _("Supervision sessions by month and kind, {team}; in {month}: {counts}.",
             team=words.group(coverage.trend_group or ""), month=show_month(latest), counts=counts)
