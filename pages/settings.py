"""Settings page: region (emergency and crisis numbers), time zone, patient name."""

from zoneinfo import available_timezones

import streamlit as st

from tracker.errors import ValidationError
from tracker.patients import rename_patient
from tracker.regions import REGIONS
from ui import bootstrap, components, resources, state
from ui.text import plain

bootstrap.require_entrypoint("pages/settings.py")
st.title("Settings")

st.subheader("Where you are")
codes = [region.code for region in REGIONS]
names = {region.code: f"{region.name} — emergency {region.emergency}" for region in REGIONS}
current = state.region().code
st.selectbox(
    "Region (sets the emergency and crisis numbers we show)",
    codes,
    index=codes.index(current),
    format_func=names.__getitem__,
    key=state.REGION_KEY,
    persist_state="session",
)
zones = [state.AUTO_TZ, *sorted(available_timezones())]
st.selectbox(
    "Show times in",
    zones,
    key=state.TZ_KEY,
    persist_state="session",
    help=f"Your browser reports {state.browser_tz()}. Entries are stored in UTC and shown in this zone.",
)
components.safety_notice(state.region())

st.subheader("Patient profile")
patient_id = state.patient_id()
known = dict(resources.patients(resources.database_url()))
new_name = st.text_input("Name", value=known.get(patient_id, ""), max_chars=80, key=f"rename_{patient_id}")
if st.button("Rename", key="rename"):
    try:
        with resources.sessions().begin() as session:
            rename_patient(session, patient_id, new_name)
    except ValidationError as error:
        st.error(error.errors["name"])
    else:
        resources.data_changed()
        st.success("Renamed.")
        st.rerun()

st.subheader("Who is told about worrying symptoms")
st.caption(
    "When a check-in is severe, gets much worse or needs care today, an alert goes to these contacts "
    "(e-mail, or any channel apprise supports such as SMS or chat). Reminders are a daily nudge to check in."
)
contacts = resources.contacts(resources.database_url(), patient_id)
for contact in contacts:
    where, what, remove = st.columns([4, 3, 1], vertical_alignment="center")
    where.write(f"{'✉️' if contact.kind == 'email' else '💬'} {plain(contact.address)}")
    what.caption(
        ", ".join(x for x, on in (("alerts", contact.alerts), ("reminders", contact.reminders)) if on)
    )
    remove.button(
        "",
        icon=":material/delete:",
        key=f"remove_contact_{contact.id}",
        help="Remove",
        on_click=components.remove_contact,
        args=(patient_id, contact.id),
    )
with st.form("add_contact", clear_on_submit=False, border=True):
    kind = st.radio(
        "Send by",
        ["email", "apprise"],
        horizontal=True,
        key="contact_kind",
        format_func={"email": "E-mail", "apprise": "Other channel (apprise URL)"}.__getitem__,
    )
    st.text_input("Address", key="contact_address", max_chars=500, placeholder="name@example.org")
    alerts_on, reminders_on = st.columns(2)
    alerts_on.checkbox("Alerts", value=True, key="contact_alerts")
    reminders_on.checkbox("Daily reminder to check in", key="contact_reminders")
    if message := st.session_state.get("contact_error"):
        st.error(message)
    st.form_submit_button("Add contact", on_click=components.add_contact_from_form, args=(patient_id,))
