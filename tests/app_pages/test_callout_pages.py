from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import select

from console.core.program_settings import read_settings
from console.fieldwork import callouts
from db.models import CallOut, SupervisionSession
from tests.app_pages.conftest import texts
from tests.app_pages.peer_pages import ROOT, button, open_page, plain_texts


def _fill(app, *, kind: str = "overdose_nonfatal", rating: int = 2, note: str = ""):
    app.time_input(key="callout_start_0").set_value(time(13, 0))
    app.time_input(key="callout_end_0").set_value(time(14, 10))
    app.radio(key="callout_kind_0").set_value(kind)
    app.radio(key="callout_setting_0").set_value("street")
    app.radio(key="callout_rating_0").set_value(rating)
    app.text_area(key="callout_note_0").set_value(note)
    return app


def test_a_peer_logs_a_call_out_and_sees_it_in_the_list(app_database, session):
    app = open_page("peer_bands", "peer/callouts.py")
    assert not app.exception
    assert "Nothing about the person you served" in texts(app)
    _fill(app, note="Waited a long time for EMS.").run()
    button(app, "Log this call-out").click().run()
    assert not app.exception
    assert "Logged." in texts(app)
    stored = session.exec(select(CallOut)).one()
    assert (stored.kind, stored.setting, stored.rating) == ("overdose_nonfatal", "street", 2)
    assert stored.started_at == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    assert "Waited a long time for EMS." in plain_texts(app)


def test_missing_answers_are_named_beside_their_fields_and_nothing_is_logged(app_database, session):
    app = open_page("peer_bands", "peer/callouts.py")
    button(app, "Log this call-out").click().run()
    shown = texts(app)
    assert "Enter when the call-out started." in shown and "Nothing is logged yet." in shown
    assert session.exec(select(CallOut)).all() == []


def test_a_note_that_may_name_the_person_served_is_warned_about_beside_the_field(app_database, session):
    app = _fill(open_page("peer_bands", "peer/callouts.py"), note="Her name is Maria, call 555-201-3344").run()
    shown = texts(app)
    assert "This may identify the person you served" in shown and "a phone number" in shown
    button(app, "Log this call-out").click().run()
    assert session.exec(select(CallOut)).all() == []
    app.checkbox(key="callout_confirmed_0").check().run()
    button(app, "Log this call-out").click().run()
    assert len(session.exec(select(CallOut)).all()) == 1


def test_a_fatal_overdose_opens_the_after_incident_check_in(app_database, session):
    app = _fill(open_page("peer_bands", "peer/callouts.py"), kind="overdose_fatal", rating=4).run()
    button(app, "Log this call-out").click().run()
    shown = texts(app)
    assert "After a hard call" in shown and "988" in shown
    callout = session.exec(select(CallOut)).one()
    app.radio(key=f"after_{callout.id}_right_now").set_value(3)
    app.checkbox(key=f"after_{callout.id}_debrief").check()
    button(app, "Save my answers").click().run()
    assert not app.exception
    session.expire_all()
    stored = session.get(CallOut, callout.id)
    assert stored.after_checkin["right_now"] == 3 and stored.debrief_requested_at is not None
    assert "After a hard call" not in texts(app)


def _hard_call(session, peer) -> callouts.LoggedCallOut:
    start = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    return callouts.log_callout(session, actor=peer, started_at=start, ended_at=start + timedelta(hours=1),
                                kind="overdose_fatal", setting="home", rating=4, idempotency_key=f"hard{peer.id}")


