"""The equity lens: a peer's optional self-description, and program-wide burden figures by self-described group.

A peer may describe themselves on four dimensions, each optional, changeable and removable; the answers are
stored encrypted and shown to nobody, not even in part: they are only ever counted into group figures that a
lead of the whole program sees. Those figures pass through one function, `group_burden`, which applies the
one release rule of lead figures, `scoring.release` (at least k peers beyond the viewer and the people they
supervise, complementary suppression across the groups of a dimension and its total, no share of peers that
says the same of every member of a group, or of none). Figures are for the latest complete calendar quarter, a fixed
period, so two readings a month apart describe the same quarter.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from console.core import audit, clock
from console.core.errors import ValidationError
from console.core.i18n import N_, _
from console.core.program_settings import read_settings
from console.policy.access import Action, authorize, people_known_to
from console.wellness.instruments import periodic_instrument
from db import queries
from db.columns import has_tag
from db.models import (
    BAND_CODES,
    ROLES,
    AssessmentScore,
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
    answered, the stored self-description is removed."""
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
        if row is not None:
            session.delete(row)
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


def group_burden(
    *, dimension: Dimension, peers: Sequence[PeerBurden], groups: Mapping[int, str], k: int,
    known: frozenset[int], measures: tuple[Measure, ...],
) -> GroupTable:
    """The burden figures of one dimension's groups, the peers without an answer and all peers, under the one
    release rule (`scoring.release.view_groups`, a line of groups under all peers): every figure needs k peers
    beyond `known` (the viewer and the people they supervise); complementary suppression across the groups and
    the total; a share of peers with a status (high band, reported discrimination, supportive supervision) that
    would say the same of every member, or of none, is withheld. `groups` maps peer id → option code for those
    who answered.

    This is the only place the lens decides what is released.
    """
    order = [*(code for code, _label in dimension.options), NOT_DESCRIBED]
    members: dict[str, list[PeerBurden]] = defaultdict(list)
    for peer in peers:
        members[groups.get(peer.peer_id, NOT_DESCRIBED)].append(peer)
    present = [group for group in order if members[group]]
    everyone = list(peers)

    def part(key: str, behind: Sequence[PeerBurden], measure: Measure | None, withheld: str | None) -> rule.Part:
        seen = sum(1 for peer in behind if peer.peer_id in known)
        if withheld is not None:
            return rule.Part(key, None, known=seen, reason=withheld)
        statuses = [] if measure is None else [_status(measure, peer) for peer in behind]
        counts = (sum(1 for status in statuses if status),) if statuses and None not in statuses else ()
        return rule.Part(key, len(behind), counts, known=seen)

    def released(withheld: Mapping[str, str], measure: Measure | None) -> dict[str, rule.Shown]:
        def behind(group: str) -> list[PeerBurden]:
            pool = everyone if group == ALL_PEERS else members[group]
            return [peer for peer in pool if measure is None or _contributes(measure, peer)]

        return rule.view_groups([part(group, behind(group), measure, withheld.get(group)) for group in present],
                                program=part(ALL_PEERS, behind(ALL_PEERS), measure, withheld.get(ALL_PEERS)), k=k)

    sizes = released({}, None)
    size_hidden = {group: str(shown.reason) for group, shown in sizes.items() if not shown.released}
    figures: dict[str, dict[str, Figure]] = {group: {} for group in [*present, ALL_PEERS]}
    for measure in measures:
        cells = released(size_hidden, measure)
        for group in [*present, ALL_PEERS]:
            value = _value(measure, everyone if group == ALL_PEERS else members[group])
            shown = cells[group]
            reason = shown.reason
            if reason is None and any(count.exact is None for count in shown.counts):
                reason = SAME_FOR_EVERYONE_REASON
            if reason is None and value is None:
                reason = NO_DATA_REASON
            figures[group][measure.key] = Figure(None if reason else value, reason)

    rows = [
        GroupRow(NOT_DESCRIBED if group == NOT_DESCRIBED else dimension.label_of(group),
                 Figure(None, size_hidden[group]) if group in size_hidden else Figure(len(members[group]), None),
                 figures[group])
        for group in present
    ]
    rows.append(GroupRow(ALL_PEERS, Figure(None, size_hidden[ALL_PEERS]) if ALL_PEERS in size_hidden
                         else Figure(len(everyone), None), figures[ALL_PEERS]))
    return GroupTable(dimension.label, measures, tuple(rows))


@dataclass(frozen=True)
class EquityLens:
    period_from: date
    period_to: date
    k: int
    tables: tuple[GroupTable, ...]


def latest_complete_quarter(on: date) -> tuple[date, date]:
    """First and last day of the calendar quarter before the one `on` falls in."""
    this_quarter = date(on.year, 3 * ((on.month - 1) // 3) + 1, 1)
    last_day = this_quarter - timedelta(days=1)
    return date(last_day.year, 3 * ((last_day.month - 1) // 3) + 1, 1), last_day


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


def equity_lens(session: Session, *, actor: User, on: date) -> EquityLens:
    """Burden figures by self-described group for the latest complete quarter, program-wide, for a lead who
    covers the whole program."""
    authorize(session, actor=actor, action=Action.VIEW_EQUITY_LENS)
    if actor.program_id is None:
        raise ValidationError(_("Your account belongs to no program; ask an administrator to add it to one."))
    settings = read_settings(session)
    instrument = periodic_instrument(settings)
    scales = [(name, scale.label) for name, scale in instrument.scales.items() if not scale.higher_is_better]
    first, last = latest_complete_quarter(min(on, clock.today()))
    peers = _burdens(session, program_id=actor.program_id, first=first, last=last, scales=[name for name, _label in scales])
    descriptions = {row.peer_id: row.answers or {} for row in session.exec(
        select(SelfDescription).where(col(SelfDescription.peer_id).in_([peer.peer_id for peer in peers])))}
    known = people_known_to(session, actor=actor)
    measures = burden_measures(scales)
    tables = tuple(
        group_burden(dimension=dimension, peers=peers, k=settings.anonymity_k, known=known, measures=measures,
                     groups={peer_id: answers[dimension.key] for peer_id, answers in descriptions.items()
                             if dimension.key in answers})
        for dimension in DIMENSIONS
    )
    return EquityLens(first, last, settings.anonymity_k, tables)
