"""Helpers for AppTest page tests: the app runs in-process against the test database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from console.core import i18n
from console.core.program_settings import write_settings
from tests.conftest import TEST_PASSWORD

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
TIMEOUT = 60


def open_app() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=TIMEOUT)
    app.run()
    return app


def open_at(url_path: str) -> AppTest:
    """The app opened at a page's address, as a browser following a link to it does."""
    app = AppTest.from_file(APP, default_timeout=TIMEOUT)
    app._page_hash = calc_hash(url_path)
    app.run()
    return app


def sign_in(username: str, password: str = TEST_PASSWORD) -> AppTest:
    app = open_app()
    app.text_input[0].set_value(username)
    app.text_input[1].set_value(password)
    app.button[0].click().run()
    return app


def shown(markdown: str) -> str:
    """Markdown source as it reads on screen: backslash escapes (as `ui.escape_markdown` adds) removed."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def texts(app: AppTest) -> str:
    """Everything the page shows as text, for assertions about what is (not) on screen."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning", "error",
                 "success", "exception"):
        parts.extend(shown(str(element.value)) for element in getattr(app, kind))
    for frame in app.dataframe:
        parts.append(frame.value.to_string())
    for table in app.table:
        parts.append(table.value.to_string())
    return "\n".join(parts)


@pytest.fixture
def app_database(app_env, world):
    """The `world` program, reachable by the app through the environment."""
    return world


@pytest.fixture
def media_managers(monkeypatch) -> list[MediaFileManager]:
    """The media file manager of each AppTest created in the test (Streamlit's store behind /media URLs)."""
    managers: list[MediaFileManager] = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    return managers


@pytest.fixture
def downloads(media_managers):
    """What a download button of the last AppTest run hands over when clicked."""

    def content(button) -> bytes:
        manager = media_managers[-1]
        url = manager.execute_deferred(button.proto.deferred_file_id)
        return manager.read_file(url.rsplit("/", 1)[1]).content

    return content


@pytest.fixture
def spanish(app_database, session, monkeypatch) -> Iterator[set[tuple[str, str]]]:
    """The program speaks Spanish (every person follows its default), and the test fails on any message a
    page asked for that the Spanish catalogue lacks. The test itself runs in Spanish too, so expected texts
    can be written as `_("...")`."""
    write_settings(session, actor=app_database.admin, changes={"language": "es"}, on=app_database.today)
    session.commit()
    missing: set[tuple[str, str]] = set()
    monkeypatch.setattr(i18n, "missing_messages", missing)
    with i18n.use_language("es"):  # AppTest formats a widget's options in the test's own thread
        yield missing
    assert not missing, "Shown without a Spanish translation:\n" + "\n".join(sorted(message for _, message in missing))
