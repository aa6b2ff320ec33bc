import hashlib

import streamlit as st

from console.admin import roster
from console.core.errors import ValidationError
from console.core.i18n import _, n_
from console.web import ui

ui.require_role("admin")
st.title(_("Import roster"))
st.caption(_("Add teams, people, team memberships and supervision assignments from one spreadsheet saved as CSV. "
             "The whole file is checked first: if any row needs fixing, nothing is imported and every problem is "
             "listed with its line. Importing the same file again changes nothing. Each new person gets a one-time "
             "link to choose their own password."))

st.download_button(_("Download the template (CSV)"), data=roster.template_csv(), file_name="roster-template.csv",
                   mime="text/csv", on_click="ignore", icon=":material/download:")
with st.expander(_("What goes in each column")):
    st.markdown(_(
        "Each row is one **record**, named in the `record` column; leave the columns another record uses empty.\n\n"
        "| record | columns | |\n|---|---|---|\n"
        "| `team` | `team`, `setting` (optional) | a team; existing teams are matched by name |\n"
        "| `person` | `email`, `name`, `roles`; optional `username`, `team`, `starts_on` | a person, matched "
        "with an existing account by email; roles and teams separated by `;`; `starts_on` is when team "
        "membership starts (default today) |\n"
        "| `supervision` | `email` (the supervisee), `supervisor_email`, `functions`; optional `starts_on`, "
        "`ends_on` | functions from administrative, educational, supportive, separated by `;` |\n\n"
        "Dates are written YYYY-MM-DD. The import only adds and updates: it never removes a role, a team "
        "membership or an assignment the file leaves out (end those on Teams and supervision)."
    ))

uploaded = st.file_uploader(_("Roster file (CSV, UTF-8)"), type=["csv", "tsv", "txt"])
pasted = st.text_area(_("Or paste the rows, with the header row, straight from your spreadsheet"),
                      placeholder=",".join(roster.COLUMNS), height=150)
data = uploaded.getvalue() if uploaded is not None else pasted.encode("utf-8")
fingerprint = hashlib.sha256(data).hexdigest()

if st.button(_("Check the file"), disabled=not data.strip()):
    try:
        st.session_state["roster_preview"] = (fingerprint, ui.call(roster.import_roster, data=data, dry_run=True))
    except ValidationError as problem:
        st.session_state["roster_preview"] = (fingerprint, problem)

checked = st.session_state.get("roster_preview")
if checked is not None and checked[0] == fingerprint:
    outcome = checked[1]
    if isinstance(outcome, roster.RosterRejected):
        st.error(ui.escape_markdown(str(outcome)), icon=":material/error:")
        st.dataframe([{_("line"): row.line, _("what to fix"): row.message} for row in outcome.rows],
                     hide_index=True, width="stretch")
    elif isinstance(outcome, ValidationError):
        st.error(ui.escape_markdown(str(outcome)), icon=":material/error:")
    elif outcome.changes_nothing:
        st.success(ui.escape_markdown(outcome.summary()), icon=":material/check_circle:")
    else:
        st.info(ui.escape_markdown(outcome.summary()), icon=":material/preview:")
        st.dataframe([{_("line"): change.line, _("record"): change.record, _("change"): change.what}
                      for change in outcome.changes], hide_index=True, width="stretch")
        if st.button(n_("Import this {count} change", "Import these {count} changes", len(outcome.changes)),
                     type="primary"):
            try:
                imported = ui.call(roster.import_roster, data=data, send_email=ui.email_configured())
            except ValidationError as problem:
                st.session_state["roster_preview"] = (fingerprint, problem)
            else:
                st.session_state.pop("roster_preview", None)
                st.session_state["roster_imported"] = imported
            st.rerun()
elif checked is not None:
    st.caption(_("The file changed since it was checked: check it again before importing."))

imported = st.session_state.pop("roster_imported", None)
if imported is not None:
    st.success(ui.escape_markdown(imported.summary()), icon=":material/check_circle:")
    if imported.invitations:
        emailed = [invitation for invitation in imported.invitations if invitation.emailed_to]
        if emailed:
            st.info(n_("{count} one-time link is sent by email. If it does not arrive, pass on the link below "
                       "yourself.", "{count} one-time links are sent by email. If one does not arrive, pass on the "
                       "link below yourself.", len(emailed)), icon=":material/mail:")
        st.warning(_("The one-time links are shown only now: pass each on to its person (or download them) before "
                     "leaving this page. Each works once, for 7 days."), icon=":material/key:")
        links = roster.invitation_rows(imported.invitations, base_url=ui.console_base_url())
        st.dataframe(links, hide_index=True, width="stretch")
        st.download_button(_("Download the one-time links (CSV)"), data=roster.rows_csv(links), file_name="invitations.csv",
                           mime="text/csv", on_click="ignore", icon=":material/download:")
