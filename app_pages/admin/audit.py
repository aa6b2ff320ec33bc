import streamlit as st

from console.admin import accounts
from console.core import clock
from console.core.i18n import _
from console.web import ui

ui.require_role("admin")
st.title(_("Audit log"))
st.caption(_("Every write, and every read of one person's wellness data by someone else. Details never hold "
             "the data."))

entries = ui.call(accounts.audit_log, on=clock.today(), limit=1000)
search = st.text_input(_("Filter by person or action"), placeholder=_("e.g. viewed_wellness or a name"))
needle = search.strip().lower()
shown = [
    entry for entry in entries
    if not needle or needle in f"{entry.actor} {entry.subject} {entry.action} {entry.resource_type}".lower()
]
st.caption(_("{shown} of the newest {total} events", shown=len(shown), total=len(entries)))
st.dataframe(
    [
        {
            _("when (UTC)"): f"{entry.at:%Y-%m-%d %H:%M}",
            _("who"): entry.actor,
            _("action"): entry.action.replace("_", " "),
            _("whose"): entry.subject,
            _("what"): entry.resource_type.replace("_", " "),
            _("detail"): entry.detail,
        }
        for entry in shown
    ],
    hide_index=True,
    width="stretch",
)
