import streamlit as st

from console.admin import accounts
from console.core import clock
from console.core.errors import ValidationError
from console.core.i18n import _
from console.web import ui

admin = ui.require_role("admin")
st.title(_("Accounts"))
st.caption(_("Admins manage accounts; no admin page shows anyone's wellness data."))

MOST_SHOWN = 200
users = ui.call(accounts.list_users, on=clock.today())
teams = ui.call(accounts.list_teams, on=clock.today())
search = st.text_input(_("Find an account"), placeholder=_("name, username, role or team")).strip().lower()


def role_words(row: accounts.UserRow) -> str:
    return ", ".join(_(ui.ROLE_LABELS[role]).lower() for role in accounts.ROLES if role in row.role_set)


matching = [
    row for row in users
    if not search or search in f"{row.display_name} {row.username} {row.roles} {role_words(row)} {row.teams}".lower()
]
if len(matching) > MOST_SHOWN:
    st.caption(_("Showing {shown} of {total} accounts; search to narrow the list.", shown=MOST_SHOWN,
                 total=len(matching)))
st.dataframe(
    [
        {
            _("name"): row.display_name,
            _("username"): row.username,
            _("roles"): role_words(row),
            _("teams"): row.teams,
            _("active"): row.active,
            _("locked"): row.locked,
            _("invitation open"): row.invitation_pending,
        }
        for row in matching[:MOST_SHOWN]
    ],
    hide_index=True,
    width="stretch",
)

st.header(_("Create an account"))
CREATE_FORM = "create_account"
with st.form(CREATE_FORM, clear_on_submit=False):
    columns = st.columns(2)
    username = columns[0].text_input(_("Username"), help=_("Lower-case letters, digits, dots, dashes or underscores."))
    display_name = columns[1].text_input(_("Name people will see"))
    roles = st.multiselect(_("Roles"), options=list(accounts.ROLES), format_func=lambda role: _(ui.ROLE_LABELS[role]))
    team_names = {team.name: team.id for team in teams}
    team = st.selectbox(_("Team (optional)"), options=["—", *team_names])
    email = st.text_input(_("Email (optional): for the invitation, notifications and single sign-on"))
    st.caption(_("Nobody types a password here: the person gets a one-time link and chooses their own."))
    create = st.form_submit_button(_("Create account"), type="primary")
if create:
    try:
        created = ui.call(
            accounts.create_user, username=username, display_name=display_name, roles=roles,
            email=email or None, team_id=team_names.get(team), on=clock.today(), send_email=ui.email_configured(),
        )
    except ValidationError as problem:
        for message in problem.problems.values() or [str(problem)]:
            st.error(ui.escape_markdown(message))
    else:
        ui.show_invitation(created.invitation)

st.header(_("Manage an account"))
by_label = {f"{row.display_name} ({row.username})": row for row in matching[:MOST_SHOWN]}
chosen_label = st.selectbox(_("Account"), options=list(by_label), index=None, placeholder=_("Choose an account"))
if chosen_label:
    chosen = by_label[chosen_label]
    if not chosen.active:
        st.write(_("This account is deactivated and locked after failed sign-ins.") if chosen.locked
                 else _("This account is deactivated."))
    else:
        st.write(_("This account is active and locked after failed sign-ins.") if chosen.locked
                 else _("This account is active."))
    if chosen.active:
        if st.button(_("Deactivate account"), disabled=chosen.id == admin.id):
            ui.call(accounts.set_account_active, user_id=chosen.id, active=False, on=clock.today())
            st.rerun()
    elif st.button(_("Reactivate account")):
        ui.call(accounts.set_account_active, user_id=chosen.id, active=True, on=clock.today())
        st.rerun()
    st.caption(_("A password reset gives a one-time link with which the person chooses a new password; their "
                 "current password works until then, and they are shown the reset and the next sign-in."))
    if st.button(_("Reset password (one-time link)"), disabled=not chosen.active):
        try:
            invitation = ui.call(accounts.issue_invitation, user_id=chosen.id, on=clock.today(),
                                 send_email=ui.email_configured())
        except ValidationError as problem:
            st.error(ui.escape_markdown(str(problem)))
        else:
            ui.show_invitation(invitation)
