"""A sign-in survives a reload and a new tab of the same browser until sign-out, and the cookie that carried
it is worthless afterwards."""

import pytest

from console.demo import DEMO_PASSWORD
from console.web.ui import SESSION_COOKIE
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def session_cookie(page) -> dict:
    for _ in range(50):
        found = [cookie for cookie in page.context.cookies() if cookie["name"] == SESSION_COOKIE]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError("no session cookie was set")


def test_reload_and_a_new_tab_stay_signed_in_until_sign_out_and_the_old_cookie_then_fails(page, served_app):
    sign_in(page, "peer.maria", DEMO_PASSWORD)
    page.get_by_role("heading", name="Home").wait_for()
    cookie = session_cookie(page)
    assert cookie["sameSite"] == "Strict" and cookie["path"] == "/_stcore/stream"
    assert cookie["value"] not in page.url

    page.reload()
    page.get_by_role("heading", name="Home").wait_for()

    tab = page.context.new_page()
    tab.goto(f"{served_app}/check-in")
    tab.get_by_role("heading", name="Weekly check-in", exact=True).wait_for()

    tab.get_by_role("button", name="Sign out").click()
    tab.get_by_role("button", name="Sign in").wait_for()
    page.reload()
    page.get_by_role("button", name="Sign in").wait_for()

    stranger = page.context.browser.new_context()
    stranger.add_cookies([cookie])
    opened = stranger.new_page()
    opened.goto(f"{served_app}/check-in")
    opened.get_by_role("button", name="Sign in").wait_for()
    assert opened.get_by_role("heading", name="Weekly check-in", exact=True).count() == 0
    stranger.close()
