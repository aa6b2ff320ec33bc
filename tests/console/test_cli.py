from __future__ import annotations

import os
import re
import sqlite3
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner, Result
from cryptography.fernet import Fernet
from sqlmodel import func, select

from console.cli import main
from console.core.auth import sign_in
from console.core.invitations import accept
from console.core.passwords import NO_PASSWORD_YET
from console.core.runtime import initialize
from console.core.settings import load_settings
from db.crypto import new_key, parse_keys
from db.engine import session_scope
from db.models import ActionItem, Program, PulseCheckin, User
from tests.mail_servers import BASE_URL, FROM, Handler, smtp_server

PASSWORD = "a sturdy passphrase 42"


@dataclass
class Cli:
    database: Path
    key_file: Path
    env: dict[str, str | None]
    seen_keys: set[str]
    invoke: Callable[..., Result]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.chdir(tmp_path)
    database = tmp_path / "data" / "console.sqlite3"
    key_file = tmp_path / "secret" / "console.key"
    env = {"CONSOLE_DATABASE_URL": f"sqlite:///{database}", "CONSOLE_KEY_FILE": str(key_file),
           "CONSOLE_SECRET_KEY": None, "CONSOLE_SESSION_MINUTES": None, "CONSOLE_DEMO_MODE": None}
    runner = CliRunner()
    seen: set[str] = set()

    def invoke(*args: str, input: str | None = None, extra_env: dict[str, str] | None = None) -> Result:
        result = runner.invoke(main, list(args), input=input, env={**env, **(extra_env or {})})
        if key_file.exists():
            seen.update(key.decode() for key in parse_keys(key_file.read_text()))
        for key in seen:
            assert key not in result.output
        if extra_env and extra_env.get("CONSOLE_SECRET_KEY"):
            assert extra_env["CONSOLE_SECRET_KEY"] not in result.output
        assert "Traceback" not in result.output
        if result.exit_code != 0:
            assert isinstance(result.exception, SystemExit), result.exception
        return result

    return Cli(database, key_file, env, seen, invoke)


def _ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def _fails(result: Result) -> str:
    assert result.exit_code != 0, result.output
    assert "Error: " in result.output
    return result.output


def _write_encrypted_row(cli: Cli) -> None:
    runtime = initialize(load_settings(environ={k: v for k, v in cli.env.items() if v}, secrets_file=Path("none")))
    with session_scope(runtime.engine) as session:
        owner = User(username="holder", display_name="Holder", roles=frozenset({"peer"}), password_hash="x")
        session.add(owner)
        session.flush()
        session.add(ActionItem(owner_id=owner.id, text="call the EAP counselor"))
        session.commit()
    runtime.engine.dispose()


def _count(cli: Cli, model) -> int:
    runtime = initialize(load_settings(environ={k: v for k, v in cli.env.items() if v}, secrets_file=Path("none")))
    with session_scope(runtime.engine) as session:
        count = session.exec(select(func.count()).select_from(model)).one()
    runtime.engine.dispose()
    return count


def test_help_for_every_command(cli):
    assert "Peer Wellness Console" in _ok(cli.invoke("--help"))
    for name in main.commands:
        assert "Usage:" in _ok(cli.invoke(name, "--help")), name
    assert not cli.database.exists()


def test_init_creates_the_database_and_a_private_key_file(cli):
    output = _ok(cli.invoke("init"))
    assert cli.database.is_file()
    assert stat.S_IMODE(cli.key_file.stat().st_mode) == 0o600
    assert "create-user" in output
    assert "--roles admin" in output
    key = cli.key_file.read_text()
    _ok(cli.invoke("init"))
    assert cli.key_file.read_text() == key


def _link_code(output: str) -> str:
    return re.search(r"/\?code=(\S+)", output).group(1)


def test_init_with_an_admin_username_prints_a_one_time_link_and_asks_no_password(cli):
    output = _ok(cli.invoke("init", "--admin-username", "admin.one", "--console-url", "https://wellness.example.org"))
    assert "Created admin.one (admin)" in output
    assert "https://wellness.example.org/?code=" in output
    assert "Password" not in output


def test_create_user_prints_an_invitation_that_sets_the_persons_own_password(cli):
    _ok(cli.invoke("init"))
    output = _ok(cli.invoke("create-user", "Casey.Peer", "--roles", "peer, supervisor", "--name", "Casey"))
    assert "Created casey.peer" in output
    code = _link_code(output)
    assert f"one-time code\": {code}" in output
    connection = sqlite3.connect(cli.database)
    try:
        row = connection.execute("SELECT username, display_name, roles, password_hash FROM user").fetchone()
        stored_codes = " ".join(str(value) for value in connection.execute("SELECT * FROM invitation").fetchone())
    finally:
        connection.close()
    assert row == ("casey.peer", "Casey", "peer,supervisor", NO_PASSWORD_YET)
    assert code not in stored_codes

    runtime = initialize(load_settings(environ={k: v for k, v in cli.env.items() if v}, secrets_file=Path("none")))
    with session_scope(runtime.engine) as session:
        accept(session, code=code, new_password=PASSWORD)
        assert sign_in(session, username="casey.peer", password=PASSWORD).username == "casey.peer"
    runtime.engine.dispose()

    again = _ok(cli.invoke("invite", "casey.peer"))
    assert _link_code(again) != code


