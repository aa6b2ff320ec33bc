"""Entry point: settings, the sign-in gate, and navigation built from the user's roles."""

import html

import streamlit as st

from console import demo
from console.core import auth, i18n, invitations
from console.core.errors import ValidationError
from console.core.i18n import LANGUAGES, N_, _, use_language
from console.web import navigation, ui
from scoring.phrases import Phrase

st.set_page_config(page_icon=":material/spa:", layout="centered")

runtime = ui.runtime()
user = ui.restore_session(runtime.settings)
ui.apply_language(user)
st.set_page_config(page_title=_("Peer Wellness Console"))
ui.write_session_cookie()

UNSUBSCRIBE = st.Page("app_pages/unsubscribe.py", title=_("Email choices"), icon=":material/unsubscribe:",
                      url_path="unsubscribe", visibility="hidden")


def role_pages(visibility: str = "visible") -> dict[str, list]:
    """Each role's pages; hidden copies serve the addresses of pages a person's roles do not include."""
    return {
        role: [st.Page(spec.script, title=_(spec.title), icon=spec.icon, url_path=spec.url_path, visibility=visibility)
               for spec in specs]
        for role, specs in navigation.ROLE_PAGES.items()
    }


ROLE_PAGES = role_pages()
SUPPORT_NOW = next(page for page in ROLE_PAGES["peer"] if page.url_path == navigation.SUPPORT_PATH)
MENU_STYLE = """<style>
.stApp [data-testid="stSidebar"] h2.menu-heading, .stApp [data-testid="stSidebar"] h3.menu-heading {
  font-size: .8rem; font-weight: 600; letter-spacing: .04em; text-transform: uppercase; color: #4b5553;
  margin: .5rem 0 0; padding: 0; line-height: 1.4; }
.stApp [data-testid="stSidebar"] h2.menu-heading.menu-role { font-size: .95rem; color: inherit; text-transform: none; }
</style>"""
"""Menu headings small and quiet, at 4.5:1 on the sidebar: they order the links, the links are the point."""


def menu_groups(role: str) -> list[tuple[str | None, list]]:
    """The role's pages under their translated menu headings (None where the role has no sections)."""
    page_of = dict(zip(navigation.ROLE_PAGES[role], ROLE_PAGES[role], strict=True))
    return [(None if heading is None else _(heading), [page_of[spec] for spec in specs])
            for heading, specs in navigation.menu_sections(role)]


def draw_menu(roles: list[str]) -> None:
    """The sidebar menu: page links under plain headings. Streamlit's own sectioned menu puts its headings
    inside the link list, which assistive technology cannot read as a list (axe: list, listitem), so the
    menu is drawn here and `st.navigation` only routes. With several roles each role is a heading and its
    sections sit under it."""
    several = len(roles) > 1
    headed = several or any(heading for role in roles for heading, _pages in menu_groups(role))
    st.html(MENU_STYLE)
    for role in roles:
        if several:
            st.html(f'<h2 class="menu-heading menu-role">{html.escape(_(ui.ROLE_LABELS[role]))}</h2>')
        for heading, pages in menu_groups(role):
            if heading is not None:
                level = 3 if several else 2
                st.html(f'<h{level} class="menu-heading">{html.escape(heading)}</h{level}>')
            for page in pages:
                st.page_link(page)
    if headed:
        st.html(f'<h2 class="menu-heading{" menu-role" if several else ""}">{html.escape(_("Account"))}</h2>')
    st.page_link(ACCOUNT)


ACCOUNT = st.Page("app_pages/account.py", title=_("My account"), icon=":material/person:", url_path="account")
EVERY_PAGE = [*(page for pages in ROLE_PAGES.values() for page in pages), ACCOUNT]


def standing_in(render, pages: list) -> list:
    """Hidden pages at the addresses of `pages` that run `render` instead: opening a page's link (from an
    email, a bookmark or a new tab) finds a page, never "Page not found", and once `render` lets the person
    through, the rerun at the same address opens the page itself."""
    return [st.Page(render, title=page.title, icon=page.icon, url_path=page.url_path, visibility="hidden")
            for page in pages]


