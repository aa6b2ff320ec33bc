import streamlit as st

from console.core import clock
from console.program import coverage_figures, reports
from console.web import lead_charts, ui

ui.require_role("lead")
st.title("Supervision coverage")
coverage = ui.cached_call(coverage_figures.supervision_coverage, on=clock.today())
st.caption("From session metadata only — dates, kinds and minutes per function; never notes.")
if not coverage.teams:
    st.write("No peers on your teams yet. An administrator adds peers to teams.")
    st.stop()

columns = st.columns(2)
share = coverage.supervised / coverage.peers if coverage.peers else 0
columns[0].metric(f"Supervised within {coverage.recent_days} days", f"{share:.0%}",
                  help=f"{coverage.supervised} of {coverage.peers} peers, at an individual or group session.")
columns[1].metric(f"Without supportive supervision within {coverage.supportive_days} days",
                  coverage.without_supportive)

st.subheader("Coverage and function balance per team")
st.caption(f"Sessions and minutes from {coverage.balance_from:%d %b %Y}; a group session counts for each team "
           "it had peers from.")
st.altair_chart(lead_charts.function_balance(coverage))
table = reports.coverage_table(coverage)
ui.report_table(table)

st.subheader("Group and individual sessions")
st.altair_chart(lead_charts.sessions_by_kind(coverage))
table = reports.monthly_sessions_table(coverage)
ui.report_table(table)

st.subheader("Supervisor loads")
table = reports.supervisor_loads_table(coverage)
ui.report_table(table)
