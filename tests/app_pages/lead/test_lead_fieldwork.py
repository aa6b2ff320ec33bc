"""The lead's Call-outs page and the training section of the Workload page read released figures only: per
closed month and summed over a period of closed months, the training snapshot "as of the end of" the latest
closed month; at every program size (1, 3, 8 and 40 peers), and in Spanish."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import streamlit as st
from sqlmodel import select

from console.core.i18n import show_month, use_language
from db.models import TrainingRecord, User
from tests.app_pages.conftest import texts
from tests.app_pages.lead.test_lead_pages import open_page
from tests.app_pages.lead.test_lead_pages_spanish import in_spanish, open_as_lead
from tests.app_pages.lead.test_lead_sizes import sized_program  # noqa: F401  (a fixture)
from tests.console.program.test_fieldwork_release import add_callout
from tests.console.program.test_program import overdose_peers

OCTOBER = date(2026, 10, 1)


def _field_data(session, peers) -> None:
    for position, peer in enumerate(peers):
        for month in (9, 10):
            add_callout(session, peer, datetime(2026, month, 3 + position % 20, 21, 0, tzinfo=UTC),
                        kind="overdose_nonfatal" if position % 3 else "welfare_check", after_hours=position % 2 == 0)
        session.add(TrainingRecord(person_id=peer.id, kind="peer_certification", name="peer_certification",
                                   completed_on=date(2026, 2, 1), renews_on=date(2026, 12, 1) if position % 4 == 0
                                   else None, recorded_by=peer.id))
    session.commit()


def test_call_outs_and_training_at_every_program_size(sized_program, session):  # noqa: F811
    lead = session.exec(select(User).where(User.username == f"lead_of_{sized_program}")).one()
    peers = session.exec(select(User).where(User.program_id == lead.program_id, User.username.startswith("p"))).all()
    _field_data(session, peers)
    st.cache_data.clear()
    app = open_page(session, "app_pages/lead/callouts.py", f"lead_of_{sized_program}")
    assert not app.exception
    assert app.title[0].value == "Call-outs"
    shown = texts(app)
    assert "None" not in shown
    assert show_month(OCTOBER) in [header.value for header in app.subheader]
    for frame in app.dataframe:
        assert not frame.value.isna().any().any()
    period, october = app.dataframe[0].value, app.dataframe[1].value
    program = october[october["Team"] == "All teams"]
    if sized_program < 5:
        assert set(program["Call-outs"]) == {"—"}, "too few peers for any figure"
        assert all(note for note in october["Note"])
    else:
        assert list(program["Call-outs"]) == [str(sized_program)]
        assert list(period[period["Team"] == "All teams"]["Call-outs"]) == [str(2 * sized_program)]
    app.selectbox[0].set_value(1).run()
    assert not app.exception
    assert len(app.dataframe) == 2, "the last closed month, and its sum"

    workload = open_page(session, "app_pages/lead/workload.py", f"lead_of_{sized_program}")
    assert not workload.exception
    assert "As of the end of October 2026" in texts(workload)
    training = workload.dataframe[-1].value
    assert "None" not in texts(workload)
    assert not training.isna().any().any()
    total = training[training["team"] == "All teams"]
    if sized_program < 5:
        assert set(total["Peers on the team"]) == {"—"}
    else:
        assert list(total["Peers on the team"]) == [str(sized_program)]


@pytest.fixture
def field_world(app_database, session):
    world = app_database
    from tests.conftest import add_user

    more = [add_user(session, username=f"extra_{number}", roles="peer", program=world.program, team=world.team)
            for number in range(3)]
    session.commit()
    _field_data(session, [*overdose_peers(world), *more])
    return world


def test_the_call_outs_page_shows_closed_months_and_their_sum(field_world, session):
    st.cache_data.clear()
    app = open_page(session, "app_pages/lead/callouts.py")
    assert not app.exception
    assert "released once, when the month closed" in texts(app)
    october = app.dataframe[1].value
    overdose = october[october["Team"] == "Overdose response"]
    assert list(overdose["Call-outs"]) == ["6"]
    assert list(overdose["After hours"]) == ["—"], "three peers' after-hours call-outs"
    assert "fewer than 5 peers" in list(overdose["Note"])[0]
    period = app.dataframe[0].value
    assert list(period[period["Team"] == "Overdose response"]["Call-outs"]) == ["12"]


def test_the_call_outs_page_and_training_in_spanish(field_world, spanish):
    app = open_as_lead("callouts.py")
    assert app.title[0].value == in_spanish("Call-outs")
    with use_language("es"):
        october = show_month(OCTOBER)
    assert october in [header.value for header in app.subheader]
    workload = open_as_lead("workload.py")
    assert in_spanish("Training and certification") in [header.value for header in workload.subheader]
    assert "Al cierre de" in texts(workload)
