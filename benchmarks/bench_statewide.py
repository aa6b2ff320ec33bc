"""Statewide scale: every role's landing page against a synthetic program, on SQLite and PostgreSQL.

The synthetic program has 200 teams of 3 to 17 peers (2,000 peers), one
supervisor a team, and three years of weekly check-ins (312,000), monthly
self-assessments (72,000) and supervision sessions (about 100,000, a tenth of
them group sessions). It is written with bulk inserts through the console's own
tables, so text is encrypted as in production.

For each role's landing page (the first page of its section in
`streamlit_app.py`) and the other program lead pages, one run measures:

  (a) the page's service calls, run directly: the calls the page makes are
      recorded during an AppTest run, then timed on their own;
  (b) the same aggregates as hand-written SQL run on the driver, one statement
      per aggregate (written for the program lead services);
  (c) the page's AppTest run: the first run of a new AppTest (as a new browser
      session), median over warm runs (query results cached as in production),
      and the cold run right after the cache is cleared;
  (d) the first run of a new AppTest of an empty Streamlit page;

all of that at one tenth of the data (20 teams, 200 peers, the same three
years), and the process's peak RSS. Times are medians in milliseconds.

    python benchmarks/bench_statewide.py                 # SQLite, and PostgreSQL when reachable
    python benchmarks/bench_statewide.py --postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/test
    python benchmarks/bench_statewide.py --teams 4 --peers 40 --years 1 --no-postgres   # a quick look

PostgreSQL is reached through --postgres-url (default: TEST_DATABASE_URL); the
benchmark works in a schema of its own and drops it afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

import scoring
from console.core.dates import week_start
from console.core.errors import ConsoleError
from console.core.passwords import hash_password
from console.core.program_settings import ProgramSettings
from console.core.runtime import initialize
from console.core.settings import Settings
from console.program import release, wellness_figures
from console.program.wellness_figures import complete_months
from console.web import navigation
from db.columns import sets_with_tag, tags_text
from db.engine import make_engine, session_scope
from db.models import (
    ROLES,
    ActionItem,
    Assessment,
    AssessmentScore,
    ExposureTally,
    Program,
    PulseCheckin,
    SessionAttendee,
    SharingPreference,
    SupervisionAssignment,
    SupervisionSession,
    Team,
    TeamMembership,
    User,
    utcnow,
)

TEAM_SIZES = (3, 6, 8, 10, 12, 14, 17, 10, 11, 9)
EXPOSURES = {"overdose_scene": 0.25, "death_of_person_served": 0.04, "threat_or_violence": 0.06,
             "people_from_past": 0.15, "triggering_setting": 0.2, "stigma_or_criticism": 0.1,
             "recovery_pressure": 0.05}
PULSE_ITEMS = ("energy", "stress", "sleep", "workload", "supported", "connection", "satisfaction")
SCALES = ("compassion_satisfaction", "burnout", "secondary_traumatic_stress")
BATCH_PEERS = 100
TARGETS = {"service_to_sql": 1.5, "page_to_empty": 3.0, "growth": 1.5, "rss_mb": 400}
EMPTY_PAGE = 'import streamlit as st\n\nst.title("Empty page")\n'
LEGEND = ("(a) the page's service calls  (b) the same as hand-written SQL  (c) the page's AppTest run, warm median  "
          "cold: its first run after the cache is cleared  (d) an empty page's AppTest run  1/10: at one tenth of "
          "the data  growth: full ÷ one tenth; times in ms")


@dataclass(frozen=True)
class Size:
    teams: int
    peers: int
    weeks: int

    def team_sizes(self) -> list[int]:
        sizes = [TEAM_SIZES[position % len(TEAM_SIZES)] for position in range(self.teams)]
        surplus = sum(sizes) - self.peers
        position = 0
        while surplus:
            step = 1 if surplus > 0 else -1
            if sizes[position % self.teams] - step >= 1:
                sizes[position % self.teams] -= step
                surplus -= step
            position += 1
        return sizes


@dataclass
class Cast:
    """The people whose landing pages are measured."""

    users: dict[str, int] = field(default_factory=dict)


def _band(raw: float) -> int:
    return 0 if raw <= 22 else 2 if raw >= 42 else 1


def _insert(connection, model, rows: list[dict]) -> None:
    if rows:
        connection.execute(model.__table__.insert(), rows)


def generate(engine: Engine, size: Size, *, today: date, seed: int = 2026) -> Cast:
    """Write the synthetic program: accounts, teams, assignments, check-ins, assessments, supervision."""
    rng = random.Random(seed)
    this_monday = week_start(today)
    weeks = [this_monday - timedelta(weeks=size.weeks - offset) for offset in range(size.weeks)]
    first_day = weeks[0]
    password_hash = hash_password(uuid.uuid4().hex)
    cast = Cast()
    with engine.begin() as connection:
        _insert(connection, Program, [{"id": 1, "name": "Statewide peer program", "is_demo": False,
                                       "created_at": utcnow()}])
        _insert(connection, Team, [{"id": team, "program_id": 1, "name": f"Team {team:03d}", "setting": "",
                                    "created_at": utcnow()} for team in range(1, size.teams + 1)])
        people, memberships, assignments, sharing = [], [], [], []
        peer_teams: dict[int, int] = {}
        next_id = 1

        def person(username: str, roles: str) -> int:
            nonlocal next_id
            people.append({"id": next_id, "program_id": 1, "username": username, "display_name": username.title(),
                           "roles": frozenset({roles}), "active": True, "password_hash": password_hash, "failed_attempts": 0,
                           "must_change_password": False, "created_at": utcnow()})
            next_id += 1
            return next_id - 1

        cast.users["lead"] = person("lead", "lead")
        cast.users["admin"] = person("admin", "admin")
        supervisors = {}
        for team, team_size in enumerate(size.team_sizes(), start=1):
            supervisors[team] = person(f"supervisor.{team:03d}", "supervisor")
            for _ in range(team_size):
                peer = person(f"peer.{len(peer_teams) + 1:05d}", "peer")
                peer_teams[peer] = team
                memberships.append({"user_id": peer, "team_id": team, "started_on": first_day - timedelta(days=30)})
                assignments.append({"supervisor_id": supervisors[team], "supervisee_id": peer,
                                    "functions": frozenset({"administrative", "educational", "supportive"}),
                                    "started_on": first_day - timedelta(days=30)})
                sharing.append({"peer_id": peer, "level": rng.choice(("completion", "bands", "bands", "scores")),
                                "updated_at": utcnow()})
        cast.users["peer"] = min(peer_teams)
        cast.users["supervisor"] = supervisors[1]
        _insert(connection, User, people)
        _insert(connection, TeamMembership, memberships)
        _insert(connection, SupervisionAssignment, assignments)
        _insert(connection, SharingPreference, sharing)

    peers = sorted(peer_teams)
    session_id = assessment_id = 0
    tally: Counter[tuple[int, date, str]] = Counter()
    for start in range(0, len(peers), BATCH_PEERS):
        batch = peers[start:start + BATCH_PEERS]
        pulses, assessments, scores, sessions, attendees, items = [], [], [], [], [], []
        for peer in batch:
            strain_level = rng.uniform(0.2, 0.6)
            levels = (rng.gauss(36, 4), rng.gauss(25, 5), rng.gauss(23, 5))
            for monday in weeks:
                strain = min(1.0, max(0.0, strain_level + rng.gauss(0, 0.1)))
                exposures = sorted(code for code, rate in EXPOSURES.items() if rng.random() < rate)
                tally.update((peer_teams[peer], monday.replace(day=1), code) for code in exposures)
                iso = monday.isocalendar()
                pulses.append({
                    "peer_id": peer, "iso_year": iso.year, "iso_week": iso.week, "week_start": monday,
                    "taken_at": datetime.combine(monday + timedelta(days=2), datetime.min.time(), tzinfo=UTC),
                    "answers": {item: rng.randint(1, 5) for item in PULSE_ITEMS},
                    "strain": round(100 * strain, 1), "exposures": frozenset(exposures),
                    "tallied_team_id": peer_teams[peer], "self_care": frozenset({"sleep", "movement"}),
                    "caseload": max(5, round(rng.gauss(25, 5))), "hours": round(rng.gauss(40, 4) * 2) / 2,
                    "after_hours_callouts": rng.randint(0, 2),
                    "hours_outside_role": float(rng.randint(1, 8)) if rng.random() < 0.08 else None,
                    "note": "A long week." if rng.random() < 0.02 else None, "note_shared": False,
                    "wants_to_talk": rng.random() < 0.02, "idempotency_key": uuid.uuid4().hex,
                })
                if rng.random() < 0.3:
                    session_id += 1
                    sessions.append(_session(rng, session_id, supervisors[peer_teams[peer]], monday, "individual"))
                    attendees.append({"session_id": session_id, "peer_id": peer})
                    if rng.random() < 0.05:
                        items.append({"session_id": session_id, "owner_id": peer, "text": "Follow up.",
                                      "due_on": monday + timedelta(days=14),
                                      "status": "done" if monday < this_monday - timedelta(weeks=3) else "open",
                                      "created_at": utcnow()})
            day = first_day + timedelta(days=rng.randint(0, 29))
            while day < today:
                assessment_id += 1
                taken_at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=15)
                assessments.append({"id": assessment_id, "peer_id": peer, "instrument_id": "proqol-style-30",
                                    "instrument_version": "1", "taken_at": taken_at,
                                    "answers": {str(item): rng.randint(1, 5) for item in range(1, 31)},
                                    "comment": None, "comment_shared": False, "idempotency_key": uuid.uuid4().hex})
                for scale, level in zip(SCALES, levels, strict=True):
                    raw = float(min(50, max(10, round(level + rng.gauss(0, 3)))))
                    scores.append({"assessment_id": assessment_id, "scale": scale, "peer_id": peer,
                                   "taken_at": taken_at, "raw": raw, "band": _band(raw), "answered": 10})
                day += timedelta(days=30)
        with engine.begin() as connection:
            _insert(connection, PulseCheckin, pulses)
            _insert(connection, Assessment, assessments)
            _insert(connection, AssessmentScore, scores)
            _insert(connection, SupervisionSession, sessions)
            _insert(connection, SessionAttendee, attendees)
            _insert(connection, ActionItem, items)
    members: dict[int, list[int]] = {}
    for peer, team in peer_teams.items():
        members.setdefault(team, []).append(peer)
    sessions, attendees = [], []
    for team, team_peers in members.items():
        for monday in weeks[::4]:
            session_id += 1
            sessions.append(_session(rng, session_id, supervisors[team], monday, "group"))
            attendees += [{"session_id": session_id, "peer_id": peer} for peer in team_peers if rng.random() < 0.9]
    with engine.begin() as connection:
        _insert(connection, SupervisionSession, sessions)
        _insert(connection, ExposureTally, [{"team_id": team, "month": month, "code": code, "count": count}
                                            for (team, month, code), count in sorted(tally.items())])
        _insert(connection, SessionAttendee, attendees)
    _finish(engine)
    return cast


def _session(rng: random.Random, session_id: int, supervisor: int, monday: date, kind: str) -> dict:
    administrative, educational = rng.choice((10, 15, 20)), rng.choice((10, 15, 20))
    supportive = rng.choice((0, 15, 20, 30))
    held_on = monday + timedelta(days=rng.randint(0, 4))
    return {"id": session_id, "supervisor_id": supervisor, "held_on": held_on, "kind": kind,
            "duration_minutes": administrative + educational + supportive,
            "minutes_administrative": administrative, "minutes_educational": educational,
            "minutes_supportive": supportive, "activities": frozenset({"plan_assign_work", "reflect_on_practice"}),
            "notes_supportive": "Talked about the week." if supportive and rng.random() < 0.3 else None,
            "peer_drift": False, "ethics_areas": frozenset(), "field_safety_discussed": False,
            "created_at": utcnow(), "updated_at": utcnow(), "idempotency_key": uuid.uuid4().hex}


def _finish(engine: Engine) -> None:
    """Move PostgreSQL's id sequences past the ids written here, and refresh planner statistics."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            for table in ("program", "team", '"user"', "assessment", "supervisionsession"):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                ))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))


