"""The equity lens: a peer's optional self-description, and program-wide burden figures by self-described group.

A peer may describe themselves on four dimensions, each optional, changeable and removable; the answers are
stored encrypted and shown to nobody, not even in part: they are only ever counted into group figures that a
lead of the whole program sees. Those figures pass through one function, `decide`, which applies the one
release rule of lead figures, `scoring.release` (at least k peers beyond the viewer and the people they
supervise, complementary suppression across the groups of a dimension and its total, no share of peers that
says the same of every member of a group, or of none). They are released once per closed calendar quarter
(`quarter_rows`, called when the quarter's last month is released) and read back, the rule applied again for
the viewer, by `console.program.equity_figures`.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from console.core import audit, clock
from console.core.errors import ValidationError
from console.core.i18n import N_, _
from console.core.program_settings import read_settings
from console.policy.access import Action, authorize
from console.wellness.instruments import periodic_instrument
from db import queries
from db.columns import has_tag
from db.models import (
    BAND_CODES,
    ROLES,
    AssessmentScore,
    AuditEvent,
    PulseCheckin,
    SelfDescription,
    SessionAttendee,
    SupervisionSession,
    TeamMembership,
    User,
)
from scoring import release as rule

DISCRIMINATION_EXPOSURE = "racism_or_discrimination"
NOT_DESCRIBED = N_("No self-description shared")
ALL_PEERS = N_("All peers")
SAME_FOR_EVERYONE_REASON = N_("withheld: it would say the same of everyone in the group, or of no one")
NO_DATA_REASON = N_("no one in this group has data for this figure")
"""Group names, dimension and option labels, measures and reasons are in English, marked for translation: the
lens is worked out in English and pages show these texts with `_()` (a dimension's with its `shown_` methods)."""


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    question: str
    options: tuple[tuple[str, str], ...]
    """(code, label) pairs, in the order they are offered."""

    def label_of(self, code: str) -> str:
        return dict(self.options)[code]

    def shown_label(self) -> str:
        return _(self.label)

    def shown_question(self) -> str:
        return _(self.question)

    def shown_option(self, code: str) -> str:
        """An option's label in the reader's language."""
        return _(self.label_of(code))


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("race_ethnicity", N_("Race and ethnicity"), N_("How do you describe your race and ethnicity?"), (
        ("american_indian", N_("American Indian or Alaska Native")),
        ("asian", N_("Asian or Asian American")),
        ("black", N_("Black or African American")),
        ("latino", N_("Hispanic or Latino/a/e")),
        ("middle_eastern", N_("Middle Eastern or North African")),
        ("pacific_islander", N_("Native Hawaiian or Pacific Islander")),
        ("white", N_("White")),
        ("multiracial", N_("More than one race or ethnicity")),
        ("another", N_("Another race or ethnicity")),
    )),
    Dimension("gender", N_("Gender"), N_("How do you describe your gender?"), (
        ("woman", N_("Woman")),
        ("man", N_("Man")),
        ("nonbinary", N_("Non-binary or genderqueer")),
        ("another", N_("Another gender")),
    )),
    Dimension("incarceration", N_("Lived experience of incarceration"),
              N_("Do you have lived experience of incarceration (jail or prison)?"), (
                  ("yes", N_("Has lived experience of incarceration")),
                  ("no", N_("No lived experience of incarceration")),
              )),
    Dimension("language", N_("Language"), N_("Which language are you most at home in?"), (
        ("english", N_("English")),
        ("spanish", N_("Spanish, or Spanish and English")),
        ("another", N_("Another language, or another language and English")),
    )),
)
DIMENSION_BY_KEY = {dimension.key: dimension for dimension in DIMENSIONS}

PRIVACY_EXPLANATION = N_(
    "You may describe yourself here so that your program can see whether the work weighs more on some groups "
    "of peers than on others: for example, whether peers of one race or ethnicity face more hard exposures, or "
    "carry bigger caseloads. Every question is optional, you can change or remove your answers at any time, and "
    "they are stored encrypted. Nobody sees your answers: not your supervisor, not your program lead, not an "
    "administrator. Your program lead sees only program-wide figures for a group, and only when the group has "
    "enough peers that no one can be picked out; a smaller group is shown as withheld, with the reason. Your "
    "supervisor never sees anything of this."
)


