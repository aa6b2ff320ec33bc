from datetime import date, timedelta

import streamlit as st

from console.core import clock, i18n
from console.core.errors import ValidationError
from console.core.i18n import N_, _, n_
from console.fieldwork import callouts as callout_log
from console.web import ui
from console.wellness import checkins, drafts, support

ui.require_role("peer")
instrument = checkins.pulse_instrument()
FORM = "weekly_checkin"
PROBLEMS = "checkin_problems"
WAITING_TO_REPLACE = "checkin_waiting_to_replace"
SAVED = "checkin_saved"
LAST_SAVED = "checkin_last_saved"
PREFILLED = "checkin_prefilled_from"
STEP = "checkin_step"
VALUES = "checkin_values"  # every answer given so far, by widget key: widgets of a step not on screen lose their state
UNCHANGED = "checkin_unchanged"
LAST_DRAFT = "checkin_last_draft"
RESTORED = "checkin_restored"
WEEK = "checkin_week"
STEPS = (N_("How was your week?"), N_("What the week brought"), N_("Workload"), N_("Anything else?"))
THIS_WEEK = N_("This week")
WEEK_JUST_ENDED = N_("The week just ended")
fields = instrument.fields
today = clock.today()
this_week, last_week = checkins.open_weeks(today)
DRAFT_PERIOD = this_week.isoformat()
submission_token = ui.form_token(FORM)
problems: dict[str, str] = st.session_state.get(PROBLEMS, {})
WHOLE_NUMBERS = ("pulse_caseload", "pulse_callouts")
DECIMALS = ("pulse_hours", "pulse_outside_role_hours")
FORM_KEYS = (
    *(f"pulse_{item.key}" for item in instrument.items),
    *(f"exposure_{option.code}" for option in instrument.checklists["exposures"]),
    *(f"self_care_{option.code}" for option in instrument.checklists["self_care"]),
    "pulse_caseload", "pulse_hours", "pulse_callouts", "pulse_outside_role_hours", "pulse_outside_role_tasks",
    "pulse_note", "pulse_note_shared", "pulse_wants_to_talk",
)
STEP_OF_PROBLEM = {
    "answers": 0, **{item.key: 0 for item in instrument.items}, "exposures": 1, "self_care": 1,
    "caseload": 2, "hours": 2, "after_hours_callouts": 2, "hours_outside_role": 2, "outside_role_tasks": 2,
    "note": 3, "form": 3,
}


def week_label(monday: str) -> str:
    return _(THIS_WEEK) if monday == this_week.isoformat() else _(WEEK_JUST_ENDED)


def week_in_words(monday: date) -> str:
    return _("{first_day} to {last_day}", first_day=i18n.show_day(monday),
             last_day=i18n.show_day(monday + timedelta(days=6)))


def blank_values(week: date, entry: checkins.PulseEntry | None) -> dict:
    """The form's starting answers: the saved check-in of that week, or nothing but the workload of the latest
    check-in before it (a caseload rarely changes in a week)."""
    values: dict = {WEEK: week.isoformat()}
    if entry is not None:
        values.update({f"pulse_{key}": value for key, value in entry.answers.items()})
        values.update({f"exposure_{code}": True for code in entry.exposures})
        values.update({f"self_care_{code}": True for code in entry.self_care})
        values.update({
            "pulse_caseload": entry.caseload, "pulse_hours": entry.hours, "pulse_callouts": entry.after_hours_callouts,
            "pulse_outside_role_hours": entry.hours_outside_role,
            "pulse_outside_role_tasks": list(entry.outside_role_tasks), "pulse_note": entry.note,
            "pulse_note_shared": entry.note_shared, "pulse_wants_to_talk": entry.wants_to_talk,
        })
        return values
    carried = ui.call(checkins.last_workload, before=week)
    if carried is not None:
        values.update({
            "pulse_caseload": carried.caseload, "pulse_hours": carried.hours,
            "pulse_callouts": carried.after_hours_callouts, "pulse_outside_role_hours": carried.hours_outside_role,
            "pulse_outside_role_tasks": list(carried.outside_role_tasks),
        })
    return values


def start_from(values: dict, *, step: int = 0) -> None:
    """Put `values` into the form, widgets included, and remember them as the untouched state (no draft yet)."""
    keys = set(st.session_state[VALUES]) if VALUES in st.session_state else set()
    for key in keys | set(values):
        if key != WEEK:
            st.session_state.pop(key, None)
    st.session_state[VALUES] = dict(values)
    st.session_state[UNCHANGED] = dict(values)
    st.session_state[LAST_DRAFT] = None
    st.session_state[STEP] = step


