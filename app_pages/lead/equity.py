import streamlit as st

from console.core import clock
from console.core.i18n import _, show_month, show_number, show_percent
from console.program import equity, equity_figures, words
from console.web import ui

ui.require_role("lead")
st.title(_("Equity lens"))
lens = ui.cached_call(equity_figures.equity_lens, on=clock.today())
if lens.period_from is None or lens.period_to is None:
    st.info(_("No quarter is released yet. The equity lens shows a calendar quarter once it has closed, and this "
              "program has not been running for a whole quarter. Come back after the end of this quarter."),
            icon=":material/hourglass_empty:")
    st.stop()
st.caption(_(
    "Program-wide burden figures for {start} to {end}, by how peers chose to describe themselves. Describing "
    "oneself is optional; peers who shared nothing are counted in their own row. A figure built from fewer than "
    "{k} peers besides you and the people you supervise is withheld, and so is one more figure beside it when it "
    "could be worked out from the total. A share that would say the same of every member of a group, or of none, "
    "is withheld too. Nobody's answers are shown, and nothing here reaches a supervisor.",
    start=show_month(lens.period_from), end=show_month(lens.period_to), k=lens.k,
))
st.caption(_(
    "These figures were released once, when the quarter closed, and they never change: answers changed or "
    "check-ins sent since then count from the next quarter."
))
st.info(_("Use these figures to ask whether the work weighs more on some peers than on others: who faces more "
          "hard exposures, racism or discrimination, or bigger caseloads, and who gets less supportive "
          "supervision. Talk about what the program can change, never about one person."),
        icon=":material/balance:")


def cell(figure: equity.Figure, *, share: bool) -> str:
    if not figure.shown or figure.value is None:
        return "—"
    if share:
        return show_percent(figure.value)
    return show_number(figure.value, decimals=0 if float(figure.value).is_integer() else 2)


for table in lens.tables:
    st.subheader(_(table.dimension))
    if not table.released_groups:
        st.caption(_("No group of this question is released yet: each is withheld for the reason in the note."))
    columns: dict[str, list[str]] = {_("group"): [_(row.group) for row in table.rows],
                                     _("peers"): [cell(row.peers, share=False) for row in table.rows]}
    for measure in table.measures:
        columns[measure.title()] = [cell(row.figures[measure.key], share=measure.share) for row in table.rows]
    columns[_("note")] = ["; ".join(dict.fromkeys(
        words.reason(reason) for reason in [row.peers.reason, *(figure.reason for figure in row.figures.values())]
        if reason)) for row in table.rows]
    st.dataframe(columns, hide_index=True)
