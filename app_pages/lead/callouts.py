import streamlit as st

from console.core import clock
from console.core.i18n import _, n_, show_month, show_percent
from console.fieldwork import callouts
from console.program import words
from console.web import ui

ui.require_role("lead")
st.title(_("Call-outs"))
period = st.selectbox(_("Closed months"), callouts.LEAD_PERIODS, index=callouts.LEAD_PERIODS.index(callouts.LEAD_MONTHS),
                      format_func=lambda count: n_("the last closed month", "the last {count} closed months", count))
figures = ui.call(callouts.lead_callouts, on=clock.today(), months=period)
st.caption(_("Call-outs logged by the peers on your teams, {first} to {last}. Each month's figures were released "
             "once, when the month closed, like every lead figure, so they never change: a figure built from fewer "
             "than {k} peers besides you and the people you supervise is hidden (—), and so is a second one when the "
             "first could be worked out from a total; the note says why. The period's figures are the sums of the "
             "months' released figures.", first=show_month(figures.first_month), last=show_month(figures.last_month),
             k=figures.k))


def shown(value: int | None) -> str:
    return "—" if value is None else str(value)


def table(teams: tuple[callouts.TeamCallOuts, ...]) -> list[dict[str, str]]:
    return [
        {
            _("Team"): words.group(team.team),
            _("Call-outs"): shown(team.callouts),
            _("After hours"): "—" if team.after_hours_share is None else show_percent(team.after_hours_share),
            **{_(label): shown(team.kinds[kind]) for kind, label in callouts.KINDS.items()},
            _("Note"): team.reason or "",
        }
        for team in teams
    ]


if not figures.months:
    st.info(_("No month has been released yet: a month's call-outs are released when the month closes."))
else:
    st.subheader(_("{first} to {last}, summed", first=show_month(figures.months[0].month),
                   last=show_month(figures.months[-1].month)))
    st.dataframe(table(figures.teams), hide_index=True, width="stretch")
    for month in reversed(figures.months):
        st.subheader(show_month(month.month))
        st.dataframe(table(month.teams), hide_index=True, width="stretch")
