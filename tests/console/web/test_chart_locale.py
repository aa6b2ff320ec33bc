import altair as alt
import pandas as pd

from console.core.i18n import use_language
from console.program.reports import chart_svg
from console.web.charts import in_reader_language

MONTHLY = pd.DataFrame({"month": pd.date_range("2026-01-01", periods=6, freq="MS"), "value": [1, 2, 3, 4, 5, 6]})


def a_chart() -> alt.Chart:
    return alt.Chart(MONTHLY).mark_line().encode(x="month:T", y="value:Q").configure_axis(labelFontSize=13)


def test_a_chart_names_its_months_in_the_reader_s_language_and_keeps_its_own_configuration():
    with use_language("es"):
        spec = in_reader_language(a_chart()).to_dict()
    assert spec["config"]["axis"]["labelFontSize"] == 13
    assert spec["config"]["locale"]["time"]["months"][:3] == ["enero", "febrero", "marzo"]
    assert spec["config"]["locale"]["time"]["days"][0] == "domingo"
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_the_printed_report_s_charts_draw_spanish_month_names_for_a_spanish_reader():
    with use_language("es"):
        spanish = chart_svg(a_chart())
    with use_language("en"):
        english = chart_svg(a_chart())
    assert "febrero" in spanish and "February" not in spanish
    assert "February" in english
