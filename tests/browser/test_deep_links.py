"""Links land on their page: a page's address opened signed out asks for sign-in, then opens that page;
the address of a page of another role says so, never "Page not found"."""

import pytest

from console.demo import DEMO_PASSWORD
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("path", "title"), [("check-in", "Weekly check-in"), ("account", "My account")])
def test_a_page_address_opened_signed_out_opens_that_page_after_sign_in(page, served_app, path, title):
    page.get_by_role("button", name="Sign in").wait_for()
    page.goto(f"{served_app}/{path}")
    page.get_by_role("button", name="Sign in").wait_for()
    assert page.get_by_text("Page not found").count() == 0
    sign_in(page, "peer.maria", DEMO_PASSWORD)
    page.get_by_role("heading", name=title, exact=True).wait_for()
    assert page.url == f"{served_app}/{path}"
    assert page.get_by_text("Page not found").count() == 0


def test_the_address_of_a_page_of_another_role_says_the_account_lacks_that_role(page, served_app):
    page.goto(f"{served_app}/prep")
    sign_in(page, "peer.maria", DEMO_PASSWORD)
    page.get_by_text("This page is for the supervisor role, which your account does not have.").wait_for()
    assert page.get_by_text("Page not found").count() == 0
