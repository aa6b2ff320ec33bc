import streamlit as st

from console.core import clock
from console.core.i18n import _, show_list, show_month, show_percent
from console.program import coverage_figures, reports, words
from console.web import chart_text, lead_charts, ui

ui.require_role("lead")
ui.wide_page()
st.title(_("Supervision coverage"))
coverage = ui.cached_call(coverage_figures.supervision_coverage, on=clock.today())
st.caption(_("From session metadata only — dates, kinds and minutes per function; never notes. Each calendar month "
             "is released once when it closes, so these figures never change."))
if coverage.latest_month is None:
    st.write(_("No month has been released yet: a month is released when it closes."))
    st.stop()
month = show_month(coverage.latest_month)

st.caption(_("A figure built from fewer than {k} peers besides you and the people you supervise is withheld (—), "
             "with the reason in the note; near none or all of a team, a count of peers is shown as a range.",
             k=coverage.k))
if coverage.pooled:
    st.info(_("These teams have fewer than {k} peers each and are counted together as **{pool}**: {teams}. Their "
              "own rows show — with the reason.", k=coverage.k, pool=words.group(coverage_figures.POOL),
              teams=show_list([ui.escape_markdown(team) for team in coverage.pooled])), icon=":material/join:")

columns = st.columns(2)
total = coverage.total
supervised_label = _("At a session in {month}", month=month)
unsupported_label = _("Without supportive supervision in {month}", month=month)
if total is None or total.supervised is None or total.without_supportive is None:
    withheld = _("Withheld: {reason}", reason=words.reason(total.reason if total is not None else None)
                 or _("no team figure is released"))
    columns[0].metric(supervised_label, "—", help=withheld)
    columns[1].metric(unsupported_label, "—", help=withheld)
else:
    share = total.supervised_share
    columns[0].metric(supervised_label,
                      show_percent(share) if share is not None else total.supervised.text(),
                      help=_("{supervised} of {peers} peers, at an individual or group session.",
                             supervised=total.supervised.text(), peers=total.peers or 0)
                      + ("" if coverage.whole_program else " " + _("Over the teams shown.")))
    columns[1].metric(unsupported_label, total.without_supportive.text())

st.header(_("Coverage and function balance per team in {month}, as released", month=month))
st.caption(_("Sessions and minutes of the month; a group session counts for each team it had peers from."))
ui.chart_with_summary(lead_charts.function_balance(coverage), chart_text.lead_function_balance(coverage))
table = reports.coverage_table(coverage)
ui.report_table(table)

st.header(_("Group and individual sessions"))
ui.chart_with_summary(lead_charts.sessions_by_kind(coverage), chart_text.lead_sessions(coverage))
table = reports.monthly_sessions_table(coverage)
ui.report_table(table)

st.header(_("Supervisor loads in {month}, as released", month=month))
table = reports.supervisor_loads_table(coverage)
ui.report_table(table)
