"""Tables of the console.

Free text, item-level answers and the checklists of a person's week use the
encrypted column types; scale scores, bands, caseload, hours and dates stay
plain so that aggregates run in SQL. Lead figures on exposures read
`ExposureTally`, counts per team, month and exposure code that identify nobody.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Column, Index, Table, UniqueConstraint, inspect
from sqlmodel import Field, SQLModel

from db.columns import AwareDateTime, EncryptedJSON, EncryptedTagSet, EncryptedText, TagSet

ROLES = ("peer", "supervisor", "lead", "admin")
SUPERVISION_FUNCTIONS = ("administrative", "educational", "supportive")
SHARING_LEVELS = ("completion", "bands", "scores")
BAND_CODES = {"low": 0, "moderate": 1, "high": 2}


def utcnow() -> datetime:
    return datetime.now(UTC)


def timestamp(*, default_now: bool = False, index: bool = False) -> Any:
    if default_now:
        return Field(default_factory=utcnow, sa_type=AwareDateTime, index=index)
    return Field(default=None, sa_type=AwareDateTime, index=index)


def encrypted_text(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(EncryptedText(), nullable=nullable))


def encrypted_codes() -> Any:
    """A checklist of codes, encrypted; empty when nothing was ticked."""
    return Field(default_factory=frozenset, sa_column=Column(EncryptedTagSet(), nullable=False))


def tag_set(length: int, *, empty_default: bool = True) -> Any:
    """A set of codes (see `TagSet`) in a text column of `length` characters."""
    column: Column[frozenset[str]] = Column(TagSet(length), nullable=False)
    return Field(default_factory=frozenset, sa_column=column) if empty_default else Field(sa_column=column)


def table_of(model: type[SQLModel]) -> Table:
    """The table of a model (SQLModel sets `__table__` at run time, where type checkers do not see it)."""
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table


def encrypted_json(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(EncryptedJSON(), nullable=nullable))


class Program(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    is_demo: bool = False
    created_at: datetime = timestamp(default_now=True)


class Team(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("program_id", "name"),)

    id: int = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    name: str = Field(max_length=200)
    setting: str = Field(default="", max_length=200)
    created_at: datetime = timestamp(default_now=True)


class User(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    program_id: int | None = Field(default=None, foreign_key="program.id", index=True)
    username: str = Field(max_length=100, unique=True)
    display_name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=320, unique=True)
    roles: frozenset[str] = tag_set(100, empty_default=False)
    """Roles from ROLES."""
    active: bool = True
    password_hash: str = Field(max_length=200)
    failed_attempts: int = 0
    locked_until: datetime | None = timestamp()
    must_change_password: bool = False
    created_at: datetime = timestamp(default_now=True)
    last_login_at: datetime | None = timestamp()
    language: str | None = Field(default=None, max_length=8)
    """The language the person reads the console in; None follows the program's default."""

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(self.roles)

    def has_role(self, role: str) -> bool:
        return role in self.role_set


class Invitation(SQLModel, table=True):
    """A one-time code with which a person chooses their own password (a new account or an admin's reset).

    Only a hash of the code is kept; the code itself is shown once, to be passed on.
    """

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    purpose: str = Field(max_length=20, description="new_account or password_reset")
    code_hash: str = Field(max_length=64, unique=True)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = timestamp(default_now=True)
    expires_at: datetime = Field(sa_type=AwareDateTime)
    used_at: datetime | None = timestamp()


class SignInSession(SQLModel, table=True):
    """A browser's sign-in that survives reloads and new tabs: only the SHA-256 hash of its random token is kept."""

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=AwareDateTime)
    last_used_at: datetime = Field(sa_type=AwareDateTime)
    expires_at: datetime = Field(sa_type=AwareDateTime, description="absolute end, whatever the activity")
    revoked: bool = False


