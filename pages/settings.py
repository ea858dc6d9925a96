"""Settings page: region, time zone, the profile and its person, own measures and cycle, sharing, contacts."""

from zoneinfo import available_timezones

import streamlit as st

from tracker.care_team.access import ActorKind
from tracker.care_team.contacts import MAX_CONTACTS, ContactState
from tracker.care_team.sharing import INVITATION_DAYS, create_invitation, revoke_invitations, revoke_share
from tracker.diary.patients import delete_patient, rename_patient
from tracker.diary.preferences import save_preferences
from tracker.errors import NotFoundError, ValidationError
from tracker.regions import REGIONS
from tracker.storage.tables import utcnow
from ui import about_person, bootstrap, components, measures_view, problems, resources, state
from ui.text import plain

bootstrap.require_entrypoint("pages/settings.py")
st.title("Settings")

st.subheader("Where you are")
actor = state.actor()
place_for = state.chosen_patient_id()
chosen = state.preferences()
codes = [region.code for region in REGIONS]
names = {region.code: f"{region.name} — emergency {region.emergency}" for region in REGIONS}
zones = [state.AUTO_TZ, *sorted(available_timezones())]
region_key, tz_key = f"region_{place_for}", f"display_tz_{place_for}"  # one pair per profile


@problems.guarded
def save_place() -> None:
    """Callback: keep the region and time zone in the database (a reload or a new tab shows them)."""
    zone = st.session_state[tz_key]
    try:
        with resources.sessions().begin() as session:
            save_preferences(
                session,
                actor,
                place_for,
                st.session_state[region_key],
                None if zone == state.AUTO_TZ else zone,
            )
    except ValidationError as error:
        st.session_state["place_error"] = str(error)
    else:
        st.session_state.pop("place_error", None)


st.selectbox(
    "Region (sets the emergency and crisis numbers we show)",
    codes,
    index=codes.index(state.region().code),
    format_func=names.__getitem__,
    key=region_key,
    on_change=save_place,
)
st.selectbox(
    "Show times in",
    zones,
    index=zones.index(chosen.time_zone) if chosen.time_zone in zones else 0,
    key=tz_key,
    on_change=save_place,
    help=f"Your browser reports {state.browser_tz()}. Entries are stored in UTC and shown in this zone.",
)
if message := st.session_state.get("place_error"):
    st.error(message)
st.caption("Saved at once with this profile: a reload, a new tab or another device shows the same.")
components.safety_notice(state.region())

if state.read_only():
    st.subheader("Patients who shared with you")
    shared = state.patients()
    st.write(", ".join(plain(name) for name in shared.values()) or "Nobody yet.")
    st.caption("A patient or caregiver gives you a one-time code from their Settings page. Enter it here.")
    components.invitation_form(actor)
    components.my_data_section(actor)
    st.stop()

st.subheader("Patient profile")
patient_id = state.patient_id()
known = state.patients()
new_name = st.text_input("Name", value=known.get(patient_id, ""), max_chars=80, key=f"rename_{patient_id}")
if st.button("Rename", key="rename"):
    try:
        with resources.sessions().begin() as session:
            rename_patient(session, actor, patient_id, new_name)
    except ValidationError as error:
        st.error(error.errors["name"])
    else:
        resources.data_changed()
        st.success("Renamed.")
        st.rerun()


@st.dialog("Delete this profile?")
def confirm_delete_profile() -> None:
    st.write(
        f"This deletes {plain(known[patient_id])}'s profile with every entry, alert, contact and share. "
        "It cannot be undone."
    )
    keep, remove = st.columns(2)
    if keep.button("Keep it", key="keep_profile"):
        st.rerun()
    if remove.button("Delete profile", type="primary", key="confirm_delete_profile"):
        with resources.sessions().begin() as session:
            delete_patient(session, actor, patient_id)
        resources.data_changed()
        st.session_state.pop(state.PATIENT_KEY, None)
        st.rerun()


if len(known) > 1 and st.button(
    "Delete this profile…", key="delete_profile", icon=":material/person_remove:"
):
    confirm_delete_profile()

about_person.about_person_section(actor, patient_id)
measures_view.settings_section(actor, patient_id)


