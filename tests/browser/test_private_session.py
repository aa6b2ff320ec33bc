"""In a real server and browser: a download's URL dies at sign-out and was never on the page before the
press; the idle timeout takes the page off the screen without a click; an invitation link's code leaves the
address bar at once; the server log never names a download or an invitation code (the server runs at debug
log level)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.demo import DEMO_PASSWORD
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, ROOT, _serve, sign_in

pytestmark = pytest.mark.browser
SESSION_MINUTES = 1


@pytest.fixture(scope="module")
def short_session_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data = tmp_path_factory.mktemp("short_session")
    with _serve(data, log_level="debug", CONSOLE_SESSION_MINUTES=str(SESSION_MINUTES)) as url:
        yield url, data / "streamlit.log"


@pytest.fixture
def browser_page(short_session_app):
    from playwright.sync_api import sync_playwright

    url, _ = short_session_app
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1200, "height": 1600}, accept_downloads=True)
        opened = context.new_page()
        opened.set_default_timeout(30_000)
        opened.goto(url)
        try:
            yield opened
        finally:
            browser.close()


def _status(url: str) -> int:
    """What a client without the session (no cookies, no websocket) gets for a URL."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_download_url_exists_only_after_the_press_and_dies_at_sign_out(browser_page, short_session_app):
    page = browser_page
    _, server_log = short_session_app
    sign_in(page, "supervisor.dana", DEMO_PASSWORD)
    page.get_by_role("heading", name="Weekly supervision prep").wait_for()
    button = page.get_by_role("button", name="Download a printable copy")
    button.wait_for()
    assert page.locator("a[href*='/media/']").count() == 0

    with page.expect_download() as started:
        button.click()
    download = started.value
    assert Path(download.path()).read_text().startswith("Weekly supervision prep")
    file_id = download.url.rsplit("/", 1)[1].split(".")[0]

    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You are signed out.").wait_for()
    assert _status(download.url) == 404
    assert file_id not in server_log.read_text()


def test_the_idle_timeout_clears_the_screen_without_a_click(browser_page):
    page = browser_page
    sign_in(page, "peer.maria", DEMO_PASSWORD)
    page.get_by_role("heading", name="Home").wait_for()
    page.get_by_text("without activity").wait_for(timeout=(SESSION_MINUTES * 60 + 60) * 1000)
    assert page.get_by_role("heading", name="Home").count() == 0
    assert page.get_by_role("heading", name="Peer Wellness Console").count() == 1


def test_an_invitation_link_sets_a_password_and_its_code_leaves_the_address_and_the_log(browser_page,
                                                                                      short_session_app):
    page = browser_page
    url, server_log = short_session_app
    data = server_log.parent
    environment = {**os.environ, "CONSOLE_DATABASE_URL": f"sqlite:///{data / 'console.sqlite3'}",
                   "CONSOLE_KEY_FILE": str(data / "console.key"), "CONSOLE_DEMO_MODE": "on"}
    environment.pop("CONSOLE_SECRET_KEY", None)
    printed = subprocess.run([sys.executable, "-m", "console", "invite", "peer.devon", "--console-url", url],
                             cwd=ROOT, env=environment, check=True, capture_output=True, text=True).stdout
    link = re.search(r"(http://\S+/\?code=\S+)", printed).group(1)
    code = link.rsplit("=", 1)[1]

    page.goto(link)
    page.get_by_role("heading", name="Choose your password").wait_for()
    page.wait_for_url(lambda address: "code=" not in address)
    page.get_by_role("textbox", name="New password (at least 12 characters)").fill("devon chose this phrase")
    page.get_by_role("textbox", name="New password again").fill("devon chose this phrase")
    page.get_by_role("button", name="Save my password").click()
    page.get_by_text("Your password is set").wait_for()
    assert page.get_by_text("Page not found").count() == 0
    sign_in(page, "peer.devon", "devon chose this phrase")
    page.get_by_role("heading", name="Home").wait_for()
    page.get_by_text("Someone signed in to your account with the new password").wait_for()
    assert code not in server_log.read_text()
