from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlmodel import select

from console.core.errors import ConfigurationError, PermissionDenied, SettingUnusable, ValidationError
from console.core.program_settings import ProgramSettings, read_settings, stored_problems, write_settings
from console.core.settings import ENVIRONMENT_VARIABLES, load_settings
from console.wellness.instruments import periodic_instrument
from db.models import AuditEvent, Setting

KEY = "x" * 43 + "="


def _load(tmp_path: Path, environ: dict[str, str], secrets: str | None = None):
    secrets_file = tmp_path / "secrets.toml"
    if secrets is not None:
        secrets_file.write_text(secrets)
    return load_settings(environ=environ, secrets_file=secrets_file)


def test_defaults_without_any_configuration(tmp_path):
    settings = _load(tmp_path, {})
    assert settings.database_url == "sqlite:///data/console.sqlite3"
    assert settings.key_file == Path("data/console.key")
    assert settings.secret_key is None
    assert settings.session_minutes == 30
    assert settings.demo_mode == "auto"
    assert settings.keys_source == "CONSOLE_KEY_FILE (data/console.key)"


def test_each_environment_variable_is_read(tmp_path):
    settings = _load(tmp_path, {
        "CONSOLE_DATABASE_URL": "postgresql+psycopg://console@db.internal/wellness",
        "CONSOLE_SECRET_KEY": KEY,
        "CONSOLE_KEY_FILE": "/secure/console.key",
        "CONSOLE_SESSION_MINUTES": "45",
        "CONSOLE_DEMO_MODE": "Off",
        "UNRELATED": "ignored",
    })
    assert settings.database_url == "postgresql+psycopg://console@db.internal/wellness"
    assert settings.secret_key == KEY
    assert settings.key_file == Path("/secure/console.key")
    assert settings.session_minutes == 45
    assert settings.demo_mode == "off"
    assert settings.keys_source == "CONSOLE_SECRET_KEY"


def test_every_documented_variable_is_known():
    assert set(ENVIRONMENT_VARIABLES) == {
        "CONSOLE_DATABASE_URL", "CONSOLE_SECRET_KEY", "CONSOLE_KEY_FILE", "CONSOLE_SESSION_MINUTES",
        "CONSOLE_DEMO_MODE", "CONSOLE_SMTP_HOST", "CONSOLE_SMTP_PORT", "CONSOLE_SMTP_SECURITY", "CONSOLE_SMTP_USER",
        "CONSOLE_SMTP_PASSWORD", "CONSOLE_MAIL_FROM", "CONSOLE_BASE_URL",
    }


def test_empty_variable_counts_as_unset(tmp_path):
    assert _load(tmp_path, {"CONSOLE_SECRET_KEY": "", "CONSOLE_SESSION_MINUTES": ""}).secret_key is None


@pytest.mark.parametrize("minutes", ["abc", "0", "-5", "1441", "2.5"])
def test_bad_session_minutes_are_refused(tmp_path, minutes):
    with pytest.raises(ConfigurationError, match="CONSOLE_SESSION_MINUTES"):
        _load(tmp_path, {"CONSOLE_SESSION_MINUTES": minutes})


@pytest.mark.parametrize("minutes", ["1", "1440"])
def test_session_minutes_limits_are_accepted(tmp_path, minutes):
    assert _load(tmp_path, {"CONSOLE_SESSION_MINUTES": minutes}).session_minutes == int(minutes)


@pytest.mark.parametrize("url", ["postgresql://console@db/wellness", "postgres://console@db/wellness"])
def test_postgres_url_without_the_driver_is_refused(tmp_path, url):
    with pytest.raises(ConfigurationError, match=r"postgresql\+psycopg"):
        _load(tmp_path, {"CONSOLE_DATABASE_URL": url})


def test_bad_demo_mode_is_refused(tmp_path):
    with pytest.raises(ConfigurationError, match="CONSOLE_DEMO_MODE"):
        _load(tmp_path, {"CONSOLE_DEMO_MODE": "sometimes"})


