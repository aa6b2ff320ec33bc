import pytest

from console.core.dates import week_start
from console.demo import DEMO_PASSWORD
from db.models import utcnow
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def open_from_sidebar(page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    page.get_by_role("heading", name=title, exact=True).wait_for()


def points_this_month(page) -> int:
    """Self-assessment points drawn for this month: Vega labels each SVG mark from its encoding."""
    page.locator("[role=graphics-symbol][aria-label*='score:']").first.wait_for()
    month = f"date: {utcnow():%b %Y}; score:"
    return page.locator(f"[role=graphics-symbol][aria-label^='{month}']").count()


def test_demo_peer_checks_in_takes_the_self_assessment_and_sees_the_new_point(page):
    this_week = f"{week_start(utcnow().date()):%d %b %Y}"
    sign_in(page, "peer.maria", DEMO_PASSWORD)
    page.get_by_role("heading", name="Home").wait_for()
    page.get_by_role("link", name="Support now · 988").wait_for()

    open_from_sidebar(page, "My trends")
    before = points_this_month(page)

    open_from_sidebar(page, "Weekly check-in")
    assert page.locator("table").get_by_text(this_week).count() == 0
    page.get_by_role("radiogroup", name="My energy this week").get_by_text("Good", exact=True).click()
    page.get_by_role("radiogroup", name="How stressed I felt").get_by_text("Quite a bit", exact=True).click()
    page.get_by_role("radiogroup", name="How well I slept").get_by_text("Poorly", exact=True).click()
    page.get_by_role("radiogroup", name="How manageable my workload felt").get_by_text("Somewhat", exact=True).click()
    page.get_by_text("Responded to an overdose scene").click()
    page.get_by_role("button", name="Save my check-in").click()
    page.get_by_text("Thank you, your check-in is saved.").wait_for()
    page.get_by_text("Debrief with someone you trust").wait_for()
    page.locator("table").get_by_text(this_week).wait_for()

    open_from_sidebar(page, "Self-assessment")
    page.get_by_role("button", name="Take it now").click()
    for page_number, forward in ((1, "Next"), (2, "Next"), (3, "Review my answers")):
        page.get_by_text(f"Page {page_number} of 3.").wait_for()
        groups = page.get_by_role("radiogroup")
        assert groups.count() == 10
        for index in range(10):
            groups.nth(index).get_by_text("Sometimes", exact=True).click()
        page.get_by_text(f"{page_number * 10} of 30 answered").wait_for()
        page.get_by_role("button", name=forward).click()
    page.get_by_role("heading", name="Review your answers").wait_for()
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_text("Thank you. Your answers are saved.").wait_for()
    page.get_by_text("not a diagnosis").wait_for()

    open_from_sidebar(page, "My trends")
    page.wait_for_function(
        "([month, expected]) => document.querySelectorAll(`[role=graphics-symbol][aria-label^='${month}']`).length"
        " >= expected",
        arg=[f"date: {utcnow():%b %Y}; score:", before + 3],
    )
    assert points_this_month(page) == before + 3
