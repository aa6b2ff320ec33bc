"""A peer who reads the console in Spanish, on a phone (390×844), with the keyboard alone: the weekly check-in and
the self-assessment show the instruments' Spanish texts, and each save is announced.

Expected texts are worked out in Spanish the way the pages work them out: the instruments in Spanish, and the
pages' messages through the translation layer."""

import pytest

import scoring
from console.core import i18n
from console.demo import DEMO_PASSWORD
from console.web.ui import SESSION_COOKIE
from tests.browser.conftest import PHONE, browser_page, settled, sign_in
from tests.browser.test_checkin_phone import (
    CHECKED,
    FOCUSED_BUTTON,
    FOCUSED_CHECKBOX,
    FOCUSED_GROUP,
    FOCUSED_RADIO,
    settle,
    tab_to,
)

pytestmark = pytest.mark.browser

SPANISH = "es"
PEER = "peer.james"
PULSE = scoring.load_instrument("weekly-pulse").in_language(SPANISH)
SELF_ASSESSMENT = scoring.load_instrument("proqol-style-30").in_language(SPANISH)
PULSE_ANSWERS = {"energy": 3, "stress": 3, "sleep": 2, "workload": 2, "supported": 4, "connection": 3,
                 "satisfaction": 5}
EXPOSURES = ("overdose_scene", "triggering_setting")
SELF_CARE = ("sleep", "food", "relaxation")
FOCUS_ON_BUTTON_MATCHING = """(pattern) => { const active = document.activeElement;
    return !!active && active.tagName === "BUTTON" && new RegExp(pattern).test(active.innerText.trim()); }"""
FOCUS_IN_GROUP = """(name) => { const group = document.activeElement && document.activeElement.closest("[role=radiogroup]");
    return !!group && group.getAttribute("aria-label") === name; }"""
LIVE_REGION_WITH = """(text) => [...document.querySelectorAll('[role=status], [role=alert], [aria-live]')]
    .some(region => region.textContent.includes(text))"""


def es(message: str, **values) -> str:
    with i18n.use_language(SPANISH):
        return i18n._(message, **values)


def _signed_in(phone, served_app: str) -> None:
    sign_in(phone, PEER, DEMO_PASSWORD, language=SPANISH)
    phone.get_by_role("heading", name=es("Home"), exact=True, level=1).wait_for()
    for _ in range(100):
        if any(cookie["name"] == SESSION_COOKIE for cookie in phone.context.cookies()):
            break
        phone.wait_for_timeout(100)
    phone.wait_for_function("() => document.documentElement.lang === 'es'")


def _check_in(phone, served_app: str) -> None:
    phone.goto(f"{served_app}/check-in")
    phone.get_by_role("heading", name=es("Weekly check-in"), exact=True, level=1).wait_for()
    settle(phone)
    for key, value in PULSE_ANSWERS.items():
        item = PULSE.item_by_key(key)
        label = item.labels[value]
        phone.get_by_role("radiogroup", name=item.prompt).get_by_role("radio", name=label, exact=True).wait_for()
        tab_to(phone, FOCUSED_GROUP, item.prompt)
        for _ in range(5):
            if phone.evaluate(FOCUSED_RADIO, [item.prompt, label]):
                break
            phone.keyboard.press("ArrowRight")
        assert phone.evaluate(FOCUSED_RADIO, [item.prompt, label]), (item.prompt, label)
        if not phone.evaluate(CHECKED, [item.prompt, label]):
            phone.keyboard.press("Space")
        phone.wait_for_function(CHECKED, arg=[item.prompt, label])
    settle(phone)
    tab_to(phone, FOCUSED_BUTTON, es("Next"))
    phone.keyboard.press("Enter")
    labels = [option.label for name, codes in (("exposures", EXPOSURES), ("self_care", SELF_CARE))
              for option in PULSE.checklists[name] if option.code in codes]
    phone.get_by_role("checkbox", name=labels[0]).wait_for(state="attached")
    settle(phone)
    for label in labels:
        tab_to(phone, FOCUSED_CHECKBOX, label)
        phone.keyboard.press("Space")
        phone.wait_for_function(
            "label => [...document.querySelectorAll('[data-testid=stCheckbox]')]"
            ".some(box => box.innerText.trim() === label && box.querySelector('input').checked)",
            arg=label,
        )
    settle(phone)
    tab_to(phone, FOCUSED_BUTTON, es("Next"))
    phone.keyboard.press("Enter")
    phone.get_by_role("spinbutton", name=PULSE.fields["caseload"].label).wait_for()
    for field in PULSE.fields.values():
        assert phone.get_by_role("spinbutton", name=field.label).count() == 1, field.label
    settle(phone)
    tab_to(phone, FOCUSED_BUTTON, es("Next"))
    phone.keyboard.press("Enter")
    phone.get_by_role("button", name=es("Save my check-in")).wait_for()
    settle(phone)
    tab_to(phone, FOCUSED_BUTTON, es("Save my check-in"))
    phone.keyboard.press("Enter")
    saved = es("Thank you, your check-in is saved.")
    phone.get_by_role("status").filter(has_text=saved).wait_for()
    assert phone.get_by_role("status").filter(has_text=saved).get_attribute("aria-live") == "polite"
    phone.wait_for_function(
        "text => document.activeElement?.getAttribute('role') === 'status'"
        " && document.activeElement.textContent.includes(text)",
        arg=saved,
    )


