import streamlit as st

from console import clock, program_settings, ui
from console.errors import ValidationError

ui.require_role("admin")
PROBLEMS = "settings_problems"
SAVED = "settings_saved"
st.title("Program settings")

today = clock.today()
current = ui.call(program_settings.settings_for_admin, on=today)
stored = ui.call(program_settings.stored_problems, on=today)
problems: dict[str, str] = st.session_state.get(PROBLEMS, {})
if stored and not problems:
    st.warning("A stored setting needs your attention: the pages that use it say it is not available until it "
               "is fixed here.", icon=":material/build:")
    for message in stored.values():
        ui.plain_text(message)


def field_problem(name: str) -> None:
    if name in problems:
        st.error(problems[name], icon=":material/error:")


with st.form("settings"):
    anonymity_k = st.number_input(
        program_settings.label("anonymity_k"), step=1, value=current.anonymity_k, key="setting_anonymity_k",
        help="From 3 to 50. A team figure built from fewer distinct peers than this is suppressed on every lead "
             "page and report.",
    )
    field_problem("anonymity_k")
    supervision_cadence = st.selectbox(
        program_settings.label("supervision_cadence"), options=list(program_settings.CADENCES),
        index=program_settings.CADENCES.index(current.supervision_cadence), key="setting_supervision_cadence",
    )
    field_problem("supervision_cadence")
    assessment_cadence_days = st.number_input(
        "Self-assessment every … days", step=1, value=current.assessment_cadence_days,
        key="setting_assessment_cadence_days", help="From 7 to 365 days.",
    )
    field_problem("assessment_cadence_days")
    assessment_instrument = st.text_input(program_settings.label("assessment_instrument"),
                                          value=current.assessment_instrument, key="setting_assessment_instrument")
    field_problem("assessment_instrument")
    support_contact = st.text_area("Program support contact (shown beside 988 on every peer page)",
                                   value=current.support_contact, key="setting_support_contact")
    field_problem("support_contact")
    instruments_folder = st.text_input("Folder of extra instrument files (optional)",
                                       value=current.instruments_folder, key="setting_instruments_folder")
    field_problem("instruments_folder")
    save_column, summary_column = st.columns([1, 3], vertical_alignment="center")
    save = save_column.form_submit_button("Save settings", type="primary")
    if problems:
        summary_column.error(f"Nothing was saved: {len(problems)} setting{'s' if len(problems) > 1 else ''} "
                             "to fix, marked above.", icon=":material/error:")
        field_problem("form")
    elif st.session_state.pop(SAVED, False):
        summary_column.success("Settings saved.", icon=":material/check_circle:")

if save:
    changes = {
        "anonymity_k": anonymity_k,
        "supervision_cadence": supervision_cadence,
        "assessment_cadence_days": assessment_cadence_days,
        "assessment_instrument": assessment_instrument,
        "support_contact": support_contact,
        "instruments_folder": instruments_folder,
    }
    try:
        ui.call(program_settings.write_settings, changes=changes, on=today)
    except ValidationError as problem:
        st.session_state[PROBLEMS] = problem.problems or {"form": str(problem)}
        st.session_state[SAVED] = False
    else:
        st.session_state.pop(PROBLEMS, None)
        st.session_state[SAVED] = True
    st.rerun()
