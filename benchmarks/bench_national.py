"""National scale on PostgreSQL, side by side with statewide: the program lead pages, the supervisor's supervisee
detail page, releasing a month of lead figures, and peak memory.

Two databases are generated with the same generator, each in a PostgreSQL database of its own (dropped
afterwards):

- statewide: one program of 200 teams and 2,000 peers;
- national: 20 programs, 2,000 teams and 20,000 peers; program 1 is the statewide program itself and the other
  19 share the rest, so the lead measured (program 1's) sees the same program at both scales and only the data
  around it grows tenfold.

Both hold three years of weekly check-ins (312,000 statewide, 3.12 million national), monthly self-assessments
and supervision sessions. Rows are written with COPY; encrypted columns hold real Fernet tokens made with the
console's own keys, from a pool of encrypted values (a few hundred answer sets, every exposure checklist), so
every stored value opens and decrypting costs what it costs in production. Generation runs in a child process,
so the peak RSS reported is the measuring process's own.

For each scale it measures, in milliseconds: each lead page's service calls, the first AppTest run after the
cache is cleared (cold) and an empty page's AppTest run; the supervisee detail page cold, with the number of
SQL statements it issues and its service time; and, when the console has a `release` step
(`console.program.release.release_due`), the catch-up of the older months and then "release one month" (the last closed
month, for every program), each timed. Targets (issue 12): every lead page cold ≤ 3× an empty page, lead service
time growing ≤ 1.5× from statewide to national, releasing one month national < 60 s, peak RSS ≤ 400 MB.

    python benchmarks/bench_national.py --postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/test
    python benchmarks/bench_national.py --scale 0.1 --postgres-url ...     # a quick look at one tenth

To iterate on the pages without generating again, `--keep` leaves the two databases in place (named
bench_national_SCENARIO_SCALE) and writes what measuring them needs — their URLs, the secret key their tokens
were made with, the measured user ids, the day they were generated for — to benchmarks/.kept/scale-SCALE.json
(git-ignored); a later run with `--reuse` and the same `--scale` skips generation and the release catch-up and
only measures. Drop kept databases with `--drop-kept` (and the same `--scale`).

    python benchmarks/bench_national.py --scale 0.1 --keep ...   # generate, measure, keep
    python benchmarks/bench_national.py --scale 0.1 --reuse ...  # measure the kept databases again

The generation is heavy (about 9 million rows national): run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_statewide as statewide  # noqa: E402
from cryptography.fernet import Fernet  # noqa: E402
from sqlalchemy import Engine, create_engine, event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from console.core.dates import week_start  # noqa: E402
from console.core.runtime import initialize  # noqa: E402
from console.core.settings import Settings  # noqa: E402
from db.columns import tags_text  # noqa: E402
from db.crypto import encrypt_text  # noqa: E402
from db.engine import make_engine, session_scope  # noqa: E402
from db.models import User, utcnow  # noqa: E402

DETAIL_PAGE = "app_pages/supervisor/supervisees.py"
DETAIL_KEY = "supervisee_detail_peer"
TARGETS = {"cold_to_empty": 3.0, "growth": 1.5, "release_seconds": 60.0, "rss_mb": 400}
BATCH_PEERS = 500
ANSWER_POOL = 400


@dataclass(frozen=True)
class Scenario:
    name: str
    programs: int
    teams: int
    peers: int
    weeks: int
    program_one_teams: int
    """Teams of program 1, the program whose lead is measured; the rest are spread over the other programs."""


def scenarios(scale: float, years: int) -> list[Scenario]:
    teams, peers = round(200 * scale), round(2000 * scale)
    return [Scenario("statewide", 1, teams, peers, 52 * years, teams),
            Scenario("national", 20, 10 * teams, 10 * peers, 52 * years, teams)]


@dataclass
class Cast:
    lead: int
    supervisor: int
    supervisee: int


def _psycopg_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class Tokens:
    """Encrypted values made once with the console's keys and stored many times."""

    def __init__(self, rng: random.Random) -> None:
        self.pulse_answers = [self._json({item: rng.randint(1, 5) for item in statewide.PULSE_ITEMS})
                              for _ in range(ANSWER_POOL)]
        self.assessment_answers = [self._json({str(item): rng.randint(1, 5) for item in range(1, 31)})
                                   for _ in range(ANSWER_POOL)]
        self._codes: dict[str, str] = {}
        self.note = encrypt_text("A long week.")
        self.session_note = encrypt_text("Talked about the week.")
        self.action = encrypt_text("Follow up.")

    @staticmethod
    def _json(value: dict) -> str:
        return encrypt_text(json.dumps(value, sort_keys=True))

    def codes(self, value: str) -> str:
        token = self._codes.get(value)
        if token is None:
            token = self._codes[value] = encrypt_text(value)
        return token


