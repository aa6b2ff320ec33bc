"""Altair chart builders shared by the peer and supervisor pages: plain data in, `alt.Chart` out.

No Streamlit here; pages hand the result to `st.altair_chart`. Every builder
takes the same time range, `since` and `until`: rows before `since` are left
out, and when both are given they fix the time axis, so charts of one page line
up week for week. A Vega-Lite spec embeds its data, so a builder puts into its
frame only what the viewer may see; `scale_trend(show_scores=False)` carries
no raw score at all.

Row types:
- `console.supervision.shared_view.ScalePoint` (taken_on, scale, label, band, raw) for `scale_trend`;
- `console.supervision.shared_view.StrainPoint` (week_start, strain) for `strain_trend`;
- `WeekCount` (week_start, category, count) for `exposures_per_week`: one row
  per week and kind of exposure, count being how often it was reported;
- `PracticeWeek` (week_start, practice, done) for `self_care_strip`: one row
  per check-in week and practice;
- `scoring.SessionMinutes` (held_on and minutes per function) for
  `minutes_per_function`: one row per supervision session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

import altair as alt
import pandas as pd
from altair.utils import schemapi
from babel.dates import get_day_names, get_month_names, get_period_names
from babel.numbers import get_decimal_symbol, get_group_symbol

import scoring
from console.core.i18n import N_, _, current_language
from console.supervision import shared_view
from console.supervision.shared_view import ScalePoint, StrainPoint

VALIDATE_SPECS = False
"""Whether Altair checks every chart against the Vega-Lite schema, part by part as it is built and whole as it is
drawn. The charts here come from our own fixed templates, so in the app that check repeats the same answer on every
page run, and it costs more than building the chart; the test suite turns it on (`validate_specs`), so a template
that makes an invalid spec still fails there."""


def validate_specs(on: bool) -> None:
    """Turn Altair's schema checks on or off for every chart built and drawn from now on (see `VALIDATE_SPECS`)."""
    global VALIDATE_SPECS
    VALIDATE_SPECS = on
    if on:
        schemapi.enable_debug_mode()
    else:
        schemapi.disable_debug_mode()


validate_specs(VALIDATE_SPECS)

BAND_ORDER = ("low", "moderate", "high")
BAND_WORDS = {"low": N_("low"), "moderate": N_("moderate"), "high": N_("high")}
ZONE_COLOURS = {"concern": "#f8c8a4", "middle": "#ececec", "strength": "#b9d7ee"}
"""Band shading: orange where a band is a concern, blue where it is a strength (told apart with every kind of
colour vision), and each zone also carries its band's name."""
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
"""The Okabe–Ito palette, distinguishable with every common kind of colour-vision deficiency."""
SHAPES = ("circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-left", "triangle-right")
DASHES = ((1, 0), (6, 3), (2, 2), (8, 3, 2, 3), (4, 4), (1, 3), (10, 2), (3, 6))
"""Second encodings beside colour, in palette order: a point shape and a line dash per series."""
LINE_COLOUR = "#2f4b7c"
HALF_WEEK = pd.Timedelta(days=3, hours=12)
AXIS_MARGIN = timedelta(days=4)
"""Room at both ends of a fixed time axis for the week-wide bars centred on its first and last Monday."""
DATE_FORMAT = "%d %b %Y"
PANEL_HEIGHT = 150
STRAIN_HEIGHT = 180
BAR_HEIGHT = 140
ROW_HEIGHT = 22
LEGEND_LABEL_WIDTH = 0
"""No limit: a legend label is never cut (a legend below the chart wraps instead)."""
WEEKLY_AXIS_WIDTH = 120
"""Width kept for the y axis of every weekly chart, so that their time axes start at the same place."""
CHART_WIDTH = "container"
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
"""Fill the page's width; the height is the plot's own, so legends below a chart add to it instead of squeezing it."""


@dataclass(frozen=True)
class WeekCount:
    week_start: date
    category: str
    count: int


@dataclass(frozen=True)
class PracticeWeek:
    week_start: date
    practice: str
    done: bool


def scale_ranges(instrument: scoring.Instrument) -> dict[str, tuple[float, float]]:
    """Lowest and highest possible raw score of each scale (see `console.supervision.shared_view.scale_ranges`)."""
    return shared_view.scale_ranges(instrument)