def test_secrets_file_is_read(tmp_path):
    settings = _load(tmp_path, {}, secrets=(
        'CONSOLE_DATABASE_URL = "sqlite:////srv/console.sqlite3"\n'
        "CONSOLE_SESSION_MINUTES = 20\n"
        f'CONSOLE_SECRET_KEY = "{KEY}"\n'
        'UNRELATED = "ignored"\n'
    ))
    assert settings.database_url == "sqlite:////srv/console.sqlite3"
    assert settings.session_minutes == 20
    assert settings.secret_key == KEY


def test_environment_wins_over_secrets(tmp_path):
    settings = _load(
        tmp_path,
        {"CONSOLE_SESSION_MINUTES": "60", "CONSOLE_DEMO_MODE": "on"},
        secrets='CONSOLE_SESSION_MINUTES = 20\nCONSOLE_DEMO_MODE = "off"\nCONSOLE_KEY_FILE = "/from/secrets.key"\n',
    )
    assert settings.session_minutes == 60
    assert settings.demo_mode == "on"
    assert settings.key_file == Path("/from/secrets.key")


def test_bad_secrets_file_names_the_file(tmp_path):
    with pytest.raises(ConfigurationError, match="secrets.toml"):
        _load(tmp_path, {}, secrets="CONSOLE_DEMO_MODE = \n")


def test_bad_value_in_secrets_file_is_refused(tmp_path):
    with pytest.raises(ConfigurationError, match=r"postgresql\+psycopg"):
        _load(tmp_path, {}, secrets='CONSOLE_DATABASE_URL = "postgresql://db/wellness"\n')


def test_program_settings_default_when_nothing_is_stored(session, world):
    assert read_settings(session) == ProgramSettings()
    assert ProgramSettings().anonymity_k == 5


def instruments_folder(tmp_path: Path, instrument_id: str = "proqol-5") -> Path:
    """A folder holding one extra instrument: the built-in self-assessment under another id."""
    folder = tmp_path / "instruments"
    folder.mkdir()
    builtin = Path(__file__).resolve().parents[3] / "scoring" / "instruments" / "proqol-style-30.toml"
    (folder / f"{instrument_id}.toml").write_text(
        builtin.read_text().replace('id = "proqol-style-30"', f'id = "{instrument_id}"'))
    return folder


def test_program_settings_round_trip(session, world, tmp_path):
    folder = instruments_folder(tmp_path)
    changes = {
        "anonymity_k": "7",
        "supervision_cadence": "biweekly",
        "assessment_cadence_days": 60,
        "assessment_instrument": " proqol-5 ",
        "support_contact": "EAP line 555-0100, 24/7",
        "instruments_folder": str(folder),
    }
    written = write_settings(session, actor=world.admin, changes=changes, on=world.today)
    expected = ProgramSettings(anonymity_k=7, supervision_cadence="biweekly", assessment_cadence_days=60,
                               assessment_instrument="proqol-5", support_contact="EAP line 555-0100, 24/7",
                               instruments_folder=str(folder))
    assert written == expected
    session.expire_all()
    assert read_settings(session) == expected
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "settings_changed")).one()
    assert event.actor_id == world.admin.id
    assert "555-0100" not in event.detail


def test_later_write_changes_only_the_named_setting(session, world):
    write_settings(session, actor=world.admin, changes={"anonymity_k": 8}, on=world.today)
    write_settings(session, actor=world.admin, changes={"supervision_cadence": "biweekly"}, on=world.today)
    stored = read_settings(session)
    assert (stored.anonymity_k, stored.supervision_cadence) == (8, "biweekly")


INVALID_PROGRAM_SETTINGS = [
    ("anonymity_k", 2, "from 3 to 50"),
    ("anonymity_k", 51, "from 3 to 50"),
    ("anonymity_k", "five", "whole number"),
    ("supervision_cadence", "monthly", "weekly or biweekly"),
    ("assessment_cadence_days", 6, "from 7 to 365"),
    ("assessment_cadence_days", 366, "from 7 to 365"),
    ("assessment_instrument", "   ", "instrument"),
    ("support_contact", "x" * 501, "500 characters"),
    ("time_zone", "Mars/Olympus", "IANA time zone"),
    ("time_zone", "../../etc/passwd", "IANA time zone"),
    ("reminder_weekday", "someday", "Choose a weekday"),
    ("prep_digest_weekday", "Mon", "Choose a weekday"),
    ("reminder_time", "9am", "HH:MM"),
    ("reminder_time", "24:00", "HH:MM"),
    ("reach_out_response_hours", 0, "from 1 to 168"),
    ("reach_out_response_hours", 169, "from 1 to 168"),
    ("notifications_off", "checkin_reminder,invitation", "invitation"),
    ("notifications_off", "newsletters", "newsletters"),
]


