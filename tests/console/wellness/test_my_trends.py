from datetime import timedelta

import pytest

from console.core.dates import week_start
from console.core.errors import PermissionDenied
from console.wellness.my_trends import my_trends
from tests.peer_data import HARD_WEEK, check_in, take_assessment, weekly_check_ins


def test_first_use_has_nothing_to_draw(session, world):
    trends = my_trends(session, actor=world.peer, on=world.today)
    assert not trends.has_assessments and not trends.has_checkins
    assert trends.axis_start == world.today
    assert not trends.baseline.enough_data


def test_trends_hold_scales_strain_exposures_and_self_care_within_the_range(session, world):
    take_assessment(session, world.peer, on=world.today - timedelta(days=200), burnout=25)
    take_assessment(session, world.peer, on=world.today - timedelta(days=20), burnout=44)
    weekly_check_ins(session, world.peer, weeks=10, until=world.today, exposures=["overdose_scene"],
                     self_care=["sleep", "movement"])
    check_in(session, world.peer, on=world.today, answers=HARD_WEEK, exposures=["death_of_person_served"])

    since = world.today - timedelta(weeks=13)
    trends = my_trends(session, actor=world.peer, on=world.today, since=since)
    assert trends.axis_start == since
    assert {(point.scale, point.raw, point.band) for point in trends.scale_points if point.scale == "burnout"} == {
        ("burnout", 44.0, "high")}
    assert len(trends.strain_points) == 11 and trends.strain_points[-1].strain == 100.0
    assert trends.baseline.enough_data and trends.baseline.unusual
    assert {row.category for row in trends.exposures} == {"Responded to an overdose scene",
                                                          "Someone I serve or have served died"}
    this_week = [row for row in trends.self_care if row.week_start == week_start(world.today)]
    assert len(this_week) == 7 and not any(row.done for row in this_week)
    assert {row.practice for row in trends.self_care if row.done} == {"Enough sleep", "Movement or exercise"}
    assert trends.ranges["burnout"] == (10.0, 50.0)

    everything = my_trends(session, actor=world.peer, on=world.today)
    assert len([point for point in everything.scale_points if point.scale == "burnout"]) == 2
    assert everything.axis_start == world.today - timedelta(days=200)


def test_trends_are_for_peers_only(session, world):
    with pytest.raises(PermissionDenied):
        my_trends(session, actor=world.supervisor, on=world.today)
