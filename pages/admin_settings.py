import streamlit as st

from console import clock, program_settings, ui
from console.errors import ValidationError

ui.require_role("admin")
st.title("Program settings")

current = ui.call(program_settings.settings_for_admin, on=clock.today())
with st.form("settings"):
    anonymity_k = st.number_input(
        "Anonymity threshold k", min_value=3, max_value=50, step=1, value=current.anonymity_k,
        help="A team figure built from fewer distinct peers than this is suppressed on every lead page and report.",
    )
    supervision_cadence = st.selectbox(
        "Supervision cadence", options=list(program_settings.CADENCES),
        index=program_settings.CADENCES.index(current.supervision_cadence),
    )
    assessment_cadence_days = st.number_input(
        "Self-assessment every … days", min_value=7, max_value=365, step=1, value=current.assessment_cadence_days,
    )
    assessment_instrument = st.text_input("Self-assessment instrument id", value=current.assessment_instrument)
    support_contact = st.text_area(
        "Program support contact (shown beside 988 on every peer page)", value=current.support_contact,
        max_chars=500,
    )
    instruments_folder = st.text_input("Folder of extra instrument files (optional)", value=current.instruments_folder)
    st.subheader("Thresholds and windows", anchor=False)
    st.caption("They prompt a conversation; none is a clinical cut-off. Every page and report uses the same values.")
    thresholds = {}
    for setting in program_settings.THRESHOLD_SETTINGS:
        number = int if setting.whole else float
        thresholds[setting.name] = st.number_input(
            setting.label, min_value=number(setting.minimum), max_value=number(setting.maximum),
            step=number(1 if setting.whole else 0.5), value=number(getattr(current, setting.name)), help=setting.help,
        )
    save = st.form_submit_button("Save settings", type="primary")
if save:
    changes = {
        "anonymity_k": anonymity_k,
        "supervision_cadence": supervision_cadence,
        "assessment_cadence_days": assessment_cadence_days,
        "assessment_instrument": assessment_instrument,
        "support_contact": support_contact,
        "instruments_folder": instruments_folder,
        **thresholds,
    }
    try:
        ui.call(program_settings.write_settings, changes=changes, on=clock.today())
    except ValidationError as problem:
        for message in problem.problems.values() or [str(problem)]:
            st.error(message)
    else:
        st.success("Settings saved.")
