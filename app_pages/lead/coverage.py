import streamlit as st

from console.core import clock
from console.core.i18n import _, show_percent
from console.program import coverage_figures, reports
from console.web import chart_text, lead_charts, ui

ui.require_role("lead")
ui.wide_page()
st.title(_("Supervision coverage"))
coverage = ui.cached_call(coverage_figures.supervision_coverage, on=clock.today())
st.caption(_("From session metadata only — dates, kinds and minutes per function; never notes."))
if not coverage.teams:
    st.write(_("No peers on your teams yet. An administrator adds peers to teams."))
    st.stop()

columns = st.columns(2)
share = coverage.supervised / coverage.peers if coverage.peers else 0
columns[0].metric(_("Supervised within {days} days", days=coverage.recent_days), show_percent(share),
                  help=_("{supervised} of {peers} peers, at an individual or group session.",
                         supervised=coverage.supervised, peers=coverage.peers))
columns[1].metric(_("Without supportive supervision within {days} days", days=coverage.supportive_days),
                  coverage.without_supportive)

st.header(_("Coverage and function balance per team"))
st.caption(_("Sessions and minutes from {day}; a group session counts for each team it had peers from.",
             day=ui.show_date(coverage.balance_from)))
ui.chart_with_summary(lead_charts.function_balance(coverage), chart_text.lead_function_balance(coverage))
table = reports.coverage_table(coverage)
ui.report_table(table)

st.header(_("Group and individual sessions"))
ui.chart_with_summary(lead_charts.sessions_by_kind(coverage), chart_text.lead_sessions(coverage))
table = reports.monthly_sessions_table(coverage)
ui.report_table(table)

st.header(_("Supervisor loads"))
table = reports.supervisor_loads_table(coverage)
ui.report_table(table)
