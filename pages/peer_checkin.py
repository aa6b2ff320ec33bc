import streamlit as st

from console import checkins, ui
from console.errors import ValidationError

ui.require_role("peer")
instrument = checkins.pulse_instrument()
FORM = "weekly_checkin"
submission_token = ui.form_token(FORM)

st.title("Weekly check-in")
st.caption("About two minutes. Skip anything you'd rather not answer.")

this_week = ui.call(checkins.this_weeks_pulse, on=ui.today())
if this_week is not None:
    st.info(f"You already checked in this week ({this_week.taken_at:%A %d %B}). Submitting again replaces it.")

with st.form(FORM, clear_on_submit=False):
    st.subheader("How was your week?")
    answers = {}
    for item in instrument.items:
        labels = item.labels or instrument.response.labels
        answers[item.key] = st.radio(
            item.prompt, options=list(instrument.response.values), index=None, horizontal=True,
            format_func=labels.get, key=f"pulse_{item.key}",
        )
    st.subheader("This week I…")
    exposures = [
        option.code for option in instrument.checklists["exposures"]
        if st.checkbox(option.label, key=f"exposure_{option.code}")
    ]
    st.subheader("Self-care I managed")
    self_care = [
        option.code for option in instrument.checklists["self_care"]
        if st.checkbox(option.label, key=f"self_care_{option.code}")
    ]
    st.subheader("Workload")
    columns = st.columns(3)
    caseload = columns[0].number_input(instrument.fields["caseload"].label, min_value=0, step=1, value=None)
    hours = columns[1].number_input(instrument.fields["hours"].label, min_value=0.0, step=0.5, value=None)
    callouts = columns[2].number_input(instrument.fields["after_hours_callouts"].label, min_value=0, step=1, value=None)
    note = st.text_area("Anything else on your mind? (optional, private unless you share it)", max_chars=10_000)
    note_shared = st.checkbox("Share this note with my supervisor")
    wants_to_talk = st.checkbox("I'd like to talk about this in supervision")
    replace = st.checkbox("Replace my earlier check-in this week") if this_week is not None else False
    submitted = st.form_submit_button("Save my check-in", type="primary")

if submitted:
    try:
        ui.call(
            checkins.submit_pulse, answers=answers, exposures=exposures, self_care=self_care,
            caseload=caseload, hours=hours, after_hours_callouts=callouts, note=note,
            note_shared=note_shared, wants_to_talk=wants_to_talk, replace=replace,
            idempotency_key=submission_token,
        )
    except checkins.WeekAlreadyRecorded as problem:
        st.warning(f"{problem} Tick “Replace my earlier check-in this week” to replace it.")
    except ValidationError as problem:
        st.error(str(problem))
    else:
        ui.renew_form_token(FORM)
        st.success("Thank you, your check-in is saved.")

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
