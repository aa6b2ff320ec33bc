"""Shared Streamlit plumbing: the runtime, the signed-in user, service calls and small widgets.

Pages call services through `call`, which opens the session, passes the acting
user and turns a permission refusal into a message; pages never open sessions.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import streamlit as st

from console import audit, auth
from console.errors import ConfigurationError, PermissionDenied
from console.keys import activate_keys
from console.runtime import Runtime, open_runtime
from console.settings import Settings, load_settings
from db.engine import session_scope
from db.models import User, utcnow

Result = TypeVar("Result")

USER_KEY = "signed_in_user_id"
LAST_SEEN_KEY = "last_activity_at"
NOTICE_KEY = "sign_in_notice"

ROLE_LABELS = {"peer": "Peer", "supervisor": "Supervisor", "lead": "Program lead", "admin": "Admin"}
CRISIS_LINE = "988 Suicide & Crisis Lifeline — call or text **988**, any time."


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
        st.error(f"The console cannot start. {error}")
        st.stop()
    return opened


def today() -> date:
    return utcnow().date()


def now() -> datetime:
    return utcnow()


def call(service: Callable[..., Result], /, **arguments: Any) -> Result:
    """Run one service as the signed-in user; a refusal stops the page with its reason."""
    with session_scope(runtime().engine) as session:
        try:
            return service(session, actor=signed_in_user(), **arguments)
        except PermissionDenied as refusal:
            st.error(str(refusal))
            st.stop()


@st.cache_data(ttl=900, max_entries=500, show_spinner=False)
def _cached_result(service_name: str, actor_id: int, data_version: int, arguments: tuple) -> Any:
    service = _CACHEABLE[service_name]
    with session_scope(runtime().engine) as session:
        return service(session, actor=session.get(User, actor_id), **dict(arguments))


_CACHEABLE: dict[str, Callable[..., Any]] = {}


def cached_call(service: Callable[..., Result], /, **arguments: Any) -> Result:
    """Like `call`, for aggregate reads that write no audit event: the result is cached until
    any write (every write adds an audit event, whose newest id keys the cache).

    Never use it for a read of one person's wellness data: that read must be audited each time.
    """
    name = f"{service.__module__}.{service.__qualname__}"
    _CACHEABLE[name] = service
    version = call_anonymous(audit.latest_event_id)
    try:
        return _cached_result(name, signed_in_user().id, version, tuple(sorted(arguments.items())))
    except PermissionDenied as refusal:
        st.error(str(refusal))
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
    """The signed-in user for this run, after the idle timeout and a check that the account is still active."""
    user_id = st.session_state.get(USER_KEY)
    if user_id is None:
        return None
    last_seen: datetime | None = st.session_state.get(LAST_SEEN_KEY)
    if last_seen is not None and now() - last_seen > timedelta(minutes=settings.session_minutes):
        sign_out(notice=f"You were signed out after {settings.session_minutes} minutes without activity.")
        return None
    user = call_anonymous(auth.current_user, user_id=user_id)
    if user is None:
        sign_out(notice="Your account is no longer active. Ask your administrator.")
        return None
    st.session_state[LAST_SEEN_KEY] = now()
    st.session_state["_current_user"] = user
    return user


def start_session(user: User) -> None:
    st.session_state[USER_KEY] = user.id
    st.session_state[LAST_SEEN_KEY] = now()
    st.session_state.pop(NOTICE_KEY, None)


def sign_out(*, notice: str | None = None) -> None:
    """Forget everything this browser session held, including the organization sign-in."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if notice:
        st.session_state[NOTICE_KEY] = notice
    if single_sign_on_configured() and st.user.is_logged_in:
        st.logout()


def require_role(role: str) -> User:
    """Stop a page reached by someone without the role it serves."""
    user = signed_in_user()
    if not user.has_role(role):
        st.error(f"This page is for the {ROLE_LABELS[role].lower()} role, which your account does not have.")
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


def support_resources(*, contact: str, prominent: bool = False) -> None:
    show = st.warning if prominent else st.info
    show(f"{CRISIS_LINE}\n\nYour program's support contact: {contact}", icon=":material/favorite:")


def demo_banner() -> None:
    st.caption(":material/science: Demo program — synthetic people and data.")
