import streamlit as st

from console.core import clock
from console.core.errors import ValidationError
from console.web import ui
from console.wellness import checkins, support

ui.require_role("peer")
instrument = checkins.pulse_instrument()
FORM = "weekly_checkin"
PROBLEMS = "checkin_problems"
WAITING_TO_REPLACE = "checkin_waiting_to_replace"
SAVED = "checkin_saved"
LAST_SAVED = "checkin_last_saved"
PREFILLED = "checkin_prefilled_from"
today = clock.today()
submission_token = ui.form_token(FORM)
problems: dict[str, str] = st.session_state.get(PROBLEMS, {})


def field_problem(name: str) -> None:
    if name in problems:
        st.error(ui.escape_markdown(problems[name]), icon=":material/error:")


def save(submission: dict, *, replace: bool) -> None:
    """Submit once per distinct set of answers: the same answers sent again (a double click) reuse the key they
    were saved under, so the service returns the saved check-in instead of asking to replace it."""
    last_saved = st.session_state.get(LAST_SAVED)
    token = last_saved[1] if last_saved and last_saved[0] == submission and not replace else submission_token
    try:
        ui.call(checkins.submit_pulse, **submission, replace=replace, idempotency_key=token)
    except checkins.WeekAlreadyRecorded:
        st.session_state[WAITING_TO_REPLACE] = submission
        st.session_state.pop(PROBLEMS, None)
    except ValidationError as problem:
        st.session_state[PROBLEMS] = problem.problems or {"form": str(problem)}
        st.session_state.pop(WAITING_TO_REPLACE, None)
    else:
        ui.renew_form_token(FORM)
        st.session_state[LAST_SAVED] = (submission, token)
        st.session_state[SAVED] = True
        for key in (PROBLEMS, WAITING_TO_REPLACE):
            st.session_state.pop(key, None)
    st.rerun()


st.title("Weekly check-in")
st.caption("About two minutes. Skip anything you'd rather not answer. Only you see your answer to each question.")

feedback = ui.call(checkins.week_feedback, on=today)
saved_entry = ui.call(checkins.this_weeks_entry, on=today) if feedback is not None else None


def start_from(entry: checkins.PulseEntry) -> None:
    """Put this week's saved answers into the form once, so a change starts from them."""
    if st.session_state.get(PREFILLED) == entry.taken_at:
        return
    st.session_state[PREFILLED] = entry.taken_at
    for key, value in entry.answers.items():
        st.session_state[f"pulse_{key}"] = value
    for option in instrument.checklists["exposures"]:
        st.session_state[f"exposure_{option.code}"] = option.code in entry.exposures
    for option in instrument.checklists["self_care"]:
        st.session_state[f"self_care_{option.code}"] = option.code in entry.self_care
    st.session_state.update({
        "pulse_caseload": entry.caseload, "pulse_hours": entry.hours, "pulse_callouts": entry.after_hours_callouts,
        "pulse_note": entry.note, "pulse_note_shared": entry.note_shared, "pulse_wants_to_talk": entry.wants_to_talk,
    })


if saved_entry is not None:
    start_from(saved_entry)
if st.session_state.pop(SAVED, False):
    st.success("Thank you, your check-in is saved.", icon=":material/check_circle:")
if feedback is not None:
    st.subheader("Your week")
    (st.warning if feedback.unusual or feedback.rising else st.info)(feedback.comparison)
    if feedback.wants_to_talk:
        st.caption("You said you'd like to talk about this in supervision; your supervisor will see that.")
    if feedback.suggestions:
        st.subheader("Something that may help")
        for strategy in feedback.suggestions:
            st.markdown(f"**{strategy.title}**  \n{strategy.text}")
    else:
        st.write("Whatever you did for yourself this week seems to be working. Keep it up.")
    ui.support_resources(contact=ui.call(support.support_contact), prominent=feedback.unusual)
    st.page_link("app_pages/peer/support.py", label="More support", icon=":material/favorite:")

form_area = (st.expander("Change this week's check-in", expanded=bool(problems)) if feedback is not None
             else st.container())
