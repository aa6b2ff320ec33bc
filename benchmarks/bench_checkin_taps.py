"""Taps and scrolling for a typical full weekly check-in on a phone, measured in Chromium at 390×844.

A typical full check-in: the seven ratings, two exposures, three self-care practices, the workload unchanged
from last week, then save. The script serves the demo (as the browser tests do), signs in as a demo peer who
checked in last week, fills the check-in the way a person would and counts:

- taps: every click or tap, answers and navigation ("Next", "Save") alike;
- keystrokes: characters typed (the workload numbers, where the page does not carry them over);
- scroll: how far the page had to scroll to reach each control, in pixels and in phone screens;
- the longest screen: how far down the page the tallest step (or the single form) reaches, to the bottom of the
  button that finishes it, in phone screens.

It works on the single long form and on the stepped check-in, so the same script gives the before and after
figures in the README's Performance section. Run from the project root:

    python benchmarks/bench_checkin_taps.py
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from console.demo import DEMO_PASSWORD  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, _serve, sign_in  # noqa: E402

PHONE = {"width": 390, "height": 844}
PEER = "peer.james"
RATINGS = (
    ("My energy this week", 3), ("How stressed I felt", 3), ("How well I slept", 2),
    ("How manageable my workload felt", 2), ("How supported I felt", 3),
    ("How connected I felt to other peers", 2), ("Satisfaction I got from the work", 3),
)
EXPOSURES = ("Responded to an overdose scene", "A triggering setting such as a jail or court")
SELF_CARE = ("Enough sleep", "Regular meals", "Time to relax")
LAST_WEEK = {"People on my caseload right now": "24", "Hours worked this week": "40",
             "After-hours call-outs this week": "1"}

SCROLL_TOP = """() => (document.querySelector('[data-testid=stMain]')?.scrollTop || 0)
  + (document.scrollingElement?.scrollTop || 0)"""
BOTTOM_OF = """element => {
  const main = document.querySelector('[data-testid=stMain]');
  return element.getBoundingClientRect().bottom - main.getBoundingClientRect().top + main.scrollTop;
}"""


@dataclass
class Measurement:
    taps: int = 0
    keystrokes: int = 0
    scrolled_px: float = 0.0
    screen_heights_px: list[float] = field(default_factory=list)

    @property
    def longest_screen(self) -> float:
        return max(self.screen_heights_px, default=0.0) / PHONE["height"]


class Meter:
    def __init__(self, page) -> None:
        self.page = page
        self.result = Measurement()

    def _scroll(self) -> float:
        return float(self.page.evaluate(SCROLL_TOP))

    def _reach(self, locator) -> None:
        before = self._scroll()
        locator.scroll_into_view_if_needed()
        self.result.scrolled_px += abs(self._scroll() - before)

    def tap(self, locator) -> None:
        self._reach(locator)
        locator.click()
        self.result.taps += 1
        self.page.wait_for_timeout(150)

    def type_into(self, locator, text: str) -> None:
        self.tap(locator)
        locator.fill(text)
        locator.press("Tab")
        self.result.keystrokes += len(text)

    def screen(self, forward) -> None:
        """Note how far down the page the person must go on this screen: to the bottom of the button that
        finishes it ("Next" or "Save"); anything below it is not needed to check in."""
        self.page.wait_for_timeout(400)
        self.result.screen_heights_px.append(float(forward.evaluate(BOTTOM_OF)))


def _rating(page, prompt: str, index: int):
    """An option of a five-point scale: a radio button of the stepped check-in, a radio's label on the single form."""
    return page.get_by_role("radiogroup", name=prompt).locator("button[role=radio], label").nth(index)


def _settle(page, step: int) -> None:
    """Wait for step `step` and for the page's run to end (until then the step before may still be drawn)."""
    page.get_by_text(f"Step {step} of 4").wait_for()
    page.wait_for_function("() => document.querySelectorAll('[data-stale=true]').length === 0")


def _stepped(page, meter: Meter) -> None:
    for step, names in ((1, [prompt for prompt, _ in RATINGS]), (2, [*EXPOSURES, *SELF_CARE])):
        _settle(page, step)
        meter.screen(page.get_by_role("button", name="Next"))
        if step == 1:
            for prompt, index in RATINGS:
                meter.tap(_rating(page, prompt, index))
        else:
            for name in names:
                meter.tap(page.get_by_text(name, exact=True))
        meter.tap(page.get_by_role("button", name="Next"))
    _settle(page, 3)
    meter.screen(page.get_by_role("button", name="Next"))
    meter.tap(page.get_by_role("button", name="Next"))
    _settle(page, 4)
    meter.screen(page.get_by_role("button", name="Save my check-in"))
    meter.tap(page.get_by_role("button", name="Save my check-in"))


def _single_form(page, meter: Meter) -> None:
    meter.screen(page.get_by_role("button", name="Save my check-in"))
    for prompt, index in RATINGS:
        meter.tap(_rating(page, prompt, index))
    for name in (*EXPOSURES, *SELF_CARE):
        meter.tap(page.get_by_text(name, exact=True))
    for label, value in LAST_WEEK.items():
        meter.type_into(page.get_by_role("spinbutton", name=label), value)
    meter.tap(page.get_by_role("button", name="Save my check-in"))


def measure(url: str) -> tuple[str, Measurement]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(url)
        sign_in(page, PEER, DEMO_PASSWORD)
        page.get_by_role("heading", name="Home").wait_for()
        page.goto(f"{url}/check-in")
        page.get_by_role("heading", name="Weekly check-in", exact=True).wait_for()
        page.wait_for_timeout(1000)
        meter = Meter(page)
        stepped = page.get_by_text("Step 1 of 4").count() > 0
        (_stepped if stepped else _single_form)(page, meter)
        print("screens (px):", [round(height) for height in meter.result.screen_heights_px])
        page.get_by_text("Thank you, your check-in is saved.").first.wait_for()
        browser.close()
    return ("stepped check-in" if stepped else "single form"), meter.result


def main() -> None:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    with tempfile.TemporaryDirectory() as folder, _serve(Path(folder)) as url:
        layout, result = measure(url)
    answers = len(RATINGS) + len(EXPOSURES) + len(SELF_CARE)
    print("| layout | taps | of which answers | keystrokes | scrolled | longest screen |")
    print("|---|---|---|---|---|---|")
    print(f"| {layout} | {result.taps} | {answers} | {result.keystrokes} | "
          f"{result.scrolled_px:,.0f} px ({result.scrolled_px / PHONE['height']:.1f} screens) | "
          f"{result.longest_screen:.1f} screens |")


if __name__ == "__main__":
    main()
