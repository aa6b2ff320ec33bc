import streamlit as st

from console import program, ui

ui.require_role("lead")
st.title("Program overview")
st.caption("Team figures only. A team with fewer peers than the anonymity threshold is not shown.")

rows = ui.cached_call(program.team_participation, on=ui.today(), weeks=4)
st.subheader("Check-in participation, last 4 weeks")
if not rows:
    st.write("No teams yet. An administrator creates teams and adds peers.")
else:
    st.dataframe(
        [
            {
                "team": row.team,
                "peers": row.peers,
                "checked in": row.checked_in,
                "participation": None if row.share is None else f"{row.share:.0%}",
                "note": f"suppressed: {row.suppressed_reason}" if row.suppressed_reason else "",
            }
            for row in rows
        ],
        hide_index=True,
        use_container_width=True,
    )