with form_area, st.form(FORM, clear_on_submit=False, enter_to_submit=False):
    st.subheader("How was your week?")
    field_problem("answers")
    answers = {}
    for item in instrument.items:
        labels = item.labels or instrument.response.labels
        answers[item.key] = st.radio(
            item.prompt, options=list(instrument.response.values), index=None, horizontal=True,
            format_func=labels.get, key=f"pulse_{item.key}",
        )
        field_problem(item.key)
    st.subheader("This week I…")
    exposures = [
        option.code for option in instrument.checklists["exposures"]
        if st.checkbox(option.label, key=f"exposure_{option.code}")
    ]
    field_problem("exposures")
    st.subheader("Self-care I managed")
    self_care = [
        option.code for option in instrument.checklists["self_care"]
        if st.checkbox(option.label, key=f"self_care_{option.code}")
    ]
    field_problem("self_care")
    st.subheader("Workload")
    fields = instrument.fields
    caseload = st.number_input(fields["caseload"].label, step=1, value=None, key="pulse_caseload",
                               help=f"A whole number from {fields['caseload'].min} to {fields['caseload'].max}.")
    field_problem("caseload")
    hours = st.number_input(fields["hours"].label, step=0.5, value=None, key="pulse_hours",
                            help=f"From {fields['hours'].min} to {fields['hours'].max} hours.")
    field_problem("hours")
    callouts = st.number_input(fields["after_hours_callouts"].label, step=1, value=None, key="pulse_callouts",
                               help=f"A whole number from {fields['after_hours_callouts'].min} to "
                                    f"{fields['after_hours_callouts'].max}.")
    field_problem("after_hours_callouts")
    note = st.text_area("Anything else on your mind? (optional, private unless you share it)", key="pulse_note",
                        help=f"Up to {checkins.MAX_NOTE_LENGTH:,} characters.")
    field_problem("note")
    note_shared = st.checkbox("Share this note with my supervisor", key="pulse_note_shared")
    wants_to_talk = st.checkbox("I'd like to talk about this in supervision", key="pulse_wants_to_talk")
    submitted = st.form_submit_button("Save my check-in", type="primary")
    if problems:
        st.error("Some answers need a change: see the messages above. Nothing is saved yet, and what you typed "
                 "is still here.", icon=":material/error:")
        field_problem("form")

if submitted:
    save(dict(answers=answers, exposures=exposures, self_care=self_care, caseload=caseload, hours=hours,
              after_hours_callouts=callouts, note=note, note_shared=note_shared, wants_to_talk=wants_to_talk),
         replace=False)

waiting = st.session_state.get(WAITING_TO_REPLACE)
if waiting is not None:
    st.warning("You already checked in this week. Replace that check-in with the answers you just gave, "
               "or keep the first one?", icon=":material/help:")
    if saved_entry is not None:
        st.caption(f"What would be replaced: your check-in saved on {saved_entry.taken_at:%A %d %B, %H:%M} UTC")
        ui.plain_text(checkins.entry_in_words(saved_entry, instrument=instrument))
    replace_column, keep_column = st.columns(2)
    if replace_column.button("Replace it", type="primary", width="stretch"):
        save(waiting, replace=True)
    if keep_column.button("Keep my first check-in", width="stretch"):
        st.session_state.pop(WAITING_TO_REPLACE)
        st.session_state.pop(PREFILLED, None)
        st.rerun()

st.subheader("My recent check-ins")
recent = ui.call(checkins.my_recent_pulses, limit=8)
if not recent:
    st.write("No check-ins yet. Your first one starts your personal baseline.")
else:
    st.table(
        [
            {
                "week of": f"{pulse.week_start:%d %b %Y}",
                "strain (0–100)": pulse.strain,
                "exposures": len(pulse.exposures),
                "self-care practices": len(pulse.self_care),
                "caseload": pulse.caseload,
                "wants to talk": "yes" if pulse.wants_to_talk else "",
            }
            for pulse in recent
        ],
    )
