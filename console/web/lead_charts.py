"""Altair charts for the program lead pages, built only from figures a lead may see.

Every builder takes a service result (aggregates, or operational workload), so a
chart and its tooltips can show nothing the tables beside it do not.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TypedDict

import altair as alt
import pandas as pd

from console.program.coverage_figures import SupervisionCoverage
from console.program.wellness_figures import TOTAL, ProgramOverview, ScaleTrend
from console.program.workload_figures import Workload
from console.web.charts import DASHES, OKABE_ITO, SHAPES

SUPPRESSED_COLOR = "#d9d9d9"
ROW_HEIGHT = 26
TEAM_AXIS = alt.Axis(labelLimit=240, labelOverlap=False)
WEEKLY_MEASURES = {"mean_caseload": "mean caseload", "mean_hours": "hours a week",
                   "mean_callouts": "after-hours call-outs a week", "hours_outside_role": "hours outside the peer role"}
FUNCTION_COLORS = {"administrative": OKABE_ITO[0], "educational": OKABE_ITO[1], "supportive": OKABE_ITO[2]}
SCORE_RANGE = (10, 50)
"""The built-in instrument's possible scale scores: every scale chart uses this fixed axis."""
BAND_COLOURS = {"strength": "#b9d7ee", "middle": "#f6ecc4", "concern": "#f0a670"}
"""Heatmap colours by band, light enough for the black figure written in each cell."""
LEGEND = alt.Legend(labelLimit=0, titleLimit=0, orient="bottom", direction="horizontal", columns=3)


class TeamSeries(TypedDict):
    color: alt.Color
    shape: alt.Shape
    strokeDash: alt.StrokeDash


def team_series(teams: list[str], *, field: str = "team") -> TeamSeries:
    """Colour, point shape and line dash per team, the same team always the same on one chart: told apart
    without relying on colour."""
    domain = list(teams)
    colours = [OKABE_ITO[index % len(OKABE_ITO)] for index in range(len(domain))]
    shapes = [SHAPES[index % len(SHAPES)] for index in range(len(domain))]
    dashes = [list(DASHES[index % len(DASHES)]) for index in range(len(domain))]
    return {
        "color": alt.Color(f"{field}:N", title=field, scale=alt.Scale(domain=domain, range=colours), legend=LEGEND),
        "shape": alt.Shape(f"{field}:N", title=field, scale=alt.Scale(domain=domain, range=shapes), legend=LEGEND),
        "strokeDash": alt.StrokeDash(f"{field}:N", title=field, scale=alt.Scale(domain=domain, range=dashes),
                                     legend=LEGEND),
    }


def _month_axis(title: str = "month") -> alt.X:
    return alt.X("yearmonth(month):O", title=title, axis=alt.Axis(labelAngle=-45))


