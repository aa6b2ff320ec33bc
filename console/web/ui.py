"""Shared Streamlit plumbing: the runtime, the signed-in user, service calls and small widgets.

Pages call services through `call`, which opens the session, passes the acting
user and turns a permission refusal into a message; pages never open sessions.
"""

from __future__ import annotations

import gc
import html
import json
import logging
import re
import secrets
import sys
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

import streamlit as st
import streamlit.runtime as streamlit_runtime

from console.core import auth, clock, i18n, input_limits, invitations, program_settings, sign_in_sessions
from console.core.errors import ConfigurationError, PermissionDenied, SettingUnusable, ValidationError
from console.core.keys import activate_keys
from console.core.logs import configure_logging, log_unexpected_error
from console.core.runtime import Runtime, open_runtime
from console.core.settings import Settings, load_settings
from console.fieldwork import trainings
from console.program.reports import Table, csv_bytes
from console.supervision.shared_view import CHANGE_WORDS, LEVEL_WORDS, NO_TEAM_LABEL, SupervisorView, band_text
from console.web import chart_text, charts
from console.wellness import wellness_plans
from db.engine import session_scope
from db.models import User
from db.state import data_version
from scoring.phrases import Phrase

Result = TypeVar("Result")

USER_KEY = "signed_in_user_id"
TOKEN_KEY = "_sign_in_token"
COOKIE_WRITE_KEY = "_session_cookie_to_write"
SESSION_COOKIE = "wellness_console_session"
START_OVER_KEY = "_start_over"
"""Set by signing out: the next sign-in starts on the start page, not on the page the last person left."""
LAST_SEEN_KEY = "last_activity_at"
NOTICE_KEY = "sign_in_notice"
LANGUAGE_KEY = "signed_out_language"
"""The language chosen on the sign-in page, before anyone is signed in."""

ROLE_LABELS = {"peer": i18n.N_("Peer"), "supervisor": i18n.N_("Supervisor"), "lead": i18n.N_("Program lead"),
               "admin": i18n.N_("Admin")}
"""Each role's name, in English (translated where shown)."""
SEVERITY_MARKS = {"urgent": ("red", i18n.N_("Urgent")), "attention": ("orange", i18n.N_("Attention")),
                  "info": ("blue", i18n.N_("Info"))}
"""Each flag severity: its colour and its word (translated where shown)."""
CRISIS_LINE = i18n.N_("988 Suicide & Crisis Lifeline — call or text **988**, any time.")
"""Translated where shown: `crisis_line()`."""

PAGE_STYLE = """
.stApp [data-testid="stCaptionContainer"], .stApp [data-testid="stMarkdown"] blockquote { opacity: 1; color: #4b5553; }
.stApp [data-testid="InputInstructions"] { opacity: 1; color: #4b5553; }
.stApp [data-testid="stHeading"] h2 { font-size: 1.6rem; padding: .75rem 0 .75rem; }
.support-strip { border: 1px solid #c9d3cf; border-radius: .5rem; padding: .35rem .6rem; margin-bottom: .5rem;
  background: #ffffff; font-size: .95rem; line-height: 1.35; color: #25302e; }
.support-strip p { margin: 0; }
.support-strip .support-links { display: flex; flex-wrap: wrap; gap: .25rem .5rem; margin: .2rem 0; padding: 0;
  list-style: none; }
.support-strip a { display: inline-flex; align-items: center; min-height: 44px; padding: 0 .6rem;
  border-radius: .5rem; border: 1px solid #2f6f6a; color: #1f4f4b; font-weight: 600; text-decoration: none; }
.support-strip a:focus-visible { outline: 3px solid #1f4f4b; outline-offset: 2px; }
.support-strip .contact { color: #25302e; white-space: pre-wrap; overflow-wrap: anywhere; }
.stApp [data-testid="stTable"] > div { overflow: visible; }
.stApp [data-testid="stTable"] th, .stApp [data-testid="stTable"] td { white-space: normal; overflow-wrap: anywhere; }
"""
"""Every page: captions dark enough for 4.5:1 on the page background, the support strip, and static tables
that wrap their cells to the screen instead of scrolling sideways (a scrolling region with nothing to focus
cannot be scrolled from the keyboard)."""

PRINT_ONLY_CONTENT = """
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stSidebarCollapsedControl"], [data-testid="stBottom"], .support-strip, .stButton,
  .stDownloadButton, .stLinkButton, .stPageLink, [data-testid="stSegmentedControl"], .stSegmentedControl,
  [data-testid="stElementToolbar"], [class*="st-key-no_print"] { display: none !important; }
  [data-testid="stMain"], [data-testid="stMainBlockContainer"], .main .block-container {
    padding: 0 !important; margin: 0 !important; max-width: 100% !important; }
  body, .stApp { background: #ffffff !important; color: #000000 !important; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  [data-testid="stVerticalBlockBorderWrapper"], [data-testid="stText"], pre { break-inside: avoid;
    page-break-inside: avoid; }
  [data-testid="stText"], pre { white-space: pre-wrap !important; font-family: inherit !important; }
}
"""
"""Injected by a printable page: the printout holds the page's content only, no menu, buttons or strip."""


