from dataclasses import fields
from pathlib import Path

from sqlmodel import select

from console.core.passwords import NO_PASSWORD_YET
from console.core.program_settings import THRESHOLD_SETTINGS, ProgramSettings, read_settings
from console.notify.kinds import OPTIONAL_KINDS
from db.models import AuditEvent, Invitation, SupervisionAssignment, Team, User
from tests.app_pages.conftest import sign_in, texts

ROOT = Path(__file__).resolve().parents[3]


def open_admin_page(name):
    app = sign_in("admin")
    app.switch_page(str(ROOT / "app_pages" / name)).run()
    assert not app.exception
    return app


def submit(app, label):
    next(button for button in app.button if button.label == label).click().run()
    return app


def test_admin_creates_an_account_and_sees_its_one_time_link_but_no_password(app_database, session):
    app = open_admin_page("admin/accounts.py")
    assert not [field for field in app.text_input if field.proto.type == field.proto.PASSWORD]
    app.text_input[1].set_value("new.peer")
    app.text_input[2].set_value("New Peer")
    app.multiselect[0].set_value(["peer"])
    submit(app, "Create account")
    assert "One-time link for a new account" in texts(app)
    links = [block.value for block in app.code if "/?code=" in block.value]
    assert len(links) == 1
    session.expire_all()
    created = session.exec(select(User).where(User.username == "new.peer")).one()
    assert created.roles == {"peer"} and created.password_hash == NO_PASSWORD_YET
    app.run()
    assert not [block for block in app.code if "/?code=" in block.value]


def test_account_form_says_what_to_fix_and_writes_nothing(app_database, session):
    accounts_before = len(session.exec(select(User)).all())
    app = open_admin_page("admin/accounts.py")
    app.text_input[1].set_value("Bad Name!")
    submit(app, "Create account")
    shown = texts(app)
    assert "lower-case letters" in shown
    assert "Choose at least one role" in shown
    session.expire_all()
    assert len(session.exec(select(User)).all()) == accounts_before


def test_admin_resets_a_password_with_a_one_time_link(app_database, session):
    app = open_admin_page("admin/accounts.py")
    app.selectbox[1].set_value(next(option for option in app.selectbox[1].options if "(peer_bands)" in option)).run()
    assert not [field for field in app.text_input if field.proto.type == field.proto.PASSWORD]
    submit(app, "Reset password (one-time link)")
    assert "One-time link for a password reset" in texts(app)
    session.expire_all()
    assert session.exec(select(Invitation).where(Invitation.user_id == app_database.peer.id)).one()


def test_admin_deactivates_an_account(app_database, session):
    app = open_admin_page("admin/accounts.py")
    app.selectbox[1].set_value(next(option for option in app.selectbox[1].options if "(peer_bands)" in option)).run()
    submit(app, "Deactivate account")
    session.expire_all()
    assert session.get(User, app_database.peer.id).active is False


def test_account_search_narrows_the_list_and_the_choices(app_database):
    app = open_admin_page("admin/accounts.py")
    app.text_input[0].set_value("supervisor").run()
    assert set(app.dataframe[0].value["username"]) == {
        "supervisor", "admin_supervisor", "other_supervisor", "ended_supervisor"}
    assert all("supervisor" in option for option in app.selectbox[1].options)


def test_admin_creates_a_team_and_an_assignment(app_database, session):
    app = open_admin_page("admin/teams.py")
    app.text_input[0].set_value("Court team")
    submit(app, "Create team")
    assert session.exec(select(Team).where(Team.name == "Court team")).one()
    app.selectbox[2].set_value(next(option for option in app.selectbox[2].options if "(other_supervisor)" in option))
    app.selectbox[3].set_value(next(option for option in app.selectbox[3].options if "(peer_bands)" in option))
    app.multiselect[0].set_value(["administrative"])
    submit(app, "Assign")
    session.expire_all()
    assignment = session.exec(
        select(SupervisionAssignment).where(SupervisionAssignment.supervisor_id == app_database.other_supervisor.id,
                                            SupervisionAssignment.supervisee_id == app_database.peer.id)
    ).one()
    assert assignment.functions == {"administrative"}


def test_admin_changes_the_anonymity_threshold(app_database, session):
    app = open_admin_page("admin/settings.py")
    app.number_input[0].set_value(7)
    submit(app, "Save settings")
    assert "Settings saved." in texts(app)
    session.expire_all()
    assert read_settings(session).anonymity_k == 7


def test_audit_log_lists_events_without_their_data(app_database, session):
    session.add(AuditEvent(actor_id=app_database.supervisor.id, action="viewed_wellness",
                           subject_id=app_database.peer.id, resource_type="supervisee_view", detail="level bands"))
    session.commit()
    app = open_admin_page("admin/audit.py")
    table = app.dataframe[0].value
    assert "viewed wellness" in set(table["action"])
    app.text_input[0].set_value("viewed_wellness").run()
    assert set(app.dataframe[0].value["whose"]) == {"Peer Bands"}


def test_audit_log_leaves_out_wellness_facts(app_database, session):
    peer = app_database.peer
    for action, detail in (("reach_out_requested", ""), ("pulse_submitted", "week of 2026-11-23"),
                           ("sharing_changed", "bands → scores")):
        session.add(AuditEvent(actor_id=peer.id, action=action, subject_id=peer.id, resource_type="wellness",
                               detail=detail))
    session.add(AuditEvent(actor_id=app_database.supervisor.id, action="viewed_wellness", subject_id=peer.id,
                           resource_type="supervisee_view", detail="level scores"))
    session.commit()
    app = open_admin_page("admin/audit.py")
    shown = texts(app)
    for fact in ("reach out", "pulse", "sharing", "2026-11-23", "scores"):
        assert fact not in shown
    assert "viewed wellness" in set(app.dataframe[0].value["action"])


