"""Widgets shared by pages: the recommendation panel, the safety notice, the patient picker."""

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import streamlit as st

from tracker.care_team import contacts
from tracker.care_team.access import Actor, ActorKind, Role
from tracker.care_team.accounts import SessionEndedError
from tracker.care_team.contacts import ContactState
from tracker.care_team.my_data import delete_everything, export_everything
from tracker.care_team.sharing import accept_invitation
from tracker.diary.patients import add_patient
from tracker.errors import NotFoundError, ValidationError
from tracker.levels import TriageLevel
from tracker.notify import confirmations
from tracker.notify.transport import NotifySettings
from tracker.regions import Region
from tracker.storage.tables import utcnow
from ui import auth, problems, resources, state
from ui.text import plain

LEVEL_STYLE: dict[TriageLevel, tuple[Callable[..., object], str]] = {
    TriageLevel.EMERGENCY: (st.error, ":material/emergency:"),
    TriageLevel.URGENT: (st.warning, ":material/schedule:"),
    TriageLevel.SEE_DOCTOR: (st.info, ":material/stethoscope:"),
    TriageLevel.SELF_CARE: (st.success, ":material/home:"),
}

if TYPE_CHECKING:  # the model's libraries load only on the pages that assess
    from tracker.triage.engine import Assessment


@st.dialog("What to do next", width="large")
def advice_dialog(assessment: "Assessment", region: Region, saved: str) -> None:
    """Show the advice in a dialog: in view wherever the page was scrolled to (a phone's Save button)."""
    st.caption(saved)
    recommendation_panel(assessment, region, key="recommendation_dialog")
    if st.button("Close", key="close_advice", type="primary"):
        st.rerun()


def confidence_words(confidence: float) -> str:
    """Return how sure the advice is, in words, with the number."""
    word = "high" if confidence >= 0.8 else "moderate" if confidence >= 0.6 else "low"
    return f"Confidence: {word} ({confidence:.0%})"


def safety_notice(region: Region) -> None:
    """Show that this is not a medical device and how to reach emergency services."""
    st.caption(
        f"This app is not a medical device and does not diagnose. If you think it is an emergency, "
        f"or you feel much worse, call **{region.emergency}** now. For advice that is not an emergency: "
        f"{region.urgent_line}."
    )


def recommendation_panel(assessment: "Assessment", region: Region, key: str = "recommendation") -> None:
    """Show the level (colour and icon), advice, reasons, confidence and the safety notice."""
    box, icon = LEVEL_STYLE[assessment.level]
    with st.container(key=key):
        heading = assessment.level.label
        if assessment.level is TriageLevel.EMERGENCY:
            heading += f" — call {region.emergency}"
        box(f"**{heading}**\n\n{assessment.advice}", icon=icon)
        if assessment.crisis:
            st.error(
                # The advice above already says "You do not have to cope with this alone": here, the numbers.
                f"Call **{region.emergency}** if you are in danger now. To talk to someone, at any time: "
                f"{region.crisis}.",
                icon=":material/support:",
            )
        if assessment.safety_net:
            lines = [
                line.replace("Call emergency services", f"Call {region.emergency}")
                for line in assessment.safety_net
            ]
            st.markdown(
                "**Get help sooner if it changes:**\n" + "\n".join(f"- {plain(line)}" for line in lines)
            )
        st.markdown(confidence_words(assessment.confidence))
        if assessment.reasons:
            with st.expander("Why this advice", expanded=assessment.level is not TriageLevel.SELF_CARE):
                st.markdown("\n".join(f"- {plain(reason)}" for reason in assessment.reasons))
        unmatched = [text for text, name in assessment.matched.items() if name is None]
        if unmatched:
            st.caption(
                "We did not recognise "
                + ", ".join(f"“{plain(text)}”" for text in unmatched)
                + ", so the advice for it is based on severity only."
            )
        safety_notice(region)


