"""One settings object, read from environment variables and `.streamlit/secrets.toml`.

Environment variables win over secrets; every name is documented in the README.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from console.core.errors import ConfigurationError
from console.core.i18n import _

DEFAULT_DATA_DIR = Path("data")
SECRETS_FILE = Path(".streamlit") / "secrets.toml"

ENVIRONMENT_VARIABLES = {
    "CONSOLE_DATABASE_URL": "SQLAlchemy URL of the database (default: SQLite file data/console.sqlite3)",
    "CONSOLE_SECRET_KEY": "Fernet keys, comma-separated, the one that encrypts first (overrides the key file)",
    "CONSOLE_KEY_FILE": "File holding the Fernet keys, one a line (default: data/console.key)",
    "CONSOLE_SESSION_MINUTES": "Minutes of inactivity before a signed-in user is signed out (default 30)",
    "CONSOLE_DEMO_MODE": "auto (default: on when the database holds the demo program), on or off",
    "CONSOLE_SMTP_HOST": "SMTP server for outgoing email (unset: notifications are off)",
    "CONSOLE_SMTP_PORT": "SMTP port (default 587 for starttls, 465 for tls, 25 for none)",
    "CONSOLE_SMTP_SECURITY": "starttls (default), tls or none",
    "CONSOLE_SMTP_USER": "SMTP user name, when the server asks for one",
    "CONSOLE_SMTP_PASSWORD": "SMTP password (environment or secrets file only)",
    "CONSOLE_MAIL_FROM": "From address of the console's email, e.g. Wellness Console <wellness@example.org>",
    "CONSOLE_BASE_URL": "The console's public address, for links in email, e.g. https://wellness.example.org",
}
SMTP_SECURITY_PORTS = {"starttls": 587, "tls": 465, "none": 25}


@dataclass(frozen=True)
class MailSettings:
    """How the console sends email; present only when CONSOLE_SMTP_HOST is set."""

    host: str
    port: int
    security: str
    user: str | None
    password: str | None
    from_address: str
    base_url: str

    @property
    def sender_domain(self) -> str:
        return parseaddr(self.from_address)[1].rpartition("@")[2]


@dataclass(frozen=True)
class Settings:
    database_url: str
    key_file: Path
    secret_key: str | None
    session_minutes: int
    demo_mode: str
    mail: MailSettings | None = None

    @property
    def keys_source(self) -> str:
        return "CONSOLE_SECRET_KEY" if self.secret_key else f"CONSOLE_KEY_FILE ({self.key_file})"


def _secrets(secrets_file: Path) -> dict[str, str]:
    if not secrets_file.is_file():
        return {}
    try:
        with secrets_file.open("rb") as handle:
            document = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigurationError(_("{file} is not valid TOML: {error}", file=str(secrets_file), error=str(error))) from error
    return {name: str(value) for name, value in document.items() if name in ENVIRONMENT_VARIABLES}


def load_settings(*, environ: dict[str, str] | None = None, secrets_file: Path = SECRETS_FILE) -> Settings:
    values = _secrets(secrets_file)
    source = os.environ if environ is None else environ
    values.update({name: source[name] for name in ENVIRONMENT_VARIABLES if source.get(name)})

    key_file = Path(values.get("CONSOLE_KEY_FILE", DEFAULT_DATA_DIR / "console.key"))
    database_url = values.get("CONSOLE_DATABASE_URL") or f"sqlite:///{DEFAULT_DATA_DIR / 'console.sqlite3'}"
    if database_url.startswith("postgresql://") or database_url.startswith("postgres://"):
        raise ConfigurationError(
            _("CONSOLE_DATABASE_URL must name the psycopg driver: write postgresql+psycopg://user@host/dbname")
        )

    minutes_text = values.get("CONSOLE_SESSION_MINUTES", "30")
    try:
        session_minutes = int(minutes_text)
    except ValueError:
        session_minutes = 0
    if not 1 <= session_minutes <= 24 * 60:
        raise ConfigurationError(
            _("CONSOLE_SESSION_MINUTES must be a whole number of minutes from 1 to 1440, not {value}",
              value=repr(minutes_text))
        )

    demo_mode = values.get("CONSOLE_DEMO_MODE", "auto").lower()
    if demo_mode not in {"auto", "on", "off"}:
        raise ConfigurationError(_("CONSOLE_DEMO_MODE must be auto, on or off, not {value}", value=repr(demo_mode)))

    return Settings(
        database_url=database_url,
        key_file=key_file,
        secret_key=values.get("CONSOLE_SECRET_KEY"),
        session_minutes=session_minutes,
        demo_mode=demo_mode,
        mail=_mail_settings(values),
    )


def _mail_settings(values: dict[str, str]) -> MailSettings | None:
    """None when no SMTP host is set (notifications off); every other mistake is refused with its fix."""
    host = values.get("CONSOLE_SMTP_HOST", "").strip()
    if not host:
        return None
    security = values.get("CONSOLE_SMTP_SECURITY", "starttls").strip().lower()
    if security not in SMTP_SECURITY_PORTS:
        raise ConfigurationError(_("CONSOLE_SMTP_SECURITY must be starttls, tls or none, not {value}",
                                   value=repr(security)))
    port_text = values.get("CONSOLE_SMTP_PORT", str(SMTP_SECURITY_PORTS[security]))
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ConfigurationError(_("CONSOLE_SMTP_PORT must be a port number from 1 to 65535, not {value}",
                                   value=repr(port_text)))
    from_address = values.get("CONSOLE_MAIL_FROM", "").strip()
    _display_name, address = parseaddr(from_address)
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError):
        address = ""
    if "@" not in address:
        raise ConfigurationError(
            _("CONSOLE_MAIL_FROM must be the console's From address, e.g. Wellness Console <wellness@example.org>")
        )
    base_url = values.get("CONSOLE_BASE_URL", "").strip().rstrip("/")
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise ConfigurationError(
            _("CONSOLE_BASE_URL must be the console's public address for links in email, e.g. "
              "https://wellness.example.org")
        )
    user = values.get("CONSOLE_SMTP_USER") or None
    password = values.get("CONSOLE_SMTP_PASSWORD") or None
    if bool(user) != bool(password):
        raise ConfigurationError(_("Set both CONSOLE_SMTP_USER and CONSOLE_SMTP_PASSWORD, or neither"))
    return MailSettings(host=host, port=int(port_text), security=security, user=user, password=password,
                        from_address=from_address, base_url=base_url)
