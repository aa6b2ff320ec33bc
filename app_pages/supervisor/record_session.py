import streamlit as st

from console.core import clock, i18n, input_limits
from console.core.errors import ValidationError
from console.core.i18n import _, n_
from console.fieldwork import ethics
from console.supervision import sessions, supervisor_week
from console.web import ui
from console.wellness import drafts

user = ui.require_role("supervisor")
today = clock.today()
PREFILL = "session_prefill"
SAVED = "session_saved_notice"
FORM = "record_session"
DRAFT = "session_draft"
DRAFT_CHECKED = "session_draft_checked"
LAST_DRAFT = "session_last_draft"
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
        st.error(_("Nothing was saved yet: {problems} What you wrote is still here.",
                   problems=" ".join(problems.values())), icon=":material/error:")


def content_fields(key: str, *, held: frozenset[str], start: sessions.SessionContent, group: bool
                   ) -> sessions.SessionContent:
    columns = st.columns(2)
    held_on = columns[0].date_input(_("Date"), value=start.held_on, min_value=input_limits.EARLIEST_DATE,
                                    max_value=today, key=f"{key}_held_on")
    duration = columns[1].number_input(_("Duration (minutes)"), step=5, value=start.duration_minutes,
                                       key=f"{key}_duration",
                                       help=_("From {low} to {high} minutes.", low=sessions.MIN_DURATION,
                                              high=sessions.MAX_DURATION))
    with columns[0]:
        field_problem(key, "held_on")
    with columns[1]:
        field_problem(key, "duration_minutes")
    st.markdown(_("**Minutes per function**"))
    minutes = {}
    for column, function in zip(st.columns(3), FUNCTIONS, strict=True):
        minutes[function] = column.number_input(
            _(LABELS[function]), step=5,
            value=start.minutes.get(function, 0), disabled=function not in held, key=f"{key}_minutes_{function}",
            help=None if function in held else _("You do not hold this function with everyone in the session."),
        )
    field_problem(key, "minutes", "functions")
    unassigned = duration - sum(minutes.values())
    if unassigned > 0:
        st.caption(_("{unassigned} of the {duration} minutes are not given to a function.", unassigned=unassigned,
                     duration=duration))
    elif unassigned < 0:
        st.warning(_("The functions add up to {over} minutes more than the {duration}-minute session.",
                     over=-unassigned, duration=duration))
    else:
        st.caption(_("The minutes per function add up to the duration."))
    field_problem(key, "activities")

    readers = (_("Every attendee can read these notes: keep any one person's wellness details out of them.")
               if group else _("The supervisee can read these notes."))
    activities, notes = [], {}
    for function in FUNCTIONS:
        if function not in held:
            continue
        st.markdown(f"**{_(LABELS[function])}**")
        halves = st.columns(2)
        for position, activity in enumerate(sessions.activities_of(function)):
            if halves[position % 2].checkbox(_(activity.label), value=activity.code in start.activities,
                                             key=f"{key}_activity_{activity.code}"):
                activities.append(activity.code)
        notes[function] = st.text_area(_("{function} notes", function=_(LABELS[function])),
                                       value=start.notes.get(function, ""), help=up_to(readers),
                                       key=f"{key}_notes_{function}")
        field_problem(key, f"notes_{function}")
    field_problem(key, "notes")
    st.caption(readers)
    drift = st.checkbox(_("Peer drift observed (pulled into case-management or clinical tasks)"),
                        value=start.peer_drift, key=f"{key}_drift")
    drift_label = (_("What you observed — every attendee reads this, word for word") if group
                   else _("What you observed — the supervisee reads this, word for word"))
    drift_note = st.text_area(drift_label, value=start.peer_drift_note, disabled=not drift,
                              help=up_to(readers), key=f"{key}_drift_note")
    field_problem(key, "peer_drift_note")
    st.divider()
    reflection = st.text_area(_("Private reflection — only you can read this"), value=start.private_reflection,
                              key=f"{key}_reflection",
                              help=up_to(_("Not shown to the supervisee, other supervisors or the program lead.")))
    field_problem(key, "private_reflection")
    ethics = st.multiselect(_("Ethics areas discussed"), options=list(sessions.ETHICS_AREAS),
                            default=list(start.ethics_areas), format_func=lambda area: _(sessions.ETHICS_AREAS[area]),
                            key=f"{key}_ethics")
    field_safety = st.checkbox(_("Field-safety concerns discussed"), value=start.field_safety_discussed,
                               key=f"{key}_field_safety")
    field_problem(key, "ethics_areas")
    return sessions.SessionContent(
        held_on=held_on, duration_minutes=int(duration), minutes={f: int(m) for f, m in minutes.items()},
        activities=tuple(activities), notes=notes, private_reflection=reflection, peer_drift=drift,
        peer_drift_note=drift_note, ethics_areas=tuple(ethics), field_safety_discussed=field_safety,
    )


