"""Medicines page: the profile's medicine list (dose, form, times of day or as needed), add, stop, delete."""

from datetime import date

import streamlit as st

from tracker.care_team.accounts import SessionEndedError
from tracker.diary.validation import local_now
from tracker.errors import NotFoundError, ValidationError
from tracker.medicines.medicine_list import add_medicine, delete_medicine, stop_medicine
from tracker.medicines.schedule import (
    DOSE_UNITS,
    FORMS,
    MAX_TIMES_A_DAY,
    MedicineInput,
    MedicineView,
    read_times,
    time_choices,
)
from tracker.storage.limits import MEDICINE_NAME_MAX_LENGTH
from ui import auth, bootstrap, charts_view, medicines_view, problems, resources, state
from ui.text import plain

bootstrap.require_entrypoint("pages/medicines.py")
ss = st.session_state
AT_TIMES, AS_NEEDED = "At set times of day", "As needed"
ss.setdefault("med_gen", 0)

st.title("Medicines")
patient_id = state.patient_id()
tz = state.display_tz()
today = local_now(tz).date()
st.caption(
    "The medicines you take and when. Doses due show on the Log page with Taken and Skip buttons, and "
    "History shows the doses and how many were taken as planned. Contacts with reminders on get a "
    f"message when a dose is due and not logged yet. Times are in {tz}."
)


def field_error(field: str) -> None:
    if message := ss.get("medicine_errors", {}).get(field):
        st.error(message, icon=":material/error:")


@problems.guarded
def add_from_form() -> None:
    """Callback of "Add medicine": check every field, store it or show what to fix next to each field."""
    gen = ss.med_gen
    as_needed = ss.get(f"med_schedule_{gen}") == AS_NEEDED
    try:
        times = () if as_needed else read_times(ss.get(f"med_times_{gen}", []))
        medicine = MedicineInput(
            ss.get(f"med_name_{gen}") or "",
            ss.get(f"med_amount_{gen}"),  # type: ignore[arg-type]  # None is answered by the library
            ss.get(f"med_unit_{gen}") or "",
            ss.get(f"med_form_{gen}") or "",
            times,
            as_needed,
            ss.get(f"med_start_{gen}"),
            ss.get(f"med_end_{gen}"),
        )
        with resources.sessions().begin() as session:
            added = add_medicine(session, auth.acting(session), patient_id, medicine, today)
    except SessionEndedError:
        return
    except ValidationError as error:
        ss.medicine_errors = error.errors
        return
    except NotFoundError as error:
        ss.medicine_errors = {"name": str(error)}
        return
    ss.pop("medicine_errors", None)
    resources.data_changed()
    ss.medicine_notice = f"Added {added.label}, {added.schedule_text}."
    ss.med_gen += 1  # fresh keys: the form starts empty for the next medicine


@problems.guarded
def change(medicine_id: int, stop: bool) -> None:
    """Callback of Stop (last day today; its doses stay) and of Delete (with its doses)."""
    try:
        with resources.sessions().begin() as session:
            actor = auth.acting(session)
            if stop:
                stop_medicine(session, actor, patient_id, medicine_id, today)
            else:
                delete_medicine(session, actor, patient_id, medicine_id)
    except SessionEndedError:
        return
    except (ValidationError, NotFoundError) as error:
        ss.medicine_notice = str(error)
        return
    resources.data_changed()


def medicine_row(medicine: MedicineView) -> None:
    with st.container(border=True):
        stopped = medicine.end_date is not None and medicine.end_date < today
        since = f"since {medicine.start_date:%d %b %Y}"
        until = f", until {medicine.end_date:%d %b %Y}" if medicine.end_date else ""
        st.markdown(f"**{plain(medicine.label)}** · {medicine.form} · {medicine.schedule_text}")
        st.caption(f"{since}{until}{' (stopped)' if stopped else ''}")
        actions = st.container(horizontal=True)
        if not stopped and medicine.end_date != today:
            actions.button(
                "Stop taking it",
                key=f"stop_medicine_{medicine.id}",
                on_click=change,
                args=(medicine.id, True),
            )
        if actions.button("Delete", key=f"delete_medicine_{medicine.id}", icon=":material/delete:"):
            confirm_delete(medicine)


@st.dialog("Delete this medicine?")
def confirm_delete(medicine: MedicineView) -> None:
    st.write(
        f"Delete {plain(medicine.label)} and every dose logged for it? To keep its doses, stop it instead."
    )
    keep, remove = st.columns(2)
    if keep.button("Keep it", key="keep_medicine"):
        st.rerun()
    if remove.button(
        "Delete", type="primary", key="confirm_delete_medicine", on_click=change, args=(medicine.id, False)
    ):
        st.rerun()


listed = medicines_view.medicines(
    resources.database_url(), state.actor(), patient_id, charts_view.selection(patient_id, tz).version
)
if notice := ss.pop("medicine_notice", None):
    st.info(plain(notice), icon=":material/medication:")
for medicine in sorted(
    listed, key=lambda m: (m.end_date is not None and m.end_date < today, m.name.casefold())
):
    medicine_row(medicine)
if not listed:
    st.info("No medicines yet. Add the first one below.")

st.subheader("Add a medicine")
with st.form("add_medicine", border=True):
    st.text_input(
        "Name",
        key=f"med_name_{ss.med_gen}",
        max_chars=MEDICINE_NAME_MAX_LENGTH,
        placeholder="e.g. Sumatriptan",
    )
    field_error("name")
    amount, unit, form = st.columns(3)
    amount.number_input(
        "Dose", key=f"med_amount_{ss.med_gen}", min_value=0.0, value=None, step=0.5, placeholder="e.g. 50"
    )
    unit.selectbox("Unit", DOSE_UNITS, key=f"med_unit_{ss.med_gen}")
    form.selectbox("Form", FORMS, key=f"med_form_{ss.med_gen}")
    field_error("dose_amount")
    field_error("dose_unit")
    field_error("form")
    st.radio("When", [AT_TIMES, AS_NEEDED], key=f"med_schedule_{ss.med_gen}", horizontal=True)
    st.multiselect(
        "Times of day",
        time_choices(),
        key=f"med_times_{ss.med_gen}",
        accept_new_options=True,
        max_selections=MAX_TIMES_A_DAY,
        placeholder="Pick or type times, e.g. 08:00",
        help="Leave empty for a medicine taken only as needed.",
    )
    field_error("times")
    start, end = st.columns(2)
    start.date_input(
        "Started on",
        key=f"med_start_{ss.med_gen}",
        value=today,
        format="DD/MM/YYYY",
        min_value=date(1900, 1, 1),
    )
    end.date_input(
        "Last day (optional)",
        key=f"med_end_{ss.med_gen}",
        value=None,
        format="DD/MM/YYYY",
        min_value=date(1900, 1, 1),
    )
    field_error("start_date")
    field_error("end_date")
    st.form_submit_button("Add medicine", type="primary", icon=":material/add:", on_click=add_from_form)