# --- the peer's own self-description -------------------------------------------------------------------------


def my_self_description(session: Session, *, actor: User) -> dict[str, str]:
    """The peer's answers, dimension key → option code; empty when they shared none."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    row = session.get(SelfDescription, actor.id)
    return dict(row.answers or {}) if row else {}


def save_self_description(session: Session, *, actor: User, answers: Mapping[str, str | None],
                          now: datetime | None = None) -> dict[str, str]:
    """Replace the peer's answers with `answers` (None or "" for a question left unanswered); with nothing
    answered, every answer is removed. The row stays, emptied, with the time of the removal: released equity
    figures need to know whose group may have changed since they were released (`groups_at_release`)."""
    authorize(session, actor=actor, action=Action.WRITE_OWN_WELLNESS, subject_id=actor.id)
    now = now or clock.now()
    problems = {}
    chosen: dict[str, str] = {}
    for key, code in answers.items():
        dimension = DIMENSION_BY_KEY.get(key)
        if dimension is None:
            problems[key] = _("There is no question {key}; answer only the questions shown.", key=repr(key))
        elif code:
            if code not in dict(dimension.options):
                problems[key] = _("{question}: choose one of the answers offered, or leave it unanswered.",
                                  question=dimension.shown_label())
            else:
                chosen[key] = code
    if problems:
        raise ValidationError(_("Your answers are not saved yet. {problems}", problems=" ".join(problems.values())),
                              problems=problems)
    row = session.get(SelfDescription, actor.id)
    if not chosen:
        if row is not None and row.answers:
            row.answers = {}
            row.updated_at = now
            session.add(row)
            audit.record(session, actor=actor, action="self_description_removed", subject_id=actor.id,
                         resource_type="self_description", resource_id=actor.id)
            session.commit()
        return {}
    if row is not None and dict(row.answers or {}) == chosen:
        return chosen
    row = row or SelfDescription(peer_id=actor.id)
    row.answers = chosen
    row.updated_at = now
    session.add(row)
    answered = ", ".join(DIMENSION_BY_KEY[key].label.lower() for key in chosen)
    audit.record(session, actor=actor, action="self_description_saved", subject_id=actor.id,
                 resource_type="self_description", resource_id=actor.id, detail=f"answered: {answered}")
    session.commit()
    return chosen


def remove_self_description(session: Session, *, actor: User) -> None:
    """Remove every answer the peer gave."""
    save_self_description(session, actor=actor, answers={})


# --- group figures ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeerBurden:
    """What one peer brings to the group figures for the period (nothing here is ever shown on its own)."""

    peer_id: int
    checkins: int = 0
    exposures: int = 0
    discrimination_checkins: int = 0
    high_band: Mapping[str, bool | None] = field(default_factory=dict, hash=False)
    """Scale → whether the peer's latest assessment in the period was in the high band (None: no score)."""
    caseload: int | None = None
    supportive_supervision: bool = False


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    """In English, marked for translation; it may name the {scale} of `scale`: show it with `title()`."""
    share: bool
    scale: str = ""

    def title(self) -> str:
        return _(self.label, scale=self.scale.lower()) if self.scale else _(self.label)


