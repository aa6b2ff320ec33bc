import streamlit as st

from console.core import clock
from console.program import action_plans, reports, wellness_figures
from console.web import chart_text, lead_charts, ui

ui.require_role("lead")
ui.wide_page()
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

planned = ui.call(action_plans.plans_for_alerts) if overview.alerts else {}
for position, alert in enumerate(overview.alerts):
    st.warning(f"**{ui.escape_markdown(alert.team)}**: {ui.escape_markdown(alert.message)}", icon=":material/warning:")
    if planned.get((alert.team, alert.kind)):
        st.caption(f"Action plans open for this alert: {planned[(alert.team, alert.kind)]}. See Action plans.")
    if st.button("Plan an action for this team", key=f"plan_from_alert_{position}", icon=":material/add_task:"):
        st.session_state[action_plans.FROM_OVERVIEW] = (alert.team, alert.kind)
        st.switch_page("app_pages/lead/action_plans.py")


st.header("Participation")
st.caption(
    f"Check-ins for the weeks {ui.show_date(overview.participation_from)} to {ui.show_date(overview.participation_to)}; "
    f"a self-assessment in the {overview.assessment_cadence_days} days before this week counts as on cadence."
)
table = reports.participation_table(overview)
ui.report_table(table)

st.header(f"Wellness in {overview.latest_month:%B %Y}")
st.caption("Each peer's latest self-assessment in the month: median, interquartile range and share in the high band.")
table = reports.wellness_table(overview)
ui.report_table(table)

st.header("Trend by month")
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
    ui.chart_with_summary(lead_charts.scale_trend(trend, teams=teams), chart_text.lead_scale_trend(trend, teams=teams))
st.markdown(f"**Median {trend.label.lower()}, team by month** (grey: suppressed; hover for the reason)")
ui.chart_with_summary(lead_charts.median_heatmap(trend), chart_text.lead_median_heatmap(trend))
table = reports.trend_table(trend)
ui.report_table(table)
if st.button("Plan an action on this figure", key="plan_from_figure", icon=":material/add_task:"):
    st.session_state[action_plans.FROM_OVERVIEW] = (None, trend.scale)
    st.switch_page("app_pages/lead/action_plans.py")

st.header("Exposures per team and month")
st.caption("Exposures ticked on weekly check-ins, added up over the check-ins of weeks that start in the month.")
table = reports.exposures_table(overview)
ui.report_table(table)
