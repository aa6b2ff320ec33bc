import streamlit as st

from console import supervision, ui

ui.require_role("supervisor")
st.title("My supervisees")
st.caption("Each person's wellness detail follows the level they chose to share.")

rows = ui.call(supervision.my_supervisees, on=ui.today())
if not rows:
    st.write("You have no active supervision assignments. An administrator assigns supervisees.")
else:
    st.dataframe(
        [
            {
                "name": row.name,
                "team": row.team,
                "functions": ", ".join(row.functions),
                "sharing": row.sharing_level,
                "last check-in (week of)": row.last_checkin,
            }
            for row in rows
        ],
        hide_index=True,
        use_container_width=True,
    )
