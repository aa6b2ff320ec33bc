"""Roster import at scale: a valid file of 2,000 people (200 teams, a supervisor per 10 peers, an assignment for
every peer) checked with --dry-run, imported, and imported again (which changes nothing). Target: under 30 s.

A fresh SQLite database, and a PostgreSQL schema of its own with --database-url (default TEST_DATABASE_URL),
dropped afterwards. Run from the project root:

    python benchmarks/bench_roster.py
    python benchmarks/bench_roster.py --people 2000 --database-url postgresql+psycopg://postgres@127.0.0.1/test
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from console.admin import roster
from console.core.runtime import initialize  # noqa: E402
from console.core.settings import Settings  # noqa: E402
from db.engine import session_scope  # noqa: E402
from db.models import Program, SupervisionAssignment, TeamMembership, User  # noqa: E402

TARGET_SECONDS = 30.0


def roster_file(people: int) -> bytes:
    """Teams of 10 people: 9 peers and their supervisor; every peer supervised with all three functions."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=roster.COLUMNS, lineterminator="\n")
    writer.writeheader()
    teams = max(1, people // 10)
    for number in range(teams):
        writer.writerow({"record": "team", "team": f"Team {number:04d}", "setting": "county"})
    for number in range(people):
        team = number // 10
        is_supervisor = number % 10 == 0
        writer.writerow({"record": "person", "email": f"person{number}@example.org", "name": f"Person {number}",
                         "roles": "supervisor" if is_supervisor else "peer", "team": f"Team {team:04d}",
                         "starts_on": "2026-01-05"})
        if not is_supervisor:
            writer.writerow({"record": "supervision", "email": f"person{number}@example.org",
                             "supervisor_email": f"person{team * 10}@example.org",
                             "functions": "administrative; educational; supportive", "starts_on": "2026-01-05"})
    return out.getvalue().encode()


def measure(database_url: str, *, people: int, key_dir: Path) -> list[tuple[str, float, str]]:
    runtime = initialize(Settings(database_url=database_url, key_file=key_dir / "console.key", secret_key=None,
                                  session_minutes=30, demo_mode="off"))
    with session_scope(runtime.engine) as session:
        session.add(Program(name="Benchmark program"))
        session.commit()
    data = roster_file(people)
    timings = []
    for label, dry_run in (("dry run", True), ("import", False), ("import again", False)):
        started = time.perf_counter()
        with session_scope(runtime.engine) as session:
            result = roster.import_roster(session, actor=None, data=data, dry_run=dry_run)
        timings.append((label, time.perf_counter() - started, f"{len(result.changes):,} changes"))
    with session_scope(runtime.engine) as session:
        counts = [session.execute(select(func.count()).select_from(model)).scalar_one()
                  for model in (User, TeamMembership, SupervisionAssignment)]
    assert counts == [people, people, people - people // 10], counts
    runtime.engine.dispose()
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000, help="people in the file (default 2,000)")
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"),
                        help="also measure on this PostgreSQL database, in a schema of its own "
                             "(default: TEST_DATABASE_URL)")
    args = parser.parse_args()
    rows = len(roster_file(args.people).splitlines()) - 1
    print(f"Roster file: {args.people:,} people, {rows:,} rows. Target: each step under {TARGET_SECONDS:.0f} s.")
    results = []
    with tempfile.TemporaryDirectory() as folder:
        results.append(("sqlite", measure(f"sqlite:///{folder}/bench.sqlite3", people=args.people,
                                          key_dir=Path(folder))))
        if args.database_url:
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            admin = create_engine(args.database_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            try:
                separator = "&" if "?" in args.database_url else "?"
                results.append(("postgresql", measure(f"{args.database_url}{separator}options=-csearch_path%3D{schema}",
                                                      people=args.people, key_dir=Path(folder))))
            finally:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
    print(f"| {'database':<10} | {'step':<12} | {'seconds':>7} | {'result':<16} |")
    print(f"|{'-' * 12}|{'-' * 14}|{'-' * 9}|{'-' * 18}|")
    slow = False
    for backend, timings in results:
        for label, seconds, outcome in timings:
            slow |= seconds > TARGET_SECONDS
            print(f"| {backend:<10} | {label:<12} | {seconds:7.2f} | {outcome:<16} |")
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
