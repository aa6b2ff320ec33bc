from datetime import timedelta

import streamlit as st

from console.core import clock, i18n
from console.core.i18n import N_, _
from console.web import chart_text, charts, ui
from console.wellness import my_trends

ui.require_role("peer")
RANGES = {"3 months": 13, "6 months": 26, "1 year": 52, "Everything": None}
RANGE_NAMES = {"3 months": N_("3 months"), "6 months": N_("6 months"), "1 year": N_("1 year"),
               "Everything": N_("Everything")}
today = clock.today()

st.title(_("My trends"))
st.caption(_("Only you see this page. Under each chart, a sentence says what it shows and \"Show as a table\" "
             "gives every value. Hover over or tap a point for its date and value."))
choice = st.segmented_control(_("Time range"), options=list(RANGES), format_func=lambda code: _(RANGE_NAMES[code]),
                              default="6 months", required=True, key="trend_range")
weeks = RANGES[choice]
trends = ui.call(my_trends.my_trends, on=today, since=today - timedelta(weeks=weeks) if weeks else None)
axis = {"since": trends.axis_start, "until": trends.until}

st.header(_("Self-assessment"))
if trends.has_assessments:
    st.caption(_("Each part over time, on its full range of 10 to 50. The shading shows the bands, each named "
                 "inside the chart: orange where a result is worth taking care about, blue where it is a strength."))
    ui.chart(charts.scale_trend(trends.scale_points, scales=trends.scales, show_scores=True,
                                ranges=trends.ranges, **axis),
             chart_text.scale_trend(trends.scale_points, scales=trends.scales, show_scores=True))
else:
    st.info(_("No self-assessments in this time range yet. Each one you take adds a point here."))
    st.page_link("app_pages/peer/assessment.py", label=_("Take the self-assessment"), icon=":material/arrow_forward:")

st.header(_("Weekly check-ins"))
if not trends.has_checkins:
    st.info(_("No check-ins in this time range yet. Do this week's check-in; after a few weeks your strain, what "
              "the weeks brought and your self-care show up here."))
    st.page_link("app_pages/peer/checkin.py", label=_("Do this week's check-in"), icon=":material/arrow_forward:")
    st.stop()

st.markdown(_("**Strain** (0 easiest, 100 hardest)"))
baseline = trends.baseline
if baseline.enough_data:
    low, high = charts.usual_range(baseline)
    st.caption(_("The blue band, {low} to {high}, is what is usual for you, from your earlier check-ins; the "
                 "dashed line is your typical week ({typical}).", low=i18n.show_number(low), high=i18n.show_number(high),
                 typical=i18n.show_number(baseline.median or 0.0)))
else:
    st.caption(_("{reading} Once there are enough, a blue band shows what is usual for you.",
                 reading=i18n.render(baseline.text)))
if trends.strain.harder or trends.strain.rising:
    st.warning(i18n.render(trends.strain.text))
ui.chart(charts.strain_trend(trends.strain_points, baseline=baseline, **axis),
         chart_text.strain(trends.strain_points, baseline=baseline if baseline.enough_data else None))

st.markdown(_("**What the weeks brought**"))
if trends.exposures:
    ui.chart(charts.exposures_per_week(trends.exposures, **axis), chart_text.exposures(trends.exposures))
else:
    st.caption(_("Nothing from the list of hard moments was reported in this time range."))

st.markdown(_("**Self-care I managed**"))
ui.chart(charts.self_care_strip(trends.self_care, **axis), chart_text.self_care(trends.self_care))
