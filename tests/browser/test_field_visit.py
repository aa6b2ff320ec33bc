import re

import pytest

from console.demo import DEMO_PASSWORD
from tests.browser.conftest import PHONE, sign_in

pytestmark = pytest.mark.browser


def within_the_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_a_peer_starts_and_closes_a_field_visit_on_a_phone(phone, served_app):
    phone.goto(served_app)
    phone.get_by_role("button", name="Sign in").wait_for()
    phone.goto(f"{served_app}/field-visit")
    phone.get_by_role("button", name="Sign in").wait_for()
    sign_in(phone, "peer.james", DEMO_PASSWORD)
    phone.get_by_role("heading", name="Field visit", exact=True).wait_for()
    phone.get_by_text("Do not write the name, address or case details").first.wait_for()
    phone.get_by_role("textbox", name="Where you will be").fill("Eastside, by the library")
    start = phone.get_by_role("button", name="Start check-in timer")
    assert within_the_screen(start)
    start.click()
    phone.get_by_text("Timer started.").wait_for()
    phone.get_by_role("heading", name=re.compile(r"Expect me back by \d\d:\d\d")).wait_for()

    call = phone.get_by_role("link", name="Call 911")
    need_help = phone.get_by_role("button", name="I need help")
    assert call.get_attribute("href") == "tel:911"
    assert call.bounding_box()["y"] < need_help.bounding_box()["y"], "911 comes before the help button"
    close = phone.get_by_role("button", name="I'm OK — close the visit")
    assert within_the_screen(close) and within_the_screen(call)
    close.click()
    phone.get_by_text("Glad you are OK. The visit is closed and your location note is deleted.").wait_for()
    phone.get_by_role("button", name="Start check-in timer").wait_for()