# Hand-written SQL for the program lead aggregates: the same results as db/queries.py, written out.
PEER_ROLES = ", ".join(f"'{tags_text(roles)}'" for roles in sets_with_tag("peer", vocabulary=ROLES))

def _roster(parameters: dict, team_filter: str = "") -> str:
    parameters["true"] = True
    return f"""
    SELECT tm.user_id AS peer_id, MIN(tm.team_id) AS team_id
    FROM teammembership tm JOIN team t ON t.id = tm.team_id JOIN "user" u ON u.id = tm.user_id
    WHERE t.program_id = :program AND tm.started_on <= :on AND (tm.ended_on IS NULL OR tm.ended_on >= :on)
      AND u.active = :true AND u.roles IN ({PEER_ROLES}) {team_filter}
    GROUP BY tm.user_id"""


def _month_case(column: str, months: list[date], parameters: dict, *, timestamps: bool) -> str:
    branches = []
    for position, month in enumerate(months):
        following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        parameters[f"m{position}"] = _start(month) if timestamps else month
        parameters[f"n{position}"] = _start(following) if timestamps else following
        parameters[f"l{position}"] = month.isoformat()
        branches.append(f"WHEN {column} >= :m{position} AND {column} < :n{position} THEN :l{position}")
    return f"CASE {' '.join(branches)} END"


