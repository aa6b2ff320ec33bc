import streamlit as st

from console.core import clock, input_limits
from console.core.errors import ValidationError
from console.supervision import sessions, supervisor_week
from console.web import ui

user = ui.require_role("supervisor")
today = clock.today()
PREFILL = "session_prefill"
SAVED = "session_saved_notice"
FORM = "record_session"
ITEM_ROWS = sessions.MAX_ACTION_ITEMS
DEFAULT_DURATION = 60
LABELS = sessions.FUNCTION_LABELS
FUNCTIONS = tuple(LABELS)

choices = ui.call(supervisor_week.supervisee_choices)
by_id = {choice.peer_id: choice for choice in choices}
functions_by_peer = {choice.peer_id: choice.functions for choice in choices}


def problems_of(key: str) -> dict[str, str]:
    return st.session_state.get(f"{key}_problems", {})


def field_problem(key: str, *names: str) -> None:
    """The service's message for these fields of the form `key`, shown right under the field."""
    for name in names:
        if name in problems_of(key):
            st.error(ui.escape_markdown(problems_of(key)[name]), icon=":material/error:")


def refused(key: str, problem: ValidationError) -> None:
    st.session_state[f"{key}_problems"] = problem.problems or {"form": str(problem)}
    st.rerun()


def save_summary(key: str) -> None:
    """Beside the save button: that nothing was saved, and what to fix."""
    problems = problems_of(key)
    if problems:
        st.error("Nothing was saved yet: " + " ".join(problems.values()) + " What you wrote is still here.",
                 icon=":material/error:")


def content_fields(key: str, *, held: frozenset[str], start: sessions.SessionContent, group: bool
                   ) -> sessions.SessionContent:
    columns = st.columns(2)
    held_on = columns[0].date_input("Date", value=start.held_on, min_value=input_limits.EARLIEST_DATE,
                                    max_value=today, key=f"{key}_held_on")
    duration = columns[1].number_input("Duration (minutes)", step=5, value=start.duration_minutes,
                                       key=f"{key}_duration",
                                       help=f"From {sessions.MIN_DURATION} to {sessions.MAX_DURATION} minutes.")
    with columns[0]:
        field_problem(key, "held_on")
    with columns[1]:
        field_problem(key, "duration_minutes")
    st.markdown("**Minutes per function**")
    minutes = {}
    for column, function in zip(st.columns(3), FUNCTIONS, strict=True):
        minutes[function] = column.number_input(
            LABELS[function], step=5,
            value=start.minutes.get(function, 0), disabled=function not in held, key=f"{key}_minutes_{function}",
            help=None if function in held else "You do not hold this function with everyone in the session.",
        )
    field_problem(key, "minutes", "functions")
    unassigned = duration - sum(minutes.values())
    if unassigned > 0:
        st.caption(f"{unassigned} of the {duration} minutes are not given to a function.")
    elif unassigned < 0:
        st.warning(f"The functions add up to {-unassigned} minutes more than the {duration}-minute session.")
    else:
        st.caption("The minutes per function add up to the duration.")
    field_problem(key, "activities")

    readers = ("Every attendee can read these notes: keep any one person's wellness details out of them."
               if group else "The supervisee can read these notes.")
    activities, notes = [], {}
    for function in FUNCTIONS:
        if function not in held:
            continue
        st.markdown(f"**{LABELS[function]}**")
        halves = st.columns(2)
        for position, activity in enumerate(sessions.activities_of(function)):
            if halves[position % 2].checkbox(activity.label, value=activity.code in start.activities,
                                             key=f"{key}_activity_{activity.code}"):
                activities.append(activity.code)
        notes[function] = st.text_area(f"{LABELS[function]} notes", value=start.notes.get(function, ""),
                                       help=f"{readers} Up to {sessions.MAX_NOTE_LENGTH:,} characters.",
                                       key=f"{key}_notes_{function}")
        field_problem(key, f"notes_{function}")
    field_problem(key, "notes")
    st.caption(readers)
    drift = st.checkbox("Peer drift observed (pulled into case-management or clinical tasks)", value=start.peer_drift,
                        key=f"{key}_drift")
    drift_label = ("What you observed — every attendee reads this, word for word" if group
                   else "What you observed — the supervisee reads this, word for word")
    drift_note = st.text_area(drift_label, value=start.peer_drift_note, disabled=not drift,
                              help=f"{readers} Up to {sessions.MAX_NOTE_LENGTH:,} characters.", key=f"{key}_drift_note")
    field_problem(key, "peer_drift_note")
    st.divider()
    reflection = st.text_area("Private reflection — only you can read this", value=start.private_reflection,
                              key=f"{key}_reflection",
                              help="Not shown to the supervisee, other supervisors or the program lead. "
                                   f"Up to {sessions.MAX_NOTE_LENGTH:,} characters.")
    field_problem(key, "private_reflection")
    ethics = st.multiselect("Ethics areas discussed", options=list(sessions.ETHICS_AREAS),
                            default=list(start.ethics_areas), format_func=sessions.ETHICS_AREAS.get,
                            key=f"{key}_ethics")
    field_safety = st.checkbox("Field-safety concerns discussed", value=start.field_safety_discussed,
                               key=f"{key}_field_safety")
    field_problem(key, "ethics_areas")
    return sessions.SessionContent(
        held_on=held_on, duration_minutes=int(duration), minutes={f: int(m) for f, m in minutes.items()},
        activities=tuple(activities), notes=notes, private_reflection=reflection, peer_drift=drift,
        peer_drift_note=drift_note, ethics_areas=tuple(ethics), field_safety_discussed=field_safety,
    )


