import streamlit as st

from console.core import clock
from console.core.errors import ValidationError
from console.program import action_plans
from console.web import ui

ui.require_role("lead")
PROBLEMS = "action_plan_problems"
SAVED = "action_plan_saved"
FOLLOWED = "action_plan_followed"
FORM = "new_action_plan"
today = clock.today()
choices = ui.call(action_plans.planning_choices)

st.title("Action plans")
st.caption("What your teams will do about an alert or a figure, who owns it, and whether the figure moved "
           "afterwards. An action is for a team as a whole: it never names or targets one person, and a text that "
           "names a peer of the team is refused. Only leads who cover the team see its plans.")
if st.session_state.pop(SAVED, None):
    st.success("Saved. The action is planned; follow it up below as it goes.", icon=":material/check_circle:")
if st.session_state.pop(FOLLOWED, None):
    st.success("Follow-up saved.", icon=":material/check_circle:")

from_overview = st.session_state.get(action_plans.FROM_OVERVIEW)
team_ids = [team.id for team in choices.teams]
team_names = {team.id: team.name for team in choices.teams}
figure_keys = [figure.key for figure in choices.figures]
figure_labels = {figure.key: figure.label for figure in choices.figures}
owner_names = {owner.id: owner.name for owner in choices.owners}
team_index = next((position for position, team_id in enumerate(team_ids)
                   if from_overview and team_names[team_id] == from_overview[0]), 0)
figure_index = figure_keys.index(from_overview[1]) if from_overview and from_overview[1] in figure_keys else 0

if not team_ids:
    st.info("You cover no team yet, so there is nothing to plan for. An administrator assigns teams.")
else:
    problems: dict[str, str] = st.session_state.get(PROBLEMS, {})
    with st.expander("Record a new action", expanded=bool(from_overview) or bool(problems)):
        if from_overview and from_overview[0] is not None:
            st.caption(f"From the alert for {ui.escape_markdown(from_overview[0])}.")
        elif from_overview:
            st.caption(f"From the overview: {ui.escape_markdown(figure_labels.get(from_overview[1], ''))}. "
                       "Choose the team it is for.")
        with st.form(FORM):
            team_id = st.selectbox("Team", team_ids, index=team_index, format_func=team_names.get)
            answers = st.selectbox("Which figure or alert it answers", figure_keys, index=figure_index,
                                   format_func=figure_labels.get)
            if "answers" in problems:
                st.error(ui.escape_markdown(problems["answers"]), icon=":material/error:")
            what = st.text_area("What the team will do", max_chars=action_plans.WHAT.limit,
                                placeholder="For example: rotate overdose call-outs so no one covers more than two "
                                            "scenes a week, and hold a team debrief after each death.")
            if "what" in problems:
                st.error(ui.escape_markdown(problems["what"]), icon=":material/error:")
            owner_role = st.text_input("Owner (a role)", placeholder="For example: team supervisor",
                                       max_chars=action_plans.OWNER_ROLE.limit)
            if "owner_role" in problems:
                st.error(ui.escape_markdown(problems["owner_role"]), icon=":material/error:")
            owner_id = st.selectbox("Or an owner with an account", [None, *owner_names],
                                    format_func=lambda key: "(none)" if key is None else owner_names[key])
            if "owner" in problems:
                st.error(ui.escape_markdown(problems["owner"]), icon=":material/error:")
            due_on = st.date_input("Due date", value=None, min_value=today, format="YYYY-MM-DD")
            if "due_on" in problems:
                st.error(ui.escape_markdown(problems["due_on"]), icon=":material/error:")
            submitted = st.form_submit_button("Save the action", type="primary")
        if submitted:
            try:
                ui.call(action_plans.record_plan, team_id=team_id, answers=answers, what=what, owner_role=owner_role,
                        owner_id=owner_id, due_on=due_on, idempotency_key=ui.form_token(FORM))
            except ValidationError as problem:
                st.session_state[PROBLEMS] = problem.problems or {"what": str(problem)}
            else:
                st.session_state.pop(PROBLEMS, None)
                st.session_state.pop(action_plans.FROM_OVERVIEW, None)
                st.session_state[SAVED] = True
                ui.renew_form_token(FORM)
            st.rerun()

shown = st.segmented_control("Show", options=["open", "closed", "all"], default="open", required=True,
                             format_func={"open": "Open", "closed": "Done or dropped", "all": "All"}.get,
                             key="action_plan_filter")
plans = ui.cached_call(action_plans.team_action_plans, on=today, status=shown)
if not plans:
    st.write("No action plans here yet." if shown != "closed" else "No action is done or dropped yet.")
for plan in plans:
    with st.container(border=True):
        status = action_plans.STATUSES[plan.status]
        st.markdown(f"**{ui.escape_markdown(plan.team)}** · {ui.escape_markdown(plan.answers_label)} · {status}"
                    + (" · past due" if plan.overdue else ""))
        ui.plain_text(plan.what)
        st.caption(f"Owner: {ui.escape_markdown(plan.owner or '—')} · due {plan.due_on:%d %b %Y} · "
                   f"recorded {plan.created_on:%d %b %Y}")
        st.markdown(f"**Did the figure move?** {ui.escape_markdown(plan.movement.text)}")
        if plan.movement.trend:
            st.dataframe(
                {"month": [f"{figure.month:%b %Y}" + (" (before the action)" if figure.month ==
                                                      plan.movement.before_month else "")
                           for figure in plan.movement.trend],
                 "median": [figure.median for figure in plan.movement.trend],
                 "in high band": [None if figure.high_share is None else f"{figure.high_share:.0%}"
                                  for figure in plan.movement.trend],
                 "note": [figure.reason or "" for figure in plan.movement.trend]},
                hide_index=True,
            )
        for entry in plan.follow_ups:
            st.caption(f"{entry.on:%d %b %Y} · {action_plans.STATUSES[entry.status]} · {ui.escape_markdown(entry.by)}")
            if entry.note:
                ui.plain_text(entry.note)
        if plan.open:
            follow_problems: dict[str, str] = st.session_state.get(f"{PROBLEMS}_{plan.id}", {})
            with st.form(f"follow_up_{plan.id}"):
                statuses = list(action_plans.STATUSES)
                new_status = st.selectbox("Status", statuses, index=statuses.index(plan.status),
                                          format_func=action_plans.STATUSES.get)
                if "status" in follow_problems:
                    st.error(ui.escape_markdown(follow_problems["status"]), icon=":material/error:")
                note = st.text_area("Follow-up note", max_chars=action_plans.FOLLOW_UP_NOTE.limit,
                                    placeholder="How is it going? What changed for the team?")
                if "note" in follow_problems:
                    st.error(ui.escape_markdown(follow_problems["note"]), icon=":material/error:")
                followed_on = st.date_input("Date", value=today, max_value=today, format="YYYY-MM-DD")
                if "on" in follow_problems:
                    st.error(ui.escape_markdown(follow_problems["on"]), icon=":material/error:")
                follow = st.form_submit_button("Save the follow-up")
            if follow:
                try:
                    ui.call(action_plans.follow_up, plan_id=plan.id, status=new_status, note=note, on=followed_on)
                except ValidationError as problem:
                    st.session_state[f"{PROBLEMS}_{plan.id}"] = problem.problems or {"note": str(problem)}
                else:
                    st.session_state.pop(f"{PROBLEMS}_{plan.id}", None)
                    st.session_state[FOLLOWED] = True
                st.rerun()
