import streamlit as st

from console.core import clock
from console.core.i18n import _
from console.fieldwork import trainings
from console.supervision import supervisor_week
from console.web import ui

user = ui.require_role("supervisor")
today = clock.today()

st.title(_("Training and renewals"))
st.caption(_("Trainings and certifications of the people you supervise, and your own. Renewals and expiries within "
             "{days} days, or already past, are listed first.", days=trainings.RENEWAL_WINDOW_DAYS))

renewals = ui.call(trainings.upcoming_renewals, on=today)
st.subheader(_("Coming up for renewal"), anchor=False)
if not renewals:
    st.write(_("No renewal or expiry in the next {days} days.", days=trainings.RENEWAL_WINDOW_DAYS))
else:
    st.dataframe(
        [{_("person"): renewal.person_name, _("training or certification"): renewal.name,
          _("renews or expires"): renewal.renews_on, _("status"): _("past due") if renewal.lapsed else _("coming up")}
         for renewal in renewals],
        hide_index=True,
    )

choices = ui.call(supervisor_week.supervisee_choices)
people = {user.id: _("{name} (me)", name=user.display_name), **{choice.peer_id: choice.name for choice in choices}}
person_id = st.selectbox(_("Whose record"), options=list(people), format_func=people.get, key="training_person")
st.subheader(_("Record for {name}", name=ui.escape_markdown(people[person_id])), anchor=False)
ui.training_form(person_id=person_id, key=f"person_{person_id}")
ui.training_list(ui.call(trainings.trainings_of, person_id=person_id), key=f"person_{person_id}")