@problems.guarded
def new_invitation() -> None:
    with resources.sessions().begin() as session:
        st.session_state["invitation_shown"] = (
            patient_id,
            create_invitation(session, actor, patient_id, utcnow()),
        )


@problems.guarded
def cancel_invitations() -> None:
    with resources.sessions().begin() as session:
        count = revoke_invitations(session, actor, patient_id, utcnow())
    st.session_state.pop("invitation_shown", None)
    st.toast(f"Cancelled {count} unused code{'s' if count != 1 else ''}.")


@problems.guarded
def stop_sharing(share_id: int) -> None:
    try:
        with resources.sessions().begin() as session:
            revoke_share(session, actor, patient_id, share_id, utcnow())
    except NotFoundError:
        pass
    resources.data_changed()


def sharing_section() -> None:
    """Invitation codes and who can see the profile (accounts only: single-user mode has no clinicians)."""
    st.subheader("Share with a clinician")
    st.caption(
        f"A clinician with an account here can read {plain(known[patient_id])}'s diary, see and answer "
        "its alerts (they are e-mailed too) and record what happened. They cannot change entries. Give "
        f"them a one-time code; it works once, for {INVITATION_DAYS} days. You can stop sharing at any time."
    )
    shown = st.session_state.get("invitation_shown")
    if shown and shown[0] == patient_id:
        st.success(
            f"Invitation code: **{shown[1]}** — give it to your clinician. It is not stored: note it now."
        )
    make, cancel = st.columns(2)
    make.button(
        "Create an invitation code", key="create_invitation", icon=":material/key:", on_click=new_invitation
    )
    cancel.button("Cancel unused codes", key="cancel_invitations", on_click=cancel_invitations)
    for share in resources.shares(resources.database_url(), actor, patient_id):
        who, since, stop = st.columns([4, 3, 2], vertical_alignment="center")
        who.write(f"{plain(share.clinician)} ({plain(share.email)})")
        if share.revoked_at:
            since.caption(f"stopped {share.revoked_at:%d %b %Y}")
            continue
        since.caption(f"since {share.since:%d %b %Y}")
        stop.button("Stop sharing", key=f"revoke_{share.id}", on_click=stop_sharing, args=(share.id,))


if actor.kind is ActorKind.USER:
    sharing_section()

st.subheader("Who is told about worrying symptoms")
st.caption(
    "When a check-in is severe, gets much worse or needs care today, an alert goes to these contacts "
    "(e-mail, or a personal channel apprise supports such as Telegram, Pushover or ntfy). Reminders are "
    f"a daily nudge to check in. Up to {MAX_CONTACTS} contacts. A new contact is sent a 6-digit code and "
    "gets nothing else until you type that code in here: ask the person for it."
)


def contact_row(contact: ContactState) -> None:
    """One contact: its state, then confirm (code) or send a test, and remove."""
    with st.container(border=True):
        components.contact_line(contact, state.display_tz())
        actions = st.container(horizontal=True, vertical_alignment="bottom")
        args = (actor, patient_id, contact.id)
        if not contact.confirmed:
            actions.text_input(
                "Code it received", key=f"contact_code_{contact.id}", max_chars=12, placeholder="123456"
            )
            actions.button(
                "Confirm", key=f"confirm_contact_{contact.id}", on_click=components.confirm_contact, args=args
            )
            actions.button(
                "Send a new code", key=f"resend_code_{contact.id}", on_click=components.resend_code, args=args
            )
        else:
            actions.button(
                "Send a test", key=f"test_contact_{contact.id}", on_click=components.test_contact, args=args
            )
        if not contact.shared:  # a clinician's address goes when sharing stops
            actions.button(
                "Remove",
                icon=":material/delete:",
                key=f"remove_contact_{contact.id}",
                on_click=components.remove_contact,
                args=args,
            )
        if note := st.session_state.get(f"contact_note_{contact.id}"):
            kind, words = note
            (st.success if kind == "success" else st.error)(plain(words))


for contact in resources.contact_states(resources.database_url(), actor, patient_id):
    contact_row(contact)
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
    st.form_submit_button(
        "Add contact and send a code", on_click=components.add_contact_from_form, args=(actor, patient_id)
    )

if actor.kind is not ActorKind.LOCAL:
    components.my_data_section(actor)
