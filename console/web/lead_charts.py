"""Altair charts for the program lead pages, built only from figures a lead may see.

Every builder takes a service result (aggregates, or operational workload), so a
chart and its tooltips can show nothing the tables beside it do not.
"""

from __future__ import annotations

from collections.abc import Collection

import altair as alt
import pandas as pd

from console.program.coverage_figures import SupervisionCoverage
from console.program.wellness_figures import TOTAL, ProgramOverview, ScaleTrend
from console.program.workload_figures import Workload

SUPPRESSED_COLOR = "#d9d9d9"
ROW_HEIGHT = 26
TEAM_AXIS = alt.Axis(labelLimit=240, labelOverlap=False)
WEEKLY_MEASURES = {"mean_caseload": "mean caseload", "mean_hours": "hours a week",
                   "mean_callouts": "after-hours call-outs a week", "hours_outside_role": "hours outside the peer role"}
FUNCTION_COLORS = {"administrative": "#8c8c8c", "educational": "#4c78a8", "supportive": "#54a24b"}


def _month_axis(title: str = "month") -> alt.X:
    return alt.X("yearmonth(month):O", title=title, axis=alt.Axis(labelAngle=-45))


def scale_trend(trend: ScaleTrend, *, teams: Collection[str]) -> alt.LayerChart:
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
    base = alt.Chart(frame).encode(
        x=alt.X("yearmonth(month):T", title="month"),
        color=alt.Color("team:N", title="team"),
    )
    band = base.mark_area(opacity=0.18).encode(
        y=alt.Y("q1:Q", title=f"{trend.label} (median and interquartile range)", scale=alt.Scale(domain=[10, 50])),
        y2="q3:Q",
    )
    line = base.mark_line(point=True).encode(
        y="median:Q",
        tooltip=[
            alt.Tooltip("team:N"), alt.Tooltip("yearmonth(month):T", title="month"),
            alt.Tooltip("median:Q"), alt.Tooltip("q1:Q", title="lower quartile"),
            alt.Tooltip("q3:Q", title="upper quartile"), alt.Tooltip("peers:Q"),
            alt.Tooltip("high:Q", title="% in high band"),
        ],
    )
    return alt.layer(band, line).properties(height=320)


def _team_month_heatmap(records: list[dict], *, title: str, scheme: str) -> alt.Chart:
    """Records of team, month, value and label: coloured where a value is shown, grey where it is suppressed."""
    frame = pd.DataFrame(records, columns=["team", "month", "value", "label"])
    return alt.Chart(frame).mark_rect(invalid="show").encode(
        x=_month_axis(),
        y=alt.Y("team:N", title=None, sort=list(dict.fromkeys(frame["team"])),
                axis=TEAM_AXIS),
        color=alt.condition("datum.value === null", alt.value(SUPPRESSED_COLOR),
                            alt.Color("value:Q", title=title, scale=alt.Scale(scheme=scheme))),
        tooltip=[alt.Tooltip("team:N"), alt.Tooltip("yearmonth(month):O", title="month"),
                 alt.Tooltip("label:N", title=title)],
    ).properties(height=alt.Step(ROW_HEIGHT))


def _label(value: float | None, reason: str | None, unit: str) -> str:
    if reason is not None:
        return f"withheld: {reason}"
    return "no data" if value is None else f"{value:g} {unit}"


def median_heatmap(trend: ScaleTrend) -> alt.Chart:
    """Team × month median; a withheld cell is grey and its tooltip gives only the reason."""
    records = [
        {"team": figure.team, "month": figure.month.isoformat(), "value": figure.median,
         "label": _label(figure.median, figure.suppressed_reason, f"({figure.peers} peers)")}
        for figure in trend.figures
    ]
    scheme = "greens" if trend.higher_is_better else "orangered"
    return _team_month_heatmap(records, title=f"median {trend.label.lower()}", scheme=scheme)


def exposures_heatmap(overview: ProgramOverview) -> alt.Chart:
    records = [
        {"team": cell.team, "month": cell.month.isoformat(), "value": cell.exposures if cell.reported else None,
         "label": _label(cell.exposures, cell.suppressed_reason, "exposures") if cell.reported else "no check-ins"}
        for cell in overview.exposures
        if cell.month is not None and cell.team != TOTAL
    ]
    return _team_month_heatmap(records, title="exposures reported", scheme="purples")


def caseload_distribution(workload: Workload) -> alt.LayerChart:
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
    return alt.layer(guideline, boxes).properties(height=alt.Step(ROW_HEIGHT))


def weekly_trend(workload: Workload, *, measure: str, teams: Collection[str]) -> alt.LayerChart:
    """One weekly workload measure per team; caseload gets the guideline range as rules."""
    title = WEEKLY_MEASURES[measure]
    frame = pd.DataFrame(
        [{"team": row.team, "week": row.week.isoformat(), "value": getattr(row, measure)}
         for row in workload.weeks if row.team in teams],
        columns=["team", "week", "value"],
    )
    lines = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("week:T", title="week of"),
        y=alt.Y("value:Q", title=title),
        color=alt.Color("team:N"),
        tooltip=[alt.Tooltip("team:N"), alt.Tooltip("week:T", title="week of"),
                 alt.Tooltip("value:Q", title=title, format=".1f")],
    )
    layers = [lines]
    if measure == "mean_caseload":
        rules = pd.DataFrame({"guideline": list(workload.caseload_guideline)})
        layers.append(alt.Chart(rules).mark_rule(strokeDash=[4, 4], color="#54a24b").encode(y="guideline:Q"))
    return alt.layer(*layers).properties(height=280)


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
                                                      range=list(FUNCTION_COLORS.values()))),
        order=alt.Order("function:N"),
        tooltip=[alt.Tooltip("team:N"), alt.Tooltip("function:N"), alt.Tooltip("minutes:Q")],
    ).properties(height=alt.Step(ROW_HEIGHT))


def sessions_by_kind(coverage: SupervisionCoverage) -> alt.Chart:
    frame = pd.DataFrame(
        [{"month": row.month.isoformat(), "kind": row.kind, "sessions": row.sessions} for row in coverage.months],
        columns=["month", "kind", "sessions"],
    )
    return alt.Chart(frame).mark_bar().encode(
        x=_month_axis(),
        y=alt.Y("sessions:Q", title="sessions"),
        color=alt.Color("kind:N", title="kind"),
        tooltip=[alt.Tooltip("yearmonth(month):O", title="month"), alt.Tooltip("kind:N"),
                 alt.Tooltip("sessions:Q")],
    ).properties(height=260)
