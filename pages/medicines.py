"""Medicines page: the profile's medicine list (dose, form, times or as needed): add, edit, stop, delete."""

from collections.abc import Sequence
from datetime import date

import streamlit as st

from tracker.care_team.accounts import SessionEndedError
from tracker.diary.validation import local_now
from tracker.errors import NotFoundError, ValidationError
from tracker.medicines.medicine_list import add_medicine, delete_medicine, edit_medicine, stop_medicine
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


def field_error(field: str, errors_key: str = "medicine_errors") -> None:
    if message := ss.get(errors_key, {}).get(field):
        st.error(message, icon=":material/error:")


def entered(suffix: object) -> MedicineInput:
    """Return the medicine in the fields ending in `suffix`. Raises ValidationError for a typed time."""
    as_needed = ss.get(f"med_schedule_{suffix}") == AS_NEEDED
    return MedicineInput(
        ss.get(f"med_name_{suffix}") or "",
        ss.get(f"med_amount_{suffix}"),  # type: ignore[arg-type]  # None is answered by the library
        ss.get(f"med_unit_{suffix}") or "",
        ss.get(f"med_form_{suffix}") or "",
        () if as_needed else read_times(ss.get(f"med_times_{suffix}", [])),
        as_needed,
        ss.get(f"med_start_{suffix}"),
        ss.get(f"med_end_{suffix}"),
    )


@problems.guarded
def add_from_form() -> None:
    """Callback of "Add medicine": check every field, store it or show what to fix next to each field."""
    try:
        medicine = entered(ss.med_gen)
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


def medicine_fields(
    suffix: object, shown: MedicineView | None = None, errors_key: str = "medicine_errors"
) -> None:
    """Draw the medicine's fields (empty to add one, or filled with `shown` to correct it)."""
    st.text_input(
        "Name",
        value=shown.name if shown else "",
        key=f"med_name_{suffix}",
        max_chars=MEDICINE_NAME_MAX_LENGTH,
        placeholder="e.g. Sumatriptan",
    )
    field_error("name", errors_key)
    amount, unit, form = st.columns(3)
    amount.number_input(
        "Dose",
        key=f"med_amount_{suffix}",
        min_value=0.0,
        value=shown.dose_amount if shown else None,
        step=0.5,
        placeholder="e.g. 50",
    )
    unit_shown, form_shown = (shown.dose_unit, shown.form) if shown else (None, None)
    unit.selectbox("Unit", DOSE_UNITS, index=_index(DOSE_UNITS, unit_shown), key=f"med_unit_{suffix}")
    form.selectbox("Form", FORMS, index=_index(FORMS, form_shown), key=f"med_form_{suffix}")
    for field in ("dose_amount", "dose_unit", "form"):
        field_error(field, errors_key)
    st.radio(
        "When",
        [AT_TIMES, AS_NEEDED],
        index=1 if shown and shown.as_needed else 0,
        key=f"med_schedule_{suffix}",
        horizontal=True,
    )
    chosen = [clock.strftime("%H:%M") for clock in shown.times] if shown else []
    st.multiselect(
        "Times of day",
        sorted({*time_choices(), *chosen}),
        default=chosen,
        key=f"med_times_{suffix}",
        accept_new_options=True,
        max_selections=MAX_TIMES_A_DAY,
        placeholder="Pick or type times, e.g. 08:00",
        help="Leave empty for a medicine taken only as needed.",
    )
    field_error("times", errors_key)
    start, end = st.columns(2)
    start.date_input(
        "Started on",
        key=f"med_start_{suffix}",
        value=shown.start_date if shown else today,
        format="DD/MM/YYYY",
        min_value=date(1900, 1, 1),
    )
    end.date_input(
        "Last day (optional)",
        key=f"med_end_{suffix}",
        value=shown.end_date if shown else None,
        format="DD/MM/YYYY",
        min_value=date(1900, 1, 1),
    )
    field_error("start_date", errors_key)
    field_error("end_date", errors_key)


def _index(options: Sequence[str], value: str | None) -> int:
    return options.index(value) if value is not None and value in options else 0


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
        actions.button(
            "Edit",
            key=f"edit_medicine_{medicine.id}",
            icon=":material/edit:",
            on_click=start_edit,
            args=(medicine.id,),
        )
        if ss.get("editing_medicine") == medicine.id:  # kept open across reruns until saved or closed
            edit_dialog(medicine)
        if actions.button("Delete", key=f"delete_medicine_{medicine.id}", icon=":material/delete:"):
            confirm_delete(medicine)


def start_edit(medicine_id: int) -> None:
    ss.editing_medicine = medicine_id
    ss.pop("medicine_edit_errors", None)


def stop_edit() -> None:
    ss.pop("editing_medicine", None)
    ss.pop("medicine_edit_errors", None)


@st.dialog("Edit this medicine", on_dismiss=stop_edit)
def edit_dialog(medicine: MedicineView) -> None:
    """Correct what was entered; the schedule counts for the whole period (a new dose: stop and add)."""
    if ss.get("editing_medicine") != medicine.id:  # saved (this is the dialog's own rerun): close it
        st.rerun()
    st.caption(
        "For correcting what was entered: the new times count for every day since it started. If the "
        "dose changes from today, stop this medicine and add the new dose instead."
    )
    suffix = f"edit_{medicine.id}"
    medicine_fields(suffix, medicine, "medicine_edit_errors")
    st.button(
        "Save changes",
        type="primary",
        key=f"save_medicine_{medicine.id}",
        icon=":material/save:",
        on_click=save_edit,
        args=(medicine.id, suffix),
    )


@problems.guarded
def save_edit(medicine_id: int, suffix: str) -> None:
    """Callback of Save: store the corrected medicine and close, or keep the dialog open with the messages."""
    try:
        corrected = entered(suffix)
        with resources.sessions().begin() as session:
            saved = edit_medicine(session, auth.acting(session), patient_id, medicine_id, corrected, today)
    except SessionEndedError:
        return
    except ValidationError as error:
        ss.medicine_edit_errors = error.errors
        return
    except NotFoundError as error:
        ss.medicine_notice = str(error)
    else:
        resources.data_changed()
        ss.medicine_notice = f"Saved {saved.label}, {saved.schedule_text}."
    stop_edit()


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
    medicine_fields(ss.med_gen)
    st.form_submit_button("Add medicine", type="primary", icon=":material/add:", on_click=add_from_form)
