"""One settings object, read from environment variables and `.streamlit/secrets.toml`.

Environment variables win over secrets; every name is documented in the README.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from console.errors import ConfigurationError

DEFAULT_DATA_DIR = Path("data")
SECRETS_FILE = Path(".streamlit") / "secrets.toml"

ENVIRONMENT_VARIABLES = {
    "CONSOLE_DATABASE_URL": "SQLAlchemy URL of the database (default: SQLite file data/console.sqlite3)",
    "CONSOLE_SECRET_KEY": "Fernet keys, comma-separated, the one that encrypts first (overrides the key file)",
    "CONSOLE_KEY_FILE": "File holding the Fernet keys, one a line (default: data/console.key)",
    "CONSOLE_SESSION_MINUTES": "Minutes of inactivity before a signed-in user is signed out (default 30)",
    "CONSOLE_DEMO_MODE": "auto (default: on when the database holds the demo program), on or off",
}


@dataclass(frozen=True)
class Settings:
    database_url: str
    key_file: Path
    secret_key: str | None
    session_minutes: int
    demo_mode: str

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
        raise ConfigurationError(f"{secrets_file} is not valid TOML: {error}") from error
    return {name: str(value) for name, value in document.items() if name in ENVIRONMENT_VARIABLES}


def load_settings(*, environ: dict[str, str] | None = None, secrets_file: Path = SECRETS_FILE) -> Settings:
    values = _secrets(secrets_file)
    source = os.environ if environ is None else environ
    values.update({name: source[name] for name in ENVIRONMENT_VARIABLES if source.get(name)})

    key_file = Path(values.get("CONSOLE_KEY_FILE", DEFAULT_DATA_DIR / "console.key"))
    database_url = values.get("CONSOLE_DATABASE_URL") or f"sqlite:///{DEFAULT_DATA_DIR / 'console.sqlite3'}"
    if database_url.startswith("postgresql://") or database_url.startswith("postgres://"):
        raise ConfigurationError(
            "CONSOLE_DATABASE_URL must name the psycopg driver: write postgresql+psycopg://user@host/dbname"
        )

    minutes_text = values.get("CONSOLE_SESSION_MINUTES", "30")
    try:
        session_minutes = int(minutes_text)
    except ValueError:
        session_minutes = 0
    if not 1 <= session_minutes <= 24 * 60:
        raise ConfigurationError(
            f"CONSOLE_SESSION_MINUTES must be a whole number of minutes from 1 to 1440, not {minutes_text!r}"
        )

    demo_mode = values.get("CONSOLE_DEMO_MODE", "auto").lower()
    if demo_mode not in {"auto", "on", "off"}:
        raise ConfigurationError(f"CONSOLE_DEMO_MODE must be auto, on or off, not {demo_mode!r}")

    return Settings(
        database_url=database_url,
        key_file=key_file,
        secret_key=values.get("CONSOLE_SECRET_KEY"),
        session_minutes=session_minutes,
        demo_mode=demo_mode,
    )
