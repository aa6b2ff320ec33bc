import streamlit as st

from console.core import clock, i18n
from console.core.i18n import _, n_
from console.supervision import sessions, supervisor_week
from console.web import ui

ui.require_role("supervisor")
today = clock.today()

st.title(_("My supervision load"))
load = ui.call(supervisor_week.supervision_load, on=today)

columns = st.columns(2)
columns[0].metric(_("People I supervise"), load.supervisees)
columns[1].metric(_("Sessions a week, last {weeks} weeks", weeks=len(load.weeks)),
                  i18n.show_number(load.sessions_per_week, decimals=1))

balance = load.balance
balance_days = (balance.window_end - balance.window_start).days + 1
st.header(_("Balance of functions, last {days} days", days=balance_days), anchor=False)
if balance.total_minutes == 0:
    st.write(_("No sessions in the last {days} days.", days=balance_days))
else:
    st.caption(n_("{count} session, {minutes} minutes, across everyone I supervise.",
                  "{count} sessions, {minutes} minutes, across everyone I supervise.", balance.sessions,
                  minutes=balance.total_minutes))
    for column, function in zip(st.columns(3), balance.minutes, strict=True):
        column.metric(_(sessions.FUNCTION_LABELS[function]), i18n.show_percent(balance.shares[function] or 0),
                      help=_("{minutes} minutes", minutes=balance.minutes[function]))

st.header(_("Sessions per week"), anchor=False)
st.dataframe(
    [{_("week of"): week.week_start, _("sessions"): week.sessions, _("minutes"): week.minutes}
     for week in reversed(load.weeks)],
    hide_index=True,
)

st.header(_("No supportive supervision within {days} days", days=load.supportive_gap_days), anchor=False)
st.caption(_("Among the people you supervise for their wellness (educational or supportive), from any supervisor."))
if not load.without_supportive:
    st.write(_("Everyone has had supportive supervision within the last {days} days.", days=load.supportive_gap_days))
for gap in load.without_supportive:
    last = (_("last on {day}", day=ui.show_date(gap.last_supportive)) if gap.last_supportive
            else _("none in the last six months"))
    st.write(f"- {ui.escape_markdown(gap.name)}: {last}")