def default_week() -> date:
    """The week just ended on a Monday when it has no check-in yet; this week otherwise."""
    if today == this_week and ui.call(checkins.this_weeks_pulse, on=last_week) is None:
        return last_week
    return this_week


if VALUES not in st.session_state:
    draft = ui.call(drafts.load_draft, kind=checkins.DRAFT_KIND, period=DRAFT_PERIOD)
    if draft is not None and draft.get("values", {}).get(WEEK) in (this_week.isoformat(), last_week.isoformat()):
        start_from(draft["values"], step=min(int(draft.get("step", 0)), len(STEPS) - 1))
        st.session_state[LAST_DRAFT] = draft
        st.session_state[RESTORED] = True
    else:
        week = default_week()
        start_from(blank_values(week, ui.call(checkins.this_weeks_entry, on=week)))
values: dict = st.session_state[VALUES]
for form_key in FORM_KEYS:
    if form_key in st.session_state:
        values[form_key] = st.session_state[form_key]


def choose_week() -> None:
    chosen = st.session_state.get(f"{WEEK}_choice")
    values[WEEK] = chosen or values[WEEK]
    st.session_state[f"{WEEK}_choice"] = values[WEEK]


st.title(_("Weekly check-in"))
ui.tap_friendly()
st.caption(_("About two minutes. Skip anything you'd rather not answer. Only you see your answer to each question."))
st.session_state.setdefault(f"{WEEK}_choice", values[WEEK])
st.segmented_control(
    _("Which week is this check-in for?"), options=[this_week.isoformat(), last_week.isoformat()],
    format_func=week_label, key=f"{WEEK}_choice", on_change=choose_week,
)
week = date.fromisoformat(values[WEEK])
st.caption(_("{week}: {days}.", week=week_label(values[WEEK]), days=week_in_words(week)))
field_problem_week = problems.get("week")
if field_problem_week:
    st.error(ui.escape_markdown(field_problem_week), icon=":material/error:")

feedback = ui.call(checkins.week_feedback, on=week)
saved_entry = ui.call(checkins.this_weeks_entry, on=week) if feedback is not None else None
marker = (values[WEEK], saved_entry.taken_at.isoformat() if saved_entry else None)
previous_marker = st.session_state.get(PREFILLED)
if previous_marker is None and st.session_state.get(RESTORED):
    st.session_state[PREFILLED] = marker
elif previous_marker != marker:
    st.session_state[PREFILLED] = marker
    if saved_entry is not None or (previous_marker is not None and previous_marker[1] is not None):
        start_from(blank_values(week, saved_entry))
        values = st.session_state[VALUES]


def field_problem(name: str) -> None:
    if name in problems:
        st.error(ui.escape_markdown(problems[name]), icon=":material/error:")


def widget(key: str) -> str:
    """The widget key, its state put back from the page's store when the widget was not on screen last run."""
    if key not in st.session_state and key in values:
        value = values[key]
        if value is not None and key in DECIMALS:
            value = float(value)
        elif value is not None and key in WHOLE_NUMBERS:
            value = int(value)
        st.session_state[key] = value
    return key


def keep(key: str, value: object) -> None:
    values[key] = value


def go_to(step: int) -> None:
    st.session_state[STEP] = step


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
        found = problem.problems or {"form": str(problem)}
        st.session_state[PROBLEMS] = found
        st.session_state[STEP] = min(STEP_OF_PROBLEM.get(name, 3) for name in found)
        st.session_state.pop(WAITING_TO_REPLACE, None)
    else:
        ui.renew_form_token(FORM)
        st.session_state[LAST_SAVED] = (submission, token)
        st.session_state[SAVED] = True
        st.session_state[STEP] = 0
        st.session_state[LAST_DRAFT] = None
        for key in (PROBLEMS, WAITING_TO_REPLACE, RESTORED):
            st.session_state.pop(key, None)
    st.rerun()