@st.cache_resource(show_spinner=False)
def _runtime_for(database_url: str, keys_source: str, session_minutes: int, demo_mode: str) -> Runtime:
    return open_runtime(load_settings())


def runtime() -> Runtime:
    """The opened console, or a stop with the message naming the setting to fix."""
    try:
        settings: Settings = load_settings()
        opened = _runtime_for(settings.database_url, settings.keys_source, settings.session_minutes, settings.demo_mode)
        activate_keys(settings)
    except ConfigurationError as error:
        st.error(escape_markdown(i18n._("The console cannot start. {problem}", problem=str(error))))
        st.stop()
    return opened


def call(service: Callable[..., Result], /, **arguments: Any) -> Result:
    """Run one service as the signed-in user; a refusal, or a program setting the service cannot use,
    stops the page with its reason."""
    with session_scope(runtime().engine) as session:
        try:
            return service(session, actor=signed_in_user(), **arguments)
        except PermissionDenied as refusal:
            st.error(escape_markdown(str(refusal)))
            st.stop()
        except SettingUnusable as problem:
            setting_problem(problem)
            st.stop()


def setting_problem(problem: SettingUnusable) -> None:
    st.warning(escape_markdown(str(problem)), icon=":material/build:")


def run_page(page: Any, *, crisis_line: bool) -> None:
    """Run the chosen page; an error nobody expected shows a calm message with an error id, and is logged
    with that id and its stack (never its message: it may carry the values it was given). A page with the
    crisis line (every peer page) starts with the support strip."""
    configure_logging()
    st.html(f"<style>{PAGE_STYLE}</style>")
    page_language()
    try:
        if crisis_line:
            support_strip()
        page.run()
    except ConfigurationError as problem:
        error_id = uuid.uuid4().hex[:10]
        log_unexpected_error(problem, error_id=error_id, page=page.title)
        st.error(i18n._("The console cannot do this right now because of how it is set up; nothing was saved. "
                        "Please tell your program's administrator (error id {error_id}): {problem}",
                        error_id=error_id, problem=escape_markdown(str(problem))),
                 icon=":material/build:")
        if crisis_line:
            st.info(crisis_line_text(), icon=":material/favorite:")
    except Exception as error:
        error_id = uuid.uuid4().hex[:10]
        log_unexpected_error(error, error_id=error_id, page=page.title)
        unexpected_error_message(error_id=error_id, crisis_line=crisis_line)
    finally:
        _freeze_imports()


_frozen_modules = 0
_freeze_lock = threading.Lock()


def _freeze_imports() -> None:
    """After a run that imported modules, move every object alive into the collector's permanent generation.

    Streamlit, Altair, pandas and SQLAlchemy leave a few hundred thousand long-lived objects; without this, the
    full collection a page's own allocations set off walks all of them (about 150 ms in the middle of a lead
    page). The young generations are collected first (quick: the old one is not walked), so little garbage is
    kept; imports are rare, so this runs a few times per process.
    """
    global _frozen_modules
    with _freeze_lock:
        if len(sys.modules) == _frozen_modules:
            return
        gc.collect(1)
        gc.freeze()
        _frozen_modules = len(sys.modules)


def page_language() -> None:
    """The document's `lang` in the language of this run, so screen readers speak the page in it (WCAG 3.1.1).
    Streamlit serves one `<html lang="en">` for every page; a tiny script sets it, in an element kept out of
    the layout."""
    language = json.dumps(i18n.current_language())
    st.html('<style>.stApp [data-testid="stElementContainer"]:has(script[data-page-language]) { display: none; }'
            f"</style><script data-page-language>document.documentElement.lang = {language};</script>",
            unsafe_allow_javascript=True)


def _support_contact() -> str | None:
    """The program's support contact for the error message, or None when the database is what failed."""
    try:
        return call_anonymous(program_settings.read_settings).support_contact
    except Exception:
        return None


def crisis_line_text() -> str:
    """The 988 line, in the reader's language."""
    return i18n._(CRISIS_LINE)


SUPPORT_LINKS = (
    ("tel:988", i18n.N_("Call 988"), i18n.N_("Call 988, the Suicide and Crisis Lifeline"), None),
    ("sms:988", i18n.N_("Text 988"), i18n.N_("Text 988, the Suicide and Crisis Lifeline"), None),
    ("tel:988", "Español", "En español: llame al 988 y marque 2", "es"),
    ("sms:988?&body=AYUDA", "AYUDA", "En español por texto: envíe AYUDA al 988", "es"),
)


