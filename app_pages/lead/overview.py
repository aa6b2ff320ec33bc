import streamlit as st

from console.core import clock
from console.core.i18n import _, show_list, show_month
from console.program import action_plans, reports, wellness_figures, words
from console.web import chart_text, lead_charts, ui

ui.require_role("lead")
ui.wide_page()
st.title(_("Program overview"))
today = clock.today()
overview = ui.cached_call(wellness_figures.program_overview, on=today)
st.caption(_(
    "Team figures only, released once when each month closes; they never change afterwards. A figure built from "
    "fewer than {k} peers is withheld (—) and says why; peers are never named.", k=overview.k
))
if not overview.released:
    st.info(_("No month has been released yet: figures appear here after the first calendar month with peers on a "
              "team closes."), icon=":material/hourglass_empty:")
if overview.pooled:
    st.info(
        _("In {month} these teams had fewer than {k} peers each and are counted together as **{pool}**: {teams}. "
          "Their own rows show — with the reason.", month=show_month(overview.latest_month), k=overview.k,
          pool=words.group(wellness_figures.POOL),
          teams=show_list(ui.escape_markdown(team) for team in overview.pooled)),
        icon=":material/join:",
    )
if overview.by_quarter:
    st.info(_("The trend shows these groups by quarter in the months they were withheld: {groups}. A quarter's figure "
              "is built from the distinct peers of its three months and released once the quarter closes.",
              groups=show_list([_("{group} ({reason})", group=ui.escape_markdown(words.group(group)), reason=words.reason(reason))
                                for group, reason in overview.by_quarter])), icon=":material/date_range:")

planned = ui.call(action_plans.plans_for_alerts) if overview.alerts else {}
for position, alert in enumerate(overview.alerts):
    st.warning(f"**{ui.escape_markdown(alert.team)}**: {ui.escape_markdown(alert.message)}", icon=":material/warning:")
    if planned.get((alert.team, alert.kind)):
        st.caption(_("Action plans open for this alert: {count}. See Action plans.",
                     count=planned[(alert.team, alert.kind)]))
    if st.button(_("Plan an action for this team"), key=f"plan_from_alert_{position}", icon=":material/add_task:"):
        st.session_state[action_plans.FROM_OVERVIEW] = (alert.team, alert.kind)
        st.switch_page("app_pages/lead/action_plans.py")


st.header(_("Participation in {month}", month=show_month(overview.latest_month)))
st.caption(_("Peers on a team during the month; of those, who sent a check-in and who took a self-assessment "
             "in the month. Near none or all of a group, a count is shown as a range."))
table = reports.participation_table(overview)
ui.report_table(table)

st.header(_("Wellness in {month}", month=show_month(overview.latest_month)))
st.caption(_("Each peer's latest self-assessment in the month: median, interquartile range and peers in the high "
             "band."))
table = reports.wellness_table(overview)
ui.report_table(table)

st.header(_("Trend by month"))
labels = {trend.scale: trend.label for trend in overview.trends}
scale = st.selectbox(_("Scale"), list(labels), index=list(labels).index(overview.trend_scale), format_func=labels.get)
if scale != overview.trend_scale:
    overview = ui.cached_call(wellness_figures.program_overview, on=today, scale=scale)
trend = overview.chosen_trend
with_figures = sorted({figure.team for figure in trend.figures if figure.suppressed_reason is None},
                      key=lambda team: (team != wellness_figures.TOTAL, team))
teams = st.multiselect(_("Teams"), with_figures, default=with_figures[:5], format_func=words.group,
                       help=_("Teams with at least one month shown. The band is the interquartile range."))
if not with_figures:
    st.write(_("No group has a released month with {k} or more peers assessed yet.", k=overview.k))
else:
    ui.chart_with_summary(lead_charts.scale_trend(trend, teams=teams), chart_text.lead_scale_trend(trend, teams=teams))
st.markdown(_("**Median {scale}, team by month** (grey: withheld; hover for the reason)", scale=trend.label.lower()))
ui.chart_with_summary(lead_charts.median_heatmap(trend), chart_text.lead_median_heatmap(trend))
table = reports.trend_table(trend)
ui.report_table(table)
if st.button(_("Plan an action on this figure"), key="plan_from_figure", icon=":material/add_task:"):
    st.session_state[action_plans.FROM_OVERVIEW] = (None, trend.scale)
    st.switch_page("app_pages/lead/action_plans.py")

st.header(_("Exposures per team and month"))
st.caption(_("Exposures ticked on weekly check-ins, added up over the check-ins of weeks that start in the month. "
             "The last column adds up the released months shown."))
table = reports.exposures_table(overview)
ui.report_table(table)

table = reports.pooling_table(overview)
if table.rows:
    st.header(_("Teams counted in {pool}", pool=words.group(wellness_figures.POOL)))
    ui.report_table(table)