def _copy(cursor: Any, table: str, rows: list[dict] | list[tuple], columns: tuple[str, ...] | None = None) -> None:
    """COPY rows (dicts, or tuples in `columns` order) into `table`; a writer thread overlaps the server's work."""
    from psycopg.copy import QueuedLibpqWriter

    if not rows:
        return
    if columns is None:
        columns = tuple(rows[0])
        rows = [tuple(_stored(row[column]) for column in columns) for row in rows]  # type: ignore[index]
    quoted = '"user"' if table == "user" else table
    with cursor.copy(f"COPY {quoted} ({', '.join(columns)}) FROM STDIN", writer=QueuedLibpqWriter(cursor)) as copy:
        for row in rows:
            copy.write_row(row)


def _stored(value: Any) -> Any:
    """A value as its column stores it: a set of tags as its one text form."""
    return tags_text(value) if isinstance(value, (set, frozenset)) else value


PULSE_COLUMNS = ("peer_id", "iso_year", "iso_week", "week_start", "taken_at", "answers", "strain", "exposures",
                 "self_care", "tallied_team_id", "caseload", "hours", "after_hours_callouts", "hours_outside_role",
                 "note", "note_shared", "wants_to_talk", "idempotency_key")
EXPOSURE_POOL = 4096
BULK_TABLES = ("pulsecheckin", "assessment", "assessmentscore", "supervisionsession", "sessionattendee", "actionitem")
"""Tables loaded with their plain indexes dropped (built again afterwards) and foreign-key triggers off (the rows
are consistent by construction)."""


