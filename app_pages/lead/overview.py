import streamlit as st

from console.core import clock
from console.program import reports, wellness_figures
from console.web import lead_charts, ui

ui.require_role("lead")
st.title("Program overview")
today = clock.today()
overview = ui.cached_call(wellness_figures.program_overview, on=today)
st.caption(
    f"Team figures only. A figure built from fewer than {overview.k} peers is suppressed and says why; peers are "
    "never named. Wellness figures are for complete months, so they do not move as each answer arrives."
)
if ui.runtime().demo_mode:
    st.info(
        f"In the demo program two of the three teams have four peers, fewer than the anonymity threshold of "
        f"{overview.k}, so their figures are suppressed — that is the rule at work. To see every team, an admin "
        "can lower the threshold to 3 (`wellness-console setting anonymity_k 3`).",
        icon=":material/visibility_off:",
    )

for alert in overview.alerts:
    st.warning(f"**{ui.escape_markdown(alert.team)}**: {ui.escape_markdown(alert.message)}", icon=":material/warning:")


st.subheader("Participation")
st.caption(
    f"Check-ins for the weeks {overview.participation_from:%d %b} to {overview.participation_to:%d %b %Y}; "
    f"a self-assessment in the {overview.assessment_cadence_days} days before this week counts as on cadence."
)
table = reports.participation_table(overview)
ui.report_table(table)

st.subheader(f"Wellness in {overview.latest_month:%B %Y}")
st.caption("Each peer's latest self-assessment in the month: median, interquartile range and share in the high band.")
table = reports.wellness_table(overview)
ui.report_table(table)

st.subheader("Trend by month")
labels = {trend.scale: trend.label for trend in overview.trends}
scale = st.selectbox("Scale", list(labels), index=list(labels).index(overview.trend_scale), format_func=labels.get)
if scale != overview.trend_scale:
    overview = ui.cached_call(wellness_figures.program_overview, on=today, scale=scale)
trend = overview.chosen_trend
with_figures = sorted({figure.team for figure in trend.figures if figure.suppressed_reason is None},
                      key=lambda team: (team != wellness_figures.TOTAL, team))
teams = st.multiselect("Teams", with_figures, default=with_figures[:5],
                       help="Teams with at least one month shown. The band is the interquartile range.")
if not with_figures:
    st.write(f"No team has a month with {overview.k} or more peers assessed yet.")
else:
    st.altair_chart(lead_charts.scale_trend(trend, teams=teams))
st.markdown(f"**Median {trend.label.lower()}, team by month** (grey: suppressed; hover for the reason)")
st.altair_chart(lead_charts.median_heatmap(trend))
table = reports.trend_table(trend)
ui.report_table(table)

st.subheader("Exposures per team and month")
st.caption("Exposures ticked on weekly check-ins, added up over the check-ins of weeks that start in the month.")
table = reports.exposures_table(overview)
ui.report_table(table)
