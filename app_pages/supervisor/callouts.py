import streamlit as st

from console.core import clock
from console.core.errors import ValidationError
from console.core.i18n import _, n_, show_date, show_day
from console.fieldwork import callouts
from console.supervision.shared_view import LEVEL_WORDS
from console.web import ui

ui.require_role("supervisor")
FORM = "debrief"
PROBLEMS = "debrief_problems"
RECORDED = "debrief_recorded"
today = clock.today()
problems: dict[str, str] = st.session_state.get(PROBLEMS, {})


def field_problem(name: str) -> None:
    if name in problems:
        st.error(ui.escape_markdown(problems[name]), icon=":material/error:")


st.title(_("Call-outs and debriefs"))
st.caption(_("Your supervisees' call-outs of the last {days} days, each at the level the peer shares with you: counts "
             "and kinds always, how it went for them from the bands level, a note only when they shared it.",
             days=callouts.RECENT_DAYS))
views = ui.call(callouts.supervisees_callouts, on=today)
zone = ui.call(callouts.program_time_zone)
if st.session_state.pop(RECORDED, False):
    st.success(_("Debrief recorded as supportive supervision."), icon=":material/check_circle:")

to_offer = [(view, entry) for view in views for entry in view.debriefs_to_offer]
st.subheader(_("Debriefs to offer"))
if not to_offer:
    st.write(_("No hard call is waiting for a debrief."))
else:
    for view, entry in to_offer:
        late = entry.debrief_due is not None and entry.debrief_due < clock.now()
        due = f"{show_day(entry.debrief_due.date())} {entry.debrief_due:%H:%M}" if entry.debrief_due else ""
        line = (_("{name}: {reason}, {summary}. Offer a debrief by {due} UTC (the window has passed).", name=view.name,
                  reason=entry.hard_reason, summary=entry.summary(zone), due=due) if late else
                _("{name}: {reason}, {summary}. Offer a debrief by {due} UTC.", name=view.name,
                  reason=entry.hard_reason, summary=entry.summary(zone), due=due))
        (st.warning if late else st.info)(ui.escape_markdown(line), icon=":material/support:")
        if entry.debrief_requested:
            st.caption(_("{name} asked for a debrief.", name=ui.escape_markdown(view.name)))
    labels = {entry.id: f"{view.name}: {entry.hard_reason} ({entry.summary(zone)})" for view, entry in to_offer}
    with st.form(FORM, enter_to_submit=False):
        st.write(_("Record a debrief you held. Choose several calls for a team debrief after a shared incident: it "
                   "is recorded as a group session."))
        chosen = st.multiselect(_("The call or calls it was about"), options=list(labels), format_func=labels.get,
                                key="debrief_calls")
        field_problem("callouts")
        held_on = st.date_input(_("Held on"), value=today, max_value=today, key="debrief_held_on", format="YYYY-MM-DD")
        field_problem("held_on")
        minutes = st.number_input(_("Minutes"), min_value=callouts.DEBRIEF_DURATION[0],
                                  max_value=callouts.DEBRIEF_DURATION[1], value=30, step=5, key="debrief_minutes")
        field_problem("duration_minutes")
        note = st.text_area(_("Supportive notes (optional; the peer can read them, as with any session note)"),
                            key="debrief_note")
        field_problem("notes_supportive")
        submitted = st.form_submit_button(_("Record the debrief"), type="primary")
        field_problem("form")
    if submitted:
        try:
            ui.call(callouts.record_debrief, callout_ids=chosen, held_on=held_on, duration_minutes=int(minutes),
                    note=note, idempotency_key=ui.form_token(FORM))
        except ValidationError as problem:
            st.session_state[PROBLEMS] = problem.problems or {"form": str(problem)}
        else:
            ui.renew_form_token(FORM)
            st.session_state.pop(PROBLEMS, None)
            st.session_state[RECORDED] = True
        st.rerun()

st.subheader(_("Call-out logs"))
if not views:
    st.write(_("You have no active supervisees."))
for view in views:
    with st.container(border=True):
        st.markdown(_("**{name}** · shares {level}", name=ui.escape_markdown(view.name),
                      level=_(LEVEL_WORDS[view.level]) if view.level in LEVEL_WORDS else view.level))
        if not view.entries:
            st.caption(_("No call-outs logged in the last {days} days.", days=callouts.RECENT_DAYS))
            continue
        kinds = ", ".join(f"{_(callouts.KINDS[kind]).lower()}: {count}" for kind, count in sorted(view.kinds.items()))
        after_hours = sum(1 for entry in view.entries if entry.after_hours)
        st.caption(n_("{count} call-out ({after_hours} after hours). {kinds}.",
                      "{count} call-outs ({after_hours} after hours). {kinds}.", len(view.entries),
                      after_hours=after_hours, kinds=kinds))
        for entry in view.entries:
            parts = [entry.summary(zone)]
            if entry.rating is not None:
                parts.append(_("how it went for them: {rating}", rating=_(callouts.RATINGS[entry.rating]).lower()))
            if entry.debriefed_on is not None:
                parts.append(_("debriefed {day}", day=show_date(entry.debriefed_on)))
            st.markdown("- " + ui.escape_markdown(" · ".join(parts)))
            if entry.note is not None:
                ui.plain_text(entry.note)
