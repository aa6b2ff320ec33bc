"""The peer's wellness pages in Spanish: every text they show has a translation (the `spanish` fixture fails the
test on any that has none), and a peer can do the whole weekly check-in in Spanish."""

from datetime import timedelta

from sqlmodel import select

from console.core.i18n import _, show_day, use_language
from db.models import Assessment, PulseCheckin, utcnow
from tests.app_pages.conftest import sign_in, texts
from tests.app_pages.peer_pages import button, open_page
from tests.peer_data import answers_for, check_in, take_assessment
from tests.supervision_data import add_action_item, add_session_row


def es(message: str, **values) -> str:
    """A message as the page shows it in Spanish. A widget whose `format_func` translates is also set inside
    `use_language("es")`: AppTest formats the value it sends in the test's own thread."""
    with use_language("es"):
        return _(message, **values)


def announced(app) -> str:
    return "\n".join(element.proto.body for element in app.get("html"))


def test_home_in_spanish_with_history(app_database, session, spanish):
    today = utcnow().date()
    check_in(session, app_database.peer, on=today, caseload=22)
    take_assessment(session, app_database.peer, on=today - timedelta(days=45), burnout=44)
    row = add_session_row(session, app_database.supervisor, [app_database.peer], held_on=today - timedelta(days=9))
    add_action_item(session, row, app_database.peer, text="Llamar a Ana", due_on=today - timedelta(days=1))

    app = sign_in("peer_bands")
    assert not app.exception
    shown = texts(app)
    assert app.title[0].value == "Inicio"
    assert es("What's due") in shown and es("At a glance") in shown
    assert es("This week's check-in is done. Thank you.") in shown
    assert app.table[0].value["nivel"].tolist() == ["moderado", "alto", "moderado"]
    assert "Vencida: vence el" in shown


def test_a_peer_completes_the_weekly_check_in_in_spanish(app_database, session, spanish):
    app = open_page("peer_bands", "peer/checkin.py")
    assert not app.exception
    assert app.title[0].value == "Registro semanal"
    assert app.subheader[0].value == "¿Cómo fue su semana?"
    monday = utcnow().date() - timedelta(days=utcnow().date().weekday())
    with use_language("es"):
        assert f"Esta semana: {show_day(monday)} al {show_day(monday + timedelta(days=6))}." in texts(app)
    for key, value in (("pulse_energy", 4), ("pulse_stress", 2), ("pulse_sleep", 1), ("pulse_workload", 3)):
        app.button_group(key=key).set_value(value)
    app.button(key="checkin_next").click().run()
    assert app.subheader[0].value == "Lo que trajo la semana"
    assert "**Esta semana yo…**" in [element.value for element in app.markdown]
    app.checkbox(key="exposure_overdose_scene").check()
    app.checkbox(key="self_care_movement").check()
    app.button(key="checkin_next").click().run()
    assert app.subheader[0].value == "Carga de trabajo"
    app.number_input(key="pulse_caseload").set_value(24)
    app.button(key="checkin_next").click().run()
    assert app.subheader[0].value == "¿Algo más?"
    assert app.button(key="checkin_back").label == "Atrás"
    app.text_area(key="pulse_note").set_value("Una semana larga.")
    app.checkbox(key="pulse_wants_to_talk").check()
    assert app.button(key="checkin_save").label == "Guardar mi registro semanal"
    app.button(key="checkin_save").click().run()

    assert not app.exception
    assert "Gracias, su registro semanal está guardado." in announced(app)
    shown = texts(app)
    assert "Su semana" in shown and "Algo que puede ayudar" in shown
    assert "Hable de lo ocurrido con alguien de confianza" in shown
    assert es("You said you'd like to talk about this in supervision; your supervisor will see that.") in shown
    assert app.expander[0].label == "Cambiar el registro semanal de esta semana"
    assert app.table[0].value["casos a cargo"].tolist() == [24]
    session.expire_all()
    saved = session.exec(select(PulseCheckin).where(PulseCheckin.peer_id == app_database.peer.id)).all()
    assert len(saved) == 1 and saved[0].wants_to_talk and saved[0].note == "Una semana larga."


def test_check_in_problems_are_shown_in_spanish(app_database, spanish):
    app = open_page("peer_bands", "peer/checkin.py")
    for _step in range(3):
        app.button(key="checkin_next").click().run()
    app.button(key="checkin_save").click().run()
    assert not app.exception
    shown = texts(app)
    assert es("Answer at least one of the questions about your week.") in shown
    assert app.subheader[0].value == "¿Cómo fue su semana?"


