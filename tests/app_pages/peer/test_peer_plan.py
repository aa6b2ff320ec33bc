from sqlmodel import select

from console.wellness.wellness_plans import MAX_SECTION_LENGTH
from db.models import WellnessPlan
from tests.app_pages.conftest import shown, texts
from tests.app_pages.peer_pages import UNSAFE_TEXT, markdown_texts, open_page, plain_texts


def plan_page():
    return open_page("peer_bands", "peer/plan.py")


def save(app):
    next(button for button in app.button if button.label == "Save my plan").click().run()
    return app


def plans(session, peer_id):
    session.expire_all()
    return session.exec(select(WellnessPlan).where(WellnessPlan.peer_id == peer_id)
                        .order_by(WellnessPlan.version)).all()


def test_writing_saving_and_sharing_the_plan_makes_versions(app_database, session):
    app = plan_page()
    assert [area.label for area in app.text_area] == [
        "My early warning signs", "What helps me", "People and supports I can reach", "My commitments this month",
        "What I want my supervisor to know"]
    app.text_area(key="plan_warning_signs").input("I stop sleeping.")
    app = save(app)
    assert "This is version 1 of your plan." in texts(app)
    assert "Private to you." in texts(app)

    app.text_area(key="plan_what_helps").input("Walking the dog.")
    app.toggle(key="plan_shared").set_value(True)
    app = save(app)
    assert "This is version 2 of your plan." in texts(app)
    assert "Shared with your supervisor." in texts(app)
    stored = plans(session, app_database.peer.id)
    assert [(plan.version, plan.shared) for plan in stored] == [(1, False), (2, True)]
    assert stored[1].sections["what_helps"] == "Walking the dog."


def test_an_empty_first_plan_says_what_to_write(app_database, session):
    app = save(plan_page())
    assert "Write something in at least one section" in shown(app.error[0].value)
    assert plans(session, app_database.peer.id) == []


def test_plan_text_is_shown_as_plain_text_in_the_printable_view_and_earlier_versions(app_database, session):
    app = plan_page()
    app.text_area(key="plan_what_helps").input(UNSAFE_TEXT)
    app = save(app)
    app.get("button_group")[0].set_value("Printable view").run()
    assert UNSAFE_TEXT in plain_texts(app)
    assert "click me" not in markdown_texts(app)
    assert app.get("download_button")
    app.get("button_group")[0].set_value("Earlier versions").run()
    assert UNSAFE_TEXT in plain_texts(app)
    assert app.selectbox[0].options == ["Version 1, saved " + app.selectbox[0].options[0].split("saved ")[1]]


def test_the_printable_view_before_a_plan_says_what_to_do(app_database):
    app = plan_page()
    app.get("button_group")[0].set_value("Printable view").run()
    assert "Nothing to print yet" in texts(app)


def test_pasting_past_the_limit_keeps_the_text_and_says_how_much_to_cut(app_database, session):
    pasted = "I notice I stop sleeping. " * 217
    assert len(pasted) - MAX_SECTION_LENGTH == 642
    app = plan_page()
    app.text_area(key="plan_warning_signs").input(pasted)
    app.text_area(key="plan_what_helps").input("Walking the dog.")
    save(app)
    errors = [element.value for element in app.error]
    assert any("My early warning signs" in error and "shorten it by 642" in error for error in errors)
    assert any("Your plan is not saved yet" in error for error in errors)
    assert app.text_area(key="plan_warning_signs").value == pasted
    assert app.text_area(key="plan_what_helps").value == "Walking the dog."
    assert plans(session, app_database.peer.id) == []
    app.text_area(key="plan_warning_signs").input(pasted[:MAX_SECTION_LENGTH])
    save(app)
    assert "This is version 1 of your plan." in texts(app) and not app.error
    assert plans(session, app_database.peer.id)[0].sections["warning_signs"] == pasted[:MAX_SECTION_LENGTH].strip()


def test_a_second_change_on_the_same_page_is_saved(app_database, session):
    app = plan_page()
    app.text_area(key="plan_what_helps").input("Walking.")
    save(app)
    app.text_area(key="plan_what_helps").input("Walking the dog.")
    save(app)
    app.toggle(key="plan_shared").set_value(True)
    save(app)
    stored = plans(session, app_database.peer.id)
    assert [(plan.sections["what_helps"], plan.shared) for plan in stored] == [
        ("Walking.", False), ("Walking the dog.", True)]
    assert app.text_area(key="plan_what_helps").value == "Walking the dog."
