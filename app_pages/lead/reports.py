import streamlit as st

from console.core import clock
from console.program import coverage_figures, reports, wellness_figures, workload_figures
from console.web import ui

ui.require_role("lead")
st.title("Reports")
st.caption(
    "De-identified downloads of every table on the program lead pages, with the same suppression: peers and "
    "supervisors are not named, and a suppressed figure says why."
)
on = clock.today()
overview = ui.cached_call(wellness_figures.program_overview, on=on)
workload = ui.cached_call(workload_figures.workload, on=on)
coverage = ui.cached_call(coverage_figures.supervision_coverage, on=on)

st.subheader(f"Monthly program report, {overview.latest_month:%B %Y}")
st.write("A printable page for boards and funders: charts, summary tables and the data definitions. "
         "Open it in a browser and print it, or save it as PDF.")
ui.private_download(
    "Download the monthly report (HTML)", type="primary", icon=":material/description:",
    file_name=f"program-report-{overview.latest_month:%Y-%m}.html", mime="text/html",
    data=lambda: reports.monthly_report_html(prepared_on=on, overview=overview, workload=workload,
                                             coverage=coverage),
)

st.subheader("Tables")
other_scales = [reports.trend_table(trend) for trend in ui.cached_call(wellness_figures.scale_trends, on=on)
                if trend.scale != overview.trend_scale]
for table in (*reports.overview_tables(overview), *other_scales, *reports.workload_tables(workload),
              *reports.supervision_tables(coverage)):
    columns = st.columns([3, 2])
    columns[0].write(f"**{table.title}** — {len(table.rows)} rows")
    with columns[1]:
        ui.private_download(**table.download())

with st.expander("Data definitions"):
    for term, meaning in reports.definitions(overview):
        st.markdown(f"**{term}.** {meaning}")
