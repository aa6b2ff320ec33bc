import streamlit as st

from console.core import clock, i18n
from console.core.i18n import _
from console.fieldwork import ethics, field_visits, trainings
from console.supervision import supervisor_week
from console.web import ui

user = ui.require_role("supervisor")
today = clock.today()
PREFILL = "session_prefill"
DETAIL = "supervisee_detail_peer"

st.title(_("Weekly supervision prep"))
st.caption(_("One card per supervisee: whoever asked to talk first, then the most urgent. "
             "Each card holds only what that person shares with you."))

visits = ui.call(field_visits.supervisee_visits)
if visits:
    st.header(_("Field visits now"), anchor=False)
for alert in visits:
    with st.container(border=True):
        visit = alert.visit
        name = ui.escape_markdown(alert.peer_name)
        if visit.help_requested_at is not None and visit.acknowledged_at is None:
            st.error(_("**{name} pressed \"I need help\"** at {time}. If their life may be in danger, call 911.",
                       name=name, time=format(visit.help_requested_at, "%H:%M")),
                     icon=":material/sos:")
        elif alert.needs_attention:
            st.warning(_("**{name} has not checked in**: expected back by {time}.", name=name,
                         time=format(visit.expected_back_at, "%H:%M")), icon=":material/schedule:")
        elif visit.acknowledged_at:
            st.caption(_("{name} is on a field visit, back by {time} (you acknowledged the alert).", name=name,
                         time=format(visit.expected_back_at, "%H:%M")))
        else:
            st.caption(_("{name} is on a field visit, back by {time}.", name=name,
                         time=format(visit.expected_back_at, "%H:%M")))
        if visit.location_note:
            st.caption(_("Their location note (deleted when they close the visit):"))
            ui.plain_text(visit.location_note)
        if alert.needs_attention and st.button(_("Acknowledge: I'm responding"), key=f"field_visit_ack_{visit.id}",
                                               type="primary", icon=":material/done:"):
            ui.call(field_visits.acknowledge, visit_id=visit.id)
            st.rerun()

cards = ui.call(supervisor_week.prep_sheet, on=today)
incidents = ui.call(field_visits.incidents_for_prep, on=today)
shared_ethics = ui.call(ethics.shared_for_prep)
renewals = ui.call(trainings.renewals_for_prep, on=today)
if not cards:
    st.write(_("You have no active supervision assignments. An administrator assigns supervisees."))
else:
    ui.print_only_content()
    language = i18n.current_language()

    def printable() -> str:
        with i18n.use_language(language):
            return supervisor_week.printable_prep_sheet(cards, supervisor_name=user.display_name, on=today)

    with st.container(key="no_print_prep_help"):
        st.caption(_("To print the prep sheet, use your browser's print command on this page: the printout holds the "
                     "cards alone, one never split across two sheets. Or download it as a text file."))
        ui.private_download(
            _("Download a printable copy"), icon=":material/print:", data=printable,
            file_name=f"supervision-prep-{today.isoformat()}.txt", mime="text/plain",
        )

for card in cards:
    view = card.view
    with st.container(border=True):
        st.header(ui.escape_markdown(view.name), anchor=False)
        if card.pinned:
            st.caption(":material/push_pin: " + _("Pinned: asked to talk or to be reached out to."))
        ui.show_supervisor_view(view, compact=True)
        for incident in incidents.get(view.peer_id, []):
            st.markdown(_(":orange[**Safety incident**] on {day}", day=ui.show_date(incident.occurred_on)))
            st.caption(" ".join(part for part in (
                _("Reported.") if incident.reported else _("Not reported yet."),
                _("They would like to talk about it.") if incident.follow_up_wanted else "",
            ) if part))
            ui.plain_text(incident.what_happened)
        for item in shared_ethics.get(view.peer_id, []):
            st.markdown(_(":blue[**Ethics, {area}**] shared for supervision", area=item.area_title.lower()))
            ui.plain_text(item.statement)
            if item.note:
                ui.plain_text(item.note)
        for renewal in renewals.get(view.peer_id, []):
            if renewal.lapsed:
                st.caption(_("{name}: renewal was due {day}", name=ui.escape_markdown(renewal.name),
                             day=ui.show_date(renewal.renews_on)))
            else:
                st.caption(_("{name}: renews {day}", name=ui.escape_markdown(renewal.name),
                             day=ui.show_date(renewal.renews_on)))
        for debrief in view.debriefs_to_offer:
            st.warning(_("After a hard call ({call}, {ended}): offer a debrief by {due}.", call=i18n.render(debrief.what),
                         ended=i18n.show_day(debrief.ended_at.date()),
                         due=_("{day} {time} UTC", day=i18n.show_day(debrief.due.date()), time=format(debrief.due, "%H:%M"))),
                       icon=":material/support:")
        if view.debriefs_to_offer and st.button(_("Record a debrief"), key=f"debrief_{view.peer_id}",
                                                icon=":material/support:"):
            st.switch_page("app_pages/supervisor/callouts.py")
        actions = st.columns(3)
        if actions[0].button(_("Start session"), key=f"start_{view.peer_id}", type="primary",
                             icon=":material/edit_note:"):
            st.session_state[PREFILL] = {
                "peer_id": view.peer_id,
                "functions": card.suggested_functions,
                "agenda": [_("{reason} (suggests {function})", reason=i18n.render(flag.reason),
                             function=supervisor_week.function_names([flag.suggested_function]))
                           for flag in view.flags]
                + [_("Ethics ({area}): {statement}", area=item.area_title.lower(), statement=item.statement)
                   for item in shared_ethics.get(view.peer_id, [])]
                + [_("Safety incident on {day}", day=ui.show_date(incident.occurred_on))
                   for incident in incidents.get(view.peer_id, []) if incident.follow_up_wanted],
                "ethics_areas": sorted({item.area for item in shared_ethics.get(view.peer_id, [])}),
                "field_safety": bool(incidents.get(view.peer_id)),
            }
            st.switch_page("app_pages/supervisor/record_session.py")
        if actions[1].button(_("Details"), key=f"detail_{view.peer_id}", icon=":material/person_search:"):
            st.session_state[DETAIL] = view.peer_id
            st.switch_page("app_pages/supervisor/supervisees.py")
        for request in view.reach_outs:
            if actions[2].button(_("Acknowledge the request"), key=f"acknowledge_{request.id}", icon=":material/done:"):
                ui.call(supervisor_week.acknowledge_reach_out, request_id=request.id)
                st.rerun()
