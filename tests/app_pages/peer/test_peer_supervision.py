from datetime import timedelta
from pathlib import Path

from db.models import utcnow
from tests.app_pages.conftest import sign_in, texts
from tests.supervision_data import PRIVATE_REFLECTION, add_action_item, add_session_row

PAGE = str(Path(__file__).resolve().parents[3] / "app_pages" / "peer/my_supervision.py")
UNSAFE_NOTE = "<script>alert(1)</script> [link](http://example.org) ![x](http://example.org/x.png)"


def open_page(username):
    app = sign_in(username)
    app.switch_page(PAGE).run()
    assert not app.exception
    return app


def test_first_use_says_where_notes_come_from(app_database):
    assert "No supervision sessions in the last year yet" in texts(open_page("peer_bands"))


def test_the_peer_reads_session_notes_and_own_items_never_the_private_reflection(app_database, session):
    world = app_database
    row = add_session_row(session, world.supervisor, [world.peer, world.peer_scores],
                          held_on=utcnow().date() - timedelta(days=3), notes=UNSAFE_NOTE,
                          private_reflection=PRIVATE_REFLECTION)
    add_action_item(session, row, world.peer, text="Book a debrief with the EAP.", due_on=None)
    add_action_item(session, row, world.peer_scores, text="Someone else's item.", due_on=None)
    app = open_page("peer_bands")
    shown = texts(app)
    assert UNSAFE_NOTE in [element.value for element in app.text]
    assert "Book a debrief with the EAP." in shown
    assert "Someone else's item." not in shown
    assert PRIVATE_REFLECTION not in shown


def test_a_peer_who_did_not_attend_sees_nothing_of_the_session(app_database, session):
    world = app_database
    add_session_row(session, world.supervisor, [world.peer_scores], held_on=utcnow().date() - timedelta(days=3),
                    notes="Only for the scores peer.")
    assert "Only for the scores peer." not in texts(open_page("peer_bands"))