def up_to(readers: str, limit: int = sessions.MAX_NOTE_LENGTH) -> str:
    """A note's help: who reads it, and how long it may be."""
    return _("{readers} Up to {limit} characters.", readers=readers, limit=i18n.show_number(limit))


def start_again() -> None:
    ui.call(drafts.discard_draft, kind=sessions.DRAFT_KIND, period=sessions.DRAFT_PERIOD)
    st.session_state.pop(DRAFT, None)
    st.session_state[LAST_DRAFT] = None
    ui.renew_form_token(FORM)


def keep_draft(payload: dict) -> None:
    """Keep what is written so far as an encrypted draft only its author reads, so that a reload loses nothing."""
    if payload != st.session_state.get(LAST_DRAFT):
        ui.call(drafts.save_draft, kind=sessions.DRAFT_KIND, period=sessions.DRAFT_PERIOD, payload=payload)
        st.session_state[LAST_DRAFT] = payload


def new_session() -> None:
    token = ui.form_token(FORM)
    key = f"new_{token}"
    prefill = st.session_state.get(PREFILL) or {}
    if DRAFT_CHECKED not in st.session_state:
        st.session_state[DRAFT_CHECKED] = True
        st.session_state[DRAFT] = ui.call(drafts.load_draft, kind=sessions.DRAFT_KIND, period=sessions.DRAFT_PERIOD)
        st.session_state[LAST_DRAFT] = st.session_state[DRAFT]
    draft = None if prefill else st.session_state.get(DRAFT)
    if draft is not None and not draft.get("attendee_ids"):
        draft = None
    if draft is not None:
        st.info(_("Your unfinished notes are back, as you left them."), icon=":material/restore:")
        st.button(_("Start again with an empty form"), on_click=start_again, key=f"{key}_start_again")
        prefill = {"peer_id": draft["attendee_ids"][0]}
        if f"{key}_seeded" not in st.session_state:
            st.session_state[f"{key}_seeded"] = True
            st.session_state[f"{key}_kind"] = draft["kind"]
            if draft["kind"] == "group":
                st.session_state[f"{key}_attendees"] = [peer for peer in draft["attendee_ids"] if peer in by_id]
            for row, item in enumerate(draft["action_items"][:ITEM_ROWS]):
                st.session_state[f"{key}_item_text_{row}"] = item["text"]
    if prefill.get("agenda"):
        with st.container(border=True):
            st.markdown(_("**From the prep card**"))
            for line in prefill["agenda"]:
                ui.plain_text(line)
    kind = st.radio(_("Kind of session"), options=sessions.KINDS, horizontal=True, key=f"{key}_kind",
                    format_func=lambda code: _(sessions.KIND_LABELS[code]))
    options = [choice.peer_id for choice in choices]
    preselected = prefill.get("peer_id") if prefill.get("peer_id") in by_id else None
    if kind == "individual":
        chosen = st.selectbox(_("Supervisee"), options=options, format_func=lambda peer_id: by_id[peer_id].name,
                              index=options.index(preselected) if preselected else None,
                              placeholder=_("Choose a supervisee"), key=f"{key}_supervisee")
        attendee_ids = [chosen] if chosen is not None else []
    else:
        attendee_ids = st.multiselect(_("Attendees (among your supervisees)"), options=options,
                                      default=[preselected] if preselected else [],
                                      format_func=lambda peer_id: by_id[peer_id].name, key=f"{key}_attendees")
    if not attendee_ids:
        st.info(_("Choose who attended; the functions you hold with them open for recording."))
        return
    held = sessions.functions_held_with_all(functions_by_peer, attendee_ids)
    suggested = [function for function in prefill.get("functions", ()) if function in FUNCTIONS]
    start = sessions.SessionContent(held_on=today, duration_minutes=DEFAULT_DURATION,
                                    minutes=sessions.split_minutes(suggested, DEFAULT_DURATION),
                                    ethics_areas=tuple(area for area in prefill.get("ethics_areas", ())
                                                       if area in sessions.ETHICS_AREAS),
                                    field_safety_discussed=bool(prefill.get("field_safety")))
    shared_ethics = ui.call(ethics.shared_for_prep)
    for peer_id in attendee_ids:
        for item in shared_ethics.get(peer_id, []):
            st.caption(_("Shared by {name} from the ethics self-check ({area}); tick its area under \"Ethics areas "
                         "discussed\" when you talk about it:", name=ui.escape_markdown(by_id[peer_id].name),
                         area=item.area_title.lower()))
            ui.plain_text(item.statement)
    if draft is not None:
        start = sessions.content_from_draft(draft)
    content = content_fields(key, held=held, start=start, group=kind == "group")

    st.markdown(_("**Action items**"))
    owners = [*attendee_ids, user.id]
    names = {user.id: _("{name} (me)", name=user.display_name), **{peer_id: by_id[peer_id].name for peer_id in attendee_ids}}
    items = []
    for row in range(ITEM_ROWS):
        columns = st.columns([2, 4, 2])
        owner = columns[0].selectbox(_("Owner"), options=owners, format_func=names.get, key=f"{key}_item_owner_{row}")
        text = columns[1].text_input(_("To do"), help=_("Up to {limit} characters.",
                                                          limit=i18n.show_number(sessions.MAX_ITEM_LENGTH)),
                                     key=f"{key}_item_text_{row}")
        due_on = columns[2].date_input(_("Due"), value=None, min_value=content.held_on, key=f"{key}_item_due_{row}")
        if text.strip():
            items.append(sessions.NewActionItem(owner_id=owner, text=text, due_on=due_on))
            field_problem(key, f"action_item_{len(items)}")
    field_problem(key, "action_items")
    if draft is not None or content != start or items:
        keep_draft(sessions.draft_payload(kind=kind, attendee_ids=attendee_ids, content=content, action_items=items))

    if st.button(_("Save session"), type="primary", key=f"{key}_save"):
        try:
            record = ui.call(sessions.record_session, kind=kind, attendee_ids=attendee_ids, content=content,
                             action_items=items, idempotency_key=token)
        except ValidationError as problem:
            refused(key, problem)
        else:
            ui.renew_form_token(FORM)
            st.session_state.pop(PREFILL, None)
            st.session_state.pop(DRAFT, None)
            st.session_state[LAST_DRAFT] = None
            count = len(record.action_items)
            day, attendees = ui.show_date(record.summary.held_on), i18n.show_list(record.summary.attendee_names)
            st.session_state[SAVED] = (
                n_("Saved the session of {day} with {attendees}, with {count} action item.",
                   "Saved the session of {day} with {attendees}, with {count} action items.", count, day=day,
                   attendees=attendees)
                if count else _("Saved the session of {day} with {attendees}.", day=day, attendees=attendees)
            )
            st.rerun()
    save_summary(key)