def submission() -> dict:
    return dict(
        week=week,
        answers={item.key: values.get(f"pulse_{item.key}") for item in instrument.items},
        exposures=[option.code for option in instrument.checklists["exposures"] if values.get(f"exposure_{option.code}")],
        self_care=[option.code for option in instrument.checklists["self_care"] if values.get(f"self_care_{option.code}")],
        caseload=values.get("pulse_caseload"), hours=values.get("pulse_hours"),
        after_hours_callouts=values.get("pulse_callouts"), hours_outside_role=values.get("pulse_outside_role_hours"),
        outside_role_tasks=list(values.get("pulse_outside_role_tasks") or []), note=values.get("pulse_note") or "",
        note_shared=bool(values.get("pulse_note_shared")), wants_to_talk=bool(values.get("pulse_wants_to_talk")),
    )


if st.session_state.pop(SAVED, False):
    ui.announce(_("Thank you, your check-in is saved."))
if feedback is not None:
    st.subheader(_("Your week"))
    (st.warning if feedback.unusual or feedback.rising else st.info)(feedback.comparison)
    if feedback.wants_to_talk:
        st.caption(_("You said you'd like to talk about this in supervision; your supervisor will see that."))
    if feedback.suggestions:
        st.subheader(_("Something that may help"))
        for strategy in feedback.suggestions:
            st.markdown(f"**{_(strategy.title)}**  \n{_(strategy.text)}")
    else:
        st.write(_("Whatever you did for yourself this week seems to be working. Keep it up."))
    ui.support_resources(contact=ui.call(support.support_contact), prominent=feedback.unusual)
    st.page_link("app_pages/peer/support.py", label=_("More support"), icon=":material/favorite:")

if st.session_state.pop(RESTORED, False):
    st.info(_("Your answers from before are back, as you left them. Carry on where you were."),
            icon=":material/restore:")

change_label = (_("Change this week's check-in") if week == this_week
                else _("Change the check-in for the week just ended"))
form_area = (st.expander(change_label, expanded=bool(problems) or st.session_state[STEP] > 0)
             if feedback is not None else st.container())
step = st.session_state[STEP]
submitted = False
with form_area:
    st.progress((step + 1) / len(STEPS), text=_("Step {step} of {count}", step=step + 1, count=len(STEPS)))
    st.subheader(_(STEPS[step]))
    step_area = st.container(key=f"tap_form_checkin_step_{step}")
    buttons = st.container(horizontal=True)
    back_slot, forward_slot = buttons.empty(), buttons.empty()
    with step_area:
        if step == 0:
            field_problem("answers")
            for item in instrument.items:
                labels = item.labels or instrument.response.labels
                keep(f"pulse_{item.key}", st.segmented_control(
                    item.prompt, options=list(instrument.response.values), format_func=labels.get,
                    key=widget(f"pulse_{item.key}"),
                ))
                field_problem(item.key)
        elif step == 1:
            precounted = ui.call(callout_log.precounted_for_checkin, on=week)
            if precounted.callouts:
                exposure_labels = {option.code: option.label for option in instrument.checklists["exposures"]}
                already = "; ".join(exposure_labels.get(code, code) for code in precounted.exposures)
                logged = n_("Your {count} call-out logged that week already counts here",
                            "Your {count} call-outs logged that week already count here", precounted.callouts)
                if already:
                    logged = _("{logged}: {exposures}", logged=logged, exposures=already.lower())
                st.info(_("{logged}; {after_hours} of them after hours. You don't need to tick or count them again.",
                          logged=logged, after_hours=precounted.after_hours), icon=":material/emergency:")
            st.markdown(_("**This week I…**"))
            for option in instrument.checklists["exposures"]:
                keep(f"exposure_{option.code}", st.checkbox(option.label, key=widget(f"exposure_{option.code}")))
            field_problem("exposures")
            st.markdown(_("**Self-care I managed**"))
            for option in instrument.checklists["self_care"]:
                keep(f"self_care_{option.code}", st.checkbox(option.label, key=widget(f"self_care_{option.code}")))
            field_problem("self_care")
        elif step == 2:
            if values.get("pulse_caseload") is not None or values.get("pulse_hours") is not None:
                st.caption(_("Filled in from your last check-in: change only what is different this week."))
            keep("pulse_caseload", st.number_input(
                fields["caseload"].label, step=1, value=None, key=widget("pulse_caseload"),
                help=_("A whole number from {low} to {high}.", low=fields["caseload"].min,
                       high=fields["caseload"].max)))
            field_problem("caseload")
            keep("pulse_hours", st.number_input(
                fields["hours"].label, step=0.5, value=None, key=widget("pulse_hours"),
                help=_("From {low} to {high} hours.", low=fields["hours"].min, high=fields["hours"].max)))
            field_problem("hours")
            keep("pulse_callouts", st.number_input(
                fields["after_hours_callouts"].label, step=1, value=None, key=widget("pulse_callouts"),
                help=_("A whole number from {low} to {high}.", low=fields["after_hours_callouts"].min,
                       high=fields["after_hours_callouts"].max)))
            field_problem("after_hours_callouts")
            keep("pulse_outside_role_hours", st.number_input(
                fields["hours_outside_role"].label, step=0.5, value=None, key=widget("pulse_outside_role_hours"),
                help=_("Time on work that belongs to other roles: driving people, case management, office or "
                       "clerical work, clinical-type tasks. From 0 to 100 hours; 0 or empty if none.")))
            field_problem("hours_outside_role")
            tasks = {option.code: option.label for option in instrument.checklists["outside_role"]}
            keep("pulse_outside_role_tasks", st.pills(
                _("Which tasks outside the peer role took that time?"), options=list(tasks), format_func=tasks.get,
                selection_mode="multi", key=widget("pulse_outside_role_tasks")))
            field_problem("outside_role_tasks")
        else:
            keep("pulse_note", st.text_area(
                _("Anything else on your mind? (optional, private unless you share it)"), key=widget("pulse_note"),
                help=_("Up to {count} characters.", count=i18n.show_number(checkins.MAX_NOTE_LENGTH))))
            field_problem("note")
            keep("pulse_note_shared", st.checkbox(_("Share this note with my supervisor"), key=widget("pulse_note_shared")))
            keep("pulse_wants_to_talk", st.checkbox(_("I'd like to talk about this in supervision"),
                                                    key=widget("pulse_wants_to_talk")))
    if step > 0:
        back_slot.button(_("Back"), on_click=go_to, args=(step - 1,), key="checkin_back")
    if step < len(STEPS) - 1:
        forward_slot.button(_("Next"), type="primary", on_click=go_to, args=(step + 1,), key="checkin_next")
    else:
        submitted = forward_slot.button(_("Save my check-in"), type="primary", key="checkin_save")
    if problems:
        st.error(_("Some answers need a change: see the messages beside them. Nothing is saved yet, and what "
                   "you gave is still here."), icon=":material/error:")
        elsewhere = sorted({STEP_OF_PROBLEM.get(name, 3) for name in problems} - {step})
        if elsewhere:
            steps = [_("step {number} ({name})", number=index + 1, name=_(STEPS[index])) for index in elsewhere]
            st.caption(_("Also see {steps}.", steps=", ".join(steps)))
        field_problem("form")

