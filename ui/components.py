"""Widgets shared by pages: the recommendation panel, the safety notice, the patient picker."""

from collections.abc import Callable
from zoneinfo import ZoneInfo

import streamlit as st

from tracker import contacts
from tracker.contacts import add_contact
from tracker.errors import NotFoundError, ValidationError
from tracker.levels import TriageLevel
from tracker.patients import add_patient
from tracker.regions import Region
from tracker.triage import Assessment
from ui import resources, state
from ui.text import plain

LEVEL_STYLE: dict[TriageLevel, tuple[Callable[..., object], str]] = {
    TriageLevel.EMERGENCY: (st.error, ":material/emergency:"),
    TriageLevel.URGENT: (st.warning, ":material/schedule:"),
    TriageLevel.SEE_DOCTOR: (st.info, ":material/stethoscope:"),
    TriageLevel.SELF_CARE: (st.success, ":material/home:"),
}


@st.dialog("What to do next", width="large")
def advice_dialog(assessment: Assessment, region: Region, saved: str) -> None:
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


def recommendation_panel(assessment: Assessment, region: Region, key: str = "recommendation") -> None:
    """Show the level (colour and icon), advice, reasons, confidence and the safety notice."""
    box, icon = LEVEL_STYLE[assessment.level]
    with st.container(key=key):
        heading = assessment.level.label
        if assessment.level is TriageLevel.EMERGENCY:
            heading += f" — call {region.emergency}"
        box(f"**{heading}**\n\n{assessment.advice}", icon=icon)
        if assessment.crisis:
            st.error(
                f"You do not have to cope with this alone. Call **{region.emergency}** if you are in danger "
                f"now, or talk to someone today: {region.crisis}.",
                icon=":material/support:",
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


def _add_patient() -> None:
    """Callback: create the patient and select it (runs before widgets are drawn again)."""
    try:
        with resources.sessions().begin() as session:
            new_id = add_patient(session, st.session_state.get("new_patient_name", "")).id
    except ValidationError as error:
        st.session_state["add_patient_error"] = error.errors["name"]
        return
    resources.data_changed()
    st.session_state.pop("add_patient_error", None)
    st.session_state["new_patient_name"] = ""
    st.session_state[state.PATIENT_KEY] = new_id


def patient_picker() -> int:
    """Show the patient selector (and "add patient") in the sidebar; return the chosen id."""
    current = state.patient_id()
    known = dict(resources.patients(resources.database_url()))
    st.sidebar.selectbox(
        "Patient", list(known), format_func=lambda pid: known.get(pid, "?"), key=state.PATIENT_KEY
    )
    with st.sidebar.popover("Add patient", icon=":material/person_add:"):
        st.text_input("Name", key="new_patient_name", max_chars=80)
        if message := st.session_state.get("add_patient_error"):
            st.error(message)
        st.button("Add", key="add_patient", on_click=_add_patient)
    return int(st.session_state.get(state.PATIENT_KEY, current))


def add_contact_from_form(patient_id: int) -> None:
    """Callback of the Settings form: add the contact, or keep the message next to the field."""
    ss = st.session_state
    try:
        with resources.sessions().begin() as session:
            add_contact(
                session,
                patient_id,
                ss.get("contact_kind", "email"),
                ss.get("contact_address", ""),
                alerts=bool(ss.get("contact_alerts", True)),
                reminders=bool(ss.get("contact_reminders")),
            )
    except ValidationError as error:
        ss["contact_error"] = error.errors.get("address", str(error))
        return
    ss.pop("contact_error", None)
    ss["contact_address"] = ""
    resources.contacts.clear()


def remove_contact(patient_id: int, contact_id: int) -> None:
    """Callback: remove one contact (a stale button for a removed contact does nothing)."""
    try:
        with resources.sessions().begin() as session:
            contacts.remove_contact(session, patient_id, contact_id)
    except NotFoundError:
        pass
    resources.contacts.clear()


def zone(tz: str) -> ZoneInfo:
    """Return the ZoneInfo for a zone name already checked by ui.state."""
    return ZoneInfo(tz)