def test_invite_for_an_unknown_account_fails_clearly(cli):
    _ok(cli.invoke("init"))
    assert "nobody" in _fails(cli.invoke("invite", "nobody"))


def test_create_user_with_an_unknown_team_fails_clearly(cli):
    _ok(cli.invoke("init"))
    output = _fails(cli.invoke("create-user", "casey", "--roles", "peer", "--team", "Nowhere"))
    assert "Nowhere" in output
    assert _count(cli, User) == 0


def test_check_before_init_fails_with_a_clear_message(cli):
    output = _fails(cli.invoke("check"))
    assert "init" in output


def test_check_passes_after_init(cli):
    _ok(cli.invoke("init"))
    output = _ok(cli.invoke("check"))
    assert "All checks passed." in output
    assert "CONSOLE_DATABASE_URL" in output


def test_check_with_a_wrong_key_fails_with_a_clear_message(cli):
    _ok(cli.invoke("init"))
    _write_encrypted_row(cli)
    wrong = new_key().decode()
    output = _fails(cli.invoke("check", extra_env={"CONSOLE_SECRET_KEY": wrong}))
    assert "CONSOLE_SECRET_KEY" in output

    right = cli.key_file.read_text()
    cli.key_file.write_text(new_key().decode() + "\n")
    output = _fails(cli.invoke("check"))
    assert "CONSOLE_KEY_FILE" in output
    cli.key_file.write_text(right)
    _ok(cli.invoke("check"))


def test_check_with_a_driverless_postgres_url_fails_clearly(cli):
    output = _fails(cli.invoke("check", extra_env={"CONSOLE_DATABASE_URL": "postgresql://db/wellness"}))
    assert "postgresql+psycopg" in output


def test_backup_makes_a_readable_private_copy(cli, tmp_path):
    _ok(cli.invoke("init"))
    _ok(cli.invoke("create-user", "casey", "--roles", "peer", input=f"{PASSWORD}\n{PASSWORD}\n"))
    copy = tmp_path / "backups" / "console-copy.sqlite3"
    output = _ok(cli.invoke("backup", str(copy)))
    assert "key" in output
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    connection = sqlite3.connect(copy)
    try:
        assert connection.execute("SELECT username FROM user").fetchall() == [("casey",)]
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()
    assert "exists already" in _fails(cli.invoke("backup", str(copy)))


def test_backup_is_private_from_its_first_byte(cli, tmp_path, monkeypatch):
    _ok(cli.invoke("init"))
    copy = tmp_path / "backup.sqlite3"
    modes_when_opened = []
    connect = sqlite3.connect

    def watching_connect(path, *args, **kwargs):
        if Path(path) == copy:
            modes_when_opened.append(stat.S_IMODE(copy.stat().st_mode) if copy.exists() else None)
        return connect(path, *args, **kwargs)

    monkeypatch.setattr("console.cli.sqlite3.connect", watching_connect)
    previous = os.umask(0)
    try:
        _ok(cli.invoke("backup", str(copy)))
    finally:
        os.umask(previous)
    assert modes_when_opened == [0o600]
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600


def test_check_full_counts_every_value_and_fails_on_one_no_key_opens(cli):
    _ok(cli.invoke("init"))
    _write_encrypted_row(cli)
    output = _ok(cli.invoke("check", "--full"))
    assert "actionitem" in output and "All checks passed." in output

    with sqlite3.connect(cli.database) as connection:
        connection.execute("INSERT INTO actionitem (owner_id, text, status, created_at) "
                           "SELECT owner_id, ?, status, created_at FROM actionitem",
                           (Fernet(new_key()).encrypt(b"elsewhere").decode(),))
    connection.close()
    output = _fails(cli.invoke("check", "--full"))
    assert "1 stored values cannot be opened" in output and "CONSOLE_KEY_FILE" in output


