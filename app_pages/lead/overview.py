import streamlit as st

from console.core import clock
from console.core.i18n import _, show_list
from console.program import action_plans, reports, wellness_figures
from console.web import chart_text, lead_charts, ui

ui.require_role("lead")
ui.wide_page()
st.title("Program overview")
today = clock.today()
overview = ui.cached_call(wellness_figures.program_overview, on=today)
st.caption(
    f"Team figures only, released once when each month closes; they never change afterwards. A figure built from "
    f"fewer than {overview.k} peers is withheld (—) and says why; peers are never named."
)
if not overview.released:
    st.info("No month has been released yet: figures appear here after the first calendar month with peers on a "
            "team closes.", icon=":material/hourglass_empty:")
if overview.pooled:
    st.info(
        f"In {overview.latest_month:%B %Y} these teams had fewer than {overview.k} peers each and are counted "
        f"together as **{wellness_figures.POOL}**: " + ", ".join(ui.escape_markdown(team) for team in overview.pooled)
        + ". Their own rows show — with the reason.",
        icon=":material/join:",
    )
if overview.by_quarter:
    st.info(_("The trend shows these groups by quarter in the months they were withheld: {groups}. A quarter's figure "
              "is built from the distinct peers of its three months and released once the quarter closes.",
              groups=show_list([_("{group} ({reason})", group=ui.escape_markdown(group), reason=reason)
                                for group, reason in overview.by_quarter])), icon=":material/date_range:")

planned = ui.call(action_plans.plans_for_alerts) if overview.alerts else {}
for position, alert in enumerate(overview.alerts):
    st.warning(f"**{ui.escape_markdown(alert.team)}**: {ui.escape_markdown(alert.message)}", icon=":material/warning:")
    if planned.get((alert.team, alert.kind)):
        st.caption(f"Action plans open for this alert: {planned[(alert.team, alert.kind)]}. See Action plans.")
    if st.button("Plan an action for this team", key=f"plan_from_alert_{position}", icon=":material/add_task:"):
        st.session_state[action_plans.FROM_OVERVIEW] = (alert.team, alert.kind)
        st.switch_page("app_pages/lead/action_plans.py")


st.header(f"Participation in {overview.latest_month:%B %Y}")
st.caption("Peers on a team during the month; of those, who sent a check-in and who took a self-assessment "
           "in the month. Near none or all of a group, a count is shown as a range.")
table = reports.participation_table(overview)
ui.report_table(table)

st.header(f"Wellness in {overview.latest_month:%B %Y}")
st.caption("Each peer's latest self-assessment in the month: median, interquartile range and peers in the high "
           "band.")
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
    st.write(f"No group has a released month with {overview.k} or more peers assessed yet.")
else:
    ui.chart_with_summary(lead_charts.scale_trend(trend, teams=teams), chart_text.lead_scale_trend(trend, teams=teams))
st.markdown(f"**Median {trend.label.lower()}, team by month** (grey: withheld; hover for the reason)")
ui.chart_with_summary(lead_charts.median_heatmap(trend), chart_text.lead_median_heatmap(trend))
table = reports.trend_table(trend)
ui.report_table(table)
if st.button("Plan an action on this figure", key="plan_from_figure", icon=":material/add_task:"):
    st.session_state[action_plans.FROM_OVERVIEW] = (None, trend.scale)
    st.switch_page("app_pages/lead/action_plans.py")

st.header("Exposures per team and month")
st.caption("Exposures ticked on weekly check-ins, added up over the check-ins of weeks that start in the month. "
           "The last column adds up the released months shown.")
table = reports.exposures_table(overview)
ui.report_table(table)

table = reports.pooling_table(overview)
if table.rows:
    st.header(f"Teams counted in {wellness_figures.POOL}")
    ui.report_table(table)