def test_invalid_program_setting_is_refused_with_a_message(session, world):
    for name, value, message in INVALID_PROGRAM_SETTINGS:
        with pytest.raises(ValidationError) as raised:
            write_settings(session, actor=world.admin, changes={"anonymity_k": 9, name: value}, on=world.today)
        assert message in raised.value.problems.get(name, ""), (name, value, raised.value.problems)
        session.rollback()
        assert session.exec(select(Setting)).all() == []


def test_unknown_program_setting_is_refused(session, world):
    with pytest.raises(ValidationError, match="Unknown setting colour"):
        write_settings(session, actor=world.admin, changes={"colour": "blue"}, on=world.today)


def test_only_an_admin_changes_program_settings(session, world):
    for actor in (world.peer, world.supervisor, world.lead):
        with pytest.raises(PermissionDenied):
            write_settings(session, actor=actor, changes={"anonymity_k": 9}, on=world.today)
    assert read_settings(session).anonymity_k == 5


def test_command_line_may_change_program_settings(session, world):
    assert write_settings(session, actor=None, changes={"anonymity_k": 10}, on=world.today).anonymity_k == 10


MAIL = {"CONSOLE_SMTP_HOST": "smtp.example.org", "CONSOLE_MAIL_FROM": "Wellness <wellness@example.org>",
        "CONSOLE_BASE_URL": "https://wellness.example.org/"}


def test_without_an_smtp_host_notifications_are_off(tmp_path):
    assert _load(tmp_path, {"CONSOLE_MAIL_FROM": "wellness@example.org"}).mail is None


def test_mail_settings_are_read_with_the_port_of_the_chosen_security(tmp_path):
    mail = _load(tmp_path, MAIL).mail
    assert (mail.host, mail.port, mail.security, mail.user, mail.password) == (
        "smtp.example.org", 587, "starttls", None, None)
    assert (mail.base_url, mail.sender_domain) == ("https://wellness.example.org", "example.org")
    assert _load(tmp_path, {**MAIL, "CONSOLE_SMTP_SECURITY": "TLS"}).mail.port == 465
    assert _load(tmp_path, {**MAIL, "CONSOLE_SMTP_SECURITY": "none", "CONSOLE_SMTP_PORT": "2525"}).mail.port == 2525


def test_the_smtp_password_may_come_from_the_secrets_file(tmp_path):
    mail = _load(tmp_path, {**MAIL, "CONSOLE_SMTP_USER": "console"},
                 secrets='CONSOLE_SMTP_PASSWORD = "from the secrets file"\n').mail
    assert (mail.user, mail.password) == ("console", "from the secrets file")


@pytest.mark.parametrize(("changes", "named"), [
    ({"CONSOLE_SMTP_SECURITY": "ssl"}, "CONSOLE_SMTP_SECURITY"),
    ({"CONSOLE_SMTP_PORT": "99999"}, "CONSOLE_SMTP_PORT"),
    ({"CONSOLE_SMTP_PORT": "smtp"}, "CONSOLE_SMTP_PORT"),
    ({"CONSOLE_MAIL_FROM": ""}, "CONSOLE_MAIL_FROM"),
    ({"CONSOLE_MAIL_FROM": "Wellness team"}, "CONSOLE_MAIL_FROM"),
    ({"CONSOLE_BASE_URL": ""}, "CONSOLE_BASE_URL"),
    ({"CONSOLE_BASE_URL": "wellness.example.org"}, "CONSOLE_BASE_URL"),
    ({"CONSOLE_BASE_URL": "https://wellness.example.org/?x=1"}, "CONSOLE_BASE_URL"),
    ({"CONSOLE_SMTP_USER": "console"}, "CONSOLE_SMTP_PASSWORD"),
])
def test_a_mistyped_mail_setting_is_refused_naming_it(tmp_path, changes, named):
    with pytest.raises(ConfigurationError, match=named):
        _load(tmp_path, {**MAIL, **changes})