def new_session() -> None:
    token = ui.form_token(FORM)
    key = f"new_{token}"
    prefill = st.session_state.get(PREFILL) or {}
    if prefill.get("agenda"):
        with st.container(border=True):
            st.markdown("**From the prep card**")
            for line in prefill["agenda"]:
                ui.plain_text(line)
    kind = st.radio("Kind of session", options=sessions.KINDS, horizontal=True, key=f"{key}_kind",
                    format_func=str.capitalize)
    options = [choice.peer_id for choice in choices]
    preselected = prefill.get("peer_id") if prefill.get("peer_id") in by_id else None
    if kind == "individual":
        chosen = st.selectbox("Supervisee", options=options, format_func=lambda peer_id: by_id[peer_id].name,
                              index=options.index(preselected) if preselected else None,
                              placeholder="Choose a supervisee", key=f"{key}_supervisee")
        attendee_ids = [chosen] if chosen is not None else []
    else:
        attendee_ids = st.multiselect("Attendees (among your supervisees)", options=options,
                                      default=[preselected] if preselected else [],
                                      format_func=lambda peer_id: by_id[peer_id].name, key=f"{key}_attendees")
    if not attendee_ids:
        st.info("Choose who attended; the functions you hold with them open for recording.")
        return
    held = sessions.functions_held_with_all(functions_by_peer, attendee_ids)
    suggested = [function for function in prefill.get("functions", ()) if function in FUNCTIONS]
    start = sessions.SessionContent(held_on=today, duration_minutes=DEFAULT_DURATION,
                                    minutes=sessions.split_minutes(suggested, DEFAULT_DURATION))
    content = content_fields(key, held=held, start=start, group=kind == "group")

    st.markdown("**Action items**")
    owners = [*attendee_ids, user.id]
    names = {user.id: f"{user.display_name} (me)", **{peer_id: by_id[peer_id].name for peer_id in attendee_ids}}
    items = []
    for row in range(ITEM_ROWS):
        columns = st.columns([2, 4, 2])
        owner = columns[0].selectbox("Owner", options=owners, format_func=names.get, key=f"{key}_item_owner_{row}")
        text = columns[1].text_input("To do", help=f"Up to {sessions.MAX_ITEM_LENGTH:,} characters.",
                                     key=f"{key}_item_text_{row}")
        due_on = columns[2].date_input("Due", value=None, min_value=content.held_on, key=f"{key}_item_due_{row}")
        if text.strip():
            items.append(sessions.NewActionItem(owner_id=owner, text=text, due_on=due_on))
            field_problem(key, f"action_item_{len(items)}")
    field_problem(key, "action_items")

    if st.button("Save session", type="primary", key=f"{key}_save"):
        try:
            record = ui.call(sessions.record_session, kind=kind, attendee_ids=attendee_ids, content=content,
                             action_items=items, idempotency_key=token)
        except ValidationError as problem:
            refused(key, problem)
        else:
            ui.renew_form_token(FORM)
            st.session_state.pop(PREFILL, None)
            count = len(record.action_items)
            st.session_state[SAVED] = (
                f"Saved the session of {record.summary.held_on:%d %b %Y} with "
                f"{', '.join(record.summary.attendee_names)}"
                + (f", with {count} action item{'s' if count > 1 else ''}." if count else ".")
            )
            st.rerun()
    save_summary(key)


