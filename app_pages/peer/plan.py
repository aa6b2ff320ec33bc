import streamlit as st

from console.core import clock, i18n
from console.core.errors import ValidationError
from console.core.i18n import N_, _
from console.web import ui
from console.wellness import wellness_plans

ui.require_role("peer")
SAVED = "plan_saved_version"
PROBLEMS = "plan_problems"
VIEWS = {"Edit": N_("Edit"), "Printable view": N_("Printable view"), "Earlier versions": N_("Earlier versions")}
today = clock.today()
plan = ui.call(wellness_plans.my_plan)

st.title(_("Wellness plan"))
st.caption(_("Your own plan for looking after yourself in this work. It is stored encrypted, and your supervisor "
             "reads it only while you share it."))
if plan is not None:
    st.caption(_("Version {version}, saved {day}. {sharing}", version=plan.version,
                 day=ui.show_date(plan.saved_at.date()),
                 sharing=_("Shared with your supervisor.") if plan.shared else _("Private to you.")))
saved_version = st.session_state.pop(SAVED, None)
if saved_version is not None:
    st.success(_("Saved. This is version {version} of your plan.", version=saved_version), icon=":material/check_circle:")

view = st.segmented_control(_("Show"), options=list(VIEWS), format_func=lambda code: _(VIEWS[code]), default="Edit",
                            required=True, key="plan_view")


def show_plan(shown: wellness_plans.PlanView) -> None:
    for section in wellness_plans.SECTIONS:
        st.header(_(section.title))
        ui.plain_text(shown.sections[section.key] or _("(nothing written yet)"))


if view == "Printable view":
    if plan is None:
        st.info(_("Nothing to print yet: write your plan under Edit first."))
    else:
        ui.print_only_content()
        with st.container(key="no_print_plan_help"):
            st.caption(_("Use your browser's print command to print this page: the printout holds your plan "
                         "alone, without the menu or buttons. Or download the plan as a text file."))
            ui.private_download(_("Download as a text file"), data=lambda: wellness_plans.printable(plan),
                                file_name="my-wellness-plan.txt", mime="text/plain", icon=":material/download:")
        show_plan(plan)
elif view == "Earlier versions":
    versions = ui.call(wellness_plans.my_plan_versions)
    if not versions:
        st.info(_("No saved versions yet."))
    else:
        chosen = st.selectbox(_("Version"), options=[version.version for version in versions],
                              format_func=lambda number: next(
                                  _("Version {version}, saved {moment}", version=version.version,
                                    moment=ui.show_time(version.saved_at))
                                  for version in versions if version.version == number))
        show_plan(ui.call(wellness_plans.my_plan, version=chosen))
else:
    problems: dict[str, str] = st.session_state.get(PROBLEMS, {})
    with st.form("wellness_plan"):
        sections = {}
        for section in wellness_plans.SECTIONS:
            sections[section.key] = st.text_area(
                _(section.title), value=plan.sections[section.key] if plan else "", placeholder=_(section.prompt),
                help=_("Up to {count} characters.", count=i18n.show_number(wellness_plans.MAX_SECTION_LENGTH)),
                key=f"plan_{section.key}")
            if section.key in problems:
                st.error(ui.escape_markdown(problems[section.key]), icon=":material/error:")
        shared = st.toggle(_("Share my plan with my supervisor"), value=plan.shared if plan else False,
                           key="plan_shared")
        st.caption(_("Sharing shows your supervisor the newest version of the whole plan. Turn it off at any time."))
        submitted = st.form_submit_button(_("Save my plan"), type="primary")
        if problems:
            general = [message for key, message in problems.items() if key not in wellness_plans.SECTION_KEYS]
            beside = [_("See the messages above.")] if len(general) < len(problems) else []
            st.error(" ".join([_("Your plan is not saved yet."), *general, *beside, _("What you wrote is still here.")]),
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
