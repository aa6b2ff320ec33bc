import streamlit as st

from console.core import clock
from console.supervision import sessions
from console.web import ui

ui.require_role("peer")
st.title("My supervision")
st.caption("The notes your supervisors wrote in sessions you attended, over the last year. A supervisor's private "
           "reflection stays theirs; in a group session, every attendee reads the same notes.")

activity_labels = {activity.code: activity.label for activity in sessions.ACTIVITIES}
attended = ui.call(sessions.my_sessions_as_supervisee, on=clock.today())
if not attended:
    st.write("No supervision sessions in the last year yet. Your supervisor records each session, and its notes "
             "appear here.")
for record in attended:
    functions = [sessions.FUNCTION_LABELS[name] for name, minutes in record.minutes.items() if minutes > 0]
    with st.expander(f"{record.held_on:%d %B %Y} · {record.kind} · {ui.escape_markdown(record.supervisor_name)}"):
        st.caption(f"{record.duration_minutes} minutes · {', '.join(functions) or 'no function recorded'}"
                   + (f" · amended {', '.join(f'{day:%d %b %Y}' for day in record.amended_on)}"
                      if record.amended_on else ""))
        if record.activities:
            st.caption("Covered: " + ", ".join(activity_labels.get(code, code) for code in record.activities))
        for function, text in record.notes.items():
            if text:
                st.markdown(f"**{sessions.FUNCTION_LABELS[function]}**")
                ui.plain_text(text)
        if record.peer_drift and record.peer_drift_note:
            st.markdown("**Work outside the peer role** (what your supervisor observed, as they wrote it)")
            ui.plain_text(record.peer_drift_note)
        if record.my_action_items:
            st.markdown("**My action items from this session**")
            for item in record.my_action_items:
                due = f" · due {item.due_on:%d %b %Y}" if item.due_on else ""
                st.caption(f"{item.status}{due}")
                ui.plain_text(item.text)