@dataclass(frozen=True)
class Figure:
    value: float | None
    reason: str | None

    @property
    def shown(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class GroupRow:
    group: str
    peers: Figure
    figures: dict[str, Figure] = field(hash=False)


@dataclass(frozen=True)
class GroupTable:
    dimension: str
    measures: tuple[Measure, ...]
    rows: tuple[GroupRow, ...]
    """Groups in the order offered, then the peers who shared no answer, then all peers."""

    @property
    def released_groups(self) -> tuple[str, ...]:
        return tuple(row.group for row in self.rows if row.peers.shown and row.group not in (NOT_DESCRIBED, ALL_PEERS))


def burden_measures(scales: Sequence[tuple[str, str]]) -> tuple[Measure, ...]:
    """The figures of the lens; `scales` are the (name, label) of the self-assessment's higher-is-worse scales."""
    return (
        Measure("exposures_per_checkin", N_("Hard exposures per check-in"), share=False),
        Measure("discrimination_share", N_("Check-ins reporting racism or discrimination"), share=True),
        *(Measure(f"high_{name}", N_("In the high {scale} band"), share=True, scale=label)
          for name, label in scales),
        Measure("median_caseload", N_("Median caseload"), share=False),
        Measure("supportive_supervision", N_("Had supportive supervision in the quarter"), share=True),
    )


def _contributes(measure: Measure, peer: PeerBurden) -> bool:
    if measure.key in ("exposures_per_checkin", "discrimination_share"):
        return peer.checkins > 0
    if measure.key.startswith("high_"):
        return peer.high_band.get(measure.key.removeprefix("high_")) is not None
    if measure.key == "median_caseload":
        return peer.caseload is not None
    return True


def _value(measure: Measure, peers: Sequence[PeerBurden]) -> float | None:
    behind = [peer for peer in peers if _contributes(measure, peer)]
    if not behind:
        return None
    if measure.key == "exposures_per_checkin":
        return round(sum(peer.exposures for peer in behind) / sum(peer.checkins for peer in behind), 2)
    if measure.key == "discrimination_share":
        return sum(peer.discrimination_checkins for peer in behind) / sum(peer.checkins for peer in behind)
    if measure.key.startswith("high_"):
        scale = measure.key.removeprefix("high_")
        return sum(1 for peer in behind if peer.high_band[scale]) / len(behind)
    if measure.key == "median_caseload":
        return float(statistics.median(peer.caseload for peer in behind if peer.caseload is not None))
    return sum(1 for peer in behind if peer.supportive_supervision) / len(behind)


def _status(measure: Measure, peer: PeerBurden) -> bool | None:
    """Whether the peer has the status a share of the measure counts (None: the measure counts no status)."""
    if measure.key == "discrimination_share":
        return peer.discrimination_checkins > 0
    if measure.key.startswith("high_"):
        return bool(peer.high_band.get(measure.key.removeprefix("high_")))
    if measure.key == "supportive_supervision":
        return peer.supportive_supervision
    return None


@dataclass(frozen=True)
class Cell:
    """One group's cell of one line before the rule: the peers behind it (None: withheld already, for `reason`),
    the count of them with the measure's status (None: the measure counts no status), the figure's value, and
    how many of the peers the viewer knows."""

    peers: int | None
    count: int | None = None
    value: float | None = None
    known: int = 0
    reason: str | None = None


PEERS_LINE = "peers"
"""The key of the line of group sizes, beside the measures' keys."""


def group_burden(
    *, dimension: Dimension, peers: Sequence[PeerBurden], groups: Mapping[int, str], k: int,
    known: frozenset[int], measures: tuple[Measure, ...],
) -> GroupTable:
    """The burden figures of one dimension's groups, the peers without an answer and all peers, from each peer's
    data: `groups` maps peer id → option code for those who answered, `known` are the viewer and the people they
    supervise (empty when the figures are released for the program). What is shown is decided by `decide`."""
    order = [*(code for code, _label in dimension.options), NOT_DESCRIBED]
    members: dict[str, list[PeerBurden]] = defaultdict(list)
    for peer in peers:
        members[groups.get(peer.peer_id, NOT_DESCRIBED)].append(peer)
    present = [group for group in order if members[group]]
    everyone = list(peers)

    def cell(pool: Sequence[PeerBurden], measure: Measure | None) -> Cell:
        behind = [peer for peer in pool if measure is None or _contributes(measure, peer)]
        seen = sum(1 for peer in behind if peer.peer_id in known)
        if measure is None:
            return Cell(len(behind), known=seen)
        statuses = [_status(measure, peer) for peer in behind]
        count = sum(1 for status in statuses if status) if statuses and None not in statuses else None
        return Cell(len(behind), count, _value(measure, pool), seen)

    lines: dict[str, dict[str, Cell]] = {}
    for key, measure in [(PEERS_LINE, None), *((measure.key, measure) for measure in measures)]:
        lines[key] = {group: cell(members[group], measure) for group in present}
        lines[key][ALL_PEERS] = cell(everyone, measure)
    return decide(dimension=dimension, lines=lines, k=k, measures=measures)


def decide(*, dimension: Dimension, lines: Mapping[str, Mapping[str, Cell]], k: int,
           measures: tuple[Measure, ...]) -> GroupTable:
    """The figures of one dimension under the one release rule (`scoring.release.view_groups`, a line of groups
    under all peers), from each line's cells: `lines[PEERS_LINE]` the group sizes, `lines[measure.key]` each
    measure's, keyed by option code, NOT_DESCRIBED and ALL_PEERS. Every figure needs k peers beyond the ones the
    viewer knows; complementary suppression across the groups and the total; a group withheld for its size is
    withheld in every measure; a share of peers with a status (high band, reported discrimination, supportive
    supervision) that would say the same of every member, or of none, is withheld.

    This is the only place the lens decides what is released: at release from the peers' data with nobody known
    (`group_burden`), and when a lead reads the released figures, from the stored cells with the people that lead
    knows (`console.program.equity_figures`).
    """
    order = [*(code for code, _label in dimension.options), NOT_DESCRIBED]
    sizes = lines[PEERS_LINE]
    present = [group for group in order if group in sizes]

    def part(key: str, cell: Cell, withheld: str | None, share: bool) -> rule.Part:
        known = min(cell.known, cell.peers) if cell.peers is not None else cell.known
        if withheld is not None or cell.peers is None:
            return rule.Part(key, None, known=known, reason=withheld or cell.reason)
        counts = (cell.count,) if share and cell.count is not None else ()
        return rule.Part(key, cell.peers, counts, known=known)

    def released(line: Mapping[str, Cell], withheld: Mapping[str, str], share: bool) -> dict[str, rule.Shown]:
        return rule.view_groups([part(group, line[group], withheld.get(group), share) for group in present],
                                program=part(ALL_PEERS, line[ALL_PEERS], withheld.get(ALL_PEERS), share), k=k)

    size_shown = released(sizes, {}, False)
    size_hidden = {group: str(shown.reason) for group, shown in size_shown.items() if not shown.released}
    figures: dict[str, dict[str, Figure]] = {group: {} for group in [*present, ALL_PEERS]}
    for measure in measures:
        line = lines[measure.key]
        cells = released(line, size_hidden, True)
        for group in [*present, ALL_PEERS]:
            value = line[group].value
            shown = cells[group]
            reason = shown.reason
            if reason is None and any(count.exact is None for count in shown.counts):
                reason = SAME_FOR_EVERYONE_REASON
            if reason is None and value is None:
                reason = NO_DATA_REASON
            figures[group][measure.key] = Figure(None if reason else value, reason)

    def size(group: str) -> Figure:
        return Figure(None, size_hidden[group]) if group in size_hidden else Figure(sizes[group].peers, None)

    rows = [GroupRow(NOT_DESCRIBED if group == NOT_DESCRIBED else dimension.label_of(group), size(group),
                     figures[group]) for group in present]
    rows.append(GroupRow(ALL_PEERS, size(ALL_PEERS), figures[ALL_PEERS]))
    return GroupTable(dimension.label, measures, tuple(rows))


@dataclass(frozen=True)
class EquityLens:
    """The lens as one lead sees it: the quarter released last (None before any quarter of the program closed)."""

    period_from: date | None
    period_to: date | None
    k: int
    tables: tuple[GroupTable, ...]


TOPIC_PREFIX = "equity"
NOT_DESCRIBED_KEY = "none"
ALL_PEERS_KEY = "program"


def topic(dimension: Dimension, line: str) -> str:
    """The released-figure topic of one dimension's line: its group sizes (`PEERS_LINE`) or a measure."""
    return f"{TOPIC_PREFIX}:{dimension.key}:{line}"


def group_key(group: str) -> str:
    """A released row's group key: the option code, `none` for the peers who shared no answer, `program` for all."""
    return {NOT_DESCRIBED: NOT_DESCRIBED_KEY, ALL_PEERS: ALL_PEERS_KEY}.get(group, group)


def group_of_key(key: str) -> str:
    return {NOT_DESCRIBED_KEY: NOT_DESCRIBED, ALL_PEERS_KEY: ALL_PEERS}.get(key, key)


def lens_scales(settings) -> list[tuple[str, str]]:
    """(name, label) of the self-assessment's higher-is-worse scales: the lens's share in the high band of each."""
    instrument = periodic_instrument(settings)
    return [(name, scale.label) for name, scale in instrument.scales.items() if not scale.higher_is_better]


def quarter_rows(session: Session, *, program_id: int, quarter: date, k: int) -> list[dict]:
    """The lens's figures of a closed quarter (its first day) for the whole program, as `ReleasedFigure` rows: for
    every dimension, its group sizes and each measure for every group present, the peers who shared no answer and
    all peers, decided by `group_burden` for nobody in particular. A row keeps what reading needs to apply the rule
    again for a viewer (`decide`): the peers behind the figure, the count of them with the measure's status, the
    value (in `median`), or only the reason when withheld. Stored with the quarter's last month (`release`)."""
    settings = read_settings(session)
    scales = lens_scales(settings)
    last = queries.after_months(quarter, 3) - timedelta(days=1)
    peers = _burdens(session, program_id=program_id, first=quarter, last=last, scales=[name for name, _ in scales])
    descriptions = {peer_id: answers for peer_id, (answers, _at) in _descriptions(
        session, [peer.peer_id for peer in peers]).items()}
    measures = burden_measures(scales)
    rows: list[dict] = []
    for dimension in DIMENSIONS:
        groups = {peer_id: answers[dimension.key] for peer_id, answers in descriptions.items()
                  if dimension.key in answers}
        rows += [{"program_id": program_id, "period_start": quarter, **cell}
                 for cell in released_cells(dimension=dimension, peers=peers, groups=groups, k=k, measures=measures)]
    return rows


def released_cells(*, dimension: Dimension, peers: Sequence[PeerBurden], groups: Mapping[int, str], k: int,
                   measures: tuple[Measure, ...]) -> list[dict]:
    """One dimension's released cells, as the columns of `ReleasedFigure` rows but their program and period."""
    table = group_burden(dimension=dimension, peers=peers, groups=groups, k=k, known=frozenset(), measures=measures)
    members: dict[str, list[PeerBurden]] = defaultdict(list)
    for peer in peers:
        members[groups.get(peer.peer_id, NOT_DESCRIBED)].append(peer)
    members[ALL_PEERS] = list(peers)
    by_label = {NOT_DESCRIBED: NOT_DESCRIBED, ALL_PEERS: ALL_PEERS, **{label: code for code, label in dimension.options}}
    cells: list[dict] = []
    for row in table.rows:
        group = by_label[row.group]
        lines: list[tuple[str, Figure, Measure | None]] = [(PEERS_LINE, row.peers, None)]
        lines += [(measure.key, row.figures[measure.key], measure) for measure in measures]
        for line, figure, measure in lines:
            behind = [peer for peer in members[group] if measure is None or _contributes(measure, peer)]
            statuses = [] if measure is None else [_status(measure, peer) for peer in behind]
            count = sum(1 for status in statuses if status) if statuses and None not in statuses else None
            shown = figure.shown
            cells.append({
                "topic": topic(dimension, line), "group_key": group_key(group), "group_label": row.group,
                "team_ids": frozenset(), "released": shown, "reason": figure.reason,
                "peers": len(behind) if shown else None, "count_a": count if shown else None, "count_b": None,
                "a_low": count if shown else None, "a_high": count if shown else None, "b_low": None, "b_high": None,
                "median": figure.value if shown and measure is not None else None, "q1": None, "q3": None,
            })
    return cells


def _descriptions(session: Session, peer_ids: Sequence[int]) -> dict[int, tuple[dict[str, str], datetime]]:
    """Peer id → (answers, when they last changed) of those with a self-description (answers may be empty: a
    removed one)."""
    if not peer_ids:
        return {}
    return {row.peer_id: (dict(row.answers or {}), row.updated_at) for row in session.exec(
        select(SelfDescription).where(col(SelfDescription.peer_id).in_(sorted(peer_ids))))}


def groups_at_release(session: Session, *, peer_ids: Sequence[int], released_at: datetime
                      ) -> dict[int, dict[str, str] | None]:
    """For each of `peer_ids`: their answers as they stood when a quarter was released (dimension key → option
    code, empty when they shared none), or None when they changed since, so that their group then is not known.

    A self-description is never deleted, only emptied (`save_self_description`), so one changed after the release
    shows by its `updated_at`; a peer without one who removed one before emptied rows were kept is found by
    the removal in the audit trail."""
    result: dict[int, dict[str, str] | None] = {}
    stored = _descriptions(session, peer_ids)
    missing = [peer_id for peer_id in peer_ids if peer_id not in stored]
    removed_since = set(session.exec(
        select(AuditEvent.subject_id).where(col(AuditEvent.subject_id).in_(missing),
                                            col(AuditEvent.action).in_(["self_description_saved",
                                                                        "self_description_removed"]),
                                            col(AuditEvent.at) > released_at)
    ).all()) if missing else set()
    for peer_id in peer_ids:
        if peer_id in stored:
            answers, updated_at = stored[peer_id]
            result[peer_id] = answers if _aware(updated_at) <= _aware(released_at) else None
        else:
            result[peer_id] = None if peer_id in removed_since else {}
    return result


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _codes(codes: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(codes))


def _burdens(session: Session, *, program_id: int, first: date, last: date, scales: Sequence[str]
             ) -> list[PeerBurden]:
    """Each peer on a team of the program during the period, with what they bring to the figures."""
    peer_ids = sorted(set(session.exec(
        select(User.id).join(TeamMembership, col(TeamMembership.user_id) == User.id)
        .where(User.program_id == program_id, has_tag(col(User.roles), "peer", vocabulary=ROLES),
               TeamMembership.started_on <= last,
               (col(TeamMembership.ended_on).is_(None)) | (col(TeamMembership.ended_on) >= first))
    ).all()))
    checkins: dict[int, list[tuple[tuple[str, ...], int | None]]] = defaultdict(list)
    for peer_id, exposure_codes, caseload in session.exec(
        select(col(PulseCheckin.peer_id), col(PulseCheckin.exposures), col(PulseCheckin.caseload))
        .join(User, col(User.id) == PulseCheckin.peer_id)
        .where(User.program_id == program_id, PulseCheckin.week_start >= first, PulseCheckin.week_start <= last)
        .order_by(col(PulseCheckin.week_start))
    ):
        checkins[peer_id].append((_codes(exposure_codes), caseload))
    bands: dict[int, dict[str, bool]] = defaultdict(dict)
    for peer_id, scale, band in session.exec(
        select(AssessmentScore.peer_id, AssessmentScore.scale, AssessmentScore.band)
        .join(User, col(User.id) == AssessmentScore.peer_id)
        .where(User.program_id == program_id, col(AssessmentScore.scale).in_(list(scales)),
               col(AssessmentScore.band).is_not(None),
               col(AssessmentScore.taken_at) >= queries.start_of_day(first),
               col(AssessmentScore.taken_at) < queries.start_of_day(last + timedelta(days=1)))
        .order_by(col(AssessmentScore.taken_at))
    ):
        bands[peer_id][scale] = band == BAND_CODES["high"]
    supported = set(session.exec(
        select(SessionAttendee.peer_id).join(SupervisionSession, col(SupervisionSession.id) == SessionAttendee.session_id)
        .join(User, col(User.id) == SessionAttendee.peer_id)
        .where(User.program_id == program_id, SupervisionSession.held_on >= first, SupervisionSession.held_on <= last,
               SupervisionSession.minutes_supportive > 0)
    ).all())
    result = []
    for peer_id in peer_ids:
        pulses = checkins.get(peer_id, [])
        exposures = [codes for codes, _caseload in pulses]
        caseloads = [caseload for _codes, caseload in pulses if caseload is not None]
        result.append(PeerBurden(
            peer_id=peer_id,
            checkins=len(pulses),
            exposures=sum(len(codes) for codes in exposures),
            discrimination_checkins=sum(1 for codes in exposures if DISCRIMINATION_EXPOSURE in codes),
            high_band={scale: bands[peer_id].get(scale) for scale in scales},
            caseload=caseloads[-1] if caseloads else None,
            supportive_supervision=peer_id in supported,
        ))
    return result