def support_strip_html(contact: str | None) -> str:
    """988 (call, text, in Spanish) and the program's contact, as one compact block that needs no menu.

    The contact is the admin's text, escaped: shown exactly as typed."""
    _ = i18n._
    links = "".join(
        f'<li><a href="{href}" aria-label="{html.escape(_(label) if lang is None else label)}" '
        f'lang="{lang or i18n.current_language()}">{html.escape(_(text) if lang is None else text)}</a></li>'
        for href, text, label, lang in SUPPORT_LINKS
    )
    contact_label = html.escape(_("Your program's support:"))
    contact_line = (f'<p><span>{contact_label}</span> <span class="contact">{html.escape(contact)}</span></p>'
                    if contact else "")
    strip_label = html.escape(_("Support, any time"))
    heading = _("<strong>Need support now?</strong> 988 Suicide &amp; Crisis Lifeline, any time:")
    return (f'<aside class="support-strip" aria-label="{strip_label}"><p>{heading}</p>'
            f'<ul class="support-links">{links}</ul>{contact_line}</aside>')


def support_strip() -> None:
    st.html(support_strip_html(_support_contact()))


def print_only_content() -> None:
    """Make the browser's print command print this page's content alone (see PRINT_ONLY_CONTENT)."""
    st.html(f"<style>{PRINT_ONLY_CONTENT}</style>")


def program_zone() -> str:
    """The program's time zone name, for `show_time`."""
    try:
        return call_anonymous(program_settings.read_settings).time_zone
    except Exception:
        return "UTC"


def show_time(moment: datetime) -> str:
    """A moment as every page shows it: date and time on the program's clock, with the zone."""
    return i18n.show_time(moment, zone_name=program_zone())


show_date = i18n.show_date


def program_language() -> str:
    """The program's default language."""
    try:
        return call_anonymous(program_settings.read_settings).language
    except Exception:
        return i18n.SOURCE_LANGUAGE


def apply_language(user: User | None) -> None:
    """This run's language: the person's own choice, else (signed out) the one chosen on the sign-in page,
    else the program's."""
    chosen = user.language if user is not None else st.session_state.get(LANGUAGE_KEY)
    i18n.set_language(chosen or program_language())


def chart(figure: Any, text: chart_text.ChartText, *, width: Literal["stretch", "content"] | int = "stretch") -> None:
    """A chart with its text alternative: the summary is the chart's accessible description and is shown
    beneath it, and "Show as a table" holds the same figures as rows."""
    st.altair_chart(charts.drawable(charts.in_reader_language(figure.properties(description=text.summary))),
                    width=width)
    st.markdown(escape_markdown(text.summary))
    if text.rows:
        with st.expander(i18n._("Show as a table")):
            st.dataframe(list(text.rows), hide_index=True)


def chart_with_summary(figure: Any, summary: str, *, width: Literal["stretch", "content"] | int | None = None) -> None:
    """A chart whose table is already beside it on the page: the summary is its accessible description
    and is shown beneath it."""
    st.altair_chart(charts.drawable(charts.in_reader_language(figure.properties(description=summary))),
                    width=width)
    st.markdown(escape_markdown(summary))


def unexpected_error_message(*, error_id: str, crisis_line: bool) -> None:
    contact = _support_contact()
    st.error(
        i18n._("Something went wrong on this page. Error id: **{error_id}**.", error_id=error_id),
        icon=":material/sentiment_dissatisfied:",
    )
    st.write(i18n._("Anything you did not see confirmed as saved was not saved. Try again in a moment (reload the "
                    "page). If it keeps happening, tell your program's support contact or administrator and give "
                    "them the error id."))
    if contact:
        st.caption(i18n._("Your program's support contact"))
        st.text(contact)
    if crisis_line:
        st.info(crisis_line_text(), icon=":material/favorite:")


@st.cache_data(ttl=900, max_entries=500, show_spinner=False)
def _cached_result(service_name: str, actor_id: int, data_version: int, language: str, arguments: tuple) -> Any:
    """A cached service result, kept per language too: results carry translated words."""
    service = _CACHEABLE[service_name]
    with i18n.use_language(language), session_scope(runtime().engine) as session:
        return service(session, actor=session.get(User, actor_id), **dict(arguments))


_CACHEABLE: dict[str, Callable[..., Any]] = {}


def cached_call(service: Callable[..., Result], /, **arguments: Any) -> Result:
    """Like `call`, for aggregate reads that write no audit event: the result is cached until
    any write commits (every write transaction moves the data version, in commit order).

    Never use it for a read of one person's wellness data: that read must be audited each time.
    """
    name = f"{service.__module__}.{service.__qualname__}"
    _CACHEABLE[name] = service
    version = call_anonymous(data_version)
    try:
        return _cached_result(name, signed_in_user().id, version, i18n.current_language(),
                              tuple(sorted(arguments.items())))
    except PermissionDenied as refusal:
        st.error(escape_markdown(str(refusal)))
        st.stop()
    except SettingUnusable as problem:
        setting_problem(problem)
        st.stop()


def call_anonymous(service: Callable[..., Result], /, **arguments: Any) -> Result:
    """Run a service that needs no signed-in user (signing in itself)."""
    with session_scope(runtime().engine) as session:
        return service(session, **arguments)