def test_self_assessment_in_spanish_from_start_to_results(app_database, session, spanish):
    app = open_page("peer_bands", "peer/assessment.py")
    assert app.title[0].value == "Autoevaluación"
    assert "Esta será su primera autoevaluación." in texts(app)
    button(app, "Empezar la autoevaluación").click().run()
    answers = answers_for({"burnout": 30, "secondary_traumatic_stress": 28, "compassion_satisfaction": 38})
    for page in range(3):
        assert f"Página {page + 1} de 3." in texts(app)
        for number in range(page * 10 + 1, page * 10 + 11):
            app.radio(key=f"assessment_item_{number}").set_value(answers[number])
        button(app, "Revisar mis respuestas" if page == 2 else "Siguiente").click().run()
    assert app.header[0].value == "Revise sus respuestas"
    assert "su respuesta" in app.dataframe[0].value.columns
    button(app, "Enviar mis respuestas").click().run()
    assert not app.exception
    shown = texts(app)
    assert "Gracias. Sus respuestas están guardadas." in shown
    assert "moderado (puntuación 30)" in shown
    assert "Su primer resultado: la próxima vez verá cómo se compara." in shown
    session.expire_all()
    assert len(session.exec(select(Assessment).where(Assessment.peer_id == app_database.peer.id)).all()) == 1


def test_trends_in_spanish(app_database, session, spanish):
    today = utcnow().date()
    for weeks_ago in range(6):
        check_in(session, app_database.peer, on=today - timedelta(weeks=weeks_ago), caseload=20)
    take_assessment(session, app_database.peer, on=today - timedelta(days=30), burnout=30)
    app = open_page("peer_bands", "peer/trends.py")
    assert not app.exception
    assert app.title[0].value == "Mis tendencias"
    assert [header.value for header in app.header] == ["Autoevaluación", "Registros semanales"]
    assert app.button_group(key="trend_range").value == "6 months"
    with use_language("es"):
        app.button_group(key="trend_range").set_value("Everything").run()
    assert not app.exception
    assert app.button_group(key="trend_range").value == "Everything"
    assert app.button_group(key="trend_range").options[-1] == "Todo"
    assert "**El autocuidado que logré**" in [element.value for element in app.markdown]


def test_wellness_plan_in_spanish(app_database, spanish):
    app = open_page("peer_bands", "peer/plan.py")
    assert app.title[0].value == "Plan de bienestar"
    app.text_area(key="plan_what_helps").set_value("Caminar después del turno.")
    button(app, "Guardar mi plan").click().run()
    assert not app.exception
    assert "Guardado. Esta es la versión 1 de su plan." in texts(app)
    with use_language("es"):
        app.button_group(key="plan_view").set_value("Printable view").run()
        assert "Lo que me ayuda" in [header.value for header in app.header]
        app.button_group(key="plan_view").set_value("Earlier versions").run()
    assert not app.exception
    assert app.selectbox[0].label == "Versión"


def test_my_supervision_in_spanish(app_database, session, spanish):
    today = utcnow().date()
    row = add_session_row(session, app_database.supervisor, [app_database.peer], held_on=today - timedelta(days=9))
    add_action_item(session, row, app_database.peer, text="Llamar a Ana", due_on=today + timedelta(days=3))
    app = open_page("peer_bands", "peer/my_supervision.py")
    assert not app.exception
    assert app.title[0].value == "Mi supervisión"
    assert "**Mis tareas de esta sesión**" in [element.value for element in app.markdown]


def test_privacy_in_spanish(app_database, spanish):
    app = open_page("peer_bands", "peer/privacy.py")
    assert not app.exception
    assert app.title[0].value == "Privacidad y datos compartidos"
    assert es("Who can see my data") in [header.value for header in app.header]


def test_support_in_spanish(app_database, spanish):
    app = open_page("peer_bands", "peer/support.py")
    assert app.title[0].value == "Apoyo ahora"
    button(app, "Por favor, comuníquense conmigo").click().run()
    assert not app.exception
    shown = texts(app)
    assert "Lo pidió el" in shown and "puede ver su solicitud." in shown
    assert "Dele su espacio a la pérdida" in shown
