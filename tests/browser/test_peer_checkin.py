import pytest

from console.core.dates import week_start
from console.demo import DEMO_PASSWORD
from db.models import utcnow
from tests.browser.conftest import settled, sign_in

pytestmark = pytest.mark.browser


def open_from_sidebar(page, title: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True).click()
    page.get_by_role("heading", name=title, exact=True).wait_for()


def quiet(page) -> None:
    """Wait for the page's run to finish: until then, elements of the run before may still be on screen."""
    settled(page)
    page.wait_for_function("() => document.querySelectorAll('[data-stale=true]').length === 0")


def next_step(page, step: int) -> None:
    quiet(page)
    page.get_by_role("button", name="Next").click()
    page.get_by_text(f"Step {step} of 4").wait_for()
    quiet(page)


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
    page.get_by_text("Step 1 of 4").wait_for()
    for prompt, label in (("My energy this week", "Good"), ("How stressed I felt", "Quite a bit"),
                          ("How well I slept", "Poorly"), ("How manageable my workload felt", "Somewhat")):
        page.get_by_role("radiogroup", name=prompt).get_by_role("radio", name=label, exact=True).click()
    next_step(page, 2)
    page.get_by_text("Responded to an overdose scene", exact=True).click()
    next_step(page, 3)
    next_step(page, 4)
    page.get_by_role("button", name="Save my check-in").click()
    page.get_by_role("status").filter(has_text="Thank you, your check-in is saved.").wait_for()
    page.get_by_text("Debrief with someone you trust").wait_for()
    page.locator("table").get_by_text(this_week).wait_for()

    open_from_sidebar(page, "Self-assessment")
    page.get_by_role("button", name="Take it now").click()
    for page_number, forward in ((1, "Next"), (2, "Next"), (3, "Review my answers")):
        page.get_by_text(f"Page {page_number} of 3.").wait_for()
        groups = page.get_by_role("radiogroup")
        groups.nth(9).wait_for()
        assert groups.count() == 10
        for index in range(10):
            groups.nth(index).get_by_text("Sometimes", exact=True).click()
        page.get_by_text(f"{page_number * 10} of 30 answered").wait_for()
        quiet(page)
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
