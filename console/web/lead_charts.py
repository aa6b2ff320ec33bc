"""Altair charts for the program lead pages, built only from figures a lead may see.

Every builder takes a service result (aggregates, or operational workload), so a
chart and its tooltips can show nothing the tables beside it do not.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TypedDict

import altair as alt
import pandas as pd

from console.core.i18n import N_, _
from console.program import words
from console.program.coverage_figures import SupervisionCoverage
from console.program.wellness_figures import TOTAL, ProgramOverview, ScaleTrend
from console.program.workload_figures import Workload
from console.web.charts import DASHES, OKABE_ITO, SHAPES, function_word

SUPPRESSED_COLOR = "#d9d9d9"
ROW_HEIGHT = 26
TEAM_AXIS = alt.Axis(labelLimit=240, labelOverlap=False)
WEEKLY_MEASURES = {"median_caseload": N_("median caseload"), "median_hours": N_("median hours"),
                   "callouts": N_("after-hours call-outs"),
                   "hours_outside_role": N_("hours outside the peer role")}
"""The weekly measures by field, each named in English: show them with `measure_name`."""
KIND_NAMES = {"individual": N_("individual"), "group": N_("group")}
BAND_NAMES = {"low": N_("low"), "moderate": N_("moderate"), "high": N_("high")}
FUNCTION_COLORS = {"administrative": OKABE_ITO[0], "educational": OKABE_ITO[1], "supportive": OKABE_ITO[2]}
SCORE_RANGE = (10, 50)
"""The built-in instrument's possible scale scores: every scale chart uses this fixed axis."""
BAND_COLOURS = {"strength": "#b9d7ee", "middle": "#f6ecc4", "concern": "#f0a670"}
"""Heatmap colours by band, light enough for the black figure written in each cell."""
LEGEND = alt.Legend(labelLimit=0, titleLimit=0, orient="bottom", direction="horizontal", columns=3)


def measure_name(measure: str) -> str:
    return _(WEEKLY_MEASURES[measure])


function_name = function_word