def _within(day: date, since: date | None, until: date | None) -> bool:
    return (since is None or day >= since) and (until is None or day <= until)


def _time_axis(field: str, *, since: date | None, until: date | None) -> alt.X:
    scale = alt.Scale(domain=[(since - AXIS_MARGIN).isoformat(), (until + AXIS_MARGIN).isoformat()]) \
        if since is not None and until is not None else alt.Undefined
    return alt.X(f"{field}:T", title=None, scale=scale,
                 axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount={"interval": "month", "step": 1}))


def _weekly_y_axis(**options: Any) -> alt.Axis:
    return alt.Axis(minExtent=WEEKLY_AXIS_WIDTH, maxExtent=WEEKLY_AXIS_WIDTH, **options)


def _legend_below(*, columns: int = 1) -> alt.Legend:
    return alt.Legend(orient="bottom", columns=columns, labelLimit=LEGEND_LABEL_WIDTH, titleLimit=0, title=None)


def band_word(band: str | None) -> str | None:
    """A band's name as shown on a chart, in the reader's language."""
    return _(BAND_WORDS[band]) if band in BAND_WORDS else band


def _zone_role(band: str, scale: scoring.Scale) -> str:
    if band == "moderate":
        return "middle"
    return "concern" if band == scale.concern_band else "strength"


def _band_zones(scale: scoring.Scale, bounds: tuple[float, float]) -> pd.DataFrame:
    lowest, highest = bounds
    edges = {"low": (lowest, scale.low_max), "moderate": (scale.low_max, scale.high_min),
             "high": (scale.high_min, highest)}
    return pd.DataFrame([
        {"band": band_word(band), "bottom": edges[band][0], "top": edges[band][1], "zone": _zone_role(band, scale)}
        for band in BAND_ORDER
    ])


def _zone_labels(zones: pd.DataFrame, *, y_scale: alt.Scale) -> alt.Chart:
    """Each zone's band name written inside it, at the left edge, so the bands do not rest on colour."""
    frame = zones.assign(middle=(zones["bottom"] + zones["top"]) / 2)[["band", "middle"]]
    return alt.Chart(frame).mark_text(align="left", dx=4, fontSize=10, color="#25302e").encode(
        x=alt.value(0), y=alt.Y("middle:Q", scale=y_scale, title=_("score")), text=alt.Text("band:N"))


def _zone_colour() -> alt.Color:
    return alt.Color("zone:N", scale=alt.Scale(domain=list(ZONE_COLOURS), range=list(ZONE_COLOURS.values())),
                     legend=None)


def _default_bounds(scale: scoring.Scale, values: Sequence[float]) -> tuple[float, float]:
    spread = scale.high_min - scale.low_max
    return (min([scale.low_max - spread / 2, *values]), max([scale.high_min + spread / 2, *values]))


def scale_trend(
    points: Iterable[ScalePoint],
    *,
    scales: Mapping[str, scoring.Scale],
    show_scores: bool,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> alt.VConcatChart:
    """One panel per scale, over time, on shaded band zones (red where the band is a concern).

    With `show_scores` the y axis is the raw score and tooltips give date,
    score and band. Without it the y axis is the band and the chart's data holds
    dates, scale names and bands only. `ranges` (see `scale_ranges`) sets how
    far the zones reach; without it they reach a little past the cut points.
    """
    kept = [point for point in points if point.band is not None and point.scale in scales
            and _within(point.taken_on, since, until) and (point.raw is not None or not show_scores)]
    panels = []
    for name, scale in scales.items():
        rows = [point for point in kept if point.scale == name]
        if show_scores:
            panels.append(_score_panel(scale, rows, ranges=ranges, since=since, until=until))
        else:
            panels.append(_band_panel(scale, rows, since=since, until=until))
    return alt.vconcat(*panels).resolve_scale(x="shared", color="independent").properties(autosize=FIT_WIDTH)


def _score_panel(scale: scoring.Scale, rows: list[ScalePoint], *, ranges: Mapping[str, tuple[float, float]] | None,
                 since: date | None, until: date | None) -> alt.LayerChart | alt.FacetChart:
    bounds = (ranges or {}).get(scale.name) or _default_bounds(scale, [row.raw for row in rows if row.raw is not None])
    y_scale = alt.Scale(domain=list(bounds), nice=False)
    zone_frame = _band_zones(scale, bounds)
    zones = alt.Chart(zone_frame).mark_rect(opacity=0.55).encode(
        y=alt.Y("bottom:Q", scale=y_scale, title=_("score")), y2=alt.Y2("top:Q"), color=_zone_colour(),
        tooltip=[alt.Tooltip("band:N", title=_("band"))],
    )
    frame = pd.DataFrame(
        {"date": [pd.Timestamp(row.taken_on) for row in rows], "score": [row.raw for row in rows],
         "band": [band_word(row.band) for row in rows]},
        columns=["date", "score", "band"],
    )
    line = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=70, filled=True), color=LINE_COLOUR).encode(
        x=_time_axis("date", since=since, until=until),
        y=alt.Y("score:Q", scale=y_scale, title=_("score")),
        tooltip=[alt.Tooltip("date:T", title=_("date"), format=DATE_FORMAT),
                 alt.Tooltip("score:Q", title=_("score")), alt.Tooltip("band:N", title=_("band"))],
    )
    direction = _("higher is better") if scale.higher_is_better else _("lower is better")
    return alt.layer(zones, _zone_labels(zone_frame, y_scale=y_scale), line).properties(
        title=_("{scale} ({direction})", scale=scale.label, direction=direction), height=PANEL_HEIGHT, width=CHART_WIDTH,
    )