class TeamMembership(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    started_on: date
    ended_on: date | None = None


class SupervisionAssignment(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    supervisor_id: int = Field(foreign_key="user.id", index=True)
    supervisee_id: int = Field(foreign_key="user.id", index=True)
    functions: frozenset[str] = tag_set(100, empty_default=False)
    """Supervision functions from SUPERVISION_FUNCTIONS."""
    started_on: date
    ended_on: date | None = None

    @property
    def function_set(self) -> frozenset[str]:
        return frozenset(self.functions)


class SharingPreference(SQLModel, table=True):
    peer_id: int = Field(foreign_key="user.id", primary_key=True)
    level: str = Field(default="bands", max_length=20)
    updated_at: datetime = timestamp(default_now=True)


class Assessment(SQLModel, table=True):
    __table_args__ = (Index("ix_assessment_peer_taken", "peer_id", "taken_at"),)

    id: int = Field(default=None, primary_key=True)
    peer_id: int = Field(foreign_key="user.id")
    instrument_id: str = Field(max_length=100)
    instrument_version: str = Field(max_length=50)
    taken_at: datetime = timestamp(default_now=True, index=True)
    answers: dict[str, int | None] | None = encrypted_json(nullable=False)
    comment: str | None = encrypted_text()
    comment_shared: bool = False
    idempotency_key: str = Field(max_length=64, unique=True)


class AssessmentScore(SQLModel, table=True):
    """One scale of one assessment, numeric for SQL aggregation (band 0 low, 1 moderate, 2 high)."""

    __table_args__ = (
        Index("ix_assessment_score_scale_taken_values", "scale", "taken_at", "peer_id", "raw", "band", "assessment_id"),
        Index("ix_assessment_score_peer_scale_taken", "peer_id", "scale", "taken_at"),
    )

    assessment_id: int = Field(foreign_key="assessment.id", primary_key=True)
    scale: str = Field(max_length=100, primary_key=True)
    peer_id: int = Field(foreign_key="user.id")
    taken_at: datetime = timestamp()
    raw: float | None = None
    band: int | None = None
    answered: int


class PulseCheckin(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("peer_id", "week_start", name="uq_pulse_peer_week"),
        Index("ix_pulse_week_workload", "week_start", "peer_id", "caseload", "hours", "after_hours_callouts",
              "hours_outside_role"),
        Index("ix_pulse_taken_peer", "taken_at", "peer_id"),
    )

    id: int = Field(default=None, primary_key=True)
    peer_id: int = Field(foreign_key="user.id", index=True)
    iso_year: int
    iso_week: int
    week_start: date
    taken_at: datetime = timestamp(default_now=True)
    answers: dict[str, int | None] | None = encrypted_json(nullable=False)
    strain: float | None = None
    exposures: frozenset[str] = encrypted_codes()
    self_care: frozenset[str] = encrypted_codes()
    tallied_team_id: int | None = Field(default=None, foreign_key="team.id")
    """The team whose `ExposureTally` counts this check-in's exposures (None: the peer was on no team)."""
    caseload: int | None = None
    hours: float | None = None
    after_hours_callouts: int | None = None
    hours_outside_role: float | None = None
    outside_role_tasks: frozenset[str] | None = Field(default_factory=frozenset,
                                                      sa_column=Column(EncryptedTagSet(), nullable=True))
    """Which kinds of task outside the peer role took those hours: comma-separated codes of the instrument's
    `outside_role` checklist, encrypted like the other checklists."""
    note: str | None = encrypted_text()
    note_shared: bool = False
    wants_to_talk: bool = False
    idempotency_key: str = Field(max_length=64, unique=True)
    replaced_at: datetime | None = timestamp()


class ExposureTally(SQLModel, table=True):
    """How many check-ins of a team's peers reported an exposure, per month of the check-in week.

    Kept by the check-in service in the same transaction as the check-in (a replaced check-in is taken
    out before its replacement is counted), so that lead figures never read a person's checklist.
    """

    team_id: int = Field(foreign_key="team.id", primary_key=True)
    month: date = Field(primary_key=True)
    code: str = Field(max_length=50, primary_key=True)
    count: int = 0


class WellnessPlan(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("peer_id", "version"),)

    id: int = Field(default=None, primary_key=True)
    peer_id: int = Field(foreign_key="user.id", index=True)
    version: int
    sections: dict[str, str] | None = encrypted_json(nullable=False)
    shared: bool = False
    created_at: datetime = timestamp(default_now=True)


class SupervisionSession(SQLModel, table=True):
    __table_args__ = (
        Index("ix_session_supervisor_held", "supervisor_id", "held_on"),
        Index("ix_session_held_minutes", "held_on", "kind", "supervisor_id", "duration_minutes",
              "minutes_administrative", "minutes_educational", "minutes_supportive"),
    )

    id: int = Field(default=None, primary_key=True)
    supervisor_id: int = Field(foreign_key="user.id")
    held_on: date
    kind: str = Field(default="individual", max_length=20)
    duration_minutes: int
    minutes_administrative: int = 0
    minutes_educational: int = 0
    minutes_supportive: int = 0
    activities: frozenset[str] = tag_set(2000)
    notes_administrative: str | None = encrypted_text()
    notes_educational: str | None = encrypted_text()
    notes_supportive: str | None = encrypted_text()
    private_reflection: str | None = encrypted_text()
    peer_drift: bool = False
    peer_drift_note: str | None = encrypted_text()
    ethics_areas: frozenset[str] = tag_set(200)
    field_safety_discussed: bool = False
    created_at: datetime = timestamp(default_now=True)
    updated_at: datetime = timestamp(default_now=True)
    idempotency_key: str = Field(max_length=64, unique=True)


class SessionAttendee(SQLModel, table=True):
    session_id: int = Field(foreign_key="supervisionsession.id", primary_key=True)
    peer_id: int = Field(foreign_key="user.id", primary_key=True, index=True)


class ActionItem(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    session_id: int | None = Field(default=None, foreign_key="supervisionsession.id", index=True)
    owner_id: int = Field(foreign_key="user.id", index=True)
    text: str = encrypted_text(nullable=False)
    due_on: date | None = None
    status: str = Field(default="open", max_length=20)
    created_at: datetime = timestamp(default_now=True)
    done_at: datetime | None = timestamp()


class SessionAmendment(SQLModel, table=True):
    """A change to a supervision session after its edit window: what it said before, and why it changed."""

    id: int = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="supervisionsession.id", index=True)
    author_id: int = Field(foreign_key="user.id")
    created_at: datetime = timestamp(default_now=True)
    reason: str | None = encrypted_text(nullable=False)
    previous: dict[str, Any] = encrypted_json(nullable=False)


class ReachOutRequest(SQLModel, table=True):
    """A peer's "please reach out to me": the one thing that notifies a supervisor beyond the sharing level."""

    id: int = Field(default=None, primary_key=True)
    peer_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = timestamp(default_now=True)
    acknowledged_at: datetime | None = timestamp()
    acknowledged_by: int | None = Field(default=None, foreign_key="user.id")


class CallOut(SQLModel, table=True):
    """One call-out a peer responded to: when, what kind, where, with whom, what they did and how it went for them.

    Nothing here identifies the person served. `hard` opens the after-incident path (a fatal overdose, a death of
    someone served, or a call rated very hard); `debrief_session_id` links the supervision contact that debriefed it.
    """

    __table_args__ = (Index("ix_callout_peer_started", "peer_id", "started_at"),)

    id: int = Field(default=None, primary_key=True)
    peer_id: int = Field(foreign_key="user.id")
    started_at: datetime = Field(sa_type=AwareDateTime)
    ended_at: datetime = Field(sa_type=AwareDateTime)
    week_start: date = Field(index=True)
    after_hours: bool = False
    kind: str = Field(max_length=40)
    setting: str = Field(max_length=40)
    person_served_died: bool = False
    with_whom: frozenset[str] = tag_set(200)
    """Responder codes."""
    actions: frozenset[str] = tag_set(400)
    """Codes of what the peer did."""
    rating: int
    note: str | None = encrypted_text()
    note_shared: bool = False
    hard: bool = False
    after_checkin: dict[str, Any] | None = encrypted_json()
    after_checkin_at: datetime | None = timestamp()
    debrief_requested_at: datetime | None = timestamp()
    debrief_session_id: int | None = Field(default=None, foreign_key="supervisionsession.id")
    created_at: datetime = timestamp(default_now=True)
    idempotency_key: str = Field(max_length=64, unique=True)


class OutboxMessage(SQLModel, table=True):
    """An email to send, written in the transaction of the event that causes it and delivered by the sender.

    `params` holds what the message refers to (ids, counts, links) and is encrypted, because an invitation link
    is a secret; the subject and body are composed when it is sent. `dedupe_key` makes every enqueue idempotent.
    """

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int = Field(default=None, primary_key=True)
    recipient_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    """None for a message to the program's backup contact, addressed from the settings when it is sent."""
    kind: str = Field(max_length=40)
    params: dict[str, Any] | None = encrypted_json(nullable=False)
    dedupe_key: str = Field(max_length=200, unique=True)
    message_id: str = Field(max_length=200, unique=True)
    status: str = Field(default="pending", max_length=20)
    created_at: datetime = timestamp(default_now=True)
    expires_at: datetime = timestamp()
    next_attempt_at: datetime = timestamp()
    attempts: int = 0
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_until: datetime | None = timestamp()
    sent_at: datetime | None = timestamp()
    outcome: str = Field(default="", max_length=200, description="an SMTP reply code or a reason code, never content")


class FieldVisit(SQLModel, table=True):
    """A peer's safety check-in timer for a home or community visit. Nothing identifies the person visited; the
    peer's location note for their supervisor is encrypted and emptied when the visit is closed."""

    __table_args__ = (Index("ix_fieldvisit_attention", "closed_at", "acknowledged_at", "expected_back_at"),)

    id: int = Field(default=None, primary_key=True)
    peer_id: int = Field(foreign_key="user.id", index=True)
    started_at: datetime = Field(sa_type=AwareDateTime)
    expected_back_at: datetime = Field(sa_type=AwareDateTime)
    location_note: str | None = encrypted_text()
    extensions: int = 0
    help_requested_at: datetime | None = timestamp()
    closed_at: datetime | None = timestamp()
    acknowledged_at: datetime | None = timestamp()
    acknowledged_by: int | None = Field(default=None, foreign_key="user.id")
    idempotency_key: str = Field(max_length=64, unique=True)


class SafetyIncident(SQLModel, table=True):
    """A safety incident a peer documented after the fact, for discussion in supervision."""

    id: int = Field(default=None, primary_key=True)
    peer_id: int = Field(foreign_key="user.id", index=True)
    field_visit_id: int | None = Field(default=None, foreign_key="fieldvisit.id")
    occurred_on: date
    what_happened: str | None = encrypted_text(nullable=False)
    reported: bool = False
    follow_up_wanted: bool = False
    created_at: datetime = timestamp(default_now=True)
    idempotency_key: str = Field(max_length=64, unique=True)


class EthicsNote(SQLModel, table=True):
    """An item of the ethics self-check a peer noted to bring to supervision; shared only when the peer chooses."""

    id: int = Field(default=None, primary_key=True)
    peer_id: int = Field(foreign_key="user.id", index=True)
    area: str = Field(max_length=30, description="self, interpersonal or group_organization")
    item: str | None = encrypted_text(nullable=False)
    note: str | None = encrypted_text()
    shared: bool = False
    created_at: datetime = timestamp(default_now=True)
    closed_at: datetime | None = timestamp()


class TrainingRecord(SQLModel, table=True):
    """A training or certification a person completed, with its renewal or expiry date when it has one."""

    __table_args__ = (Index("ix_trainingrecord_person_renews", "person_id", "renews_on"),)

    id: int = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="user.id")
    kind: str = Field(max_length=30)
    name: str = Field(max_length=200)
    completed_on: date
    renews_on: date | None = None
    recorded_by: int = Field(foreign_key="user.id")
    created_at: datetime = timestamp(default_now=True)


class ActionPlan(SQLModel, table=True):
    """A team-level action a lead records in answer to an alert or a figure; it never names a person."""

    id: int = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    what: str | None = encrypted_text(nullable=False)
    owner_role: str | None = encrypted_text()
    owner_id: int | None = Field(default=None, foreign_key="user.id")
    due_on: date
    answers: str = Field(max_length=50, description="the scale or alert kind the action answers")
    status: str = Field(default="planned", max_length=20)
    created_by: int = Field(foreign_key="user.id")
    created_on: date
    created_at: datetime = timestamp(default_now=True)
    updated_at: datetime = timestamp(default_now=True)
    idempotency_key: str = Field(max_length=64, unique=True)


class ActionFollowUp(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="actionplan.id", index=True)
    followed_up_on: date
    status: str = Field(max_length=20)
    note: str | None = encrypted_text()
    recorded_by: int = Field(foreign_key="user.id")
    created_at: datetime = timestamp(default_now=True)


class SelfDescription(SQLModel, table=True):
    """What a peer chose to say about themselves for the equity lens, encrypted; one row per peer. When they
    remove it all, the row stays with no answers and the time of the removal, so that reading released equity
    figures knows their group may have changed since (`console.program.equity.groups_at_release`)."""

    peer_id: int = Field(foreign_key="user.id", primary_key=True)
    answers: dict[str, str] | None = encrypted_json(nullable=False)
    updated_at: datetime = timestamp(default_now=True)


class NotificationPreference(SQLModel, table=True):
    """What one person chose to receive by email, and their quiet hours in the program's time zone."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    muted_kinds: frozenset[str] = tag_set(400)
    """Codes of the notification kinds this person chose not to receive."""
    quiet_start: str = Field(default="", max_length=5, description="HH:MM, or empty for no quiet hours")
    quiet_end: str = Field(default="", max_length=5)
    updated_at: datetime = timestamp(default_now=True)


class FormDraft(SQLModel, table=True):
    """A half-written form kept for its owner only, so that a reload loses nothing: one per owner, form kind and
    period, its answers encrypted, deleted when the form is submitted and unusable after `expires_at`."""

    __table_args__ = (UniqueConstraint("owner_id", "kind", "period", name="uq_formdraft_owner_kind_period"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=40)
    period: str = Field(max_length=40)
    payload: dict[str, Any] | None = encrypted_json(nullable=False)
    updated_at: datetime = Field(sa_type=AwareDateTime)
    expires_at: datetime = Field(sa_type=AwareDateTime, index=True)


class AuditEvent(SQLModel, table=True):
    __table_args__ = (
        Index("ix_audit_subject_at", "subject_id", "at"),
        Index("ix_audit_actor_at", "actor_id", "at"),
    )

    id: int = Field(default=None, primary_key=True)
    at: datetime = timestamp(default_now=True, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    action: str = Field(max_length=100)
    subject_id: int | None = Field(default=None, foreign_key="user.id")
    resource_type: str = Field(max_length=100)
    resource_id: str | None = Field(default=None, max_length=100)
    detail: str = Field(default="", max_length=1000)


class Setting(SQLModel, table=True):
    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(max_length=2000)
    updated_at: datetime = timestamp(default_now=True)


class FigureRelease(SQLModel, table=True):
    """One closed period of one program whose lead figures are released: written once, in the transaction
    that stores its `ReleasedFigure` rows, so a second releaser finds it and stores nothing."""

    __table_args__ = (UniqueConstraint("program_id", "period_start", name="uq_figure_release_period"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id")
    period_start: date
    released_at: datetime = timestamp(default_now=True)
    k: int
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    """`console.program.release.RELEASE_VERSION` of the release that stored the period's topics; 1 for periods
    released before versions were recorded. A lower version than the current one is upgraded by adding the
    topics it has none of."""


class ReleasedFigure(SQLModel, table=True):
    """One cell of the lead figures for a closed period, as released under `scoring.release`: a team, the
    smaller teams combined or the whole program, for one topic (participation, exposures, a scale).

    A withheld cell keeps only its reason. `team_ids` lists the teams the group holds, so that a viewer's own
    data and their supervisees' can be taken out at read time. Never updated after it is written.
    """

    __table_args__ = (
        UniqueConstraint("program_id", "period_start", "topic", "group_key", name="uq_released_figure_cell"),
    )

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id")
    period_start: date
    topic: str = Field(max_length=100)
    group_key: str = Field(max_length=40, description="team:<id>, pool or program")
    group_label: str = Field(max_length=200)
    team_ids: frozenset[str] = tag_set(4000)
    """Ids of the teams in the group."""
    released: bool
    reason: str | None = Field(default=None, max_length=300)
    peers: int | None = None
    count_a: int | None = None
    count_b: int | None = None
    a_low: int | None = Field(default=None, description="count_a as released: exact, or the range shown")
    a_high: int | None = None
    b_low: int | None = None
    b_high: int | None = None
    median: float | None = None
    q1: float | None = None
    q3: float | None = None


KEY_STATES = ("prepared", "encrypting", "valid", "retired")


class EncryptionKey(SQLModel, table=True):
    """A key the database knows, by fingerprint only: exactly one encrypts, valid ones may still open
    values, a prepared one encrypts after the next rotation, retired ones no value needs any more."""

    fingerprint: str = Field(primary_key=True, max_length=64)
    state: str = Field(max_length=20, description="one of KEY_STATES")
    added_at: datetime = timestamp(default_now=True)
    retired_at: datetime | None = timestamp()


class DatabaseState(SQLModel, table=True):
    """One row of counters: `key_generation` changes whenever the key registry does, `data_version` with
    every committed write that can change what a page shows (all but `OWNER_ONLY_TABLES`), so processes cache
    the registry and pages cache results by commit order."""

    id: int = Field(default=1, primary_key=True)
    key_generation: int = 0
    data_version: int = 0


INSTALLATION_TABLES = frozenset({EncryptionKey.__tablename__, DatabaseState.__tablename__})

OWNER_ONLY_TABLES = frozenset({FormDraft.__tablename__})
"""Tables whose rows only their owner ever reads, through a service that is never cached: a write to them alone
does not move `data_version`, so saving a half-written form keeps every cached page result (a lead's figures
among them). A table read by any cached service must never be listed here."""


ENCRYPTED_COLUMNS: dict[type[SQLModel], tuple[str, ...]] = {
    Assessment: ("answers", "comment"),
    PulseCheckin: ("answers", "note", "exposures", "self_care", "outside_role_tasks"),
    WellnessPlan: ("sections",),
    SupervisionSession: (
        "notes_administrative",
        "notes_educational",
        "notes_supportive",
        "private_reflection",
        "peer_drift_note",
    ),
    ActionItem: ("text",),
    SessionAmendment: ("reason", "previous"),
    OutboxMessage: ("params",),
    FieldVisit: ("location_note",),
    SafetyIncident: ("what_happened",),
    EthicsNote: ("item", "note"),
    ActionPlan: ("what", "owner_role"),
    ActionFollowUp: ("note",),
    SelfDescription: ("answers",),
    CallOut: ("note", "after_checkin"),
    FormDraft: ("payload",),
}
