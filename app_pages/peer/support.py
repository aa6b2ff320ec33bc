import streamlit as st

from console.core import i18n
from console.core.i18n import _, n_
from console.web import ui
from console.wellness import support

ui.require_role("peer")
now = ui.call(support.support_now)

st.title(_("Support now"))
st.header(_("If you are struggling or thinking about suicide"))
st.markdown(ui.crisis_line_text())
call, text = st.columns(2)
call.link_button(_("Call 988"), "tel:988", icon=":material/call:", type="primary", width="stretch")
text.link_button(_("Text 988"), "sms:988", icon=":material/sms:", width="stretch")

st.header(_("Your program's support contact"))
ui.plain_text(now.contact)

st.header(_("Ask your supervisor to reach out"))
st.write(_(
    "Press the button and your supervisor is asked to get in touch with you soon. It is the one thing here that "
    "tells a supervisor something beyond what you chose to share, and only because you pressed it."
))
st.write(n_("Your program asks supervisors to get in touch within {count} hour.",
            "Your program asks supervisors to get in touch within {count} hours.", now.response_hours))
if now.asked_to_reach_out_at is not None:
    if now.supporters:
        seen_by = n_("{names} can see your request.", "{names} can see your request.", len(now.supporters),
                     names=ui.escape_markdown(i18n.show_list(now.supporters)))
    else:
        seen_by = _("Your supervisor can see your request.")
    st.success(_("You asked on {day}. {seen_by}", day=ui.show_date(now.asked_to_reach_out_at), seen_by=seen_by))
    if st.button(_("Withdraw my request"), icon=":material/undo:"):
        ui.call(support.withdraw_reach_out)
        st.rerun()
elif not now.supporters:
    st.info(_("No supervisor who supports your wellbeing is assigned to you right now. Please use the contacts "
              "above."))
elif st.button(_("Please reach out to me"), icon=":material/waving_hand:", type="primary"):
    ui.call(support.request_reach_out)
    st.rerun()

st.header(_("Self-care that helps"))
for strategy in now.strategies:
    st.markdown(f"**{_(strategy.title)}**  \n{_(strategy.text)}")