def single_sign_on_configured() -> bool:
    """True when `.streamlit/secrets.toml` has an `[auth]` section for st.login."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def signed_in_user() -> User:
    user = st.session_state.get("_current_user")
    if user is None:
        st.stop()
    return user


def restore_session(settings: Settings) -> User | None:
    """The signed-in user for this run, after the idle timeout and a check that the sign-in and the account
    still hold. A new tab or a reload has no session state yet: its sign-in comes from the session cookie."""
    token = st.session_state.get(TOKEN_KEY)
    user_id = st.session_state.get(USER_KEY)
    cookie = st.context.cookies.get(SESSION_COOKIE)
    from_cookie = token is None and user_id is None and isinstance(cookie, str) and bool(cookie)
    if from_cookie:
        token = cookie
    if token is None and user_id is None:
        return None
    if not from_cookie and _idle_too_long(settings.session_minutes):
        sign_out(notice=_idle_notice(settings.session_minutes), revoke=False)
        return None
    if token is not None:
        user = call_anonymous(sign_in_sessions.resolve, token=token, idle=timedelta(minutes=settings.session_minutes))
    else:
        user = call_anonymous(auth.current_user, user_id=user_id)
    if user is None:
        if from_cookie:
            _forget_cookie()
        else:
            sign_out(notice=Phrase.of(i18n.N_("You are signed out: you signed out elsewhere, the sign-in expired, "
                                              "or the account is no longer active.")))
        return None
    if from_cookie:
        st.session_state[USER_KEY] = user.id
        st.session_state[TOKEN_KEY] = token
        _grant_downloads()
    st.session_state[LAST_SEEN_KEY] = clock.now()
    st.session_state["_current_user"] = user
    return user


def write_session_cookie() -> None:
    """Hand the browser the session cookie set or cleared by this session's last sign-in or sign-out.

    Streamlit can read request cookies (`st.context.cookies`) but not set them, so a few lines of JavaScript
    set it: such a cookie cannot be HttpOnly. It is SameSite=Strict, Secure when the console is served over
    HTTPS, and its path is only the address of Streamlit's connection, the one request that reads it.
    """
    # Always one element here, empty or not: an element that is there on one run and gone on the next moves
    # everything after it, and the browser then rebuilds every field below, dropping a time or date typed
    # while the run was under way (a call-out's time, typed right after its day changed).
    slot = st.empty()
    pending = st.session_state.pop(COOKIE_WRITE_KEY, None)
    if pending is None:
        return
    value, max_age = pending
    secure = "; Secure" if (st.context.url or "").startswith("https://") else ""
    base_path = str(st.get_option("server.baseUrlPath") or "").strip("/")
    path = f"/{base_path}/_stcore/stream" if base_path else "/_stcore/stream"
    cookie = f"{SESSION_COOKIE}={value}; Path={path}; Max-Age={max_age}; SameSite=Strict{secure}"
    slot.html(f"<script>document.cookie = {json.dumps(cookie)};</script>", unsafe_allow_javascript=True)


def _forget_cookie() -> None:
    st.session_state[COOKIE_WRITE_KEY] = ("", 0)


IDLE_CHECK_SECONDS = 15


def _idle_too_long(session_minutes: int) -> bool:
    last_seen: datetime | None = st.session_state.get(LAST_SEEN_KEY)
    return last_seen is not None and clock.now() - last_seen > timedelta(minutes=session_minutes)


def _idle_notice(session_minutes: int) -> Phrase:
    return Phrase.of(i18n.N_("You were signed out after {minutes} minutes without activity."), minutes=session_minutes)


@st.fragment(run_every=IDLE_CHECK_SECONDS)
def idle_watch(session_minutes: int) -> None:
    """A timer on every signed-in page: once the idle timeout passes, sign out and take the data off the screen,
    without waiting for a click. Its own runs are not activity (only full runs of the page are)."""
    if _idle_too_long(session_minutes):
        sign_out(notice=_idle_notice(session_minutes), revoke=False)
        st.rerun(scope="app")


def start_session(user: User) -> None:
    """Sign this tab in and give the browser a session cookie, so reloads and new tabs stay signed in."""
    token = call_anonymous(sign_in_sessions.start, user=user)
    st.session_state[TOKEN_KEY] = token
    st.session_state[COOKIE_WRITE_KEY] = (token, int(sign_in_sessions.ABSOLUTE_LIFETIME.total_seconds()))
    st.session_state[USER_KEY] = user.id
    st.session_state[LAST_SEEN_KEY] = clock.now()
    st.session_state.pop(NOTICE_KEY, None)
    _grant_downloads()


def sign_out(*, notice: Phrase | None = None, revoke: bool = True) -> None:
    """Forget everything this browser session held, including the organization sign-in and its downloads.

    The `notice` is shown on the sign-in page, in the language that page speaks; a language chosen there
    before signing in is kept.

    `revoke` ends the session token too, so every tab using it is signed out at its next click; the idle
    timer does not revoke, because another tab of the same browser may still be in use (the token then
    signs this tab in again, and ends by itself once no tab uses it for the idle timeout).
    """
    _revoke_downloads()
    token = st.session_state.get(TOKEN_KEY)
    if revoke and token:
        call_anonymous(sign_in_sessions.end, token=token)
    for key in list(st.session_state.keys()):
        if key != LANGUAGE_KEY:
            del st.session_state[key]
    if revoke:
        _forget_cookie()
        st.session_state[START_OVER_KEY] = True
    if notice:
        st.session_state[NOTICE_KEY] = notice
    if single_sign_on_configured() and st.user.is_logged_in:
        st.logout()


def require_role(role: str) -> User:
    """Stop a page reached by someone without the role it serves."""
    user = signed_in_user()
    if not user.has_role(role):
        st.error(i18n._("This page is for the {role} role, which your account does not have.",
                        role=i18n._(ROLE_LABELS[role]).lower()))
        st.stop()
    return user


def form_token(form_name: str) -> str:
    """An idempotency key that stays the same across reruns of one form render."""
    key = f"_token_{form_name}"
    if key not in st.session_state:
        st.session_state[key] = uuid.uuid4().hex
    return st.session_state[key]


def renew_form_token(form_name: str) -> None:
    st.session_state.pop(f"_token_{form_name}", None)


def plain_text(text: str) -> None:
    """Show user-written text exactly as written: never as Markdown or HTML."""
    st.text(text)


_MARKDOWN_SIGNIFICANT = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: str) -> str:
    """User- or admin-written text (a name, a team) made literal for a string that Streamlit renders as Markdown.

    Every ASCII punctuation character gets a backslash (CommonMark allows that for all of them), which also
    defuses HTML tags, links, images, `:color[...]` and `:material/...:` directives and `$` math. Line breaks
    become spaces: a name is one line.
    """
    return _MARKDOWN_SIGNIFICANT.sub(r"\\\1", text).replace("\r", " ").replace("\n", " ")


def console_base_url() -> str:
    """The console's address as the admin's browser reached it, for links handed on to people."""
    parts = urlsplit(st.context.url or "http://localhost:8501")
    base_path = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{parts.scheme}://{parts.netloc}" + (f"/{base_path}" if base_path else "")


def email_configured() -> bool:
    """True when the console sends email (CONSOLE_SMTP_HOST is set)."""
    return runtime().settings.mail is not None


def show_invitation(invitation: invitations.IssuedInvitation) -> None:
    """The one time an invitation's code is shown: for the admin to pass on, never stored or shown again.
    When it was emailed, the page says so and keeps the link folded away, for when the email does not arrive."""
    _ = i18n._
    new_account = invitation.purpose == invitations.NEW_ACCOUNT
    username = escape_markdown(invitation.username)
    until = show_time(invitation.expires_at)
    if invitation.emailed_to:
        address = escape_markdown(invitation.emailed_to)
        st.success(_("The one-time link for a new account ({username}) is sent by email to {address}, valid until "
                     "{until}. The person opens it and chooses their own password; it works once.",
                     username=username, address=address, until=until) if new_account else
                   _("The one-time link for a password reset ({username}) is sent by email to {address}, valid "
                     "until {until}. The person opens it and chooses their own password; it works once.",
                     username=username, address=address, until=until), icon=":material/mail:")
        with st.expander(_("The email did not arrive? Pass the link on yourself (shown only now)")):
            _invitation_link(invitation)
        return
    st.success(_("One-time link for a new account ({username}), valid until {until}. Pass it on now: it is not "
                 "shown again. The person opens it and chooses their own password; it works once.",
                 username=username, until=until) if new_account else
               _("One-time link for a password reset ({username}), valid until {until}. Pass it on now: it is not "
                 "shown again. The person opens it and chooses their own password; it works once.",
                 username=username, until=until), icon=":material/key:")
    _invitation_link(invitation)


def _invitation_link(invitation: invitations.IssuedInvitation) -> None:
    st.code(invitation.url(console_base_url()), language=None, wrap_lines=True)
    st.caption(i18n._("Or they choose “I have a one-time code” on the sign-in page and enter this code:"))
    st.code(invitation.code, language=None)


def support_resources(*, contact: str, prominent: bool = False) -> None:
    """988 and the program's own contact; the contact is shown as plain text, as the admin typed it."""
    with st.container(border=True):
        show = st.warning if prominent else st.info
        show(crisis_line_text(), icon=":material/favorite:")
        st.caption(i18n._("Your program's support contact"))
        st.text(contact)


