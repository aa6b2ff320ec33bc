"""Reliability under load and crashes, on SQLite and PostgreSQL.

For each database it measures:

  load     8 threads (one engine, as in one Streamlit server) and then 8 processes
           (as replicas) each submit N check-ins, assessments and supervision
           session records through the services; every tenth is submitted twice
           with the same idempotency key (a double click). Counted: submissions
           lost (acknowledged but not stored), duplicated (two rows for one key),
           half written (an assessment without its scores, a session without its
           attendee or action item) and errors that would reach a person
           ("database is locked" and other driver errors, anything unexpected).
  crash    kill -9 at random moments of `rotate-key` (with a writer submitting
           meanwhile), of `demo --reset` and of bursts of submissions; after each
           kill the database must open, `check --full` must pass and nothing may be
           half written. The demo must be whole (all of it or the previous load).
  backup   a backup taken while writers submit (`wellness-console backup` on
           SQLite, pg_dump on PostgreSQL) is restored and must open, pass
           `check --full` and hold only whole submissions.

    python benchmarks/bench_reliability.py                       # SQLite, and PostgreSQL when reachable
    python benchmarks/bench_reliability.py --submissions 50 --kills 3 --no-postgres   # a quick look

PostgreSQL is reached through --postgres-url (default: TEST_DATABASE_URL); the
benchmark works in a schema of its own (and a scratch database for the restore)
and drops them afterwards. It is not part of the test suite.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from console.core import clock
from console.core.errors import ConsoleError
from console.core.keys import activate_keys, count_values
from console.core.passwords import hash_password
from console.core.runtime import Runtime, initialize, open_runtime
from console.core.settings import load_settings
from console.supervision.sessions import NewActionItem, SessionContent, record_session
from console.wellness.assessments import submit_assessment
from console.wellness.checkins import submit_pulse
from db.engine import session_scope
from db.models import (
    ActionItem,
    Assessment,
    AssessmentScore,
    Program,
    PulseCheckin,
    SessionAttendee,
    SharingPreference,
    SupervisionAssignment,
    SupervisionSession,
    Team,
    TeamMembership,
    User,
)
from scoring import load_instrument

WORKERS = 8
PULSE_ANSWERS = {"energy": 3, "stress": 3, "sleep": 3, "workload": 3, "supported": 4, "connection": 3,
                 "satisfaction": 4}
KINDS = ("check-in", "assessment", "session")
BENCH_KEY_PREFIX = "bench-"
ENDLESS = 3000  # submissions of a writer that runs until stopped: one check-in a week, 1,000 weeks back
SCALES_PER_ASSESSMENT = 3


@dataclass
class Tally:
    acknowledged: list[tuple[str, str]] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    slowest_ms: float = 0.0

    def merge(self, other: Tally) -> None:
        self.acknowledged += other.acknowledged
        self.errors.update(other.errors)
        self.slowest_ms = max(self.slowest_ms, other.slowest_ms)


def _error_class(error: BaseException) -> str:
    if isinstance(error, ConsoleError):
        return f"refusal: {type(error).__name__}: {error}"[:160]
    if isinstance(error, OperationalError) and "locked" in str(error.orig):
        return "driver error: database is locked"
    if isinstance(error, DBAPIError):
        return f"driver error: {type(error.orig).__name__}"
    return f"unexpected: {type(error).__name__}: {error}"[:160]


def _environment(database_url: str, key_file: Path) -> dict[str, str]:
    environment = {**os.environ, "CONSOLE_DATABASE_URL": database_url, "CONSOLE_KEY_FILE": str(key_file),
                   "CONSOLE_DEMO_MODE": "off"}
    environment.pop("CONSOLE_SECRET_KEY", None)
    return environment


def _settings(environment: dict[str, str]):
    return load_settings(environ=environment, secrets_file=Path("/nonexistent"))


def _seed(environment: dict[str, str], *, pairs: int) -> list[tuple[int, int]]:
    """A program with `pairs` peers, each with a supervisor holding every function: (peer id, supervisor id)."""
    runtime = initialize(_settings(environment))
    password_hash = hash_password(uuid.uuid4().hex)
    with session_scope(runtime.engine) as session:
        program = Program(name=f"Reliability {uuid.uuid4().hex[:6]}")
        session.add(program)
        session.flush()
        team = Team(program_id=program.id, name="Load team")
        session.add(team)
        session.flush()
        made = []
        for number in range(pairs):
            peer = User(program_id=program.id, username=f"peer{number}_{uuid.uuid4().hex[:6]}",
                        display_name=f"Peer {number}", roles="peer", password_hash=password_hash)
            supervisor = User(program_id=program.id, username=f"sup{number}_{uuid.uuid4().hex[:6]}",
                              display_name=f"Supervisor {number}", roles="supervisor", password_hash=password_hash)
            session.add_all([peer, supervisor])
            session.flush()
            session.add_all([
                TeamMembership(user_id=peer.id, team_id=team.id, started_on=date(2000, 1, 3)),
                SharingPreference(peer_id=peer.id, level="bands"),
                SupervisionAssignment(supervisor_id=supervisor.id, supervisee_id=peer.id,
                                      functions="administrative,educational,supportive", started_on=date(2000, 1, 3)),
            ])
            made.append((peer.id, supervisor.id))
        session.commit()
    runtime.engine.dispose()
    return made


def _assessment_answers() -> dict[int, int]:
    instrument = load_instrument("proqol-style-30")
    return {item.number: 3 for item in instrument.items}


def _submit(runtime: Runtime, *, kind: str, key: str, peer_id: int, supervisor_id: int, week: int,
            answers: dict) -> None:
    """One submission as a page run makes it: the keys are read again first, then one service call."""
    now = clock.now()
    activate_keys(runtime.settings)
    with session_scope(runtime.engine) as session:
        if kind == "check-in":
            submit_pulse(session, actor=session.get(User, peer_id), answers=PULSE_ANSWERS, idempotency_key=key,
                         exposures=["overdose_scene"], self_care=["sleep"], caseload=20, hours=38,
                         note=f"note {key}", now=now - timedelta(weeks=week))
        elif kind == "assessment":
            submit_assessment(session, actor=session.get(User, peer_id), answers=answers, idempotency_key=key,
                              now=now)
        else:
            held_on = now.date() - timedelta(days=1)
            record_session(
                session, actor=session.get(User, supervisor_id), kind="individual", attendee_ids=[peer_id],
                content=SessionContent(held_on=held_on, duration_minutes=45,
                                       minutes={"administrative": 15, "supportive": 30},
                                       notes={"supportive": f"notes {key}"}),
                action_items=[NewActionItem(owner_id=peer_id, text=f"item {key}", due_on=held_on + timedelta(days=7))],
                idempotency_key=key, now=now,
            )


def submit_series(runtime: Runtime, *, tag: str, peer_id: int, supervisor_id: int, count: int,
                  stop: threading.Event | None = None) -> Tally:
    """`count` submissions by one peer and their supervisor, in turn check-in (one a week, going back),
    assessment and session."""
    tally = Tally()
    answers = _assessment_answers()
    for number in range(count):
        if stop is not None and stop.is_set():
            break
        kind = KINDS[number % 3]
        key = f"{BENCH_KEY_PREFIX}{tag}-{number}"
        for attempt in range(2 if number % 10 == 9 else 1):
            started = time.perf_counter()
            try:
                _submit(runtime, kind=kind, key=key, peer_id=peer_id, supervisor_id=supervisor_id,
                        week=number // 3, answers=answers)
            except Exception as error:  # every failure is counted, none stops the run
                tally.errors[_error_class(error)] += 1
                continue
            finally:
                tally.slowest_ms = max(tally.slowest_ms, (time.perf_counter() - started) * 1000)
            if attempt == 0:
                tally.acknowledged.append((kind, key))
    return tally


def _process_worker(arguments: tuple[dict[str, str], str, int, int, int]) -> Tally:
    environment, tag, peer_id, supervisor_id, count = arguments
    runtime = open_runtime(_settings(environment))
    try:
        return submit_series(runtime, tag=tag, peer_id=peer_id, supervisor_id=supervisor_id, count=count)
    finally:
        runtime.engine.dispose()


@dataclass
class Integrity:
    lost: int
    duplicated: int
    half_written: int
    unreadable: int


def integrity(engine, acknowledged: list[tuple[str, str]]) -> Integrity:
    """Acknowledged submissions missing, keys stored twice, the benchmark's submissions stored in part,
    values no key opens."""
    models = {"check-in": PulseCheckin, "assessment": Assessment, "session": SupervisionSession}
    with engine.connect() as connection:
        stored: Counter = Counter()
        for kind, model in models.items():
            for key, copies in connection.execute(
                    select(model.idempotency_key, func.count()).group_by(model.idempotency_key)).all():
                stored[(kind, key)] = copies
        scores = dict(connection.execute(
            select(AssessmentScore.assessment_id, func.count()).group_by(AssessmentScore.assessment_id)).all())
        assessments = connection.execute(
            select(Assessment.id).where(Assessment.idempotency_key.startswith(BENCH_KEY_PREFIX))).scalars().all()
        attendees = dict(connection.execute(
            select(SessionAttendee.session_id, func.count()).group_by(SessionAttendee.session_id)).all())
        items = dict(connection.execute(
            select(ActionItem.session_id, func.count()).group_by(ActionItem.session_id)).all())
        sessions = connection.execute(select(SupervisionSession.id).where(
            SupervisionSession.idempotency_key.startswith(BENCH_KEY_PREFIX))).scalars().all()
    half = sum(scores.get(row, 0) != SCALES_PER_ASSESSMENT for row in assessments)
    half += sum(attendees.get(row, 0) < 1 or items.get(row, 0) < 1 for row in sessions)
    return Integrity(
        lost=sum(stored[pair] == 0 for pair in acknowledged),
        duplicated=sum(copies > 1 for copies in stored.values()),
        half_written=half,
        unreadable=sum(count.unreadable for count in count_values(engine)),
    )


def _cli(environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "console", *arguments], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=600)


def _kill_at_random(environment: dict[str, str], arguments: list[str], *, within: float) -> bool:
    """Start a command and kill -9 it at a random moment within `within` seconds; True when it was killed."""
    process = subprocess.Popen(arguments, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    time.sleep(random.uniform(0.2, within))
    killed = process.poll() is None
    if killed:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return killed


@dataclass
class Database:
    name: str
    url: str
    environment: dict[str, str]
    restore: object  # callable(Path) -> url of a restored copy, or None


@contextmanager
def sqlite_database(folder: Path) -> Iterator[Database]:
    environment = _environment(f"sqlite:///{folder / 'data' / 'console.sqlite3'}", folder / "keys" / "console.key")
    yield Database("SQLite", environment["CONSOLE_DATABASE_URL"], environment, None)


@contextmanager
def postgres_database(base_url: str, folder: Path) -> Iterator[Database]:
    schema = f"bench_rel_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base_url else "?"
    url = f"{base_url}{separator}options=-csearch_path%3D{schema}"
    try:
        yield Database("PostgreSQL", url, _environment(url, folder / "keys" / "console.key"), schema)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def load(database: Database, *, submissions: int) -> dict[str, object]:
    pairs = _seed(database.environment, pairs=2 * WORKERS)
    runtime = open_runtime(_settings(database.environment))
    results = {}
    threads_tally = Tally()
    started = time.perf_counter()
    lock = threading.Lock()

    def run_thread(worker: int) -> None:
        peer_id, supervisor_id = pairs[worker]
        tally = submit_series(runtime, tag=f"thread{worker}", peer_id=peer_id, supervisor_id=supervisor_id,
                              count=submissions)
        with lock:
            threads_tally.merge(tally)

    threads = [threading.Thread(target=run_thread, args=(worker,)) for worker in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results["threads"] = (threads_tally, time.perf_counter() - started)

    processes_tally = Tally()
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(WORKERS) as pool:
        jobs = [(database.environment, f"process{worker}", *pairs[WORKERS + worker], submissions)
                for worker in range(WORKERS)]
        for tally in pool.map(_process_worker, jobs):
            processes_tally.merge(tally)
    results["processes"] = (processes_tally, time.perf_counter() - started)
    results["integrity"] = integrity(runtime.engine, threads_tally.acknowledged + processes_tally.acknowledged)
    runtime.engine.dispose()
    return results


@dataclass
class CrashRound:
    what: str
    full_run_seconds: float = 0.0
    kills: int = 0
    opened: int = 0
    check_full_passed: int = 0
    half_written: int = 0
    unreadable: int = 0
    other_failures: list[str] = field(default_factory=list)
    writer: Tally = field(default_factory=Tally)


def _after_kill(database: Database, result: CrashRound, *, acknowledged: list[tuple[str, str]] = ()) -> None:
    try:
        runtime = open_runtime(_settings(database.environment))
    except ConsoleError as error:
        result.other_failures.append(f"did not open: {error}")
        return
    result.opened += 1
    checked = _cli(database.environment, "check", "--full")
    if checked.returncode == 0:
        result.check_full_passed += 1
    else:
        result.other_failures.append(checked.stdout[-300:] + checked.stderr[-300:])
    found = integrity(runtime.engine, list(acknowledged))
    result.half_written += found.half_written
    result.unreadable += found.unreadable
    runtime.engine.dispose()


def crash_rotation(database: Database, *, kills: int) -> CrashRound:
    """kill -9 during rotate-key while a writer submits through the services."""
    result = CrashRound("rotate-key")
    pairs = _seed(database.environment, pairs=kills)
    runtime = open_runtime(_settings(database.environment))
    started = time.perf_counter()
    whole = _cli(database.environment, "rotate-key")
    result.full_run_seconds = time.perf_counter() - started
    if whole.returncode != 0:
        result.other_failures.append("uninterrupted rotate-key: " + whole.stdout[-300:] + whole.stderr[-300:])
    for peer_id, supervisor_id in pairs:
        stop = threading.Event()
        tally: list[Tally] = []
        # The writer is joined within this iteration, so the loop's names are not rebound under it.
        writer = threading.Thread(target=lambda: tally.append(submit_series(  # noqa: B023
            runtime, tag=f"rotation-{uuid.uuid4().hex[:6]}", peer_id=peer_id, supervisor_id=supervisor_id,  # noqa: B023
            count=ENDLESS, stop=stop)))  # noqa: B023
        writer.start()
        started = time.perf_counter()
        result.kills += _kill_at_random(database.environment, [sys.executable, "-m", "console", "rotate-key"],
                                        within=result.full_run_seconds)
        time.sleep(0.3)
        stop.set()
        writer.join()
        result.writer.merge(tally[0])
        result.writer.errors["(seconds with a rotation running)"] += round(time.perf_counter() - started)
        _after_kill(database, result)
    finished = _cli(database.environment, "rotate-key", "--resume", "--retire-old")
    if finished.returncode != 0:
        result.other_failures.append("resume: " + finished.stdout[-300:] + finished.stderr[-300:])
    _after_kill(database, result)
    runtime.engine.dispose()
    return result


def _demo_counts(environment: dict[str, str]) -> tuple[int, ...]:
    runtime = open_runtime(_settings(environment))
    with runtime.engine.connect() as connection:
        counts = tuple(connection.execute(select(func.count()).select_from(model)).scalar()
                       for model in (Program, User, PulseCheckin, Assessment, SupervisionSession, ActionItem))
    runtime.engine.dispose()
    return counts


def crash_demo_reset(database: Database, *, kills: int) -> CrashRound:
    result = CrashRound("demo --reset")
    loaded = _cli(database.environment, "demo", "--reset")
    if loaded.returncode != 0:
        result.other_failures.append("demo: " + loaded.stdout[-300:] + loaded.stderr[-300:])
        return result
    whole = _demo_counts(database.environment)
    started = time.perf_counter()
    _cli(database.environment, "demo", "--reset")
    result.full_run_seconds = time.perf_counter() - started
    for _ in range(kills):
        result.kills += _kill_at_random(database.environment, [sys.executable, "-m", "console", "demo", "--reset"],
                                        within=result.full_run_seconds)
        _after_kill(database, result)
        if _demo_counts(database.environment) != whole:
            result.half_written += 1
    return result


BURST_THREADS = 4
BURST = """
import os, sys, threading
sys.path.insert(0, {root!r})
from benchmarks.bench_reliability import ENDLESS, submit_series, _settings
from console.core.runtime import open_runtime
runtime = open_runtime(_settings(dict(os.environ)))
pairs = [tuple(int(part) for part in pair.split(":")) for pair in sys.argv[2:]]
threads = [threading.Thread(target=submit_series, args=(runtime,),
           kwargs=dict(tag=f"burst-{{sys.argv[1]}}-{{n}}", peer_id=peer, supervisor_id=supervisor, count=ENDLESS))
           for n, (peer, supervisor) in enumerate(pairs)]
