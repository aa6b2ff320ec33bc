import streamlit as st

from console.core import clock, i18n
from console.core.i18n import _, n_
from console.supervision import sessions
from console.web import ui

ui.require_role("peer")
st.title(_("My supervision"))
st.caption(_("The notes your supervisors wrote in sessions you attended, over the last year. A supervisor's private "
             "reflection stays theirs; in a group session, every attendee reads the same notes."))

activity_labels = {activity.code: activity.label for activity in sessions.ACTIVITIES}
attended = ui.call(sessions.my_sessions_as_supervisee, on=clock.today())
if not attended:
    st.write(_("No supervision sessions in the last year yet. Your supervisor records each session, and its notes "
               "appear here."))
for record in attended:
    functions = [sessions.FUNCTION_LABELS[name] for name, minutes in record.minutes.items() if minutes > 0]
    with st.expander(f"{ui.show_date(record.held_on)} · {record.kind} · {ui.escape_markdown(record.supervisor_name)}"):
        about = _("{minutes} · {functions}", minutes=n_("{count} minute", "{count} minutes", record.duration_minutes),
                  functions=", ".join(functions) or _("no function recorded"))
        if record.amended_on:
            about = _("{about} · amended {days}", about=about,
                      days=i18n.show_list(ui.show_date(day) for day in record.amended_on))
        st.caption(about)
        if record.activities:
            st.caption(_("Covered: {activities}",
                         activities=", ".join(activity_labels.get(code, code) for code in record.activities)))
        for function, text in record.notes.items():
            if text:
                st.markdown(f"**{sessions.FUNCTION_LABELS[function]}**")
                ui.plain_text(text)
        if record.peer_drift and record.peer_drift_note:
            st.markdown(_("**Work outside the peer role** (what your supervisor observed, as they wrote it)"))
            ui.plain_text(record.peer_drift_note)
        if record.my_action_items:
            st.markdown(_("**My action items from this session**"))
            for item in record.my_action_items:
                st.caption(_("{status} · due {day}", status=item.status, day=ui.show_date(item.due_on)) if item.due_on
                           else item.status)
                ui.plain_text(item.text)