def field(app, label):
    return next(widget for widget in app.text_input if widget.label == label)


def test_two_teams_are_created_one_after_the_other_on_the_same_page(app_database, session):
    app = open_admin_page("admin/teams.py")
    field(app, "Team name").set_value("Court team")
    submit(app, "Create team")
    assert field(app, "Team name").value == ""
    field(app, "Team name").set_value("Jail team")
    submit(app, "Create team")
    session.expire_all()
    assert {"Court team", "Jail team"} <= set(session.exec(select(Team.name)).all())


def test_a_refused_team_name_is_kept_and_explained_beside_the_field(app_database, session):
    app = open_admin_page("admin/teams.py")
    field(app, "Team name").set_value("reentry")
    submit(app, "Create team")
    shown = texts(app)
    assert "A team named 'Reentry' already exists" in shown
    assert "The team was not created" in shown
    assert field(app, "Team name").value == "reentry"
    too_long = "T" * 150
    field(app, "Team name").set_value(too_long)
    submit(app, "Create team")
    assert "shorten it by 50" in texts(app)
    assert field(app, "Team name").value == too_long


def test_two_accounts_are_created_one_after_the_other_on_the_same_page(app_database, session):
    app = open_admin_page("admin/accounts.py")
    for username in ("first.peer", "second.peer"):
        field(app, "Username").set_value(username)
        field(app, "Name people will see").set_value(username.replace(".", " ").title())
        app.multiselect[0].set_value(["peer"])
        for widget in app.text_input:
            if widget.label.startswith("Temporary password"):
                widget.set_value("temporary pass 2026")
        submit(app, "Create account")
    session.expire_all()
    assert {"first.peer", "second.peer"} <= set(session.exec(select(User.username)).all())


def test_the_anonymity_threshold_changed_twice_on_the_same_page_keeps_the_second(app_database, session):
    app = open_admin_page("admin/settings.py")
    app.number_input[0].set_value(7)
    submit(app, "Save settings")
    app.number_input[0].set_value(9)
    submit(app, "Save settings")
    assert "Settings saved." in texts(app)
    session.expire_all()
    assert read_settings(session).anonymity_k == 9


OTHER_SETTING_LABELS = {
    "anonymity_k": "Anonymity threshold",
    "supervision_cadence": "Supervision cadence",
    "assessment_cadence_days": "Self-assessment every",
    "assessment_instrument": "Self-assessment instrument",
    "support_contact": "Program support contact",
    "instruments_folder": "Folder of extra instrument files",
    "time_zone": "Program time zone",
    "language": "Program language",
    "reminder_weekday": "Weekly check-in reminder on",
    "reminder_time": "Reminder time",
    "prep_digest_weekday": "Supervisors' prep sheet email on",
    "reach_out_response_hours": "Supervisors get in touch",
    "backup_contact_email": "Field safety backup contact email",
    "working_hours_start": "Working day starts",
    "working_hours_end": "Working day ends",
    "working_days": "Working days",
}
"""The start of the label of each setting's input that is not a threshold (thresholds carry their own labels)."""


def test_the_settings_page_has_an_input_for_every_program_setting(app_database):
    app = open_admin_page("admin/settings.py")
    labels = [widget.label for widgets in (app.number_input, app.text_input, app.text_area, app.selectbox,
                                           app.multiselect)
              for widget in widgets]
    expected = OTHER_SETTING_LABELS | {setting.name: setting.label for setting in THRESHOLD_SETTINGS}
    assert set(expected) | {"notifications_off"} == {field.name for field in fields(ProgramSettings)}
    checkboxes = {widget.label for widget in app.checkbox}
    assert {kind.label for kind in OPTIONAL_KINDS} <= checkboxes
    for name, label in expected.items():
        assert any(shown.startswith(label) for shown in labels), (name, label)


def test_admin_changes_a_supervision_window(app_database, session):
    app = open_admin_page("admin/settings.py")
    next(widget for widget in app.number_input if widget.label == "No supervision in … days").set_value(21)
    next(widget for widget in app.number_input if widget.label.startswith("Usual range: spread")).set_value(7.5)
    submit(app, "Save settings")
    assert "Settings saved." in texts(app)
    session.expire_all()
    stored = read_settings(session)
    assert (stored.supervision_gap_days, stored.strain_mad_floor) == (21, 7.5)


def test_admin_chooses_working_days_stored_in_week_order(app_database, session):
    app = open_admin_page("admin/settings.py")
    days = app.multiselect(key="setting_working_days")
    assert days.value == ["monday", "tuesday", "wednesday", "thursday", "friday"]
    days.set_value(["saturday", "monday"])
    submit(app, "Save working hours")
    assert "Working hours saved." in texts(app)
    session.expire_all()
    assert read_settings(session).working_days == "monday,saturday"


def test_working_days_are_named_in_the_readers_language(spanish, app_database):
    app = open_admin_page("admin/settings.py")
    days = app.multiselect(key="setting_working_days")
    assert [days.format_func(day) for day in days.value] == ["Lunes", "Martes", "Miércoles", "Jueves", "Viernes"]
