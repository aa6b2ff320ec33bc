import streamlit as st

from console.core import clock
from console.core.i18n import _, show_month
from console.fieldwork import trainings
from console.program import reports, words, workload_figures
from console.web import chart_text, lead_charts, ui

ui.require_role("lead")
ui.wide_page()
st.title(_("Workload"))
workload = ui.cached_call(workload_figures.workload, on=clock.today())
low, high = workload.caseload_guideline
st.caption(_(
    "Caseload and hours per team, never per named peer; a figure built from fewer than {k} peers is withheld (—). "
    "The program's caseload guideline is {low}–{high} people (the tool kit names 20–30 for weekly check-in work). "
    "Each week is released once, when the month its Sunday falls in closes, so these figures never change.",
    k=workload.k, low=low, high=high,
))
if workload.latest_week is None:
    st.write(_("No week has been released yet: a week is released when the month its Sunday falls in closes."))
else:
    st.metric(_("Peers with a caseload above {high}", high=high), words.count(workload.above_range),
              help=_("In the week of {day}, over the teams shown; nobody is named.",
                     day=ui.show_date(workload.latest_week)))

    st.header(_("Caseload per team, week of {day}", day=ui.show_date(workload.latest_week)))
    ui.chart_with_summary(lead_charts.caseload_distribution(workload), chart_text.lead_caseloads(workload))
    table = reports.team_workload_table(workload)
    ui.report_table(table)
    st.caption(_("Hours outside the peer role are what peers report on their weekly check-in for tasks that belong "
                 "to other roles: driving, case management, office work, clinical-type tasks (peer drift)."))

released = ui.cached_call(workload_figures.released_caseloads, on=clock.today())
if released.rows:
    st.header(_("Caseload in {month}, as released", month=show_month(released.month)))
    st.caption(_("Each peer's latest caseload reported for a week starting in the month: released once when the "
                 "month closed, under the same rule, so these figures never change."))
    table = reports.released_workload_table(released)
    ui.report_table(table)

if workload.weeks:
    st.header(_("Trend by week"))
    team_names = list(dict.fromkeys(row.team for row in workload.weeks))
    columns = st.columns([2, 3])
    measure = columns[0].selectbox(_("Measure"), list(lead_charts.WEEKLY_MEASURES),
                                   format_func=lead_charts.measure_name)
    teams = columns[1].multiselect(_("Teams"), team_names, default=team_names[:5], format_func=words.group)
    ui.chart_with_summary(lead_charts.weekly_trend(workload, measure=measure, teams=teams),
                          chart_text.lead_weekly(workload, measure=measure, title=lead_charts.measure_name(measure),
                                                 teams=teams))
    table = reports.weekly_workload_table(workload)
    ui.report_table(table)

st.subheader(_("Training and certification"))
training = ui.cached_call(trainings.team_counts, on=clock.today())
if training.month is None:
    st.write(_("No month has been released yet: training counts are released when a month closes, as of its last "
               "day."))
else:
    st.caption(_("As of the end of {month}: peers on each team that day, and how many of them held each training. "
                 "Released once when the month closed, so these figures never change. A count built from too few "
                 "peers is hidden (—), as on every lead page, with the reason in the note; a count of none or all of "
                 "a team is shown as a range.", month=show_month(training.month)))
    st.dataframe(
        [{_("team"): words.group(row.team),
          **{_(trainings.COUNT_COLUMNS[column]): "—" if count is None else words.count(count)
             for column, count in row.counts.items()}, _("note"): words.reason(row.reason)} for row in training.rows],
        hide_index=True, width="stretch",
    )
