import streamlit as st

from console.core import clock
from console.core.errors import ValidationError
from console.core.i18n import _
from console.notify import account_notices
from console.policy import sharing
from console.program import equity
from console.supervision import shared_view
from console.web import ui

ui.require_role("peer")
CHANGED = "sharing_changed_to"
DESCRIBED = "self_description_saved"
DESCRIPTION_PROBLEMS = "self_description_problems"
today = clock.today()
privacy = ui.call(sharing.my_privacy)
notices = ui.call(account_notices.my_notices, on=today)

st.title(_("Privacy and sharing"))
st.write(_("You choose how much your supervisor sees of your check-ins and self-assessments. A change takes effect "
           "the moment you make it."))
changed_to = st.session_state.pop(CHANGED, None)
if changed_to is not None:
    st.success(_("Done: you now share at the “{level}” level.", level=sharing.LEVEL_BY_NAME[changed_to].title),
               icon=":material/check_circle:")

st.header(_("The three levels"))
for choice in sharing.LEVEL_CHOICES:
    st.markdown(f"**{choice.title}**: {choice.sees[0].upper()}{choice.sees[1:]}")
st.caption(sharing.NEVER_SHARED)

levels = [choice.level for choice in sharing.LEVEL_CHOICES]
picked = st.radio(_("See exactly what your supervisor would see at"), options=levels,
                  index=levels.index(privacy.level), format_func=lambda level: sharing.LEVEL_BY_NAME[level].title,
                  horizontal=True, key="privacy_level")
if picked == privacy.level:
    st.caption(_("This is the level you share at now."))
elif st.button(_("Share at “{level}” from now on", level=sharing.LEVEL_BY_NAME[picked].title), type="primary"):
    ui.call(sharing.set_sharing_level, level=picked)
    st.session_state[CHANGED] = picked
    st.rerun()

preview = ui.call(shared_view.preview_for_peer, level=picked, on=today)
with st.container(border=True):
    st.caption(_("Preview: what a supervisor of yours sees at “{level}”", level=sharing.LEVEL_BY_NAME[picked].title))
    ui.show_supervisor_view(preview, compact=False)

st.header(_("Who can see my data"))
for notice in (notice for notice in notices if notice.kind == account_notices.CAN_SEE):
    st.caption(f"{ui.show_time(notice.at)}")
    ui.plain_text(notice.text)
if not privacy.supervisors:
    st.write(_("No supervisor is assigned to you right now."))
else:
    st.dataframe(
        {_("supervisor"): [supervisor.name for supervisor in privacy.supervisors],
         _("supervision"): [", ".join(supervisor.functions) for supervisor in privacy.supervisors],
         _("sees"): [supervisor.sees for supervisor in privacy.supervisors]},
        hide_index=True,
    )
    for supervisor in privacy.supervisors:
        if supervisor.administrative_only:
            with st.expander(_("What {name} sees (administrative supervision only)",
                               name=ui.escape_markdown(supervisor.name))):
                ui.show_supervisor_view(
                    ui.call(shared_view.preview_for_peer, level=picked, on=today, administrative_only=True),
                    compact=False,
                )

st.header(_("Who has looked at my data"))
for notice in (notice for notice in notices if notice.kind == account_notices.SIGN_IN):
    st.caption(f"{ui.show_time(notice.at)}")
    ui.plain_text(notice.text)
if not privacy.views:
    st.write(_("Nobody else has opened your data yet."))
else:
    st.dataframe(
        {"when": [view.at for view in privacy.views], "who": [view.who for view in privacy.views],
         "what": [view.what for view in privacy.views]},
        hide_index=True,
        column_config={"when": st.column_config.DatetimeColumn(_("when"), format="D MMM YYYY, HH:mm"),
                       "who": st.column_config.Column(_("who")), "what": st.column_config.Column(_("what"))},
    )

st.subheader(_("Describing myself (optional)"))
st.write(_(equity.PRIVACY_EXPLANATION))
described = ui.call(equity.my_self_description)
if st.session_state.pop(DESCRIBED, None):
    st.success(_("Saved. You can change or remove your answers at any time.") if described
               else _("Removed. Nothing you described is kept."), icon=":material/check_circle:")
description_problems: dict[str, str] = st.session_state.get(DESCRIPTION_PROBLEMS, {})
with st.form("self_description"):
    answers = {}
    for dimension in equity.DIMENSIONS:
        codes = [None, *(code for code, _label in dimension.options)]
        answers[dimension.key] = st.selectbox(
            dimension.shown_question(), codes, index=codes.index(described.get(dimension.key)),
            format_func=lambda code, dimension=dimension: _("I'd rather not say") if code is None
            else dimension.shown_option(code), key=f"describe_{dimension.key}")
        if dimension.key in description_problems:
            st.error(ui.escape_markdown(description_problems[dimension.key]), icon=":material/error:")
    save_description = st.form_submit_button(_("Save my answers"), type="primary")
if save_description:
    try:
        ui.call(equity.save_self_description, answers=answers)
    except ValidationError as problem:
        st.session_state[DESCRIPTION_PROBLEMS] = problem.problems
    else:
        st.session_state.pop(DESCRIPTION_PROBLEMS, None)
        st.session_state[DESCRIBED] = True
    st.rerun()
if described and st.button(_("Remove all my answers"), icon=":material/delete:"):
    ui.call(equity.remove_self_description)
    for dimension in equity.DIMENSIONS:
        st.session_state.pop(f"describe_{dimension.key}", None)
    st.session_state[DESCRIBED] = True
    st.rerun()

with st.expander(_("The full trail of my data")):
    st.caption(_("Every recorded event about you or your data, newest first, with its detail. Administrators see "
                 "only account and access events, without wellness facts."))
    trail = ui.call(account_notices.my_data_trail)
    st.dataframe(
        {"when": [entry.at for entry in trail], "who": [entry.actor for entry in trail],
         "what": [entry.action.replace("_", " ") for entry in trail], "detail": [entry.detail for entry in trail]},
        hide_index=True,
        column_config={"when": st.column_config.DatetimeColumn(_("when"), format="D MMM YYYY, HH:mm"),
                       "who": st.column_config.Column(_("who")), "what": st.column_config.Column(_("what")),
                       "detail": st.column_config.Column(_("detail"))},
    )