def kind_word(kind: str) -> str:
    return _(sessions.KIND_LABELS[kind]).lower() if kind in sessions.KIND_LABELS else kind


def edit_or_amend() -> None:
    recent = ui.call(sessions.my_recent_sessions, on=today)
    if not recent:
        st.write(_("You have recorded no sessions in the last 90 days."))
        return
    labels = {summary.id: f"{ui.show_date(summary.held_on)} · {kind_word(summary.kind)} · "
                          f"{', '.join(summary.attendee_names)}"
              for summary in recent}
    picked = st.selectbox(_("Session"), options=list(labels), index=None, format_func=labels.get,
                          placeholder=_("Choose one of your sessions"), key="edit_pick")
    if picked is None:
        return
    record = ui.call(sessions.session_record, session_id=picked)
    key = f"edit_{picked}"
    editable = record.editable(clock.now())
    if editable:
        st.caption(_("You can edit this session until {moment}.", moment=ui.show_time(record.editable_until)))
    else:
        st.info(_("Recorded more than 7 days ago: a change is kept as an amendment, with the earlier version and "
                  "your reason."))
    supervised = [peer_id for peer_id in record.attendee_ids if peer_id in by_id]
    held = sessions.functions_held_with_all(functions_by_peer, supervised) | frozenset(record.content.functions)
    content = content_fields(key, held=held,
                             start=record.content, group=record.summary.kind == "group")
    if editable:
        if st.button(_("Save changes"), type="primary", key=f"{key}_save"):
            try:
                ui.call(sessions.edit_session, session_id=picked, content=content)
            except ValidationError as problem:
                refused(key, problem)
            else:
                st.session_state.pop(f"{key}_problems", None)
                st.success(_("Your changes are saved."))
        save_summary(key)
    else:
        reason = st.text_area(_("Why are you amending this record?"),
                              help=_("Up to {limit} characters.", limit=i18n.show_number(sessions.MAX_REASON_LENGTH)),
                              key=f"{key}_reason")
        field_problem(key, "reason")
        if st.button(_("Save amendment"), type="primary", key=f"{key}_save"):
            try:
                ui.call(sessions.amend_session, session_id=picked, content=content, reason=reason)
            except ValidationError as problem:
                refused(key, problem)
            else:
                st.session_state.pop(f"{key}_problems", None)
                st.session_state[SAVED] = _("The amendment is saved; the earlier version is kept with your reason.")
                st.rerun()
        save_summary(key)
    if record.action_items:
        st.markdown(_("**Action items set in this session**"))
        for item in record.action_items:
            status = _("done") if item.status == "done" else _("open") if item.status == "open" else item.status
            line = f"{ui.escape_markdown(item.owner_name)} · {status}"
            st.caption(_("{line} · due {day}", line=line, day=ui.show_date(item.due_on)) if item.due_on else line)
            ui.plain_text(item.text)
    if record.amendments:
        st.markdown(_("**Amendments**"))
        for amendment in record.amendments:
            st.caption(f"{ui.show_time(amendment.created_at)}")
            ui.plain_text(amendment.reason)


st.title(_("Record a session"))
if st.button(_("Debriefing a hard call? Record the debrief quickly, linked to the call"), icon=":material/support:",
             type="tertiary", key="open_debriefs"):
    st.switch_page("app_pages/supervisor/callouts.py")
saved = st.session_state.pop(SAVED, None)
if saved:
    st.success(saved, icon=":material/check_circle:")
if not choices:
    st.write(_("You have no active supervision assignments. An administrator assigns supervisees."))
else:
    new_tab, edit_tab = st.tabs([_("New session"), _("Edit or amend")])
    with new_tab:
        new_session()
    with edit_tab:
        edit_or_amend()
