import streamlit as st

from console.core import clock
from console.supervision import sessions, supervisor_week
from console.web import ui

ui.require_role("supervisor")
today = clock.today()

st.title("My supervision load")
load = ui.call(supervisor_week.supervision_load, on=today)

columns = st.columns(2)
columns[0].metric("People I supervise", load.supervisees)
columns[1].metric(f"Sessions a week, last {len(load.weeks)} weeks", f"{load.sessions_per_week:.1f}")

balance = load.balance
balance_days = (balance.window_end - balance.window_start).days + 1
st.subheader(f"Balance of functions, last {balance_days} days", anchor=False)
if balance.total_minutes == 0:
    st.write(f"No sessions in the last {balance_days} days.")
else:
    st.caption(f"{balance.sessions} sessions, {balance.total_minutes} minutes, across everyone I supervise.")
    for column, function in zip(st.columns(3), balance.minutes, strict=True):
        column.metric(sessions.FUNCTION_LABELS[function], f"{balance.shares[function]:.0%}",
                      help=f"{balance.minutes[function]} minutes")

st.subheader("Sessions per week", anchor=False)
st.dataframe(
    [{"week of": week.week_start, "sessions": week.sessions, "minutes": week.minutes} for week in reversed(load.weeks)],
    hide_index=True,
)

st.subheader(f"No supportive supervision within {load.supportive_gap_days} days", anchor=False)
st.caption("Among the people you supervise for their wellness (educational or supportive), from any supervisor.")
if not load.without_supportive:
    st.write(f"Everyone has had supportive supervision within the last {load.supportive_gap_days} days.")
for gap in load.without_supportive:
    last = f"last on {gap.last_supportive:%d %b %Y}" if gap.last_supportive else "none in the last six months"
    st.write(f"- {ui.escape_markdown(gap.name)}: {last}")
