"""The program's periodic self-assessment instrument and the program-wide figures its scoring needs."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, and_, col, func, select

import scoring
from console.core import i18n
from console.core.errors import SettingUnusable
from console.core.i18n import _
from console.core.logs import logger
from console.core.program_settings import WHERE_TO_FIX, ProgramSettings
from db.models import BAND_CODES, Assessment, AssessmentScore, User

BAND_NAMES = {code: name for name, code in BAND_CODES.items()}


def periodic_instrument(program_settings: ProgramSettings) -> scoring.Instrument:
    """The configured self-assessment in the current language, or SettingUnusable when the stored setting no
    longer loads (a file removed since it was saved): the pages that need it say so, and the rest go on working."""
    extra = [Path(program_settings.instruments_folder)] if program_settings.instruments_folder else []
    try:
        instrument = scoring.load_instrument(program_settings.assessment_instrument, extra_dirs=extra)
    except (scoring.ScoringError, OSError, RecursionError) as error:
        logger.warning("setting_unusable setting=assessment_instrument problem=%s", type(error).__name__)
        raise SettingUnusable(_(
            "The self-assessment set on Program settings ({instrument}) cannot be loaded right now, so this part is "
            "not available. {where_to_fix}", instrument=program_settings.assessment_instrument, where_to_fix=WHERE_TO_FIX,
        )) from error
    if not instrument.scales:
        raise SettingUnusable(_("The self-assessment set on Program settings ({instrument}) has nothing to score, so "
                                "this part is not available. {where_to_fix}", instrument=instrument.id,
                                where_to_fix=WHERE_TO_FIX))
    return instrument.in_language(i18n.current_language())


_baseline_cache: dict[tuple[str, int | None], tuple[tuple[int, ...], dict[str, float | None]]] = {}


def program_baseline_sds(session: Session, *, program_id: int | None) -> dict[str, float | None]:
    """Per scale, the SD of each peer's first score in the program (`scoring.baseline_sd`), for reliable change.

    It reads every peer's first assessment, so the result is kept until the assessments change
    (their count and newest id, read from the database, so every replica sees the same change).
    """
    assessments_version = tuple(session.exec(select(func.count(), func.max(Assessment.id))).one())
    cache_key = (session.get_bind().engine.url.render_as_string(hide_password=True), program_id)
    cached = _baseline_cache.get(cache_key)
    if cached is not None and cached[0] == assessments_version:
        return cached[1]
    first = (
        select(AssessmentScore.peer_id, AssessmentScore.scale, func.min(AssessmentScore.taken_at).label("first_at"))
        .join(User, col(User.id) == AssessmentScore.peer_id)
        .where(User.program_id == program_id)
        .group_by(col(AssessmentScore.peer_id), col(AssessmentScore.scale))
        .subquery()
    )
    rows = session.exec(
        select(AssessmentScore.scale, AssessmentScore.raw).join(
            first,
            and_(AssessmentScore.peer_id == first.c.peer_id, AssessmentScore.scale == first.c.scale,
                 AssessmentScore.taken_at == first.c.first_at),
        )
    ).all()
    by_scale: dict[str, list[float | None]] = {}
    for scale, raw in rows:
        by_scale.setdefault(scale, []).append(raw)
    result = {scale: scoring.baseline_sd(values) for scale, values in by_scale.items()}
    _baseline_cache[cache_key] = (assessments_version, result)
    return result
