import streamlit as st

from console.core import clock
from console.fieldwork import ethics, field_visits, trainings
from console.supervision import supervisor_week
from console.web import ui

user = ui.require_role("supervisor")
today = clock.today()
PREFILL = "session_prefill"
DETAIL = "supervisee_detail_peer"

st.title("Weekly supervision prep")
st.caption("One card per supervisee: whoever asked to talk first, then the most urgent. "
           "Each card holds only what that person shares with you.")

visits = ui.call(field_visits.supervisee_visits)
if visits:
    st.header("Field visits now", anchor=False)
for alert in visits:
    with st.container(border=True):
        visit = alert.visit
        if visit.help_requested_at is not None and visit.acknowledged_at is None:
            st.error(f"**{ui.escape_markdown(alert.peer_name)} pressed \"I need help\"** at "
                     f"{visit.help_requested_at:%H:%M}. If their life may be in danger, call 911.",
                     icon=":material/sos:")
        elif alert.needs_attention:
            st.warning(f"**{ui.escape_markdown(alert.peer_name)} has not checked in**: expected back by "
                       f"{visit.expected_back_at:%H:%M}.", icon=":material/schedule:")
        else:
            st.caption(f"{ui.escape_markdown(alert.peer_name)} is on a field visit, back by "
                       f"{visit.expected_back_at:%H:%M}"
                       + (" (you acknowledged the alert)." if visit.acknowledged_at else "."))
        if visit.location_note:
            st.caption("Their location note (deleted when they close the visit):")
            ui.plain_text(visit.location_note)
        if alert.needs_attention and st.button("Acknowledge: I'm responding", key=f"field_visit_ack_{visit.id}",
                                               type="primary", icon=":material/done:"):
            ui.call(field_visits.acknowledge, visit_id=visit.id)
            st.rerun()

cards = ui.call(supervisor_week.prep_sheet, on=today)
incidents = ui.call(field_visits.incidents_for_prep, on=today)
shared_ethics = ui.call(ethics.shared_for_prep)
renewals = ui.call(trainings.renewals_for_prep, on=today)
if not cards:
    st.write("You have no active supervision assignments. An administrator assigns supervisees.")
else:
    ui.print_only_content()
    with st.container(key="no_print_prep_help"):
        st.caption("To print the prep sheet, use your browser's print command on this page: the printout holds the "
                   "cards alone, one never split across two sheets. Or download it as a text file.")
        ui.private_download(
            "Download a printable copy", icon=":material/print:",
            data=lambda: supervisor_week.printable_prep_sheet(cards, supervisor_name=user.display_name, on=today),
            file_name=f"supervision-prep-{today.isoformat()}.txt", mime="text/plain",
        )

for card in cards:
    view = card.view
    with st.container(border=True):
        st.header(ui.escape_markdown(view.name), anchor=False)
        if card.pinned:
            st.caption(":material/push_pin: Pinned: asked to talk or to be reached out to.")
        ui.show_supervisor_view(view, compact=True)
        for incident in incidents.get(view.peer_id, []):
            st.markdown(f":orange[**Safety incident**] on {incident.occurred_on:%d %b %Y}")
            st.caption(("Reported. " if incident.reported else "Not reported yet. ")
                       + ("They would like to talk about it." if incident.follow_up_wanted else ""))
            ui.plain_text(incident.what_happened)
        for item in shared_ethics.get(view.peer_id, []):
            st.markdown(f":blue[**Ethics, {item.area_title.lower()}**] shared for supervision")
            ui.plain_text(item.statement)
            if item.note:
                ui.plain_text(item.note)
        for renewal in renewals.get(view.peer_id, []):
            if renewal.lapsed:
                st.caption(f"{ui.escape_markdown(renewal.name)}: renewal was due {renewal.renews_on:%d %b %Y}")
            else:
                st.caption(f"{ui.escape_markdown(renewal.name)}: renews {renewal.renews_on:%d %b %Y}")
        for debrief in view.debriefs_to_offer:
            st.warning(f"After a hard call ({debrief.what}, {debrief.ended_at:%a %d %b}): offer a debrief by "
                       f"{debrief.due:%A %d %B %H:%M} UTC.", icon=":material/support:")
        if view.debriefs_to_offer and st.button("Record a debrief", key=f"debrief_{view.peer_id}",
                                                icon=":material/support:"):
            st.switch_page("app_pages/supervisor/callouts.py")
        actions = st.columns(3)
        if actions[0].button("Start session", key=f"start_{view.peer_id}", type="primary", icon=":material/edit_note:"):
            st.session_state[PREFILL] = {
                "peer_id": view.peer_id,
                "functions": card.suggested_functions,
                "agenda": [f"{flag.reason} (suggests {flag.suggested_function})" for flag in view.flags]
                + [f"Ethics ({item.area_title.lower()}): {item.statement}" for item in shared_ethics.get(view.peer_id, [])]
                + [f"Safety incident on {incident.occurred_on:%d %b %Y}" for incident in incidents.get(view.peer_id, [])
                   if incident.follow_up_wanted],
                "ethics_areas": sorted({item.area for item in shared_ethics.get(view.peer_id, [])}),
                "field_safety": bool(incidents.get(view.peer_id)),
            }
            st.switch_page("app_pages/supervisor/record_session.py")
        if actions[1].button("Details", key=f"detail_{view.peer_id}", icon=":material/person_search:"):
            st.session_state[DETAIL] = view.peer_id
            st.switch_page("app_pages/supervisor/supervisees.py")
        for request in view.reach_outs:
            if actions[2].button("Acknowledge the request", key=f"acknowledge_{request.id}", icon=":material/done:"):
                ui.call(supervisor_week.acknowledge_reach_out, request_id=request.id)
                st.rerun()