def edit_or_amend() -> None:
    recent = ui.call(sessions.my_recent_sessions, on=today)
    if not recent:
        st.write("You have recorded no sessions in the last 90 days.")
        return
    labels = {summary.id: f"{summary.held_on:%d %b %Y} · {summary.kind} · {', '.join(summary.attendee_names)}"
              for summary in recent}
    picked = st.selectbox("Session", options=list(labels), index=None, format_func=labels.get,
                          placeholder="Choose one of your sessions", key="edit_pick")
    if picked is None:
        return
    record = ui.call(sessions.session_record, session_id=picked)
    key = f"edit_{picked}"
    editable = record.editable(clock.now())
    if editable:
        st.caption(f"You can edit this session until {record.editable_until:%d %b %Y, %H:%M} UTC.")
    else:
        st.info("Recorded more than 7 days ago: a change is kept as an amendment, with the earlier version and "
                "your reason.")
    supervised = [peer_id for peer_id in record.attendee_ids if peer_id in by_id]
    held = sessions.functions_held_with_all(functions_by_peer, supervised) | frozenset(record.content.functions)
    content = content_fields(key, held=held,
                             start=record.content, group=record.summary.kind == "group")
    if editable:
        if st.button("Save changes", type="primary", key=f"{key}_save"):
            try:
                ui.call(sessions.edit_session, session_id=picked, content=content)
            except ValidationError as problem:
                refused(key, problem)
            else:
                st.session_state.pop(f"{key}_problems", None)
                st.success("Your changes are saved.")
        save_summary(key)
    else:
        reason = st.text_area("Why are you amending this record?",
                              help=f"Up to {sessions.MAX_REASON_LENGTH:,} characters.", key=f"{key}_reason")
        field_problem(key, "reason")
        if st.button("Save amendment", type="primary", key=f"{key}_save"):
            try:
                ui.call(sessions.amend_session, session_id=picked, content=content, reason=reason)
            except ValidationError as problem:
                refused(key, problem)
            else:
                st.session_state.pop(f"{key}_problems", None)
                st.session_state[SAVED] = "The amendment is saved; the earlier version is kept with your reason."
                st.rerun()
        save_summary(key)
    if record.action_items:
        st.markdown("**Action items set in this session**")
        for item in record.action_items:
            due = f" · due {item.due_on:%d %b %Y}" if item.due_on else ""
            st.caption(f"{ui.escape_markdown(item.owner_name)} · {item.status}{due}")
            ui.plain_text(item.text)
    if record.amendments:
        st.markdown("**Amendments**")
        for amendment in record.amendments:
            st.caption(f"{amendment.created_at:%d %b %Y, %H:%M} UTC")
            ui.plain_text(amendment.reason)


st.title("Record a session")
saved = st.session_state.pop(SAVED, None)
if saved:
    st.success(saved, icon=":material/check_circle:")
if not choices:
    st.write("You have no active supervision assignments. An administrator assigns supervisees.")
else:
    new_tab, edit_tab = st.tabs(["New session", "Edit or amend"])
    with new_tab:
        new_session()
    with edit_tab:
        edit_or_amend()