for thread in threads: thread.start()
for thread in threads: thread.join()
"""


def crash_bursts(database: Database, *, kills: int) -> CrashRound:
    result = CrashRound("submission bursts")
    script = BURST.format(root=str(ROOT))
    for _ in range(kills):
        pairs = _seed(database.environment, pairs=BURST_THREADS)
        result.kills += _kill_at_random(
            database.environment,
            [sys.executable, "-c", script, uuid.uuid4().hex[:8], *(f"{peer}:{supervisor}" for peer, supervisor in pairs)],
            within=6.0)
        _after_kill(database, result)
    return result


@dataclass
class BackupResult:
    taken: bool = False
    restored_opens: bool = False
    check_full: bool = False
    half_written: int = -1
    unreadable: int = -1
    rows_in_backup: int = 0
    detail: str = ""


def backup_during_writes(database: Database, folder: Path) -> BackupResult:
    result = BackupResult()
    pairs = _seed(database.environment, pairs=BURST_THREADS)
    runtime = open_runtime(_settings(database.environment))
    stop = threading.Event()
    writers = [threading.Thread(target=submit_series, args=(runtime,), kwargs=dict(
        tag=f"backup-{number}-{uuid.uuid4().hex[:6]}", peer_id=peer_id, supervisor_id=supervisor_id, count=ENDLESS,
        stop=stop)) for number, (peer_id, supervisor_id) in enumerate(pairs)]
    for writer in writers:
        writer.start()
    time.sleep(2.0)
    try:
        restored_url = _take_and_restore(database, folder, result)
    finally:
        stop.set()
        for writer in writers:
            writer.join()
        runtime.engine.dispose()
    if restored_url is None:
        return result
    environment = {**database.environment, "CONSOLE_DATABASE_URL": restored_url}
    try:
        restored = open_runtime(_settings(environment))
    except ConsoleError as error:
        result.detail = f"restored copy did not open: {error}"
        return result
    result.restored_opens = True
    checked = _cli(environment, "check", "--full")
    result.check_full = checked.returncode == 0
    found = integrity(restored.engine, [])
    result.half_written, result.unreadable = found.half_written, found.unreadable
    with restored.engine.connect() as connection:
        result.rows_in_backup = connection.execute(select(func.count()).select_from(PulseCheckin)).scalar()
    restored.engine.dispose()
    if database.restore:
        _drop_restore_database(database)
    return result


def _take_and_restore(database: Database, folder: Path, result: BackupResult) -> str | None:
    if database.restore is None:
        copy = folder / f"backup-{uuid.uuid4().hex[:6]}.sqlite3"
        taken = _cli(database.environment, "backup", str(copy))
        result.taken = taken.returncode == 0
        if not result.taken:
            result.detail = taken.stdout[-300:] + taken.stderr[-300:]
            return None
        return f"sqlite:///{copy}"
    url = make_url(database.url.split("?")[0].replace("postgresql+psycopg", "postgresql"))
    dump = folder / "dump.sql"
    taken = subprocess.run(["pg_dump", f"--host={url.host}", f"--port={url.port or 5432}",
                            f"--username={url.username}", f"--schema={database.restore}", f"--file={dump}",
                            url.database], capture_output=True, text=True)
    result.taken = taken.returncode == 0
    if not result.taken:
        result.detail = taken.stderr[-300:]
        return None
    scratch = f"bench_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database.url.split("?")[0], isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{scratch}"'))
    admin.dispose()
    restored = subprocess.run(["psql", f"--host={url.host}", f"--port={url.port or 5432}",
                               f"--username={url.username}", "--quiet", "--set=ON_ERROR_STOP=1",
                               f"--file={dump}", scratch], capture_output=True, text=True)
    database.environment["BENCH_RESTORE_DATABASE"] = scratch
    if restored.returncode != 0:
        result.detail = restored.stderr[-300:]
        return None
    base = database.url.split("?")[0].rsplit("/", 1)[0]
    return f"{base}/{scratch}?options=-csearch_path%3D{database.restore}"


def _drop_restore_database(database: Database) -> None:
    scratch = database.environment.pop("BENCH_RESTORE_DATABASE", None)
    if scratch is None:
        return
    admin = create_engine(database.url.split("?")[0], isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
    admin.dispose()


def _print_load(results: dict[str, object], submissions: int) -> None:
    for label in ("threads", "processes"):
        tally, seconds = results[label]
        person = sum(count for error, count in tally.errors.items() if not error.startswith("refusal"))
        print(f"  {WORKERS} {label:<9} x {submissions}: {len(tally.acknowledged)} acknowledged in {seconds:.1f} s "
              f"({len(tally.acknowledged) / seconds:.0f}/s), slowest {tally.slowest_ms:.0f} ms, "
              f"errors reaching a person {person}, refusals {tally.errors.total() - person}")
        for error, count in sorted(tally.errors.items()):
            print(f"      {count:>6}  {error}")
    found = results["integrity"]
    print(f"  lost {found.lost}, duplicated {found.duplicated}, half written {found.half_written}, "
          f"unreadable values {found.unreadable}")


def _print_crash(result: CrashRound) -> None:
    length = f" (an uninterrupted run takes {result.full_run_seconds:.1f} s)" if result.full_run_seconds else ""
    print(f"  kill -9 in {result.what}{length}: {result.kills} killed mid-run; opened {result.opened}, "
          f"check --full passed {result.check_full_passed}, half written {result.half_written}, "
          f"unreadable {result.unreadable}")
    if result.writer.acknowledged or result.writer.errors:
        person = sum(count for error, count in result.writer.errors.items()
                     if not error.startswith(("refusal", "(")))
        print(f"      writer during rotation: {len(result.writer.acknowledged)} acknowledged, slowest "
              f"{result.writer.slowest_ms:.0f} ms, errors reaching a person {person}")
        for error, count in sorted(result.writer.errors.items()):
            print(f"      {count:>6}  {error}")
    for failure in result.other_failures:
        print(f"      failure: {failure}")


def run(database: Database, folder: Path, *, submissions: int, kills: int, parts: set[str]) -> None:
    print(f"\n{database.name}")
    initialize(_settings(database.environment)).engine.dispose()
    if "load" in parts:
        _print_load(load(database, submissions=submissions), submissions)
    if "crash" in parts:
        _print_crash(crash_rotation(database, kills=kills))
        _print_crash(crash_bursts(database, kills=kills))
    if "backup" in parts:
        backup = backup_during_writes(database, folder)
        print(f"  backup during writes: taken {backup.taken}, restored copy opens {backup.restored_opens}, "
              f"check --full {'passed' if backup.check_full else 'FAILED'}, check-ins in copy "
              f"{backup.rows_in_backup}, half written {backup.half_written}, unreadable {backup.unreadable}"
              + (f" ({backup.detail})" if backup.detail else ""))
    if "crash" in parts:
        _print_crash(crash_demo_reset(database, kills=kills))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=500, help="Submissions per thread and per process.")
    parser.add_argument("--kills", type=int, default=10, help="kill -9 rounds per crash scenario.")
    parser.add_argument("--parts", default="load,crash,backup", help="Comma-separated: load, crash, backup.")
    parser.add_argument("--postgres-url", default=os.environ.get("TEST_DATABASE_URL"),
                        help="PostgreSQL to measure too (default: TEST_DATABASE_URL).")
    parser.add_argument("--no-postgres", action="store_true", help="Measure SQLite only.")
    parser.add_argument("--no-sqlite", action="store_true", help="Measure PostgreSQL only.")
    options = parser.parse_args()
    parts = {part.strip() for part in options.parts.split(",") if part.strip()}
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        if not options.no_sqlite:
            with sqlite_database(folder / "sqlite") as database:
                run(database, folder, submissions=options.submissions, kills=options.kills, parts=parts)
        if options.postgres_url and not options.no_postgres:
            with postgres_database(options.postgres_url, folder / "postgres") as database:
                run(database, folder, submissions=options.submissions, kills=options.kills, parts=parts)


if __name__ == "__main__":
    main()