if submitted:
    save(submission(), replace=False)

draft = {"values": values, "step": st.session_state[STEP]}
if values != st.session_state[UNCHANGED] and draft != st.session_state.get(LAST_DRAFT):
    ui.call(drafts.save_draft, kind=checkins.DRAFT_KIND, period=DRAFT_PERIOD, payload=draft)
    st.session_state[LAST_DRAFT] = {"values": dict(values), "step": st.session_state[STEP]}

waiting = st.session_state.get(WAITING_TO_REPLACE)
if waiting is not None:
    st.warning(_("You already checked in for this week. Replace that check-in with the answers you just gave, "
                 "or keep the first one?"), icon=":material/help:")
    if saved_entry is not None:
        st.caption(_("What would be replaced: your check-in saved on {moment}",
                     moment=ui.show_time(saved_entry.taken_at)))
        ui.plain_text(checkins.entry_in_words(saved_entry, instrument=instrument))
    with st.container(horizontal=True):
        if st.button(_("Replace it"), type="primary"):
            save(waiting, replace=True)
        if st.button(_("Keep my first check-in")):
            st.session_state.pop(WAITING_TO_REPLACE)
            st.session_state.pop(PREFILLED, None)
            st.rerun()

st.subheader(_("My recent check-ins"))
recent = ui.call(checkins.my_recent_pulses, limit=8)
if not recent:
    st.write(_("No check-ins yet. Your first one starts your personal baseline."))
else:
    st.table(
        [
            {
                _("week of"): i18n.show_date(pulse.week_start),
                _("strain (0–100)"): pulse.strain,
                _("exposures"): len(pulse.exposures),
                _("self-care practices"): len(pulse.self_care),
                _("caseload"): pulse.caseload,
                _("hours outside the peer role"): pulse.hours_outside_role,
                _("wants to talk"): _("yes") if pulse.wants_to_talk else "",
            }
            for pulse in recent
        ],
    )
