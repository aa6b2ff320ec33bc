import streamlit as st

from console.core import clock
from console.fieldwork import trainings
from console.supervision import supervisor_week
from console.web import ui

user = ui.require_role("supervisor")
today = clock.today()

st.title("Training and renewals")
st.caption(f"Trainings and certifications of the people you supervise, and your own. Renewals and expiries within "
           f"{trainings.RENEWAL_WINDOW_DAYS} days, or already past, are listed first.")

renewals = ui.call(trainings.upcoming_renewals, on=today)
st.subheader("Coming up for renewal", anchor=False)
if not renewals:
    st.write(f"No renewal or expiry in the next {trainings.RENEWAL_WINDOW_DAYS} days.")
else:
    st.dataframe(
        [{"person": renewal.person_name, "training or certification": renewal.name, "renews or expires": renewal.renews_on,
          "status": "past due" if renewal.lapsed else "coming up"} for renewal in renewals],
        hide_index=True,
    )

choices = ui.call(supervisor_week.supervisee_choices)
people = {user.id: f"{user.display_name} (me)", **{choice.peer_id: choice.name for choice in choices}}
person_id = st.selectbox("Whose record", options=list(people), format_func=people.get, key="training_person")
st.subheader(f"Record for {ui.escape_markdown(people[person_id])}", anchor=False)
ui.training_form(person_id=person_id, key=f"person_{person_id}")
ui.training_list(ui.call(trainings.trainings_of, person_id=person_id), key=f"person_{person_id}")
