import streamlit as st

from console.core import clock
from console.program import reports, workload_figures
from console.web import lead_charts, ui

ui.require_role("lead")
st.title("Workload")
workload = ui.cached_call(workload_figures.workload, on=clock.today())
low, high = workload.caseload_guideline
st.caption(
    f"Caseload and hours per team, never per named peer; a team with fewer than {workload.k} peers is withheld (—). "
    f"The program's caseload guideline is {low}–{high} people (the tool kit names 20–30 for weekly check-in work). "
    f"Recent figures are for the weeks from {workload.recent_from:%d %b %Y}, this week included."
)
if not workload.teams:
    st.write("No peers on your teams yet. An administrator adds peers to teams.")
    st.stop()

st.metric(f"Peers with a caseload above {high}", workload.above_range,
          help="Over the teams shown; nobody is named.")

st.subheader("Caseload per team")
st.altair_chart(lead_charts.caseload_distribution(workload))
table = reports.team_workload_table(workload)
ui.report_table(table)
st.caption("Hours outside the peer role are tasks that belong to case managers or clinicians (peer drift).")

st.subheader("Trend by week")
team_names = [team.team for team in workload.teams]
columns = st.columns([2, 3])
measure = columns[0].selectbox("Measure", list(lead_charts.WEEKLY_MEASURES), format_func=lead_charts.WEEKLY_MEASURES.get)
teams = columns[1].multiselect("Teams", team_names, default=team_names[:5])
st.altair_chart(lead_charts.weekly_trend(workload, measure=measure, teams=teams))
table = reports.weekly_workload_table(workload)
ui.report_table(table)
