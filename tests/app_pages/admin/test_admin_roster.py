from pathlib import Path

from sqlmodel import select

from console.admin import roster
from db.models import Invitation, User
from tests.app_pages.conftest import sign_in, texts

ROOT = Path(__file__).resolve().parents[3]

GOOD = """record,team,setting,email,name,username,roles,supervisor_email,functions,starts_on,ends_on
team,Courts,drug court,,,,,,,,
person,,,casey@example.org,Casey Morgan,,supervisor,,,,
person,Courts,,river@example.org,River Ortiz,,peer,,,2026-01-05,
supervision,,,river@example.org,,,,casey@example.org,educational; supportive,2026-01-05,
"""


def open_roster_page():
    app = sign_in("admin")
    app.switch_page(str(ROOT / "app_pages" / "admin/roster.py")).run()
    assert not app.exception
    return app


def click(app, label_start):
    next(button for button in app.button if button.label.startswith(label_start)).click().run()
    assert not app.exception
    return app


def test_admin_previews_then_imports_and_sees_the_one_time_links_once(app_database, session):
    app = open_roster_page()
    assert "Import roster" in texts(app)
    assert any(button.label == "Check the file" and button.disabled for button in app.button)
    app.text_area[0].set_value(GOOD).run()
    click(app, "Check the file")
    shown = texts(app)
    assert "2 people would be created" in shown
    assert "create the account 'river'" in shown
    session.expire_all()
    assert session.exec(select(User).where(User.email == "river@example.org")).first() is None
    click(app, "Import these")
    shown = texts(app)
    assert "2 people were created" in shown
    assert "shown only now" in shown
    links = app.dataframe[0].value["one-time link"].tolist()
    assert len(links) == 2 and all("/?code=" in link for link in links)
    session.expire_all()
    river = session.exec(select(User).where(User.email == "river@example.org")).one()
    assert session.exec(select(Invitation).where(Invitation.user_id == river.id)).one()
    app.run()
    assert "/?code=" not in texts(app)
    click(app, "Check the file")
    assert "nothing would change" in texts(app)


def test_a_bad_file_lists_every_problem_with_its_line_and_imports_nothing(app_database, session):
    app = open_roster_page()
    app.text_area[0].set_value(GOOD.replace("Courts,,river", "Curts,,river").replace("peer,,,2026", "pear,,,2026"))
    app.run()
    click(app, "Check the file")
    shown = texts(app)
    assert "The roster was not imported: 2 problems" in shown
    frame = app.dataframe[0].value
    assert frame["line"].tolist() == [4, 4], "the supervision row of the person with a problem is not reported again"
    assert "no team 'Curts'" in shown and "'pear' is not a role" in shown
    assert not [button for button in app.button if button.label.startswith("Import these")]
    session.expire_all()
    assert session.exec(select(User).where(User.email == "casey@example.org")).first() is None


def test_the_template_downloads_from_the_page(app_database):
    app = open_roster_page()
    assert roster.template_csv().startswith(",".join(roster.COLUMNS))
    assert "Download the template" in str(app.get("download_button")[0].proto.label)
