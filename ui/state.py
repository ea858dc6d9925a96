"""Per-browser-session settings: the chosen patient, time zone and region."""

import streamlit as st

from tracker import config
from tracker.regions import Region, region_for
from tracker.validation import zone_error
from ui import resources

PATIENT_KEY = "patient_id"
TZ_KEY = "display_tz"
REGION_KEY = "region"
AUTO_TZ = "Browser time zone"


def browser_tz() -> str:
    """Return the browser's IANA time zone (UTC until the browser has reported it)."""
    return valid_tz(st.context.timezone) or "UTC"


def valid_tz(name: str | None) -> str | None:
    """Return `name` when it is an IANA time zone, else None."""
    return name if name and not zone_error(name) else None


def display_tz() -> str:
    """Return the zone times are shown in: the user's setting, else the browser's."""
    chosen = st.session_state.get(TZ_KEY)
    return valid_tz(chosen) if chosen and chosen != AUTO_TZ else browser_tz()  # type: ignore[return-value]


def region() -> Region:
    """Return the region whose emergency and crisis numbers are shown."""
    return region_for(st.session_state.get(REGION_KEY) or config.region_code(resources.secrets()))


def patient_id() -> int:
    """Return the chosen patient's id, defaulting to the first profile."""
    known = resources.patients(resources.database_url())
    ids = [pid for pid, _name in known]
    if st.session_state.get(PATIENT_KEY) not in ids:
        st.session_state[PATIENT_KEY] = ids[0]
    return int(st.session_state[PATIENT_KEY])