def _band_panel(scale: scoring.Scale, rows: list[ScalePoint], *, since: date | None, until: date | None
                ) -> alt.LayerChart | alt.FacetChart:
    shown_order = [_(BAND_WORDS[band]) for band in reversed(BAND_ORDER)]
    y = alt.Y("band:N", sort=shown_order, scale=alt.Scale(domain=shown_order), title=_("band"))
    zones = alt.Chart(pd.DataFrame(
        [{"band": band_word(band), "zone": _zone_role(band, scale)} for band in BAND_ORDER]
    )).mark_rect(opacity=0.55).encode(y=y, color=_zone_colour())
    frame = pd.DataFrame(
        {"date": [pd.Timestamp(row.taken_on) for row in rows], "scale": [row.label for row in rows],
         "band": [band_word(row.band) for row in rows]},
        columns=["date", "scale", "band"],
    )
    line = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=70, filled=True), color=LINE_COLOUR).encode(
        x=_time_axis("date", since=since, until=until),
        y=y,
        tooltip=[alt.Tooltip("date:T", title=_("date"), format=DATE_FORMAT),
                 alt.Tooltip("band:N", title=_("band"))],
    )
    return alt.layer(zones, line).properties(title=scale.label, height=PANEL_HEIGHT * 2 // 3, width=CHART_WIDTH)


def usual_range(baseline: scoring.PulseBaseline | None) -> tuple[float, float] | None:
    """The strain band drawn as "usual for you": as far below the median as the upper bound is above it."""
    if baseline is None or baseline.median is None or baseline.upper_bound is None:
        return None
    return (max(0.0, baseline.median - (baseline.upper_bound - baseline.median)), baseline.upper_bound)


def strain_trend(
    points: Iterable[StrainPoint],
    *,
    baseline: scoring.PulseBaseline | None,
    since: date | None = None,
    until: date | None = None,
) -> alt.LayerChart | alt.FacetChart:
    """Weekly strain (0 easiest, 100 hardest) on the peer's own usual range, when there is one."""
    kept = [point for point in points if point.strain is not None and _within(point.week_start, since, until)]
    frame = pd.DataFrame(
        {"week": [pd.Timestamp(point.week_start) for point in kept], "strain": [point.strain for point in kept]},
        columns=["week", "strain"],
    )
    y_scale = alt.Scale(domain=[0, 100])
    line = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=60, filled=True), color=LINE_COLOUR).encode(
        x=_time_axis("week", since=since, until=until),
        y=alt.Y("strain:Q", scale=y_scale, title=None, axis=_weekly_y_axis()),
        tooltip=[alt.Tooltip("week:T", title=_("week of"), format=DATE_FORMAT),
                 alt.Tooltip("strain:Q", title=_("strain"))],
    )
    layers: list[alt.Chart] = []
    usual = usual_range(baseline)
    if usual is not None and baseline is not None:
        band = pd.DataFrame([{"bottom": usual[0], "top": usual[1], "median": baseline.median,
                              "label": _("usual for you")}])
        layers.append(alt.Chart(band).mark_rect(color=ZONE_COLOURS["strength"], opacity=0.6).encode(
            y=alt.Y("bottom:Q", scale=y_scale, title=None, axis=_weekly_y_axis()), y2=alt.Y2("top:Q"),
            tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("top:Q", title=_("up to"))],
        ))
        layers.append(alt.Chart(band).mark_rule(strokeDash=[4, 4], color="#1f5f8b").encode(
            y=alt.Y("median:Q", scale=y_scale, title=None, axis=_weekly_y_axis()),
            tooltip=[alt.Tooltip("median:Q", title=_("your usual (median)"))],
        ))
    return alt.layer(*layers, line).properties(height=STRAIN_HEIGHT, width=CHART_WIDTH, autosize=FIT_WIDTH)


