import json
import re
from datetime import timedelta

import pytest
from sqlmodel import select

from console.supervision.shared_view import view_for_supervisor
from db.models import AuditEvent, SharingPreference, utcnow
from tests.app_pages.conftest import texts
from tests.app_pages.peer_pages import UNSAFE_TEXT, button, charts, markdown_texts, open_page, plain_texts
from tests.peer_data import check_in, take_assessment

RAW_BURNOUT = 43

LEVEL_TITLES = {"completion": "Completion only", "bands": "Bands (the default)", "scores": "Scores and trends"}


def table_with(app, column):
    return next(frame.value for frame in app.dataframe if column in frame.value.columns)


@pytest.fixture
def history(app_database, session):
    today = utcnow().date()
    for peer in (app_database.peer, app_database.peer_scores, app_database.peer_completion):
        take_assessment(session, peer, on=today - timedelta(days=5), burnout=RAW_BURNOUT)
        check_in(session, peer, on=today, note=UNSAFE_TEXT, note_shared=True)
    return app_database


@pytest.mark.parametrize(("username", "level"), [("peer_completion", "completion"), ("peer_bands", "bands"),
                                                 ("peer_scores", "scores")])
def test_each_level_previews_what_the_supervisor_sees(history, username, level):
    app = open_page(username, "peer/privacy.py")
    assert app.radio(key="privacy_level").value == level
    assert "This is the level you share at now." in texts(app)
    preview_charts = [json.loads(chart.proto.spec) for chart in charts(app)]
    shown = texts(app)
    if level == "completion":
        assert preview_charts == [] and "Self-assessments" not in shown
    elif level == "bands":
        assert "Self-assessments** (bands only)" in shown
        assert not re.search(rf"(?<!\d){RAW_BURNOUT}(?!\d)", shown)
    else:
        assert "Self-assessments** (scores and bands)" in shown
        assert re.search(rf"(?<!\d){RAW_BURNOUT}(?!\d)", shown)
    assert UNSAFE_TEXT in plain_texts(app)
    assert "click me" not in markdown_texts(app)


def test_picking_another_level_previews_it_and_sharing_it_takes_effect_at_once(history, session):
    app = open_page("peer_bands", "peer/privacy.py")
    app.radio(key="privacy_level").set_value("scores").run()
    assert "Self-assessments** (scores and bands)" in texts(app)
    session.expire_all()
    assert session.get(SharingPreference, history.peer.id).level == "bands"

    button(app, "Share at “Scores and trends” from now on").click().run()
    assert "Done: you now share at the “Scores and trends” level." in texts(app)
    session.expire_all()
    assert session.get(SharingPreference, history.peer.id).level == "scores"
    assert view_for_supervisor(session, actor=history.supervisor, peer_id=history.peer.id,
                               on=utcnow().date()).level == "scores"
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "sharing_changed")).one().detail == \
        "bands → scores"


def test_supervisors_and_who_looked_are_listed(history, session):
    view_for_supervisor(session, actor=history.supervisor, peer_id=history.peer.id, on=utcnow().date())
    app = open_page("peer_bands", "peer/privacy.py")
    supervisors = table_with(app, "supervisor")
    assert set(supervisors["supervisor"]) == {"Supervisor", "Admin Supervisor"}
    admin_row = supervisors[supervisors["supervisor"] == "Admin Supervisor"].iloc[0]
    assert admin_row["sees"] == "completion and workload only, whatever level you choose"
    assert any(expander.label == "What Admin Supervisor sees (administrative supervision only)"
               for expander in app.expander)
    views = table_with(app, "who")
    assert views["who"].tolist() == ["Supervisor"]
    assert views["what"].tolist()[0].startswith("looked at your check-ins and results")


def test_nobody_has_looked_yet(app_database):
    app = open_page("peer_bands", "peer/privacy.py")
    assert "Nobody else has opened your data yet." in texts(app)


def test_the_sharing_level_changed_twice_on_the_same_page_keeps_the_second(history, session):
    app = open_page("peer_bands", "peer/privacy.py")
    app.radio(key="privacy_level").set_value("scores").run()
    button(app, "Share at “Scores and trends” from now on").click().run()
    app.radio(key="privacy_level").set_value("completion").run()
    button(app, "Share at “Completion only” from now on").click().run()
    assert "Done: you now share at the “Completion only” level." in texts(app)
    assert app.radio(key="privacy_level").value == "completion"
    session.expire_all()
    assert session.get(SharingPreference, history.peer.id).level == "completion"
