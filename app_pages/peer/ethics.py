import streamlit as st

from console.core import identifiers, input_limits
from console.core.errors import ValidationError
from console.core.i18n import _, show_number
from console.fieldwork import ethics
from console.web import ui

ui.require_role("peer")
PROBLEMS = "ethics_problems"
NOTICE = "ethics_notice"

st.title(_("Ethics self-check"))
st.caption(_("A personal checklist for the hard calls of peer work, in three areas: yourself, the people you work "
             "with, and your agency and its partners. It is for you alone: nothing here is scored, nothing is kept "
             "unless you note it, and program leads never see it. Your supervisor reads only the items you choose to "
             "share."))
notice = st.session_state.pop(NOTICE, None)
if notice:
    st.success(notice, icon=":material/check_circle:")
problems: dict[str, str] = st.session_state.get(PROBLEMS, {})


def field_problem(name: str) -> None:
    if name in problems:
        st.error(ui.escape_markdown(problems[name]), icon=":material/error:")


st.write(_("Read each statement and ask yourself how it sits with you lately. Tick the ones you would like to "
           "think through with your supervisor."))
notes: dict[str, str] = {}
for section in ethics.CHECKLIST:
    st.subheader(_(section.title), anchor=False)
    st.caption(_(section.prompt))
    for statement in section.statements:
        if st.checkbox(_(statement.text), key=f"ethics_pick_{statement.code}"):
            notes[statement.code] = st.text_area(
                _("A few words for yourself or your supervisor (optional)"), key=f"ethics_note_{statement.code}",
                help=_("Stored encrypted. Up to {limit} characters. Leave out names of people you serve.",
                       limit=show_number(input_limits.ETHICS_NOTE.limit)))
            field_problem(f"note_{statement.code}")
field_problem("items")
confirmed = any(identifiers.warning(note) for note in notes.values()) and st.checkbox(
    _("My notes are not about a person I serve: keep them as written"), key="ethics_identifiers_confirmed")
share = st.toggle(_("Share the ticked items with my supervisor"), key="ethics_share",
                  help=_("Your educational and supportive supervisors see shared items on their prep sheet. You can "
                         "stop sharing an item at any time."))
if st.button(_("Keep these for supervision"), type="primary", icon=":material/bookmark_add:"):
    try:
        ui.call(ethics.note_items, notes=notes, share=share, identifiers_confirmed=confirmed)
    except ValidationError as problem:
        st.session_state[PROBLEMS] = problem.problems or {"items": str(problem)}
    else:
        st.session_state.pop(PROBLEMS, None)
        st.session_state.pop("ethics_identifiers_confirmed", None)
        for code in ethics.STATEMENTS:
            st.session_state.pop(f"ethics_pick_{code}", None)
            st.session_state.pop(f"ethics_note_{code}", None)
        st.session_state[NOTICE] = (_("Kept and shared with your supervisor.") if share
                                    else _("Kept for you. Share an item below when you are ready."))
    st.rerun()

items = ui.call(ethics.my_ethics_items)
st.subheader(_("To bring to supervision"), anchor=False)
if not items:
    st.write(_("Nothing noted yet."))
for item in items:
    with st.container(border=True):
        st.caption(f"{item.area_title} · "
                   + (_("shared with your supervisor") if item.shared else _("private to you")))
        ui.plain_text(item.statement)
        if item.note:
            ui.plain_text(item.note)
        share_column, aside_column = st.columns(2)
        if share_column.button(_("Stop sharing") if item.shared else _("Share with my supervisor"),
                               key=f"ethics_share_{item.id}"):
            ui.call(ethics.set_shared, item_id=item.id, shared=not item.shared)
            st.rerun()
        if aside_column.button(_("Talked about it — remove"), key=f"ethics_aside_{item.id}"):
            ui.call(ethics.set_aside, item_id=item.id)
            st.rerun()
