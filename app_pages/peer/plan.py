import streamlit as st

from console.core import clock
from console.core.errors import ValidationError
from console.web import ui
from console.wellness import wellness_plans

ui.require_role("peer")
SAVED = "plan_saved_version"
PROBLEMS = "plan_problems"
today = clock.today()
plan = ui.call(wellness_plans.my_plan)

st.title("Wellness plan")
st.caption("Your own plan for looking after yourself in this work. It is stored encrypted, and your supervisor "
           "reads it only while you share it.")
if plan is not None:
    st.caption(f"Version {plan.version}, saved {plan.saved_at:%d %B %Y}. "
               + ("Shared with your supervisor." if plan.shared else "Private to you."))
saved_version = st.session_state.pop(SAVED, None)
if saved_version is not None:
    st.success(f"Saved. This is version {saved_version} of your plan.", icon=":material/check_circle:")

view = st.segmented_control("Show", options=["Edit", "Printable view", "Earlier versions"], default="Edit",
                            required=True, key="plan_view")


def show_plan(shown: wellness_plans.PlanView) -> None:
    for section in wellness_plans.SECTIONS:
        st.subheader(section.title)
        ui.plain_text(shown.sections[section.key] or "(nothing written yet)")


if view == "Printable view":
    if plan is None:
        st.info("Nothing to print yet: write your plan under Edit first.")
    else:
        st.caption("Use your browser's print command to print this page, or download the plan as a text file.")
        show_plan(plan)
        ui.private_download("Download as a text file", data=lambda: wellness_plans.printable(plan),
                            file_name="my-wellness-plan.txt", mime="text/plain", icon=":material/download:")
elif view == "Earlier versions":
    versions = ui.call(wellness_plans.my_plan_versions)
    if not versions:
        st.info("No saved versions yet.")
    else:
        chosen = st.selectbox("Version", options=[version.version for version in versions],
                              format_func=lambda number: next(
                                  f"Version {version.version}, saved {version.saved_at:%d %B %Y %H:%M}"
                                  for version in versions if version.version == number))
        show_plan(ui.call(wellness_plans.my_plan, version=chosen))
else:
    problems: dict[str, str] = st.session_state.get(PROBLEMS, {})
    with st.form("wellness_plan"):
        sections = {}
        for section in wellness_plans.SECTIONS:
            sections[section.key] = st.text_area(
                section.title, value=plan.sections[section.key] if plan else "", placeholder=section.prompt,
                help=f"Up to {wellness_plans.MAX_SECTION_LENGTH:,} characters.", key=f"plan_{section.key}")
            if section.key in problems:
                st.error(ui.escape_markdown(problems[section.key]), icon=":material/error:")
        shared = st.toggle("Share my plan with my supervisor", value=plan.shared if plan else False,
                           key="plan_shared")
        st.caption("Sharing shows your supervisor the newest version of the whole plan. Turn it off at any time.")
        submitted = st.form_submit_button("Save my plan", type="primary")
        if problems:
            general = [message for key, message in problems.items() if key not in wellness_plans.SECTION_KEYS]
            beside = " See the messages above." if len(general) < len(problems) else ""
            st.error(" ".join(["Your plan is not saved yet.", *general]) + beside + " What you wrote is still here.",
                     icon=":material/error:")
    if submitted:
        try:
            saved = ui.call(wellness_plans.save_plan, sections=sections, shared=shared)
        except ValidationError as problem:
            st.session_state[PROBLEMS] = problem.problems or {"form": str(problem)}
        else:
            st.session_state.pop(PROBLEMS, None)
            st.session_state[SAVED] = saved.version
        st.rerun()
