import streamlit as st

from console.core.errors import ValidationError
from console.core.i18n import _
from console.notify import notifications
from console.web import ui

APPLIED_KEY = "unsubscribe_applied"

st.title(_("Email choices"))
token = st.query_params.get("token", "")
if not token:
    st.info(_("This page turns off one kind of email from the console, from the link at the end of each message. "
              "Signed in, you choose everything you receive on My account."))
    st.stop()
if st.session_state.get(APPLIED_KEY, {}).get("token") != token:
    try:
        done = ui.call_anonymous(notifications.unsubscribe, token=token)
    except ValidationError as problem:
        st.error(ui.escape_markdown(str(problem)))
        st.stop()
    st.session_state[APPLIED_KEY] = {"token": token, "label": done.label, "resubscribed": False}
applied = st.session_state[APPLIED_KEY]
if applied["resubscribed"]:
    st.success(_("You receive these emails again: {kind}.", kind=applied["label"]))
else:
    st.success(_("Done. You will no longer receive these emails: {kind}.", kind=applied["label"]))
    st.write(_("Other kinds of email stay as they were; choose them all on My account after signing in."))
    if st.button(_("Receive these emails again")):
        ui.call_anonymous(notifications.unsubscribe, token=token, resubscribe=True)
        applied["resubscribed"] = True
        st.rerun()
