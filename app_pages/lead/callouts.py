import streamlit as st

from console.core import clock
from console.fieldwork import callouts
from console.web import ui

ui.require_role("lead")
st.title("Call-outs")
figures = ui.call(callouts.lead_callouts, on=clock.today())
st.caption(f"Call-outs logged by the peers on your teams, {figures.first_month:%B %Y} to {figures.last_month:%B %Y} "
           f"(complete months). Operational figures, released like every lead figure: a team figure built from "
           f"fewer than {figures.k} peers besides you and the people you supervise is hidden (—), and so is a second "
           "one when the first could be worked out from the total; the note says why.")
if not figures.teams:
    st.info("No call-outs were logged in these months.")
else:
    def shown(value: int | None) -> str:
        return "—" if value is None else str(value)

    rows = [
        {
            "Team": team.team,
            "Call-outs": shown(team.callouts),
            "After hours": "—" if team.after_hours_share is None else f"{team.after_hours_share:.0%}",
            **{label: shown(team.kinds[kind]) for kind, label in callouts.KINDS.items()},
            "Note": team.reason or "",
        }
        for team in figures.teams
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
