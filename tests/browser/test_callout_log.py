"""A peer logs a call-out on a phone-sized screen in a real browser."""

from datetime import timedelta

import pytest

from console.demo import DEMO_PASSWORD
from db.models import utcnow
from tests.browser.conftest import PHONE, settle, sign_in, type_segments

pytestmark = pytest.mark.browser


def close_sidebar(page) -> None:
    """On a phone the sidebar opens over the page; close it as a person would."""
    sidebar = page.get_by_test_id("stSidebar")
    if sidebar.count() and sidebar.get_attribute("aria-expanded") == "true":
        page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
        page.wait_for_function("document.querySelector('[data-testid=stSidebar]')"
                               ".getAttribute('aria-expanded') === 'false'")


def choose_time(page, label: str, value: str) -> None:
    type_segments(page, label, value.split(":"))


def test_a_peer_logs_a_call_out_at_phone_width(phone, served_app):
    page = phone
    page.get_by_role("button", name="Sign in").wait_for()
    page.goto(f"{served_app}/call-outs")
    page.get_by_role("button", name="Sign in").wait_for()
    close_sidebar(page)
    sign_in(page, "peer.hannah", DEMO_PASSWORD)
    page.get_by_role("heading", name="Call-out log", exact=True).wait_for()
    close_sidebar(page)
    page.get_by_text("Nothing about the person you served").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"

    choose_time(page, "Ended", "00:55")
    choose_time(page, "Started", "00:05")
    yesterday = utcnow().date() - timedelta(days=1)
    type_segments(page, "Day it started", [f"{yesterday:%Y}", f"{yesterday:%m}", f"{yesterday:%d}"])
    page.get_by_role("radiogroup", name="What kind of call-out").get_by_text("Welfare check", exact=True).click()
    page.get_by_role("radiogroup", name="Where").get_by_text("Street or outdoors", exact=True).click()
    page.get_by_role("button", name="Police").click()
    page.get_by_role("radiogroup", name="How it went for me").get_by_text("Okay", exact=True).click()
    note = page.get_by_role("textbox", name="Note (optional, private unless you share it)")
    note.fill("Met Mr Jones at 412 Oak Street")
    note.blur()
    page.get_by_text("This may identify the person you served").wait_for()
    note.fill("Quiet check, all fine.")
    note.blur()
    page.get_by_text("This may identify the person you served").wait_for(state="detached")

    page.get_by_role("button", name="Log this call-out").click()
    page.get_by_text("Logged. Thank you for the work you did today.").wait_for()
    page.get_by_test_id("stText").get_by_text("Quiet check, all fine.").wait_for()
    assert page.get_by_text("Welfare check · street or outdoors · with Police").count() >= 1


def type_right_away(page, label: str, parts: list[str]) -> None:
    """Type into a date or time field segment by segment without waiting for the run each change starts, as a
    person who knows what to type does."""
    segments = page.get_by_role("group", name=label, exact=True).get_by_role("spinbutton")
    for index, part in enumerate(parts):
        segments.nth(index).click()
        page.keyboard.type(part)


def shown_in(page, label: str) -> list[str]:
    return [text for text in page.get_by_role("group", name=label, exact=True).inner_text().split() if text.isdigit()]


def test_times_typed_right_after_changing_the_day_are_kept(phone, served_app):
    page = phone
    page.goto(f"{served_app}/call-outs")
    page.get_by_role("button", name="Sign in").wait_for()
    close_sidebar(page)
    sign_in(page, "peer.hannah", DEMO_PASSWORD)
    page.get_by_role("heading", name="Call-out log", exact=True).wait_for()
    close_sidebar(page)
    settle(page)
    yesterday = utcnow().date() - timedelta(days=1)
    type_right_away(page, "Day it started", [f"{yesterday:%Y}", f"{yesterday:%m}", f"{yesterday:%d}"])
    type_right_away(page, "Started", ["23", "05"])
    type_right_away(page, "Ended", ["23", "50"])
    page.keyboard.press("Tab")
    settle(page)
    assert shown_in(page, "Day it started") == [f"{yesterday:%Y}", f"{yesterday:%m}", f"{yesterday:%d}"]
    assert shown_in(page, "Started") == ["23", "05"]
    assert shown_in(page, "Ended") == ["23", "50"]
    page.get_by_role("radiogroup", name="What kind of call-out").get_by_text("Welfare check", exact=True).click()
    page.get_by_role("radiogroup", name="Where").get_by_text("Street or outdoors", exact=True).click()
    page.get_by_role("radiogroup", name="How it went for me").get_by_text("Okay", exact=True).click()
    settle(page)
    page.get_by_role("button", name="Log this call-out").click()
    page.get_by_text("Logged. Thank you for the work you did today.").wait_for()
    assert page.get_by_text("Enter when the call-out started.").count() == 0
