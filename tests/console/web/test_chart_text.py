from datetime import date, timedelta

import scoring
from console.program.wellness_figures import ScaleFigure, ScaleTrend
from console.supervision.shared_view import ScalePoint, StrainPoint
from console.web import chart_text, charts

SCALES = scoring.load_instrument("proqol-style-30").scales
START = date(2026, 9, 7)


def test_scale_summary_names_the_latest_score_band_and_direction_and_bands_only_hide_the_numbers():
    points = [ScalePoint(START, "burnout", "Burnout", "moderate", 31.0),
              ScalePoint(START + timedelta(days=30), "burnout", "Burnout", "high", 44.5)]
    text = chart_text.scale_trend(points, scales={"burnout": SCALES["burnout"]}, show_scores=True)
    assert text.summary == "Burnout (lower is better): 44.5, high band on 7 Oct 2026, up 13.5 from the time before."
    assert text.rows[0] == {"date": "7 Oct 2026", "scale": "Burnout", "score": 44.5, "band": "high"}
    bands = chart_text.scale_trend([ScalePoint(p.taken_on, p.scale, p.label, p.band, None) for p in points],
                                   scales={"burnout": SCALES["burnout"]}, show_scores=False)
    assert bands.summary == "Burnout (lower is better): high band on 7 Oct 2026, it was moderate the time before."
    assert all("score" not in row for row in bands.rows)


def test_strain_summary_places_the_latest_week_against_the_usual_range():
    baseline = scoring.pulse_baseline([40, 42, 38, 41, 39], [70.0])
    points = [StrainPoint(START, 40.0), StrainPoint(START + timedelta(weeks=1), None),
              StrainPoint(START + timedelta(weeks=2), 70.0)]
    text = chart_text.strain(points, baseline=baseline)
    low, high = charts.usual_range(baseline)
    assert text.summary.startswith("Strain in the week of 21 Sep 2026: 70 out of 100 (0 easiest, 100 hardest), "
                                   "up 30 points from the time before; above what is usual for you")
    assert f"({low:.0f} to {high:.0f})" in text.summary and "ranged from 40 to 70" in text.summary
    assert [row["strain (0–100)"] for row in text.rows] == [70.0, 40.0]
    assert chart_text.strain([], baseline=None).summary == "No check-ins in this time range."


def test_exposure_and_self_care_summaries_count_what_the_weeks_brought():
    exposures = [charts.WeekCount(START, "Overdose scene", 2), charts.WeekCount(START, "A death", 1),
                 charts.WeekCount(START + timedelta(weeks=1), "Overdose scene", 1)]
    text = chart_text.exposures(exposures)
    assert text.summary == ("Hard moments were reported in 2 weeks. Most often: Overdose scene (3 times); A death "
                            "(once). The latest, the week of 14 Sep 2026: Overdose scene.")
    care = chart_text.self_care([charts.PracticeWeek(START, "Sleep", True), charts.PracticeWeek(START, "Meals", False)])
    assert care.summary == "Over 1 check-in week: Sleep managed in 1 of 1; Meals managed in 0 of 1."
    assert care.rows == ({"week of": "7 Sep 2026", "Sleep": "yes", "Meals": "no"},)


def test_lead_summaries_use_the_scale_s_band_cut_offs():
    figures = (ScaleFigure("Court", date(2026, 9, 1), "burnout", 6, 27.0, 25.0, 29.0, 0.1, None),
               ScaleFigure("Reentry", date(2026, 9, 1), "burnout", 3, None, None, None, None, "fewer than 5 peers"))
    trend = ScaleTrend("burnout", "Burnout", False, 22, 42, figures)
    assert chart_text.lead_scale_trend(trend, teams=["Court", "Reentry"]) == (
        "Burnout (lower is better; low up to 22, high from 42). Court: median 27 in September 2026 (moderate band).")
    assert "0 in the high band; 1 suppressed" in chart_text.lead_median_heatmap(trend)
