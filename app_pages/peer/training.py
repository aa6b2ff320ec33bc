import streamlit as st

from console.core.i18n import _
from console.fieldwork import trainings
from console.web import ui

user = ui.require_role("peer")

st.title(_("Training"))
st.caption(_("Your trainings and certifications, such as the 72-hour crisis and response training or your state peer "
             "certification. Your supervisor sees them and is reminded {days} days before a renewal; program leads "
             "see counts per team only.", days=trainings.RENEWAL_WINDOW_DAYS))
ui.training_form(person_id=user.id, key="own")
ui.training_list(ui.call(trainings.trainings_of, person_id=user.id), key="own")
