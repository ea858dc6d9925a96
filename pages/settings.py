"""Settings page: region (emergency and crisis numbers), time zone, patient name."""

from zoneinfo import available_timezones

import streamlit as st

from tracker.errors import ValidationError
from tracker.patients import rename_patient
from tracker.regions import REGIONS
from ui import bootstrap, components, resources, state

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
