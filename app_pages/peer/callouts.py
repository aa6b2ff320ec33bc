from datetime import timedelta

import streamlit as st

from console.core import clock, identifiers
from console.core.errors import ValidationError
from console.core.i18n import _, show_date, show_day, show_number
from console.fieldwork import callouts
from console.web import ui
from console.wellness import support

ui.require_role("peer")
FORM = "callout_log"
PROBLEMS = "callout_problems"
LOGGED = "callout_logged"
AFTER_SAVED = "callout_after_saved"
GENERATION = "callout_form_generation"
"""Part of every field's key: a new generation after a call-out is logged starts an empty form."""
today = clock.today()
mine = ui.call(callouts.my_callouts, on=today)
problems: dict[str, str] = st.session_state.get(PROBLEMS, {})
generation = st.session_state.get(GENERATION, 0)


def field_problem(name: str) -> None:
    if name in problems:
        st.error(ui.escape_markdown(problems[name]), icon=":material/error:")


st.title(_("Call-out log"))
st.caption(_("Log a call-out when it ends: under a minute. Your supervisors see that you logged it, and what else "
             "they see follows your choice on Privacy and sharing."))

# One slot, there on every run: a message shown once must not move the form's fields, or the browser rebuilds
# them and drops a time typed while the next run (a changed day) was under way.
thanks_slot = st.empty()
thanks = [(message, icon) for shown, message, icon in (
    (st.session_state.pop(LOGGED, None) is not None, _("Logged. Thank you for the work you did today."),
     ":material/check_circle:"),
    (st.session_state.pop(AFTER_SAVED, False),
     _("Thank you for checking in with yourself. Your answers stay with you."), ":material/favorite:"),
) if shown]
if thanks:
    with thanks_slot.container():
        for message, icon in thanks:
            st.success(message, icon=icon)

for entry in mine.awaiting_after_checkin:
    with st.container(border=True, key=f"after_{entry.id}"):
        st.subheader(_("After a hard call"), anchor=False)
        st.write(_("You logged {reason} ({summary}). That is a lot to carry. Three quick questions, just for you; "
                   "skip any of them.", reason=entry.hard_reason, summary=entry.summary(mine.time_zone)))
        ui.support_resources(contact=ui.call(support.support_contact), prominent=True)
        answers = {}
        for key, (question, options) in callouts.AFTER_QUESTIONS.items():
            answers[key] = st.radio(_(question), options=list(options),
                                    format_func=lambda value, labels=options: _(labels[value]), index=None,
                                    horizontal=True, key=f"after_{entry.id}_{key}")
        if mine.supportive_supervisors:
            due = entry.debrief_due
            by = f"{show_day(due.date())} {due:%H:%M}" if due else ""
            st.caption(_("Your program offers a debrief with your supervisor within {hours} hours (by {due} UTC).",
                         hours=mine.window_hours, due=by) if due else
                       _("Your program offers a debrief with your supervisor within {hours} hours.",
                         hours=mine.window_hours))
        wants_debrief = st.checkbox(_("I'd like a debrief"), key=f"after_{entry.id}_debrief",
                                    value=entry.debrief_requested, disabled=not mine.supportive_supervisors)
        if st.button(_("Save my answers"), key=f"after_{entry.id}_done", type="primary", icon=":material/check:"):
            ui.call(callouts.after_incident_checkin, callout_id=entry.id, answers=answers,
                    wants_debrief=wants_debrief)
            st.session_state[AFTER_SAVED] = True
            st.rerun()

st.info(_("Nothing about the person you served: no names, addresses, phone numbers, dates of birth or case "
          "details."), icon=":material/shield_person:")
zone = mine.time_zone
day = st.date_input(_("Day it started"), value=today, max_value=today, min_value=today - timedelta(days=30),
                    key=f"callout_day_{generation}", format="YYYY-MM-DD")
start_column, end_column = st.columns(2)
start = start_column.time_input(_("Started"), value=None, step=timedelta(minutes=5), key=f"callout_start_{generation}")
end = end_column.time_input(_("Ended"), value=None, step=timedelta(minutes=5), key=f"callout_end_{generation}")
st.caption(_("Times in the program's time zone ({zone}). An end before the start counts as the next day.", zone=zone))
field_problem("started_at")
field_problem("ended_at")
kind = st.radio(_("What kind of call-out"), options=list(callouts.KINDS),
                format_func=lambda code: _(callouts.KINDS[code]), index=None, key=f"callout_kind_{generation}")