def generate(url: str, scenario: Scenario, today: date, seed: int = 2026) -> Cast:
    """Write the scenario with COPY; encrypted columns from `Tokens`. The schema exists already: its plain
indexes on the bulk tables are dropped for the load and built again afterwards."""
    import psycopg

    rng = random.Random(seed)
    tokens = Tokens(rng)
    this_monday = week_start(today)
    weeks = [this_monday - timedelta(weeks=scenario.weeks - offset) for offset in range(scenario.weeks)]
    first_day = weeks[0]
    now = utcnow()
    sizes = statewide.Size(scenario.teams, scenario.peers, scenario.weeks).team_sizes()
    others = max(1, scenario.programs - 1)

    def program_of(team: int) -> int:
        if team <= scenario.program_one_teams or scenario.programs == 1:
            return 1
        return 2 + (team - scenario.program_one_teams - 1) * others // (scenario.teams - scenario.program_one_teams)

    with psycopg.connect(_psycopg_url(url)) as connection, connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND "
                       "tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                       (list(BULK_TABLES),))
        deferred_indexes = cursor.fetchall()
        for name, _ in deferred_indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        connection.commit()
        _copy(cursor, "program", [{"id": number, "name": f"Program {number:02d}", "is_demo": False, "created_at": now}
                                  for number in range(1, scenario.programs + 1)])
        _copy(cursor, "team", [{"id": team, "program_id": program_of(team), "name": f"Team {team:04d}", "setting": "",
                                "created_at": now} for team in range(1, scenario.teams + 1)])
        people: list[dict] = []

        def person(username: str, roles: str, program_id: int) -> int:
            people.append({"id": len(people) + 1, "program_id": program_id, "username": username,
                           "display_name": username.title(), "roles": roles, "active": True, "password_hash": "-",
                           "failed_attempts": 0, "must_change_password": False, "created_at": now})
            return len(people)

        leads = {program: person(f"lead.{program:02d}", "lead", program) for program in range(1, scenario.programs + 1)}
        person("admin", "admin", 1)
        supervisors: dict[int, int] = {}
        peer_teams: dict[int, int] = {}
        memberships, assignments, sharing = [], [], []
        joined = first_day - timedelta(days=30)
        for team, team_size in enumerate(sizes, start=1):
            supervisors[team] = person(f"supervisor.{team:04d}", "supervisor", program_of(team))
            for _ in range(team_size):
                peer = person(f"peer.{len(peer_teams) + 1:05d}", "peer", program_of(team))
                peer_teams[peer] = team
                memberships.append({"user_id": peer, "team_id": team, "started_on": joined})
                assignments.append({"supervisor_id": supervisors[team], "supervisee_id": peer,
                                    "functions": "administrative,educational,supportive", "started_on": joined})
                sharing.append({"peer_id": peer, "level": rng.choice(("completion", "bands", "bands", "scores")),
                                "updated_at": now})
        _copy(cursor, "user", people)
        _copy(cursor, "teammembership", memberships)
        _copy(cursor, "supervisionassignment", assignments)
        _copy(cursor, "sharingpreference", sharing)
        connection.commit()
        cast = Cast(lead=leads[1], supervisor=supervisors[1], supervisee=min(p for p, t in peer_teams.items() if t == 1))

        peers = sorted(peer_teams)
        session_id = assessment_id = 0
        gauss, choice, randint, uniform = rng.gauss, rng.choice, rng.randint, rng.random
        calendar = [(monday, monday.isocalendar().year, monday.isocalendar().week,
                     datetime.combine(monday + timedelta(days=2), datetime.min.time(), tzinfo=UTC),
                     monday.replace(day=1)) for monday in weeks]
        exposure_pool = []
        for _ in range(EXPOSURE_POOL):
            codes = tuple(sorted(code for code, rate in statewide.EXPOSURES.items() if rng.random() < rate))
            exposure_pool.append((codes, tokens.codes(",".join(codes)), codes))
        answer_tokens, self_care, note = tokens.pulse_answers, tokens.codes("movement,sleep"), tokens.note
        tally: Counter[tuple[int, date, str]] = Counter()
        for start in range(0, len(peers), BATCH_PEERS):
            pulses: list[tuple] = []
            assessments, scores, sessions, attendees, items = [], [], [], [], []
            for peer in peers[start:start + BATCH_PEERS]:
                team = peer_teams[peer]
                strain_level = rng.uniform(0.2, 0.6)
                levels = (rng.gauss(36, 4), rng.gauss(25, 5), rng.gauss(23, 5))
                for monday, iso_year, iso_week, taken_at, month in calendar:
                    strain = strain_level + gauss(0, 0.1)
                    exposures, token, codes = choice(exposure_pool)
                    if codes:
                        tally.update((team, month, code) for code in codes)
                    pulses.append((
                        peer, iso_year, iso_week, monday, taken_at, choice(answer_tokens),
                        round(100 * min(1.0, max(0.0, strain)), 1), token, self_care, team,
                        max(5, round(gauss(25, 5))), round(gauss(40, 4) * 2) / 2, randint(0, 2),
                        float(randint(1, 8)) if uniform() < 0.08 else None,
                        note if uniform() < 0.02 else None, False, uniform() < 0.02, f"bench-{peer}-{monday:%Y%m%d}",
                    ))
                    if uniform() < 0.3:
                        session_id += 1
                        sessions.append(_session(rng, tokens, session_id, supervisors[team], monday, "individual"))
                        attendees.append({"session_id": session_id, "peer_id": peer})
                        if uniform() < 0.05:
                            items.append({"session_id": session_id, "owner_id": peer, "text": tokens.action,
                                          "due_on": monday + timedelta(days=14),
                                          "status": "done" if monday < this_monday - timedelta(weeks=3) else "open",
                                          "created_at": now})
                day = first_day + timedelta(days=rng.randint(0, 29))
                while day < today:
                    assessment_id += 1
                    taken_at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=15)
                    assessments.append({"id": assessment_id, "peer_id": peer, "instrument_id": "proqol-style-30",
                                        "instrument_version": "1", "taken_at": taken_at,
                                        "answers": rng.choice(tokens.assessment_answers), "comment": None,
                                        "comment_shared": False, "idempotency_key": f"bench-a-{assessment_id}"})
                    for scale, level in zip(statewide.SCALES, levels, strict=True):
                        raw = float(min(50, max(10, round(level + rng.gauss(0, 3)))))
                        scores.append({"assessment_id": assessment_id, "scale": scale, "peer_id": peer,
                                       "taken_at": taken_at, "raw": raw, "band": statewide._band(raw), "answered": 10})
                    day += timedelta(days=30)
            _copy(cursor, "pulsecheckin", pulses, PULSE_COLUMNS)
            _copy(cursor, "assessment", assessments)
            _copy(cursor, "assessmentscore", scores)
            _copy(cursor, "supervisionsession", sessions)
            _copy(cursor, "sessionattendee", attendees)
            _copy(cursor, "actionitem", items)
            connection.commit()
        members: dict[int, list[int]] = {}
        for peer, team in peer_teams.items():
            members.setdefault(team, []).append(peer)
        sessions, attendees = [], []
        for team, team_peers in members.items():
            for monday in weeks[::4]:
                session_id += 1
                sessions.append(_session(rng, tokens, session_id, supervisors[team], monday, "group"))
                attendees += [{"session_id": session_id, "peer_id": peer} for peer in team_peers if rng.random() < 0.9]
        _copy(cursor, "supervisionsession", sessions)
        _copy(cursor, "sessionattendee", attendees)
        _copy(cursor, "exposuretally", [{"team_id": team, "month": month, "code": code, "count": count}
                                        for (team, month, code), count in sorted(tally.items())])
        connection.commit()
        for _, definition in deferred_indexes:
            cursor.execute(definition)
        connection.commit()
    return cast


