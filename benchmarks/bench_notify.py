"""Scheduled email at scale: how long `wellness-console notify` takes to enqueue the weekly reminders for many
peers, to find nothing new on the next run, and to deliver the outbox to a local SMTP sink.

A fresh SQLite database (or a PostgreSQL schema of its own with --postgres-url) gets the peers and a
supervisor per 10 of them; the clock is set to the reminder time. Run from the project root:

    python benchmarks/bench_notify.py                     # 2,000 peers on SQLite
    python benchmarks/bench_notify.py --peers 20000 --postgres-url postgresql+psycopg://postgres@127.0.0.1/test
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import time_machine  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from console.core.runtime import initialize  # noqa: E402
from console.core.settings import MailSettings, Settings  # noqa: E402
from console.notify import mail_sender, reminders
from db.engine import session_scope  # noqa: E402
from db.models import Program, SupervisionAssignment, User  # noqa: E402

MONDAY_AT_NINE = "2026-11-30 09:00Z"
SINK_PORT = 8026


def start_sink() -> subprocess.Popen:
    """aiosmtpd's discarding sink in a process of its own, so it does not share this one's interpreter."""
    sink = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink",
                             "-l", f"127.0.0.1:{SINK_PORT}"])
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", SINK_PORT), timeout=1).close()
            return sink
        except OSError:
            time.sleep(0.1)
    sink.terminate()
    raise SystemExit("the SMTP sink did not start")


def populate(engine, peers: int) -> None:
    with session_scope(engine) as session:
        program = Program(name="Benchmark program")
        session.add(program)
        session.flush()
        people = [User(program_id=program.id, username=f"peer{number}", display_name=f"Peer {number}", roles="peer",
                       email=f"peer{number}@example.org", password_hash="-") for number in range(peers)]
        supervisors = [User(program_id=program.id, username=f"supervisor{number}", display_name="S",
                            roles="supervisor", email=f"supervisor{number}@example.org", password_hash="-")
                       for number in range(max(1, peers // 10))]
        session.add_all(people + supervisors)
        session.flush()
        session.add_all(SupervisionAssignment(supervisor_id=supervisors[number // 10].id, supervisee_id=peer.id,
                                              functions="educational,supportive", started_on=date(2026, 1, 5))
                        for number, peer in enumerate(people))
        session.commit()


def measure(database_url: str, *, peers: int, key_dir: Path, port: int) -> None:
    runtime = initialize(Settings(database_url=database_url, key_file=key_dir / "console.key", secret_key=None,
                                  session_minutes=30, demo_mode="off"))
    populate(runtime.engine, peers)
    mail = MailSettings(host="127.0.0.1", port=port, security="none", user=None, password=None,
                        from_address="bench@example.org", base_url="http://localhost:8501")
    with time_machine.travel(MONDAY_AT_NINE, tick=True):
        timings = {}
        for label in ("first run: enqueue", "second run: enqueue"):
            started = time.perf_counter()
            with session_scope(runtime.engine) as session:
                added = reminders.enqueue_due(session)
            timings[label] = (time.perf_counter() - started, sum(added.values()))
        started = time.perf_counter()
        report = mail_sender.deliver(runtime.engine, mail=mail, limit=10 * peers)
        timings["deliver"] = (time.perf_counter() - started, report.sent)
    runtime.engine.dispose()
    backend = database_url.split(":", 1)[0]
    for label, (seconds, count) in timings.items():
        rate = f"{count / seconds:,.0f}/s" if count else "—"
        print(f"{backend:<22} {label:<22} {count:>7,} messages {seconds:8.2f} s  {rate}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", type=int, default=2000, help="peers in the program (default 2,000)")
    parser.add_argument("--postgres-url", help="also measure on this PostgreSQL database, in a schema of its own")
    args = parser.parse_args()

    sink = start_sink()
    try:
        with tempfile.TemporaryDirectory() as folder:
            measure(f"sqlite:///{folder}/bench.sqlite3", peers=args.peers, key_dir=Path(folder), port=SINK_PORT)
            if args.postgres_url:
                schema = f"bench_{uuid.uuid4().hex[:10]}"
                admin = create_engine(args.postgres_url, isolation_level="AUTOCOMMIT")
                with admin.connect() as connection:
                    connection.execute(text(f'CREATE SCHEMA "{schema}"'))
                try:
                    separator = "&" if "?" in args.postgres_url else "?"
                    measure(f"{args.postgres_url}{separator}options=-csearch_path%3D{schema}", peers=args.peers,
                            key_dir=Path(folder), port=SINK_PORT)
                finally:
                    with admin.connect() as connection:
                        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                    admin.dispose()
    finally:
        sink.terminate()
        sink.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