def _start(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC)


def _placement(months: list[date], parameters: dict) -> str:
    calendar = " UNION ALL ".join(
        f"SELECT :l{position} AS month, :m{position}d AS first_day, :e{position} AS last_day"
        for position in range(len(months))
    )
    for position, month in enumerate(months):
        following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        parameters[f"l{position}"] = month.isoformat()
        parameters[f"m{position}d"] = month
        parameters[f"e{position}"] = following - timedelta(days=1)
    return f"""
    SELECT tm.user_id AS peer_id, c.month, MIN(tm.team_id) AS team_id
    FROM teammembership tm JOIN team t ON t.id = tm.team_id
    JOIN ({calendar}) c ON tm.started_on <= c.last_day AND (tm.ended_on IS NULL OR tm.ended_on >= c.first_day)
    WHERE t.program_id = :program GROUP BY tm.user_id, c.month"""


def scores_sql(months: list[date], firsts: dict[str, date]) -> tuple[str, dict]:
    """Medians, quartiles and high-band counts per scale, month and team (team 0: all teams)."""
    scores = {"program": 1, "end": _start(program_end(months))}
    windows = []
    for position, (name, first) in enumerate(sorted(firsts.items())):
        scores[f"scale{position}"], scores[f"from{position}"] = name, _start(first)
        windows.append(f"(s.scale = :scale{position} AND s.taken_at >= :from{position} AND s.taken_at < :end)")
    month = _month_case("s.taken_at", months, scores, timestamps=True)
    sql = f"""
    WITH ranked AS (
      SELECT s.peer_id, s.scale, s.raw, s.band, {month} AS month,
             ROW_NUMBER() OVER (PARTITION BY s.peer_id, s.scale, {month}
                                ORDER BY s.taken_at DESC, s.assessment_id DESC) AS position
      FROM assessmentscore s
      WHERE ({" OR ".join(windows)}) AND s.raw IS NOT NULL),
    placement AS ({_placement(months, scores)}),
    placed AS (SELECT r.scale, r.month, p.team_id AS team, r.raw, r.band
               FROM ranked r JOIN placement p ON p.peer_id = r.peer_id AND p.month = r.month WHERE r.position = 1),
    grouped AS (SELECT scale, month, team, raw, band FROM placed
                UNION ALL SELECT scale, month, 0, raw, band FROM placed),
    ordered AS (SELECT scale, month, team, raw, band,
                       ROW_NUMBER() OVER (PARTITION BY scale, month, team ORDER BY raw) AS i,
                       COUNT(*) OVER (PARTITION BY scale, month, team) AS n
                FROM grouped),
    picked AS (
      SELECT scale, month, team, MAX(n) AS n,
             MAX(CASE WHEN i = (n + 1) / 2 THEN raw END) AS m1, MAX(CASE WHEN i = n / 2 + 1 THEN raw END) AS m2,
             MAX(CASE WHEN i = (n - 1) / 4 + 1 THEN raw END) AS a1, MAX(CASE WHEN i = (n - 1) / 4 + 2 THEN raw END) AS b1,
             MAX(CASE WHEN i = 3 * (n - 1) / 4 + 1 THEN raw END) AS a3,
             MAX(CASE WHEN i = 3 * (n - 1) / 4 + 2 THEN raw END) AS b3,
             SUM(CASE WHEN band = 2 THEN 1 ELSE 0 END) AS high, COUNT(band) AS banded
      FROM ordered GROUP BY scale, month, team)
    SELECT scale, month, team, n, (m1 + m2) / 2.0 AS median,
           a1 + ((n - 1) * 0.25 - (n - 1) / 4) * (COALESCE(b1, a1) - a1) AS q1,
           a3 + ((n - 1) * 0.75 - 3 * (n - 1) / 4) * (COALESCE(b3, a3) - a3) AS q3,
           high, banded
    FROM picked"""
    return sql, scores