def _week_span(frame: pd.DataFrame) -> pd.DataFrame:
    """Start and end of a bar or cell centred on its week's Monday, the tick the line charts use."""
    return frame.assign(start=frame["week"] - HALF_WEEK, end=frame["week"] + HALF_WEEK)


def exposures_per_week(
    rows: Iterable[WeekCount], *, since: date | None = None, until: date | None = None
) -> alt.LayerChart | alt.FacetChart:
    """What the weeks brought, on the same weekly axis as `strain_trend`: one labelled row per kind of
    exposure, one cell per week it was reported, with the count written in the cell (the row, not the colour,
    tells the kinds apart)."""
    kept = sorted((row for row in rows if row.count > 0 and _within(row.week_start, since, until)),
                  key=lambda row: (row.week_start, row.category))
    frame = _week_span(pd.DataFrame(
        {"week": [pd.Timestamp(row.week_start) for row in kept], "exposure": [row.category for row in kept],
         "times": [row.count for row in kept]},
        columns=["week", "exposure", "times"],
    ))
    kinds = sorted(dict.fromkeys(row.category for row in kept))
    y = alt.Y("exposure:N", title=None, sort=kinds, axis=_weekly_y_axis(labelLimit=WEEKLY_AXIS_WIDTH - 10))
    cells = alt.Chart(frame).mark_rect(stroke="white", strokeWidth=1, color=OKABE_ITO[0], opacity=0.35).encode(
        x=_time_axis("start", since=since, until=until),
        x2=alt.X2("end:T"),
        y=y,
        tooltip=[alt.Tooltip("week:T", title=_("week of"), format=DATE_FORMAT),
                 alt.Tooltip("exposure:N", title=_("exposure")), alt.Tooltip("times:Q", title=_("times"))],
    )
    counts = alt.Chart(frame).mark_text(fontSize=11, color="#25302e").encode(x=alt.X("week:T"), y=y, text=alt.Text("times:Q"))
    return alt.layer(cells, counts).properties(height=ROW_HEIGHT * max(1, len(kinds)), width=CHART_WIDTH,
                                               autosize=FIT_WIDTH)


def self_care_strip(
    rows: Iterable[PracticeWeek], *, since: date | None = None, until: date | None = None
) -> alt.Chart:
    """One row per practice, one cell per check-in week: filled when the practice was managed that week."""
    kept = [row for row in rows if _within(row.week_start, since, until)]
    frame = _week_span(pd.DataFrame(
        {"week": [pd.Timestamp(row.week_start) for row in kept], "practice": [row.practice for row in kept],
         "done": [_("yes") if row.done else _("not this week") for row in kept]},
        columns=["week", "practice", "done"],
    ))
    practices = list(dict.fromkeys(row.practice for row in kept))
    return alt.Chart(frame).mark_rect(stroke="white", strokeWidth=1).encode(
        x=_time_axis("start", since=since, until=until),
        x2=alt.X2("end:T"),
        y=alt.Y("practice:N", title=None, sort=practices, axis=_weekly_y_axis(labelLimit=WEEKLY_AXIS_WIDTH - 10)),
        color=alt.Color("done:N", title=None, scale=alt.Scale(domain=[_("yes"), _("not this week")],
                                                               range=[OKABE_ITO[0], "#eef1ee"]),
                        legend=_legend_below(columns=2)),
        tooltip=[alt.Tooltip("week:T", title=_("week of"), format=DATE_FORMAT),
                 alt.Tooltip("practice:N", title=_("practice")), alt.Tooltip("done:N", title=_("managed"))],
    ).properties(height=ROW_HEIGHT * max(1, len(practices)), width=CHART_WIDTH, autosize=FIT_WIDTH)


