"""Program settings cannot break pages: a mistyped setting is refused beside its field, a second change on the
same page is saved, and a stored setting that stops working later leaves every other page working."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from console.core.program_settings import read_settings
from db.models import Setting
from tests.app_pages.conftest import sign_in, texts
from tests.app_pages.peer_pages import button, open_page

ROOT = Path(__file__).resolve().parents[3]
BUILTIN = ROOT / "scoring" / "instruments" / "proqol-style-30.toml"


def settings_page():
    app = sign_in("admin")
    app.switch_page(str(ROOT / "app_pages" / "admin/settings.py")).run()
    assert not app.exception
    return app


def save(app):
    button(app, "Save settings").click().run()
    assert not app.exception
    return app


def stored(session):
    session.expire_all()
    return read_settings(session)


def test_a_second_change_on_the_same_page_is_saved(app_database, session):
    app = settings_page()
    app.number_input(key="setting_anonymity_k").set_value(7)
    save(app)
    assert "Settings saved." in texts(app)
    assert stored(session).anonymity_k == 7
    app.number_input(key="setting_anonymity_k").set_value(9)
    app.text_input(key="setting_assessment_instrument").set_value("proqol-style-30")
    save(app)
    assert stored(session).anonymity_k == 9
    assert app.number_input(key="setting_anonymity_k").value == 9
    app.text_area(key="setting_support_contact").set_value("EAP 555-0100")
    save(app)
    app.text_area(key="setting_support_contact").set_value("EAP 555-0199")
    save(app)
    assert stored(session).support_contact == "EAP 555-0199"
    assert app.text_area(key="setting_support_contact").value == "EAP 555-0199"


@pytest.mark.parametrize(("key", "kind", "value", "message"), [
    ("setting_anonymity_k", "number_input", 1, "from 3 to 50"),
    ("setting_assessment_cadence_days", "number_input", 0, "from 7 to 365"),
    ("setting_assessment_instrument", "text_input", "proqol-style-3O", "no instrument 'proqol-style-3O'"),
    ("setting_instruments_folder", "text_input", "/no/such/folder", "there is no folder /no/such/folder"),
    ("setting_support_contact", "text_area", "EAP\x07 line", "control characters"),
])
def test_a_mistyped_setting_is_refused_beside_its_field(app_database, session, key, kind, value, message):
    app = settings_page()
    getattr(app, kind)(key=key).set_value(value)
    save(app)
    shown = texts(app)
    assert message in shown
    assert "Nothing was saved: 1 setting to fix" in shown
    assert "Settings saved." not in shown
    assert getattr(app, kind)(key=key).value == value
    assert stored(session) == read_settings(session) and session.get(Setting, key.removeprefix("setting_")) is None


@pytest.fixture
def broken_instrument_setting(app_database, session, tmp_path):
    """A folder with a second instrument, saved as the self-assessment, whose file is then removed."""
    folder = tmp_path / "instruments"
    folder.mkdir()
    text = BUILTIN.read_text().replace('id = "proqol-style-30"', 'id = "program-check"')
    (folder / "program-check.toml").write_text(text)
    app = settings_page()
    app.text_input(key="setting_instruments_folder").set_value(str(folder))
    app.text_input(key="setting_assessment_instrument").set_value("program-check")
    save(app)
    assert stored(session).assessment_instrument == "program-check"
    shutil.rmtree(folder)
    return folder


def test_a_setting_that_stops_working_is_shown_at_the_top_of_the_admin_page(broken_instrument_setting):
    shown = texts(settings_page())
    assert "A stored setting needs your attention" in shown
    assert f"there is no folder {broken_instrument_setting}" in shown


def test_a_setting_that_stops_working_breaks_no_peer_page(broken_instrument_setting):
    home = open_page("peer_bands", "peer/home.py")
    assert not home.exception
    shown = texts(home)
    assert "This week's check-in is waiting for you" in shown
    assert "An admin can fix this on Program settings" in shown
    assert "Traceback" not in shown and str(broken_instrument_setting) not in shown

    checkin = open_page("peer_bands", "peer/checkin.py")
    assert not checkin.exception and "How was your week?" in texts(checkin)

    assessment = open_page("peer_bands", "peer/assessment.py")
    assert not assessment.exception
    assert "cannot be loaded right now" in texts(assessment)
    assert "An admin can fix this on Program settings" in texts(assessment)


def test_a_setting_that_stops_working_is_explained_on_the_lead_overview(broken_instrument_setting):
    overview = open_page("lead", "lead/overview.py")
    assert not overview.exception
    assert "An admin can fix this on Program settings" in texts(overview)


@pytest.mark.parametrize(("username", "page"), [("supervisor", "supervisor/prep.py"), ("peer_bands", "peer/trends.py")])
def test_other_pages_that_need_the_instrument_say_what_is_wrong(broken_instrument_setting, username, page):
    app = open_page(username, page)
    assert not app.exception
    shown = texts(app)
    assert "An admin can fix this on Program settings" in shown and "Traceback" not in shown


def test_a_threshold_below_five_is_allowed_with_a_warning(app_database, session):
    app = settings_page()
    assert "A threshold below 5" not in texts(app)
    app.number_input(key="setting_anonymity_k").set_value(3)
    save(app)
    assert stored(session).anonymity_k == 3
    assert "A threshold below 5 shows figures built from as few as 3 peers" in texts(app)