def _session(rng: random.Random, tokens: Tokens, session_id: int, supervisor: int, monday: date, kind: str) -> dict:
    row = statewide._session(rng, session_id, supervisor, monday, kind)
    row["idempotency_key"] = f"bench-s-{session_id}"
    if row["notes_supportive"] is not None:
        row["notes_supportive"] = tokens.session_note
    return row


def _generate_child(url: str, scenario: Scenario, today: date) -> None:
    settings = Settings(database_url=url, key_file=Path("unused.key"), secret_key=os.environ["CONSOLE_SECRET_KEY"],
                        session_minutes=30, demo_mode="off")
    runtime = initialize(settings)
    cast = generate(url, scenario, today)
    statewide._finish(runtime.engine)
    runtime.engine.dispose()
    print(json.dumps([cast.lead, cast.supervisor, cast.supervisee,
                      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))


@contextmanager
def dedicated_database(server_url: str, name: str, *, keep: bool = False) -> Iterator[str]:
    """A new PostgreSQL database on the server of `server_url` (its name must be unused: two runs at once never
share one), dropped afterwards unless `keep`."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)') if keep else text("SELECT 1"))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        if not keep:
            drop_database(server_url, name)
        admin.dispose()


def drop_database(server_url: str, name: str) -> None:
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


KEPT = ROOT / "benchmarks" / ".kept"


def kept_file(scale: float) -> Path:
    return KEPT / f"scale-{scale:g}.json"


def kept_name(scenario: Scenario, scale: float) -> str:
    return f"bench_national_{scenario.name}_{str(scale).replace('.', '_')}"


@dataclass
class Generated:
    """What measuring a generated database needs; kept in `kept_file` between runs."""

    url: str
    lead: int
    supervisor: int
    supervisee: int
    generated_s: float
    generator_rss_mb: float
    release: list[dict]


@contextmanager
def scenario_database(scenario: Scenario, *, server_url: str, today: date, keep: bool,
                      reused: dict | None, scale: float) -> Iterator[tuple[Generated, list[Timed]]]:
    """The scenario's database, generated and caught up — or, when `reused`, the kept one as it is."""
    if reused is not None:
        generated = Generated(**reused)
        yield generated, [Timed(**step) for step in generated.release]
        return
    name = kept_name(scenario, scale) if keep else f"bench_national_{scenario.name}_{os.getpid()}"
    with dedicated_database(server_url, name, keep=keep) as url:
        os.environ["CONSOLE_DATABASE_URL"] = url
        settings = Settings(database_url=url, key_file=Path("unused.key"), secret_key=os.environ["CONSOLE_SECRET_KEY"],
                            session_minutes=30, demo_mode="off")
        initialize(settings).engine.dispose()
        started = time.perf_counter()
        child = subprocess.run([sys.executable, __file__, "--generate-child", url, "--child-scenario",
                                json.dumps(asdict(scenario)), "--child-today", today.isoformat()],
                               capture_output=True, text=True, check=False)
        if child.returncode:
            raise SystemExit(f"generating {scenario.name} failed:\n{child.stderr[-3000:]}")
        lead_id, supervisor_id, supervisee_id, child_rss = json.loads(child.stdout.strip().splitlines()[-1])
        generated_s = time.perf_counter() - started
        print(f"{scenario.name}: generated in {generated_s:.0f} s (generator peak RSS {child_rss:.0f} MB)", flush=True)
        engine = make_engine(url)
        release = release_steps(engine, today)
        engine.dispose()
        for step in release:
            print(f"{scenario.name}: {step.label}: "
                  f"{'—' if step.seconds is None else f'{step.seconds:.1f} s'} ({step.note})", flush=True)
        yield Generated(url, lead_id, supervisor_id, supervisee_id, generated_s, child_rss,
                        [asdict(step) for step in release]), release


@dataclass
class Timed:
    label: str
    seconds: float | None
    note: str


def release_steps(engine: Engine, today: date) -> list[Timed]:
    """Time the console's release step when it has one: the older months first, then the last closed month."""
    try:
        from console.program import release
    except ImportError:
        return [Timed("release one month", None, "skipped: this console has no release step "
                                                  "(console.program.release.release_due) yet")]
    release_due = getattr(release, "release_due", None)
    if release_due is None or "on" not in inspect.signature(release_due).parameters:
        return [Timed("release one month", None, "skipped: console.program.release has no release_due(session, on=...)")]
    last_month_start = today.replace(day=1) - timedelta(days=1)
    steps = []
    for label, on in (("release catch-up (older months)", last_month_start.replace(day=1)),
                      ("release one month", today)):
        started = time.perf_counter()
        with session_scope(engine) as session:
            done = release_due(session, on=on)
        months = sorted({getattr(item, "month", None) for item in done} - {None})
        programs = len({getattr(item, "program_id", None) for item in done})
        note = (f"{len(months)} month(s), {programs} program(s)" if done else "nothing to release")
        steps.append(Timed(label, time.perf_counter() - started, note))
    return steps


@dataclass
class ScaleResult:
    pages: list[statewide.PageResult]
    detail_cold_ms: float
    detail_statements: int
    detail_service_ms: float
    detail_sessions: int
    empty_ms: float
    release: list[Timed]
    generated_s: float
    generator_rss_mb: float
    checkins: int


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0
        self.active = False
        event.listen(Engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: Any) -> None:
        if self.active:
            self.count += 1

    @contextmanager
    def counting(self) -> Iterator[None]:
        self.count, self.active = 0, True
        try:
            yield
        finally:
            self.active = False


def measure_scale(scenario: Scenario, *, server_url: str, today: date, runs: int, empty_page: Path,
                  counter: StatementCounter, warm_up: bool, keep: bool = False, reused: dict | None = None,
                  scale: float = 1.0, remember: Callable[[str, dict], None] | None = None) -> ScaleResult:
    """Generate, release and measure one scale (or measure a kept one again, when `reused`); `warm_up` first runs
    each page once untimed, so the first measurement does not carry the process's one-time imports. With `keep`,
    `remember` is told, as soon as the database is ready, what a later `--reuse` needs."""
    from console.supervision import supervisor_week

    with scenario_database(scenario, server_url=server_url, today=today, keep=keep, reused=reused,
                           scale=scale) as (generated, release):
        if remember is not None:
            remember(scenario.name, asdict(generated))
        url = generated.url
        os.environ["CONSOLE_DATABASE_URL"] = url
        lead_id, supervisor_id, supervisee_id = generated.lead, generated.supervisor, generated.supervisee
        engine = make_engine(url)
        with engine.connect() as connection:
            checkins = connection.execute(text("SELECT count(*) FROM pulsecheckin")).scalar_one()
            sessions_held = connection.execute(text(
                "SELECT count(*) FROM sessionattendee WHERE peer_id = :peer"), {"peer": supervisee_id}).scalar_one()
        runner = statewide.PageRunner(engine, runs, empty_page)
        with session_scope(engine) as session:
            lead, supervisor = session.get(User, lead_id), session.get(User, supervisor_id)
        lead_pages = statewide.landing_pages()["lead"]
        if warm_up:
            for position, page in enumerate(lead_pages):
                runner._app_run(page, lead, landing=position == 0)
            runner._empty_run()
        pages = [runner.measure("lead", page, lead, today, landing=position == 0)
                 for position, page in enumerate(lead_pages)]
        for page in pages:
            print(f"{scenario.name}: {Path(page.page).name}: cold {page.cold_ms:.0f} ms, "
                  f"service {page.service_ms:.0f} ms, empty {page.empty_ms:.0f} ms", flush=True)
        runner.st.cache_data.clear()
        app = runner.AppTest.from_file(str(ROOT / DETAIL_PAGE), default_timeout=300)
        app.session_state["_current_user"] = supervisor
        app.session_state[DETAIL_KEY] = supervisee_id
        with counter.counting():
            started = time.perf_counter()
            app.run()
            detail_cold = 1000 * (time.perf_counter() - started)
        statements = counter.count
        if app.exception:
            raise RuntimeError(f"{DETAIL_PAGE} raised: {app.exception[0].value}")

        def detail() -> None:
            with session_scope(engine) as session:
                supervisor_week.supervisee_detail(session, actor=supervisor, peer_id=supervisee_id, on=today)

        detail_service = statewide._median_ms(detail, runs)
        empty = statewide._median_ms(runner._empty_run, runs)
        engine.dispose()
        return ScaleResult(pages, detail_cold, statements, detail_service, sessions_held, empty, release,
                           generated.generated_s, generated.generator_rss_mb, checkins)


def _ratio(top: float | None, bottom: float | None) -> str:
    return "—" if top is None or not bottom else f"{top / bottom:.2f}"


def report(state: ScaleResult, nation: ScaleResult, peak_mb: float) -> list[str]:
    lines = [f"| {'page':<28} | {'statewide cold':>14} | {'(÷ empty)':>9} | {'national cold':>13} | {'(÷ empty)':>9} | "
             f"{'service statewide':>17} | {'service national':>16} | {'growth':>6} |",
             f"|{'-' * 30}|{'-' * 16}|{'-' * 11}|{'-' * 15}|{'-' * 11}|{'-' * 19}|{'-' * 18}|{'-' * 8}|"]
    for small, big in zip(state.pages, nation.pages, strict=True):
        lines.append(f"| {Path(small.page).name:<28} | {small.cold_ms:>14.0f} | {_ratio(small.cold_ms, state.empty_ms):>9} | "
                     f"{big.cold_ms:>13.0f} | {_ratio(big.cold_ms, nation.empty_ms):>9} | {small.service_ms:>17.0f} | "
                     f"{big.service_ms:>16.0f} | {_ratio(big.service_ms, small.service_ms):>5}× |")
    lines.append(f"| {'supervisee detail':<28} | {state.detail_cold_ms:>14.0f} | "
                 f"{_ratio(state.detail_cold_ms, state.empty_ms):>9} | {nation.detail_cold_ms:>13.0f} | "
                 f"{_ratio(nation.detail_cold_ms, nation.empty_ms):>9} | {state.detail_service_ms:>17.0f} | "
                 f"{nation.detail_service_ms:>16.0f} | {_ratio(nation.detail_service_ms, state.detail_service_ms):>5}× |")
    lines.append(f"| {'empty page':<28} | {state.empty_ms:>14.0f} | {'':>9} | {nation.empty_ms:>13.0f} | {'':>9} | "
                 f"{'':>17} | {'':>16} | {'':>6} |")
    lines.append("")
    for name, result in (("statewide", state), ("national", nation)):
        lines.append(f"{name}: {result.checkins:,} check-ins, generated in {result.generated_s:.0f} s (generator peak "
                     f"RSS {result.generator_rss_mb:.0f} MB); supervisee detail: {result.detail_statements} SQL "
                     f"statements for a supervisee with {result.detail_sessions} sessions")
        for step in result.release:
            seconds = "—" if step.seconds is None else f"{step.seconds:.1f} s"
            lines.append(f"{name}: {step.label}: {seconds} ({step.note})")
    lines.append(f"Peak RSS of the measuring process: {peak_mb:.0f} MB")
    return lines


def verdicts(state: ScaleResult, nation: ScaleResult, peak_mb: float) -> list[str]:
    lines = []
    for name, result in (("statewide", state), ("national", nation)):
        for page in result.pages:
            ratio = page.cold_ms / result.empty_ms
            if ratio > TARGETS["cold_to_empty"]:
                lines.append(f"NOT met: {name} {Path(page.page).name} cold = {ratio:.2f}× an empty page "
                             f"(target ≤ {TARGETS['cold_to_empty']})")
    for small, big in zip(state.pages, nation.pages, strict=True):
        growth = big.service_ms / small.service_ms
        if growth > TARGETS["growth"]:
            lines.append(f"NOT met: {Path(big.page).name} service time grows {growth:.2f}× statewide → national "
                         f"(target ≤ {TARGETS['growth']}×)")
    one_month = next((step for step in nation.release if step.label == "release one month"), None)
    if one_month is None or one_month.seconds is None:
        lines.append("Not measured: releasing one month (no release step in this console)")
    elif one_month.seconds > TARGETS["release_seconds"]:
        lines.append(f"NOT met: releasing one month national took {one_month.seconds:.0f} s "
                     f"(target < {TARGETS['release_seconds']:.0f} s)")
    if peak_mb > TARGETS["rss_mb"]:
        lines.append(f"NOT met: peak RSS {peak_mb:.0f} MB > {TARGETS['rss_mb']} MB")
    return lines or ["All targets met."]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres-url", default=os.environ.get("TEST_DATABASE_URL"),
                        help="the PostgreSQL server to use (default: TEST_DATABASE_URL); the benchmark creates "
                             "databases bench_national_statewide_PID and bench_national_national_PID on it and "
                             "drops them afterwards")
    parser.add_argument("--years", type=int, default=3, help="years of data (default 3)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per measurement; the median is shown")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="fraction of the full sizes, for a quick look (default 1: 2,000 and 20,000 peers)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the generated databases (bench_national_SCENARIO_SCALE) and note them in "
                             "benchmarks/.kept/ for --reuse")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the databases a --keep run of the same --scale left, without generating")
    parser.add_argument("--drop-kept", action="store_true",
                        help="drop the databases a --keep run of the same --scale left, and forget them")
    parser.add_argument("--generate-child", help=argparse.SUPPRESS)
    parser.add_argument("--child-scenario", help=argparse.SUPPRESS)
    parser.add_argument("--child-today", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_child:
        _generate_child(args.generate_child, Scenario(**json.loads(args.child_scenario)),
                        date.fromisoformat(args.child_today))
        return 0
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    problem = statewide.postgres_reachable(args.postgres_url)
    if problem:
        print(f"The national benchmark needs PostgreSQL: {problem}.")
        return 1
    if not 0 < args.scale <= 1 or args.years < 1 or args.runs < 1:
        parser.error("give a scale in (0, 1], at least one year and one run")
    if args.keep + args.reuse + args.drop_kept > 1:
        parser.error("give one of --keep, --reuse and --drop-kept")
    note = kept_file(args.scale)
    if args.drop_kept:
        for scenario in scenarios(args.scale, args.years):
            drop_database(args.postgres_url, kept_name(scenario, args.scale))
            print(f"dropped {kept_name(scenario, args.scale)}")
        note.unlink(missing_ok=True)
        return 0
    previous: dict = {}
    if args.reuse:
        if not note.exists():
            parser.error(f"nothing kept at scale {args.scale:g}: run with --keep first ({note} is missing)")
        previous = json.loads(note.read_text())
    os.environ["CONSOLE_SECRET_KEY"] = previous.get("secret_key") or Fernet.generate_key().decode()
    os.environ["CONSOLE_DEMO_MODE"] = "off"
    os.environ.pop("CONSOLE_KEY_FILE", None)
    today = date.fromisoformat(previous["today"]) if previous else utcnow().date()
    kept = {"secret_key": os.environ["CONSOLE_SECRET_KEY"], "today": today.isoformat(), "scenarios": {}}

    def remember(name: str, generated: dict) -> None:
        kept["scenarios"][name] = generated
        note.parent.mkdir(exist_ok=True)
        note.write_text(json.dumps(kept, indent=1))
    counter = StatementCounter()
    measured = {}
    with tempfile.TemporaryDirectory(prefix="national-") as folder:
        empty_page = Path(folder) / "empty_page.py"
        empty_page.write_text(statewide.EMPTY_PAGE)
        for scenario in scenarios(args.scale, args.years):
            print(f"{scenario.name}: {scenario.programs} program(s), {scenario.teams:,} teams, {scenario.peers:,} "
                  f"peers, {scenario.weeks} weeks", flush=True)
            measured[scenario.name] = measure_scale(
                scenario, server_url=args.postgres_url, today=today, runs=args.runs, empty_page=empty_page,
                counter=counter, warm_up=not measured, keep=args.keep, scale=args.scale,
                reused=previous["scenarios"][scenario.name] if previous else None,
                remember=remember if args.keep else None)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print("\n".join(report(measured["statewide"], measured["national"], peak_mb)))
    for line in verdicts(measured["statewide"], measured["national"], peak_mb):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
