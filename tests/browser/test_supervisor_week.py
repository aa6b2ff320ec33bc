import pytest

from console.demo import DEMO_PASSWORD
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

NOTE = "Debriefed the overdose calls; agreed on a lighter week."
ITEM = "Book the EAP debrief before Friday."


def test_demo_supervisor_records_a_session_from_the_prep_sheet_and_the_peer_sees_the_action_item(page):
    sign_in(page, "supervisor.dana", DEMO_PASSWORD)
    page.get_by_role("heading", name="Weekly supervision prep").wait_for()
    page.get_by_role("heading", name="Maria Delgado").wait_for()
    page.get_by_role("button", name="Start session").first.click()

    page.get_by_role("heading", name="Record a session").wait_for()
    page.get_by_text("From the prep card").wait_for()
    notes = page.get_by_role("textbox", name="Supportive notes")
    notes.fill(NOTE)
    notes.press("Control+Enter")
    item = page.get_by_role("textbox", name="To do").first
    item.fill(ITEM)
    item.press("Enter")
    page.get_by_role("button", name="Save session").click()
    page.get_by_text("Saved the session").wait_for()
    assert page.get_by_text("with Maria Delgado, with 1 action item.").count() == 1

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "peer.maria", DEMO_PASSWORD)
    page.get_by_text(ITEM).wait_for()