def _press(page, key: str) -> None:
    page.keyboard.press(key)
    settled(page)


def _tab_until(page, check: str, argument: str, *, limit: int = 150) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(check, argument):
            return
    raise AssertionError(f"Tab never reached {argument!r}")


def _self_assessment(phone, served_app: str) -> None:
    phone.goto(f"{served_app}/self-assessment")
    phone.get_by_role("heading", name=es("Self-assessment"), exact=True, level=1).wait_for()
    settled(phone)
    phone.get_by_text(SELF_ASSESSMENT.instructions).wait_for()
    starts = "|".join(es(text) for text in ("Take it now", "Start the self-assessment"))
    _tab_until(phone, FOCUS_ON_BUTTON_MATCHING, f"^({starts})$")
    _press(phone, "Enter")
    pages = [SELF_ASSESSMENT.items[start:start + 10] for start in range(0, 30, 10)]
    for number, (items, forward) in enumerate(zip(pages, (es("Next"), es("Next"), es("Review my answers")),
                                                  strict=True), start=1):
        groups = phone.get_by_role("radiogroup")
        groups.nth(9).wait_for()
        settled(phone)
        names = [groups.nth(index).get_attribute("aria-label") for index in range(groups.count())]
        assert len(names) == 10, names
        for item, name in zip(items, names, strict=True):
            assert name.endswith(item.prompt), (number, name, item.prompt)
            group = phone.get_by_role("radiogroup", name=name, exact=True)
            assert group.get_by_role("radio", name=SELF_ASSESSMENT.response.labels[1], exact=True).count() == 1
            _tab_until(phone, FOCUS_IN_GROUP, name)
            _press(phone, "Space")
            _press(phone, "ArrowRight")
            _press(phone, "ArrowRight")
            assert phone.evaluate(FOCUS_IN_GROUP, name), f"focus left {name!r} after answering"
            assert group.get_by_role("radio", checked=True).count() == 1
        _tab_until(phone, FOCUS_ON_BUTTON_MATCHING, f"^{forward}$")
        _press(phone, "Enter")
    phone.get_by_role("heading", name=es("Review your answers")).wait_for()
    settled(phone)
    _tab_until(phone, FOCUS_ON_BUTTON_MATCHING, es("Submit my answers"))
    _press(phone, "Enter")
    saved = es("Thank you. Your answers are saved.")
    phone.get_by_text(saved).wait_for()
    phone.wait_for_function(LIVE_REGION_WITH, arg=saved)
    for scale in SELF_ASSESSMENT.scales.values():
        phone.get_by_text(scale.label, exact=False).first.wait_for()
    phone.get_by_text(SELF_ASSESSMENT.credit).wait_for()


def test_a_peer_reading_spanish_does_the_check_in_and_the_self_assessment_on_a_phone_by_keyboard(
        served_app_es, tmp_path):
    with browser_page(served_app_es, tmp_path, viewport=PHONE, is_mobile=True, has_touch=True) as phone:
        phone.set_default_timeout(60_000)
        _signed_in(phone, served_app_es)
        _check_in(phone, served_app_es)
        _self_assessment(phone, served_app_es)
