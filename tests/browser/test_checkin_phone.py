"""The stepped weekly check-in on a phone (390×844): tap targets, scales on one line, a reload that keeps the
answers, and a check-in done with the keyboard alone that ends with a focused, announced confirmation.

Each five-point scale is one radio group, so the keyboard follows the WAI-ARIA radio group pattern: Tab moves
from one question to the next, the arrow keys move between the options of a question and Space chooses one;
Tab, Space and Enter do everything else."""


import pytest
from playwright.sync_api import expect

from console.demo import DEMO_PASSWORD
from console.web.ui import SESSION_COOKIE
from tests.browser.conftest import PHONE, sign_in

pytestmark = pytest.mark.browser

MIN_TARGET = 44
RATINGS = (
    ("My energy this week", "Okay"), ("How stressed I felt", "Somewhat"), ("How well I slept", "Poorly"),
    ("How manageable my workload felt", "A little"), ("How supported I felt", "Quite a bit"),
    ("How connected I felt to other peers", "Somewhat"), ("Satisfaction I got from the work", "Very much"),
)
EXPOSURES = ("Responded to an overdose scene", "A triggering setting such as a jail or court")
SELF_CARE = ("Enough sleep", "Regular meals", "Time to relax")
SAVED = "Thank you, your check-in is saved."


def open_check_in(page, served_app: str, username: str) -> None:
    """Sign in, then open the check-in by its address once the browser holds the sign-in cookie."""
    sign_in(page, username, DEMO_PASSWORD)
    page.get_by_role("heading", name="Home").wait_for()
    for _ in range(100):
        if any(cookie["name"] == SESSION_COOKIE for cookie in page.context.cookies()):
            break
        page.wait_for_timeout(100)
    page.goto(f"{served_app}/check-in")
    page.get_by_role("heading", name="Weekly check-in", exact=True).wait_for()
    page.get_by_text("Step 1 of 4").wait_for()


def settle(page) -> None:
    """Wait for the page's run to finish: until then, elements of the step before may still be on screen."""
    page.wait_for_function("() => document.querySelectorAll('[data-stale=true]').length === 0")
    page.wait_for_timeout(200)


def go_on(page, button: str, step: int) -> None:
    settle(page)
    page.get_by_role("button", name=button).click()
    page.get_by_text(f"Step {step} of 4").wait_for()
    settle(page)


def option(page, prompt: str, label: str):
    return page.get_by_role("radiogroup", name=prompt).get_by_role("radio", name=label, exact=True)


def height(locator) -> float:
    return locator.bounding_box()["height"]


def assert_scale_on_one_line(page, prompt: str) -> None:
    page.get_by_role("radiogroup", name=prompt).get_by_role("radio").nth(4).wait_for()
    boxes = [button.bounding_box() for button in page.get_by_role("radiogroup", name=prompt).get_by_role("radio").all()]
    assert len(boxes) == 5, prompt
    assert len({round(box["y"]) for box in boxes}) == 1, (prompt, boxes)
    assert all(box["x"] + box["width"] <= PHONE["width"] for box in boxes), (prompt, boxes)
    assert min(box["height"] for box in boxes) >= MIN_TARGET, (prompt, boxes)


def assert_announced(page) -> None:
    page.get_by_role("status").filter(has_text=SAVED).wait_for()
    page.wait_for_function(
        "text => document.activeElement?.getAttribute('role') === 'status'"
        " && document.activeElement.textContent.includes(text)",
        arg=SAVED,
    )


def test_a_full_check_in_at_phone_width(phone, served_app):
    open_check_in(phone, served_app, "peer.james")
    phone.get_by_text("This week:").first.wait_for()
    for prompt, label in RATINGS:
        assert_scale_on_one_line(phone, prompt)
        option(phone, prompt, label).click()
        phone.wait_for_function(
            "([prompt, label]) => [...document.querySelectorAll(`[role=radiogroup][aria-label='${prompt}'] [role=radio]`)]"
            ".some(button => button.innerText.trim() === label && button.getAttribute('aria-checked') === 'true')",
            arg=[prompt, label],
        )
    assert height(phone.get_by_role("button", name="Next")) >= MIN_TARGET
    go_on(phone, "Next", 2)
    for label in (*EXPOSURES, *SELF_CARE):
        target = phone.get_by_test_id("stCheckbox").filter(has_text=label)
        assert height(target.locator("label")) >= MIN_TARGET, label
        target.locator("label").click()
        phone.get_by_role("checkbox", name=label).wait_for(state="attached")
        phone.wait_for_function(
            "label => [...document.querySelectorAll('[data-testid=stCheckbox]')]"
            ".some(box => box.innerText.trim() === label && box.querySelector('input').checked)",
            arg=label,
        )
    go_on(phone, "Next", 3)
    phone.get_by_text("Filled in from your last check-in").wait_for()
    caseload = phone.get_by_role("spinbutton", name="People on my caseload right now")
    expect(caseload).not_to_have_value("")
    assert height(caseload) >= MIN_TARGET
    go_on(phone, "Next", 4)
    phone.get_by_role("button", name="Save my check-in").click()
    assert_announced(phone)
    phone.get_by_text("Change this week's check-in").wait_for()