def kind_name(kind: str) -> str:
    return _(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


class TeamSeries(TypedDict):
    color: alt.Color
    shape: alt.Shape
    strokeDash: alt.StrokeDash


def team_series(teams: list[str], *, field: str = "team", title: str | None = None) -> TeamSeries:
    """Colour, point shape and line dash per team, the same team always the same on one chart: told apart
    without relying on colour."""
    domain = list(teams)
    colours = [OKABE_ITO[index % len(OKABE_ITO)] for index in range(len(domain))]
    shapes = [SHAPES[index % len(SHAPES)] for index in range(len(domain))]
    dashes = [list(DASHES[index % len(DASHES)]) for index in range(len(domain))]
    title = _("team") if title is None and field == "team" else title or field
    return {
        "color": alt.Color(f"{field}:N", title=title, scale=alt.Scale(domain=domain, range=colours), legend=LEGEND),
        "shape": alt.Shape(f"{field}:N", title=title, scale=alt.Scale(domain=domain, range=shapes), legend=LEGEND),
        "strokeDash": alt.StrokeDash(f"{field}:N", title=title, scale=alt.Scale(domain=domain, range=dashes),
                                     legend=LEGEND),
    }


def _month_axis(title: str | None = None) -> alt.X:
    return alt.X("yearmonth(month):O", title=_("month") if title is None else title, axis=alt.Axis(labelAngle=-45))


def scale_trend(trend: ScaleTrend, *, teams: Collection[str]) -> alt.LayerChart | alt.FacetChart:
    """Monthly median per team with its interquartile range as a band; suppressed months leave a gap."""
    frame = pd.DataFrame(
        [
            {"team": words.group(figure.team), "month": figure.month.isoformat(), "median": figure.median,
             "q1": figure.q1,
             "q3": figure.q3, "peers": figure.peers,
             "high": None if figure.high_share is None else round(100 * figure.high_share)}
            for figure in trend.figures
            if figure.team in teams and figure.suppressed_reason is None
        ],
        columns=["team", "month", "median", "q1", "q3", "peers", "high"],
    )
    series = team_series(sorted(dict.fromkeys(frame["team"])))
    y_scale = alt.Scale(domain=list(SCORE_RANGE), nice=False)
    base = alt.Chart(frame).encode(
        x=alt.X("yearmonth(month):T", title=_("month")),
        color=series["color"],
    )
    band = base.mark_area(opacity=0.18).encode(
        y=alt.Y("q1:Q", title=_("{scale} (median and interquartile range)", scale=trend.label), scale=y_scale),
        y2="q3:Q",
    )
    cuts = pd.DataFrame([{"at": trend.low_max, "label": _("low up to {value}", value=f"{trend.low_max:g}")},
                         {"at": trend.high_min, "label": _("high from {value}", value=f"{trend.high_min:g}")}])
    rules = alt.Chart(cuts).mark_rule(strokeDash=[2, 4], color="#5f6b69").encode(y=alt.Y("at:Q", scale=y_scale))
    rule_labels = alt.Chart(cuts).mark_text(align="left", dx=4, dy=-6, fontSize=10, color="#25302e").encode(
        x=alt.value(0), y=alt.Y("at:Q", scale=y_scale), text=alt.Text("label:N"))
    line = base.mark_line(point=alt.OverlayMarkDef(size=60, filled=True)).encode(
        y=alt.Y("median:Q", scale=y_scale),
        shape=series["shape"],
        strokeDash=series["strokeDash"],
        tooltip=[
            alt.Tooltip("team:N", title=_("team")), alt.Tooltip("yearmonth(month):T", title=_("month")),
            alt.Tooltip("median:Q", title=_("median")), alt.Tooltip("q1:Q", title=_("lower quartile")),
            alt.Tooltip("q3:Q", title=_("upper quartile")), alt.Tooltip("peers:Q", title=_("peers")),
            alt.Tooltip("high:Q", title=_("% in high band")),
        ],
    )
    return alt.layer(rules, band, line, rule_labels).properties(
        height=320, description=_("{scale} by month: each team's median on the 10 to 50 scale, with its "
                                  "interquartile range shaded and the band cut-offs as dotted lines.",
                                  scale=trend.label))


def _team_month_heatmap(records: list[dict], *, title: str, colour: alt.Color, legend_title: str,
                        description: str) -> alt.LayerChart | alt.FacetChart:
    """Records of team, month, value, band and label: coloured on a fixed scale where a value is shown, with the
    figure written in the cell, and grey where it is suppressed."""
    frame = pd.DataFrame(records, columns=["team", "month", "value", "band", "label"])
    x = _month_axis()
    y = alt.Y("team:N", title=None, sort=list(dict.fromkeys(frame["team"])), axis=TEAM_AXIS)
    cells = alt.Chart(frame).mark_rect(invalid="show", stroke="white", strokeWidth=1).encode(
        x=x, y=y,
        color=alt.condition("datum.value === null", alt.value(SUPPRESSED_COLOR),
                            colour.title(legend_title).legend(LEGEND)),
        tooltip=[alt.Tooltip("team:N", title=_("team")), alt.Tooltip("yearmonth(month):O", title=_("month")),
                 alt.Tooltip("label:N", title=title)],
    )
    figures = alt.Chart(frame).transform_filter("datum.value !== null").mark_text(fontSize=11, color="#111").encode(
        x=x, y=y, text=alt.Text("value:Q", format="~g"))
    return alt.layer(cells, figures).properties(height=alt.Step(ROW_HEIGHT), description=description)


def _label(value: float | None, reason: str | None, unit: str) -> str:
    if reason is not None:
        return words.withheld_note(reason)
    return _("no data") if value is None else f"{value:g} {unit}"


def _band(trend: ScaleTrend, value: float) -> str:
    if value <= trend.low_max:
        return _(BAND_NAMES["low"])
    return _(BAND_NAMES["high"]) if value >= trend.high_min else _(BAND_NAMES["moderate"])


def median_heatmap(trend: ScaleTrend) -> alt.LayerChart | alt.FacetChart:
    """Team × month median; a withheld cell is grey and its tooltip gives only the reason."""
    records = [
        {"team": words.group(figure.team), "month": figure.month.isoformat(), "value": figure.median,
         "band": None if figure.median is None else _band(trend, figure.median),
         "label": _label(figure.median, figure.suppressed_reason,
                         _("({peers} peers)", peers=figure.peers) if figure.peers is not None else "")}
        for figure in trend.figures
    ]
    roles = ("concern", "middle", "strength") if trend.higher_is_better else ("strength", "middle", "concern")
    colour = alt.Color("band:N", scale=alt.Scale(domain=[_(name) for name in BAND_NAMES.values()],
                                                 range=[BAND_COLOURS[role] for role in roles]))
    return _team_month_heatmap(
        records, title=_("median {scale}", scale=trend.label.lower()), colour=colour,
        legend_title=_("band (low up to {low}, high from {high})", low=f"{trend.low_max:g}",
                       high=f"{trend.high_min:g}"),
        description=_("Median {scale} per team and month, coloured by band on fixed cut-offs; suppressed cells are "
                      "grey.", scale=trend.label.lower()))


def exposures_heatmap(overview: ProgramOverview) -> alt.LayerChart | alt.FacetChart:
    records = [
        {"team": words.group(cell.team), "month": cell.month.isoformat(),
         "value": cell.exposures if cell.reported else None, "band": None,
         "label": _label(cell.exposures, cell.suppressed_reason, _("exposures")) if cell.reported
         else _("no check-ins")}
        for cell in overview.exposures
        if cell.month is not None and cell.team != TOTAL
    ]
    colour = alt.Color("value:Q", scale=alt.Scale(scheme="purples", domainMin=0, zero=True))
    return _team_month_heatmap(records, title=_("exposures reported"), colour=colour,
                               legend_title=_("exposures reported"),
                               description=_("Exposures reported per team and month, the count written in each "
                                             "cell; suppressed cells are grey."))


def caseload_distribution(workload: Workload) -> alt.LayerChart | alt.FacetChart:
    """Each group's released caseloads of the latest week: the quartiles as a bar and the median as a tick, over
    the shaded guideline range."""
    frame = pd.DataFrame(
        [{"team": words.group(row.team), "q1": row.caseload_q1, "median": row.median_caseload, "q3": row.caseload_q3}
         for row in workload.teams if row.median_caseload is not None],
        columns=["team", "q1", "median", "q3"],
    )
    low, high = workload.caseload_guideline
    guideline = alt.Chart(pd.DataFrame({"low": [low], "high": [high]})).mark_rect(
        color="#54a24b", opacity=0.12
    ).encode(x=alt.X("low:Q"), x2=alt.X2("high:Q"))
    tooltip = [alt.Tooltip("team:N", title=_("team")), alt.Tooltip("q1:Q", title=_("lower quartile")),
               alt.Tooltip("median:Q", title=_("median caseload")), alt.Tooltip("q3:Q", title=_("upper quartile"))]
    axis = alt.X("q1:Q", title=_("caseload (guideline {low}–{high} shaded)", low=low, high=high))
    quartiles = alt.Chart(frame).mark_bar(size=14, opacity=0.5).encode(
        x=axis, x2="q3:Q", y=alt.Y("team:N", title=None, axis=TEAM_AXIS), tooltip=tooltip)
    medians = alt.Chart(frame).mark_tick(thickness=3, size=18, color="black").encode(
        x="median:Q", y=alt.Y("team:N", title=None, axis=TEAM_AXIS), tooltip=tooltip)
    return alt.layer(guideline, quartiles, medians).properties(
        height=alt.Step(ROW_HEIGHT),
        description=_("Caseloads per team in the latest released week: the middle half as a bar, the median as a "
                      "tick, over the guideline {low}–{high}.", low=low, high=high))


def weekly_trend(workload: Workload, *, measure: str, teams: Collection[str]) -> alt.LayerChart | alt.FacetChart:
    """One weekly workload measure per team; caseload gets the guideline range as rules."""
    title = measure_name(measure)
    frame = pd.DataFrame(
        [{"team": words.group(row.team), "week": row.week.isoformat(), "value": getattr(row, measure)}
         for row in workload.weeks if row.team in teams],
        columns=["team", "week", "value"],
    )
    series = team_series(sorted(dict.fromkeys(frame["team"])))
    lines = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=60, filled=True)).encode(
        x=alt.X("week:T", title=_("week of")),
        y=alt.Y("value:Q", title=title),
        color=series["color"], shape=series["shape"], strokeDash=series["strokeDash"],
        tooltip=[alt.Tooltip("team:N", title=_("team")), alt.Tooltip("week:T", title=_("week of")),
                 alt.Tooltip("value:Q", title=title, format=".1f")],
    )
    layers = [lines]
    if measure == "median_caseload":
        rules = pd.DataFrame({"guideline": list(workload.caseload_guideline)})
        layers.append(alt.Chart(rules).mark_rule(strokeDash=[4, 4], color="#5f6b69").encode(y=alt.Y("guideline:Q")))
    return alt.layer(*layers).properties(height=280, description=_("{measure} per team, week by week.",
                                                                     measure=title.capitalize()))


