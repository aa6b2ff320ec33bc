import streamlit as st

from console.web import ui
from console.wellness import support

ui.require_role("peer")
now = ui.call(support.support_now)

st.title("Support now")
st.subheader("If you are struggling or thinking about suicide")
st.markdown(ui.CRISIS_LINE)
call, text = st.columns(2)
call.link_button("Call 988", "tel:988", icon=":material/call:", type="primary", width="stretch")
text.link_button("Text 988", "sms:988", icon=":material/sms:", width="stretch")

st.subheader("Your program's support contact")
ui.plain_text(now.contact)

st.subheader("Ask your supervisor to reach out")
st.write(
    "Press the button and your supervisor is asked to get in touch with you soon. It is the one thing here that "
    "tells a supervisor something beyond what you chose to share, and only because you pressed it."
)
st.write(f"Your program asks supervisors to get in touch within {now.response_hours} hours.")
if now.asked_to_reach_out_at is not None:
    supporters = " and ".join(now.supporters) or "Your supervisor"
    st.success(f"You asked on {now.asked_to_reach_out_at:%A %d %B}. {ui.escape_markdown(supporters)} can see your request.")
    if st.button("Withdraw my request", icon=":material/undo:"):
        ui.call(support.withdraw_reach_out)
        st.rerun()
elif not now.supporters:
    st.info("No supervisor who supports your wellbeing is assigned to you right now. Please use the contacts above.")
elif st.button("Please reach out to me", icon=":material/waving_hand:", type="primary"):
    ui.call(support.request_reach_out)
    st.rerun()

st.subheader("Self-care that helps")
for strategy in now.strategies:
    st.markdown(f"**{strategy.title}**  \n{strategy.text}")
