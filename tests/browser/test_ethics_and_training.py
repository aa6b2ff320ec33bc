"""The ethics self-check and the training record, in Chromium at phone width."""

from datetime import timedelta

import pytest

from console.demo import DEMO_PASSWORD
from db.models import utcnow
from tests.browser.conftest import sign_in, type_segments

pytestmark = pytest.mark.browser


def _open_signed_in(phone, served_app: str, path: str, heading: str) -> None:
    phone.goto(f"{served_app}/{path}")
    phone.get_by_role("button", name="Sign in").wait_for()
    sign_in(phone, "peer.aaliyah", DEMO_PASSWORD)
    phone.get_by_role("heading", name=heading, exact=True, level=1).wait_for()


def test_a_peer_notes_an_ethics_item_and_shares_it_with_their_supervisor(phone, served_app):
    _open_signed_in(phone, served_app, "ethics", "Ethics self-check")
    phone.locator('[data-testid="stCheckbox"]').first.click()
    phone.get_by_role("textbox", name="A few words for yourself or your supervisor (optional)").fill(
        "Saying no to a favour from someone I serve.")
    phone.get_by_text("Share the ticked items with my supervisor").click()
    phone.get_by_role("button", name="Keep these for supervision").click()
    phone.get_by_text("Kept and shared with your supervisor.").wait_for()
    phone.get_by_text("shared with your supervisor", exact=False).last.wait_for()
    phone.get_by_text("Saying no to a favour from someone I serve.").wait_for()
    phone.get_by_role("button", name="Stop sharing").first.wait_for()


def test_a_peer_records_a_training(phone, served_app):
    _open_signed_in(phone, served_app, "training", "Training")
    phone.get_by_role("textbox", name="Name (optional unless the kind is Other)").fill("Naloxone refresher")
    done = utcnow().date() - timedelta(days=28)
    type_segments(phone, "Completed on", [f"{done:%Y}", f"{done:%m}", f"{done:%d}"])
    phone.get_by_role("button", name="Save the training").click()
    phone.get_by_text("Naloxone refresher").first.wait_for()