def report_table(table: Table) -> None:
    """A lead table as shown, with the button that downloads exactly it (de-identified) as CSV."""
    st.dataframe(table.frame(), hide_index=True, width="stretch")
    private_download(**table.download())


class DownloadRefused(Exception):
    """A download asked for after its session signed out."""


_download_grants: set[str] = set()
_grants_lock = threading.Lock()
DOWNLOAD_GRANT_KEY = "_download_grant"
_MEDIA_LOGGERS = ("streamlit.runtime.media_file_manager", "streamlit.runtime.memory_media_file_storage",
                  "streamlit.runtime.backend_operation_handler")


class _NoMediaIds(logging.Filter):
    """Drop Streamlit's log lines that name a media or download file id (they are its URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING and "file_id" not in str(record.msg)


for _logger_name in _MEDIA_LOGGERS:
    _logger = logging.getLogger(_logger_name)
    if not any(isinstance(existing, _NoMediaIds) for existing in _logger.filters):
        _logger.addFilter(_NoMediaIds())


def _grant_downloads() -> str:
    grant = secrets.token_hex(16)
    with _grants_lock:
        _download_grants.add(grant)
    st.session_state[DOWNLOAD_GRANT_KEY] = grant
    return grant


def _revoke_downloads() -> None:
    """End this sign-in's downloads: refuse pending buttons and drop files already produced.

    Produced files belong to no session, so this also drops one another session produced in the same instant;
    that person presses the button again.
    """
    grant = st.session_state.get(DOWNLOAD_GRANT_KEY)
    with _grants_lock:
        _download_grants.discard(grant)
    if streamlit_runtime.exists():
        media = streamlit_runtime.get_instance().media_file_mgr
        # A produced download belongs to no session; the first pass marks it, the second deletes it.
        media.remove_orphaned_files()
        media.remove_orphaned_files()


def private_download(label: str, *, data: Callable[[], str | bytes], file_name: str, mime: str,
                     key: str | None = None, icon: str | None = None,
                     type: Literal["primary", "secondary", "tertiary"] = "secondary") -> None:
    """A download button whose content is produced only when pressed, and only while this sign-in lasts.

    Streamlit serves a download from an unauthenticated media URL. Passing a callable keeps the content out of
    the page until the button is pressed; the callable refuses once this session has signed out (or timed
    out), and sign-out drops produced files, so a URL from the browser's download history stops working.
    """
    grant = st.session_state.get(DOWNLOAD_GRANT_KEY) or _grant_downloads()

    def produce() -> str | bytes:
        with _grants_lock:
            live = grant in _download_grants
        if not live:
            raise DownloadRefused(i18n._("This download ended with the sign-in that offered it."))
        content = data()
        return csv_bytes(content) if mime == "text/csv" else content

    st.download_button(label, data=produce, file_name=file_name, mime=mime, key=key, icon=icon, type=type,
                       on_click="ignore")


def demo_banner() -> None:
    st.caption(":material/science: " + i18n._("Demo program — synthetic people and data."))


def show_supervisor_view(view: SupervisorView, *, compact: bool) -> None:
    """Render what a SupervisorView holds and nothing else: a prep card when `compact`, else the full detail.

    Used by the supervisor's pages and by the peer's "what my supervisor sees" preview.
    """
    _ = i18n._
    shares = (_("administrative supervision: completion and workload only") if view.administrative_only
              else _("shares {level}", level=_(LEVEL_WORDS[view.level])))
    st.caption(f"{escape_markdown(view.team or _(NO_TEAM_LABEL))} · {shares}")
    for request in view.reach_outs:
        st.warning(_("Asked to be reached out to on {moment}.", moment=show_time(request.created_at)),
                   icon=":material/campaign:")
    for flag in view.flags:
        severity, reason = st.columns([1, 6], vertical_alignment="top")
        colour, word = SEVERITY_MARKS[flag.severity]
        severity.markdown(f":{colour}[**{_(word)}**]")
        with reason:
            plain_text(_("{reason} Suggests {function} supervision.", reason=i18n.render(flag.reason),
                         function=_function_word(flag.suggested_function)))
    if not view.flags:
        st.write(_("No flags this week."))

    completion = view.completion
    session_text = (_("{day} ({functions})", day=show_date(view.last_session.held_on),
                      functions=", ".join(_function_word(function) for function in view.last_session.functions))
                    if view.last_session else _("none in the last four months"))
    checkins = _("{done} of the last {weeks} weeks", done=completion.weeks_checked_in, weeks=completion.weeks_in_window)
    if completion.checkin_overdue:
        checkins = _("{checkins} — overdue", checkins=checkins)
    assessment = _("due") if completion.assessment_due else _("up to date")
    if completion.last_assessment_on:
        assessment = _("{state}, last on {day}", state=assessment, day=show_date(completion.last_assessment_on))
    status, wellness = st.columns(2)
    with status:
        st.markdown("  \n".join([
            _("**Check-ins:** {checkins}", checkins=checkins),
            _("**Self-assessment:** {assessment}", assessment=assessment),
            _("**Workload:** {caseload}", caseload=view.caseload_note),
            _("**Action items:** {open} open, {overdue} overdue", open=view.action_items_open,
              overdue=view.action_items_overdue),
            _("**Last supervision session:** {session}", session=session_text),
        ]))
    with wellness:
        lines = list(view.trend_lines()) if compact else []
        if view.strain_average is not None and view.strain_period is not None:
            first, last = view.strain_period
            lines.append(_("**Check-in strain, average of the weeks of {first} to {last}:** {average} (0 easiest, "
                           "100 hardest)", first=show_date(first), last=show_date(last),
                           average=format(view.strain_average, "g")))
        if view.exposure_counts is not None:
            lines.append(_("**Exposures, last {days} days:** {exposures}", days=view.exposure_window_days,
                           exposures="; ".join(view.exposure_lines()) or _("none reported")))
        if lines:
            st.markdown("  \n".join(lines))

    if not compact:
        _show_trends(view)
    if view.shared_notes:
        st.markdown(_("**Notes shared with the supervisor**"))
        for note in view.shared_notes[-2:] if compact else view.shared_notes:
            st.caption(_("Week of {week}", week=show_date(note.week_start)))
            plain_text(note.text)
    if view.shared_plan:
        st.markdown(_("**Wellness plan (shared)**"))
        titles = {section.key: i18n._(section.title) for section in wellness_plans.SECTIONS}
        for key, text in view.shared_plan.items():
            if text:
                st.caption(_(titles[key]) if key in titles else key)
                plain_text(text)


def _function_word(function: str) -> str:
    """A supervision function in the reader's language, lower case ("supportive")."""
    labels = {"administrative": i18n.N_("administrative"), "educational": i18n.N_("educational"),
              "supportive": i18n.N_("supportive")}
    return i18n._(labels[function]) if function in labels else function


