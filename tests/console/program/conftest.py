"""Shared builders for the program lead's figures."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from console.core.program_settings import write_settings
from console.program import release
from db.engine import session_scope
from db.models import User
from tests.console.program.test_program import add_peers, add_team, overdose_peers

Teams = tuple[list[User], list[User], list[User]]
"""Overdose response's peers, Reentry's, and a third team's."""


def three_team_program(session: Session, world, *, overdose: int, reentry: int, third: tuple[str, int],
                       k: int | None = None, prefixes: tuple[str, str] = ("overdose", "reentry")) -> Teams:
    """A program of three teams for the lead's figures: `overdose=8, reentry=7, third=("Small", 2), k=3` grows
    the world's Overdose response (three peers) to 8 peers and its Reentry (one) to 7, adds a team "Small" of
    2, and sets the anonymity threshold to 3 (k=None keeps the program's own). New peers are named after
    `prefixes` and the third team."""
    if k is not None:
        write_settings(session, actor=world.admin, changes={"anonymity_k": k}, on=world.today)
    existing_overdose, existing_reentry = overdose_peers(world), [world.other_peer]
    overdose_team = [*existing_overdose,
                     *add_peers(session, world, world.team, overdose - len(existing_overdose), prefixes[0])]
    reentry_team = [*existing_reentry,
                    *add_peers(session, world, world.other_team, reentry - len(existing_reentry), prefixes[1])]
    name, size = third
    return overdose_team, reentry_team, add_peers(session, world, add_team(session, world, name), size, name.lower())


def release_together(engine: Engine, monkeypatch: pytest.MonkeyPatch, *, on: date,
                     step: str = "_release_month") -> list[release.ReleasedMonth]:
    """`release_due` run by two sessions at once, both held at the first month's `step` (`_release_month` or
    `_upgrade_month`) until the other has reached it too; what both released, together."""
    barrier = threading.Barrier(2, timeout=30)
    real = getattr(release, step)
    first = threading.local()

    def together(session: Session, **arguments):
        if not getattr(first, "seen", False):
            first.seen = True
            barrier.wait()
        return real(session, **arguments)

    monkeypatch.setattr(release, step, together)

    def run(_: int) -> list[release.ReleasedMonth]:
        with session_scope(engine) as own:
            return release.release_due(own, on=on)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return [month for result in pool.map(run, range(2)) for month in result]
