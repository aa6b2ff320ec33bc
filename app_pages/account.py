import streamlit as st

from console.admin import accounts
from console.core import auth
from console.core.errors import ValidationError
from console.core.i18n import LANGUAGES, _
from console.notify import notifications
from console.web import ui

user = ui.signed_in_user()
st.title(_("My account"))
st.write(_("**{name}** · username {username} · roles: {roles}", name=ui.escape_markdown(user.display_name),
           username=ui.escape_markdown(user.username),
           roles=", ".join(_(ui.ROLE_LABELS[role]).lower() for role in accounts.ROLES if role in user.roles)))

st.header(_("Language"))
language_choices = [None, *LANGUAGES]
with st.form("language"):
    chosen_language = st.selectbox(
        _("Language of the console and its emails"), options=language_choices,
        index=language_choices.index(user.language) if user.language in LANGUAGES else 0,
        format_func=lambda code: LANGUAGES[code] if code else _("The program's language ({language})",
                                                                   language=LANGUAGES[ui.program_language()]),
    )
    save_language = st.form_submit_button(_("Save language"))
if save_language:
    ui.call(accounts.choose_my_language, language=chosen_language)
    st.rerun()

st.header(_("Change password"))
with st.form("change_password", clear_on_submit=True):
    current = st.text_input(_("Current password"), type="password")
    new = st.text_input(_("New password (at least 12 characters)"), type="password")
    again = st.text_input(_("New password again"), type="password")
    submitted = st.form_submit_button(_("Change password"))
if submitted:
    if new != again:
        st.error(_("The two new passwords differ; type the same one twice."))
    else:
        try:
            ui.call(auth.change_password, current_password=current, new_password=new)
        except ValidationError as problem:
            st.error(ui.escape_markdown(str(problem)))
        else:
            st.success(_("Your password is changed."))

st.header(_("Notifications"))
if ui.runtime().settings.mail is None:
    st.info(_("Your program has not set up email yet, so the console sends none. Your choices apply once it does."))
mine = ui.call(notifications.my_notifications)
if not mine.has_address:
    st.warning(_("Your account has no email address, so no email reaches you. Ask your admin to add one."))
with st.form("notifications"):
    st.write(_("Email me when:"))
    receive = [
        choice.code for choice in mine.choices
        if st.checkbox(_("{kind} (turned off for the whole program)", kind=choice.label) if choice.off_for_program
                       else choice.label,
                       value=choice.receiving, key=f"notify_{choice.code}")
    ]
    st.caption(_("Quiet hours, on the program's clock ({zone}): email waits until they end. Leave both empty for "
                 "none.", zone=mine.time_zone))
    start_column, end_column = st.columns(2)
    quiet_start = start_column.text_input(_("Quiet hours start (HH:MM)"), value=mine.quiet_start, placeholder="21:00")
    quiet_end = end_column.text_input(_("Quiet hours end (HH:MM)"), value=mine.quiet_end, placeholder="07:00")
    save_choices = st.form_submit_button(_("Save notification choices"))
if save_choices:
    try:
        ui.call(notifications.save_my_notifications, receive=receive, quiet_start=quiet_start, quiet_end=quiet_end)
    except ValidationError as problem:
        for message in problem.problems.values() or [str(problem)]:
            st.error(ui.escape_markdown(message))
    else:
        st.success(_("Your notification choices are saved."))
