from datetime import timedelta

import streamlit as st

from console.core import clock
from console.web import charts, ui
from console.wellness import my_trends

ui.require_role("peer")
RANGES = {"3 months": 13, "6 months": 26, "1 year": 52, "Everything": None}
today = clock.today()

st.title("My trends")
st.caption("Only you see this page. Hover over or tap a point for its date and value.")
choice = st.segmented_control("Time range", options=list(RANGES), default="6 months", required=True, key="trend_range")
weeks = RANGES[choice]
trends = ui.call(my_trends.my_trends, on=today, since=today - timedelta(weeks=weeks) if weeks else None)
axis = {"since": trends.axis_start, "until": trends.until}

st.subheader("Self-assessment")
if trends.has_assessments:
    st.caption("Each part over time. The shading shows the bands: red where a result is worth taking care about, "
               "green where it is a strength.")
    st.altair_chart(charts.scale_trend(trends.scale_points, scales=trends.scales, show_scores=True,
                                       ranges=trends.ranges, **axis), width="stretch")
else:
    st.info("No self-assessments in this time range yet. Each one you take adds a point here.")
    st.page_link("app_pages/peer/assessment.py", label="Take the self-assessment", icon=":material/arrow_forward:")

st.subheader("Weekly check-ins")
if not trends.has_checkins:
    st.info("No check-ins in this time range yet. Do this week's check-in; after a few weeks your strain, what "
            "the weeks brought and your self-care show up here.")
    st.page_link("app_pages/peer/checkin.py", label="Do this week's check-in", icon=":material/arrow_forward:")
    st.stop()

st.markdown("**Strain** (0 easiest, 100 hardest)")
baseline = trends.baseline
if baseline.enough_data:
    low, high = charts.usual_range(baseline)
    st.caption(f"The green band, {low:.0f} to {high:.0f}, is what is usual for you, from your earlier "
               f"check-ins; the dashed line is your typical week ({baseline.median:.0f}).")
else:
    st.caption(f"{baseline.text} Once there are enough, a green band shows what is usual for you.")
if trends.strain.harder or trends.strain.rising:
    st.warning(trends.strain.text)
st.altair_chart(charts.strain_trend(trends.strain_points, baseline=baseline, **axis), width="stretch")

st.markdown("**What the weeks brought**")
if trends.exposures:
    st.altair_chart(charts.exposures_per_week(trends.exposures, **axis), width="stretch")
else:
    st.caption("Nothing from the list of hard moments was reported in this time range.")

st.markdown("**Self-care I managed**")
st.altair_chart(charts.self_care_strip(trends.self_care, **axis), width="stretch")
