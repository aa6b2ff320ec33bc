"""The check-in and the self-assessment show the instruments in the language the person reads."""

import scoring
from tests.app_pages.peer_pages import open_page

PULSE = scoring.load_instrument("weekly-pulse").in_language("es")
SELF_ASSESSMENT = scoring.load_instrument("proqol-style-30").in_language("es")


def test_the_check_in_asks_the_weekly_questions_in_spanish(app_database, spanish):
    app = open_page("peer_bands", "peer/checkin.py")
    assert not app.exception, app.exception
    assert [app.button_group(key=f"pulse_{item.key}").label for item in PULSE.items] == [
        item.prompt for item in PULSE.items
    ]
    assert PULSE.item(2).prompt == "Cuánto estrés sentí"


def test_the_self_assessment_asks_its_questions_in_spanish(app_database, spanish):
    app = open_page("peer_bands", "peer/assessment.py")
    assert not app.exception, app.exception
    start = next(candidate for candidate in app.button if candidate.proto.type == "primary")
    start.click().run()
    for number in range(1, 11):
        question = app.radio(key=f"assessment_item_{number}")
        assert question.label.endswith(SELF_ASSESSMENT.item(number).prompt)
        assert list(question.options) == list(SELF_ASSESSMENT.response.labels.values())