REFERENCE_PROBLEMS = [
    ({"assessment_instrument": "proqol-style-3O"}, "assessment_instrument", "no instrument 'proqol-style-3O'"),
    ({"assessment_instrument": "weekly-pulse"}, "assessment_instrument", "no scales"),
    ({"instruments_folder": "/no/such/folder"}, "instruments_folder", "there is no folder /no/such/folder"),
    ({"instruments_folder": "/srv/instruments", "assessment_instrument": "proqol-5"}, "instruments_folder",
     "there is no folder"),
]


@pytest.mark.parametrize(("changes", "field", "message"), REFERENCE_PROBLEMS)
def test_a_setting_that_refers_to_nothing_usable_is_refused(session, world, changes, field, message):
    with pytest.raises(ValidationError) as raised:
        write_settings(session, actor=world.admin, changes=changes, on=world.today)
    assert message in raised.value.problems[field]
    session.rollback()
    assert session.exec(select(Setting)).all() == []


def test_a_folder_with_a_broken_file_is_refused_naming_the_file(session, world, tmp_path):
    folder = instruments_folder(tmp_path)
    (folder / "broken.toml").write_text('id = "broken"\n')
    with pytest.raises(ValidationError) as raised:
        write_settings(session, actor=world.admin, changes={"instruments_folder": str(folder)}, on=world.today)
    assert "broken.toml" in raised.value.problems["instruments_folder"]


def test_an_unreadable_folder_is_refused(session, world, tmp_path):
    folder = instruments_folder(tmp_path)
    folder.chmod(0)
    try:
        if os.access(folder, os.R_OK):
            pytest.skip("running as a user who reads every folder")
        with pytest.raises(ValidationError, match="may not read"):
            write_settings(session, actor=world.admin, changes={"instruments_folder": str(folder)}, on=world.today)
    finally:
        folder.chmod(0o755)


def test_a_stored_setting_that_stops_working_is_reported_and_read_without_error(session, world, tmp_path):
    folder = instruments_folder(tmp_path)
    write_settings(session, actor=world.admin, on=world.today,
                   changes={"instruments_folder": str(folder), "assessment_instrument": "proqol-5"})
    (folder / "proqol-5.toml").unlink()
    session.add(Setting(key="anonymity_k", value="five"))
    session.commit()
    assert read_settings(session).anonymity_k == 5
    problems = stored_problems(session, actor=world.admin, on=world.today)
    assert "no instrument 'proqol-5'" in problems["assessment_instrument"]
    assert "whole number" in problems["anonymity_k"]
    with pytest.raises(SettingUnusable, match="An admin can fix this on Program settings"):
        periodic_instrument(read_settings(session))


def test_changing_another_setting_is_not_blocked_by_a_stored_problem(session, world, tmp_path):
    folder = instruments_folder(tmp_path)
    write_settings(session, actor=world.admin, on=world.today,
                   changes={"instruments_folder": str(folder), "assessment_instrument": "proqol-5"})
    (folder / "proqol-5.toml").unlink()
    assert write_settings(session, actor=world.admin, changes={"anonymity_k": 8}, on=world.today).anonymity_k == 8
    assert write_settings(session, actor=world.admin, on=world.today,
                          changes={"assessment_instrument": "proqol-style-30"}).assessment_instrument == "proqol-style-30"


def test_working_days_are_read_and_written_in_week_order_in_one_place():
    from hypothesis import given
    from hypothesis import strategies as st

    from console.core.dates import WEEKDAYS
    from console.core.program_settings import parse_working_days, working_days_text

    assert working_days_text(["friday", "monday", "friday"]) == "monday,friday"
    assert parse_working_days(" friday, monday ,,") == ("monday", "friday")
    assert ProgramSettings(working_days="sunday,saturday").working_day_codes == ("saturday", "sunday")
    assert working_days_text(["monday", "funday"]) == "monday,funday"
    assert set(ProgramSettings(working_days=working_days_text(["monday", "funday"])).problems()) == {"working_days"}

    @given(st.lists(st.sampled_from(WEEKDAYS)))
    def round_trip(days: list[str]) -> None:
        stored = working_days_text(days)
        assert parse_working_days(stored) == tuple(day for day in WEEKDAYS if day in days)
        assert "working_days" not in ProgramSettings(working_days=stored).problems()

    round_trip()
