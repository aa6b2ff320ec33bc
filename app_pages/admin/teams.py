import streamlit as st

from console.admin import accounts
from console.core import clock
from console.core.errors import ValidationError
from console.core.i18n import N_, _
from console.web import ui

FUNCTION_WORDS = {"administrative": N_("administrative"), "educational": N_("educational"),
                  "supportive": N_("supportive")}

admin = ui.require_role("admin")
st.title(_("Teams and supervision"))

teams = ui.call(accounts.list_teams, on=clock.today())
users = ui.call(accounts.list_users, on=clock.today())
st.header(_("Teams"))
st.dataframe(
    [{_("team"): row.name, _("setting"): row.setting, _("members"): row.members} for row in teams],
    hide_index=True,
    width="stretch",
)
TEAM_FORM = "create_team"
team_problems: dict[str, str] = st.session_state.get(f"{TEAM_FORM}_problems", {})
generation = st.session_state.get(f"{TEAM_FORM}_generation", 0)
with st.form(TEAM_FORM):
    st.write(_("**New team**"))
    name = st.text_input(_("Team name"), key=f"team_name_{generation}")
    if "name" in team_problems:
        st.error(ui.escape_markdown(team_problems["name"]), icon=":material/error:")
    setting = st.text_input(_("Setting (e.g. overdose response with first responders)"),
                            key=f"team_setting_{generation}")
    if "setting" in team_problems:
        st.error(ui.escape_markdown(team_problems["setting"]), icon=":material/error:")
    create_team = st.form_submit_button(_("Create team"))
    if team_problems:
        st.error(_("The team was not created: fix what is marked above."), icon=":material/error:")
if create_team:
    try:
        ui.call(accounts.create_team, program_id=admin.program_id, name=name, setting=setting, on=clock.today())
    except ValidationError as problem:
        st.session_state[f"{TEAM_FORM}_problems"] = problem.problems or {"name": str(problem)}
    else:
        st.session_state.pop(f"{TEAM_FORM}_problems", None)
        st.session_state[f"{TEAM_FORM}_generation"] = generation + 1
    st.rerun()

people = {f"{row.display_name} ({row.username})": row.id for row in users if row.active}
team_ids = {row.name: row.id for row in teams}
with st.form("add_member", clear_on_submit=True):
    st.write(_("**Add someone to a team**"))
    person = st.selectbox(_("Person"), options=list(people), index=None)
    team = st.selectbox(_("Team"), options=list(team_ids), index=None)
    add_member = st.form_submit_button(_("Add to team"))
if add_member:
    if person is None or team is None:
        st.error(_("Choose both a person and a team."))
    else:
        try:
            ui.call(accounts.add_to_team, user_id=people[person], team_id=team_ids[team], on=clock.today())
        except ValidationError as problem:
            st.error(ui.escape_markdown(str(problem)))
        else:
            st.rerun()

st.header(_("Supervision assignments"))
st.caption(_("A supervisor sees a supervisee's wellness data only through an assignment that includes the "
             "educational or supportive function, and only at the level the peer shares. An administrative-only "
             "assignment shows completion and workload."))
show_ended = st.toggle(_("Show ended assignments"))
assignments = ui.call(accounts.list_assignments, on=clock.today(), include_ended=show_ended)
st.dataframe(
    [
        {
            _("supervisor"): row.supervisor,
            _("supervisee"): row.supervisee,
            _("functions"): row.functions,
            _("from"): row.started_on,
            _("until"): row.ended_on,
        }
        for row in assignments
    ],
    hide_index=True,
    width="stretch",
)
supervisors = {f"{row.display_name} ({row.username})": row.id for row in users if "supervisor" in row.role_set and row.active}
peers = {f"{row.display_name} ({row.username})": row.id for row in users if "peer" in row.role_set and row.active}
with st.form("assign", clear_on_submit=True):
    st.write(_("**New assignment**"))
    supervisor = st.selectbox(_("Supervisor"), options=list(supervisors), index=None)
    supervisee = st.selectbox(_("Supervisee"), options=list(peers), index=None)
    functions = st.multiselect(_("Functions"), options=list(accounts.SUPERVISION_FUNCTIONS),
                               default=list(accounts.SUPERVISION_FUNCTIONS),
                               format_func=lambda function: _(FUNCTION_WORDS[function]))
    assign = st.form_submit_button(_("Assign"))
if assign:
    if supervisor is None or supervisee is None:
        st.error(_("Choose both a supervisor and a supervisee."))
    else:
        try:
            ui.call(accounts.assign_supervision, supervisor_id=supervisors[supervisor],
                    supervisee_id=peers[supervisee], functions=functions, on=clock.today())
        except ValidationError as problem:
            st.error(ui.escape_markdown(str(problem)))
        else:
            st.rerun()

current = {f"{row.supervisor} → {row.supervisee} ({row.functions})": row.id for row in assignments if row.ended_on is None}
with st.form("end_assignment", clear_on_submit=True):
    st.write(_("**End an assignment** (access ends after today)"))
    ending = st.selectbox(_("Assignment"), options=list(current), index=None)
    end = st.form_submit_button(_("End assignment"))
if end:
    if ending is None:
        st.error(_("Choose the assignment to end."))
    else:
        ui.call(accounts.end_assignment, assignment_id=current[ending], on=clock.today())
        st.rerun()
