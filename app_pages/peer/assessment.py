import math

import streamlit as st

from console.core import clock
from console.core.errors import ValidationError
from console.core.i18n import _, n_
from console.web import ui
from console.wellness import assessments, support

ui.require_role("peer")
FORM = "self_assessment"
STEP = "assessment_step"
ANSWERS = "assessment_answers"
RESULT = "assessment_result"
PROBLEM = "assessment_problem"
PAGE_SIZE = 10
today = clock.today()
instrument = ui.call(assessments.my_instrument)
items = list(instrument.items)
page_count = math.ceil(len(items) / PAGE_SIZE)
review_step = page_count
answers: dict[int, int | None] = st.session_state.setdefault(ANSWERS, {})


def radio_key(number: int) -> str:
    return f"assessment_item_{number}"


def remember_answers() -> None:
    """Copy the radios' answers into the page's own store: radios of a page not drawn lose their state."""
    for item in items:
        if radio_key(item.number) in st.session_state:
            answers[item.number] = st.session_state[radio_key(item.number)]


def go_to(step: int | None) -> None:
    remember_answers()
    st.session_state[STEP] = step


def close_result() -> None:
    st.session_state.pop(RESULT, None)


def start_again() -> None:
    st.session_state[ANSWERS] = {}
    st.session_state.pop(RESULT, None)
    go_to(0)


def answer_label(value: int | None) -> str:
    return _("skipped") if value is None else f"{value} · {instrument.response.labels[value]}"


def show_result(result: assessments.AssessmentResult, *, contact: str) -> None:
    if result.needs_support:
        st.warning(_("Some of your results suggest the work is weighing on you right now. You don't have to wait "
                     "for supervision to talk about it."), icon=":material/favorite:")
        ui.support_resources(contact=contact, prominent=True)
        st.page_link("app_pages/peer/support.py", label=_("Support now"), icon=":material/favorite:")
    for scale in result.scales:
        with st.container(border=True):
            if scale.raw is None:
                st.markdown(_("**{part}**: no result this time", part=scale.label))
                st.write(_("{answered} of {count} questions in this part were answered; too many were skipped to "
                           "work it out.", answered=scale.answered, count=scale.item_count))
            else:
                st.markdown(_("**{part}**: {band} (score {score})", part=ui.escape_markdown(scale.label),
                              band=assessments.band_in_words(scale.band), score=format(scale.raw, "g")))
                st.write(ui.escape_markdown(scale.meaning or ""))
            st.caption(_("Compared with last time: {change}", change=scale.change))
            st.caption(_("What this measures: {about} Cut-offs: {cut_offs}", about=ui.escape_markdown(scale.about),
                         cut_offs=scale.cut_offs))
    st.info(_("This is a screening for reflection and support, not a diagnosis. Only you see your answers; "
              "your supervisor sees your results only at the level you choose on Privacy and sharing."),
            icon=":material/info:")
    if not result.needs_support:
        ui.support_resources(contact=contact)
    st.caption(ui.escape_markdown(instrument.credit))


st.title(_("Self-assessment"))
step = st.session_state.get(STEP)

if step is None:
    result = st.session_state.get(RESULT)
    if result is not None:
        st.success(_("Thank you. Your answers are saved."), icon=":material/check_circle:")
        st.header(_("Your results, {day}", day=ui.show_date(result.taken_on)))
        show_result(result, contact=ui.call(support.support_contact))
        st.button(_("Close"), on_click=close_result)
        st.stop()
    status = ui.call(assessments.assessment_status, on=today)
    st.write(instrument.instructions)
    st.caption(_("{questions} on {pages}, about ten minutes. {rule}",
                 questions=n_("{count} question", "{count} questions", len(items)),
                 pages=n_("{count} page", "{count} pages", page_count),
                 rule=assessments.missing_data_rule(instrument)))
    if status.last_taken_on is None:
        st.info(_("This will be your first self-assessment."))
    elif status.due:
        st.info(_("Your self-assessment is due (every {days} days; last taken {day}).",
                  days=status.cadence_days, day=ui.show_date(status.last_taken_on)))
    else:
        st.info(_("Your next self-assessment is due on {day}. You can take it early if you like.",
                  day=ui.show_date(status.next_due_on)))
    st.button(_("Start the self-assessment") if status.due else _("Take it now"), type="primary",
              on_click=start_again)
    latest = ui.call(assessments.latest_result)
    if latest is not None:
        with st.expander(_("My last results, {day}", day=ui.show_date(latest.taken_on))):
            show_result(latest, contact=ui.call(support.support_contact))
    st.stop()

remember_answers()
answered = sum(1 for value in answers.values() if value is not None)
st.progress(answered / len(items), text=_("{answered} of {count} answered", answered=answered, count=len(items)))

if step < review_step:
    st.caption(_("Page {page} of {count}. {recall_window}: how often was each true for you? Skip any you'd rather "
                 "not answer.", page=step + 1, count=page_count,
                 recall_window=instrument.recall_window.capitalize()))
    values = list(instrument.response.values)
    for item in items[step * PAGE_SIZE:(step + 1) * PAGE_SIZE]:
        stored = answers.get(item.number)
        st.radio(
            f"{item.number}. {item.prompt}", options=values, index=None if stored is None else values.index(stored),
            format_func=instrument.response.labels.get, horizontal=True, key=radio_key(item.number),
        )
    back, forward = st.columns(2)
    back.button(_("Back"), on_click=go_to, args=(step - 1 if step else None,), width="stretch")
    is_last_page = step == page_count - 1
    forward.button(_("Review my answers") if is_last_page else _("Next"), type="primary", on_click=go_to,
                   args=(step + 1,), width="stretch")
    st.stop()

st.header(_("Review your answers"))
submission_token = ui.form_token(FORM)
st.caption(assessments.missing_data_rule(instrument))
for label in assessments.parts_without_result(instrument, answers):
    st.warning(_("{part}: too many questions of this part are skipped to give a result. You can go back and "
                 "answer them, or submit as it is.", part=label))
st.dataframe(
    {
        _("question"): [f"{item.number}. {item.prompt}" for item in items],
        _("your answer"): [answer_label(answers.get(item.number)) for item in items],
    },
    hide_index=True,
)
change_columns = st.columns(page_count)
for page, column in enumerate(change_columns):
    first, last = page * PAGE_SIZE + 1, min((page + 1) * PAGE_SIZE, len(items))
    column.button(_("Change {first}–{last}", first=first, last=last), key=f"change_page_{page}", on_click=go_to,
                  args=(page,), width="stretch")
problem = st.session_state.pop(PROBLEM, None)
if problem:
    st.error(ui.escape_markdown(problem), icon=":material/error:")
if st.button(_("Submit my answers"), type="primary", icon=":material/send:"):
    try:
        submitted = ui.call(assessments.submit_assessment, answers=answers, idempotency_key=submission_token)
    except ValidationError as refused:
        st.session_state[PROBLEM] = str(refused)
    else:
        ui.renew_form_token(FORM)
        st.session_state[RESULT] = submitted
        st.session_state[ANSWERS] = {}
        go_to(None)
    st.rerun()
