"""An error nobody expected shows a calm message with an error id, never a traceback or the error's own
message, and is logged with that id and its stack."""

import logging
import re
import tomllib
from pathlib import Path

import pytest

from console.admin import accounts
from console.core import auth
from console.program import wellness_figures
from console.supervision import supervisor_week
from console.wellness import peer_home
from tests.app_pages.conftest import open_app, sign_in, texts

SECRET = "INSERT INTO user password_hash='$argon2id$secret'"


def broken(*args, **kwargs):
    raise RuntimeError(SECRET)


ROLE_SERVICES = [
    ("peer_bands", peer_home, "peer_home", True),
    ("supervisor", supervisor_week, "prep_sheet", False),
    ("lead", wellness_figures, "program_overview", False),
    ("admin", accounts, "list_users", False),
]


def logged_error(caplog, error_id):
    records = [record for record in caplog.records if record.name == "console" and error_id in record.getMessage()]
    assert len(records) == 1
    return records[0].getMessage()


def error_id_shown(app):
    shown = texts(app)
    found = re.search(r"Error id: \*\*([0-9a-f]{10})\*\*", shown)
    assert found, shown
    return found.group(1)


@pytest.mark.parametrize(("username", "module", "service", "crisis_line"), ROLE_SERVICES)
def test_a_failing_service_shows_a_calm_message_and_logs_it(app_database, monkeypatch, caplog, username, module,
                                                             service, crisis_line):
    monkeypatch.setattr(module, service, broken)
    with caplog.at_level(logging.ERROR, logger="console"):
        app = sign_in(username)
    assert not app.exception
    shown = texts(app)
    error_id = error_id_shown(app)
    assert SECRET not in shown and "RuntimeError" not in shown and "Traceback" not in shown
    assert "Try again" in shown and "support contact" in shown
    assert ("988" in shown) is crisis_line
    message = logged_error(caplog, error_id)
    assert "exception=RuntimeError" in message and f"{service}" in message
    assert SECRET not in message and "argon2" not in message


def test_a_failing_sign_in_shows_a_calm_message(app_database, monkeypatch, caplog):
    monkeypatch.setattr(auth, "sign_in", broken)
    with caplog.at_level(logging.ERROR, logger="console"):
        app = open_app()
        app.text_input[0].set_value("peer_bands")
        app.text_input[1].set_value("whatever it is")
        app.button[0].click().run()
    assert not app.exception
    error_id = error_id_shown(app)
    assert SECRET not in texts(app)
    assert SECRET not in logged_error(caplog, error_id)


def test_streamlit_shows_no_error_details_to_users():
    config = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_keys_that_are_not_the_databases_stop_a_write_with_a_message_naming_the_setting(app_database, monkeypatch,
                                                                                      caplog):
    from console.core.keys import KeysNotTheDatabases

    def refused(*args, **kwargs):
        raise KeysNotTheDatabases("The keys in CONSOLE_KEY_FILE are not the ones this database encrypts with.")

    monkeypatch.setattr(peer_home, "peer_home", refused)
    with caplog.at_level(logging.ERROR, logger="console"):
        app = sign_in("peer_bands")
    assert not app.exception
    shown = texts(app)
    assert "nothing was saved" in shown and "CONSOLE_KEY_FILE" in shown and "988" in shown
    assert "Traceback" not in shown and "KeysNotTheDatabases" not in shown
