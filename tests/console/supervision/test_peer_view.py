"""What a supervisor sees of one peer, level by level: the confidentiality traps of the supervisor pages."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from console.core.dates import week_start
from console.core.errors import PermissionDenied
from console.supervision.shared_view import (
    COMPLETION_FLAGS,
    STRAIN_PERIOD_WEEKS,
    preview_for_peer,
    strain_period,
    view_for_supervisor,
)
from console.supervision.supervisor_week import NO_SUCH_REQUEST, acknowledge_reach_out
from console.web import charts
from db.models import AuditEvent, ReachOutRequest, SharingPreference
from tests.conftest import clock_on
from tests.supervision_data import (
    RAW_NUMBERS,
    RAW_SCORES,
    SHARED_NOTE,
    WEEKLY_STRAINS,
    add_action_item,
    add_pulse,
    add_reach_out,
    add_session_row,
    add_wellness_history,
    at,
)


def _leaked_numbers(*texts: str) -> list[str]:
    return [number for number in RAW_NUMBERS if any(number in text for text in texts)]


def _chart_data(view) -> str:
    built = [charts.scale_trend(view.assessments, scales=view.scales, show_scores=view.shows_scores)]
    if view.strain_trend:
        built.append(charts.strain_trend(view.strain_trend, baseline=None))
    return json.dumps([chart.to_dict() for chart in built])


@pytest.fixture
def histories(session, world):
    for peer in (world.peer, world.peer_scores, world.peer_completion):
        add_wellness_history(session, peer, today=world.today)
    return world


def _nothing_of_wellness(view) -> None:
    assert view.assessments is None and view.changes is None and view.pulse_weeks is None
    assert view.strain_average is None and view.exposure_counts is None and view.strain_trend is None
    assert view.trend_lines() == () and view.exposure_lines() == ()
    assert not any(flag.code.startswith(("high_", "low_", "reliable_", "unusual_", "recent_")) for flag in view.flags)


def test_an_administrative_only_supervisor_sees_completion_and_workload_only(session, histories):
    world = histories
    add_reach_out(session, world.peer_scores, on=world.today)
    view = view_for_supervisor(session, actor=world.admin_supervisor, peer_id=world.peer_scores.id, on=world.today)
    assert view.administrative_only and view.level == "completion"
    _nothing_of_wellness(view)
    assert view.shared_notes == () and view.shared_plan is None and view.reach_outs == ()
    assert not view.wants_to_talk
    assert view.completion.weeks_checked_in == 3 and view.latest_caseload == 33
    assert {flag.code for flag in view.flags} == {"caseload_above_guideline", "no_recent_supervision"}
    assert _leaked_numbers(repr(view)) == [] and SHARED_NOTE not in repr(view)


def test_the_completion_level_hides_bands(session, histories):
    world = histories
    view = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer_completion.id, on=world.today)
    assert view.level == "completion" and not view.administrative_only
    _nothing_of_wellness(view)
    assert {flag.code for flag in view.flags} <= COMPLETION_FLAGS
    assert "band" not in " ".join(str(flag.reason) for flag in view.flags)
    assert _leaked_numbers(repr(view)) == []
    assert [note.text for note in view.shared_notes] == [SHARED_NOTE]


def test_the_bands_level_holds_no_raw_number_anywhere(session, histories):
    world = histories
    view = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    assert view.level == "bands"
    assert {point.band for point in view.assessments} == {"low", "moderate", "high"}
    assert all(point.raw is None for point in view.assessments)
    assert view.strain_trend is None and view.pulse_weeks is None
    assert view.strain_average is None and view.strain_period is None, "no closed period holds two check-ins yet"
    assert view.exposure_counts == {"overdose_scene": 1}
    assert "Burnout is in the high band" in " ".join(str(flag.reason) for flag in view.flags)
    assert _leaked_numbers(repr(view), _chart_data(view), *view.trend_lines(),
                           *(str(change.text) for change in view.changes)) == []


def test_the_scores_level_adds_raw_scores_and_the_weekly_strain(session, histories):
    world = histories
    view = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer_scores.id, on=world.today)
    latest = {point.scale: point.raw for point in view.assessments if point.taken_on == world.today - timedelta(days=5)}
    assert latest == RAW_SCORES
    assert [point.strain for point in view.strain_trend] == list(WEEKLY_STRAINS)
    assert "43.7" in _chart_data(view)
    assert any("43.7" in line for line in view.trend_lines())
    assert set(view.ranges.values()) == {(10.0, 50.0)}


def test_a_changed_sharing_level_applies_at_once(session, histories):
    world = histories
    preference = session.get(SharingPreference, world.peer_scores.id)
    preference.level = "bands"
    session.add(preference)
    session.commit()
    view = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer_scores.id, on=world.today)
    assert _leaked_numbers(repr(view), _chart_data(view)) == []


def test_an_ended_assignment_loses_access_at_once(session, histories):
    world = histories
    yesterday = world.today - timedelta(days=1)
    with clock_on(yesterday):
        assert view_for_supervisor(session, actor=world.ended_supervisor, peer_id=world.peer_scores.id,
                                   on=yesterday).level == "scores"
    with pytest.raises(PermissionDenied):
        view_for_supervisor(session, actor=world.ended_supervisor, peer_id=world.peer_scores.id, on=world.today)


def test_nobody_without_an_assignment_sees_a_peer(session, histories):
    world = histories
    for actor in (world.other_supervisor, world.lead, world.admin, world.peer_scores):
        with pytest.raises(PermissionDenied):
            view_for_supervisor(session, actor=actor, peer_id=world.peer.id, on=world.today)


def test_every_view_is_audited_with_its_level(session, histories):
    world = histories
    view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    view_for_supervisor(session, actor=world.admin_supervisor, peer_id=world.peer.id, on=world.today)
    events = session.exec(select(AuditEvent.actor_id, AuditEvent.subject_id, AuditEvent.detail)
                          .where(AuditEvent.action == "viewed_wellness")).all()
    assert sorted(events) == sorted([(world.supervisor.id, world.peer.id, "level bands"),
                                     (world.admin_supervisor.id, world.peer.id, "level completion")])


def test_the_peer_s_preview_is_what_the_supervisor_sees(session, histories):
    world = histories
    for level in ("completion", "bands", "scores"):
        preference = session.get(SharingPreference, world.peer.id)
        preference.level = level
        session.add(preference)
        session.commit()
        seen = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
        preview = preview_for_peer(session, actor=world.peer, level=level, on=world.today)
        assert seen == preview


def test_the_last_session_counts_only_its_administrative_part_for_an_administrative_supervisor(session, histories):
    world = histories
    add_session_row(session, world.admin_supervisor, [world.peer], held_on=world.today - timedelta(days=9),
                    minutes=(30, 0, 0))
    add_session_row(session, world.supervisor, [world.peer], held_on=world.today - timedelta(days=2),
                    minutes=(0, 20, 40))
    full = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    administrative = view_for_supervisor(session, actor=world.admin_supervisor, peer_id=world.peer.id, on=world.today)
    assert (full.last_session.held_on, full.last_session.functions) == (world.today - timedelta(days=2),
                                                                        ("educational", "supportive"))
    assert (administrative.last_session.held_on, administrative.last_session.functions) == (
        world.today - timedelta(days=9), ("administrative",))


def test_a_reach_out_request_reaches_wellness_supervisors_until_acknowledged(session, histories):
    world = histories
    request = add_reach_out(session, world.peer_completion, on=world.today)
    view = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer_completion.id, on=world.today)
    assert [reach_out.id for reach_out in view.reach_outs] == [request.id]
    for outsider in (world.admin_supervisor, world.other_supervisor, world.peer_completion, world.lead, world.admin):
        with pytest.raises(PermissionDenied) as refused:
            acknowledge_reach_out(session, actor=outsider, request_id=request.id, now=at(world.today, 10))
        assert str(refused.value) == NO_SUCH_REQUEST
    acknowledge_reach_out(session, actor=world.supervisor, request_id=request.id, now=at(world.today, 10))
    session.expire_all()
    stored = session.get(ReachOutRequest, request.id)
    assert stored.acknowledged_by == world.supervisor.id and stored.acknowledged_at == at(world.today, 10)
    assert session.exec(select(AuditEvent.subject_id).where(AuditEvent.action == "reach_out_acknowledged")).all() == [
        world.peer_completion.id]
    again = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer_completion.id, on=world.today)
    assert again.reach_outs == ()


def test_an_item_from_another_supervisor_is_counted_but_not_named(session, histories):
    world = histories
    theirs = add_session_row(session, world.admin_supervisor, [world.peer], held_on=world.today - timedelta(days=20),
                             minutes=(30, 0, 0))
    add_action_item(session, theirs, world.peer, text="Sign the agency time sheet.",
                    due_on=world.today - timedelta(days=3))
    view = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    assert (view.action_items_open, view.action_items_overdue) == (1, 1)
    assert "Sign the agency time sheet." not in repr(dataclasses.astuple(view))


def test_a_missing_request_and_someone_else_s_get_the_same_answer(session, histories):
    world = histories
    theirs = add_reach_out(session, world.other_peer, on=world.today)
    answers = set()
    for request_id in (theirs.id, theirs.id + 1000, -1):
        with pytest.raises(PermissionDenied) as refused:
            acknowledge_reach_out(session, actor=world.supervisor, request_id=request_id, now=at(world.today, 10))
        answers.add((type(refused.value), str(refused.value)))
    assert answers == {(PermissionDenied, NO_SUCH_REQUEST)}
    assert session.get(ReachOutRequest, theirs.id).acknowledged_at is None


def test_the_bands_level_gives_no_weekly_strain_series_to_difference(session, world):
    """A bands supervisor who opens the view on every day, before and after each check-in, sees averages over
    whole fixed periods only: no two share a week, none moves when this week's check-in arrives or is replaced,
    and none covers a single check-in."""
    strains = [13.1 + 7.3 * weeks_ago for weeks_ago in range(16)]
    for weeks_ago, strain in enumerate(strains[1:], start=1):
        add_pulse(session, world.peer, taken_on=world.today - timedelta(weeks=weeks_ago), strain=strain)
    session.commit()

    seen: dict[tuple, float | None] = {}
    for days_ago in range(0, 16 * 7):
        on = world.today - timedelta(days=days_ago)
        view = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=on)
        assert view.strain_trend is None and view.pulse_weeks is None
        if view.strain_period is not None:
            first, last = view.strain_period
            assert (last - first).days == 7 * (STRAIN_PERIOD_WEEKS - 1)
            assert last < week_start(on), "the open week never counts"
            assert seen.setdefault(view.strain_period, view.strain_average) == view.strain_average
    periods = sorted(seen)
    assert len(periods) >= 2
    for (_, earlier_last), (later_first, _) in zip(periods, periods[1:], strict=False):
        assert earlier_last < later_first, "periods never overlap, so averages cannot be differenced"
    for first, last in periods:
        weeks_in = [week for week in range(16) if first <= week_start(world.today - timedelta(weeks=week)) <= last]
        assert len(weeks_in) == STRAIN_PERIOD_WEEKS

    before = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    add_pulse(session, world.peer, taken_on=world.today, strain=99.9)
    session.commit()
    after = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    future = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id,
                                 on=world.today + timedelta(weeks=8))
    assert before.strain_average == after.strain_average == future.strain_average
    assert before.strain_period == after.strain_period == future.strain_period == strain_period(world.today)


def test_a_period_with_a_single_check_in_shows_no_average(session, world):
    first, _ = strain_period(world.today)
    add_pulse(session, world.peer, taken_on=first + timedelta(days=2), strain=77.7)
    session.commit()
    view = view_for_supervisor(session, actor=world.supervisor, peer_id=world.peer.id, on=world.today)
    assert view.strain_average is None and "77.7" not in repr(view)


@given(first=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
       second=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_strain_periods_are_closed_and_never_overlap_whatever_the_day(first, second):
    for day in (first, second):
        start, end = strain_period(day)
        assert start.weekday() == 0 and end - start == timedelta(weeks=STRAIN_PERIOD_WEEKS - 1)
        assert end < week_start(day) <= end + timedelta(weeks=STRAIN_PERIOD_WEEKS)
    one, other = strain_period(first), strain_period(second)
    assert one == other or one[1] < other[0] or other[1] < one[0]
