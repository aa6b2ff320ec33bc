from __future__ import annotations

import dataclasses
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from sqlmodel import Session, col, func, select

from console.core.auth import sign_in
from console.core.dates import week_start
from console.core.errors import ValidationError
from console.core.runtime import initialize
from console.core.settings import Settings
from console.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_PROGRAM_NAME, load_demo
from console.fieldwork import ethics, field_visits, trainings
from console.program import action_plans, equity_figures, wellness_figures
from console.program.wellness_figures import program_overview
from db.engine import session_scope
from db.models import (
    BAND_CODES,
    ActionItem,
    AssessmentScore,
    AuditEvent,
    CallOut,
    ExposureTally,
    OutboxMessage,
    Program,
    PulseCheckin,
    SessionAttendee,
    SupervisionAssignment,
    SupervisionSession,
    Team,
    TeamMembership,
    User,
)
from tests.conftest import clock_on

TODAY = date(2026, 3, 18)
LOADED_AT = datetime.combine(TODAY, time(12), tzinfo=UTC)


@dataclass
class _DemoCopy:
    key: Path
    sqlite_file: Path | None = None
    postgres_database: str | None = None
    postgres_worker: Any = None


@pytest.fixture(scope="module")
def _demo_copies() -> Iterator[dict[str, _DemoCopy]]:
    """The demo as loaded on TODAY, kept once per database kind with its key: a SQLite file or a PostgreSQL
    database."""
    copies: dict[str, _DemoCopy] = {}
    yield copies
    for copy in copies.values():
        if copy.postgres_database:
            copy.postgres_worker.drop_copy(copy.postgres_database)


@pytest.fixture
def demo_session(request: pytest.FixtureRequest, settings: Settings, tmp_path_factory: pytest.TempPathFactory,
                 _demo_copies: dict[str, _DemoCopy]) -> Iterator[Session]:
    """A session on the demo loaded on TODAY (on the console's clock at noon). Loading takes seconds, so it is
    loaded once per module and database kind, and each test starts from a copy of its own: what a test writes
    stays in that test."""
    kind = "postgresql" if settings.database_url.startswith("postgresql") else "sqlite"
    sqlite_file = Path(settings.database_url.removeprefix("sqlite:///"))
    kept = _demo_copies.get(kind)
    if kept is not None:
        settings.key_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(kept.key, settings.key_file)
        if kept.sqlite_file:
            shutil.copyfile(kept.sqlite_file, sqlite_file)
        else:
            request.getfixturevalue("_postgres_database").restore_copy(kept.postgres_database)
    engine = initialize(settings).engine
    try:
        if kept is None:
            with session_scope(engine) as loading, time_machine.travel(LOADED_AT, tick=False):
                load_demo(loading, today=TODAY)
            engine.dispose()
            folder = tmp_path_factory.mktemp("demo")
            copy = _DemoCopy(key=folder / "demo.key")
            shutil.copyfile(settings.key_file, copy.key)
            if kind == "sqlite":
                copy.sqlite_file = folder / "demo.sqlite3"
                shutil.copyfile(sqlite_file, copy.sqlite_file)
            else:
                copy.postgres_database = f"demo_{uuid.uuid4().hex[:12]}"
                copy.postgres_worker = request.getfixturevalue("_postgres_database")
                copy.postgres_worker.save_copy(copy.postgres_database)
            _demo_copies[kind] = copy
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def _user(session: Session, username: str) -> User:
    return session.exec(select(User).where(User.username == username)).one()


def _count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _scored_values(session: Session) -> list[tuple[str, str, str, float | None, int | None]]:
    rows = session.exec(
        select(User.username, AssessmentScore.taken_at, AssessmentScore.scale, AssessmentScore.raw,
               AssessmentScore.band)
        .join(User, User.id == AssessmentScore.peer_id)
    ).all()
    return sorted((username, taken_at.isoformat(), scale, raw, band) for username, taken_at, scale, raw, band in rows)


def _burnout_scores(session: Session, username: str) -> list[AssessmentScore]:
    return list(session.exec(
        select(AssessmentScore)
        .where(AssessmentScore.peer_id == _user(session, username).id, AssessmentScore.scale == "burnout")
        .order_by(AssessmentScore.taken_at)
    ))


