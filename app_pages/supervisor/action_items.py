import streamlit as st

from console.core import clock
from console.core.i18n import N_, _
from console.supervision import action_items
from console.web import ui

ui.require_role("supervisor")
today = clock.today()
FILTER_LABELS = {"open": N_("Open"), "overdue": N_("Overdue"), "done": N_("Done"), "all": N_("All")}

st.title(_("Action items"))
st.caption(_("Items set in the sessions you led, for you or for the people you supervise. "
             "They see their own items on their home page and can mark them done too."))

columns = st.columns(2)
status = columns[0].radio(_("Status"), options=list(FILTER_LABELS), format_func=lambda code: _(FILTER_LABELS[code]),
                          horizontal=True, key="items_status")
due_by = columns[1].date_input(_("Due on or before"), value=None, key="items_due_by")
items = ui.call(action_items.items_from_my_sessions, on=today, status=status, due_by=due_by)

if not items:
    st.write(_("No action items match."))
for item in items:
    with st.container(border=True):
        row = st.columns([5, 2])
        due = _("due {day}", day=ui.show_date(item.due_on)) if item.due_on else _("no due date")
        state = (_("done {day}", day=ui.show_date(item.done_at.date())) if item.status == "done" and item.done_at
                 else _("overdue") if item.overdue else _("open"))
        row[0].caption(_("{owner} · {due} · {state} · set on {day}", owner=ui.escape_markdown(item.owner_name),
                         due=due, state=state, day=ui.show_date(item.held_on)))
        with row[0]:
            ui.plain_text(item.text)
        if item.status == "open" and row[1].button(_("Mark done"), key=f"done_{item.id}", icon=":material/check:"):
            ui.call(action_items.mark_done, item_id=item.id)
            st.rerun()