def exposures_sql(months: list[date]) -> list[tuple[str, dict]]:
    """Peers who checked in per team and month, and the exposures counted per team and month."""
    exposures = {"program": 1, "first": months[0], "end": program_end(months)}
    week_month = _month_case("week_start", months, exposures, timestamps=False)
    peers_sql = f"""
    WITH checked AS (
      SELECT DISTINCT peer_id, {week_month} AS month
      FROM pulsecheckin WHERE week_start >= :first AND week_start < :end),
    placement AS ({_placement(months, exposures)})
    SELECT p.team_id, c.month, COUNT(*)
    FROM checked c JOIN placement p ON p.peer_id = c.peer_id AND p.month = c.month
    GROUP BY p.team_id, c.month"""
    counted = {"program": 1, "first": months[0], "end": program_end(months)}
    counted_sql = """
    SELECT x.team_id, x.month, SUM(x.count) FROM exposuretally x JOIN team t ON t.id = x.team_id
    WHERE t.program_id = :program AND x.month >= :first AND x.month < :end
    GROUP BY x.team_id, x.month"""
    return [(peers_sql, exposures), (counted_sql, counted)]


def overview_sql(on: date, scale: str = "burnout") -> list[tuple[str, dict]]:
    this_monday = week_start(on)
    months = list(complete_months(on, wellness_figures.TREND_MONTHS))
    participation = {"program": 1, "on": on, "pulse_since": this_monday - timedelta(weeks=4),
                     "pulse_until": this_monday, "a_since": _start(this_monday - timedelta(days=30)),
                     "a_until": _start(this_monday)}
    participation_sql = f"""
    WITH roster AS ({_roster(participation)}),
    checked AS (SELECT DISTINCT peer_id FROM pulsecheckin WHERE week_start >= :pulse_since AND week_start < :pulse_until),
    assessed AS (SELECT DISTINCT peer_id FROM assessment WHERE taken_at >= :a_since AND taken_at < :a_until)
    SELECT r.team_id, COUNT(*), COUNT(c.peer_id), COUNT(a.peer_id)
    FROM roster r LEFT JOIN checked c ON c.peer_id = r.peer_id LEFT JOIN assessed a ON a.peer_id = r.peer_id
    GROUP BY r.team_id"""
    firsts = {name: months[-1] for name in SCALES} | {"burnout": months[-3]} | {scale: months[0]}
    caseloads = {"program": 1, "on": on, "since": this_monday - timedelta(weeks=4)}
    caseloads_sql = f"""
    WITH roster AS ({_roster(caseloads)}),
    ranked AS (SELECT peer_id, caseload, ROW_NUMBER() OVER (PARTITION BY peer_id ORDER BY week_start DESC) AS position
               FROM pulsecheckin WHERE week_start >= :since AND caseload IS NOT NULL)
    SELECT r.team_id, k.caseload FROM roster r JOIN ranked k ON k.peer_id = r.peer_id AND k.position = 1"""
    return [(participation_sql, participation), scores_sql(months, firsts), *exposures_sql(months),
            (caseloads_sql, caseloads)]


