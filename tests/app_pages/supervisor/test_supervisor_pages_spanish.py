"""The supervisor pages in Spanish: every text they show has a translation (the `spanish` fixture fails otherwise)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from console.core.i18n import _, use_language
from db.models import utcnow
from tests.app_pages.conftest import shown, sign_in, texts
from tests.supervision_data import (
    PRIVATE_REFLECTION,
    add_action_item,
    add_reach_out,
    add_session_row,
    add_wellness_history,
)

ROOT = Path(__file__).resolve().parents[3]


def in_spanish(message: str, **values: object) -> str:
    with use_language("es"):
        return _(message, **values)


def open_as_supervisor(page: str) -> AppTest:
    app = sign_in("supervisor")
    if page != "prep.py":
        app.switch_page(str(ROOT / "app_pages" / "supervisor" / page)).run()
    assert not app.exception
    return app


@pytest.fixture
def today():
    return utcnow().date()


@pytest.fixture
def histories(app_database, session, today):
    world = app_database
    for peer in (world.peer_completion, world.peer, world.peer_scores):
        add_wellness_history(session, peer, today=today)
    add_reach_out(session, world.peer_scores, on=today)
    row = add_session_row(session, world.supervisor, [world.peer], held_on=today - timedelta(days=3),
                          notes="Mis notas.", private_reflection=PRIVATE_REFLECTION)
    add_action_item(session, row, world.peer, text="Reservar la sesión de descarga.", due_on=today - timedelta(days=1))
    return world


def test_the_prep_sheet_in_spanish(histories, spanish, downloads):
    app = open_as_supervisor("prep.py")
    assert app.title[0].value == "Preparación semanal de la supervisión"
    page = texts(app)
    assert "Agotamiento está en el nivel alto" in page
    assert "Pidió que le contacten el" in page
    assert "Sugiere supervisión de apoyo." in page
    printable = downloads(app.get("download_button")[0]).decode()
    assert printable.startswith("Preparación semanal de la supervisión: ")
    assert "Registros semanales: " in printable and "Agotamiento" in printable


def test_starting_a_session_from_a_card_in_spanish(histories, spanish):
    world = histories
    app = open_as_supervisor("prep.py")
    next(found for found in app.button if found.key == f"start_{world.peer.id}").click().run()
    assert not app.exception
    assert app.title[0].value == "Registrar una sesión"
    assert any(found.label == "Persona supervisada" for found in app.selectbox)
    assert "Agotamiento está en el nivel alto" in texts(app)
    assert any(found.label == in_spanish("Self-care practices") for found in app.checkbox)


def test_a_session_refused_in_spanish_says_what_to_fix(histories, spanish):
    app = open_as_supervisor("record_session.py")
    key = next(found.key for found in app.radio if found.label == "Tipo de sesión").removesuffix("_kind")
    app.selectbox(key=f"{key}_supervisee").set_value(histories.peer.id).run()
    for function in ("administrative", "educational", "supportive"):
        app.number_input(key=f"{key}_minutes_{function}").set_value(0)
    app.button(key=f"{key}_save").click().run()
    assert not app.exception
    assert in_spanish("Enter the minutes spent on at least one function.") in texts(app)
    assert "Todavía no se guardó nada" in texts(app)


def test_the_action_items_page_in_spanish(histories, spanish):
    app = open_as_supervisor("action_items.py")
    assert app.title[0].value == "Tareas acordadas"
    assert "vencida" in texts(app) and "Reservar la sesión de descarga." in texts(app)
    assert [option for option in app.radio(key="items_status").options] == ["Abiertas", "Vencidas", "Hechas", "Todas"]


def test_the_supervisee_detail_in_spanish(histories, spanish):
    app = open_as_supervisor("supervisees.py")
    assert app.title[0].value == "Personas que superviso"
    app.selectbox(key="detail_peer").set_value(histories.peer_scores.id).run()
    assert not app.exception
    assert shown(app.header[0].value) == "Peer Scores"
    assert "Se cumple la frecuencia semanal" in texts(app) or "No se cumple la frecuencia semanal" in texts(app)
    app.selectbox(key="detail_peer").set_value(histories.peer.id).run()
    assert not app.exception
    page = texts(app)
    assert "Se cumple la frecuencia semanal" in page and "Mis notas." in page and PRIVATE_REFLECTION in page
    assert "**Autoevaluaciones** (solo niveles)" in [str(element.value) for element in app.markdown]


def test_the_supervision_load_in_spanish(histories, spanish, today):
    app = open_as_supervisor("load.py")
    assert app.title[0].value == "Mi carga de supervisión"
    assert "Sin supervisión de apoyo en 28 días" in texts(app)
    assert [metric.label for metric in app.metric][:2] == ["Personas que superviso",
                                                           "Sesiones por semana, últimas 8 semanas"]