def sign_in_page() -> None:
    if st.session_state.get(INVITATION_CODE_KEY):
        st.switch_page(SET_PASSWORD)
    st.title(_("Peer Wellness Console"))
    st.write(_("Check-ins, supervision and team wellness for peer support programs."))
    language_switch()
    notice = st.session_state.get(ui.NOTICE_KEY)
    if notice:
        st.info(ui.escape_markdown(i18n.render(notice)))
    with st.form("sign_in"):
        username = st.text_input(_("Username"), autocomplete="username")
        password = st.text_input(_("Password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(_("Sign in"), type="primary")
    if submitted:
        try:
            signed_in = ui.call_anonymous(auth.sign_in, username=username, password=password)
        except auth.SignInFailed as failure:
            st.error(ui.escape_markdown(str(failure)))
        else:
            ui.start_session(signed_in)
            st.rerun()
    if st.button(_("I have a one-time code: choose my password"), icon=":material/key:", type="tertiary"):
        st.switch_page(SET_PASSWORD)
    if ui.single_sign_on_configured():
        st.divider()
        if st.button(_("Sign in with your organization")):
            st.login()
    if runtime.demo_mode:
        st.divider()
        ui.demo_banner()
        st.markdown(_("Every demo account uses the password `{password}`.", password=demo.DEMO_PASSWORD))
        st.table({_("username"): [login.username for login in demo.DEMO_LOGINS],
                  _("who"): [_(login.description) for login in demo.DEMO_LOGINS]})


def language_switch() -> None:
    """Every language the console speaks, each named in itself; a choice applies at once, before signing in."""
    current = i18n.current_language()
    label = " · ".join(dict.fromkeys(_in(code, "Language") for code in LANGUAGES))
    chosen = st.radio(label, options=list(LANGUAGES), index=list(LANGUAGES).index(current), horizontal=True,
                      format_func=LANGUAGES.__getitem__, key=f"sign_in_language_{current}")
    if chosen != current:
        st.session_state[ui.LANGUAGE_KEY] = chosen
        st.rerun()


def _in(language: str, message: str) -> str:
    with use_language(language):
        return _(message)


def set_password_page() -> None:
    """Reached signed out, from an invitation link or by typing its code."""
    st.title(_("Choose your password"))
    code = st.session_state.get(INVITATION_CODE_KEY, "")
    pending = None
    if code:
        try:
            pending = ui.call_anonymous(invitations.pending_invitation, code=code)
        except ValidationError as problem:
            st.error(ui.escape_markdown(str(problem)))
            st.session_state.pop(INVITATION_CODE_KEY, None)
    if pending is None:
        st.write(_("Enter the one-time code your administrator gave you."))
        with st.form("invitation_code"):
            entered = st.text_input(_("One-time code"), type="password", autocomplete="one-time-code")
            if st.form_submit_button(_("Continue"), type="primary") and entered.strip():
                st.session_state[INVITATION_CODE_KEY] = entered.strip()
                st.rerun()
        return
    st.write(_("Choose the password you will sign in with. Nobody else sees it, administrators included."))
    st.text_input(_("Username"), value=pending.username, disabled=True)
    with st.form("invitation_password"):
        new = st.text_input(_("New password (at least 12 characters)"), type="password", autocomplete="new-password")
        again = st.text_input(_("New password again"), type="password", autocomplete="new-password")
        submitted = st.form_submit_button(_("Save my password"), type="primary")
    if submitted:
        if new != again:
            st.error(_("The two passwords differ; type the same one twice."))
            return
        try:
            ui.call_anonymous(invitations.accept, code=code, new_password=new)
        except ValidationError as problem:
            st.error(ui.escape_markdown(str(problem)))
            return
        st.session_state.pop(INVITATION_CODE_KEY, None)
        st.session_state[ui.NOTICE_KEY] = Phrase.of(
            N_("Your password is set. Sign in with your username and the new password."))
        st.switch_page(SIGN_IN)


def oidc_user():
    """An account mapped from the configured identity provider, if the visitor signed in there."""
    if not ui.single_sign_on_configured() or not st.user.is_logged_in:
        return None
    try:
        return ui.call_anonymous(auth.sign_in_external, email=st.user.email or "")
    except auth.SignInFailed:
        st.error(_("Your organization account is not linked to a console account. Ask your administrator."))
        return None


def change_password_page() -> None:
    st.title(_("Choose a new password"))
    st.write(_("Your account was created with a temporary password. Choose your own before you go on."))
    with st.form("first_password"):
        current = st.text_input(_("Temporary password"), type="password")
        new = st.text_input(_("New password (at least 12 characters)"), type="password")
        again = st.text_input(_("New password again"), type="password")
        submitted = st.form_submit_button(_("Save password"), type="primary")
    if submitted:
        if new != again:
            st.error(_("The two new passwords differ; type the same one twice."))
            return
        try:
            ui.call(auth.change_password, current_password=current, new_password=new)
        except ValidationError as problem:
            st.error(ui.escape_markdown(str(problem)))
        else:
            st.rerun()


INVITATION_CODE_KEY = "_invitation_code"
SIGN_IN = st.Page(sign_in_page, title=_("Sign in"), icon=":material/login:", default=True)
SET_PASSWORD = st.Page(set_password_page, title=_("Choose your password"), icon=":material/key:",
                       url_path=invitations.SET_PASSWORD_PATH)

if user is not None:
    ui.idle_watch(runtime.settings.session_minutes)
if user is None:
    if invitations.CODE_PARAMETER in st.query_params:
        # Out of the address bar and the browser history before anything else renders.
        st.session_state[INVITATION_CODE_KEY] = st.query_params[invitations.CODE_PARAMETER]
        st.query_params.clear()
    external = oidc_user()
    if external is not None:
        ui.start_session(external)
        st.rerun()
    signed_out_page = st.navigation([SIGN_IN, SET_PASSWORD, UNSUBSCRIBE, *standing_in(sign_in_page, EVERY_PAGE)])
    if st.session_state.pop(ui.START_OVER_KEY, False) and signed_out_page is not SIGN_IN:
        st.switch_page(SIGN_IN)
    ui.run_page(signed_out_page, crisis_line=False)
elif user.must_change_password:
    ui.run_page(st.navigation([st.Page(change_password_page, title=_("New password"), icon=":material/key:"),
                               *standing_in(change_password_page, EVERY_PAGE)]), crisis_line=False)
else:
    sections = {_(ui.ROLE_LABELS[role]): pages for role, pages in ROLE_PAGES.items() if user.has_role(role)}
    # Pages of other roles answer at their addresses by saying the account does not have that role.
    other_roles = [page for role, pages in role_pages("hidden").items() if not user.has_role(role) for page in pages]
    sections[_("Account")] = [ACCOUNT, UNSUBSCRIBE, *other_roles]
    # Routing only: the menu is drawn by `draw_menu`, in sections (see there why not Streamlit's).
    chosen = st.navigation(sections, position="hidden")
    with st.sidebar:
        draw_menu([role for role in ROLE_PAGES if user.has_role(role)])
        st.divider()
        st.write(_("Signed in as **{name}**", name=ui.escape_markdown(user.display_name)))
        if user.has_role("peer"):
            st.page_link(SUPPORT_NOW, label=_("Support now · 988"), icon=":material/favorite:")
        if runtime.demo_mode:
            ui.demo_banner()
        st.button(_("Sign out"), icon=":material/logout:", on_click=ui.sign_out,
                  kwargs={"notice": Phrase.of(N_("You are signed out."))})
    ui.run_page(chosen, crisis_line=any(chosen is page for page in ROLE_PAGES["peer"]))