def _change_words(direction: str | None) -> str:
    return "" if direction is None else i18n._(CHANGE_WORDS.get(direction, direction))


def _show_trends(view: SupervisorView) -> None:
    _ = i18n._
    if view.assessments:
        st.write(_("**Self-assessments** (scores and bands)") if view.shows_scores
                 else _("**Self-assessments** (bands only)"))
        summary = chart_text.scale_trend(view.assessments, scales=view.scales, show_scores=view.shows_scores).summary
        chart_with_summary(charts.scale_trend(view.assessments, scales=view.scales, show_scores=view.shows_scores,
                                              ranges=view.ranges), summary, width="stretch")
        changes = {(change.scale, change.later): change.direction for change in view.changes or ()}
        st.dataframe(
            [
                {_("taken on"): point.taken_on, _("scale"): point.label, _("band"): band_text(point.band),
                 **({_("score"): point.raw} if view.shows_scores else {}),
                 _("change since the one before"): _change_words(changes.get((point.scale, point.taken_on)))}
                for point in reversed(view.assessments)
            ],
            hide_index=True,
        )
    if view.strain_trend:
        st.write(_("**Weekly check-in strain** (0 easiest, 100 hardest)"))
        chart(charts.strain_trend(view.strain_trend, baseline=None), chart_text.strain(view.strain_trend, baseline=None))
    if view.pulse_weeks:
        st.write(_("**Check-ins**"))
        st.dataframe(
            [
                {_("week of"): week.week_start, _("kinds of exposure reported"): week.exposures,
                 **({_("strain (0–100)"): week.strain} if view.shows_scores else {})}
                for week in reversed(view.pulse_weeks)
            ],
            hide_index=True,
        )
    if view.workload:
        st.write(_("**Workload**"))
        st.dataframe(
            [
                {_("week of"): week.week_start, _("caseload"): week.caseload, _("hours"): week.hours,
                 _("after-hours call-outs"): week.after_hours_callouts,
                 _("hours outside the peer role"): week.hours_outside_role}
                for week in reversed(view.workload)
            ],
            hide_index=True,
        )


