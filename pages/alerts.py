"""Alerts page: the inbox of severe, worsening or urgent check-ins, to acknowledge and resolve."""

import streamlit as st

from tracker.alerts.engine import AlertStatus
from tracker.alerts.inbox import acknowledge, resolve
from tracker.care_team.access import ActorKind
from tracker.errors import NotFoundError, ValidationError
from tracker.storage.tables import utcnow
from ui import bootstrap, components, resources, state
from ui.text import plain

bootstrap.require_entrypoint("pages/alerts.py")
ss = st.session_state
STATUS_LABELS = {"new": "New", "acknowledged": "Seen", "resolved": "Resolved"}

st.title("Alerts")
actor = state.actor()
tz = state.display_tz()
url = resources.database_url()
many = len(state.patients()) > 1 or state.read_only()  # a clinician always sees whose alert
st.caption(
    "An alert is raised when a symptom reaches 4 of 5, gets 2 points worse than last time, or a "
    "check-in needs care today. One alert follows an ongoing problem and is updated; it is raised "
    "again only if things get worse. Contacts on the Settings page are told by e-mail or message."
)
components.safety_notice(state.region())


def who_is_told() -> None:
    """The chosen profile's contacts and how each one's latest message went (failures are not hidden)."""
    patient_id = state.patient_id()
    contacts = resources.contact_states(url, actor, patient_id)
    if not contacts:
        st.info(
            "Nobody is told about these alerts yet: add a contact on the Settings page.",
            icon=":material/info:",
        )
        return
    troubled = [c for c in contacts if not c.confirmed or c.last_status == "failing"]
    name = plain(state.patients().get(patient_id, ""))
    with st.expander(
        f"Who is told about {name}'s alerts" + (f" ({len(troubled)} need attention)" if troubled else ""),
        expanded=bool(troubled),
    ):
        for contact in contacts:
            components.contact_line(contact, tz)


if not state.read_only() and state.patients():
    who_is_told()


def change(patient_id: int, alert_id: int, action: str) -> None:
    """Callback: acknowledge or resolve an alert (in the name given above the list in single-user mode)."""
    step = acknowledge if action == "acknowledge" else resolve
    try:
        with resources.sessions().begin() as session:
            step(session, actor, patient_id, alert_id, ss.get("alert_actor") or "", utcnow())
    except (ValidationError, NotFoundError) as error:
        ss.alert_error = (
            "; ".join(error.errors.values()) if isinstance(error, ValidationError) else str(error)
        )
        return
    ss.pop("alert_error", None)
    resources.alerts_changed()


if actor.kind is ActorKind.LOCAL:
    st.text_input("Your name (recorded when you mark an alert)", key="alert_actor", max_chars=120, value="Me")
if message := ss.get("alert_error"):
    st.error(message)
show_resolved = st.toggle("Show resolved alerts", key="show_resolved")
statuses = ("new", "acknowledged", "resolved") if show_resolved else ("new", "acknowledged")
alerts = resources.alerts(url, actor, statuses, resources.inbox_version(url, actor))
if not alerts:
    st.success("No open alerts.", icon=":material/check_circle:")
for alert in alerts:
    box = st.error if alert.status == AlertStatus.NEW else st.container(border=True).info
    when = alert.updated_at.astimezone(components.zone(tz)).strftime("%a %d %b, %H:%M")
    repeats = f" · {alert.check_ins} check-ins" if alert.check_ins > 1 else ""
    whose = f"**{plain(alert.patient)}** · " if many else ""
    box(f"{whose}**{STATUS_LABELS[alert.status]}** · {when}{repeats}\n\n{plain(alert.message)}")
    who = [
        f"seen by {plain(alert.acknowledged_by)}" if alert.acknowledged_by else "",
        f"resolved by {plain(alert.resolved_by)}" if alert.resolved_by else "",
    ]
    if any(who):
        st.caption(" · ".join(part for part in who if part))
    actions = st.container(horizontal=True)  # side by side, at the left, on a phone too
    if alert.status == AlertStatus.NEW:
        actions.button(
            "Mark as seen",
            key=f"ack_{alert.id}",
            on_click=change,
            args=(alert.patient_id, alert.id, "acknowledge"),
        )
    if alert.status != AlertStatus.RESOLVED:
        actions.button(
            "Resolve",
            key=f"resolve_{alert.id}",
            on_click=change,
            args=(alert.patient_id, alert.id, "resolve"),
        )
