import streamlit as st

from console.admin import accounts
from console.core import clock
from console.web import ui

ui.require_role("admin")
st.title("Audit log")
st.caption("Every write, and every read of one person's wellness data by someone else. Details never hold the data.")

entries = ui.call(accounts.audit_log, on=clock.today(), limit=1000)
search = st.text_input("Filter by person or action", placeholder="e.g. viewed_wellness or a name")
needle = search.strip().lower()
shown = [
    entry for entry in entries
    if not needle or needle in f"{entry.actor} {entry.subject} {entry.action} {entry.resource_type}".lower()
]
st.caption(f"{len(shown)} of the newest {len(entries)} events")
st.dataframe(
    [
        {
            "when (UTC)": f"{entry.at:%Y-%m-%d %H:%M}",
            "who": entry.actor,
            "action": entry.action.replace("_", " "),
            "whose": entry.subject,
            "what": entry.resource_type.replace("_", " "),
            "detail": entry.detail,
        }
        for entry in shown
    ],
    hide_index=True,
    width="stretch",
)
