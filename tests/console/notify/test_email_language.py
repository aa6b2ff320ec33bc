"""Every email is written in its recipient's language: theirs, else the program's default (always the default
for the backup contact, who has no account). Delivered through a live SMTP server on loopback."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from console.admin.accounts import assign_supervision, create_user
from console.core import clock, i18n
from console.core.i18n import _, use_language
from console.core.program_settings import write_settings
from console.notify import mail_sender, notifications
from console.notify.account_notices import my_notices
from console.notify.kinds import (
    ACTION_ITEMS_OVERDUE,
    DEBRIEF_TO_OFFER,
    FIELD_VISIT_BACKUP,
    FIGURES_RELEASED,
    INVITATION,
    KINDS,
    NEW_VIEWER,
    REACH_OUT,
    Kind,
)
from db.models import User
from tests.mail_servers import Handler, Received, assert_no_wellness_data_leaks, smtp_server

PARAMS = {"response_hours": 4, "supervisees": 3, "checkins": 2, "reach_outs": 1, "overdue_items": 0, "count": 2,
          "supervisor": "Other Supervisor", "functions": "educational, supportive",
          "due": "2026-11-27T14:00:00+00:00", "window_hours": 72, "month": "2026-10-01", "released": 3, "cells": 4}


@pytest.fixture
def strict(monkeypatch) -> set[tuple[str, str]]:
    """Fails the test on any message asked for in Spanish that the catalogue lacks."""
    missing: set[tuple[str, str]] = set()
    monkeypatch.setattr(i18n, "missing_messages", missing)
    yield missing
    assert not missing, "Written without a Spanish translation:\n" + "\n".join(sorted(text for _, text in missing))


@pytest.fixture
def readers(session, world):
    """The supervisor reads Spanish, the lead English; the program's default stays English."""
    world.supervisor.language = "es"
    world.lead.language = "en"
    for user in session.exec(select(User)).all():
        user.email = f"{user.username}@example.org"
        session.add(user)
    session.commit()
    return world


def _deliver(session) -> dict[str, Received]:
    handler = Handler()
    with smtp_server(handler) as mail:
        report = mail_sender.deliver(session.get_bind(), mail=mail)
    assert report.failed == report.retrying == report.suppressed == 0
    assert_no_wellness_data_leaks(session, handler.received)
    return {item.recipients[0]: item for item in handler.received}


def _params(kind: Kind) -> dict[str, object]:
    if kind is INVITATION:
        return {"path": "?code=abc", "expires_at": (clock.now() + timedelta(days=3)).isoformat()}
    return PARAMS


def _opening(template: str) -> str:
    """The longest run of a body's words without a field or a line break."""
    return max(re.split(r"\{\w+\}|\n", template), key=len)[:60]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.code)
def test_each_kind_reaches_a_spanish_reader_in_spanish_and_an_english_reader_in_english(session, readers, strict,
                                                                                          kind):
    for recipient in (readers.supervisor, readers.lead):
        notifications.enqueue(session, recipient=recipient, kind=kind, params=_params(kind))
    session.commit()
    received = _deliver(session)
    spanish, english = received["supervisor@example.org"], received["lead@example.org"]
    template = notifications.TEMPLATES[kind.code]
    with use_language("es"):
        spanish_subject = _(template.subject)
        spanish_body = _(template.body) if isinstance(template.body, str) else template.body(PARAMS)
    assert spanish_subject != template.subject
    assert spanish.message["Subject"] == spanish_subject
    assert english.message["Subject"] == template.subject
    english_body = template.body if isinstance(template.body, str) else template.body(PARAMS)
    assert _opening(spanish_body) in spanish.text and _opening(english_body) not in spanish.text
    assert _opening(english_body) in english.text
    assert "Abra la consola: https://" in spanish.text and "Open the console: https://" in english.text
    assert (spanish.message["Content-Language"], english.message["Content-Language"]) == ("es", "en")
    if kind.optional:
        assert "Deje de recibir estos correos con un clic" in spanish.text
        assert "Stop these emails with one click" in english.text


