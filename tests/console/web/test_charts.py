import json
from datetime import date, timedelta

import scoring
from console.supervision.shared_view import ScalePoint, StrainPoint
from console.web import charts

INSTRUMENT = scoring.load_instrument("proqol-style-30")
SCALES = INSTRUMENT.scales
START = date(2026, 6, 1)
RAW = {"burnout": (31.3, 44.7), "compassion_satisfaction": (37.9, 20.9), "secondary_traumatic_stress": (26.1, 43.3)}


def _points(*, with_raw: bool) -> list[ScalePoint]:
    return [
        ScalePoint(START + timedelta(days=30 * index), name, SCALES[name].label, SCALES[name].band(raw),
                   raw if with_raw else None)
        for name, values in RAW.items()
        for index, raw in enumerate(values)
    ]


def _spec(chart) -> dict:
    return chart.to_dict()


def _datasets(spec: dict) -> list[list[dict]]:
    return list(spec["datasets"].values())


def _layers(spec: dict) -> list[dict]:
    return [layer for panel in spec["vconcat"] for layer in panel["layer"]]


def _tooltip_titles(layer: dict) -> list[str]:
    return [tip.get("title", tip["field"]) for tip in layer["encoding"]["tooltip"]]


def test_scale_trend_with_scores_draws_each_scale_on_its_band_zones_with_date_score_band_tooltips():
    spec = _spec(charts.scale_trend(_points(with_raw=True), scales=SCALES, show_scores=True,
                                    ranges=charts.scale_ranges(INSTRUMENT)))
    panels = spec["vconcat"]
    assert [panel["title"] for panel in panels] == [
        "Compassion satisfaction (higher is better)", "Burnout (lower is better)",
        "Secondary traumatic stress (lower is better)"]
    lines = [layer for layer in _layers(spec) if layer["mark"]["type"] == "line"]
    assert all(_tooltip_titles(line) == ["date", "score", "band"] for line in lines)
    rows = [row for dataset in _datasets(spec) for row in dataset if "score" in row]
    assert sorted(row["score"] for row in rows) == sorted(value for pair in RAW.values() for value in pair)
    zones = [row for dataset in _datasets(spec) for row in dataset if "zone" in row]
    burnout_zones = {row["band"]: (row["bottom"], row["top"], row["zone"]) for row in zones[3:6]}
    assert burnout_zones == {"low": (10.0, 22, "strength"), "moderate": (22, 42, "middle"), "high": (42, 50.0, "concern")}
    satisfaction_zones = {row["band"]: row["zone"] for row in zones[:3]}
    assert satisfaction_zones == {"low": "concern", "moderate": "middle", "high": "strength"}


def test_scale_trend_without_scores_holds_no_raw_number_anywhere_in_its_spec():
    spec = _spec(charts.scale_trend(_points(with_raw=False), scales=SCALES, show_scores=False))
    text = json.dumps(spec)
    for pair in RAW.values():
        for raw in pair:
            assert str(raw) not in text
    assert '"score"' not in text and "low_max" not in text
    lines = [layer for layer in _layers(spec) if layer["mark"]["type"] == "line"]
    assert all(_tooltip_titles(line) == ["date", "band"] for line in lines)
    assert {row["band"] for dataset in _datasets(spec) for row in dataset if "date" in row} == {
        "moderate", "high", "low"}


def test_scale_trend_leaves_out_points_before_since_and_incomplete_scales():
    points = [*_points(with_raw=True), ScalePoint(START, "burnout", "Burnout", None, None)]
    spec = _spec(charts.scale_trend(points, scales=SCALES, show_scores=True, since=START + timedelta(days=1),
                                    until=START + timedelta(days=60)))
    dated = [row for dataset in _datasets(spec) for row in dataset if "date" in row]
    assert len(dated) == 3
    assert all(row["date"].startswith("2026-07-01") for row in dated)


def test_strain_trend_shows_the_usual_band_only_with_a_baseline():
    points = [StrainPoint(START + timedelta(weeks=week), strain) for week, strain in enumerate([40.0, None, 55.5])]
    baseline = scoring.pulse_baseline([40, 42, 38, 41, 39], [55.5])
    with_band = _spec(charts.strain_trend(points, baseline=baseline))
    low, high = charts.usual_range(baseline)
    bands = [row for dataset in _datasets(with_band) for row in dataset if "top" in row]
    assert bands == [{"bottom": low, "top": high, "median": 40, "label": "usual for you"}]
    assert [row["strain"] for dataset in _datasets(with_band) for row in dataset if "strain" in row] == [40.0, 55.5]
    without = _spec(charts.strain_trend(points, baseline=None))
    assert len(without["layer"]) == 1
    not_enough = scoring.pulse_baseline([40], [55.5])
    assert charts.usual_range(not_enough) is None


