"""A real server and a real browser: `streamlit run` on a free port against a demo database,
driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from console.core import i18n

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
BROWSER_TESTS = Path(__file__).resolve().parent
AXE = BROWSER_TESTS / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = "Chromium is not installed at /usr/bin/chromium (apt-get install chromium chromium-driver)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI must run the browser tests")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _serve(data: Path, *, log_level: str = "info", program: dict[str, str] | None = None,
           **settings: str) -> Iterator[str]:
    """`streamlit run` on the demo database in `data`, with extra console settings and program settings
    (`wellness-console setting NAME VALUE`); yields its URL."""
    _require_chromium()
    environment = {
        **os.environ,
        "CONSOLE_DATABASE_URL": f"sqlite:///{data / 'console.sqlite3'}",
        "CONSOLE_KEY_FILE": str(data / "console.key"),
        "CONSOLE_DEMO_MODE": "on",
        **settings,
    }
    environment.pop("CONSOLE_SECRET_KEY", None)
    subprocess.run([sys.executable, "-m", "console", "demo"], cwd=ROOT, env=environment, check=True,
                   capture_output=True)
    for name, value in (program or {}).items():
        subprocess.run([sys.executable, "-m", "console", "setting", name, value], cwd=ROOT, env=environment,
                       check=True, capture_output=True)
    port = _free_port()
    log = (data / "streamlit.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--logger.level", log_level],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"streamlit did not start; see {data / 'streamlit.log'}") from None
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def served_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with _serve(tmp_path_factory.mktemp("served")) as url:
        yield url


@pytest.fixture(scope="session")
def served_app_es(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with Spanish as the program's language: everyone without a language of their own reads Spanish."""
    with _serve(tmp_path_factory.mktemp("served_es"), program={"language": "es"}) as url:
        yield url


PHONE = {"width": 390, "height": 844}
"""A phone's screen in CSS pixels (an iPhone 14's), for the tests at phone width."""


@contextmanager
def browser_page(served_app: str, tmp_path: Path, **context_options: object) -> Iterator:
    """A Chromium page at the served app; a screenshot of the page is kept when the test fails."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        opened = browser.new_context(**context_options).new_page()
        opened.set_default_timeout(30_000)
        opened.goto(served_app)
        try:
            yield opened
        except BaseException:
            opened.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
            raise
        finally:
            browser.close()


@pytest.fixture
def page(served_app: str, tmp_path: Path):
    with browser_page(served_app, tmp_path, viewport={"width": 1200, "height": 1600}) as opened:
        yield opened


@pytest.fixture
def phone(served_app: str, tmp_path: Path):
    with browser_page(served_app, tmp_path, viewport=PHONE, is_mobile=True, has_touch=True) as opened:
        yield opened


def sign_in(page, username: str, password: str, *, language: str = "en") -> None:
    with i18n.use_language(language):
        names = {"username": i18n._("Username"), "password": i18n._("Password"), "sign_in": i18n._("Sign in")}
    page.get_by_role("textbox", name=names["username"]).fill(username)
    page.get_by_role("textbox", name=names["password"]).fill(password)
    page.get_by_role("button", name=names["sign_in"]).click()




@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core's source, installed from the npm registry by `npm ci` (tests/browser/package-lock.json)."""
    if not AXE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=BROWSER_TESTS, check=True, capture_output=True)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module; each test opens its own contexts in it."""
    from playwright.sync_api import sync_playwright

    _require_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


def settled(page) -> None:
    """Wait until the page's script has finished running and its charts are drawn."""
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()
    page.wait_for_timeout(300)
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()


def axe_violations(page, axe_source: str) -> list[dict]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200),
                                          summary: (n.failureSummary || "").slice(0, 300)}))}));
        }""",
        AXE_TAGS,
    )


def blocking(violations: list[dict]) -> list[dict]:
    return [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]


def type_segments(page, label: str, parts: list[str]) -> None:
    """Type into a date or time field segment by segment (year, month, day; hour, minute), as on a phone."""
    group = page.get_by_role("group", name=label, exact=True)
    segments = group.get_by_role("spinbutton")
    for index, part in enumerate(parts):
        for _ in range(3):
            segments.nth(index).click()
            page.keyboard.type(part)
            settle(page)
            if segments.nth(index).inner_text().strip() == part:
                break
    page.keyboard.press("Tab")
    settle(page)
    shown = [text for text in group.inner_text().split() if text.isdigit()]
    assert shown == parts, (label, shown)


def settle(page) -> None:
    """Wait for the rerun a changed field starts to finish."""
    page.wait_for_timeout(300)
    page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')")