def test_a_reload_mid_check_in_keeps_the_answers(phone, served_app):
    open_check_in(phone, served_app, "peer.aaliyah")
    option(phone, "My energy this week", "Good").click()
    option(phone, "How well I slept", "Very well").click()
    phone.wait_for_timeout(800)
    go_on(phone, "Next", 2)
    phone.get_by_test_id("stCheckbox").filter(has_text=SELF_CARE[0]).locator("label").click()
    phone.wait_for_timeout(1500)

    phone.reload()
    phone.get_by_text("Your answers from before are back").wait_for()
    phone.get_by_text("Step 2 of 4").wait_for()
    settle(phone)
    assert phone.get_by_role("checkbox", name=SELF_CARE[0]).is_checked()
    go_on(phone, "Back", 1)
    assert option(phone, "My energy this week", "Good").get_attribute("aria-checked") == "true"
    assert option(phone, "How well I slept", "Very well").get_attribute("aria-checked") == "true"


FOCUSED_GROUP = """prompt => document.activeElement?.getAttribute('role') === 'radio'
  && document.activeElement.closest('[role=radiogroup]')?.getAttribute('aria-label') === prompt"""
CHECKED = """([prompt, label]) => [...document.querySelectorAll(`[role=radiogroup][aria-label='${prompt}'] [role=radio]`)]
  .some(button => button.innerText.trim() === label && button.getAttribute('aria-checked') === 'true')"""
FOCUSED_RADIO = """([prompt, label]) => {
  const active = document.activeElement;
  return active?.getAttribute('role') === 'radio' && active.innerText.trim() === label
    && active.closest('[role=radiogroup]')?.getAttribute('aria-label') === prompt;
}"""
FOCUSED_CHECKBOX = """label => {
  const active = document.activeElement;
  return active?.type === 'checkbox' && active.closest('[data-testid=stCheckbox]')?.innerText.trim() === label;
}"""
FOCUSED_BUTTON = "name => document.activeElement?.tagName === 'BUTTON' && document.activeElement.innerText.trim() === name"


DESCRIBE_FOCUS = """() => { const active = document.activeElement;
  const kind = active?.getAttribute('role') || active?.type || '';
  return `${active?.tagName} ${kind} ${(active?.innerText || '').slice(0, 30)}`; }"""


def tab_to(page, predicate: str, argument, *, limit: int = 80) -> None:
    visited = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate, argument):
            return
        visited.append(page.evaluate(DESCRIBE_FOCUS))
    raise AssertionError(f"Tab never reached {argument!r}; focus went to {visited}")


def test_the_check_in_can_be_done_with_the_keyboard_alone(phone, served_app):
    open_check_in(phone, served_app, "peer.devon")
    for prompt, label in RATINGS:
        tab_to(phone, FOCUSED_GROUP, prompt)
        for _ in range(5):
            if phone.evaluate(FOCUSED_RADIO, [prompt, label]):
                break
            phone.keyboard.press("ArrowRight")
        assert phone.evaluate(FOCUSED_RADIO, [prompt, label]), (prompt, label)
        if not phone.evaluate(CHECKED, [prompt, label]):
            phone.keyboard.press("Space")
        phone.wait_for_function(CHECKED, arg=[prompt, label])
    settle(phone)
    tab_to(phone, FOCUSED_BUTTON, "Next")
    phone.keyboard.press("Enter")
    phone.get_by_text("Step 2 of 4").wait_for()
    settle(phone)
    for label in (*EXPOSURES, *SELF_CARE):
        tab_to(phone, FOCUSED_CHECKBOX, label)
        phone.keyboard.press("Space")
        phone.wait_for_function(
            "label => [...document.querySelectorAll('[data-testid=stCheckbox]')]"
            ".some(box => box.innerText.trim() === label && box.querySelector('input').checked)",
            arg=label,
        )
    for step in (3, 4):
        settle(phone)
        tab_to(phone, FOCUSED_BUTTON, "Next")
        phone.keyboard.press("Enter")
        phone.get_by_text(f"Step {step} of 4").wait_for()
        settle(phone)
    tab_to(phone, FOCUSED_BUTTON, "Save my check-in")
    phone.keyboard.press("Enter")
    assert_announced(phone)
