import streamlit as st

from console.core import clock
from console.supervision import sessions, supervisor_week
from console.web import charts, ui

ui.require_role("supervisor")
today = clock.today()
DETAIL = "supervisee_detail_peer"
LABELS = sessions.FUNCTION_LABELS

st.title("My supervisees")
st.caption("Each person's wellness detail follows the level they chose to share.")

rows = ui.call(supervisor_week.my_supervisees, on=today)
if not rows:
    st.write("You have no active supervision assignments. An administrator assigns supervisees.")
    st.stop()
st.dataframe(
    [
        {
            "name": row.name,
            "team": row.team,
            "functions": ", ".join(row.functions),
            "sharing": row.sharing_level,
            "last check-in (week of)": row.last_checkin,
        }
        for row in rows
    ],
    hide_index=True,
)

names = {row.peer_id: row.name for row in rows}
preselected = st.session_state.pop(DETAIL, None)
if preselected in names:
    st.session_state["detail_peer"] = preselected
peer_id = st.selectbox("Open a supervisee", options=list(names), index=None, format_func=names.get,
                       placeholder="Choose a supervisee", key="detail_peer")
if peer_id is not None:
    detail = ui.call(supervisor_week.supervisee_detail, peer_id=peer_id, on=today)
    st.header(ui.escape_markdown(detail.view.name), anchor=False)
    st.caption(f"Your assignment: {', '.join(detail.functions)} supervision.")
    ui.show_supervisor_view(detail.view, compact=False)

    st.subheader("Supervision", anchor=False)
    cadence = detail.cadence
    last = (f"the last session was {cadence.days_since_last} days ago" if cadence.days_since_last is not None
            else "no session in the last six months")
    if cadence.cadence_met:
        st.success(f"The {cadence.cadence} cadence is met: {last}.", icon=":material/event_available:")
    else:
        st.warning(f"The {cadence.cadence} cadence is not met: {last}.", icon=":material/event_busy:")
    if detail.session_minutes:
        st.markdown("**Minutes per function, by month**")
        st.altair_chart(charts.minutes_per_function(detail.session_minutes), width="stretch")
    for entry in detail.history:
        summary = entry.summary
        functions = ", ".join(summary.functions) or "no function recorded"
        with st.expander(f"{summary.held_on:%d %b %Y} · {summary.kind} · {summary.duration_minutes} min · {functions}"
                         f" · {summary.supervisor_name}"):
            record = entry.record
            if record is None:
                st.caption("Led by another supervisor: its notes are theirs and the attendees'.")
                continue
            content = record.content
            if summary.kind == "group":
                st.caption(f"Group session with {ui.escape_markdown(', '.join(summary.attendee_names))}")
            for function in content.functions:
                st.markdown(f"**{LABELS[function]}** ({content.minutes[function]} min)")
                done = [activity.label for activity in sessions.activities_of(function)
                        if activity.code in content.activities]
                if done:
                    st.caption(" · ".join(done))
                if content.notes.get(function):
                    ui.plain_text(content.notes[function])
            if content.peer_drift:
                st.markdown("**Peer drift observed** (the supervisee reads this, word for word)")
                ui.plain_text(content.peer_drift_note)
            if content.ethics_areas:
                st.caption("Ethics areas: " + ", ".join(sessions.ETHICS_AREAS[area] for area in content.ethics_areas))
            if content.field_safety_discussed:
                st.caption("Field-safety concerns discussed")
            if content.private_reflection:
                st.markdown("**My private reflection** (only you can read this)")
                ui.plain_text(content.private_reflection)
            for item in record.action_items:
                st.caption(f"Action item for {ui.escape_markdown(item.owner_name)} · {item.status}"
                           + (f" · due {item.due_on:%d %b %Y}" if item.due_on else ""))
                ui.plain_text(item.text)
