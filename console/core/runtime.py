"""Opening the console: settings, engine, encryption keys and the schema check, in that order."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from console.core.errors import ConfigurationError
from console.core.i18n import _
from console.core.keys import activate_keys, check_keys_against_registry, create_key_file
from console.core.settings import Settings, load_settings
from db.engine import make_engine, session_scope
from db.migrate import current_revision, head_revision, upgrade_to_head
from db.models import Program


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: Engine

    @property
    def demo_mode(self) -> bool:
        if self.settings.demo_mode != "auto":
            return self.settings.demo_mode == "on"
        with session_scope(self.engine) as session:
            return session.exec(select(Program).where(Program.is_demo)).first() is not None


def initialize(settings: Settings) -> Runtime:
    """Create the key file when absent, migrate to head, and register the keys on first start or check them
    against the database's key registry."""
    if not settings.secret_key:
        create_key_file(settings.key_file)
    activate_keys(settings)
    engine = make_engine(settings.database_url)
    try:
        upgrade_to_head(engine)
    except OperationalError as error:
        raise ConfigurationError(
            _("The database in CONSOLE_DATABASE_URL cannot be reached or written: {error}", error=str(error.orig))
        ) from error
    check_keys_against_registry(engine, settings)
    return Runtime(settings=settings, engine=engine)


def open_runtime(settings: Settings | None = None) -> Runtime:
    """Open an initialized console; stop with a message naming the setting to fix otherwise."""
    settings = settings or load_settings()
    activate_keys(settings)
    engine = make_engine(settings.database_url)
    try:
        revision = current_revision(engine)
    except OperationalError as error:
        raise ConfigurationError(
            _("The database in CONSOLE_DATABASE_URL cannot be reached: {error}", error=str(error.orig))
        ) from error
    if revision is None:
        raise ConfigurationError(
            _("The database has not been initialized. Run `wellness-console init` (or `make run` for the demo).")
        )
    if revision != head_revision():
        raise ConfigurationError(
            _("The database schema is at revision {revision}, the console needs {needed}. Run `wellness-console "
              "init` to upgrade it.", revision=revision, needed=head_revision())
        )
    check_keys_against_registry(engine, settings)
    return Runtime(settings=settings, engine=engine)
