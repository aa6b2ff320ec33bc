import pytest

from console.dates import week_start
from console.demo import DEMO_PASSWORD
from db.models import utcnow
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_demo_peer_submits_a_check_in_and_sees_it_listed(page):
    this_week = f"{week_start(utcnow().date()):%d %b %Y}"
    sign_in(page, "peer.maria", DEMO_PASSWORD)
    page.get_by_role("heading", name="Weekly check-in").wait_for()
    assert page.locator("table").get_by_text(this_week).count() == 0
    page.get_by_role("radiogroup", name="My energy this week").get_by_text("Good", exact=True).click()
    page.get_by_role("radiogroup", name="How stressed I felt").get_by_text("Quite a bit", exact=True).click()
    page.get_by_text("Responded to an overdose scene").click()
    page.get_by_role("button", name="Save my check-in").click()
    page.get_by_text("Thank you, your check-in is saved.").wait_for()
    page.locator("table").get_by_text(this_week).wait_for()
