import streamlit as st

from console.core import clock
from console.supervision import supervisor_week
from console.web import ui

user = ui.require_role("supervisor")
today = clock.today()
PREFILL = "session_prefill"
DETAIL = "supervisee_detail_peer"

st.title("Weekly supervision prep")
st.caption("One card per supervisee: whoever asked to talk first, then the most urgent. "
           "Each card holds only what that person shares with you.")

cards = ui.call(supervisor_week.prep_sheet, on=today)
if not cards:
    st.write("You have no active supervision assignments. An administrator assigns supervisees.")
else:
    ui.private_download(
        "Download a printable copy", icon=":material/print:",
        data=lambda: supervisor_week.printable_prep_sheet(cards, supervisor_name=user.display_name, on=today),
        file_name=f"supervision-prep-{today.isoformat()}.txt", mime="text/plain",
    )

for card in cards:
    view = card.view
    with st.container(border=True):
        st.subheader(ui.escape_markdown(view.name), anchor=False)
        if card.pinned:
            st.caption(":material/push_pin: Pinned: asked to talk or to be reached out to.")
        ui.show_supervisor_view(view, compact=True)
        actions = st.columns(3)
        if actions[0].button("Start session", key=f"start_{view.peer_id}", type="primary", icon=":material/edit_note:"):
            st.session_state[PREFILL] = {
                "peer_id": view.peer_id,
                "functions": card.suggested_functions,
                "agenda": [f"{flag.reason} (suggests {flag.suggested_function})" for flag in view.flags],
            }
            st.switch_page("app_pages/supervisor/record_session.py")
        if actions[1].button("Details", key=f"detail_{view.peer_id}", icon=":material/person_search:"):
            st.session_state[DETAIL] = view.peer_id
            st.switch_page("app_pages/supervisor/supervisees.py")
        for request in view.reach_outs:
            if actions[2].button("Acknowledge the request", key=f"acknowledge_{request.id}", icon=":material/done:"):
                ui.call(supervisor_week.acknowledge_reach_out, request_id=request.id)
                st.rerun()
