"""The sign-in, account and admin pages in Spanish: every text they show has a translation (the `spanish` fixture
fails otherwise), and the sign-in page offers every language before anyone signs in."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from console.core.i18n import LANGUAGES, _, use_language
from console.web.ui import LANGUAGE_KEY
from tests.app_pages.conftest import open_app, shown, sign_in, texts

ROOT = Path(__file__).resolve().parents[2]


def in_spanish(message: str, **values: object) -> str:
    with use_language("es"):
        return _(message, **values)


def language_switch(app: AppTest):
    return next(radio for radio in app.radio if radio.key and radio.key.startswith("sign_in_language_"))


def open_as(username: str, page: str) -> AppTest:
    app = sign_in(username)
    assert not app.exception
    app.switch_page(str(ROOT / "app_pages" / page)).run()
    assert not app.exception
    return app


def test_the_sign_in_page_in_spanish(spanish):
    app = open_app()
    assert not app.exception
    assert app.title[0].value == "Consola de Bienestar entre Pares"
    assert [field.label for field in app.text_input] == ["Nombre de usuario", "Contraseña"]
    assert app.button[0].label == "Iniciar sesión"
    assert language_switch(app).value == "es"


def test_a_wrong_password_is_explained_in_spanish(spanish):
    app = sign_in("peer_bands", "not the right password")
    assert "Nombre de usuario o contraseña incorrectos." in shown(app.error[0].value)


def test_the_language_switch_offers_every_language_and_applies_at_once(app_database):
    app = open_app()
    switch = language_switch(app)
    assert switch.options == list(LANGUAGES.values())
    assert switch.value == "en"
    assert switch.label == "Language · Idioma"
    switch.set_value("es").run()
    assert not app.exception
    assert app.session_state[LANGUAGE_KEY] == "es"
    assert app.title[0].value == in_spanish("Peer Wellness Console")
    assert app.button[0].label == in_spanish("Sign in")
    language_switch(app).set_value("en").run()
    assert app.title[0].value == "Peer Wellness Console"


def test_the_chosen_language_carries_on_to_the_pages_signed_out(app_database):
    app = open_app()
    language_switch(app).set_value("es").run()
    next(button for button in app.button if button.label == in_spanish(
        "I have a one-time code: choose my password")).click().run()
    assert not app.exception
    assert app.title[0].value == in_spanish("Choose your password")


def test_the_set_password_page_in_spanish(spanish):
    app = open_app()
    app.button[1].click().run()
    assert not app.exception
    assert app.title[0].value == "Elija su contraseña"
    assert _("Enter the one-time code your administrator gave you.") in texts(app)


def test_my_account_in_spanish(spanish):
    app = open_as("peer_bands", "account.py")
    assert app.title[0].value == "Mi cuenta"
    headers = [header.value for header in app.header]
    assert _("Change password") in headers and _("Notifications") in headers
    assert "Cerrar sesión" in [button.label for button in app.sidebar.button]


def test_the_change_password_refusal_in_spanish(spanish):
    app = open_as("peer_bands", "account.py")
    current, new, again = (field for field in app.text_input if field.label in (
        _("Current password"), _("New password (at least 12 characters)"), _("New password again")))
    current.set_value("not the right one")
    new.set_value("a brand new passphrase")
    again.set_value("a brand new passphrase")
    next(button for button in app.button if button.label == _("Change password")).click().run()
    assert _("Your current password is not right.") in texts(app)


@pytest.mark.parametrize(("page", "title"), [
    ("admin/accounts.py", "Cuentas"),
    ("admin/teams.py", "Equipos y supervisión"),
    ("admin/roster.py", "Importar la lista de personal"),
    ("admin/settings.py", "Ajustes del programa"),
    ("admin/audit.py", "Registro de auditoría"),
])
def test_the_admin_pages_in_spanish(spanish, page, title):
    app = open_as("admin", page)
    assert app.title[0].value == title


def test_the_settings_page_explains_its_thresholds_in_spanish(spanish):
    app = open_as("admin", "admin/settings.py")
    assert _("Thresholds and windows") in [header.value for header in app.header]
    labels = [field.label for field in app.number_input]
    assert "Umbral de anonimato k" in labels
    assert "Pauta de número de casos, máximo" in labels


def test_an_account_refused_in_spanish_says_what_to_fix(spanish):
    app = open_as("admin", "admin/accounts.py")
    next(button for button in app.button if button.label == _("Create account")).click().run()
    assert not app.exception
    assert any(_("Enter the name people will see.") in shown(error.value) for error in app.error)


def test_a_roster_checked_in_spanish_lists_its_problems(spanish):
    app = open_as("admin", "admin/roster.py")
    app.text_area[0].set_value("record,team,setting\nteam,,\n").run()
    next(button for button in app.button if button.label == _("Check the file")).click().run()
    assert not app.exception
    page = texts(app)
    assert "No se importó la lista de personal" in page


def test_signing_out_says_so_in_spanish(spanish):
    app = sign_in("peer_bands")
    next(button for button in app.sidebar.button if button.label == _("Sign out")).click().run()
    assert not app.exception
    assert app.title[0].value == "Consola de Bienestar entre Pares"
    assert "Ha cerrado la sesión." in [shown(info.value) for info in app.info]
