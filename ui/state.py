"""What a page needs to know each run: the acting user, the chosen patient, their region and time zone."""

import streamlit as st

from tracker import config
from tracker.care_team.access import LOCAL, Actor, ActorKind, Role
from tracker.diary.preferences import Preferences
from tracker.diary.validation import zone_error
from tracker.regions import Region, region_for
from ui import resources

PATIENT_KEY = "patient_id"
AUTO_TZ = "Browser time zone"
ACTOR_KEY = "_actor"  # set by app.py (ui.auth.remember) on every run


def browser_tz() -> str:
    """Return the browser's IANA time zone (UTC until the browser has reported it)."""
    return valid_tz(st.context.timezone) or "UTC"


def valid_tz(name: str | None) -> str | None:
    """Return `name` when it is an IANA time zone, else None."""
    return name if name and not zone_error(name) else None


def preferences() -> Preferences:
    """Return the region and time zone kept in the database for this person and profile.

    Before sign-in (no actor yet) nothing is chosen: the server's defaults apply.
    """
    found = st.session_state.get(ACTOR_KEY)
    if not isinstance(found, Actor):
        if config.auth_mode(resources.secrets()) != "none":
            return Preferences()
        found = LOCAL
    return resources.preferences(resources.database_url(), found, chosen_patient_id(found))


def chosen_patient_id(who: Actor | None = None) -> int | None:
    """Return the profile picked in the sidebar, else the first one, else None (never stops the page)."""
    chosen = st.session_state.get(PATIENT_KEY)
    if isinstance(chosen, int):
        return chosen
    visible = resources.patients(resources.database_url(), who or actor())
    return visible[0][0] if visible else None


def display_tz() -> str:
    """Return the zone times are shown in: the one chosen, else the browser's."""
    return valid_tz(preferences().time_zone) or browser_tz()


def region() -> Region:
    """Return the region whose emergency and crisis numbers are shown: chosen, else the server's."""
    return region_for(preferences().region or config.region_code(resources.secrets()))


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
