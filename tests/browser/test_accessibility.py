"""WCAG 2.1 AA in the browser: axe-core on every page of every role, at desktop and phone width, in every
language the console speaks (with the document's `lang` set to it), and the self-assessment completed with the
keyboard alone. Any serious or critical violation fails."""

from __future__ import annotations

import pytest

from console.core import i18n
from console.demo import DEMO_PASSWORD
from console.web.navigation import ROLE_PAGES
from tests.browser.conftest import axe_violations, blocking, settled, sign_in

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
DEMO_USERS = {"peer": "peer.maria", "supervisor": "supervisor.dana", "lead": "lead.jordan", "admin": "admin.sam"}
LANGUAGES = list(i18n.LANGUAGES)


def _served(request, language: str) -> str:
    """The app whose program language is `language` (the Spanish one is started only when asked for)."""
    return request.getfixturevalue("served_app" if language == i18n.SOURCE_LANGUAGE else f"served_app_{language}")


def _in(language: str, message: str) -> str:
    with i18n.use_language(language):
        return i18n._(message)


def _wait_for_lang(page, language: str) -> None:
    page.wait_for_function("language => document.documentElement.lang === language", arg=language)


def _report(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        for violation in violations:
            lines.append(f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}")
            lines += [f"    {node['target']}: {node['html']}\n      {node['summary']}" for node in violation["nodes"][:4]]
    return "\n".join(lines)


def _open(page, served_app: str, role: str, spec, *, language: str = i18n.SOURCE_LANGUAGE) -> None:
    """Open a page by its address; a role's first page is where signing in lands, so it is already open."""
    if spec != ROLE_PAGES[role][0]:
        page.goto(f"{served_app}/{spec.url_path}")
    page.get_by_role("heading", name=_in(language, spec.title), exact=True, level=1).wait_for()


def _signed_in(browser, served_app: str, viewport: dict, username: str, *, language: str = i18n.SOURCE_LANGUAGE):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(served_app)
    sign_in(page, username, DEMO_PASSWORD, language=language)
    page.get_by_role("button", name=_in(language, "Sign out")).wait_for(state="attached")
    settled(page)
    return context, page


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_no_serious_or_critical_axe_violation_on_any_page(request, browser, axe_script, role, viewport, language):
    served_app = _served(request, language)
    context, page = _signed_in(browser, served_app, VIEWPORTS[viewport], DEMO_USERS[role], language=language)
    found: dict[str, list[dict]] = {}
    try:
        for spec in ROLE_PAGES[role]:
            _open(page, served_app, role, spec, language=language)
            settled(page)
            _wait_for_lang(page, language)
            serious = blocking(axe_violations(page, axe_script))
            if serious:
                found[f"{role} {viewport} {language} /{spec.url_path}"] = serious
    finally:
        context.close()
    assert not found, "axe found serious or critical violations:\n" + _report(found)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_serious_or_critical_axe_violation_signed_out(request, browser, axe_script, viewport, language):
    served_app = _served(request, language)
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    try:
        page.goto(served_app)
        with i18n.use_language(language):
            title = i18n._("Peer Wellness Console")
        page.get_by_role("heading", name=title).wait_for()
        settled(page)
        _wait_for_lang(page, language)
        serious = blocking(axe_violations(page, axe_script))
    finally:
        context.close()
    assert not serious, "axe found serious or critical violations:\n" + _report(
        {f"sign-in {viewport} {language}": serious})


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_988_and_the_program_contact_are_on_screen_on_every_peer_page_without_a_menu(browser, served_app, viewport):
    context, page = _signed_in(browser, served_app, VIEWPORTS[viewport], "peer.maria")
    try:
        for spec in ROLE_PAGES["peer"]:
            _open(page, served_app, "peer", spec)
            strip = page.get_by_role("complementary", name="Support, any time")
            call = strip.get_by_role("link", name="Call 988, the Suicide and Crisis Lifeline")
            assert call.get_attribute("href") == "tel:988"
            assert strip.get_by_role("link", name="Text 988, the Suicide and Crisis Lifeline").get_attribute(
                "href") == "sms:988"
            assert strip.get_by_role("link", name="En español: llame al 988 y marque 2").is_visible()
            assert strip.get_by_text("Your program's support:").is_visible()
            box = call.bounding_box()
            assert box is not None and box["height"] >= 44
            assert box["y"] + box["height"] <= VIEWPORTS[viewport]["height"], f"/{spec.url_path}: 988 below the fold"
            assert call.is_visible()
    finally:
        context.close()


FOCUS_IN_GROUP = """(name) => { const group = document.activeElement && document.activeElement.closest("[role=radiogroup]");
    return !!group && group.getAttribute("aria-label") === name; }"""
FOCUS_ON_BUTTON = """(pattern) => { const active = document.activeElement;
    return !!active && active.tagName === "BUTTON" && new RegExp(pattern).test(active.innerText.trim()); }"""


def _tab_until(page, check: str, argument: str, *, limit: int = 150) -> None:
    """Press Tab until the focused element passes `check` (a keyboard user's only way through the page)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(check, argument):
            return
    raise AssertionError(f"Tab never reached {argument!r}")


def _press(page, key: str) -> None:
    page.keyboard.press(key)
    settled(page)


def test_the_self_assessment_is_completed_with_the_keyboard_alone(browser, served_app):
    context, page = _signed_in(browser, served_app, VIEWPORTS["desktop"], "peer.james")
    try:
        _tab_until(page, """(name) => { const active = document.activeElement;
            return !!active && active.tagName === "A" && active.innerText.trim().endsWith(name); }""",
                   "Self-assessment")
        _press(page, "Enter")
        page.get_by_role("heading", name="Self-assessment", exact=True, level=1).wait_for()
        settled(page)
        _tab_until(page, FOCUS_ON_BUTTON, "^(Take it now|Start the self-assessment)$")
        _press(page, "Enter")
        for page_number, forward in ((1, "Next"), (2, "Next"), (3, "Review my answers")):
            page.get_by_text(f"Page {page_number} of 3.").wait_for()
            groups = page.get_by_role("radiogroup")
            groups.nth(9).wait_for()
            names = [groups.nth(index).get_attribute("aria-label") for index in range(groups.count())]
            assert len(names) == 10
            for name in names:
                _tab_until(page, FOCUS_IN_GROUP, name)
                _press(page, "Space")
                _press(page, "ArrowRight")
                _press(page, "ArrowRight")
                assert page.evaluate(FOCUS_IN_GROUP, name), f"focus left {name!r} after answering"
                assert page.get_by_role("radiogroup", name=name).get_by_role("radio", checked=True).count() == 1
            page.get_by_text(f"{page_number * 10} of 30 answered").wait_for()
            _tab_until(page, FOCUS_ON_BUTTON, f"^{forward}$")
            _press(page, "Enter")
        page.get_by_role("heading", name="Review your answers").wait_for()
        _tab_until(page, FOCUS_ON_BUTTON, "Submit my answers")
        _press(page, "Enter")
        page.get_by_text("Thank you. Your answers are saved.").wait_for()
    finally:
        context.close()
