"""The demo program: synthetic people, check-ins, assessments and supervision to try the console with.

Everything is drawn from one seeded random generator with dates counted back
from `today`, so two loads on the same day hold the same data. The people and
their stories are invented; the stories are chosen so that each screen has
something to show: a peer whose burnout climbs after repeated overdose scenes,
a peer recovering with supportive supervision, caseloads above the guideline,
three teams large enough for their figures to be released, and two small teams
that the lead sees counted together as "Smaller teams combined". Loading the demo
releases the closed months, so the lead pages show figures on first open.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlmodel import Session, SQLModel, delete, select

import scoring
from console.core import audit, clock
from console.core.dates import week_start
from console.core.errors import ValidationError
from console.core.i18n import N_
from console.core.passwords import hash_password
from console.fieldwork import callouts, ethics, field_visits, trainings
from console.program import release
from console.program.equity import DISCRIMINATION_EXPOSURE
from console.wellness import checkins
from db.models import (
    BAND_CODES,
    INSTALLATION_TABLES,
    SUPERVISION_FUNCTIONS,
    ActionFollowUp,
    ActionItem,
    ActionPlan,
    Assessment,
    AssessmentScore,
    Program,
    SelfDescription,
    SessionAttendee,
    SharingPreference,
    SupervisionAssignment,
    SupervisionSession,
    Team,
    TeamMembership,
    User,
)

DEMO_PASSWORD = "wellness-demo-2026"
DEMO_PROGRAM_NAME = "Riverside Deflection Peer Program (demo)"
DEMO_EMAIL_DOMAIN = "demo.invalid"
SEED = 2026
PULSE_WEEKS = 26
ASSESSMENTS_PER_PEER = 6
ASSESSMENT_INSTRUMENT = "proqol-style-30"
PROQOL_SCALES = ("compassion_satisfaction", "burnout", "secondary_traumatic_stress")
ETHICS_AREAS = ("self", "interpersonal", "group_organization")
SUPPORTIVE_GAP_DAYS = scoring.FlagSettings().supportive_gap_days


@dataclass(frozen=True)
class DemoLogin:
    username: str
    roles: str
    description: str
    """In English, marked for translation: shown as `_(description)`."""


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("peer.maria", "peer", N_("Peer, overdose response team — burnout rising after repeated overdose scenes")),
    DemoLogin("peer.james", "peer",
              N_("Peer, overdose response team — recovering from burnout with supportive supervision")),
    DemoLogin("peer.aaliyah", "peer", N_("Peer, treatment court team — steady; this month's self-assessment is due")),
    DemoLogin("peer.devon", "peer", N_("Peer, overdose response team — no supportive supervision in the last four weeks")),
    DemoLogin("supervisor.dana", "supervisor",
              N_("Supervisor (administrative, educational, supportive) of the overdose response team")),
    DemoLogin("supervisor.ray", "supervisor",
              N_("Supervisor (educational, supportive) of the reentry and treatment court teams")),
    DemoLogin("supervisor.lee", "supervisor",
              N_("Administrative-only supervisor employed by the justice agency: completion and workload only")),
    DemoLogin("lead.jordan", "lead", N_("Program lead — team aggregates, caseloads, supervision coverage, an action plan "
                                     "in progress, the equity lens")),
    DemoLogin("admin.sam", "admin", N_("Admin — accounts, teams, assignments, settings, audit log")),
)


@dataclass(frozen=True)
class DemoSummary:
    teams: int
    peers: int
    supervisors: int
    pulses: int
    assessments: int
    sessions: int
    action_items: int
    callouts: int = 0


class Story(StrEnum):
    STEADY = "steady"
    RISING = "rising"
    RECOVERING = "recovering"
    NO_SUPPORTIVE = "no_supportive"
    DRIFT = "drift"
    LAPSED = "lapsed"
    ASSESSMENT_DUE = "assessment_due"


@dataclass(frozen=True)
class TeamSpec:
    key: str
    name: str
    setting: str


@dataclass(frozen=True)
class PeerSpec:
    username: str
    display_name: str
    team: str
    sharing: str
    story: Story
    caseload: tuple[int, int]
    strain: float
    levels: tuple[int, int, int]
    """Usual compassion satisfaction, burnout and secondary traumatic stress."""
    supervision_every_weeks: int = 2


@dataclass(frozen=True)
class StaffSpec:
    username: str
    display_name: str
    roles: str


TEAMS = (
    TeamSpec("overdose", "Overdose Response Team",
             "Post-overdose outreach alongside fire, EMS and police first responders"),
    TeamSpec("reentry", "Jail Reentry Team", "County jail in-reach and support in the weeks after release"),
    TeamSpec("court", "Treatment Court Team", "Drug treatment court and pretrial services at the county courthouse"),
    TeamSpec("bridge", "Hospital Bridge Team", "Emergency department bridge visits after an overdose"),
    TeamSpec("outreach", "Street Outreach Team", "Encampment outreach with the city's homeless services"),
)

PEERS = (
    PeerSpec("peer.maria", "Maria Delgado", "overdose", "scores", Story.RISING, (25, 28), 0.3, (38, 24, 22), 1),
    PeerSpec("peer.james", "James Whitehorse", "overdose", "bands", Story.RECOVERING, (22, 26), 0.4, (31, 43, 36), 1),
    PeerSpec("peer.devon", "Devon Carter", "overdose", "bands", Story.NO_SUPPORTIVE, (23, 27), 0.4, (36, 26, 24), 1),
    PeerSpec("peer.marcus", "Marcus Bell", "overdose", "bands", Story.STEADY, (21, 25), 0.3, (39, 21, 19)),
    PeerSpec("peer.hannah", "Hannah Kowalski", "overdose", "scores", Story.STEADY, (24, 29), 0.35, (37, 23, 23)),
    PeerSpec("peer.luis", "Luis Ortega", "overdose", "bands", Story.DRIFT, (26, 30), 0.4, (35, 25, 21)),
    PeerSpec("peer.keisha", "Keisha Robinson", "reentry", "bands", Story.STEADY, (34, 38), 0.45, (36, 26, 22)),
    PeerSpec("peer.tommy", "Tommy Vo", "reentry", "completion", Story.STEADY, (30, 34), 0.3, (38, 22, 18)),
    PeerSpec("peer.rosa", "Rosa Martinez", "reentry", "scores", Story.STEADY, (31, 36), 0.3, (40, 20, 20)),
    PeerSpec("peer.wei", "Wei Zhang", "reentry", "bands", Story.LAPSED, (21, 26), 0.35, (36, 24, 21)),
    PeerSpec("peer.aaliyah", "Aaliyah Johnson", "court", "bands", Story.ASSESSMENT_DUE, (22, 26), 0.25, (39, 21, 19)),
    PeerSpec("peer.brian", "Brian O'Connell", "court", "bands", Story.STEADY, (24, 29), 0.35, (35, 25, 23)),
    PeerSpec("peer.mei", "Mei Chen", "court", "completion", Story.STEADY, (20, 25), 0.3, (37, 22, 20)),
    PeerSpec("peer.samuel", "Samuel Okafor", "court", "bands", Story.STEADY, (31, 35), 0.4, (36, 24, 25)),
    PeerSpec("peer.andre", "Andre Williams", "reentry", "bands", Story.STEADY, (31, 35), 0.35, (37, 23, 21)),
    PeerSpec("peer.nadia", "Nadia Haddad", "reentry", "bands", Story.STEADY, (29, 33), 0.3, (38, 22, 20)),
    PeerSpec("peer.grace", "Grace Yellowhorse", "court", "bands", Story.STEADY, (22, 26), 0.3, (39, 21, 20)),
    PeerSpec("peer.victor", "Victor Ruiz", "court", "completion", Story.STEADY, (24, 28), 0.35, (36, 24, 22)),
    PeerSpec("peer.erin", "Erin Murphy", "bridge", "bands", Story.STEADY, (18, 22), 0.35, (37, 24, 23)),
    PeerSpec("peer.kwame", "Kwame Mensah", "bridge", "bands", Story.STEADY, (19, 23), 0.3, (38, 22, 21)),
    PeerSpec("peer.lucia", "Lucia Flores", "outreach", "bands", Story.STEADY, (25, 29), 0.4, (35, 26, 24)),
    PeerSpec("peer.tyrone", "Tyrone Jackson", "outreach", "scores", Story.STEADY, (24, 28), 0.35, (36, 25, 22)),
    PeerSpec("peer.jenny", "Jenny Nguyen", "outreach", "bands", Story.STEADY, (22, 27), 0.3, (38, 23, 21)),
)

SUPERVISORS = (
    StaffSpec("supervisor.dana", "Dana Whitfield", "supervisor"),
    StaffSpec("supervisor.ray", "Ray Castillo", "supervisor"),
    StaffSpec("supervisor.lee", "Lee Park", "supervisor"),
)
OTHER_STAFF = (
    StaffSpec("lead.jordan", "Jordan Ellis", "lead"),
    StaffSpec("admin.sam", "Sam Rivera", "admin"),
)

MAIN_SUPERVISION = {
    "overdose": ("supervisor.dana", frozenset({"administrative", "educational", "supportive"})),
    "reentry": ("supervisor.ray", frozenset({"educational", "supportive"})),
    "court": ("supervisor.ray", frozenset({"educational", "supportive"})),
    "bridge": ("supervisor.dana", frozenset({"administrative", "educational", "supportive"})),
    "outreach": ("supervisor.ray", frozenset({"educational", "supportive"})),
}
ADMINISTRATIVE_SUPERVISOR = "supervisor.lee"
ADMINISTRATIVE_SUPERVISION_TEAMS = ("reentry", "court")

RISING_TRAJECTORY = ((38, 37, 35, 34, 32, 31), (24, 27, 31, 35, 40, 45), (22, 25, 30, 34, 39, 44))
RECOVERING_TRAJECTORY = ((31, 30, 32, 34, 36, 37), (43, 45, 41, 37, 33, 30), (36, 37, 34, 31, 29, 27))
RECOVERY_SUPPORT_WEEKS = range(6, 23)
RISING_SUPPORT_WEEKS = range(0, 9)

EXPOSURE_RATES = {
    "overdose": {"overdose_scene": 0.45, "death_of_person_served": 0.06, "threat_or_violence": 0.08,
                 "people_from_past": 0.15, "triggering_setting": 0.05, "stigma_or_criticism": 0.15,
                 "recovery_pressure": 0.08},
    "reentry": {"overdose_scene": 0.03, "death_of_person_served": 0.04, "threat_or_violence": 0.06,
                "people_from_past": 0.3, "triggering_setting": 0.5, "stigma_or_criticism": 0.12,
                "recovery_pressure": 0.08},
    "court": {"overdose_scene": 0.02, "death_of_person_served": 0.03, "threat_or_violence": 0.04,
              "people_from_past": 0.25, "triggering_setting": 0.4, "stigma_or_criticism": 0.2,
              "recovery_pressure": 0.06},
    "bridge": {"overdose_scene": 0.2, "death_of_person_served": 0.05, "threat_or_violence": 0.05,
               "people_from_past": 0.15, "triggering_setting": 0.2, "stigma_or_criticism": 0.15,
               "recovery_pressure": 0.07},
    "outreach": {"overdose_scene": 0.15, "death_of_person_served": 0.05, "threat_or_violence": 0.12,
                 "people_from_past": 0.3, "triggering_setting": 0.3, "stigma_or_criticism": 0.2,
                 "recovery_pressure": 0.08},
}

DISCRIMINATION_RATES = {"peer.maria": 0.1, "peer.marcus": 0.12, "peer.keisha": 0.15, "peer.aaliyah": 0.12,
                        "peer.samuel": 0.15, "peer.luis": 0.08, "peer.rosa": 0.08}
"""Weekly chance of racism or discrimination in the work (other peers: DISCRIMINATION_BASE_RATE), drawn from a
generator of its own so the rest of the demo stays as it was."""
DISCRIMINATION_BASE_RATE = 0.02

SELF_DESCRIPTIONS = {
    "peer.maria": {"race_ethnicity": "latino", "gender": "woman", "incarceration": "yes", "language": "spanish"},
    "peer.james": {"race_ethnicity": "american_indian", "gender": "man", "incarceration": "yes",
                   "language": "english"},
    "peer.marcus": {"race_ethnicity": "black", "gender": "man", "incarceration": "yes", "language": "english"},
    "peer.hannah": {"race_ethnicity": "white", "gender": "woman", "incarceration": "no", "language": "english"},
    "peer.luis": {"race_ethnicity": "latino", "gender": "man", "incarceration": "yes", "language": "spanish"},
    "peer.keisha": {"race_ethnicity": "black", "gender": "woman", "incarceration": "yes", "language": "english"},
    "peer.tommy": {"race_ethnicity": "asian", "gender": "man", "incarceration": "yes", "language": "another"},
    "peer.rosa": {"race_ethnicity": "latino", "gender": "woman", "incarceration": "yes", "language": "spanish"},
    "peer.wei": {"race_ethnicity": "asian", "gender": "man", "incarceration": "no", "language": "another"},
    "peer.aaliyah": {"race_ethnicity": "black", "gender": "woman", "incarceration": "yes", "language": "english"},
    "peer.mei": {"gender": "woman"},
    "peer.samuel": {"race_ethnicity": "black", "gender": "man", "incarceration": "yes", "language": "english"},
}
"""Who chose to describe themselves for the equity lens (Devon and Brian did not; Mei answered one question)."""

@dataclass(frozen=True)
class DemoActionPlan:
    team: str
    answers: str
    what: str
    owner: str
    owner_role: str
    status: str
    recorded_days_ago: int
    due_in_days: int
    follow_up_days_ago: int
    follow_up_note: str


ACTION_PLANS = (
    DemoActionPlan(
        team="reentry",
        answers="caseload_above_guideline",
        what="Pause new referrals to the reentry team for four weeks and share jail in-reach intake with the "
             "treatment court team until caseloads are back within the guideline.",
        owner="supervisor.ray",
        owner_role="Reentry and court supervisor",
        status="in_progress",
        recorded_days_ago=18,
        due_in_days=10,
        follow_up_days_ago=6,
        follow_up_note="Referrals paused since last week; the court team took four intakes. Caseloads have not "
                       "come down yet: check again at the end of the month.",
    ),
    DemoActionPlan(
        team="overdose",
        answers="burnout",
        what="Rotate overdose call-outs so that no one covers more than two scenes a week, and hold a team "
             "debrief within two days of every death of someone served.",
        owner="supervisor.dana",
        owner_role="Team supervisor",
        status="done",
        recorded_days_ago=100,
        due_in_days=-40,
        follow_up_days_ago=45,
        follow_up_note="The rotation is part of the schedule now and debriefs are held after every death.",
    ),
)
"""A team alert with an action plan in progress, and an earlier action on a figure, done."""

PULSE_NOTES = (
    "Long week of court dates; most of my people showed up.",
    "Hard to switch off after the late call on Tuesday.",
    "Someone I walked with last year stopped by to say he's three months clean. Made my week.",
    "Ran into an officer who arrested me years ago. He was decent, but it stayed with me.",
    "Jail visits felt heavy this week. Took a walk after each one.",
    "Felt stretched between intake paperwork and actually being with people.",
    "Good team huddle on Friday, felt less alone with the hard cases.",
    "A family member of someone I serve blamed me at the hospital. Trying to let it go.",
)
RISING_NOTE = "Three overdose calls this week, one of them someone I used to know. I'd like to talk it through."

ACTIVITIES = {
    "administrative": ("plan_assign_work", "time_management", "explain_policies", "team_collaboration",
                       "documentation_review"),
    "educational": ("reflect_on_practice", "knowledge_skills_attitudes", "individualized_training",
                    "professional_development"),
    "supportive": ("feedback_on_work", "personal_reactions", "validation_encouragement", "self_care",
                   "role_advocacy"),
}
SESSION_NOTES = {
    "administrative": (
        "Reviewed this week's caseload and who needs a follow-up visit.",
        "Checked documentation for the last referrals; all complete.",
        "Agreed on cover for the weekend call-out rotation.",
        "Went over the updated release-of-information procedure.",
        "Planned outreach shifts around the court calendar.",
        "Checked time sheets; after-hours call-outs are logged.",
    ),
    "educational": (
        "Reflected on a hard conversation at a scene and which words helped.",
        "Practised motivational interviewing for someone not ready for treatment.",
        "Discussed boundaries when a participant asks for a ride or money.",
        "Explored how to share lived experience while keeping the focus on the participant.",
        "Planned the naloxone refresher and the harm reduction module.",
        "Talked through what to do when a probation officer calls directly.",
    ),
    "supportive": (
        "Named the weight of recent calls; the peer said it helps to say it out loud.",
        "Recognised steady work with a participant who entered treatment this week.",
        "Checked in on sleep and the self-care plan; walking after shifts is helping.",
        "Talked about feeling judged by some officers; affirmed the value of the peer role.",
        "The peer described a ritual for letting the day go at the end of a shift.",
        "Discussed a reminder of past trauma during a jail visit and how to step back.",
    ),
}
STORY_SUPPORTIVE_NOTES = {
    Story.RISING: (
        "Debriefed a run of overdose scenes; agreed to use the EAP and take a lighter week.",
        "Talked about the loss of a participant and the guilt that came with it.",
        "Agreed to swap two call-out shifts so the peer can rest.",
    ),
    Story.RECOVERING: (
        "Continued the burnout plan; days off are protected and the peer sounds more rested.",
        "Reviewed what drained energy last month; caseload trimmed by three referrals.",
        "Celebrated a week without after-hours calls; sleep is improving.",
    ),
}
PRIVATE_REFLECTIONS = (
    "I may be leaning on this peer too often for last-minute cover.",
    "Worth watching whether overdose calls are shared evenly across the team.",
    "I felt rushed today; next time book the full hour.",
    "Check whether my own frustration with the court schedule is showing.",
)
DRIFT_NOTES = (
    "Was asked to complete benefit applications and case plans that belong to the case manager; "
    "agreed to raise it with the team.",
    "Has been covering intake assessments for the clinic; discussed keeping to the peer role.",
)
PEER_ACTION_ITEMS = (
    "Update the wellness plan with the new end-of-shift routine.",
    "Finish notes for last week's referrals.",
    "Sign up for the naloxone train-the-trainer session.",
    "Take the Friday afternoon off that was agreed.",
    "Read the boundaries policy before the next session.",
    "Try the letting-go ritual after each call-out this week.",
    "Ask the reentry coordinator about housing leads for two participants.",
)
SUPERVISOR_ACTION_ITEMS = (
    "Ask the team lead to rebalance new referrals.",
    "Raise the case-management requests with the partner agency.",
    "Find a training slot on trauma-informed court support.",
    "Arrange a debrief with the fire department liaison.",
)
OVERDUE_ACTION_ITEM = "Book a debrief with the EAP counselor after the recent overdose calls."


def load_demo(session: Session, *, today: date, reset: bool = False) -> DemoSummary:
    """Load the demo program in one transaction, with dates counted back from `today`.

    With `reset`, every row of every table is deleted first — all data in the
    database, not only the demo program's: a demo database is for the demo only.
    Without it, a database that already holds a program (demo or real) is left
    untouched and a ValidationError says why.
    """
    if reset:
        _delete_everything(session)
    else:
        _check_database_is_empty(session)

    rng = random.Random(SEED)
    program = Program(name=DEMO_PROGRAM_NAME, is_demo=True)
    session.add(program)
    session.flush()
    teams = {spec.key: Team(program_id=program.id, name=spec.name, setting=spec.setting) for spec in TEAMS}
    session.add_all(teams.values())
    users = _accounts(program_id=program.id)
    session.add_all(users.values())
    session.flush()

    session.add_all(_memberships_and_assignments(rng=rng, users=users, teams=teams, today=today))
    session.flush()
    pulses = _pulses(session, rng=rng, users=users, today=today)
    assessments = _assessments(rng=rng, users=users, today=today)
    session.add_all(assessment for assessment, _ in assessments)
    supervision = _supervision_sessions(rng=rng, users=users, today=today)
    session.add_all(row for row, _ in supervision)
    session.flush()

    session.add_all(_assessment_scores(assessments))
    session.add_all(
        SessionAttendee(session_id=row.id, peer_id=users[peer.username].id)
        for row, attendees in supervision
        for peer in attendees
    )
    action_items = _action_items(rng=rng, users=users, supervision=supervision, today=today)
    session.add_all(action_items)
    session.add_all(SelfDescription(peer_id=users[username].id, answers=answers, updated_at=_aware(today, hour=9))
                    for username, answers in SELF_DESCRIPTIONS.items())
    _action_plans(session, users=users, teams=teams, today=today)
    summary = DemoSummary(
        teams=len(teams),
        peers=len(PEERS),
        supervisors=len(SUPERVISORS),
        pulses=pulses,
        assessments=len(assessments),
        sessions=len(supervision),
        action_items=len(action_items),
    )
    audit.record(session, actor=None, action="demo_loaded", resource_type="program", resource_id=program.id,
                 detail=f"{summary.peers} peers, {summary.pulses} check-ins, {summary.assessments} assessments, "
                        f"{summary.sessions} supervision sessions")
    session.commit()
    _field_work(session, users=users, today=min(today, clock.today()))
    summary = replace(summary, callouts=_callouts(session, users=users, today=today))
    release.release_due(session, on=today, program_id=program.id)
    return summary


CALLOUT_WEEKS = 12
CALLOUT_CHANCE = {"overdose": 0.7, "reentry": 0.3, "court": 0.3, "bridge": 0.4, "outreach": 0.5}
CALLOUT_KINDS = {
    "overdose": ("overdose_nonfatal", "overdose_nonfatal", "overdose_nonfatal", "welfare_check",
                 "behavioral_health_crisis"),
    "reentry": ("behavioral_health_crisis", "welfare_check", "other"),
    "court": ("behavioral_health_crisis", "other"),
    "bridge": ("overdose_nonfatal", "behavioral_health_crisis", "welfare_check"),
    "outreach": ("overdose_nonfatal", "welfare_check", "other"),
}
CALLOUT_SETTINGS = {"overdose": ("home", "street", "street", "hospital"), "reentry": ("jail", "home"),
                    "court": ("court", "street"), "bridge": ("hospital", "home"), "outreach": ("street", "home")}
CALLOUT_RESPONDERS = {"overdose": ("police", "ems", "fire"), "reentry": ("police", "crisis_team"),
                      "court": ("police", "crisis_team"), "bridge": ("ems", "crisis_team"),
                      "outreach": ("police", "ems")}
CALLOUT_HOURS = (2, 10, 13, 15, 19, 22)
CALLOUT_NOTE = "Long wait for EMS. I stayed with the family until the crisis team came."
FATAL_CALL_PEER = "peer.james"


def _callouts(session: Session, *, users: dict[str, User], today: date) -> int:
    """Twelve weeks of call-outs logged through the call-out service, as each peer would log them right after the
    call, and one fatal overdose two days ago with its after-incident check-in and the debrief held yesterday.

    Each call is its own transaction, after the rest of the demo is committed."""
    rng = random.Random(SEED + 1)
    count = 0

    def log(peer: User, *, day: date, hour: int, kind: str, setting: str, rating: int, **more: object
            ) -> callouts.LoggedCallOut:
        nonlocal count
        count += 1
        started = _aware(day, hour=hour, minute=rng.choice((0, 15, 30, 45)))
        ended = started + timedelta(minutes=rng.choice((40, 60, 75, 90)))
        return callouts.log_callout(session, actor=peer, started_at=started, ended_at=ended, kind=kind,
                                    setting=setting, rating=rating, idempotency_key=f"demo-callout-{count}",
                                    now=ended + timedelta(minutes=20), **cast(dict[str, Any], more))

    for peer in PEERS:
        for weeks_ago in range(CALLOUT_WEEKS, 0, -1):
            day = today - timedelta(days=7 * weeks_ago - rng.randint(0, 6))
            if rng.random() >= CALLOUT_CHANCE[peer.team]:
                continue
            responders = CALLOUT_RESPONDERS[peer.team]
            log(users[peer.username], day=day, hour=rng.choice(CALLOUT_HOURS),
                kind=rng.choice(CALLOUT_KINDS[peer.team]), setting=rng.choice(CALLOUT_SETTINGS[peer.team]),
                rating=rng.choice((1, 2, 2, 3, 3, 4)), with_whom=rng.sample(responders, k=2),
                actions=("engaged", "follow_up"))
    log(users["peer.maria"], day=today - timedelta(days=1), hour=21, kind="overdose_nonfatal", setting="home",
        rating=3, with_whom=("police", "ems"), actions=("engaged", "naloxone", "family_support"), note=CALLOUT_NOTE,
        note_shared=True)
    james = users[FATAL_CALL_PEER]
    fatal = log(james, day=today - timedelta(days=2), hour=23, kind="overdose_fatal", setting="home", rating=4,
                with_whom=("police", "ems", "coroner"), actions=("engaged", "naloxone", "family_support"))
    callouts.after_incident_checkin(session, actor=james, callout_id=fatal.id,
                                    answers={"right_now": 2, "carry_on": 2, "someone_to_talk": 3}, wants_debrief=True)
    supervisor, _ = MAIN_SUPERVISION[next(peer.team for peer in PEERS if peer.username == FATAL_CALL_PEER)]
    callouts.record_debrief(session, actor=users[supervisor], callout_ids=[fatal.id],
                            held_on=today - timedelta(days=1), duration_minutes=40,
                            idempotency_key="demo-debrief-1",
                            note="Talked through the call and the family's grief; agreed on a quiet evening and a "
                                 "check-in call tomorrow.")
    return count


def _field_work(session: Session, *, users: dict[str, User], today: date) -> None:
    """A field visit closed with "I'm OK", an ethics item shared for supervision and a few trainings, one coming up
    for renewal: written through the services, as a peer and a supervisor would, each in its own transaction."""
    maria, james, aaliyah = users["peer.maria"], users["peer.james"], users["peer.aaliyah"]
    visit = field_visits.start_visit(session, actor=maria, minutes=60, idempotency_key=f"demo-visit-{maria.id}",
                                     location_note="Northside, the apartments by the bus depot")
    field_visits.close_visit(session, actor=maria, visit_id=visit.id)
    ethics.note_items(session, actor=maria, share=True, notes={
        "group_dual": "An officer who once arrested me was on the overdose scene this week. I froze for a moment."})
    trainings.record_training(session, actor=maria, person_id=maria.id, kind="peer_certification", name="",
                              completed_on=today - timedelta(days=700), renews_on=today + timedelta(days=25))
    trainings.record_training(session, actor=maria, person_id=maria.id, kind="crisis_response_72h", name="",
                              completed_on=today - timedelta(days=400), renews_on=None)
    trainings.record_training(session, actor=users["supervisor.dana"], person_id=james.id,
                              kind="crisis_response_72h", name="", completed_on=today - timedelta(days=90),
                              renews_on=None)
    trainings.record_training(session, actor=aaliyah, person_id=aaliyah.id, kind="peer_certification", name="",
                              completed_on=today - timedelta(days=200), renews_on=today + timedelta(days=530))
def _action_plans(session: Session, *, users: dict[str, User], teams: dict[str, Team], today: date) -> None:
    lead = users[OTHER_STAFF[0].username]
    for spec in ACTION_PLANS:
        recorded_on = today - timedelta(days=spec.recorded_days_ago)
        followed_on = today - timedelta(days=spec.follow_up_days_ago)
        plan = ActionPlan(
            program_id=teams[spec.team].program_id, team_id=teams[spec.team].id, what=spec.what,
            owner_role=spec.owner_role, owner_id=users[spec.owner].id, due_on=today + timedelta(days=spec.due_in_days),
            answers=spec.answers, status=spec.status, created_by=lead.id, created_on=recorded_on,
            created_at=_aware(recorded_on, hour=10), updated_at=_aware(followed_on, hour=15),
            idempotency_key=f"demo-action-plan-{spec.team}",
        )
        session.add(plan)
        session.flush()
        session.add_all([
            ActionFollowUp(plan_id=plan.id, followed_up_on=recorded_on, status="planned", recorded_by=lead.id,
                           created_at=_aware(recorded_on, hour=10)),
            ActionFollowUp(plan_id=plan.id, followed_up_on=followed_on, status=spec.status,
                           note=spec.follow_up_note, recorded_by=lead.id, created_at=_aware(followed_on, hour=15)),
        ])


def _check_database_is_empty(session: Session) -> None:
    if session.exec(select(Program).where(Program.is_demo)).first() is not None:
        raise ValidationError("The demo program is already loaded; use --reset to rebuild it.")
    real_program = session.exec(select(Program)).first()
    if real_program is not None:
        raise ValidationError(
            f"The database already holds a real program ({real_program.name}); the demo loads only into an "
            "empty database. Point CONSOLE_DATABASE_URL at a new database to try the demo."
        )
    if session.exec(select(User)).first() is not None:
        raise ValidationError(
            "The database already holds accounts; the demo loads only into an empty database. "
            "Point CONSOLE_DATABASE_URL at a new database to try the demo."
        )


def _delete_everything(session: Session) -> None:
    for table in reversed(SQLModel.metadata.sorted_tables):
        if table.name not in INSTALLATION_TABLES:
            session.exec(delete(table))
    session.expunge_all()


def _aware(day: date, *, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _accounts(*, program_id: int) -> dict[str, User]:
    password_hash = hash_password(DEMO_PASSWORD)
    people = [(peer.username, peer.display_name, "peer") for peer in PEERS]
    people += [(staff.username, staff.display_name, staff.roles) for staff in SUPERVISORS + OTHER_STAFF]
    return {
        username: User(
            program_id=program_id,
            username=username,
            display_name=display_name,
            email=f"{username}@{DEMO_EMAIL_DOMAIN}",
            roles=frozenset({roles}),
            password_hash=password_hash,
            must_change_password=False,
        )
        for username, display_name, roles in people
    }


def _memberships_and_assignments(
    *, rng: random.Random, users: dict[str, User], teams: dict[str, Team], today: date
) -> list[SQLModel]:
    rows: list[SQLModel] = []
    for peer in PEERS:
        peer_id = users[peer.username].id
        started_on = today - timedelta(days=365 + rng.randint(0, 60))
        rows.append(TeamMembership(user_id=peer_id, team_id=teams[peer.team].id, started_on=started_on))
        supervisor, functions = MAIN_SUPERVISION[peer.team]
        rows.append(SupervisionAssignment(supervisor_id=users[supervisor].id, supervisee_id=peer_id,
                                          functions=functions, started_on=started_on))
        if peer.team in ADMINISTRATIVE_SUPERVISION_TEAMS:
            rows.append(SupervisionAssignment(supervisor_id=users[ADMINISTRATIVE_SUPERVISOR].id,
                                              supervisee_id=peer_id, functions=frozenset({"administrative"}),
                                              started_on=started_on))
        rows.append(SharingPreference(peer_id=peer_id, level=peer.sharing,
                                      updated_at=_aware(started_on, hour=16)))
    return rows


def _weekly_strain(peer: PeerSpec, *, weeks_ago: int, rng: random.Random) -> float:
    """How hard the week was, from 0 (easy) to 1 (very hard)."""
    noise = rng.gauss(0, 0.07)
    if peer.story is Story.RISING:
        progress = (PULSE_WEEKS - weeks_ago) / (PULSE_WEEKS - 1)
        level = 0.3 + 0.45 * progress**1.5
    elif peer.story is Story.RECOVERING:
        level = 0.72 if weeks_ago >= 18 else 0.38 + 0.34 * (weeks_ago - 1) / 17
    elif peer.story is Story.NO_SUPPORTIVE and weeks_ago <= 4:
        level = peer.strain + 0.12
    else:
        level = peer.strain
    return min(1.0, max(0.0, level + noise))


def _pulses(session: Session, *, rng: random.Random, users: dict[str, User], today: date) -> int:
    """Each peer's weekly check-ins, stored through `checkins.record_pulse` as a peer's own are (validated, with
    exposure counts), so the demo holds nothing a peer could not have entered. Returns how many."""
    instrument = checkins.pulse_instrument()
    exposure_codes = [option.code for option in instrument.checklists["exposures"]
                      if option.code in EXPOSURE_RATES[TEAMS[0].key]]
    discrimination = random.Random(f"{SEED}-discrimination")
    self_care_codes = [option.code for option in instrument.checklists["self_care"]]
    this_monday = week_start(today)
    count = 0
    for peer in PEERS:
        for weeks_ago in range(PULSE_WEEKS, 0, -1):
            monday = this_monday - timedelta(weeks=weeks_ago)
            strain_level = _weekly_strain(peer, weeks_ago=weeks_ago, rng=rng)
            missed = rng.random() < 0.07 if weeks_ago > 2 else peer.story is Story.LAPSED
            if missed:
                continue
            answers_by_number = {
                item.number: _rating(strain_level, higher_is_better=item.higher_is_better, rng=rng)
                for item in instrument.items
            }
            exposures = [
                code for code in exposure_codes
                if rng.random() < _exposure_rate(peer, code=code, weeks_ago=weeks_ago)
            ]
            if discrimination.random() < DISCRIMINATION_RATES.get(peer.username, DISCRIMINATION_BASE_RATE):
                exposures.append(DISCRIMINATION_EXPOSURE)
            if peer.story is Story.RISING and weeks_ago <= 2:
                recent = {"overdose_scene", "death_of_person_served"} if weeks_ago == 2 else {"overdose_scene"}
                exposures = sorted({*exposures, *recent})
            self_care = [code for code in self_care_codes if rng.random() < 0.75 - 0.5 * strain_level]
            note = rng.choice(PULSE_NOTES) if rng.random() < 0.12 else None
            note_shared = note is not None and rng.random() < 0.5
            wants_to_talk = rng.random() < 0.03
            if peer.story is Story.RISING and weeks_ago == 1:
                note, note_shared, wants_to_talk = RISING_NOTE, True, True
            outside_role = _hours_outside_role(peer, weeks_ago=weeks_ago, rng=rng)
            taken_on = monday + timedelta(days=rng.randint(2, 4))
            checkins.record_pulse(
                session,
                peer=users[peer.username],
                answers={item.key: answers_by_number[item.number] for item in instrument.items if item.key is not None},
                idempotency_key=f"demo-pulse-{peer.username}-{monday.isoformat()}",
                now=_aware(taken_on, hour=rng.randint(14, 23), minute=rng.randint(0, 59)),
                week=monday,
                exposures=exposures,
                self_care=self_care,
                caseload=_caseload(peer, weeks_ago=weeks_ago, rng=rng),
                hours=min(50.0, max(32.0, round((36 + 10 * strain_level + rng.gauss(0, 2.5)) * 2) / 2)),
                after_hours_callouts=min(4, rng.randint(0, 2 if peer.team == "overdose" else 1)
                                         + (1 if strain_level > 0.6 else 0)),
                hours_outside_role=outside_role,
                outside_role_tasks=_outside_role_tasks(peer, hours=outside_role),
                note=note or "",
                note_shared=note_shared,
                wants_to_talk=wants_to_talk,
            )
            count += 1
    return count


def _outside_role_tasks(peer: PeerSpec, *, hours: float | None) -> tuple[str, ...]:
    if not hours:
        return ()
    return ("driving", "case_management") if peer.story is Story.DRIFT else ("clerical",)


def _rating(strain_level: float, *, higher_is_better: bool, rng: random.Random) -> int:
    centre = 5 - 4 * strain_level if higher_is_better else 1 + 4 * strain_level
    return min(5, max(1, round(centre + rng.gauss(0, 0.6))))


def _exposure_rate(peer: PeerSpec, *, code: str, weeks_ago: int) -> float:
    rate = EXPOSURE_RATES[peer.team][code]
    if peer.story is Story.RISING:
        progress = (PULSE_WEEKS - weeks_ago) / (PULSE_WEEKS - 1)
        if code == "overdose_scene":
            return 0.45 + 0.5 * progress
        if code == "death_of_person_served":
            return 0.05 + 0.2 * progress
    return rate


def _caseload(peer: PeerSpec, *, weeks_ago: int, rng: random.Random) -> int:
    if peer.story is Story.RISING and weeks_ago <= 5:
        return 29 + 2 * (5 - weeks_ago)
    return rng.randint(*peer.caseload)


def _hours_outside_role(peer: PeerSpec, *, weeks_ago: int, rng: random.Random) -> float | None:
    if peer.story is Story.DRIFT and weeks_ago <= 10 and rng.random() < 0.6:
        return float(rng.randint(3, 8))
    if rng.random() < 0.04:
        return float(rng.randint(1, 2))
    return None


def _assessments(
    *, rng: random.Random, users: dict[str, User], today: date
) -> list[tuple[Assessment, scoring.ScoreResult]]:
    instrument = scoring.load_instrument(ASSESSMENT_INSTRUMENT)
    reverse_base = instrument.response.minimum + instrument.response.maximum
    rows = []
    for peer in PEERS:
        latest_days_ago = 38 if peer.story is Story.ASSESSMENT_DUE else rng.randint(3, 20)
        for month in range(ASSESSMENTS_PER_PEER):
            answers: dict[int, int] = {}
            for scale, target in zip(PROQOL_SCALES, _scale_targets(peer, month=month, rng=rng), strict=True):
                items = [item for item in instrument.items if item.scale == scale]
                for item, keyed in zip(items, _values_summing_to(target, count=len(items), rng=rng), strict=True):
                    answers[item.number] = reverse_base - keyed if item.reverse else keyed
            taken_on = today - timedelta(days=latest_days_ago + 30 * (ASSESSMENTS_PER_PEER - 1 - month))
            is_latest = month == ASSESSMENTS_PER_PEER - 1
            comment = None
            if peer.story is Story.RISING and is_latest:
                comment = "The overdose calls keep piling up and I'm not sleeping well."
            assessment = Assessment(
                peer_id=users[peer.username].id,
                instrument_id=instrument.id,
                instrument_version=instrument.version,
                taken_at=_aware(taken_on, hour=rng.randint(13, 22), minute=rng.randint(0, 59)),
                answers={str(number): value for number, value in sorted(answers.items())},
                comment=comment,
                comment_shared=comment is not None,
                idempotency_key=f"demo-assessment-{peer.username}-{month + 1}",
            )
            rows.append((assessment, scoring.score(instrument, answers)))
    return rows


def _scale_targets(peer: PeerSpec, *, month: int, rng: random.Random) -> tuple[int, ...]:
    """Raw scores (10-50) for one month: a scripted trajectory with a little noise, or the usual level."""
    if peer.story in (Story.RISING, Story.RECOVERING):
        trajectory = RISING_TRAJECTORY if peer.story is Story.RISING else RECOVERING_TRAJECTORY
        return tuple(min(50, max(10, path[month] + rng.randint(-1, 1))) for path in trajectory)
    return tuple(min(50, max(10, level + rng.randint(-3, 3))) for level in peer.levels)


def _values_summing_to(total: int, *, count: int, rng: random.Random, low: int = 1, high: int = 5) -> list[int]:
    """`count` answers from `low` to `high` that add up to `total`, spread a little."""
    total = min(count * high, max(count * low, total))
    values = [total // count + (1 if position < total % count else 0) for position in range(count)]
    for _ in range(count):
        up, down = rng.randrange(count), rng.randrange(count)
        if up != down and values[up] < high and values[down] > low:
            values[up] += 1
            values[down] -= 1
    rng.shuffle(values)
    return values


def _assessment_scores(assessments: Sequence[tuple[Assessment, scoring.ScoreResult]]) -> list[AssessmentScore]:
    return [
        AssessmentScore(
            assessment_id=assessment.id,
            scale=name,
            peer_id=assessment.peer_id,
            taken_at=assessment.taken_at,
            raw=scale.raw,
            band=None if scale.band is None else BAND_CODES[scale.band],
            answered=scale.answered,
        )
        for assessment, result in assessments
        for name, scale in result.scales.items()
    ]


def _supervision_sessions(
    *, rng: random.Random, users: dict[str, User], today: date
) -> list[tuple[SupervisionSession, tuple[PeerSpec, ...]]]:
    """Individual and group sessions over the last 26 weeks, oldest first, each with its attendees."""
    this_monday = week_start(today)
    planned: list[tuple[SupervisionSession, tuple[PeerSpec, ...]]] = []

    def add(*, supervisor: str, attendees: tuple[PeerSpec, ...], held_on: date, kind: str, duration: int,
            weights: dict[str, float]) -> None:
        if held_on >= today:
            return
        row = _session_row(rng=rng, supervisor_id=users[supervisor].id, attendees=attendees, held_on=held_on,
                           kind=kind, duration=duration, weights=weights, today=today,
                           key=f"demo-session-{len(planned) + 1}")
        planned.append((row, attendees))

    for weeks_ago in range(PULSE_WEEKS - 1, -1, -1):
        monday = this_monday - timedelta(weeks=weeks_ago)
        for position, peer in enumerate(PEERS):
            supervisor, _ = MAIN_SUPERVISION[peer.team]
            scripted = peer.story in (Story.RISING, Story.RECOVERING)
            if (weeks_ago + position) % peer.supervision_every_weeks == 0 and (scripted or rng.random() > 0.08):
                held_on = monday + timedelta(days=rng.randint(1, 3))
                add(supervisor=supervisor, attendees=(peer,), held_on=held_on, kind="individual",
                    duration=_duration(peer, weeks_ago=weeks_ago, rng=rng),
                    weights=_function_weights(peer, supervisor=supervisor, weeks_ago=weeks_ago,
                                              days_ago=(today - held_on).days, rng=rng))
            if peer.team in ADMINISTRATIVE_SUPERVISION_TEAMS and (weeks_ago + position) % 4 == 0:
                add(supervisor=ADMINISTRATIVE_SUPERVISOR, attendees=(peer,), held_on=monday + timedelta(days=4),
                    kind="individual", duration=30, weights={"administrative": 1.0})
        if weeks_ago % 4 == 2:
            held_on = monday + timedelta(days=2)
            members = tuple(
                peer for peer in PEERS
                if peer.team == "overdose" and rng.random() < 0.85
                and not (peer.story is Story.NO_SUPPORTIVE and (today - held_on).days <= SUPPORTIVE_GAP_DAYS)
            )
            add(supervisor="supervisor.dana", attendees=members, held_on=held_on, kind="group", duration=60,
                weights={"administrative": 0.15, "educational": 0.35, "supportive": 0.5})
        if weeks_ago % 4 == 0:
            members = tuple(peer for peer in PEERS if peer.team in ("reentry", "court") and rng.random() < 0.85)
            add(supervisor="supervisor.ray", attendees=members, held_on=monday + timedelta(days=3), kind="group",
                duration=60, weights={"educational": 0.5, "supportive": 0.5})
    return planned


def _duration(peer: PeerSpec, *, weeks_ago: int, rng: random.Random) -> int:
    if peer.story is Story.RECOVERING and weeks_ago in RECOVERY_SUPPORT_WEEKS:
        return 60
    return rng.choice((30, 45, 45, 60))


def _function_weights(
    peer: PeerSpec, *, supervisor: str, weeks_ago: int, days_ago: int, rng: random.Random
) -> dict[str, float]:
    """Share of a session per supervision function, by the supervisor's functions and the peer's story."""
    if peer.story is Story.RECOVERING and weeks_ago in RECOVERY_SUPPORT_WEEKS:
        return {"administrative": 0.1, "educational": 0.2, "supportive": 0.7}
    if peer.story is Story.RISING and weeks_ago in RISING_SUPPORT_WEEKS:
        return {"administrative": 0.15, "educational": 0.25, "supportive": 0.6}
    if peer.story is Story.NO_SUPPORTIVE and days_ago <= SUPPORTIVE_GAP_DAYS:
        return {"administrative": 0.6, "educational": 0.4, "supportive": 0.0}
    _, functions = MAIN_SUPERVISION[peer.team]
    if "administrative" not in functions:
        educational = rng.uniform(0.4, 0.6)
        return {"educational": educational, "supportive": 1 - educational}
    administrative, educational = rng.uniform(0.2, 0.35), rng.uniform(0.25, 0.4)
    return {"administrative": administrative, "educational": educational,
            "supportive": 1 - administrative - educational}


def _split_minutes(duration: int, weights: dict[str, float]) -> dict[str, int]:
    """Minutes per function in steps of five, adding up to `duration`; the last function covered takes the rest."""
    covered = [function for function in SUPERVISION_FUNCTIONS if weights.get(function, 0) > 0]
    minutes = {function: 0 for function in SUPERVISION_FUNCTIONS}
    for function in covered[:-1]:
        minutes[function] = max(5, 5 * round(duration * weights[function] / 5))
    minutes[covered[-1]] = duration - sum(minutes.values())
    return minutes


def _session_row(
    *, rng: random.Random, supervisor_id: int, attendees: tuple[PeerSpec, ...], held_on: date, kind: str,
    duration: int, weights: dict[str, float], today: date, key: str
) -> SupervisionSession:
    minutes = _split_minutes(duration, weights)
    covered = [function for function in SUPERVISION_FUNCTIONS if minutes[function] > 0]
    administrative_only = covered == ["administrative"]
    story = attendees[0].story if kind == "individual" else None
    activities = [
        code for function in covered
        for code in sorted(rng.sample(ACTIVITIES[function], k=rng.randint(1, 2)), key=ACTIVITIES[function].index)
    ]
    notes = {function: rng.choice(SESSION_NOTES[function]) for function in covered}
    if "supportive" in notes and story in STORY_SUPPORTIVE_NOTES and rng.random() < 0.7:
        notes["supportive"] = rng.choice(STORY_SUPPORTIVE_NOTES[story])
    drifting = story is Story.DRIFT and (today - held_on).days <= 70 and rng.random() < 0.5
    drifting = drifting or (not administrative_only and rng.random() < 0.02)
    ethics_areas = [area for area in ETHICS_AREAS if rng.random() < 0.08] if not administrative_only else []
    field_safety_rate = 0.3 if attendees and attendees[0].team == "overdose" else 0.1
    recorded_at = _aware(held_on, hour=rng.randint(15, 21), minute=rng.randint(0, 59))
    return SupervisionSession(
        supervisor_id=supervisor_id,
        held_on=held_on,
        kind=kind,
        duration_minutes=duration,
        minutes_administrative=minutes["administrative"],
        minutes_educational=minutes["educational"],
        minutes_supportive=minutes["supportive"],
        activities=frozenset(activities),
        notes_administrative=notes.get("administrative"),
        notes_educational=notes.get("educational"),
        notes_supportive=notes.get("supportive"),
        private_reflection=rng.choice(PRIVATE_REFLECTIONS) if not administrative_only and rng.random() < 0.2 else None,
        peer_drift=drifting,
        peer_drift_note=rng.choice(DRIFT_NOTES) if drifting else None,
        ethics_areas=frozenset(ethics_areas),
        field_safety_discussed=rng.random() < field_safety_rate,
        created_at=recorded_at,
        updated_at=recorded_at,
        idempotency_key=key,
    )


def _action_items(
    *,
    rng: random.Random,
    users: dict[str, User],
    supervision: Sequence[tuple[SupervisionSession, tuple[PeerSpec, ...]]],
    today: date,
) -> list[ActionItem]:
    items = []
    for row, attendees in supervision:
        if rng.random() >= 0.35:
            continue
        peer_owned = row.kind == "individual" and rng.random() < 0.8
        owner_id = users[attendees[0].username].id if peer_owned else row.supervisor_id
        due_on = row.held_on + timedelta(days=rng.choice((7, 14)))
        done = due_on < today and rng.random() < 0.9
        items.append(ActionItem(
            session_id=row.id,
            owner_id=owner_id,
            text=rng.choice(PEER_ACTION_ITEMS if peer_owned else SUPERVISOR_ACTION_ITEMS),
            due_on=due_on,
            status="done" if done else "open",
            created_at=row.created_at,
            done_at=_aware(due_on - timedelta(days=rng.randint(0, 4)), hour=16) if done else None,
        ))
    rising_peer = next(peer for peer in PEERS if peer.story is Story.RISING)
    debrief_session = max(
        (row for row, attendees in supervision
         if row.kind == "individual" and attendees == (rising_peer,) and (today - row.held_on).days >= 14),
        key=lambda row: row.held_on,
    )
    items.append(ActionItem(
        session_id=debrief_session.id,
        owner_id=users[rising_peer.username].id,
        text=OVERDUE_ACTION_ITEM,
        due_on=debrief_session.held_on + timedelta(days=7),
        status="open",
        created_at=debrief_session.created_at,
    ))
    return items
