import streamlit as st

from console.core import clock, i18n
from console.core.errors import NotFound
from console.core.i18n import _
from console.notify import account_notices
from console.supervision import action_items
from console.web import ui
from console.wellness import assessments, peer_home

ui.require_role("peer")
today = clock.today()
home = ui.call(peer_home.peer_home, on=today)

st.title(_("Home"))
st.write(_("Hi {name}. Here is what is waiting for you, and how things have been.",
           name=ui.escape_markdown(home.first_name)))

for notice in ui.call(account_notices.my_notices, on=today, recent_only=True):
    show = st.warning if notice.kind == account_notices.SIGN_IN else st.info
    show(f"{ui.show_time(notice.at)}: {ui.escape_markdown(notice.text)}", icon=":material/visibility:")

st.header(_("What's due"))
if home.checked_in_this_week:
    st.success(_("This week's check-in is done. Thank you."), icon=":material/check_circle:")
else:
    st.info(_("This week's check-in is waiting for you: about two minutes."), icon=":material/edit_note:")
    st.page_link("app_pages/peer/checkin.py", label=_("Do this week's check-in"), icon=":material/arrow_forward:")

assessment = home.assessment
if home.assessment_unavailable:
    st.warning(ui.escape_markdown(home.assessment_unavailable), icon=":material/build:")
elif assessment.last_taken_on is None:
    st.info(_("Your first self-assessment is ready when you are: thirty short questions, about ten minutes."),
            icon=":material/checklist:")
elif assessment.overdue:
    st.warning(_("Your self-assessment has been due since {day}. Take it when you have ten quiet minutes.",
                 day=ui.show_date(assessment.next_due_on)), icon=":material/checklist:")
elif assessment.due:
    st.info(_("Your self-assessment is due: about ten minutes."), icon=":material/checklist:")
else:
    st.caption(_("Next self-assessment: {day}.", day=ui.show_date(assessment.next_due_on)))
if assessment.due and not home.assessment_unavailable:
    st.page_link("app_pages/peer/assessment.py", label=_("Take the self-assessment"), icon=":material/arrow_forward:")

st.header(_("At a glance"))
if home.last_checkin is None:
    st.write(_("No check-ins yet. Your first one starts your personal baseline."))
elif home.last_checkin.strain is None:
    st.write(_("Last check-in: week of {day}.", day=ui.show_date(home.last_checkin.week_start)))
else:
    st.write(_("Last check-in, week of {day}: strain {strain} out of 100 (higher means a harder week).",
               day=ui.show_date(home.last_checkin.week_start), strain=i18n.show_number(home.last_checkin.strain)))
if home.latest_result is None:
    st.write(_("No self-assessment results yet."))
else:
    st.write(_("Self-assessment of {day}:", day=ui.show_date(home.latest_result.taken_on)))
    st.table({
        _("part"): [scale.label for scale in home.latest_result.scales],
        _("band"): [assessments.band_in_words(scale.band) for scale in home.latest_result.scales],
    })
st.page_link("app_pages/peer/trends.py", label=_("See my trends"), icon=":material/show_chart:")

st.header(_("From supervision"))
if not home.action_items:
    st.write(_("No open action items."))
for item in home.action_items:
    with st.container(border=True):
        ui.plain_text(item.text)
        due = _("due {day}", day=ui.show_date(item.due_on)) if item.due_on else _("no due date")
        if item.past_due(today):
            due = _("Past due: {due}", due=due)
        if item.set_on:
            due = _("{due} · from supervision on {day}", due=due, day=ui.show_date(item.set_on))
        st.caption(due)
        if st.button(_("Mark done"), key=f"done_{item.id}", icon=":material/done:"):
            try:
                ui.call(action_items.mark_done, item_id=item.id)
            except NotFound as problem:
                st.error(ui.escape_markdown(str(problem)))
            else:
                st.rerun()

if home.asked_to_reach_out:
    st.info(_("You asked your supervisor to reach out to you."), icon=":material/waving_hand:")
st.divider()
st.caption(ui.escape_markdown(home.who_sees_what))
st.page_link("app_pages/peer/privacy.py", label=_("Privacy and sharing"), icon=":material/visibility:")