TRAINING_PROBLEMS = "training_problems"


def training_form(*, person_id: int, key: str) -> None:
    """Record a training or certification for `person_id` (the peer's own, or a supervisee's)."""
    problems: dict[str, str] = st.session_state.get(f"{TRAINING_PROBLEMS}_{key}", {})

    def field_problem(name: str) -> None:
        if name in problems:
            st.error(escape_markdown(problems[name]), icon=":material/error:")

    today = clock.today()
    with st.form(f"training_{key}_{person_id}"):
        kind = st.selectbox(i18n._("Kind"), options=list(trainings.KINDS),
                            format_func=lambda code: i18n._(trainings.KINDS[code]), key=f"training_{key}_kind")
        field_problem("kind")
        name = st.text_input(i18n._("Name (optional unless the kind is Other)"), key=f"training_{key}_name",
                             help=i18n._("For example the course title or the certifying board. Up to {limit} "
                                         "characters.", limit=input_limits.TRAINING_NAME.limit))
        field_problem("name")
        dates = st.columns(2)
        completed_on = dates[0].date_input(i18n._("Completed on"), value=None, max_value=today,
                                           key=f"training_{key}_done")
        renews_on = dates[1].date_input(i18n._("Renewal or expiry (optional)"), value=None,
                                        min_value=input_limits.EARLIEST_DATE, key=f"training_{key}_renews")
        with dates[0]:
            field_problem("completed_on")
        with dates[1]:
            field_problem("renews_on")
        submitted = st.form_submit_button(i18n._("Save the training"), type="primary")
    if submitted:
        try:
            call(trainings.record_training, person_id=person_id, kind=kind, name=name, completed_on=completed_on,
                 renews_on=renews_on)
        except ValidationError as problem:
            st.session_state[f"{TRAINING_PROBLEMS}_{key}"] = problem.problems or {"kind": str(problem)}
        else:
            st.session_state.pop(f"{TRAINING_PROBLEMS}_{key}", None)
            st.toast(i18n._("Training saved."), icon=":material/check_circle:")
        st.rerun()