def function_balance(coverage: SupervisionCoverage) -> alt.Chart:
    frame = pd.DataFrame(
        [{"team": words.group(team.team), "function": function_name(function), "minutes": minutes,
          "order": list(FUNCTION_COLORS).index(function) if function in FUNCTION_COLORS else len(FUNCTION_COLORS)}
         for team in coverage.teams for function, minutes in team.minutes.items()],
        columns=["team", "function", "minutes", "order"],
    )
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("minutes:Q", stack="normalize", title=_("share of supervision minutes"), axis=alt.Axis(format="%")),
        y=alt.Y("team:N", title=None, axis=TEAM_AXIS),
        color=alt.Color("function:N", title=_("function"),
                        scale=alt.Scale(domain=[function_name(function) for function in FUNCTION_COLORS],
                                                      range=list(FUNCTION_COLORS.values())), legend=LEGEND),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("team:N", title=_("team")), alt.Tooltip("function:N", title=_("function")),
                 alt.Tooltip("minutes:Q", title=_("minutes"))],
    ).properties(height=alt.Step(ROW_HEIGHT), description=_(
        "Share of supervision minutes per function, per team: administrative, educational, supportive, always in "
        "that order from the left."))


def sessions_by_kind(coverage: SupervisionCoverage) -> alt.Chart:
    group = coverage.trend_group
    frame = pd.DataFrame(
        [{"month": row.month.isoformat(), "team": words.group(row.team), "kind": kind_name(row.kind),
          "sessions": row.sessions} for row in coverage.months if row.team == group],
        columns=["month", "team", "kind", "sessions"],
    )
    return alt.Chart(frame).mark_bar().encode(
        x=_month_axis(),
        y=alt.Y("sessions:Q", title=_("sessions")),
        color=alt.Color("kind:N", title=_("kind"), scale=alt.Scale(range=list(OKABE_ITO)), legend=LEGEND),
        xOffset="kind:N",
        tooltip=[alt.Tooltip("yearmonth(month):O", title=_("month")), alt.Tooltip("kind:N", title=_("kind")),
                 alt.Tooltip("sessions:Q", title=_("sessions"))],
    ).properties(height=260, description=_("Supervision sessions per month, a bar for each kind side by side."))
