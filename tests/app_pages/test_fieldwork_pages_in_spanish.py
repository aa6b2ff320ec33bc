"""The field-work pages in Spanish: every text they show has a translation (the `spanish` fixture fails otherwise)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from console.core.i18n import _, use_language
from console.fieldwork import callouts, ethics, field_visits, trainings
from tests.app_pages.conftest import texts
from tests.app_pages.peer_pages import open_page


@pytest.fixture
def in_spanish(spanish) -> Iterator[None]:
    """The program in Spanish, and the test too: AppTest shows a widget's options through its `format_func` in
    the test's own thread."""
    with use_language("es"):
        yield


def _hard_call(session, peer) -> callouts.LoggedCallOut:
    start = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    return callouts.log_callout(session, actor=peer, started_at=start, ended_at=start + timedelta(hours=1),
                                kind="overdose_fatal", setting="home", rating=4, with_whom=["ems", "police"],
                                actions=["naloxone"], note="Waited a long time.", idempotency_key=uuid.uuid4().hex)


def test_the_call_out_log_speaks_spanish(app_database, session, in_spanish):
    start = datetime(2026, 11, 23, 21, 0, tzinfo=UTC)
    callouts.log_callout(session, actor=app_database.peer, started_at=start, ended_at=start + timedelta(hours=1),
                         kind="welfare_check", setting="street", rating=2, actions=["engaged", "follow_up"],
                         idempotency_key=uuid.uuid4().hex)
    app = open_page("peer_bands", "peer/callouts.py")
    assert not app.exception
    assert app.title[0].value == "Registro de salidas de guardia"
    shown = texts(app)
    assert "Mis salidas de guardia recientes" in shown and "Visita de comprobación de bienestar" in shown
    assert "Lo que hice: hablé con la persona" in shown
    next(button for button in app.button if button.label == "Registrar esta salida de guardia").click().run()
    assert "Indique cuándo empezó la salida de guardia." in texts(app)


def test_the_field_visit_page_speaks_spanish(app_database, session, in_spanish):
    field_visits.document_incident(session, actor=app_database.peer, occurred_on=app_database.today,
                                   what_happened="A dog at the door.", reported=True, follow_up_wanted=True,
                                   idempotency_key=uuid.uuid4().hex)
    app = open_page("peer_bands", "peer/field_visit.py")
    assert not app.exception
    assert app.title[0].value == "Visita de campo"
    assert "**Incidentes que usted documentó**" in [element.value for element in app.markdown]
    app.selectbox(key="field_visit_minutes").set_value(90)
    next(button for button in app.button if button.label == "Iniciar el temporizador de aviso").click().run()
    assert not app.exception
    shown = texts(app)
    assert "Temporizador iniciado." in shown and "Estaré de vuelta a las" in shown
    next(button for button in app.button if button.label == "Estoy bien — cerrar la visita").click().run()
    assert "Nos alegra que esté bien." in texts(app)


def test_the_ethics_self_check_speaks_spanish(app_database, session, in_spanish):
    ethics.note_items(session, actor=app_database.peer, notes={"group_dual": ""}, share=False)
    app = open_page("peer_bands", "peer/ethics.py")
    assert not app.exception
    assert app.title[0].value == "Autoevaluación ética"
    assert _(ethics.STATEMENTS["self_mistakes"][1].text) in [box.label for box in app.checkbox]
    shown = texts(app)
    assert "Para llevar a supervisión" in shown and "privado, solo para usted" in shown


def test_the_training_pages_speak_spanish(app_database, session, in_spanish):
    world = app_database
    trainings.record_training(session, actor=world.supervisor, person_id=world.peer.id, kind="crisis_response_72h",
                              name="", completed_on=world.today - timedelta(days=300),
                              renews_on=world.today + timedelta(days=20))
    app = open_page("peer_bands", "peer/training.py")
    assert not app.exception
    assert app.title[0].value == "Capacitación"
    assert "Capacitación de 72 horas en crisis y respuesta" in texts(app)
    next(button for button in app.button if button.label == "Guardar la capacitación").click().run()
    assert "Completada el:" in texts(app)

    supervisor = open_page("supervisor", "supervisor/training.py")
    assert not supervisor.exception
    assert supervisor.title[0].value == "Capacitación y renovaciones"
    assert "próxima" in texts(supervisor)


def test_the_supervisor_call_outs_page_speaks_spanish(app_database, session, in_spanish):
    _hard_call(session, app_database.peer)
    app = open_page("supervisor", "supervisor/callouts.py")
    assert not app.exception
    assert app.title[0].value == "Salidas de guardia y sesiones de descarga"
    shown = texts(app)
    assert "una sobredosis mortal" in shown and "Ofrezca una sesión de descarga antes del" in shown


def test_the_lead_call_outs_page_speaks_spanish(app_database, session, in_spanish):
    app = open_page("lead", "lead/callouts.py")
    assert not app.exception
    assert app.title[0].value == "Salidas de guardia"
    assert "se publicaron una sola vez" in texts(app) and "Meses cerrados" in [box.label for box in app.selectbox]

    start = datetime(2026, 10, 14, 22, 0, tzinfo=UTC)
    for peer in (app_database.peer, app_database.peer_scores, app_database.other_peer):
        callouts.log_callout(session, actor=peer, started_at=start, ended_at=start + timedelta(hours=1),
                             kind="overdose_nonfatal", setting="street", rating=2, idempotency_key=uuid.uuid4().hex,
                             now=start + timedelta(hours=2))
    app = open_page("lead", "lead/callouts.py")
    assert not app.exception
    frame = app.dataframe[0].value
    assert {"Equipo", "Salidas de guardia", "Sobredosis no mortal", "Nota"} <= set(frame.columns)
    assert "Todos los equipos" in list(frame["Equipo"])