def program_end(months: list[date]) -> date:
    return (months[-1].replace(day=28) + timedelta(days=4)).replace(day=1)


def workload_sql(on: date, weeks: int = 12) -> list[tuple[str, dict]]:
    recent = {"program": 1, "on": on, "since": week_start(on) - timedelta(weeks=3)}
    peers_sql = f"""
    WITH roster AS ({_roster(recent)}),
    ranked AS (SELECT peer_id, caseload, ROW_NUMBER() OVER (PARTITION BY peer_id ORDER BY week_start DESC) AS position
               FROM pulsecheckin WHERE week_start >= :since AND caseload IS NOT NULL),
    weekly AS (SELECT peer_id, AVG(hours) AS hours, AVG(after_hours_callouts) AS callouts,
                      SUM(hours_outside_role) AS outside, COUNT(*) AS weeks
               FROM pulsecheckin WHERE week_start >= :since GROUP BY peer_id)
    SELECT r.peer_id, r.team_id, u.display_name, k.caseload, w.hours, w.callouts, w.outside, COALESCE(w.weeks, 0)
    FROM roster r JOIN "user" u ON u.id = r.peer_id
    LEFT JOIN ranked k ON k.peer_id = r.peer_id AND k.position = 1 LEFT JOIN weekly w ON w.peer_id = r.peer_id"""
    by_week = {"program": 1, "on": on, "since": week_start(on) - timedelta(weeks=weeks - 1),
               "guideline": ProgramSettings().caseload_guideline_max}
    weeks_sql = f"""
    WITH roster AS ({_roster(by_week)})
    SELECT r.team_id, p.week_start, COUNT(*), AVG(p.caseload),
           SUM(CASE WHEN p.caseload > :guideline THEN 1 ELSE 0 END), AVG(p.hours), AVG(p.after_hours_callouts),
           SUM(p.hours_outside_role)
    FROM pulsecheckin p JOIN roster r ON r.peer_id = p.peer_id WHERE p.week_start >= :since
    GROUP BY r.team_id, p.week_start"""
    teams = {"program": 1, "on": on, "since": recent["since"], "guideline": ProgramSettings().caseload_guideline_max}
    teams_sql = f"""
    WITH roster AS ({_roster(teams)}),
    ranked AS (SELECT peer_id, caseload, ROW_NUMBER() OVER (PARTITION BY peer_id ORDER BY week_start DESC) AS position
               FROM pulsecheckin WHERE week_start >= :since AND caseload IS NOT NULL),
    weekly AS (SELECT peer_id, AVG(hours) AS hours, AVG(after_hours_callouts) AS callouts,
                      SUM(hours_outside_role) AS outside
               FROM pulsecheckin WHERE week_start >= :since GROUP BY peer_id),
    peers AS (SELECT r.team_id, k.caseload, w.hours, w.callouts, w.outside,
                     ROW_NUMBER() OVER (PARTITION BY r.team_id ORDER BY k.caseload) AS i,
                     COUNT(k.caseload) OVER (PARTITION BY r.team_id) AS n
              FROM roster r LEFT JOIN ranked k ON k.peer_id = r.peer_id AND k.position = 1
              LEFT JOIN weekly w ON w.peer_id = r.peer_id)
    SELECT team_id, COUNT(*), MAX(n),
           (MAX(CASE WHEN i = (n + 1) / 2 THEN caseload END) + MAX(CASE WHEN i = n / 2 + 1 THEN caseload END)) / 2.0,
           SUM(CASE WHEN caseload > :guideline THEN 1 ELSE 0 END), AVG(hours), AVG(callouts),
           SUM(outside), COUNT(CASE WHEN outside > 0 THEN 1 END)
    FROM peers GROUP BY team_id"""
    return [(peers_sql, recent), (teams_sql, teams), (weeks_sql, by_week)]


