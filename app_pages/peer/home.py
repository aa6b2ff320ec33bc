import streamlit as st

from console.core import clock
from console.core.errors import NotFound
from console.notify import account_notices
from console.supervision import action_items
from console.web import ui
from console.wellness import peer_home

ui.require_role("peer")
today = clock.today()
home = ui.call(peer_home.peer_home, on=today)

st.title("Home")
st.write(f"Hi {ui.escape_markdown(home.first_name)}. Here is what is waiting for you, and how things have been.")

for notice in ui.call(account_notices.my_notices, on=today, recent_only=True):
    show = st.warning if notice.kind == account_notices.SIGN_IN else st.info
    show(f"{notice.at:%d %B, %H:%M} UTC: {ui.escape_markdown(notice.text)}", icon=":material/visibility:")

st.subheader("What's due")
if home.checked_in_this_week:
    st.success("This week's check-in is done. Thank you.", icon=":material/check_circle:")
else:
    st.info("This week's check-in is waiting for you: about two minutes.", icon=":material/edit_note:")
    st.page_link("app_pages/peer/checkin.py", label="Do this week's check-in", icon=":material/arrow_forward:")

assessment = home.assessment
if home.assessment_unavailable:
    st.warning(ui.escape_markdown(home.assessment_unavailable), icon=":material/build:")
elif assessment.last_taken_on is None:
    st.info("Your first self-assessment is ready when you are: thirty short questions, about ten minutes.",
            icon=":material/checklist:")
elif assessment.overdue:
    st.warning(f"Your self-assessment has been due since {assessment.next_due_on:%d %B}. Take it when you have "
               "ten quiet minutes.", icon=":material/checklist:")
elif assessment.due:
    st.info("Your self-assessment is due: about ten minutes.", icon=":material/checklist:")
else:
    st.caption(f"Next self-assessment: {assessment.next_due_on:%d %B %Y}.")
if assessment.due and not home.assessment_unavailable:
    st.page_link("app_pages/peer/assessment.py", label="Take the self-assessment", icon=":material/arrow_forward:")

st.subheader("At a glance")
if home.last_checkin is None:
    st.write("No check-ins yet. Your first one starts your personal baseline.")
elif home.last_checkin.strain is None:
    st.write(f"Last check-in: week of {home.last_checkin.week_start:%d %B}.")
else:
    st.write(f"Last check-in, week of {home.last_checkin.week_start:%d %B}: strain "
             f"{home.last_checkin.strain:.0f} out of 100 (higher means a harder week).")
if home.latest_result is None:
    st.write("No self-assessment results yet.")
else:
    st.write(f"Self-assessment of {home.latest_result.taken_on:%d %B %Y}:")
    st.table({
        "part": [scale.label for scale in home.latest_result.scales],
        "band": [scale.band or "no result" for scale in home.latest_result.scales],
    })
st.page_link("app_pages/peer/trends.py", label="See my trends", icon=":material/show_chart:")

st.subheader("From supervision")
if not home.action_items:
    st.write("No open action items.")
for item in home.action_items:
    with st.container(border=True):
        ui.plain_text(item.text)
        due = f"due {item.due_on:%d %B}" if item.due_on else "no due date"
        st.caption(f"{'Past due: ' if item.past_due(today) else ''}{due}"
                   + (f" · from supervision on {item.set_on:%d %B}" if item.set_on else ""))
        if st.button("Mark done", key=f"done_{item.id}", icon=":material/done:"):
            try:
                ui.call(action_items.mark_done, item_id=item.id)
            except NotFound as problem:
                st.error(ui.escape_markdown(str(problem)))
            else:
                st.rerun()

if home.asked_to_reach_out:
    st.info("You asked your supervisor to reach out to you.", icon=":material/waving_hand:")
st.divider()
st.caption(ui.escape_markdown(home.who_sees_what))
st.page_link("app_pages/peer/privacy.py", label="Privacy and sharing", icon=":material/visibility:")