def scale_trend(trend: ScaleTrend, *, teams: Collection[str]) -> alt.LayerChart | alt.FacetChart:
    """Monthly median per team with its interquartile range as a band; suppressed months leave a gap."""
    frame = pd.DataFrame(
        [
            {"team": figure.team, "month": figure.month.isoformat(), "median": figure.median, "q1": figure.q1,
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
        x=alt.X("yearmonth(month):T", title="month"),
        color=series["color"],
    )
    band = base.mark_area(opacity=0.18).encode(
        y=alt.Y("q1:Q", title=f"{trend.label} (median and interquartile range)", scale=y_scale),
        y2="q3:Q",
    )
    cuts = pd.DataFrame([{"at": trend.low_max, "label": f"low up to {trend.low_max:g}"},
                         {"at": trend.high_min, "label": f"high from {trend.high_min:g}"}])
    rules = alt.Chart(cuts).mark_rule(strokeDash=[2, 4], color="#5f6b69").encode(y=alt.Y("at:Q", scale=y_scale))
    rule_labels = alt.Chart(cuts).mark_text(align="left", dx=4, dy=-6, fontSize=10, color="#25302e").encode(
        x=alt.value(0), y=alt.Y("at:Q", scale=y_scale), text="label:N")
    line = base.mark_line(point=alt.OverlayMarkDef(size=60, filled=True)).encode(
        y=alt.Y("median:Q", scale=y_scale),
        shape=series["shape"],
        strokeDash=series["strokeDash"],
        tooltip=[
            alt.Tooltip("team:N"), alt.Tooltip("yearmonth(month):T", title="month"),
            alt.Tooltip("median:Q"), alt.Tooltip("q1:Q", title="lower quartile"),
            alt.Tooltip("q3:Q", title="upper quartile"), alt.Tooltip("peers:Q"),
            alt.Tooltip("high:Q", title="% in high band"),
        ],
    )
    return alt.layer(rules, band, line, rule_labels).properties(
        height=320, description=f"{trend.label} by month: each team's median on the 10 to 50 scale, with its "
        "interquartile range shaded and the band cut-offs as dotted lines.")


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
        tooltip=[alt.Tooltip("team:N"), alt.Tooltip("yearmonth(month):O", title="month"),
                 alt.Tooltip("label:N", title=title)],
    )
    figures = alt.Chart(frame).transform_filter("datum.value !== null").mark_text(fontSize=11, color="#111").encode(
        x=x, y=y, text=alt.Text("value:Q", format="~g"))
    return alt.layer(cells, figures).properties(height=alt.Step(ROW_HEIGHT), description=description)


def _label(value: float | None, reason: str | None, unit: str) -> str:
    if reason is not None:
        return f"withheld: {reason}"
    return "no data" if value is None else f"{value:g} {unit}"


def _band(trend: ScaleTrend, value: float) -> str:
    if value <= trend.low_max:
        return "low"
    return "high" if value >= trend.high_min else "moderate"


def median_heatmap(trend: ScaleTrend) -> alt.LayerChart | alt.FacetChart:
    """Team × month median; a withheld cell is grey and its tooltip gives only the reason."""
    records = [
        {"team": figure.team, "month": figure.month.isoformat(), "value": figure.median,
         "band": None if figure.median is None else _band(trend, figure.median),
         "label": _label(figure.median, figure.suppressed_reason, f"({figure.peers} peers)")}
        for figure in trend.figures
    ]
    roles = ("concern", "middle", "strength") if trend.higher_is_better else ("strength", "middle", "concern")
    colour = alt.Color("band:N", scale=alt.Scale(domain=["low", "moderate", "high"],
                                                 range=[BAND_COLOURS[role] for role in roles]))
    return _team_month_heatmap(
        records, title=f"median {trend.label.lower()}", colour=colour,
        legend_title=f"band (low up to {trend.low_max:g}, high from {trend.high_min:g})",
        description=f"Median {trend.label.lower()} per team and month, coloured by band on fixed cut-offs; "
                    "suppressed cells are grey.")


def exposures_heatmap(overview: ProgramOverview) -> alt.LayerChart | alt.FacetChart:
    records = [
        {"team": cell.team, "month": cell.month.isoformat(), "value": cell.exposures if cell.reported else None,
         "band": None,
         "label": _label(cell.exposures, cell.suppressed_reason, "exposures") if cell.reported else "no check-ins"}
        for cell in overview.exposures
        if cell.month is not None and cell.team != TOTAL
    ]
    colour = alt.Color("value:Q", scale=alt.Scale(scheme="purples", domainMin=0, zero=True))
    return _team_month_heatmap(records, title="exposures reported", colour=colour, legend_title="exposures reported",
                               description="Exposures reported per team and month, the count written in each "
                                           "cell; suppressed cells are grey.")


def caseload_distribution(workload: Workload) -> alt.LayerChart | alt.FacetChart:
    """Each team's caseloads as a box plot over the shaded guideline range."""
    frame = pd.DataFrame(
        [{"team": peer.team, "caseload": peer.caseload} for peer in workload.shown_caseloads],
        columns=["team", "caseload"],
    )
    low, high = workload.caseload_guideline
    guideline = alt.Chart(pd.DataFrame({"low": [low], "high": [high]})).mark_rect(
        color="#54a24b", opacity=0.12
    ).encode(x="low:Q", x2="high:Q")
    boxes = alt.Chart(frame).mark_boxplot(extent="min-max").encode(
        x=alt.X("caseload:Q", title=f"caseload (guideline {low}–{high} shaded)"),
        y=alt.Y("team:N", title=None, axis=TEAM_AXIS),
    )
    return alt.layer(guideline, boxes).properties(
        height=alt.Step(ROW_HEIGHT),
        description=f"Caseloads per team as box plots (lowest, quartiles, highest) over the guideline {low}–{high}.")


def weekly_trend(workload: Workload, *, measure: str, teams: Collection[str]) -> alt.LayerChart | alt.FacetChart:
    """One weekly workload measure per team; caseload gets the guideline range as rules."""
    title = WEEKLY_MEASURES[measure]
    frame = pd.DataFrame(
        [{"team": row.team, "week": row.week.isoformat(), "value": getattr(row, measure)}
         for row in workload.weeks if row.team in teams],
        columns=["team", "week", "value"],
    )
    series = team_series(sorted(dict.fromkeys(frame["team"])))
    lines = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=60, filled=True)).encode(
        x=alt.X("week:T", title="week of"),
        y=alt.Y("value:Q", title=title),
        color=series["color"], shape=series["shape"], strokeDash=series["strokeDash"],
        tooltip=[alt.Tooltip("team:N"), alt.Tooltip("week:T", title="week of"),
                 alt.Tooltip("value:Q", title=title, format=".1f")],
    )
    layers = [lines]
    if measure == "mean_caseload":
        rules = pd.DataFrame({"guideline": list(workload.caseload_guideline)})
        layers.append(alt.Chart(rules).mark_rule(strokeDash=[4, 4], color="#5f6b69").encode(y="guideline:Q"))
    return alt.layer(*layers).properties(height=280, description=f"{title.capitalize()} per team, week by week.")