def supervision_sql(on: date) -> list[tuple[str, dict]]:
    defaults = ProgramSettings()
    since = scoring.window_start(on, defaults.balance_window_days)
    coverage = {"program": 1, "on": on, "recent": scoring.gap_cutoff(on, defaults.supervision_gap_days),
                "supportive": scoring.gap_cutoff(on, defaults.supportive_gap_days)}
    coverage["earliest"] = min(since, coverage["recent"], coverage["supportive"])
    roster_sql = f"""
    WITH roster AS ({_roster(coverage)})
    SELECT r.peer_id, r.team_id FROM roster r"""
    attended_sql = f"""
    WITH roster AS ({_roster(coverage)})
    SELECT s.id, s.held_on, s.kind, s.supervisor_id, r.peer_id, r.team_id, s.minutes_administrative,
           s.minutes_educational, s.minutes_supportive
    FROM supervisionsession s JOIN sessionattendee a ON a.session_id = s.id JOIN roster r ON r.peer_id = a.peer_id + 0
    WHERE s.held_on >= :earliest AND s.held_on <= :on"""
    pairs = """
      SELECT DISTINCT s.id AS session_id, r.team_id FROM supervisionsession s
      JOIN sessionattendee a ON a.session_id = s.id JOIN roster r ON r.peer_id = a.peer_id + 0
      WHERE s.held_on >= :since AND s.held_on <= :until"""
    months = list(complete_months(on, wellness_figures.TREND_MONTHS))
    monthly = {"program": 1, "on": on, "first": months[0], "end": program_end(months)}
    month = _month_case("s.held_on", months, monthly, timestamps=False)
    monthly_sql = f"""
    WITH roster AS ({_roster(monthly)})
    SELECT {month}, s.kind, COUNT(DISTINCT s.id), COUNT(DISTINCT r.peer_id) FROM supervisionsession s
    JOIN sessionattendee a ON a.session_id = s.id JOIN roster r ON r.peer_id = a.peer_id + 0
    WHERE s.held_on >= :first AND s.held_on < :end
    GROUP BY {month}, s.kind"""
    loads = {"program": 1, "on": on, "since": since, "until": on}
    loads_sql = f"""
    WITH roster AS ({_roster(loads)}), pairs AS ({pairs}),
    supervisees AS (SELECT a.supervisor_id, COUNT(DISTINCT a.supervisee_id) AS supervisees
                    FROM supervisionassignment a JOIN roster r ON r.peer_id = a.supervisee_id
                    WHERE a.started_on <= :on AND (a.ended_on IS NULL OR a.ended_on >= :on)
                    GROUP BY a.supervisor_id),
    held AS (SELECT s.supervisor_id, COUNT(*) AS sessions,
                    SUM(CASE WHEN s.kind = 'group' THEN 1 ELSE 0 END) AS group_sessions,
                    SUM(s.duration_minutes) AS minutes, SUM(s.minutes_supportive) AS supportive
             FROM supervisionsession s WHERE s.id IN (SELECT session_id FROM pairs) GROUP BY s.supervisor_id)
    SELECT v.supervisor_id, u.display_name, v.supervisees, COALESCE(h.sessions, 0), COALESCE(h.group_sessions, 0),
           COALESCE(h.minutes, 0), COALESCE(h.supportive, 0)
    FROM supervisees v JOIN "user" u ON u.id = v.supervisor_id LEFT JOIN held h ON h.supervisor_id = v.supervisor_id
    ORDER BY u.display_name"""
    return [(roster_sql, coverage), (attended_sql, coverage), (monthly_sql, monthly), (loads_sql, loads)]


def scale_trends_sql(on: date, months: int = wellness_figures.TREND_MONTHS,
                     scales: tuple[str, ...] | None = None) -> list[tuple[str, dict]]:
    calendar = list(complete_months(on, months))
    chosen = SCALES if scales is None else [scale for scale in SCALES if scale in scales]
    return [scores_sql(calendar, dict.fromkeys(chosen, calendar[0])), *exposures_sql(calendar)]


HAND_SQL: dict[str, Callable[..., list[tuple[str, dict]]]] = {
    "console.program.wellness_figures.program_overview": overview_sql,
    "console.program.wellness_figures.scale_trends": scale_trends_sql,
    "console.program.workload_figures.workload": workload_sql,
    "console.program.coverage_figures.supervision_coverage": supervision_sql,
}


def run_sql(engine: Engine, statements: list[tuple[str, dict]]) -> None:
    postgres = engine.dialect.name == "postgresql"
    with engine.connect() as connection:
        for sql, parameters in statements:
            values = {name: _driver_value(value, postgres) for name, value in parameters.items()}
            if postgres:
                sql = re.sub(r"(?<!:):(\w+)", r"%(\1)s", sql)
            else:
                sql = sql.replace("%%", "%")
            connection.exec_driver_sql(sql, values).fetchall()