def test_rotate_key_in_prepared_steps_and_resume(cli):
    _ok(cli.invoke("init"))
    _write_encrypted_row(cli)
    assert "Registered a next key" in _ok(cli.invoke("rotate-key", "--prepare"))
    first, prepared = parse_keys(cli.key_file.read_text())
    assert "Re-encrypted 1 values" in _ok(cli.invoke("rotate-key"))
    assert parse_keys(cli.key_file.read_text()) == [prepared, first]
    assert "Re-encrypted 0 values" in _ok(cli.invoke("rotate-key", "--resume", "--retire-old"))
    assert parse_keys(cli.key_file.read_text()) == [prepared]
    assert "--prepare runs on its own" in _fails(cli.invoke("rotate-key", "--prepare", "--resume"))
    _ok(cli.invoke("check", "--full"))


def test_backup_before_init_fails_clearly(cli, tmp_path):
    assert "init" in _fails(cli.invoke("backup", str(tmp_path / "copy.sqlite3")))


def test_rotate_key_reencrypts_and_can_retire_the_old_key(cli):
    _ok(cli.invoke("init"))
    _write_encrypted_row(cli)
    old_key = cli.key_file.read_text().strip()

    output = _ok(cli.invoke("rotate-key"))
    assert "Re-encrypted 1 values" in output
    assert len(parse_keys(cli.key_file.read_text())) == 2

    output = _ok(cli.invoke("rotate-key", "--retire-old"))
    assert "2 old key(s) retired; 1 key(s) in" in output
    keys = parse_keys(cli.key_file.read_text())
    assert len(keys) == 1 and keys[0].decode() != old_key
    assert stat.S_IMODE(cli.key_file.stat().st_mode) == 0o600
    _ok(cli.invoke("check"))
    _fails(cli.invoke("check", extra_env={"CONSOLE_SECRET_KEY": old_key}))


def test_setting_is_stored_shown_and_validated(cli):
    _ok(cli.invoke("init"))
    _ok(cli.invoke("setting", "anonymity_k", "7"))
    shown = _ok(cli.invoke("setting"))
    assert any(line.split() == ["anonymity_k", "7"] for line in shown.splitlines())

    output = _fails(cli.invoke("setting", "anonymity_k", "1"))
    assert "from 3 to 50" in output
    assert any(line.split() == ["anonymity_k", "7"] for line in _ok(cli.invoke("setting")).splitlines())

    assert "VALUE" in _fails(cli.invoke("setting", "anonymity_k"))
    assert "Unknown setting" in _fails(cli.invoke("setting", "colour", "blue"))


def test_demo_then_demo_if_new_leaves_the_data_alone(cli):
    output = _ok(cli.invoke("demo"))
    assert "Demo logins" in output
    pulses, users = _count(cli, PulseCheckin), _count(cli, User)
    assert pulses > 0

    output = _ok(cli.invoke("demo", "--if-new"))
    assert "leaving it as it is" in output
    assert (_count(cli, PulseCheckin), _count(cli, User), _count(cli, Program)) == (pulses, users, 1)


def test_demo_refuses_a_database_holding_a_real_program(cli):
    _ok(cli.invoke("init", "--program-name", "Real program"))
    assert "Real program" in _fails(cli.invoke("demo"))
    assert _count(cli, User) == 0


def test_notify_says_notifications_are_off_without_an_smtp_host(cli):
    _ok(cli.invoke("init", "--program-name", "Real program"))
    assert "Notifications are off" in _ok(cli.invoke("notify"))


def test_notify_sends_the_demo_reminders_once_and_a_second_run_adds_nothing(cli):
    sink = Handler()
    with time_machine.travel("2026-11-30 10:00Z", tick=True), smtp_server(sink) as mail:
        _ok(cli.invoke("demo"))
        mail_env = {"CONSOLE_SMTP_HOST": mail.host, "CONSOLE_SMTP_PORT": str(mail.port),
                    "CONSOLE_SMTP_SECURITY": "none", "CONSOLE_MAIL_FROM": FROM, "CONSOLE_BASE_URL": BASE_URL}
        first = _ok(cli.invoke("notify", extra_env=mail_env))
        second = _ok(cli.invoke("notify", extra_env=mail_env))
    assert "enqueued 0, sent 0" in second
    assert sink.received and f"sent {len(sink.received)}," in first
    assert all(item.recipients[0].endswith("@demo.invalid") for item in sink.received)
    assert len({item.message["Message-ID"] for item in sink.received}) == len(sink.received)


def test_notify_loop_runs_until_stopped(cli, monkeypatch):
    _ok(cli.invoke("init", "--program-name", "Real program"))
    runs = []

    def stop_after_two(seconds):
        runs.append(seconds)
        if len(runs) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("console.cli.time.sleep", stop_after_two)
    sink = Handler()
    with smtp_server(sink) as mail:
        output = _ok(cli.invoke("notify", "--loop", "--interval", "30", extra_env={
            "CONSOLE_SMTP_HOST": mail.host, "CONSOLE_SMTP_PORT": str(mail.port), "CONSOLE_SMTP_SECURITY": "none",
            "CONSOLE_MAIL_FROM": FROM, "CONSOLE_BASE_URL": BASE_URL}))
    assert runs == [30, 30]
    assert output.count("enqueued 0, sent 0") == 2 and output.rstrip().endswith("Stopped.")


