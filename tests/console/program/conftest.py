"""Shared builders for the program lead's figures."""

from __future__ import annotations

from sqlmodel import Session

from console.core.program_settings import write_settings
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