@problems.guarded
def _add_patient(actor: Actor, key: str) -> None:
    """Callback: create the profile and select it (runs before widgets are drawn again)."""
    try:
        with resources.sessions().begin() as session:
            new_id = add_patient(session, auth.acting(session, actor), st.session_state.get(key, "")).id
    except SessionEndedError:
        return
    except ValidationError as error:
        st.session_state[f"{key}_error"] = error.errors["name"]
        return
    resources.data_changed()
    st.session_state.pop(f"{key}_error", None)
    st.session_state[key] = ""
    st.session_state[state.PATIENT_KEY] = new_id


def add_profile_form(actor: Actor, key: str, button_key: str, label: str = "Add") -> None:
    """Show a name field and a button that adds a profile kept by `actor`."""
    st.text_input("Name", key=key, max_chars=80)
    if message := st.session_state.get(f"{key}_error"):
        st.error(message)
    st.button(label, key=button_key, on_click=_add_patient, args=(actor, key))


def patient_picker(actor: Actor) -> None:
    """Show the profile selector (and "add a profile" where the actor may keep several) in the sidebar."""
    known = state.patients()
    if known:
        if st.session_state.get(state.PATIENT_KEY) not in known:
            st.session_state[state.PATIENT_KEY] = next(iter(known))
        label = "Patient" if actor.role is not Role.CLINICIAN else "Patient (shared with you)"
        st.sidebar.selectbox(
            label, list(known), format_func=lambda pid: known.get(pid, "?"), key=state.PATIENT_KEY
        )
    if actor.role is Role.CAREGIVER or actor.kind is ActorKind.LOCAL:
        with st.sidebar.popover("Add a profile", icon=":material/person_add:"):
            add_profile_form(actor, "new_patient_name", "add_patient")


def no_profile_yet(actor: Actor) -> None:
    """Show what a new account does first: add someone to look after, or enter a share code."""
    if actor.role is Role.CLINICIAN:
        st.info(
            "No patient has shared their diary with you yet. When one does, they give you an invitation "
            "code: enter it here.",
            icon=":material/key:",
        )
        invitation_form(actor)
        return
    st.info("Add the first person you look after: their diary starts here.", icon=":material/person_add:")
    add_profile_form(actor, "first_patient_name", "add_first_patient", label="Add profile")


@problems.guarded
def _accept_invitation(actor: Actor) -> None:
    ss = st.session_state
    try:
        with resources.sessions().begin() as session:
            code = ss.get("invitation_code", "")
            patient = accept_invitation(session, auth.acting(session, actor), code, utcnow())
            ss[state.PATIENT_KEY] = patient.id
    except SessionEndedError:
        return
    except ValidationError as error:
        ss["invitation_error"] = error.errors["code"]
        return
    ss.pop("invitation_error", None)
    ss["invitation_code"] = ""
    resources.data_changed()


def invitation_form(actor: Actor) -> None:
    """Show the field where a clinician enters a patient's invitation code."""
    st.text_input("Invitation code", key="invitation_code", max_chars=20, placeholder="ABCD-EFGH-JKMN")
    if message := st.session_state.get("invitation_error"):
        st.error(message)
    st.button("Accept", key="accept_invitation", on_click=_accept_invitation, args=(actor,))


APP_TITLE = "Symptom Tracker"
# The app's name as an image: st.logo is the one slot Streamlit draws above the sidebar navigation.
TITLE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="236" height="32" viewBox="0 0 236 32" role="img">'
    f"<title>{APP_TITLE}</title>"
    '<text x="0" y="24" font-family="Source Sans Pro, Source Sans 3, Arial, sans-serif" font-size="24" '
    f'font-weight="700" fill="#1f2933">{APP_TITLE}</text></svg>'
)


def app_title() -> None:
    """Show the app's name at the top of the sidebar, above the pages."""
    st.logo(TITLE_SVG, size="large")


