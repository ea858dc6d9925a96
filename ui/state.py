"""Per-browser-session settings: the acting user, the chosen patient, time zone and region."""

import streamlit as st

from tracker import config
from tracker.access import LOCAL, Actor, ActorKind, Role
from tracker.regions import Region, region_for
from tracker.validation import zone_error
from ui import resources

PATIENT_KEY = "patient_id"
TZ_KEY = "display_tz"
REGION_KEY = "region"
AUTO_TZ = "Browser time zone"
ACTOR_KEY = "_actor"  # set by app.py (ui.auth.remember) on every run


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


def actor() -> Actor:
    """Return who is using the app this run, as app.py found out.

    A page that runs before app.py has (a first visit by deep link) is sent through app.py, which
    signs the visitor in; only single-user mode has an actor without it.
    """
    found = st.session_state.get(ACTOR_KEY)
    if isinstance(found, Actor):
        return found
    if config.auth_mode(resources.secrets()) == "none":
        return LOCAL
    st.switch_page("app.py")
    raise AssertionError("st.switch_page does not return")


def read_only() -> bool:
    """Return whether the actor reads diaries without keeping them (a clinician)."""
    return actor().role is Role.CLINICIAN and actor().kind is ActorKind.USER


def patients() -> dict[int, str]:
    """Return id -> name of the profiles the actor can see."""
    return dict(resources.patients(resources.database_url(), actor()))


def patient_id() -> int:
    """Return the chosen patient's id, defaulting to the first profile.

    With no profile yet (a new caregiver, a clinician nobody has shared with) the page shows what to
    do first and stops.
    """
    ids = list(patients())
    if not ids:
        from ui import components  # components imports this module

        components.no_profile_yet(actor())
        st.stop()
    if st.session_state.get(PATIENT_KEY) not in ids:
        st.session_state[PATIENT_KEY] = ids[0]
    return int(st.session_state[PATIENT_KEY])
