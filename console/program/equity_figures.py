"""The equity lens as a lead of the whole program reads it: the figures released when the last quarter closed.

The figures of a quarter are computed once, for nobody in particular, when its last month is released
(`equity.quarter_rows`, called by `release`), and stored as `ReleasedFigure` rows. Reading applies the lens's
rule again (`equity.decide`) for the viewer, which can only withhold more: the viewer's own data and the people
they supervise or supervised never count toward k. Which group such a person was in when the quarter was released
is known only when their self-description has not changed since; otherwise they are counted as known in every
group of the question. A threshold raised since the release withholds more; a lowered one shows no more than
was released. See docs/release.md, "The equity lens".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from console.core import clock
from console.core.errors import ValidationError
from console.core.i18n import _
from console.core.program_settings import read_settings
from console.policy.access import Action, authorize, people_known_to
from console.program import equity, release
from db import queries
from db.models import FigureRelease, ReleasedFigure, User, table_of


def equity_lens(session: Session, *, actor: User, on: date) -> equity.EquityLens:
    """Burden figures by self-described group for the quarter released last, program-wide, for a lead who covers
    the whole program; no quarter (and no tables) before the program's first quarter closed."""
    authorize(session, actor=actor, action=Action.VIEW_EQUITY_LENS)
    if actor.program_id is None:
        raise ValidationError(_("Your account belongs to no program; ask an administrator to add it to one."))
    program_id = actor.program_id
    on = min(on, clock.today())
    release.ensure_released(session, program_id=program_id, on=on)
    settings = read_settings(session)
    marker = _latest_quarter_release(session, program_id=program_id, on=on)
    if marker is None:
        return equity.EquityLens(None, None, settings.anonymity_k, ())
    quarter = release.quarter_of(marker.period_start)
    rows = _equity_rows(session, program_id=program_id, quarter=quarter)
    k = max(settings.anonymity_k, marker.k)
    last = queries.after_months(quarter, release.QUARTER_SPAN) - timedelta(days=1)
    then = _known_groups(session, program_id=program_id, actor=actor, first=quarter, last=last,
                         released_at=marker.released_at)
    by_topic: dict[str, dict[str, sa.Row]] = defaultdict(dict)
    for row in rows:
        by_topic[row.topic][row.group_key] = row
    measures = tuple(measure for measure in equity.burden_measures(equity.lens_scales(settings))
                     if all(equity.topic(dimension, measure.key) in by_topic for dimension in equity.DIMENSIONS))
    tables = [table for dimension in equity.DIMENSIONS
              if (table := viewer_table(dimension, by_topic, then=then, k=k, measures=measures)) is not None]
    return equity.EquityLens(quarter, last, k, tuple(tables))


def viewer_table(
    dimension: equity.Dimension, by_topic: Mapping[str, Mapping[str, Any]], *,
    then: Mapping[int, Mapping[str, str] | None], k: int, measures: tuple[equity.Measure, ...],
) -> equity.GroupTable | None:
    """One dimension's released cells (topic → group key → row) as a viewer sees them, the rule applied again by
    `equity.decide` with the people the viewer knows: `then` maps each of them to their answers at the release,
    or None when those may have changed since. None when the dimension has no released cells."""
    sizes = by_topic.get(equity.topic(dimension, equity.PEERS_LINE), {})
    if equity.ALL_PEERS_KEY not in sizes:
        return None
    known = _known_in(dimension, then, [equity.group_of_key(key) for key in sizes])
    lines = {
        line: {equity.group_of_key(key): _cell(row, known[equity.group_of_key(key)])
               for key, row in by_topic.get(equity.topic(dimension, line), {}).items()}
        for line in [equity.PEERS_LINE, *(measure.key for measure in measures)]
    }
    return equity.decide(dimension=dimension, lines=lines, k=k, measures=measures)


def _latest_quarter_release(session: Session, *, program_id: int, on: date) -> FigureRelease | None:
    """The release of the last month of the latest quarter that closed before `on`, if that month is released."""
    return next((marker for marker in session.exec(
        select(FigureRelease).where(FigureRelease.program_id == program_id, FigureRelease.period_start < on.replace(day=1))
        .order_by(col(FigureRelease.period_start).desc())
    ) if release.closes_quarter(marker.period_start)), None)


def _equity_rows(session: Session, *, program_id: int, quarter: date) -> list[sa.Row]:
    table = table_of(ReleasedFigure)
    return list(session.execute(select(*table.c).where(
        table.c.program_id == program_id, table.c.period_start == quarter,
        table.c.topic.startswith(f"{equity.TOPIC_PREFIX}:"),
    )).all())


def _known_groups(
    session: Session, *, program_id: int, actor: User, first: date, last: date, released_at: datetime,
) -> dict[int, dict[str, str] | None]:
    """The people the viewer knows (`people_known_to`) who were placed on a team of the program in the quarter,
    with their answers when the quarter was released, or None when those may have changed since."""
    related = people_known_to(session, actor=actor)
    placed = sorted({user_id for user_id, _team_id, started_on, ended_on
                     in queries.memberships_of(session, program_id=program_id, user_ids=related)
                     if started_on <= last and (ended_on is None or ended_on >= first)})
    return equity.groups_at_release(session, peer_ids=placed, released_at=released_at)


def _known_in(dimension: equity.Dimension, then: Mapping[int, Mapping[str, str] | None], groups: list[str]
              ) -> dict[str, int]:
    """How many known people to count in each group of a dimension: each in the group they were in at the
    release, or in every group when that may have changed. All peers counts each of them once per group they are
    counted in, so that what a line's shown figures leave over never rests on fewer known people than it did."""
    parts = [group for group in groups if group != equity.ALL_PEERS]
    known: dict[str, int] = dict.fromkeys(groups, 0)
    for answers in then.values():
        counted_in = parts if answers is None else [answers.get(dimension.key, equity.NOT_DESCRIBED)]
        for group in counted_in:
            if group in known:
                known[group] += 1
        known[equity.ALL_PEERS] = known.get(equity.ALL_PEERS, 0) + max(1, len(counted_in))
    return known


def _cell(row: Any, known: int) -> equity.Cell:
    if not row.released:
        return equity.Cell(None, known=known, reason=row.reason)
    return equity.Cell(row.peers, row.count_a, row.median, known)