def test_setting_refuses_what_would_break_pages(cli, tmp_path):
    _ok(cli.invoke("init"))
    assert "no instrument 'proqol-style-3O'" in _fails(cli.invoke("setting", "assessment_instrument", "proqol-style-3O"))
    assert "there is no folder" in _fails(cli.invoke("setting", "instruments_folder", str(tmp_path / "missing")))
    assert "whole number" in _fails(cli.invoke("setting", "anonymity_k", "5.5"))
    assert "whole number" in _fails(cli.invoke("setting", "assessment_cadence_days", "30.5"))
    shown = _ok(cli.invoke("setting")).splitlines()
    assert any(line.split() == ["assessment_instrument", "proqol-style-30"] for line in shown)
    assert any(line.split() == ["anonymity_k", "5"] for line in shown)


def test_init_refuses_a_program_name_over_its_limit(cli):
    assert "shorten it by 1" in _fails(cli.invoke("init", "--program-name", "P" * 201))


ROSTER = """record,team,setting,email,name,username,roles,supervisor_email,functions,starts_on,ends_on
team,Courts,drug court,,,,,,,,
person,,,casey@example.org,Casey Morgan,,supervisor,,,,
person,Courts,,river@example.org,River Ortiz,,peer,,,2026-01-05,
supervision,,,river@example.org,,,,casey@example.org,educational; supportive,2026-01-05,
"""


def test_import_roster_dry_run_then_import_then_again_changes_nothing(cli, tmp_path):
    _ok(cli.invoke("init"))
    file = tmp_path / "roster.csv"
    file.write_text(ROSTER)
    preview = _ok(cli.invoke("import-roster", str(file), "--dry-run"))
    assert "line 3: would create the account 'casey'" in preview
    assert "Nothing was written" in preview
    assert _count(cli, User) == 0
    imported = _ok(cli.invoke("import-roster", str(file), "--console-url", "https://wellness.example.org"))
    assert "2 people were created" in imported
    assert imported.count("https://wellness.example.org/?code=") == 2
    assert _count(cli, User) == 2
    again = _ok(cli.invoke("import-roster", str(file)))
    assert "match what the console holds: nothing was changed" in again
    assert "?code=" not in again


def test_import_roster_lists_every_problem_with_its_line_and_exits_non_zero(cli, tmp_path):
    _ok(cli.invoke("init"))
    file = tmp_path / "roster.csv"
    file.write_text(ROSTER.replace("casey@example.org,Casey", "casey-at-example,Casey").replace("Courts,,river",
                                                                                                "Curts,,river"))
    output = _fails(cli.invoke("import-roster", str(file)))
    assert "roster.csv, line 3: email: 'casey-at-example' is not an email address" in output
    assert "roster.csv, line 4: team: there is no team 'Curts'" in output
    assert "roster.csv, line 5: supervisor_email: nobody has the email casey@example.org" in output
    assert "nothing was changed" in output
    assert _count(cli, User) == 0


def test_roster_template_prints_a_file_that_imports(cli, tmp_path):
    _ok(cli.invoke("init"))
    file = tmp_path / "template.csv"
    file.write_text(_ok(cli.invoke("roster-template")))
    assert "3 people would be created" in _ok(cli.invoke("import-roster", str(file), "--dry-run"))


def test_bench_national_asks_for_postgresql(cli):
    assert "runs on PostgreSQL" in _fails(cli.invoke("bench", "--national", "--no-postgres"))


def test_import_roster_into_a_named_program(cli, tmp_path):
    _ok(cli.invoke("init", "--program-name", "Harbor County"))
    file = tmp_path / "roster.csv"
    file.write_text(ROSTER)
    assert "There is no program 'Elsewhere'; programs: Harbor County." in _fails(
        cli.invoke("import-roster", str(file), "--program", "Elsewhere"))
    assert "2 people were created" in _ok(cli.invoke("import-roster", str(file), "--program", "Harbor County"))


def test_release_releases_each_closed_month_once(cli):
    _ok(cli.invoke("demo"))
    assert "Nothing to release" in _ok(cli.invoke("release")), "loading the demo released its months"
    with sqlite3.connect(cli.database) as connection:
        connection.execute("DELETE FROM releasedfigure")
        connection.execute("DELETE FROM figurerelease")
    output = _ok(cli.invoke("release"))
    assert output.count("Released ") >= 6 and "figures shown, the others withheld" in output
    assert "Nothing to release" in _ok(cli.invoke("release"))