def training_list(entries: list[trainings.TrainingEntry], *, key: str) -> None:
    """A person's training records, with the renewal state of each and a way to remove a mistaken one."""
    if not entries:
        st.write(i18n._("No trainings recorded yet."))
        return
    for entry in entries:
        facts = [i18n._(trainings.KINDS[entry.kind]),
                 i18n._("completed {day}", day=i18n.show_date(entry.completed_on))]
        if entry.lapsed and entry.renews_on is not None:
            facts.append(i18n._("renewal was due {day}", day=i18n.show_date(entry.renews_on)))
        elif entry.renews_on is not None:
            facts.append(i18n._("renews {day} (soon)", day=i18n.show_date(entry.renews_on)) if entry.renewal_due
                         else i18n._("renews {day}", day=i18n.show_date(entry.renews_on)))
        columns = st.columns([5, 1], vertical_alignment="center")
        columns[0].markdown(f"**{escape_markdown(entry.name)}**  \n" + " · ".join(facts))
        if columns[1].button(i18n._("Remove"), key=f"training_{key}_remove_{entry.id}",
                             help=i18n._("Remove a record entered by mistake.")):
            call(trainings.remove_training, record_id=entry.id)
            st.rerun()
def wide_page() -> None:
    """Use the browser's full width on this page (the lead pages' wide tables); other pages stay centred,
    because the entry point sets the centred layout again on every run."""
    st.set_page_config(layout="wide")
    st.html("<style>.stApp [data-testid=\"stMainBlockContainer\"] { padding-left: 1.5rem; padding-right: 1.5rem; "
            "max-width: 100%; }</style>")
TAP_FRIENDLY_CSS = """<style>
[data-testid="stMain"] .stElementContainer:has([data-variant="segmented_control"]),
[data-testid="stMain"] .stButtonGroup:has([data-variant="segmented_control"]) { width: 100% !important; }
[data-testid="stMain"] [role="radiogroup"]:has(> [data-variant="segmented_control"]) {
  display: grid !important; grid-auto-flow: column; grid-auto-columns: minmax(0, 1fr); width: 100%; gap: 0; }
[data-testid="stMain"] button[data-variant="segmented_control"] {
  min-height: 48px; min-width: 0; padding: 4px 2px; white-space: normal; line-height: 1.15; }
[data-testid="stMain"] button[data-variant="segmented_control"] p { font-size: 0.85rem; white-space: normal;
  overflow-wrap: anywhere; text-align: center; }
[data-testid="stMain"] button[data-variant="pills"] { min-height: 44px; }
[data-testid="stMain"] [data-testid="stCheckbox"] label { min-height: 44px; width: 100%; align-items: center; }
[data-testid="stMain"] [data-testid="stBaseButton-primary"],
[data-testid="stMain"] [data-testid="stBaseButton-secondary"] { min-height: 48px; min-width: 88px; }
[data-testid="stMain"] [data-testid="stNumberInputContainer"] { min-height: 44px; height: auto; }
[data-testid="stMain"] [data-testid="stNumberInputField"] { min-height: 44px; }
[data-testid="stMain"] [data-testid="stNumberInputContainer"] button { min-width: 44px; min-height: 44px; }
[data-testid="stMain"] [class*="st-key-tap_form"],
[data-testid="stMain"] [class*="st-key-tap_form"] [data-testid="stVerticalBlock"] { gap: 0.4rem; }
.console-announcement { padding: 0.75rem 1rem; border-radius: 0.5rem; background: #dff3e4; color: #0b4a1f;
  font-weight: 600; }
.console-announcement:focus { outline: 3px solid #0b4a1f; outline-offset: 2px; }
</style>"""


def tap_friendly() -> None:
    """Styles for a form used with a thumb: every control at least 44 CSS pixels tall, five-point scales as one row
    of equal cells that never wraps (a long label wraps inside its cell instead), and less space between the
    controls of a container whose key starts with `tap_form`."""
    st.html(TAP_FRIENDLY_CSS)


def announce(message: str) -> None:
    """A confirmation screen readers announce (role=status), which takes the keyboard focus when it appears,
    so that neither a sighted keyboard user nor a screen reader user is left at the top of the page."""
    element_id = f"announcement-{uuid.uuid4().hex[:8]}"
    st.html(
        f'<div id="{element_id}" class="console-announcement" role="status" aria-live="polite" tabindex="-1">'
        f"{html.escape(message)}</div>"
        f"<script>setTimeout(() => document.getElementById({json.dumps(element_id)})?.focus(), 50);</script>",
        unsafe_allow_javascript=True,
    )
