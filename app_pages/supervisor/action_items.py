import streamlit as st

from console.core import clock
from console.supervision import action_items
from console.web import ui

ui.require_role("supervisor")
today = clock.today()
FILTER_LABELS = {"open": "Open", "overdue": "Overdue", "done": "Done", "all": "All"}

st.title("Action items")
st.caption("Items set in the sessions you led, for you or for the people you supervise. "
           "They see their own items on their home page and can mark them done too.")

columns = st.columns(2)
status = columns[0].radio("Status", options=list(FILTER_LABELS), format_func=FILTER_LABELS.get, horizontal=True,
                          key="items_status")
due_by = columns[1].date_input("Due on or before", value=None, key="items_due_by")
items = ui.call(action_items.items_from_my_sessions, on=today, status=status, due_by=due_by)

if not items:
    st.write("No action items match.")
for item in items:
    with st.container(border=True):
        row = st.columns([5, 2])
        due = f"due {item.due_on:%d %b %Y}" if item.due_on else "no due date"
        state = (f"done {item.done_at:%d %b %Y}" if item.status == "done" and item.done_at
                 else "overdue" if item.overdue else "open")
        row[0].caption(f"{ui.escape_markdown(item.owner_name)} · {due} · {state} · set on {item.held_on:%d %b %Y}")
        with row[0]:
            ui.plain_text(item.text)
        if item.status == "open" and row[1].button("Mark done", key=f"done_{item.id}", icon=":material/check:"):
            ui.call(action_items.mark_done, item_id=item.id)
            st.rerun()
