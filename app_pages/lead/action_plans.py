import streamlit as st

from console.core import clock
from console.core.errors import ValidationError
from console.core.i18n import _, show_date, show_month, show_percent
from console.program import action_plans, words
from console.web import ui

ui.require_role("lead")
PROBLEMS = "action_plan_problems"
SAVED = "action_plan_saved"
FOLLOWED = "action_plan_followed"
FORM = "new_action_plan"
today = clock.today()
choices = ui.call(action_plans.planning_choices)

st.title(_("Action plans"))
st.caption(_("What your teams will do about an alert or a figure, who owns it, and whether the figure moved "
             "afterwards. An action is for a team as a whole: it never names or targets one person, and a text that "
             "names a peer of the team is refused. Only leads who cover the team see its plans."))
if st.session_state.pop(SAVED, None):
    st.success(_("Saved. The action is planned; follow it up below as it goes."), icon=":material/check_circle:")
if st.session_state.pop(FOLLOWED, None):
    st.success(_("Follow-up saved."), icon=":material/check_circle:")

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
    st.info(_("You cover no team yet, so there is nothing to plan for. An administrator assigns teams."))
else:
    problems: dict[str, str] = st.session_state.get(PROBLEMS, {})
    with st.expander(_("Record a new action"), expanded=bool(from_overview) or bool(problems)):
        if from_overview and from_overview[0] is not None:
            st.caption(_("From the alert for {team}.", team=ui.escape_markdown(from_overview[0])))
        elif from_overview:
            st.caption(_("From the overview: {figure}. Choose the team it is for.",
                         figure=ui.escape_markdown(figure_labels.get(from_overview[1], ''))))
        with st.form(FORM):
            team_id = st.selectbox(_("Team"), team_ids, index=team_index, format_func=team_names.get)
            answers = st.selectbox(_("Which figure or alert it answers"), figure_keys, index=figure_index,
                                   format_func=figure_labels.get)
            if "answers" in problems:
                st.error(ui.escape_markdown(problems["answers"]), icon=":material/error:")
            what = st.text_area(_(action_plans.WHAT.label), max_chars=action_plans.WHAT.limit,
                                placeholder=_("For example: rotate overdose call-outs so no one covers more than two "
                                              "scenes a week, and hold a team debrief after each death."))
            if "what" in problems:
                st.error(ui.escape_markdown(problems["what"]), icon=":material/error:")
            owner_role = st.text_input(_(action_plans.OWNER_ROLE.label), placeholder=_("For example: team supervisor"),
                                       max_chars=action_plans.OWNER_ROLE.limit)
            if "owner_role" in problems:
                st.error(ui.escape_markdown(problems["owner_role"]), icon=":material/error:")
            owner_id = st.selectbox(_("Or an owner with an account"), [None, *owner_names],
                                    format_func=lambda key: _("(none)") if key is None else owner_names[key])
            if "owner" in problems:
                st.error(ui.escape_markdown(problems["owner"]), icon=":material/error:")
            due_on = st.date_input(_("Due date"), value=None, min_value=today, format="YYYY-MM-DD")
            if "due_on" in problems:
                st.error(ui.escape_markdown(problems["due_on"]), icon=":material/error:")
            submitted = st.form_submit_button(_("Save the action"), type="primary")
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

filters = {"open": _("Open"), "closed": _("Done or dropped"), "all": _("All")}
shown = st.segmented_control(_("Show"), options=list(filters), default="open", required=True, format_func=filters.get,
                             key="action_plan_filter")
plans = ui.cached_call(action_plans.team_action_plans, on=today, status=shown)
if not plans:
    st.write(_("No action plans here yet.") if shown != "closed" else _("No action is done or dropped yet."))
for plan in plans:
    with st.container(border=True):
        status = _(action_plans.STATUSES[plan.status])
        st.markdown(f"**{ui.escape_markdown(plan.team)}** · {ui.escape_markdown(plan.answers_label)} · {status}"
                    + (" · " + _("past due") if plan.overdue else ""))
        ui.plain_text(plan.what)
        st.caption(_("Owner: {owner} · due {due} · recorded {recorded}", owner=ui.escape_markdown(plan.owner or "—"),
                     due=show_date(plan.due_on), recorded=show_date(plan.created_on)))
        st.markdown(_("**Did the figure move?** {movement}", movement=ui.escape_markdown(plan.movement.text)))
        if plan.movement.trend:
            st.dataframe(
                {_("month"): [_("{month} (before the action)", month=show_month(figure.month))
                              if figure.month == plan.movement.before_month else show_month(figure.month)
                              for figure in plan.movement.trend],
                 _("median"): [figure.median for figure in plan.movement.trend],
                 _("in high band"): [None if figure.high_share is None else show_percent(figure.high_share)
                                     for figure in plan.movement.trend],
                 _("note"): [words.reason(figure.reason) for figure in plan.movement.trend]},
                hide_index=True,
            )
        for entry in plan.follow_ups:
            st.caption(f"{show_date(entry.on)} · {_(action_plans.STATUSES[entry.status])} · "
                       f"{ui.escape_markdown(entry.by)}")
            if entry.note:
                ui.plain_text(entry.note)
        if plan.open:
            follow_problems: dict[str, str] = st.session_state.get(f"{PROBLEMS}_{plan.id}", {})
            with st.form(f"follow_up_{plan.id}"):
                statuses = list(action_plans.STATUSES)
                new_status = st.selectbox(_("Status"), statuses, index=statuses.index(plan.status),
                                          format_func=lambda code: _(action_plans.STATUSES[code]))
                if "status" in follow_problems:
                    st.error(ui.escape_markdown(follow_problems["status"]), icon=":material/error:")
                note = st.text_area(_(action_plans.FOLLOW_UP_NOTE.label), max_chars=action_plans.FOLLOW_UP_NOTE.limit,
                                    placeholder=_("How is it going? What changed for the team?"))
                if "note" in follow_problems:
                    st.error(ui.escape_markdown(follow_problems["note"]), icon=":material/error:")
                followed_on = st.date_input(_("Date"), value=today, max_value=today, format="YYYY-MM-DD")
                if "on" in follow_problems:
                    st.error(ui.escape_markdown(follow_problems["on"]), icon=":material/error:")
                follow = st.form_submit_button(_("Save the follow-up"))
            if follow:
                try:
                    ui.call(action_plans.follow_up, plan_id=plan.id, status=new_status, note=note, on=followed_on)
                except ValidationError as problem:
                    st.session_state[f"{PROBLEMS}_{plan.id}"] = problem.problems or {"note": str(problem)}
                else:
                    st.session_state.pop(f"{PROBLEMS}_{plan.id}", None)
                    st.session_state[FOLLOWED] = True
                st.rerun()