FUNCTION_COLOURS = {"administrative": OKABE_ITO[0], "educational": OKABE_ITO[1], "supportive": OKABE_ITO[2]}
FUNCTION_WORDS = {"administrative": N_("administrative"), "educational": N_("educational"),
                  "supportive": N_("supportive")}


def function_word(function: str) -> str:
    """A supervision function in the reader's language, lower case ("supportive")."""
    return _(FUNCTION_WORDS[function]) if function in FUNCTION_WORDS else function

MONTH_GAP = pd.Timedelta(days=4)


def minutes_per_function(
    sessions: Iterable[scoring.SessionMinutes], *, since: date | None = None, until: date | None = None
) -> alt.Chart:
    """Stacked bars: minutes of supervision per function in each calendar month."""
    totals: dict[date, dict[str, int]] = {}
    for held in sessions:
        if _within(held.held_on, since, until):
            month = totals.setdefault(held.held_on.replace(day=1), dict.fromkeys(scoring.FUNCTIONS, 0))
            for function in scoring.FUNCTIONS:
                month[function] += getattr(held, function)
    frame = pd.DataFrame(
        [
            {"month": pd.Timestamp(month), "end": pd.Timestamp(month) + pd.DateOffset(months=1) - MONTH_GAP,
             "function": function_word(function), "order": position, "minutes": minutes[function]}
            for month, minutes in sorted(totals.items())
            for position, function in enumerate(scoring.FUNCTIONS)
        ],
        columns=["month", "end", "function", "order", "minutes"],
    )
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount="month")),
        x2=alt.X2("end:T"),
        y=alt.Y("sum(minutes):Q", title=_("minutes")),
        color=alt.Color("function:N", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=[function_word(function) for function in FUNCTION_COLOURS],
                                        range=list(FUNCTION_COLOURS.values()))),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("month:T", title=_("month"), format="%B %Y"),
                 alt.Tooltip("function:N", title=_("function")), alt.Tooltip("minutes:Q", title=_("minutes"))],
    ).properties(height=BAR_HEIGHT * 3 // 2, width=CHART_WIDTH)


def vega_locale(language: str) -> alt.Locale:
    """Vega's number and time locale for `language`, from Babel's locale data: the month and day names the
    chart axes draw themselves, and the decimal mark."""
    months, short_months = get_month_names("wide", locale=language), get_month_names("abbreviated", locale=language)
    days, short_days = get_day_names("wide", locale=language), get_day_names("abbreviated", locale=language)
    periods = get_period_names(locale=language)
    sunday_first = (6, 0, 1, 2, 3, 4, 5)
    return alt.Locale(
        number=alt.NumberLocale(decimal=get_decimal_symbol(language), thousands=get_group_symbol(language),
                                grouping=[3], currency=["", ""]),
        time=alt.TimeLocale(
            dateTime="%x, %X", date="%d/%m/%Y" if language != "en" else "%m/%d/%Y", time="%H:%M:%S",
            periods=[periods["am"], periods["pm"]], days=[days[day] for day in sunday_first],
            shortDays=[short_days[day] for day in sunday_first], months=[months[month] for month in range(1, 13)],
            shortMonths=[short_months[month].rstrip(".") for month in range(1, 13)],
        ),
    )


def in_reader_language(figure: Any) -> Any:
    """The chart with the reader's locale in its configuration (the rest of its configuration kept), so its
    time axes name months and days in the reader's language."""
    localized = figure.copy(deep=False)
    config = figure.config.copy(deep=False) if figure.config is not alt.Undefined else alt.Config()
    config.locale = vega_locale(current_language())
    localized.config = config
    return localized


def drawable(figure: Any) -> Any:
    """The chart as Streamlit draws it: Streamlit turns it into its Vega-Lite spec with `to_dict()`, which checks
    the whole spec against the schema unless `VALIDATE_SPECS` is off (see there)."""
    if not VALIDATE_SPECS:
        # SchemaBase stores attributes it is given as chart properties; this one must be a plain attribute.
        object.__setattr__(figure, "to_dict", partial(type(figure).to_dict, figure, validate=False))
    return figure
