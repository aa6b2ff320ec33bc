import json
from datetime import timedelta

from db.models import utcnow
from tests.app_pages.conftest import texts
from tests.app_pages.peer_pages import charts, open_page
from tests.peer_data import check_in, take_assessment, weekly_check_ins


def axis_start(chart) -> str:
    spec = json.loads(chart.proto.spec)
    return spec["layer"][-1]["encoding"]["x"]["scale"]["domain"][0]


def test_first_use_says_what_to_do_first(app_database):
    app = open_page("peer_bands", "peer/trends.py")
    shown = texts(app)
    assert "No self-assessments in this time range yet" in shown
    assert "No check-ins in this time range yet" in shown
    assert charts(app) == []


def test_with_history_draws_every_chart_and_the_range_narrows_them(app_database, session):
    today = utcnow().date()
    take_assessment(session, app_database.peer, on=today - timedelta(days=150), burnout=24)
    take_assessment(session, app_database.peer, on=today - timedelta(days=10), burnout=43)
    weekly_check_ins(session, app_database.peer, weeks=6, until=today, exposures=["overdose_scene"],
                     self_care=["sleep"])
    check_in(session, app_database.peer, on=today)

    app = open_page("peer_bands", "peer/trends.py")
    drawn = charts(app)
    assert len(drawn) == 4
    scale_spec = json.loads(drawn[0].proto.spec)
    assert [panel["title"] for panel in scale_spec["vconcat"]][1] == "Burnout (lower is better)"
    assert "is what is usual for you" in texts(app)
    assert axis_start(drawn[1]) == (today - timedelta(weeks=26, days=4)).isoformat()

    app.get("button_group")[0].set_value("3 months").run()
    assert len(charts(app)) == 4
    assert "No self-assessments" not in texts(app)
    assert axis_start(charts(app)[1]) == (today - timedelta(weeks=13, days=4)).isoformat()

    app.get("button_group")[0].set_value("Everything").run()
    assert len(charts(app)) == 4


def test_only_check_ins_still_point_to_the_first_self_assessment(app_database, session):
    check_in(session, app_database.peer, on=utcnow().date())
    app = open_page("peer_bands", "peer/trends.py")
    assert "No self-assessments in this time range yet" in texts(app)
    assert len(charts(app)) == 2
    assert "of the 4 needed). Once there are enough, a green band" in texts(app)
