"""Sign-in page: sign in or create an account (password mode), or sign in with the provider (OIDC)."""

import streamlit as st

from tracker.care_team.accounts import PASSWORD_MIN_LENGTH
from ui import auth, components, state

if auth.current_actor(auth.mode()) is not None:  # just signed in: app.py opens the app
    st.switch_page("app.py")

st.title("Symptom Tracker")
st.caption(
    "A private diary of symptoms, with charts and advice on what to do next. Your entries are visible only "
    "to you and to the clinicians you choose to share them with."
)
components.safety_notice(state.region())
ss = st.session_state
if notice := ss.get("auth_notice"):
    st.info(notice, icon=":material/info:")


if auth.mode() == "oidc":
    if not st.user.is_logged_in:
        st.button("Sign in", key="oidc_sign_in", type="primary", on_click=st.login, icon=":material/login:")
    else:
        st.subheader(f"Welcome, {st.user.get('name') or st.user.get('email')}")
        st.write("One question before you start: how will you use the tracker?")
        st.radio("I am a…", auth.ROLES, format_func=auth.role_label, key="oidc_role", index=None)
        components.field_error("oidc_errors", "role")
        components.field_error("oidc_errors", "email")
        st.button("Continue", key="oidc_continue", type="primary", on_click=auth.create_oidc_account)
    st.stop()

sign_in, sign_up = st.tabs(["Sign in", "Create an account"])
with sign_in, st.form("sign_in_form", border=True):
    st.text_input("E-mail", key="sign_in_email", max_chars=254, autocomplete="email")
    st.text_input("Password", key="sign_in_password", type="password", autocomplete="current-password")
    if message := ss.get("sign_in_error"):
        st.error(message)
    st.form_submit_button("Sign in", type="primary", on_click=auth.sign_in_from_form)
with sign_up, st.form("sign_up_form", border=True):
    st.text_input("Your name", key="sign_up_name", max_chars=80, autocomplete="name")
    components.field_error("sign_up_errors", "name")
    st.text_input("E-mail", key="sign_up_email", max_chars=254, autocomplete="email")
    components.field_error("sign_up_errors", "email")
    st.text_input(
        "Password",
        key="sign_up_password",
        type="password",
        autocomplete="new-password",
        help=f"At least {PASSWORD_MIN_LENGTH} characters. A few words together make a strong one.",
    )
    components.field_error("sign_up_errors", "password")
    st.radio("I am a…", auth.ROLES, format_func=auth.role_label, key="sign_up_role", index=None)
    components.field_error("sign_up_errors", "role")
    st.form_submit_button("Create account", type="primary", on_click=auth.sign_up_from_form)
