from datetime import timedelta

from sqlmodel import select

from db.models import Assessment, utcnow
from tests.app_pages.conftest import texts
from tests.app_pages.peer_pages import button, open_page
from tests.peer_data import answers_for, take_assessment

TOKEN = "_token_self_assessment"
SCREENING = "This is a screening for reflection and support, not a diagnosis."


def assessment_page():
    return open_page("peer_bands", "peer/assessment.py")


def answer_pages(app, answers, *, skip=()):
    for page in range(3):
        for number in range(page * 10 + 1, page * 10 + 11):
            if number not in skip:
                app.radio(key=f"assessment_item_{number}").set_value(answers[number])
        button(app, "Review my answers" if page == 2 else "Next").click().run()
    return app


def assessments(session, peer_id):
    session.expire_all()
    return session.exec(select(Assessment).where(Assessment.peer_id == peer_id)).all()


def test_first_self_assessment_in_pages_of_ten_with_review_and_results(app_database, session):
    app = assessment_page()
    assert "This will be your first self-assessment." in texts(app)
    assert "up to one question" in texts(app)
    button(app, "Start the self-assessment").click().run()
    assert len(app.radio) == 10
    assert "0 of 30 answered" in app.get("progress")[0].proto.text

    answers = answers_for({"burnout": 30, "secondary_traumatic_stress": 28, "compassion_satisfaction": 38})
    app = answer_pages(app, answers)
    assert "Review your answers" in texts(app)
    review = app.dataframe[0].value
    assert len(review) == 30 and "skipped" not in review["your answer"].tolist()

    button(app, "Submit my answers").click().run()
    shown = texts(app)
    assert "Thank you. Your answers are saved." in shown
    assert "Burnout" in shown and "moderate (score 30)" in shown
    assert "Compassion satisfaction" in shown and "Your first result" in shown
    assert SCREENING in shown
    assert "988" in app.info[-1].value and not app.warning
    assert len(assessments(session, app_database.peer.id)) == 1


def test_results_explain_each_scale_and_its_cut_offs_and_credit_the_proqol(app_database):
    app = assessment_page()
    button(app, "Start the self-assessment").click().run()
    app = answer_pages(app, answers_for({"burnout": 30, "secondary_traumatic_stress": 28, "compassion_satisfaction": 38}))
    button(app, "Submit my answers").click().run()
    captions = [caption.value for caption in app.caption]
    about = [caption for caption in captions if caption.startswith("What this measures:")]
    assert len(about) == 3
    assert any("Burnout is the wearing down" in caption for caption in about)
    assert all("22 or less is low, 42 or more is high, and a score in between is moderate." in caption
               for caption in about)
    credit = [caption for caption in captions if "Adapted from the ProQOL" in caption]
    assert credit and "The Center for Victims of Torture" in credit[0] and "proqol" in credit[0]


def test_back_keeps_answers_and_skipped_questions_are_flagged_in_the_review(app_database, session):
    app = assessment_page()
    button(app, "Start the self-assessment").click().run()
    answers = answers_for({"burnout": 30, "secondary_traumatic_stress": 30, "compassion_satisfaction": 30})
    for number in range(1, 11):
        app.radio(key=f"assessment_item_{number}").set_value(answers[number])
    button(app, "Next").click().run()
    button(app, "Back").click().run()
    assert app.radio(key="assessment_item_1").value == answers[1]
    button(app, "Next").click().run()
    for page in (1, 2):
        for number in range(page * 10 + 1, page * 10 + 11):
            if number not in (21, 26):
                app.radio(key=f"assessment_item_{number}").set_value(answers[number])
        button(app, "Review my answers" if page == 2 else "Next").click().run()
    assert "Burnout: too many questions of this part are skipped" in texts(app)
    assert app.dataframe[0].value["your answer"].tolist().count("skipped") == 2

    button(app, "Submit my answers").click().run()
    assert "**Burnout**: no result this time" in texts(app)
    assert "8 of 10 questions in this part were answered" in texts(app)
    stored = assessments(session, app_database.peer.id)[0]
    assert stored.answers["21"] is None and stored.answers["1"] == answers[1]


def test_high_results_show_the_support_resources_prominently(app_database, session):
    app = assessment_page()
    button(app, "Start the self-assessment").click().run()
    app = answer_pages(app, answers_for({"burnout": 46, "secondary_traumatic_stress": 44,
                                         "compassion_satisfaction": 20}))
    button(app, "Submit my answers").click().run()
    warnings = " ".join(element.value for element in app.warning)
    assert "weighing on you" in warnings and "988" in warnings
    assert SCREENING in texts(app)


def test_a_double_submit_stores_one_assessment(app_database, session):
    app = assessment_page()
    button(app, "Start the self-assessment").click().run()
    app = answer_pages(app, answers_for({"burnout": 30, "secondary_traumatic_stress": 30,
                                         "compassion_satisfaction": 30}))
    token = app.session_state[TOKEN]
    answers = dict(app.session_state["assessment_answers"])
    button(app, "Submit my answers").click().run()
    app.session_state["assessment_step"] = 3
    app.session_state["assessment_answers"] = answers
    app.session_state[TOKEN] = token
    app.run()
    button(app, "Submit my answers").click().run()
    assert "Thank you. Your answers are saved." in texts(app)
    assert len(assessments(session, app_database.peer.id)) == 1


def test_an_overdue_assessment_is_due_with_the_last_results_and_the_comparison(app_database, session):
    take_assessment(session, app_database.peer, on=utcnow().date() - timedelta(days=45), burnout=25)
    app = assessment_page()
    assert "Your self-assessment is due" in texts(app)
    assert app.expander[0].label.startswith("My last results")
    button(app, "Start the self-assessment").click().run()
    app = answer_pages(app, answers_for({"burnout": 45, "secondary_traumatic_stress": 30,
                                         "compassion_satisfaction": 30}))
    button(app, "Submit my answers").click().run()
    assert "25 last time, 45 now. Not enough data to judge" in texts(app)


def test_an_assessment_that_is_not_due_can_be_taken_early(app_database, session):
    take_assessment(session, app_database.peer, on=utcnow().date() - timedelta(days=3))
    app = assessment_page()
    assert "You can take it early if you like." in texts(app)
    button(app, "Take it now").click().run()
    assert len(app.radio) == 10
