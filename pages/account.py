import streamlit as st

from console import auth, ui
from console.errors import ValidationError

user = ui.signed_in_user()
st.title("My account")
st.write(f"**{ui.escape_markdown(user.display_name)}** · username {ui.escape_markdown(user.username)} · roles: {user.roles.replace(',', ', ')}")

st.subheader("Change password")
with st.form("change_password", clear_on_submit=True):
    current = st.text_input("Current password", type="password")
    new = st.text_input("New password (at least 12 characters)", type="password")
    again = st.text_input("New password again", type="password")
    submitted = st.form_submit_button("Change password")
if submitted:
    if new != again:
        st.error("The two new passwords differ; type the same one twice.")
    else:
        try:
            ui.call(auth.change_password, current_password=current, new_password=new)
        except ValidationError as problem:
            st.error(ui.escape_markdown(str(problem)))
        else:
            st.success("Your password is changed.")
