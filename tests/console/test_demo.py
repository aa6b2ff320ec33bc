from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select

from console.core.auth import sign_in
from console.core.dates import week_start
from console.core.errors import ValidationError
from console.core.runtime import initialize
from console.core.settings import Settings
from console.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_PROGRAM_NAME, load_demo
from console.program.wellness_figures import program_overview
from db.engine import session_scope
from db.models import (
    BAND_CODES,
    ActionItem,
    AssessmentScore,
    AuditEvent,
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
    assert lee_functions == {"administrative"}
    main_supervision = [assignment for assignment in assignments if assignment.supervisor_id != lee.id]
    assert {assignment.supervisee_id for assignment in main_supervision} == {user.id for user in by_role["peer"]}
    assert all("supportive" in assignment.function_set for assignment in main_supervision)

    assert _count(session, PulseCheckin) == summary.pulses
    assert _count(session, AssessmentScore) == 3 * summary.assessments
    audit_events = session.exec(select(AuditEvent)).all()
    assert [(event.action, event.actor_id, event.resource_type) for event in audit_events] == [
        ("demo_loaded", None, "program")
    ]


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
    assert _count(session, AuditEvent) == 1


def test_a_real_program_is_kept_unless_reset(session):
    session.add(Program(name="Our real program"))
    session.commit()

    with pytest.raises(ValidationError, match="already holds a real program"):
        load_demo(session, today=TODAY)
    session.rollback()
    assert session.exec(select(Program.name)).all() == ["Our real program"]

    load_demo(session, today=TODAY, reset=True)
    assert session.exec(select(Program.name)).all() == [DEMO_PROGRAM_NAME]


def test_burnout_trajectories_tell_their_stories(session):
    load_demo(session, today=TODAY)

    maria = _burnout_scores(session, "peer.maria")
    assert maria[0].band != BAND_CODES["high"]
    assert maria[-1].band == BAND_CODES["high"] and maria[-1].raw >= 42
    james = _burnout_scores(session, "peer.james")
    assert james[-1].raw < max(score.raw for score in james)
    assert max(score.band for score in james) == BAND_CODES["high"] and james[-1].band == BAND_CODES["moderate"]


def test_demo_logins_exist_and_sign_in_with_the_demo_password(session):
    load_demo(session, today=TODAY)

    for login in DEMO_LOGINS:
        assert _user(session, login.username).roles == login.roles
    for username in ("peer.maria", "supervisor.lee"):
        assert sign_in(session, username=username, password=DEMO_PASSWORD).username == username


def test_pulses_leave_this_week_open_and_show_workload_and_requests(session):
    load_demo(session, today=TODAY)

    weeks = session.exec(select(PulseCheckin.week_start).distinct()).all()
    assert week_start(TODAY) not in weeks
    assert max(weeks) == week_start(TODAY) - timedelta(weeks=1)
    caseloads = session.exec(select(PulseCheckin.caseload)).all()
    assert any(caseload > 30 for caseload in caseloads) and any(20 <= caseload <= 30 for caseload in caseloads)
    maria_latest = session.exec(
        select(PulseCheckin).where(PulseCheckin.peer_id == _user(session, "peer.maria").id)
        .order_by(col(PulseCheckin.week_start).desc())
    ).first()
    assert maria_latest.wants_to_talk and "overdose_scene" in maria_latest.exposures.split(",")
    assert set(maria_latest.answers) == {"energy", "stress", "sleep", "workload", "supported", "connection",
                                         "satisfaction"}


def test_supervision_and_assessments_leave_something_to_flag(session):
    load_demo(session, today=TODAY)

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


def test_the_demo_releases_its_closed_months_with_most_figures_shown_and_two_small_teams_pooled(session):
    load_demo(session, today=TODAY)
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
