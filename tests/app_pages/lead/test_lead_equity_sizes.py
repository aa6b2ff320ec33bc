"""The Equity lens page at every program size (1, 3, 8 and 40 peers): it names the quarter it shows and that its
figures were released once, a withheld cell shows "—" with its reason, and a program young enough to have no
closed quarter is told so."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from console.program import equity
from db.models import TeamMembership, User
from tests.app_pages.conftest import texts
from tests.app_pages.lead.test_lead_action_plans_and_equity import LENS, open_page
from tests.app_pages.lead.test_lead_sizes import sized_program  # noqa: F401  (a fixture)

YES = equity.DIMENSION_BY_KEY["incarceration"].label_of("yes")


def test_the_equity_lens_at_every_program_size(sized_program, session):  # noqa: F811
    peers = session.exec(select(User).where(col(User.username).startswith(f"p{sized_program}_"))
                         .order_by(col(User.id))).all()
    for position, peer in enumerate(peers):
        if position % 2 == 0:
            equity.save_self_description(session, actor=peer, answers={"incarceration": "yes"})
    app = open_page(session, LENS, f"lead_of_{sized_program}")
    assert not app.exception and app.title[0].value == "Equity lens"
    shown = texts(app)
    assert "Program-wide burden figures for July 2026 to September 2026" in shown
    assert "released once, when the quarter closed, and they never change" in shown
    assert "None" not in shown
    incarceration = app.dataframe[2].value.set_index("group")
    for frame in app.dataframe:
        assert not frame.value.isna().any().any()
    described = (len(peers) + 1) // 2
    if sized_program < 5:
        assert set(incarceration["peers"]) == {"—"}
        assert all(incarceration["note"]), "every withheld row says why"
    elif sized_program == 8:
        assert incarceration.loc[YES, "peers"] == "—" and incarceration.loc[equity.ALL_PEERS, "peers"] == "8"
    else:
        assert incarceration.loc[YES, "peers"] == str(described)
        assert incarceration.loc[equity.NOT_DESCRIBED, "peers"] == str(len(peers) - described)
        assert incarceration.loc[equity.ALL_PEERS, "peers"] == "40"


def test_a_program_younger_than_a_quarter_is_told_no_quarter_is_released(sized_program, session):  # noqa: F811
    peers = session.exec(select(User.id).where(col(User.username).startswith(f"p{sized_program}_"))).all()
    for membership in session.exec(select(TeamMembership).where(col(TeamMembership.user_id).in_(peers))).all():
        membership.started_on = date(2026, 10, 1)
        session.add(membership)
    session.commit()
    app = open_page(session, LENS, f"lead_of_{sized_program}")
    assert not app.exception
    assert "No quarter is released yet." in texts(app)
    assert not app.dataframe
