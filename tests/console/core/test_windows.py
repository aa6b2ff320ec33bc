"""A window or threshold gives the same answer on every page: prep flags and the supervisor's load page count from
`scoring`'s definitions and the program's settings; the lead's pages read released figures of closed periods,
with the same caseload guideline."""

from __future__ import annotations

from datetime import timedelta

import pytest

from console.core.program_settings import write_settings
from console.program.workload_figures import workload
from console.supervision.shared_view import view_for_supervisor
from console.supervision.supervisor_week import supervision_load
from tests.console.program.test_program import add_pulse, add_session


def _pages(session, world):
    """(flag codes for world.peer, on the supervisor's load page without supportive)."""
    flags = {flag.code for flag in view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id,
                                                          on=world.today).flags}
    load = supervision_load(session, actor=world.supervisor, on=world.today)
    return flags, world.peer.id in {gap.peer_id for gap in load.without_supportive}


@pytest.mark.parametrize("days_ago", [13, 14, 15, 27, 28, 29])
def test_a_session_n_days_ago_gets_the_same_answer_on_every_page(session, world, days_ago):
    add_session(session, world.supervisor, [world.peer], world.today - timedelta(days=days_ago), minutes=(10, 10, 10))
    flags, on_load_page = _pages(session, world)
    supervised = days_ago <= 14
    supported = days_ago <= 28
    assert ("no_recent_supervision" not in flags) is supervised
    assert ("no_supportive_supervision" not in flags) is supported
    assert on_load_page is not supported


def test_changed_supervision_windows_move_every_page_together(session, world):
    add_session(session, world.supervisor, [world.peer], world.today - timedelta(days=10), minutes=(10, 10, 10))
    write_settings(session, actor=world.admin, changes={"supervision_gap_days": 7, "supportive_gap_days": 9},
                   on=world.today)
    flags, on_load_page = _pages(session, world)
    assert {"no_recent_supervision", "no_supportive_supervision"} <= flags
    assert on_load_page


def test_the_caseload_guideline_is_one_setting_for_flags_and_lead_pages(session, world):
    add_pulse(session, world.peer, world.today, caseload=26)
    write_settings(session, actor=world.admin, changes={"caseload_guideline_min": 10, "caseload_guideline_max": 25},
                   on=world.today)
    flags = {flag.code for flag in view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id,
                                                          on=world.today).flags}
    assert "caseload_above_guideline" in flags
    result = workload(session, actor=world.lead, on=world.today)
    assert result.caseload_guideline == (10, 25)