def function_balance(coverage: SupervisionCoverage) -> alt.Chart:
    frame = pd.DataFrame(
        [{"team": team.team, "function": function, "minutes": minutes}
         for team in coverage.teams for function, minutes in team.minutes.items()],
        columns=["team", "function", "minutes"],
    )
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("minutes:Q", stack="normalize", title="share of supervision minutes", axis=alt.Axis(format="%")),
        y=alt.Y("team:N", title=None, axis=TEAM_AXIS),
        color=alt.Color("function:N", scale=alt.Scale(domain=list(FUNCTION_COLORS),
                                                      range=list(FUNCTION_COLORS.values())), legend=LEGEND),
        order=alt.Order("function:N"),
        tooltip=[alt.Tooltip("team:N"), alt.Tooltip("function:N"), alt.Tooltip("minutes:Q")],
    ).properties(height=alt.Step(ROW_HEIGHT), description="Share of supervision minutes per function, per team: "
                 "administrative, educational, supportive, always in that order from the left.")


def sessions_by_kind(coverage: SupervisionCoverage) -> alt.Chart:
    frame = pd.DataFrame(
        [{"month": row.month.isoformat(), "kind": row.kind, "sessions": row.sessions} for row in coverage.months],
        columns=["month", "kind", "sessions"],
    )
    return alt.Chart(frame).mark_bar().encode(
        x=_month_axis(),
        y=alt.Y("sessions:Q", title="sessions"),
        color=alt.Color("kind:N", title="kind", scale=alt.Scale(range=list(OKABE_ITO)), legend=LEGEND),
        xOffset="kind:N",
        tooltip=[alt.Tooltip("yearmonth(month):O", title="month"), alt.Tooltip("kind:N"),
                 alt.Tooltip("sessions:Q")],
    ).properties(height=260, description="Supervision sessions per month, a bar for each kind side by side.")