field_problem("kind")
setting = st.radio(_("Where"), options=list(callouts.SETTINGS), format_func=lambda code: _(callouts.SETTINGS[code]),
                   index=None,
                   horizontal=True, key=f"callout_setting_{generation}")
field_problem("setting")
person_served_died = st.checkbox(_("Someone I serve or have served died"), key=f"callout_died_{generation}")
with_whom = st.pills(_("With whom"), options=list(callouts.RESPONDERS),
                     format_func=lambda code: _(callouts.RESPONDERS[code]),
                     selection_mode="multi", key=f"callout_with_{generation}")
field_problem("with_whom")
actions = st.pills(_("What I did"), options=list(callouts.ACTIONS), format_func=lambda code: _(callouts.ACTIONS[code]),
                   selection_mode="multi", key=f"callout_actions_{generation}")
field_problem("actions")
rating = st.radio(_("How it went for me"), options=list(callouts.RATINGS),
                  format_func=lambda value: _(callouts.RATINGS[value]),
                  index=None, horizontal=True, key=f"callout_rating_{generation}")
field_problem("rating")
note = st.text_area(_("Note (optional, private unless you share it)"), key=f"callout_note_{generation}",
                    help=_("Up to {limit} characters. Nothing that identifies the person you served.",
                           limit=show_number(callouts.NOTE.limit)))
note_warning = identifiers.warning(note)
confirmed = False
if note_warning:
    st.warning(note_warning, icon=":material/warning:")
    confirmed = st.checkbox(_("It is not about the person I served: keep it as written"),
                            key=f"callout_confirmed_{generation}")
elif "note" in problems:
    field_problem("note")
note_shared = st.checkbox(_("Share this note with my supervisor"), key=f"callout_note_shared_{generation}")

if st.button(_("Log this call-out"), type="primary", icon=":material/send:", width="stretch"):
    missing = {name: message for name, value, message in (
        ("started_at", start, _("Enter when the call-out started.")),
        ("ended_at", end, _("Enter when the call-out ended.")),
    ) if value is None}
    try:
        if missing:
            raise ValidationError(_("Please fix: {problems}", problems=" ".join(missing.values())), problems=missing)
        started_at, ended_at = callouts.call_times(day=day, start=start, end=end, zone_name=zone)
        ui.call(callouts.log_callout, started_at=started_at, ended_at=ended_at, kind=kind or "", setting=setting or "",
                rating=rating or 0, with_whom=with_whom or [], actions=actions or [],
                person_served_died=person_served_died, note=note, note_shared=note_shared,
                identifiers_confirmed=confirmed, idempotency_key=ui.form_token(FORM))
    except ValidationError as problem:
        st.session_state[PROBLEMS] = problem.problems or {"form": str(problem)}
    else:
        ui.renew_form_token(FORM)
        st.session_state.pop(PROBLEMS, None)
        st.session_state[LOGGED] = True
        st.session_state[GENERATION] = generation + 1
    st.rerun()
if problems:
    st.error(_("Something needs a change: see the messages above. Nothing is logged yet."), icon=":material/error:")
    field_problem("form")

st.subheader(_("My recent call-outs"))
if not mine.entries:
    st.write(_("None logged in the last {days} days.", days=callouts.RECENT_DAYS))
for entry in mine.entries:
    with st.container(border=True):
        st.markdown(f"**{ui.escape_markdown(entry.summary(mine.time_zone))}**")
        details = [_("How it went for me: {rating}", rating=_(callouts.RATINGS[entry.rating]))] if entry.rating else []
        if entry.actions:
            details.append(_("What I did: {actions}", actions="; ".join(_(callouts.ACTIONS[code]).lower()
                                                                         for code in entry.actions)))
        st.caption(". ".join(details))
        if entry.note:
            ui.plain_text(entry.note)
            st.caption(_("Shared with your supervisor.") if entry.note_shared else _("Private to you."))
        if entry.hard_reason:
            if entry.debriefed_on is not None:
                st.caption(_("Debrief held on {day}.", day=show_date(entry.debriefed_on)))
            elif entry.debrief_requested:
                st.caption(_("You asked for a debrief; your supervisor has been asked to offer one."))
            elif mine.supportive_supervisors and st.button(_("I'd like a debrief"), key=f"debrief_{entry.id}"):
                ui.call(callouts.request_debrief, callout_id=entry.id)
                st.rerun()
