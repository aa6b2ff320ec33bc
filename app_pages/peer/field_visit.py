from datetime import datetime

import streamlit as st

from console.core import clock, identifiers, input_limits
from console.core.errors import ValidationError
from console.core.i18n import N_, _, show_date, show_number
from console.fieldwork import field_visits
from console.web import ui

ui.require_role("peer")
START_FORM = "field_visit_start"
INCIDENT_FORM = "safety_incident"
PROBLEMS = "field_visit_problems"
NOTICE = "field_visit_notice"
HELP_PRESSED = "field_visit_help_pressed"
NO_PERSON_SERVED = N_("Do not write the name, address or case details of the person you are visiting. A street "
                      "corner, an area or the kind of place is enough for your supervisor to find you.")
NO_PERSON_SERVED_AFTER = N_("Do not write the name, address or case details of anyone you serve: what happened to "
                            "you, where in general and who was there by role (a neighbor, a relative) is enough.")
today = clock.today()


def clock_time(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def field_problem(name: str) -> None:
    problems = st.session_state.get(PROBLEMS, {})
    if name in problems:
        st.error(ui.escape_markdown(problems[name]), icon=":material/error:")


def refused(problem: ValidationError) -> None:
    st.session_state[PROBLEMS] = problem.problems or {"form": str(problem)}
    st.rerun()


def done(notice: str) -> None:
    st.session_state.pop(PROBLEMS, None)
    st.session_state[NOTICE] = notice
    st.rerun()


def call_911() -> None:
    st.error(_("**If you are in danger, call 911 now.** Then get yourself to a safe place."), icon=":material/emergency:")
    st.link_button(_("Call 911"), "tel:911", icon=":material/call:", type="primary", width="stretch")


mine = ui.call(field_visits.my_field_visits)
st.title(_("Field visit"))
st.caption(_("A safety check-in for home and community visits: tell the console when you expect to be back. If you "
             "have not checked in by then, your supervisor is alerted, and alerted again until they respond."))
notice = st.session_state.pop(NOTICE, None)
if notice:
    st.success(notice, icon=":material/check_circle:")
if not mine.supervised:
    st.warning(_("No supervisor is assigned to you right now, so an alert would reach only your program's backup "
                 "contact, if it has one. Check in by phone with your agency as well."), icon=":material/warning:")

visit = mine.open_visit
if visit is None:
    st.subheader(_("Start a check-in timer"))
    token = ui.form_token(START_FORM)
    with st.form(START_FORM):
        minutes = st.selectbox(_("How long do you expect to be?"), options=field_visits.VISIT_MINUTES, index=2,
                               format_func=lambda length: _(field_visits.VISIT_LENGTHS[length]),
                               key="field_visit_minutes")
        field_problem("minutes")
        st.warning(_(NO_PERSON_SERVED), icon=":material/privacy_tip:")
        note = st.text_area(_("Where you will be, for your supervisor (optional)"), key="field_visit_location",
                            help=_("Your supervisor sees this only while the visit is open; it is deleted when you "
                                   "close the visit. Up to {limit} characters.",
                                   limit=show_number(input_limits.LOCATION_NOTE.limit)))
        field_problem("location_note")
        location_confirmed = bool(identifiers.warning(note)) and st.checkbox(
            _("It is not about the person I visit: keep it as written"), key="field_visit_location_confirmed")
        started = st.form_submit_button(_("Start check-in timer"), type="primary", icon=":material/timer:")
        field_problem("form")
    if started:
        try:
            begun = ui.call(field_visits.start_visit, minutes=minutes, location_note=note, idempotency_key=token,
                            identifiers_confirmed=location_confirmed)
        except ValidationError as problem:
            refused(problem)
        else:
            ui.renew_form_token(START_FORM)
            done(_("Timer started. Check in by {time}.", time=clock_time(begun.expected_back_at)))
else:
    with st.container(border=True):
        if st.session_state.get(HELP_PRESSED) == visit.id or visit.help_requested_at is not None:
            call_911()
            st.info(_("Your supervisor has been alerted that you asked for help and is responding.")
                    if visit.acknowledged_at else
                    _("Your supervisor has been alerted that you asked for help. The alert repeats until they "
                      "respond."), icon=":material/notifications_active:")
        if visit.overdue:
            st.warning(_("You were expected back by {time}. Your supervisor is being alerted: if you are safe, press "
                         "\"I'm OK\".", time=clock_time(visit.expected_back_at)), icon=":material/schedule:")
        else:
            st.subheader(_("Expect me back by {time}", time=clock_time(visit.expected_back_at)), anchor=False)
        st.caption(_("Started at {time}.", time=clock_time(visit.started_at)))
        if visit.location_note:
            st.caption(_("Your location note (deleted when you close the visit):"))
            ui.plain_text(visit.location_note)
        if st.button(_("I'm OK — close the visit"), type="primary", icon=":material/check_circle:", width="stretch"):
            ui.call(field_visits.close_visit, visit_id=visit.id)
            st.session_state.pop(HELP_PRESSED, None)
            done(_("Glad you are OK. The visit is closed and your location note is deleted."))
        extend_by = st.selectbox(_("Need more time?"), options=field_visits.VISIT_MINUTES,
                                 format_func=lambda length: _(field_visits.VISIT_LENGTHS[length]),
                                 key="field_visit_extend_minutes")
        if st.button(_("Extend"), icon=":material/more_time:", width="stretch"):
            try:
                extended = ui.call(field_visits.extend_visit, visit_id=visit.id, minutes=extend_by)
            except ValidationError as problem:
                refused(problem)
            else:
                done(_("Extended. Check in by {time}.", time=clock_time(extended.expected_back_at)))
        field_problem("minutes")
        field_problem("form")
        st.divider()
        if st.session_state.get(HELP_PRESSED) != visit.id and visit.help_requested_at is None:
            call_911()
        if st.button(_("I need help"), icon=":material/sos:", width="stretch"):
            st.session_state[HELP_PRESSED] = visit.id
            ui.call(field_visits.request_help, visit_id=visit.id)
            st.rerun()

st.subheader(_("Document a safety incident"))
st.caption(_("If something happened that put your safety at risk, write it down here afterwards. It shows on your "
             "supervisor's prep sheet so you can talk it through in supervision."))
incident_token = ui.form_token(INCIDENT_FORM)
with st.form(INCIDENT_FORM):
    occurred_on = st.date_input(_("When it happened"), value=today, min_value=input_limits.EARLIEST_DATE, max_value=today,
                                key="incident_occurred_on")
    field_problem("occurred_on")
    st.warning(_(NO_PERSON_SERVED_AFTER), icon=":material/privacy_tip:")
    what_happened = st.text_area(_("What happened"), key="incident_what_happened",
                                 help=_("Your supervisors read this. Up to {limit} characters.",
                                        limit=show_number(input_limits.INCIDENT_ACCOUNT.limit)))
    field_problem("what_happened")
    incident_confirmed = bool(identifiers.warning(what_happened)) and st.checkbox(
        _("It is not about a person I serve: keep it as written"), key="incident_identifiers_confirmed")
    reported = st.checkbox(_("I have reported it (to my supervisor, my agency or the police)"), key="incident_reported")
    follow_up = st.checkbox(_("I'd like to talk about it in supervision"), value=True, key="incident_follow_up")
    saved = st.form_submit_button(_("Save the incident"), type="primary")
if saved:
    try:
        ui.call(field_visits.document_incident, occurred_on=occurred_on, what_happened=what_happened,
                reported=reported, follow_up_wanted=follow_up, idempotency_key=incident_token,
                identifiers_confirmed=incident_confirmed)
    except ValidationError as problem:
        refused(problem)
    else:
        ui.renew_form_token(INCIDENT_FORM)
        done(_("The incident is saved. Your supervisor will see it on their prep sheet."))

if mine.incidents:
    st.markdown(_("**Incidents you documented**"))
    for incident in mine.incidents:
        st.caption(" · ".join([show_date(incident.occurred_on)]
                              + ([_("reported")] if incident.reported else [])
                              + ([_("to talk about in supervision")] if incident.follow_up_wanted else [])))
        ui.plain_text(incident.what_happened)
if mine.recent:
    st.markdown(_("**Recent visits**"))
    for past in mine.recent:
        ended = f"{past.closed_at:%H:%M}" if past.closed_at else ""
        st.caption(f"{show_date(past.started_at.date())}, {past.started_at:%H:%M} – {ended}"
                   + (" · " + _("you asked for help") if past.help_requested_at else ""))