def test_demo_program_has_its_teams_people_and_assignments(session):
    summary = load_demo(session, today=TODAY)

    assert (summary.teams, summary.peers, summary.supervisors) == (5, 23, 3)
    assert summary.pulses > 500 and summary.assessments == 138 and summary.sessions > 150 and summary.action_items > 0
    program = session.exec(select(Program)).one()
    assert (program.name, program.is_demo) == (DEMO_PROGRAM_NAME, True)
    users = session.exec(select(User)).all()
    roles = ("peer", "supervisor", "lead", "admin")
    by_role = {role: [user for user in users if user.has_role(role)] for role in roles}
    assert {role: len(people) for role, people in by_role.items()} == {
        "peer": 23, "supervisor": 3, "lead": 1, "admin": 1
    }
    assert all(user.email == f"{user.username}@demo.invalid" and not user.must_change_password for user in users)
    assert len({user.password_hash for user in users}) == 1

    team_sizes = session.exec(
        select(Team.name, func.count(col(TeamMembership.user_id))).join(TeamMembership).group_by(Team.name)
    ).all()
    assert sorted(size for _, size in team_sizes) == [2, 3, 6, 6, 6]

    assignments = session.exec(select(SupervisionAssignment)).all()
    lee = _user(session, "supervisor.lee")
    lee_functions = {assignment.functions for assignment in assignments if assignment.supervisor_id == lee.id}
    assert lee_functions == {frozenset({"administrative"})}
    main_supervision = [assignment for assignment in assignments if assignment.supervisor_id != lee.id]
    assert {assignment.supervisee_id for assignment in main_supervision} == {user.id for user in by_role["peer"]}
    assert all("supportive" in assignment.function_set for assignment in main_supervision)

    assert _count(session, PulseCheckin) == summary.pulses
    assert _count(session, AssessmentScore) == 3 * summary.assessments
    audit_events = session.exec(select(AuditEvent)).all()
    assert [(event.action, event.actor_id, event.resource_type) for event in audit_events
            if event.actor_id is None] == [("demo_loaded", None, "program")]
    assert {event.action for event in audit_events if event.actor_id is not None} == {
        "callout_logged", "callout_after_checkin", "debrief_requested", "session_recorded", "debrief_recorded",
        "field_visit_started", "field_visit_closed", "ethics_items_noted", "training_recorded"}, "through the services"
    assert _count(session, CallOut) == summary.callouts


def test_demo_has_a_week_of_call_outs_and_a_fatal_overdose_with_a_debrief_held(demo_session):
    session = demo_session
    recent = session.exec(select(CallOut).where(CallOut.week_start >= TODAY - timedelta(days=13))).all()
    assert len(recent) >= 5
    fatal = session.exec(select(CallOut).where(CallOut.kind == "overdose_fatal")).one()
    assert fatal.hard and fatal.after_checkin is not None and fatal.debrief_session_id is not None
    debrief = session.get(SupervisionSession, fatal.debrief_session_id)
    assert debrief.minutes_supportive == debrief.duration_minutes == 40
    assert all(not callout.hard for callout in session.exec(select(CallOut)).all() if callout.id != fatal.id)


def test_the_demo_shows_a_closed_field_visit_a_shared_ethics_item_and_a_renewal_coming_up(demo_session):
    session = demo_session
    with clock_on(TODAY):
        maria, dana = _user(session, "peer.maria"), _user(session, "supervisor.dana")
        visits = field_visits.my_field_visits(session, actor=maria)
        assert visits.open_visit is None and len(visits.recent) == 1 and visits.recent[0].location_note is None
        assert [item.area for item in ethics.shared_for_prep(session, actor=dana)[maria.id]] == ["group_organization"]
        renewals = trainings.upcoming_renewals(session, actor=dana, on=TODAY)
        assert [(renewal.person_name, renewal.lapsed) for renewal in renewals] == [(maria.display_name, False)]


def test_two_loads_on_the_same_day_hold_the_same_data(session, settings: Settings, tmp_path: Path):
    first = load_demo(session, today=TODAY)
    second_settings = dataclasses.replace(settings, database_url=f"sqlite:///{tmp_path / 'second.sqlite3'}")
    second_engine = initialize(second_settings).engine
    try:
        with session_scope(second_engine) as second_session:
            second = load_demo(second_session, today=TODAY)
            assert second == first
            assert _scored_values(second_session) == _scored_values(session)
    finally:
        second_engine.dispose()


def test_loading_twice_needs_reset_which_rebuilds_the_demo(session):
    first = load_demo(session, today=TODAY)

    with pytest.raises(ValidationError, match="already loaded; use --reset"):
        load_demo(session, today=TODAY)
    session.rollback()
    rebuilt = load_demo(session, today=TODAY, reset=True)

    assert rebuilt == first
    assert _count(session, Program) == 1
    assert _count(session, User) == 28
    assert len(session.exec(select(AuditEvent).where(col(AuditEvent.actor_id).is_(None))).all()) == 1


def test_a_real_program_is_kept_unless_reset(session):
    session.add(Program(name="Our real program"))
    session.commit()

    with pytest.raises(ValidationError, match="already holds a real program"):
        load_demo(session, today=TODAY)
    session.rollback()
    assert session.exec(select(Program.name)).all() == ["Our real program"]

    load_demo(session, today=TODAY, reset=True)
    assert session.exec(select(Program.name)).all() == [DEMO_PROGRAM_NAME]


def test_burnout_trajectories_tell_their_stories(demo_session):
    session = demo_session

    maria = _burnout_scores(session, "peer.maria")
    assert maria[0].band != BAND_CODES["high"]
    assert maria[-1].band == BAND_CODES["high"] and maria[-1].raw >= 42
    james = _burnout_scores(session, "peer.james")
    assert james[-1].raw < max(score.raw for score in james)
    assert max(score.band for score in james) == BAND_CODES["high"] and james[-1].band == BAND_CODES["moderate"]