def account_box(sign_in_mode: str, actor: Actor) -> None:
    """Show in the sidebar who is signed in (with sign-out), or that there is no sign-in."""
    if sign_in_mode == "none":
        st.sidebar.caption(
            "There is no sign-in here: anyone who can open this app sees these diaries. To keep them "
            "private, ask whoever set it up to turn on accounts."
        )
        return
    st.sidebar.caption(f"Signed in as **{plain(actor.name)}** · {actor.role}")
    st.sidebar.button(
        "Sign out", key="sign_out", icon=":material/logout:", on_click=auth.sign_out, args=(sign_in_mode,)
    )


def _still_acting(actor: Actor) -> Actor | None:
    """Return the actor after checking the sign-in in a transaction of its own (None: it has ended).

    The contact functions open their own transactions (a code is sent between two of them), so the
    check runs just before them rather than inside.
    """
    try:
        with resources.sessions().begin() as session:
            return auth.acting(session, actor)
    except SessionEndedError:
        return None


def _contact_settings() -> NotifySettings | None:
    """Return the notification settings, or None after keeping why they are unusable for the page."""
    try:
        return resources.notification_settings()
    except ValidationError as error:
        st.session_state["contact_error"] = f"The notification settings are not usable: {error}"
        return None


@problems.guarded
def add_contact_from_form(actor: Actor, patient_id: int) -> None:
    """Callback of the Settings form: add the contact and send its code, or keep the message for the field."""
    ss = st.session_state
    if (settings := _contact_settings()) is None or _still_acting(actor) is None:
        return
    address = ss.get("contact_address", "")
    try:
        contact_id, failed = confirmations.add_and_send_code(
            resources.sessions(),
            actor,
            patient_id,
            ss.get("contact_kind", "email"),
            address,
            settings,
            utcnow(),
            alerts=bool(ss.get("contact_alerts", True)),
            reminders=bool(ss.get("contact_reminders")),
        )
    except ValidationError as error:
        ss["contact_error"] = error.errors.get("address") or str(error)
        return
    ss.pop("contact_error", None)
    ss["contact_address"] = ""
    ss[f"contact_note_{contact_id}"] = _code_note(failed)


def _code_note(failed: str | None) -> tuple[str, str]:
    if failed:
        return "error", f"The code could not be sent: {failed}"
    return "success", "We sent a code to this address. Ask the person there for it and type it in here."


@problems.guarded
def confirm_contact(actor: Actor, patient_id: int, contact_id: int) -> None:
    """Callback: check the code typed for one contact; keep the outcome next to it."""
    ss = st.session_state
    try:
        with resources.sessions().begin() as session:
            code = ss.get(f"contact_code_{contact_id}", "")
            problem = confirmations.confirm_contact(
                session, auth.acting(session, actor), patient_id, contact_id, code, utcnow()
            )
    except (NotFoundError, SessionEndedError):
        return
    ss[f"contact_note_{contact_id}"] = ("error", problem) if problem else ("success", "Confirmed.")
    ss[f"contact_code_{contact_id}"] = ""


@problems.guarded
def resend_code(actor: Actor, patient_id: int, contact_id: int) -> None:
    """Callback: send an unconfirmed contact a new code."""
    if (settings := _contact_settings()) is None or _still_acting(actor) is None:
        return
    try:
        failed = confirmations.send_code(
            resources.sessions(), actor, patient_id, contact_id, settings, utcnow()
        )
    except ValidationError as error:
        st.session_state[f"contact_note_{contact_id}"] = ("error", str(error))
        return
    except NotFoundError:
        return
    st.session_state[f"contact_note_{contact_id}"] = _code_note(failed)