def test_the_supervisor_is_prompted_and_records_a_debrief(app_database, session):
    logged = _hard_call(session, app_database.peer)
    prep = open_page("supervisor", "supervisor/prep.py")
    assert "offer a debrief by" in texts(prep)
    app = open_page("supervisor", "supervisor/callouts.py")
    assert not app.exception
    assert "a fatal overdose" in texts(app)
    app.multiselect(key="debrief_calls").set_value([logged.id])
    next(candidate for candidate in app.button if candidate.label == "Record the debrief").click().run()
    assert not app.exception
    assert "Debrief recorded as supportive supervision." in texts(app)
    session.expire_all()
    row = session.exec(select(SupervisionSession)).one()
    assert row.minutes_supportive == 30
    assert session.get(CallOut, logged.id).debrief_session_id == row.id


def test_the_lead_sees_call_outs_per_team(app_database):
    app = open_page("lead", "lead/callouts.py")
    assert not app.exception
    assert app.title[0].value == "Call-outs"
    assert "released once, when the month closed" in texts(app)


def test_the_admin_sets_working_hours_beside_their_fields(app_database, session):
    app = open_page("admin", "admin/settings.py")
    app.text_input(key="setting_working_hours_end").set_value("07:00")
    next(candidate for candidate in app.button if candidate.label == "Save working hours").click().run()
    assert "The working day must end after it starts" in texts(app)
    app.text_input(key="setting_working_hours_end").set_value("18:30")
    next(candidate for candidate in app.button if candidate.label == "Save working hours").click().run()
    assert "Working hours saved." in texts(app)
    session.expire_all()
    assert read_settings(session).working_hours_end == "18:30"


def test_the_pages_are_in_the_menus():
    for page in ("peer/callouts.py", "supervisor/callouts.py", "lead/callouts.py"):
        assert (ROOT / "app_pages" / page).exists()


def _places(block, path: tuple[int, ...] = ()) -> list[tuple[tuple[int, ...], str]]:
    """Every element under `block` with its place: the index of each block on the way down, as the browser
    numbers them."""
    found = []
    for index, child in sorted(block.children.items()):
        found.append(((*path, index), child.type))
        if getattr(child, "children", None):
            found += _places(child, (*path, index))
    return found


def _form_place(app) -> list[tuple[tuple[int, ...], str]]:
    """Where the form's fields sit: the browser keeps a field (and what is half typed into it) only while it
    stays at the same place from one run to the next."""
    return [(path, kind) for path, kind in _places(app.main)
            if kind in {"date_input", "time_input", "radio", "text_area"}]


def test_a_time_entered_after_changing_the_day_is_logged_and_the_fields_never_move(app_database, session):
    app = _fill(open_page("peer_bands", "peer/callouts.py")).run()
    button(app, "Log this call-out").click().run()
    assert "Logged." in texts(app)
    after_logging = _form_place(app)

    app.date_input(key="callout_day_1").set_value(date(2026, 11, 22)).run()
    assert _form_place(app) == after_logging, "the thank-you going away moved the fields"
    app.time_input(key="callout_start_1").set_value(time(21, 5))
    app.time_input(key="callout_end_1").set_value(time(21, 50))
    app.radio(key="callout_kind_1").set_value("welfare_check")
    app.radio(key="callout_setting_1").set_value("street")
    app.radio(key="callout_rating_1").set_value(1)
    button(app, "Log this call-out").click().run()
    assert not app.exception
    assert "Enter when the call-out started." not in texts(app)
    second = session.exec(select(CallOut).order_by(CallOut.started_at)).all()[0]
    assert (second.started_at, second.ended_at) == (datetime(2026, 11, 22, 21, 5, tzinfo=UTC),
                                                    datetime(2026, 11, 22, 21, 50, tzinfo=UTC))


def test_the_first_run_after_signing_in_lays_the_page_out_as_every_later_run(app_database):
    """Signing in hands the browser its cookie in the first run; that must not move what comes after it."""
    from tests.app_pages.conftest import sign_in

    def layout(app) -> list[tuple[tuple[int, ...], str]]:
        return [(path, kind) for path, kind in _places(app.main) if kind not in {"html", "empty"}]

    app = sign_in("peer_bands")
    first = layout(app)
    app.run()
    assert layout(app) == first
