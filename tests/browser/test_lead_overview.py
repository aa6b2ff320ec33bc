import csv
import io

import pytest

from console.demo import DEMO_PASSWORD
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_demo_lead_opens_the_overview_and_downloads_a_csv(page, tmp_path):
    sign_in(page, "lead.jordan", DEMO_PASSWORD)
    page.get_by_role("heading", name="Program overview").wait_for()
    page.get_by_text("are counted together as").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download participation.csv").click()
    saved = tmp_path / "participation.csv"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = {row["team"]: row for row in csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig")))}
    assert rows["Overdose Response Team"]["peers"] == "6"
    assert rows["Hospital Bridge Team"]["note"].startswith("withheld: counted in Smaller teams combined")
    assert rows["Hospital Bridge Team"]["peers"] == "—"
    assert rows["Smaller teams combined"]["peers"] == "5"
    page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)