def test_demo_logins_exist_and_sign_in_with_the_demo_password(demo_session):
    session = demo_session

    for login in DEMO_LOGINS:
        assert _user(session, login.username).roles == {login.roles}
    for username in ("peer.maria", "supervisor.lee"):
        assert sign_in(session, username=username, password=DEMO_PASSWORD).username == username


def test_pulses_leave_this_week_open_and_show_workload_and_requests(demo_session):
    session = demo_session

    weeks = session.exec(select(PulseCheckin.week_start).distinct()).all()
    assert week_start(TODAY) not in weeks
    assert max(weeks) == week_start(TODAY) - timedelta(weeks=1)
    caseloads = session.exec(select(PulseCheckin.caseload)).all()
    assert any(caseload > 30 for caseload in caseloads) and any(20 <= caseload <= 30 for caseload in caseloads)
    maria_latest = session.exec(
        select(PulseCheckin).where(PulseCheckin.peer_id == _user(session, "peer.maria").id)
        .order_by(col(PulseCheckin.week_start).desc())
    ).first()
    assert maria_latest.wants_to_talk and "overdose_scene" in maria_latest.exposures
    assert set(maria_latest.answers) == {"energy", "stress", "sleep", "workload", "supported", "connection",
                                         "satisfaction"}


def test_demo_check_ins_hold_only_what_the_check_in_service_takes_from_a_peer(demo_session):
    session = demo_session

    pulses = session.exec(select(PulseCheckin)).all()
    outside = [pulse for pulse in pulses if pulse.hours_outside_role]
    assert outside and all(pulse.outside_role_tasks for pulse in outside)
    assert all(not pulse.outside_role_tasks for pulse in pulses if not pulse.hours_outside_role)
    reported = sum(len(pulse.exposures) for pulse in pulses)
    assert session.exec(select(func.sum(ExposureTally.count))).one() == reported


def test_supervision_and_assessments_leave_something_to_flag(demo_session):
    session = demo_session

    devon = _user(session, "peer.devon")
    devon_sessions = session.exec(
        select(SupervisionSession).join(SessionAttendee).where(SessionAttendee.peer_id == devon.id)
    ).all()
    recent = [row for row in devon_sessions if (TODAY - row.held_on).days <= 28]
    assert recent and all(row.minutes_supportive == 0 for row in recent)
    assert any(row.minutes_supportive > 0 for row in devon_sessions)

    sessions = session.exec(select(SupervisionSession)).all()
    assert all(row.minutes_administrative + row.minutes_educational + row.minutes_supportive == row.duration_minutes
               for row in sessions)
    lee = _user(session, "supervisor.lee")
    assert all(row.minutes_administrative == row.duration_minutes for row in sessions if row.supervisor_id == lee.id)
    assert any(row.kind == "group" for row in sessions)

    aaliyah_latest = session.exec(
        select(func.max(AssessmentScore.taken_at)).where(AssessmentScore.peer_id == _user(session, "peer.aaliyah").id)
    ).one()
    assert (TODAY - aaliyah_latest.date()).days > 30
    overdue = session.exec(select(ActionItem).where(ActionItem.status == "open", col(ActionItem.due_on) < TODAY)).all()
    assert overdue


def test_a_team_alert_has_an_action_plan_in_progress_and_the_equity_lens_releases_a_group(demo_session):
    session = demo_session
    with time_machine.travel(LOADED_AT, tick=False):
        lead = _user(session, "lead.jordan")
        alerts = {(alert.team, alert.kind) for alert in wellness_figures.program_overview(session, actor=lead, on=TODAY).alerts}
        plans = action_plans.team_action_plans(session, actor=lead, on=TODAY)
        in_progress = [plan for plan in plans if plan.status == "in_progress"]
        assert in_progress and all((plan.team, plan.answers) in alerts for plan in in_progress)
        assert in_progress[0].follow_ups[-1].note
        done = action_plans.team_action_plans(session, actor=lead, on=TODAY, status="closed")
        assert [plan.answers for plan in done] == ["burnout"] and done[0].movement.trend

        lens = equity_figures.equity_lens(session, actor=lead, on=TODAY)
        assert any(table.released_groups for table in lens.tables)
        checklists = session.exec(select(PulseCheckin.exposures)).all()
        assert any("racism_or_discrimination" in codes for codes in checklists)


def test_the_demo_releases_its_closed_months_with_most_figures_shown_and_two_small_teams_pooled(demo_session):
    session = demo_session
    lead = _user(session, "lead.jordan")
    with clock_on(TODAY):
        overview = program_overview(session, actor=lead, on=TODAY)
    assert overview.released
    assert overview.pooled == ("Hospital Bridge Team", "Street Outreach Team")
    latest = overview.trend("burnout").for_month(overview.latest_month)
    shown = [figure.team for figure in latest if figure.suppressed_reason is None]
    assert {"Overdose Response Team", "Jail Reentry Team", "Treatment Court Team", "All teams"} <= set(shown)
    assert session.exec(select(func.count()).select_from(OutboxMessage)
                        .where(OutboxMessage.kind == "figures_released")).one() > 0
