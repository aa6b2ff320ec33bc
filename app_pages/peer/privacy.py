import streamlit as st

from console.core import clock
from console.notify import account_notices
from console.policy import sharing
from console.supervision import shared_view
from console.web import ui

ui.require_role("peer")
CHANGED = "sharing_changed_to"
today = clock.today()
privacy = ui.call(sharing.my_privacy)
notices = ui.call(account_notices.my_notices, on=today)

st.title("Privacy and sharing")
st.write("You choose how much your supervisor sees of your check-ins and self-assessments. A change takes effect "
         "the moment you make it.")
changed_to = st.session_state.pop(CHANGED, None)
if changed_to is not None:
    st.success(f"Done: you now share at the “{sharing.LEVEL_BY_NAME[changed_to].title}” level.",
               icon=":material/check_circle:")

st.subheader("The three levels")
for choice in sharing.LEVEL_CHOICES:
    st.markdown(f"**{choice.title}**: {choice.sees[0].upper()}{choice.sees[1:]}")
st.caption(sharing.NEVER_SHARED)

levels = [choice.level for choice in sharing.LEVEL_CHOICES]
picked = st.radio("See exactly what your supervisor would see at", options=levels,
                  index=levels.index(privacy.level), format_func=lambda level: sharing.LEVEL_BY_NAME[level].title,
                  horizontal=True, key="privacy_level")
if picked == privacy.level:
    st.caption("This is the level you share at now.")
elif st.button(f"Share at “{sharing.LEVEL_BY_NAME[picked].title}” from now on", type="primary"):
    ui.call(sharing.set_sharing_level, level=picked)
    st.session_state[CHANGED] = picked
    st.rerun()

preview = ui.call(shared_view.preview_for_peer, level=picked, on=today)
with st.container(border=True):
    st.caption(f"Preview: what a supervisor of yours sees at “{sharing.LEVEL_BY_NAME[picked].title}”")
    ui.show_supervisor_view(preview, compact=False)

st.subheader("Who can see my data")
for notice in (notice for notice in notices if notice.kind == account_notices.CAN_SEE):
    st.caption(f"{notice.at:%d %B %Y, %H:%M} UTC")
    ui.plain_text(notice.text)
if not privacy.supervisors:
    st.write("No supervisor is assigned to you right now.")
else:
    st.dataframe(
        {"supervisor": [supervisor.name for supervisor in privacy.supervisors],
         "supervision": [", ".join(supervisor.functions) for supervisor in privacy.supervisors],
         "sees": [supervisor.sees for supervisor in privacy.supervisors]},
        hide_index=True,
    )
    for supervisor in privacy.supervisors:
        if supervisor.administrative_only:
            with st.expander(f"What {ui.escape_markdown(supervisor.name)} sees (administrative supervision only)"):
                ui.show_supervisor_view(
                    ui.call(shared_view.preview_for_peer, level=picked, on=today, administrative_only=True),
                    compact=False,
                )

st.subheader("Who has looked at my data")
for notice in (notice for notice in notices if notice.kind == account_notices.SIGN_IN):
    st.caption(f"{notice.at:%d %B %Y, %H:%M} UTC")
    ui.plain_text(notice.text)
if not privacy.views:
    st.write("Nobody else has opened your data yet.")
else:
    st.dataframe(
        {"when": [view.at for view in privacy.views], "who": [view.who for view in privacy.views],
         "what": [view.what for view in privacy.views]},
        hide_index=True,
        column_config={"when": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm")},
    )

with st.expander("The full trail of my data"):
    st.caption("Every recorded event about you or your data, newest first, with its detail. Administrators see "
               "only account and access events, without wellness facts.")
    trail = ui.call(account_notices.my_data_trail)
    st.dataframe(
        {"when": [entry.at for entry in trail], "who": [entry.actor for entry in trail],
         "what": [entry.action.replace("_", " ") for entry in trail], "detail": [entry.detail for entry in trail]},
        hide_index=True,
        column_config={"when": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm")},
    )
