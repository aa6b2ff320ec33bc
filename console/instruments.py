"""The program's periodic self-assessment instrument and the program-wide figures its scoring needs."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, and_, col, func, select

import scoring
from console.program_settings import ProgramSettings
from db.models import BAND_CODES, Assessment, AssessmentScore, User

BAND_NAMES = {code: name for name, code in BAND_CODES.items()}


def periodic_instrument(program_settings: ProgramSettings) -> scoring.Instrument:
    extra = [Path(program_settings.instruments_folder)] if program_settings.instruments_folder else []
    return scoring.load_instrument(program_settings.assessment_instrument, extra_dirs=extra)


_baseline_cache: dict[tuple[str, int | None], tuple[tuple[int, int | None], dict[str, float | None]]] = {}


def program_baseline_sds(session: Session, *, program_id: int | None) -> dict[str, float | None]:
    """Per scale, the SD of each peer's first score in the program (`scoring.baseline_sd`), for reliable change.

    It reads every peer's first assessment, so the result is kept until the assessments change
    (their count and newest id, read from the database, so every replica sees the same change).
    """
    assessments_version = tuple(session.exec(select(func.count(), func.max(Assessment.id))).one())
    cache_key = (session.get_bind().url.render_as_string(hide_password=True), program_id)
    cached = _baseline_cache.get(cache_key)
    if cached is not None and cached[0] == assessments_version:
        return cached[1]
    first = (
        select(AssessmentScore.peer_id, AssessmentScore.scale, func.min(AssessmentScore.taken_at).label("first_at"))
        .join(User, col(User.id) == AssessmentScore.peer_id)
        .where(User.program_id == program_id)
        .group_by(AssessmentScore.peer_id, AssessmentScore.scale)
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
