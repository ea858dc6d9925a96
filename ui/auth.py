"""Who is using the app: the sign-in mode, the signed-in actor, and the sign-in, sign-up and sign-out steps.

The library decides what an actor may see (tracker.care_team.access); this module only finds out who the actor
is. In password mode the session token lives in this browser session's state (server side), so a
reload asks to sign in again; in OIDC mode Streamlit's identity cookie keeps the user signed in.
"""

import streamlit as st
from sqlalchemy.orm import Session

from tracker import config
from tracker.care_team import accounts
from tracker.care_team.access import LOCAL, Actor, Role
from tracker.errors import ValidationError
from tracker.notify.transport import notify_settings
from tracker.notify.worker import mail_notice_in_background
from tracker.storage.tables import utcnow
from ui import problems, resources, state

TOKEN_KEY = "_session_token"
ROLES = [str(role) for role in Role]


def mode() -> str:
    """Return the configured sign-in mode; a bad setting stops the app with a plain message."""
    try:
        return config.auth_mode(resources.secrets())
    except config.ConfigError as error:
        st.error(f"The app is not configured correctly: {error}", icon=":material/error:")
        st.stop()
        raise  # st.stop() raises; this line is for type checkers


def current_actor(sign_in_mode: str, touch: bool = True) -> Actor | None:
    """Return who is using the app this run, or None when they still have to sign in.

    `touch=False` checks without counting as activity (a fragment refreshing by itself).
    """
    if sign_in_mode == "none":
        return LOCAL
    with resources.sessions().begin() as session:
        actor = _actor_in(session, sign_in_mode, touch)
    if actor is None:
        _forget_session()
    return actor


def _actor_in(session: Session, sign_in_mode: str, touch: bool = True) -> Actor | None:
    """Return this browser session's actor as `session` (a transaction) sees it, or None."""
    if sign_in_mode == "none":
        return LOCAL
    if sign_in_mode == "password":
        token = st.session_state.get(TOKEN_KEY)
        return accounts.resume_session(session, token, utcnow(), touch) if token else None
    if not st.user.is_logged_in:
        return None
    user = accounts.oidc_user(session, str(st.user.get("email") or ""), utcnow())
    return accounts.actor_for(user) if user is not None else None


def acting(session: Session, expected: Actor | None = None) -> Actor:
    """Return who writes, checked again inside the write's own transaction `session`.

    Widget callbacks run before app.py's sign-in check, and a fragment's rerun skips app.py: a write
    must not trust the actor remembered from an earlier run (`expected`, else the one app.py kept).
    Raises SessionEndedError.
    """
    actor = _actor_in(session, mode())
    if actor is None or actor != (expected or st.session_state.get(state.ACTOR_KEY, actor)):
        _forget_session()
        raise accounts.SessionEndedError()
    return actor


def _forget_session() -> None:
    """Drop an ended session's token, and say why the sign-in page is shown."""
    if st.session_state.pop(TOKEN_KEY, None):
        st.session_state["auth_notice"] = accounts.SESSION_ENDED


def still_signed_in() -> Actor:
    """Return the actor, first thing in a fragment: an ended session reruns the whole app instead.

    A fragment's rerun (a self-refreshing chart, a button inside it) skips app.py, so its sign-in check
    is repeated here. The refresh does not count as activity, so an idle tab still times out.
    """
    actor = current_actor(mode(), touch=False)
    if actor is None or actor != st.session_state.get(state.ACTOR_KEY):
        remember(None)
        st.rerun(scope="app")  # app.py then shows the sign-in page (with "Your session ended")
    assert actor is not None  # st.rerun() raises
    return actor


def remember(actor: Actor | None) -> None:
    """Keep this run's actor where pages read it (ui.state.actor)."""
    if actor is None:
        st.session_state.pop(state.ACTOR_KEY, None)
    else:
        st.session_state[state.ACTOR_KEY] = actor


def client_address() -> str:
    """Return the browser's IP address: sign-in tries are counted per address and client."""
    found = st.context.ip_address
    return found if isinstance(found, str) else ""  # none in AppTest, nor on some proxies


@problems.guarded
def sign_in_from_form() -> None:
    """Callback of the sign-in form."""
    ss = st.session_state
    with resources.sessions().begin() as session:  # committed on failure too: it counts wrong tries
        try:
            signed_in = accounts.sign_in(
                session,
                ss.get("sign_in_email", ""),
                ss.get("sign_in_password", ""),
                utcnow(),
                client=client_address(),
            )
        except accounts.SignInError as error:
            ss["sign_in_error"] = str(error)
            ss["sign_in_password"] = ""
            return
    ss.pop("sign_in_error", None)
    ss.pop("auth_notice", None)
    ss[TOKEN_KEY] = signed_in.token
    ss["sign_in_password"] = ""


@problems.guarded
def sign_up_from_form() -> None:
    """Callback of the sign-up form: create the account, then ask to sign in with it.

    A new and a taken address get the same answer (only the owner of a taken one hears, by mail
    when mail is set up), so the form does not tell a stranger who has an account.
    """
    ss = st.session_state
    email = ss.get("sign_up_email", "")
    try:
        with resources.sessions().begin() as session:
            user = accounts.sign_up(
                session, email, ss.get("sign_up_name", ""), ss.get("sign_up_password", ""),
                ss.get("sign_up_role") or "", utcnow(),
            )  # fmt: skip
    except ValidationError as error:
        ss["sign_up_errors"] = error.errors
        return
    if user is None:
        _tell_the_owner(accounts.normal_email(email))
    for key in ("sign_up_errors", "sign_in_error"):
        ss.pop(key, None)
    ss["sign_up_password"] = ""
    ss["sign_in_email"] = accounts.normal_email(email)
    ss["auth_notice"] = accounts.SIGNED_UP


def _tell_the_owner(email: str) -> None:
    try:
        settings = notify_settings(resources.secrets())
    except ValidationError:  # mail settings the app cannot use: alerts say so; nothing to add here
        return
    mail_notice_in_background(email, *accounts.ADDRESS_TAKEN_NOTICE, settings)


@problems.guarded
def create_oidc_account() -> None:
    """Callback: the first visit of an identity-provider user, once they chose a role."""
    ss = st.session_state
    try:
        with resources.sessions().begin() as session:
            accounts.create_oidc_user(
                session,
                str(st.user.get("email") or ""),
                str(st.user.get("name") or ""),
                ss.get("oidc_role") or "",
                utcnow(),
            )
    except ValidationError as error:
        ss["oidc_errors"] = error.errors


@problems.guarded
def sign_out(sign_in_mode: str) -> None:
    """End the session (password) or the identity cookie (OIDC), and forget this session's state."""
    token = st.session_state.get(TOKEN_KEY)
    if token:
        with resources.sessions().begin() as session:
            accounts.end_session(session, token)
    for key in list(st.session_state):
        del st.session_state[key]
    if sign_in_mode == "oidc":
        st.logout()


def role_label(role: str) -> str:
    return Role(role).label
