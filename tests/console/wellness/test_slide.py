"""A slow slide reads "harder than your usual" to the peer and raises flags for their supervisor."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

from console.core.dates import week_start
from console.supervision.shared_view import HISTORY_WEEKS, view_for_supervisor
from console.wellness.checkins import week_feedback
from console.wellness.my_trends import my_trends
from db.models import PulseCheckin
from tests.scoring.test_scoring_slide import SLIDE


def _strains(session, peer, strains, *, last_week):
    """One check-in a week with these strains, the last one in the week of `last_week`."""
    for weeks_ago, strain in enumerate(reversed(strains)):
        monday = week_start(last_week) - timedelta(weeks=weeks_ago)
        iso = monday.isocalendar()
        session.add(PulseCheckin(
            peer_id=peer.id, iso_year=iso.year, iso_week=iso.week, week_start=monday,
            taken_at=datetime.combine(monday, time(9), tzinfo=UTC), answers={"energy": 3}, strain=strain,
            idempotency_key=uuid.uuid4().hex,
        ))
    session.commit()


def test_the_peer_reads_harder_than_your_usual_and_the_climb(session, world):
    _strains(session, world.peer, SLIDE, last_week=world.today)
    feedback = week_feedback(session, actor=world.peer, on=world.today)
    assert feedback.unusual and feedback.rising
    assert feedback.comparison.startswith("This week was harder than your usual: strain 82 out of 100.")
    assert "your first check-ins were around 37" in feedback.comparison
    assert "climbing by about 2.1 points a week" in feedback.comparison
    trends = my_trends(session, actor=world.peer, on=world.today)
    assert trends.strain.harder and trends.strain.rising


def test_the_supervisor_sees_unusual_and_rising_strain(session, world):
    _strains(session, world.peer_scores, SLIDE, last_week=world.today)
    _strains(session, world.peer, SLIDE, last_week=world.today)
    scores = {flag.code: str(flag.reason) for flag in view_for_supervisor(
        session, actor=world.supervisor, peer_id=world.peer_scores.id, on=world.today).flags}
    assert "over their first 8 check-ins" in scores["unusual_strain"]
    assert "rising by about" in scores["rising_strain"]
    bands = {flag.code: str(flag.reason) for flag in view_for_supervisor(
        session, actor=world.supervisor, peer_id=world.peer.id, on=world.today).flags}
    assert bands["rising_strain"] == "Check-in strain has been rising steadily over the last 8 check-ins."
    assert "median" not in bands["unusual_strain"] and "is unusual for this peer" in bands["unusual_strain"]


def test_the_long_reference_reaches_back_before_the_prep_sheets_half_year(session, world):
    weeks = HISTORY_WEEKS + 14
    slow = [round(30 + 52 * week / (weeks - 1), 1) for week in range(weeks)]
    _strains(session, world.peer_scores, slow, last_week=world.today)
    flags = {flag.code: str(flag.reason) for flag in view_for_supervisor(
        session, actor=world.supervisor, peer_id=world.peer_scores.id, on=world.today).flags}
    assert "median 34.6 over their first 8 check-ins" in flags["unusual_strain"]
    assert "rising_strain" not in flags
