"""Pure scoring engine: instruments as data, scores, change, flags and the release rule for lead figures.

Imports only the standard library; reads nothing but instrument files.
"""

from scoring.balance import BALANCE_WINDOW_DAYS, FUNCTIONS, Balance, SessionMinutes, supervision_balance
from scoring.change import Change, assess_change, baseline_sd, reliable_change, trend_per_month
from scoring.errors import InstrumentError, ScoringError
from scoring.flags import (
    ActionItemInput,
    AssessmentInput,
    Flag,
    FlagSettings,
    HardCallInput,
    PulseInput,
    SessionInput,
    debrief_due,
    supervision_flags,
    urgency,
)
from scoring.instrument import BANDS, ChecklistOption, FieldSpec, Instrument, Item, ResponseScale, Scale
from scoring.loader import list_instruments, load_instrument, load_instrument_file, parse_instrument
from scoring.pulse import (
    PulseBaseline,
    StrainReading,
    StrainSettings,
    pulse_baseline,
    pulse_strain,
    strain_reading,
    weekly_slope,
)
from scoring.release import (
    Count,
    Part,
    Shown,
    Table,
    TableCell,
    TableCount,
    pool_teams,
    release_groups,
    release_line,
    release_table,
    view_groups,
    view_table,
)
from scoring.results import ScaleScore, ScoreResult
from scoring.scores import check_answers, score
from scoring.windows import gap_cutoff, gap_exceeded, window_start

__all__ = [
    "BALANCE_WINDOW_DAYS",
    "BANDS",
    "FUNCTIONS",
    "ActionItemInput",
    "AssessmentInput",
    "Balance",
    "Change",
    "Count",
    "ChecklistOption",
    "FieldSpec",
    "Flag",
    "FlagSettings",
    "HardCallInput",
    "Instrument",
    "InstrumentError",
    "Item",
    "Part",
    "PulseBaseline",
    "PulseInput",
    "ResponseScale",
    "Scale",
    "ScaleScore",
    "ScoreResult",
    "ScoringError",
    "SessionInput",
    "SessionMinutes",
    "Shown",
    "Table",
    "TableCell",
    "TableCount",
    "StrainReading",
    "StrainSettings",
    "assess_change",
    "baseline_sd",
    "check_answers",
    "gap_cutoff",
    "gap_exceeded",
    "list_instruments",
    "load_instrument",
    "load_instrument_file",
    "parse_instrument",
    "pool_teams",
    "pulse_baseline",
    "pulse_strain",
    "release_groups",
    "release_line",
    "release_table",
    "reliable_change",
    "score",
    "strain_reading",
    "supervision_balance",
    "debrief_due",
    "supervision_flags",
    "trend_per_month",
    "urgency",
    "view_groups",
    "view_table",
    "weekly_slope",
    "window_start",
]
