"""Downloads reach only the signed-in user: content is produced when the button is pressed, only while that
sign-in lasts; after sign-out neither the button nor a URL from the browser's download history gives it out,
and no log line names the file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileStorageError
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from console.web.ui import _MEDIA_LOGGERS
from tests.app_pages.conftest import sign_in, texts

ROOT = Path(__file__).resolve().parents[2]


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def media_log():
    """Every line Streamlit's media loggers write, at debug level."""
    recorder = _Recorder()
    loggers = [logging.getLogger(name) for name in _MEDIA_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(recorder)
    yield recorder.lines
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(recorder)
        logger.setLevel(level)


@pytest.fixture
def media(monkeypatch) -> MediaFileManager:
    """One media file manager for every run, as in a running server (AppTest makes a new one per run)."""
    shared = MediaFileManager(MemoryMediaFileStorage("/media"))
    monkeypatch.setattr(app_test_module, "MediaFileManager", lambda *args, **kwargs: shared)
    return shared


def _prep_page():
    app = sign_in("supervisor")
    app.switch_page(str(ROOT / "app_pages" / "supervisor/prep.py")).run()
    assert not app.exception
    return app


def test_no_download_content_or_url_exists_before_the_button_is_pressed(app_database, media):
    app = _prep_page()
    buttons = app.get("download_button")
    assert buttons
    for button in buttons:
        assert button.proto.url == ""
        assert button.proto.deferred_file_id
    assert media._file_metadata == {}


def test_a_download_stops_working_at_sign_out_and_its_url_dies(app_database, media, media_log):
    app = _prep_page()
    manager = media
    button = app.get("download_button")[0]
    url = manager.execute_deferred(button.proto.deferred_file_id)
    file_id = url.rsplit("/", 1)[1].split(".")[0]
    assert manager.read_file(url.rsplit("/", 1)[1]).content.startswith(b"Weekly supervision prep")

    next(found for found in app.sidebar.button if found.label == "Sign out").click().run()
    assert "You are signed out." in texts(app)

    assert manager.read_file(url.rsplit("/", 1)[1]) is None
    with pytest.raises(MediaFileStorageError):
        manager.execute_deferred(button.proto.deferred_file_id)
    assert not [line for line in media_log if file_id in line or button.proto.deferred_file_id in line]


def test_a_download_button_refuses_once_its_sign_in_ended_even_if_its_id_is_replayed(app_database, media):
    app = _prep_page()
    manager = media
    deferred_id = app.get("download_button")[0].proto.deferred_file_id
    entry = manager._deferred_callables[deferred_id]
    app.session_state["last_activity_at"] = app.session_state["last_activity_at"].replace(year=2000)
    app.run()
    assert "without activity" in texts(app)
    with pytest.raises(Exception, match="ended with the sign-in"):
        entry["callable"]()