def test_exposures_get_a_labelled_row_per_kind_with_the_count_written_in_and_leave_out_weeks_with_nothing():
    rows = [charts.WeekCount(START, "Overdose scene", 1), charts.WeekCount(START, "A death", 2),
            charts.WeekCount(START + timedelta(weeks=1), "Overdose scene", 0)]
    spec = _spec(charts.exposures_per_week(rows))
    data = _datasets(spec)[0]
    assert [(row["exposure"], row["times"]) for row in data] == [("A death", 2), ("Overdose scene", 1)]
    cells, counts = spec["layer"]
    assert cells["encoding"]["x2"]["field"] == "end"
    assert cells["encoding"]["y"]["sort"] == ["A death", "Overdose scene"]
    assert "color" not in cells["encoding"]
    assert counts["mark"]["type"] == "text" and counts["encoding"]["text"]["field"] == "times"


def test_self_care_strip_marks_each_practice_each_week():
    rows = [charts.PracticeWeek(START, "Enough sleep", True), charts.PracticeWeek(START, "Regular meals", False)]
    spec = _spec(charts.self_care_strip(rows))
    assert [(row["practice"], row["done"]) for row in _datasets(spec)[0]] == [
        ("Enough sleep", "yes"), ("Regular meals", "not this week")]
    assert spec["encoding"]["y"]["sort"] == ["Enough sleep", "Regular meals"]


def test_weekly_charts_share_one_time_axis_when_given_a_range():
    since, until = START, START + timedelta(weeks=12)
    domains = {
        json.dumps(axis["scale"]["domain"])
        for axis in (
            _spec(charts.strain_trend([StrainPoint(START, 30.0)], baseline=None, since=since, until=until))
            ["layer"][0]["encoding"]["x"],
            _spec(charts.exposures_per_week([charts.WeekCount(START, "x", 1)], since=since, until=until))
            ["layer"][0]["encoding"]["x"],
            _spec(charts.self_care_strip([charts.PracticeWeek(START, "x", True)], since=since, until=until))
            ["encoding"]["x"],
        )
    }
    assert domains == {json.dumps(["2026-05-28", "2026-08-28"])}


def test_scale_ranges_follow_item_count_and_response_scale():
    assert charts.scale_ranges(INSTRUMENT) == {
        "compassion_satisfaction": (10.0, 50.0), "burnout": (10.0, 50.0), "secondary_traumatic_stress": (10.0, 50.0)}


def test_band_zones_are_named_inside_the_chart_and_use_colours_told_apart_without_red_green():
    spec = _spec(charts.scale_trend(_points(with_raw=True), scales=SCALES, show_scores=True,
                                    ranges=charts.scale_ranges(INSTRUMENT)))
    labels = [layer for layer in _layers(spec) if layer["mark"]["type"] == "text"]
    assert len(labels) == 3 and all(layer["encoding"]["text"]["field"] == "band" for layer in labels)
    assert all(layer["encoding"]["y"]["scale"]["domain"] == [10.0, 50.0] for layer in _layers(spec)
               if "y" in layer["encoding"] and "scale" in layer["encoding"]["y"])
    assert charts.ZONE_COLOURS["concern"] != charts.ZONE_COLOURS["strength"]
    assert set(charts.FUNCTION_COLOURS.values()) <= set(charts.OKABE_ITO)


def test_okabe_ito_palette_and_second_encodings_have_a_distinct_entry_per_series():
    assert len(set(charts.OKABE_ITO)) == len(charts.OKABE_ITO) == 8
    assert len(set(charts.SHAPES)) == len(charts.SHAPES) == len(charts.OKABE_ITO)
    assert len(set(charts.DASHES)) == len(charts.DASHES) == len(charts.OKABE_ITO)
    assert charts.LEGEND_LABEL_WIDTH == 0


def test_lead_heatmap_colours_by_the_band_cut_offs_not_the_observed_range_and_writes_each_figure():
    from console.program.wellness_figures import ScaleFigure, ScaleTrend
    from console.web import lead_charts
    from scoring.release import Count

    figures = tuple(ScaleFigure("Court", date(2026, month, 1), "burnout", 6, median, median - 2, median + 2,
                                Count(1, 1), None)
                    for month, median in ((8, 23.0), (9, 27.0)))
    trend = ScaleTrend("burnout", "Burnout", False, 22, 42, figures)
    spec = _spec(lead_charts.median_heatmap(trend))
    cells, written = spec["layer"]
    scale = cells["encoding"]["color"]["scale"]
    assert cells["encoding"]["color"]["field"] == "band"
    assert scale["domain"] == ["low", "moderate", "high"]
    assert scale["range"] == [lead_charts.BAND_COLOURS[role] for role in ("strength", "middle", "concern")]
    bands = {row["value"]: row["band"] for dataset in _datasets(spec) for row in dataset}
    assert bands == {23.0: "moderate", 27.0: "moderate"}
    assert written["mark"]["type"] == "text"
    assert spec["description"].startswith("Median burnout per team and month")
    trend_spec = _spec(lead_charts.scale_trend(trend, teams=["Court"]))
    lines = [layer for layer in trend_spec["layer"] if layer["mark"]["type"] == "line"]
    assert lines[0]["encoding"]["y"]["scale"]["domain"] == [10, 50]
    assert {"shape", "strokeDash", "color"} <= set(lines[0]["encoding"])
    assert lines[0]["encoding"]["color"]["legend"]["labelLimit"] == 0
