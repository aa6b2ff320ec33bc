"""Pure scoring engine: instruments as data, scores, change, flags and team aggregates.

Imports only the standard library; reads nothing but instrument files.
"""

from scoring.aggregates import (
    CountCell,
    CountTable,
    GroupAggregate,
    PeerValue,
    ShownCount,
    suppress_counts,
    team_aggregates,
)
from scoring.change import Change, assess_change, baseline_sd, reliable_change, trend_per_month
from scoring.errors import InstrumentError, ScoringError
from scoring.flags import (
    ActionItemInput,
    AssessmentInput,
    Flag,
    FlagSettings,
    PulseInput,
    SessionInput,
    supervision_flags,
    urgency,
)
from scoring.instrument import BANDS, ChecklistOption, FieldSpec, Instrument, Item, ResponseScale, Scale
from scoring.loader import list_instruments, load_instrument, load_instrument_file, parse_instrument
from scoring.pulse import PulseBaseline, pulse_baseline, pulse_strain
from scoring.results import ScaleScore, ScoreResult
from scoring.scores import check_answers, score
from scoring.supervision import FUNCTIONS, Balance, SessionMinutes, supervision_balance

__all__ = [
    "BANDS",
    "FUNCTIONS",
    "ActionItemInput",
    "AssessmentInput",
    "Balance",
    "Change",
    "ChecklistOption",
    "CountCell",
    "CountTable",
    "FieldSpec",
    "Flag",
    "FlagSettings",
    "GroupAggregate",
    "Instrument",
    "InstrumentError",
    "Item",
    "PeerValue",
    "PulseBaseline",
    "PulseInput",
    "ResponseScale",
    "Scale",
    "ScaleScore",
    "ScoreResult",
    "ScoringError",
    "SessionInput",
    "SessionMinutes",
    "ShownCount",
    "assess_change",
    "baseline_sd",
    "check_answers",
    "list_instruments",
    "load_instrument",
    "load_instrument_file",
    "parse_instrument",
    "pulse_baseline",
    "pulse_strain",
    "reliable_change",
    "score",
    "suppress_counts",
    "supervision_balance",
    "supervision_flags",
    "team_aggregates",
    "trend_per_month",
    "urgency",
]