def _driver_value(value: Any, postgres: bool) -> Any:
    """Values as the console stores them: SQLite keeps dates and times as text, booleans as integers."""
    if postgres:
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _median_ms(action: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


@dataclass
class PageResult:
    page: str
    role: str
    service_ms: float
    sql_ms: float | None
    page_ms: float
    cold_ms: float
    empty_ms: float
    calls: list[str]


def landing_pages() -> dict[str, list[str]]:
    """Role → its pages, in menu order (the first is the landing page)."""
    return {role: [spec.script for spec in specs] for role, specs in navigation.ROLE_PAGES.items()}


class PageRunner:
    """AppTest runs of pages for one database, recording the service calls each page makes."""

    def __init__(self, engine: Engine, runs: int, empty_page: Path) -> None:
        import streamlit as st
        from streamlit.testing.v1 import AppTest

        from console.web import ui

        self.st, self.AppTest, self.ui = st, AppTest, ui
        self.engine, self.runs, self.empty_page = engine, runs, empty_page

    @contextmanager
    def _recording(self, calls: list[tuple[Callable, dict]]) -> Iterator[None]:
        originals = self.ui.call, self.ui.cached_call

        def recorder(original: Callable) -> Callable:
            def recorded(service: Callable, /, **arguments: Any) -> Any:
                calls.append((service, arguments))
                return original(service, **arguments)
            return recorded

        self.ui.call, self.ui.cached_call = recorder(originals[0]), recorder(originals[1])
        try:
            yield
        finally:
            self.ui.call, self.ui.cached_call = originals

    def _app_run(self, page: str, user: User, *, landing: bool, calls: list | None = None) -> float:
        """The first run of a new AppTest showing `page` as `user`, recording the service calls it makes.

        A landing page is run through `streamlit_app.py`, as a browser would reach it. AppTest reaches
        any other page only on a second run, so those pages are run as their own script with the user
        signed in, as the page tests do.
        """
        if landing:
            app = self.AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
            app.session_state[self.ui.USER_KEY] = user.id
        else:
            app = self.AppTest.from_file(str(ROOT / page), default_timeout=300)
            app.session_state["_current_user"] = user
        with self._recording(calls if calls is not None else []):
            started = time.perf_counter()
            app.run()
            elapsed = time.perf_counter() - started
        if app.exception:
            raise RuntimeError(f"{page} raised: {app.exception[0].value}")
        return elapsed

    def _empty_run(self) -> float:
        app = self.AppTest.from_file(str(self.empty_page), default_timeout=300)
        started = time.perf_counter()
        app.run()
        return time.perf_counter() - started

    def measure(self, role: str, page: str, user: User, today: date, *, landing: bool) -> PageResult:
        self.st.cache_data.clear()
        calls: list[tuple[Callable, dict]] = []
        cold = self._app_run(page, user, landing=landing, calls=calls)
        page_ms = _median_ms(lambda: self._app_run(page, user, landing=landing), self.runs)
        empty_ms = _median_ms(self._empty_run, self.runs)

        def services() -> None:
            for service, arguments in calls:
                with session_scope(self.engine) as session:
                    service(session, actor=user, **arguments)

        service_ms = _median_ms(services, self.runs)
        names = [f"{service.__module__}.{service.__qualname__}" for service, _ in calls]
        sql_ms = None
        if names and all(name in HAND_SQL for name in names):
            statements = [statement for (_, arguments), name in zip(calls, names, strict=True)
                          for statement in HAND_SQL[name](**arguments)]
            sql_ms = _median_ms(lambda: run_sql(self.engine, statements), self.runs)
        return PageResult(page, role, service_ms, sql_ms, page_ms, 1000 * cold, empty_ms, names)


@contextmanager
def database(kind: str, directory: Path, postgres_url: str | None) -> Iterator[str]:
    """A fresh database URL: a SQLite file, or a PostgreSQL schema dropped afterwards."""
    if kind == "sqlite":
        path = directory / f"statewide-{uuid.uuid4().hex[:8]}.sqlite3"
        yield f"sqlite:///{path}"
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in postgres_url else "?"
    try:
        yield f"{postgres_url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def postgres_reachable(url: str | None) -> str | None:
    """Why PostgreSQL cannot be used, or None when it answers."""
    if not url:
        return "no --postgres-url and no TEST_DATABASE_URL"
    try:
        engine = create_engine(url)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except (OperationalError, ImportError) as error:
        return f"{url.split('@')[-1]} does not answer ({type(error).__name__})"
    return None


def bench_database(kind: str, size: Size, *, directory: Path, postgres_url: str | None, runs: int,
                   today: date, empty_page: Path, pages: list[tuple[str, str, bool]]) -> tuple[list[PageResult], float]:
    with database(kind, directory, postgres_url) as url:
        os.environ["CONSOLE_DATABASE_URL"] = url
        settings = Settings(database_url=url, key_file=directory / "unused.key",
                            secret_key=os.environ["CONSOLE_SECRET_KEY"], session_minutes=30, demo_mode="off")
        runtime = initialize(settings)
        started = time.perf_counter()
        cast = generate(runtime.engine, size, today=today)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        with session_scope(runtime.engine) as session:
            released = release.release_due(session, on=today)
        months = len(released)
        print(f"{kind}, {size.peers} peers: released {months} closed months in {time.perf_counter() - started:.1f} s "
              f"(as the daily `wellness-console release` would, one month at a time).", flush=True)
        engine = make_engine(url)
        runner = PageRunner(engine, runs, empty_page)
        results = []
        with session_scope(engine) as session:
            users = {role: session.get(User, user_id) for role, user_id in cast.users.items()}
        for role, page, landing in pages:
            results.append(runner.measure(role, page, users[role], today, landing=landing))
        engine.dispose()
        runtime.engine.dispose()
        return results, generated


def _ratio(top: float | None, bottom: float | None) -> float | None:
    return None if top is None or not bottom else top / bottom


def _cell(value: float | None, digits: int = 0, suffix: str = "") -> str:
    return "—" if value is None else f"{value:.{digits}f}{suffix}"


def report(kind: str, full: list[PageResult], tenth: list[PageResult]) -> list[str]:
    lines = []
    header = (f"| {'database':<10} | {'role':<10} | {'page':<28} | {'(a) ms':>7} | {'(b) ms':>7} | {'(a)/(b)':>7} | "
              f"{'(c) ms':>7} | {'cold ms':>7} | {'(d) ms':>6} | {'(c)/(d)':>7} | "
              f"{'(a) 1/10':>8} | {'(c) 1/10':>8} | {'growth (a)':>10} | {'growth (c)':>10} |")
    lines.append(header)
    lines.append("|" + "|".join("-" * (len(part) + 2 - 2) for part in header.split("|")[1:-1]) + "|")
    for big, small in zip(full, tenth, strict=True):
        page = Path(big.page).relative_to("app_pages").as_posix()
        lines.append(
            f"| {kind:<10} | {big.role:<10} | {page:<28} | {big.service_ms:>7.0f} | "
            f"{_cell(big.sql_ms):>7} | {_cell(_ratio(big.service_ms, big.sql_ms), 2):>7} | {big.page_ms:>7.0f} | "
            f"{big.cold_ms:>7.0f} | {big.empty_ms:>6.0f} | {_ratio(big.page_ms, big.empty_ms):>7.2f} | "
            f"{small.service_ms:>8.0f} | {small.page_ms:>8.0f} | "
            f"{_ratio(big.service_ms, small.service_ms):>9.2f}× | {_ratio(big.page_ms, small.page_ms):>9.2f}× |"
        )
    return lines


def verdicts(results: dict[str, tuple[list[PageResult], list[PageResult]]], peak_mb: float) -> list[str]:
    lines = []
    for kind, (full, tenth) in results.items():
        for big, small in zip(full, tenth, strict=True):
            label = f"{kind} {Path(big.page).relative_to('app_pages').as_posix()}"
            ratio = _ratio(big.service_ms, big.sql_ms)
            if big.role == "lead" and ratio is not None and ratio > TARGETS["service_to_sql"]:
                lines.append(f"NOT met: {label} (a)/(b) = {ratio:.2f} > {TARGETS['service_to_sql']}")
            if _ratio(big.page_ms, big.empty_ms) > TARGETS["page_to_empty"]:
                lines.append(f"NOT met: {label} (c)/(d) = {_ratio(big.page_ms, big.empty_ms):.2f} > "
                             f"{TARGETS['page_to_empty']}")
            growth = _ratio(big.page_ms, small.page_ms)
            if big.role in ("peer", "supervisor") and growth > TARGETS["growth"]:
                lines.append(f"NOT met: {label} grows {growth:.2f}× for 10× the data (target ≤ {TARGETS['growth']}×)")
    if peak_mb > TARGETS["rss_mb"]:
        lines.append(f"NOT met: peak RSS {peak_mb:.0f} MB > {TARGETS['rss_mb']} MB")
    return lines or ["All targets met."]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--teams", type=int, default=200, help="teams at full scale (default 200)")
    parser.add_argument("--peers", type=int, default=2000, help="peers at full scale (default 2,000)")
    parser.add_argument("--years", type=int, default=3, help="years of data (default 3)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement; the median is shown")
    parser.add_argument("--postgres-url", default=os.environ.get("TEST_DATABASE_URL"),
                        help="PostgreSQL to measure as well (default: TEST_DATABASE_URL)")
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    args = parser.parse_args()
    if args.teams < 1 or args.peers < args.teams or args.years < 1 or args.runs < 1:
        parser.error("give at least one team, at least one peer per team, one year and one run")
    if args.teams % 10 or args.peers % 10:
        parser.error("--teams and --peers must be multiples of 10, so that one tenth is whole")

    today = utcnow().date()
    full = Size(args.teams, args.peers, 52 * args.years)
    tenth = Size(args.teams // 10, args.peers // 10, 52 * args.years)
    os.environ["CONSOLE_SECRET_KEY"] = Fernet.generate_key().decode()
    os.environ["CONSOLE_DEMO_MODE"] = "off"
    os.environ.pop("CONSOLE_KEY_FILE", None)

    kinds = ["sqlite"]
    if not args.no_postgres:
        problem = postgres_reachable(args.postgres_url)
        if problem:
            print(f"PostgreSQL skipped: {problem}.")
        else:
            kinds.append("postgresql")

    roles = landing_pages()
    pages = [(role, roles[role][0], True) for role in ("peer", "supervisor", "lead", "admin") if roles.get(role)]
    pages += [("lead", page, False) for page in roles.get("lead", [])[1:]]
    print(f"Full scale: {full.teams} teams, {full.peers} peers, {full.weeks} weeks; one tenth: {tenth.teams} teams, "
          f"{tenth.peers} peers. Pages: {', '.join(page for _, page, _ in pages)}.")
    print(LEGEND)
    results = {}
    with tempfile.TemporaryDirectory(prefix="statewide-") as folder:
        directory = Path(folder)
        empty_page = directory / "empty_page.py"
        empty_page.write_text(EMPTY_PAGE)
        for kind in kinds:
            measured = {}
            try:
                for label, size in (("one tenth", tenth), ("full", full)):
                    measured[label], generated = bench_database(
                        kind, size, directory=directory, postgres_url=args.postgres_url, runs=args.runs,
                        today=today, empty_page=empty_page, pages=pages,
                    )
                    print(f"{kind}, {label}: generated in {generated:.0f} s, measured.", flush=True)
            except (OperationalError, ConsoleError) as error:
                print(f"{kind} stopped: {error}", flush=True)
                continue
            results[kind] = (measured["full"], measured["one tenth"])
            print("\n".join(report(kind, *results[kind])), flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak RSS: {peak_mb:.0f} MB")
    for line in verdicts(results, peak_mb):
        print(line)
    return 0 if results else 1

if __name__ == "__main__":
    sys.exit(main())
