"""The `wellness-console` command line."""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click
from sqlalchemy.engine import make_url
from sqlmodel import select

from console import demo
from console.admin import accounts, roster
from console.core import clock, input_limits
from console.core.auth import find_user
from console.core.errors import ConsoleError
from console.core.invitations import IssuedInvitation
from console.core.keys import count_values, prepare_rotation, rotate_keys
from console.core.program_settings import read_settings, write_settings
from console.core.runtime import Runtime, initialize, open_runtime
from console.core.settings import ENVIRONMENT_VARIABLES, MailSettings, load_settings
from console.notify import mail_sender, reminders
from console.program import release
from db.engine import session_scope, sqlite_file
from db.migrate import current_revision, head_revision
from db.models import Program, Team, User

APP_FILE = Path(__file__).resolve().parent.parent / "streamlit_app.py"
BENCH_FILE = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_statewide.py"
NATIONAL_BENCH_FILE = BENCH_FILE.with_name("bench_national.py")


CONSOLE_URL_OPTION = click.option(
    "--console-url", default="http://localhost:8501", show_default=True,
    help="Address people open the console at, for the one-time link.",
)


def friendly_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the console's own errors into a one-line message and exit status 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ConsoleError as error:
            raise click.ClickException(str(error)) from error

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Peer Wellness Console: check-ins, supervision and team wellness for peer support programs.

    Configuration comes from environment variables (see `wellness-console check`).
    """


@main.command()
@click.option("--program-name", default="Peer support program", show_default=True, help="Name of the program.")
@click.option("--admin-username", help="Username of the first admin (asked for when omitted at a terminal).")
@click.option("--admin-name", help="Display name of the first admin.")
@CONSOLE_URL_OPTION
@friendly_errors
def init(program_name: str, admin_username: str | None, admin_name: str | None, console_url: str) -> None:
    """Create the key file when absent, migrate the database to the newest schema, add the first admin
    (who gets a one-time link to choose their password)."""
    input_limits.require_texts({"program_name": (program_name, input_limits.PROGRAM_NAME)})
    runtime = initialize(load_settings())
    click.echo(f"Database ready at schema revision {head_revision()}.")
    with session_scope(runtime.engine) as session:
        if session.exec(select(Program)).first() is None:
            session.add(Program(name=program_name))
            session.commit()
            click.echo(f"Created the program {program_name!r}.")
        has_admin = any(user.has_role("admin") for user in session.exec(select(User)))
    if has_admin:
        return
    if admin_username is None and not sys.stdin.isatty():
        click.echo("No admin account yet: run `wellness-console init --admin-username NAME` at a terminal, "
                   "or `wellness-console create-user NAME --roles admin`.")
        return
    username = admin_username or click.prompt("First admin username")
    _create_user(runtime, username=username, display_name=admin_name or username, roles=["admin"],
                 team=None, email=None, console_url=console_url)


def _print_invitation(invitation: IssuedInvitation, *, console_url: str) -> None:
    if invitation.emailed_to:
        click.echo(f"The one-time link for {invitation.username} is sent by email to {invitation.emailed_to} "
                   "(by `wellness-console notify`). If it does not arrive, pass this on instead:")
    click.echo(f"One-time link for {invitation.username}, valid until {invitation.expires_at:%d %B %Y %H:%M} UTC. "
               "Pass it on; it works once, and the person chooses their own password with it:")
    click.echo(f"  {invitation.url(console_url)}")
    click.echo(f"Or, on the sign-in page, \"I have a one-time code\": {invitation.code}")


def _create_user(runtime: Runtime, *, username: str, display_name: str, roles: list[str], team: str | None,
                 email: str | None, console_url: str) -> None:
    with session_scope(runtime.engine) as session:
        team_id = None
        if team:
            found = session.exec(select(Team).where(Team.name == team)).first()
            if found is None:
                names = ", ".join(session.exec(select(Team.name)).all()) or "none yet"
                raise click.ClickException(f"There is no team {team!r}; teams: {names}.")
            team_id = found.id
        created = accounts.create_user(session, actor=None, username=username, display_name=display_name,
                                       roles=roles, email=email, team_id=team_id, on=clock.today(),
                                       send_email=runtime.settings.mail is not None)
    click.echo(f"Created {created.user.username} ({', '.join(roles)}).")
    _print_invitation(created.invitation, console_url=console_url)


@main.command("create-user")
@click.argument("username")
@click.option("--name", "display_name", help="Display name (defaults to the username).")
@click.option("--roles", required=True, help="Comma-separated roles: peer, supervisor, lead, admin.")
@click.option("--team", help="Name of the team to add the person to.")
@click.option("--email", help="Email used to match a single sign-on identity.")
@CONSOLE_URL_OPTION
@friendly_errors
def create_user(username: str, display_name: str | None, roles: str, team: str | None, email: str | None,
                console_url: str) -> None:
    """Create an account and print its one-time link: the person chooses their own password with it."""
    runtime = open_runtime()
    _create_user(runtime, username=username, display_name=display_name or username,
                 roles=[role.strip() for role in roles.split(",") if role.strip()], team=team, email=email,
                 console_url=console_url)


@main.command("invite")
@click.argument("username")
@CONSOLE_URL_OPTION
@friendly_errors
def invite(username: str, console_url: str) -> None:
    """Print a new one-time link for an account (a password reset); earlier links stop working."""
    runtime = open_runtime()
    with session_scope(runtime.engine) as session:
        user = find_user(session, username=username)
        if user is None:
            raise click.ClickException(f"There is no account {username!r}.")
        invitation = accounts.issue_invitation(session, actor=None, user_id=user.id, on=clock.today(),
                                               send_email=runtime.settings.mail is not None)
    _print_invitation(invitation, console_url=console_url)


@main.command("import-roster")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change, without writing.")
@click.option("--program", "program_name", help="Name of the program to import into (needed when there are several).")
@CONSOLE_URL_OPTION
@friendly_errors
def import_roster(file: Path, dry_run: bool, program_name: str | None, console_url: str) -> None:
    """Import teams, people, team memberships and supervision assignments from a CSV FILE, all or nothing.

    Every problem is listed with its line number and nothing is written unless the whole file is valid.
    Importing the same file again changes nothing. Each new person gets a one-time link (by email when
    email is configured). The README describes the columns; `wellness-console roster-template` prints a template.
    """
    runtime = open_runtime()
    data = file.read_bytes()
    try:
        with session_scope(runtime.engine) as session:
            program_id = None
            if program_name is not None:
                program_id = session.exec(select(Program.id).where(Program.name == program_name)).first()
                if program_id is None:
                    names = ", ".join(session.exec(select(Program.name)).all()) or "none yet"
                    raise click.ClickException(f"There is no program {program_name!r}; programs: {names}.")
            result = roster.import_roster(session, actor=None, data=data, dry_run=dry_run, program_id=program_id,
                                          send_email=runtime.settings.mail is not None)
    except roster.RosterRejected as rejected:
        for problem in rejected.rows:
            click.echo(f"{file.name}, line {problem.line}: {problem.message}", err=True)
        raise click.ClickException(str(rejected)) from rejected
    for change in result.changes:
        click.echo(f"line {change.line}: {'would ' if dry_run else ''}{change.what}")
    click.echo(result.summary())
    if dry_run:
        if not result.changes_nothing:
            click.echo("Nothing was written (--dry-run). Run again without --dry-run to import.")
        return
    for invitation in result.invitations:
        _print_invitation(invitation, console_url=console_url)


@main.command("roster-template")
def roster_template() -> None:
    """Print the roster import template CSV (redirect it to a file and fill it in)."""
    click.echo(roster.template_csv(), nl=False)


@main.command("demo")
@click.option("--reset", is_flag=True, help="Delete everything in the database and load the demo again.")
@click.option("--if-new", is_flag=True, help="Load the demo only when the database holds no program yet.")
@friendly_errors
def demo_command(reset: bool, if_new: bool) -> None:
    """Load the synthetic demo program and print the demo logins."""
    runtime = initialize(load_settings())
    with session_scope(runtime.engine) as session:
        exists = session.exec(select(Program)).first() is not None
        if exists and if_new and not reset:
            click.echo("The database already holds a program; leaving it as it is.")
        else:
            summary = demo.load_demo(session, today=clock.today(), reset=reset)
            click.echo(f"Loaded the demo program: {summary.teams} teams, {summary.peers} peers, "
                       f"{summary.pulses} check-ins, {summary.assessments} assessments, {summary.sessions} sessions.")
        is_demo = session.exec(select(Program).where(Program.is_demo)).first() is not None
    if is_demo:
        click.echo(f"\nDemo logins (password for every account: {demo.DEMO_PASSWORD})")
        for login in demo.DEMO_LOGINS:
            click.echo(f"  {login.username:<20} {login.description}")


@main.command()
@click.option("--port", default=8501, show_default=True, help="Port to serve on.")
@click.option("--address", default="localhost", show_default=True, help="Address to listen on.")
@friendly_errors
def run(port: int, address: str) -> None:
    """Serve the console with Streamlit (at http://localhost:8501 by default)."""
    open_runtime()
    click.echo(f"Serving the Peer Wellness Console at http://{address}:{port}")
    os.execvp(sys.executable, [
        sys.executable, "-m", "streamlit", "run", str(APP_FILE), "--server.port", str(port),
        "--server.address", address, "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ])


@main.command()
@click.option("--teams", default=200, show_default=True, help="Teams at full scale (a multiple of 10).")
@click.option("--peers", default=2000, show_default=True, help="Peers at full scale (a multiple of 10).")
@click.option("--years", default=3, show_default=True, help="Years of check-ins, assessments and supervision.")
@click.option("--runs", default=5, show_default=True, help="Timed runs per measurement; the median is shown.")
@click.option("--postgres-url", envvar="TEST_DATABASE_URL",
              help="PostgreSQL to measure too (default: TEST_DATABASE_URL).")
@click.option("--no-postgres", is_flag=True, help="Measure SQLite only.")
@click.option("--national", is_flag=True,
              help="The national scenario instead, on PostgreSQL: 20,000 peers in 2,000 teams across 20 programs, "
                   "side by side with statewide (lead pages cold, supervisee detail, releasing a month, peak RSS).")
def bench(teams: int, peers: int, years: int, runs: int, postgres_url: str | None, no_postgres: bool,
          national: bool) -> None:
    """Measure every role's landing page on a synthetic statewide program, at full size and one tenth,
    on SQLite and on PostgreSQL when it answers; prints the table described in the README."""
    if not BENCH_FILE.is_file():
        raise click.ClickException(f"The benchmark is not at {BENCH_FILE}; run this from a clone of the repository.")
    if national:
        if no_postgres or not postgres_url:
            raise click.ClickException("The national scenario runs on PostgreSQL: give --postgres-url "
                                       "(or set TEST_DATABASE_URL).")
        os.execvp(sys.executable, [sys.executable, str(NATIONAL_BENCH_FILE), "--years", str(years), "--runs",
                                   str(runs), "--postgres-url", postgres_url])
    options = ["--teams", str(teams), "--peers", str(peers), "--years", str(years), "--runs", str(runs)]
    if postgres_url:
        options += ["--postgres-url", postgres_url]
    if no_postgres:
        options.append("--no-postgres")
    os.execvp(sys.executable, [sys.executable, str(BENCH_FILE), *options])


@main.command("rotate-key")
@click.option("--prepare", is_flag=True,
              help="Only register a next key (added to the key file) for copying to every replica first.")
@click.option("--resume", is_flag=True, help="Finish an interrupted rotation without adding a key.")
@click.option("--retire-old", is_flag=True,
              help="Retire the old keys once no value needs them (and remove them from the key file).")
@friendly_errors
def rotate_key(prepare: bool, resume: bool, retire_old: bool) -> None:
    """Make a new encryption key the one that encrypts and re-encrypt every value under it, in batches.

    The new key is the prepared one (see --prepare) or, without one, a new key added to the key file.
    With CONSOLE_SECRET_KEY, put the new key first in the variable (old keys after it) on every replica.
    Old and new keys both stay valid until --retire-old; the README explains rotation with several replicas.
    """
    settings = load_settings()
    runtime = open_runtime(settings)
    if prepare:
        if resume or retire_old:
            raise click.ClickException("--prepare runs on its own; rotate afterwards.")
        prepare_rotation(runtime.engine, settings)
        click.echo(f"Registered a next key in {settings.keys_source}. Copy the key settings to every replica, "
                   "then run `wellness-console rotate-key`.")
        return
    click.echo("Re-encrypting in batches; if this stops midway, run `wellness-console rotate-key --resume`.")
    result = rotate_keys(runtime.engine, settings, retire_old=retire_old, resume=resume)
    click.echo(f"Re-encrypted {result.values_reencrypted} values under the encrypting key; "
               f"{result.keys_retired} old key(s) retired; {result.keys_kept} key(s) in {settings.keys_source}.")


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@friendly_errors
def backup(path: Path) -> None:
    """Copy the SQLite database to PATH while the console runs (online backup).

    For PostgreSQL, prints the pg_dump command to run instead.
    """
    settings = load_settings()
    source = sqlite_file(settings.database_url)
    if source is None:
        url = make_url(settings.database_url)
        click.echo("The database is PostgreSQL; back it up with pg_dump, for example:")
        click.echo(f"  pg_dump --format=custom --host={url.host or 'localhost'} --port={url.port or 5432} "
                   f"--username={url.username or '$USER'} --file={path} {url.database}")
        click.echo("Keep the encryption keys (CONSOLE_KEY_FILE or CONSOLE_SECRET_KEY) in a separate safe place.")
        return
    if not source.is_file():
        raise click.ClickException(f"There is no database at {source}; run `wellness-console init` first.")
    if path.exists():
        raise click.ClickException(f"{path} exists already; choose a new file name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    origin = sqlite3.connect(source)
    copy = sqlite3.connect(path)
    try:
        origin.backup(copy)
    finally:
        copy.close()
        origin.close()
    click.echo(f"Backed up {source} to {path}. The encryption key is not in the backup: keep "
               f"{settings.keys_source} safe and separate.")


@main.command()
@click.option("--full", is_flag=True, help="Open every encrypted value and count them per table and column.")
@friendly_errors
def check(full: bool) -> None:
    """Check the configuration, that the database answers, and that the keys are the database's."""
    settings = load_settings()
    click.echo("Configuration:")
    for name, meaning in ENVIRONMENT_VARIABLES.items():
        state = "set" if os.environ.get(name) else "default"
        click.echo(f"  {name:<24} {state:<8} {meaning}")
    url = make_url(settings.database_url)
    click.echo(f"Database: {url.render_as_string(hide_password=True)}")
    click.echo(f"Keys: {settings.keys_source}")
    runtime = open_runtime(settings)
    click.echo(f"Schema revision {current_revision(runtime.engine)} (newest {head_revision()}).")
    click.echo("The encryption keys are the database's and open the stored data.")
    if full:
        _check_every_value(runtime)
    click.echo("All checks passed.")


def _check_every_value(runtime: Runtime) -> None:
    counts = count_values(runtime.engine)
    click.echo(f"{'table':<20} {'column':<22} {'readable':>9} {'unreadable':>11} {'older key':>10}")
    for count in counts:
        click.echo(f"{count.table:<20} {count.column:<22} {count.readable:>9} {count.unreadable:>11} "
                   f"{count.under_older_key:>10}")
    unreadable = sum(count.unreadable for count in counts)
    if unreadable:
        raise click.ClickException(
            f"{unreadable} stored values cannot be opened with the keys in {runtime.settings.keys_source}. "
            "Add the keys they were written with to that setting."
        )
    if any(count.under_older_key for count in counts):
        click.echo("Some values still need an older key: run `wellness-console rotate-key --resume`.")


@main.command()
@click.option("--loop", is_flag=True, help="Keep running, every --interval seconds (for container deployments).")
@click.option("--interval", default=60, show_default=True, type=click.IntRange(5, 3600),
              help="Seconds between runs with --loop.")
@friendly_errors
def notify(loop: bool, interval: int) -> None:
    """Enqueue the reminders and digests due now, then send the outbox; once, or with --loop until stopped.

    Safe to run twice or in several processes at once: each message is enqueued and sent once.
    """
    settings = load_settings()
    runtime = open_runtime(settings)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if settings.mail is None:
        click.echo("Notifications are off: set CONSOLE_SMTP_HOST, CONSOLE_MAIL_FROM and CONSOLE_BASE_URL "
                   "(see the README) to send email.")
        return
    try:
        while True:
            _notify_once(runtime, mail=settings.mail)
            if not loop:
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("Stopped.")


def _notify_once(runtime: Runtime, *, mail: MailSettings) -> None:
    with session_scope(runtime.engine) as session:
        added = reminders.enqueue_due(session)
    report = mail_sender.deliver(runtime.engine, mail=mail)
    click.echo(f"{clock.now():%Y-%m-%d %H:%M:%S} UTC: enqueued {sum(added.values())}, sent {report.sent}, "
               f"retrying {report.retrying}, failed {report.failed}, suppressed {report.suppressed}, "
               f"held for quiet hours {report.quiet}, unconfirmed {report.unconfirmed}"
               + ("; the mail server cannot be reached" if report.server_unreachable else ""))


@main.command("release")
@friendly_errors
def release_command() -> None:
    """Release the lead figures of every calendar month that has closed and is not released yet.

    Run it from a scheduler once a day (a lead page also catches up on its first read after a month closes).
    Safe to run twice or in several processes at once: each month is released once, and never recomputed.
    """
    runtime = open_runtime()
    with session_scope(runtime.engine) as session:
        done = release.release_due(session)
    if not done:
        click.echo("Nothing to release: every closed month is released.")
    for month in done:
        if month.backfilled:
            click.echo(f"Added the topics released since to {month.month:%B %Y} for program {month.program_id}: "
                       f"{month.released} of {month.cells} new figures shown, the others withheld.")
            continue
        click.echo(f"Released {month.month:%B %Y} for program {month.program_id}: {month.released} of "
                   f"{month.cells} figures shown, the others withheld.")


@main.command("setting")
@click.argument("name", required=False)
@click.argument("value", required=False)
@friendly_errors
def setting(name: str | None, value: str | None) -> None:
    """Show the program settings, or set NAME to VALUE."""
    runtime = open_runtime()
    with session_scope(runtime.engine) as session:
        if name is not None and value is not None:
            write_settings(session, actor=None, changes={name: value}, on=clock.today())
        elif name is not None:
            raise click.ClickException(f"Give a value: wellness-console setting {name} VALUE")
        for key, current in vars(read_settings(session)).items():
            click.echo(f"{key:<26} {current}")
