import streamlit as st

from console.core import clock
from console.core.i18n import _, show_month, show_percent
from console.fieldwork import callouts
from console.program.wellness_figures import TOTAL
from console.web import ui

ui.require_role("lead")
st.title(_("Call-outs"))
figures = ui.call(callouts.lead_callouts, on=clock.today())
st.caption(_("Call-outs logged by the peers on your teams, {first} to {last} (complete months). Operational figures, "
             "released like every lead figure: a team figure built from fewer than {k} peers besides you and the "
             "people you supervise is hidden (—), and so is a second one when the first could be worked out from the "
             "total; the note says why.", first=show_month(figures.first_month), last=show_month(figures.last_month),
             k=figures.k))
if not figures.teams:
    st.info(_("No call-outs were logged in these months."))
else:
    def shown(value: int | None) -> str:
        return "—" if value is None else str(value)

    rows = [
        {
            _("Team"): _(TOTAL) if team.team == TOTAL else team.team,
            _("Call-outs"): shown(team.callouts),
            _("After hours"): "—" if team.after_hours_share is None else show_percent(team.after_hours_share),
            **{_(label): shown(team.kinds[kind]) for kind, label in callouts.KINDS.items()},
            _("Note"): team.reason or "",
        }
        for team in figures.teams
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
