import streamlit as st

from console.core import clock
from console.core.i18n import _
from console.supervision import sessions, supervisor_week
from console.supervision.shared_view import LEVEL_WORDS
from console.web import chart_text, charts, ui

ui.require_role("supervisor")
today = clock.today()
DETAIL = "supervisee_detail_peer"
LABELS = sessions.FUNCTION_LABELS
CADENCES = {"weekly": _("weekly"), "biweekly": _("biweekly")}

st.title(_("My supervisees"))
st.caption(_("Each person's wellness detail follows the level they chose to share."))

rows = ui.call(supervisor_week.my_supervisees, on=today)
if not rows:
    st.write(_("You have no active supervision assignments. An administrator assigns supervisees."))
    st.stop()
st.dataframe(
    [
        {
            _("name"): row.name,
            _("team"): row.team,
            _("functions"): supervisor_week.function_names(row.functions),
            _("sharing"): _(LEVEL_WORDS[row.sharing_level]) if row.sharing_level in LEVEL_WORDS else row.sharing_level,
            _("last check-in (week of)"): row.last_checkin,
        }
        for row in rows
    ],
    hide_index=True,
)

names = {row.peer_id: row.name for row in rows}
preselected = st.session_state.pop(DETAIL, None)
if preselected in names:
    st.session_state["detail_peer"] = preselected
peer_id = st.selectbox(_("Open a supervisee"), options=list(names), index=None, format_func=names.get,
                       placeholder=_("Choose a supervisee"), key="detail_peer")
if peer_id is not None:
    detail = ui.call(supervisor_week.supervisee_detail, peer_id=peer_id, on=today)
    st.header(ui.escape_markdown(detail.view.name), anchor=False)
    st.caption(_("Your assignment: {functions} supervision.",
                 functions=supervisor_week.function_names(detail.functions)))
    ui.show_supervisor_view(detail.view, compact=False)

    st.subheader(_("Supervision"), anchor=False)
    cadence = detail.cadence
    last = (_("the last session was {days} days ago", days=cadence.days_since_last)
            if cadence.days_since_last is not None else _("no session in the last six months"))
    cadence_name = CADENCES.get(cadence.cadence, cadence.cadence)
    if cadence.cadence_met:
        st.success(_("The {cadence} cadence is met: {last}.", cadence=cadence_name, last=last),
                   icon=":material/event_available:")
    else:
        st.warning(_("The {cadence} cadence is not met: {last}.", cadence=cadence_name, last=last),
                   icon=":material/event_busy:")
    if detail.session_minutes:
        st.markdown(_("**Minutes per function, by month**"))
        ui.chart(charts.minutes_per_function(detail.session_minutes),
                 chart_text.minutes_per_function(detail.session_minutes))
    for entry in detail.history:
        summary = entry.summary
        functions = supervisor_week.function_names(summary.functions) or _("no function recorded")
        kind = _(sessions.KIND_LABELS[summary.kind]).lower() if summary.kind in sessions.KIND_LABELS else summary.kind
        with st.expander(_("{day} · {kind} · {minutes} min · {functions} · {supervisor}",
                           day=ui.show_date(summary.held_on), kind=kind, minutes=summary.duration_minutes,
                           functions=functions, supervisor=summary.supervisor_name)):
            record = entry.record
            if record is None:
                st.caption(_("Led by another supervisor: its notes are theirs and the attendees'."))
                continue
            content = record.content
            if summary.kind == "group":
                st.caption(_("Group session with {names}",
                             names=ui.escape_markdown(", ".join(summary.attendee_names))))
            for function in content.functions:
                st.markdown(_("**{function}** ({minutes} min)", function=_(LABELS[function]),
                              minutes=content.minutes[function]))
                done = [_(activity.label) for activity in sessions.activities_of(function)
                        if activity.code in content.activities]
                if done:
                    st.caption(" · ".join(done))
                if content.notes.get(function):
                    ui.plain_text(content.notes[function])
            if content.peer_drift:
                st.markdown(_("**Peer drift observed** (the supervisee reads this, word for word)"))
                ui.plain_text(content.peer_drift_note)
            if content.ethics_areas:
                st.caption(_("Ethics areas: {areas}",
                             areas=", ".join(_(sessions.ETHICS_AREAS[area]) for area in content.ethics_areas)))
            if content.field_safety_discussed:
                st.caption(_("Field-safety concerns discussed"))
            if content.private_reflection:
                st.markdown(_("**My private reflection** (only you can read this)"))
                ui.plain_text(content.private_reflection)
            for item in record.action_items:
                status = _("done") if item.status == "done" else _("open") if item.status == "open" else item.status
                line = _("Action item for {owner} · {status}", owner=ui.escape_markdown(item.owner_name), status=status)
                if item.due_on:
                    line = _("{line} · due {day}", line=line, day=ui.show_date(item.due_on))
                st.caption(line)
                ui.plain_text(item.text)
