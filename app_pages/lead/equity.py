import streamlit as st

from console.core import clock
from console.program import equity
from console.web import ui

ui.require_role("lead")
st.title("Equity lens")
lens = ui.cached_call(equity.equity_lens, on=clock.today())
st.caption(
    f"Program-wide burden figures for {lens.period_from:%B} to {lens.period_to:%B %Y} (the latest complete "
    "quarter), by how peers chose to describe themselves. Describing oneself is optional; peers who shared "
    f"nothing are counted in their own row. A figure built from fewer than {lens.k} peers besides you and the "
    "people you supervise is withheld, and so is one more figure beside it when it could be worked out from the "
    "total. A share that would say the same of every member of a group, or of none, is withheld too. Nobody's "
    "answers are shown, and nothing here reaches a supervisor."
)
st.info("Use these figures to ask whether the work weighs more on some peers than on others: who faces more "
        "hard exposures, racism or discrimination, or bigger caseloads, and who gets less supportive "
        "supervision. Talk about what the program can change, never about one person.",
        icon=":material/balance:")


def cell(figure: equity.Figure, *, share: bool) -> str:
    if not figure.shown:
        return "—"
    if share:
        return f"{figure.value:.0%}"
    return f"{figure.value:g}"


for table in lens.tables:
    st.subheader(table.dimension)
    if not table.released_groups:
        st.caption("No group of this question is released yet: each is withheld for the reason in the note.")
    columns: dict[str, list[str]] = {"group": [row.group for row in table.rows],
                                     "peers": [cell(row.peers, share=False) for row in table.rows]}
    for measure in table.measures:
        columns[measure.label] = [cell(row.figures[measure.key], share=measure.share) for row in table.rows]
    columns["note"] = ["; ".join(dict.fromkeys(
        reason for reason in [row.peers.reason, *(figure.reason for figure in row.figures.values())] if reason))
        for row in table.rows]
    st.dataframe(columns, hide_index=True)