@problems.guarded
def test_contact(actor: Actor, patient_id: int, contact_id: int) -> None:
    """Callback: send a confirmed contact a test message and say how it went."""
    if (settings := _contact_settings()) is None or _still_acting(actor) is None:
        return
    try:
        failed = confirmations.send_test(
            resources.sessions(), actor, patient_id, contact_id, settings, utcnow()
        )
    except ValidationError as error:
        failed = str(error)
    except NotFoundError:
        return
    note = ("error", f"The test could not be sent: {failed}") if failed else ("success", "Test sent.")
    st.session_state[f"contact_note_{contact_id}"] = note


@problems.guarded
def remove_contact(actor: Actor, patient_id: int, contact_id: int) -> None:
    """Callback: remove one contact (a stale button for a removed contact does nothing)."""
    try:
        with resources.sessions().begin() as session:
            contacts.remove_contact(session, auth.acting(session, actor), patient_id, contact_id)
    except SessionEndedError:
        return
    except NotFoundError:
        pass


# Material icons: the emoji once used here lack glyphs in some fonts and showed as empty boxes.
CONTACT_ICONS = {"email": ":material/mail:", "apprise": ":material/chat:"}


def contact_line(contact: ContactState, tz: str) -> None:
    """Show one contact: where, what it gets, and how its latest message went (in words)."""
    icon = CONTACT_ICONS.get(contact.kind, ":material/chat:")
    gets = ", ".join(x for x, on in (("alerts", contact.alerts), ("reminders", contact.reminders)) if on)
    words = plain(contacts.status_words(contact, tz))
    shared = " · your clinician" if contact.shared else ""
    st.markdown(f"{icon} {plain(contact.address)}{shared} · {gets or 'nothing chosen'}")
    if not contact.confirmed or contact.last_status == "failing":
        st.warning(words, icon=":material/warning:")
    else:
        st.caption(words)


def field_error(errors_key: str, field: str) -> None:
    """Show the message a callback kept in session state for one field, right under that field."""
    if message := st.session_state.get(errors_key, {}).get(field):
        st.error(message)


def zone(tz: str) -> ZoneInfo:
    """Return the ZoneInfo for a zone name already checked by ui.state."""
    return ZoneInfo(tz)


def my_data_section(actor: Actor) -> None:
    """Show "everything I keep in one file" and "delete my account and all my data" (confirmed)."""
    single = actor.kind is ActorKind.LOCAL
    st.subheader("All my data")
    st.caption(
        "Everything you keep here in one JSON file: "
        + ("every profile" if single else "your account and every profile you keep")
        + " with all entries, factors, alerts, contacts and shares."
    )
    now = utcnow()
    st.download_button(
        "Download everything (JSON)",
        data=lambda: _everything(actor, now),
        file_name=f"symptom-tracker-my-data-{now:%Y-%m-%d}.json",
        mime="application/json",
        key="download_everything",
        icon=":material/download:",
        on_click="ignore",
    )
    what = "every profile on this device" if single else "your account and every profile you keep"
    with st.expander(f"Delete {what}", icon=":material/delete_forever:"):
        st.write(
            f"This deletes {what}, with all entries, alerts and shares. It cannot be undone: download your "
            "data first if you may want it."
        )
        typed = st.text_input("Type DELETE to confirm", key="delete_everything_confirm")
        if st.button(
            "Delete everything",
            type="primary",
            key="confirm_delete_everything",
            disabled=typed.strip() != "DELETE",
            on_click=_delete_everything,
            args=(actor,),
        ):
            st.rerun()


def _everything(actor: Actor, now: datetime) -> bytes:
    with resources.sessions().begin() as session:
        return export_everything(session, actor, now)


@problems.guarded
def _delete_everything(actor: Actor) -> None:
    """Callback: delete, then start this browser session afresh (signed out, on a clean slate)."""
    try:
        with resources.sessions().begin() as session:
            delete_everything(session, auth.acting(session, actor))
    except SessionEndedError:
        return  # nothing deleted; the run that follows shows the sign-in page
    resources.data_changed()
    for key in list(st.session_state):
        del st.session_state[key]
    st.session_state["auth_notice"] = "Your data has been deleted."