def test_the_values_in_an_email_are_written_as_its_reader_reads_them(session, readers, strict):
    for kind in (DEBRIEF_TO_OFFER, FIGURES_RELEASED, NEW_VIEWER, ACTION_ITEMS_OVERDUE, INVITATION, REACH_OUT):
        for recipient in (readers.supervisor, readers.lead):
            notifications.enqueue(session, recipient=recipient, kind=kind, params=_params(kind))
    session.commit()
    handler = Handler()
    with smtp_server(handler) as mail:
        mail_sender.deliver(session.get_bind(), mail=mail)
    spanish = "\n".join(item.text for item in handler.received if item.recipients == ["supervisor@example.org"])
    english = "\n".join(item.text for item in handler.received if item.recipients == ["lead@example.org"])
    assert "a más tardar el viernes 27 de noviembre, 14:00 UTC (72 horas después de la llamada)" in spanish
    assert "by Friday 27 November, 14:00 UTC (72 hours after the call)" in english
    assert "Se publicaron las cifras del programa de octubre de 2026" in spanish
    assert "The program figures for October 2026 are released: 3 of 4" in english
    assert "Other Supervisor ahora lo supervisa (educativa y de apoyo)" in spanish
    assert "Other Supervisor now supervises you (educational and supportive)" in english
    assert "2 tareas acordadas en sus sesiones de supervisión pasaron su fecha límite" in spanish
    assert "2 action items set in your supervision sessions passed their due date" in english
    assert "El enlace funciona una sola vez, hasta el" in spanish and " UTC; después, pida uno nuevo" in spanish
    assert "The link works once, until" in english
    assert "en un plazo de 4 horas" in spanish and "within 4 hours" in english


def test_a_person_without_a_language_and_the_backup_contact_read_the_programs_default(session, readers, strict):
    write_settings(session, actor=None, changes={"language": "es", "backup_contact_email": "duty@example.org"},
                   on=readers.today)
    readers.other_supervisor.language = None
    session.add(readers.other_supervisor)
    notifications.enqueue_many(session, kind=FIELD_VISIT_BACKUP, messages=[
        notifications.Outgoing(None, "visit-1"), notifications.Outgoing(readers.other_supervisor, "visit-2"),
        notifications.Outgoing(readers.lead, "visit-3")])
    session.commit()
    received = _deliver(session)
    template = notifications.TEMPLATES[FIELD_VISIT_BACKUP.code]
    with use_language("es"):
        spanish_subject = _(template.subject)
    assert received["duty@example.org"].message["Subject"] == spanish_subject
    assert received["other_supervisor@example.org"].message["Subject"] == spanish_subject
    assert received["lead@example.org"].message["Subject"] == template.subject, "their own choice wins"


def test_a_spanish_reader_sees_their_account_notices_and_kinds_of_email_in_spanish(session, readers, strict):
    assign_supervision(session, actor=readers.admin, supervisor_id=readers.other_supervisor.id,
                       supervisee_id=readers.peer.id, functions=["supportive"], on=readers.today)
    with use_language("es"):
        [notice] = my_notices(session, actor=readers.peer, on=readers.today, recent_only=True)
        labels = [choice.label for choice in notifications.my_notifications(session, actor=readers.peer).choices]
    assert notice.text.startswith("Admin asignó a Other Supervisor como su supervisor (supervisión de apoyo).")
    assert "Recordatorio del registro semanal" in labels
    [english] = my_notices(session, actor=readers.peer, on=readers.today, recent_only=True)
    assert english.text.startswith("Admin made Other Supervisor your supervisor (supportive supervision).")


def test_the_services_that_write_emails_reach_a_spanish_program_in_spanish(session, readers, strict,
                                                                          cheap_password_hashing):
    write_settings(session, actor=None, changes={"language": "es"}, on=readers.today)
    readers.peer.language = None
    session.add(readers.peer)
    session.commit()
    assign_supervision(session, actor=readers.admin, supervisor_id=readers.other_supervisor.id,
                       supervisee_id=readers.peer.id, functions=["supportive", "administrative"], on=readers.today)
    create_user(session, actor=readers.admin, username="new.peer", display_name="New Peer", roles=["peer"],
                email="new.peer@example.org", on=readers.today, send_email=True)
    received = _deliver(session)
    viewer, invitation = received["peer_bands@example.org"], received["new.peer@example.org"]
    assert viewer.message["Subject"] == "Una persona más puede ver sus datos"
    assert "Other Supervisor ahora lo supervisa (administrativa y de apoyo)" in viewer.text
    assert invitation.message["Subject"] == "Está invitado a la Consola de Bienestar de Pares"
    assert "El enlace funciona una sola vez, hasta el" in invitation.text
