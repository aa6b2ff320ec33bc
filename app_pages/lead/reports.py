import streamlit as st

from console.core import clock
from console.core.i18n import _, current_language, n_, show_month, use_language
from console.program import coverage_figures, reports, wellness_figures, workload_figures
from console.web import ui

ui.require_role("lead")
ui.wide_page()
st.title(_("Reports"))
st.caption(_(
    "De-identified downloads of every table on the program lead pages, with the same suppression: peers and "
    "supervisors are not named, and a suppressed figure says why."
))
on = clock.today()
overview = ui.cached_call(wellness_figures.program_overview, on=on)
workload = ui.cached_call(workload_figures.workload, on=on)
coverage = ui.cached_call(coverage_figures.supervision_coverage, on=on)

language = current_language()


def monthly_report() -> str:
    with use_language(language):
        return reports.monthly_report_html(prepared_on=on, overview=overview, workload=workload, coverage=coverage)


st.header(_("Monthly program report, {month}", month=show_month(overview.latest_month)))
st.write(_("A printable page for boards and funders: charts, summary tables and the data definitions. "
           "Open it in a browser and print it, or save it as PDF."))
ui.private_download(
    _("Download the monthly report (HTML)"), type="primary", icon=":material/description:",
    file_name=f"program-report-{overview.latest_month:%Y-%m}.html", mime="text/html",
    data=monthly_report,
)

st.header(_("Tables"))
other_scales = [reports.trend_table(trend) for trend in ui.cached_call(
    wellness_figures.scale_trends, on=on,
    scales=tuple(trend.scale for trend in overview.trends if trend.scale != overview.trend_scale))]
for table in (*reports.overview_tables(overview), *other_scales, *reports.workload_tables(workload),
              *reports.supervision_tables(coverage)):
    columns = st.columns([3, 2])
    columns[0].write(n_("**{title}** — {count} row", "**{title}** — {count} rows", len(table.rows),
                        title=table.title))
    with columns[1]:
        ui.private_download(**table.download())

with st.expander(_("Data definitions")):
    for term, meaning in reports.definitions(overview):
        st.markdown(f"**{term}.** {meaning}")
