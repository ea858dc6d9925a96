"""A profile's medicine list: add, list, edit, stop and delete medicines (checked, one transaction each)."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.care_team.access import Actor, Permission, require
from tracker.diary.entries import bump_revision
from tracker.diary.validation import clean_text, valid_id
from tracker.errors import NotFoundError, ValidationError
from tracker.medicines.schedule import (
    MedicineInput,
    MedicineView,
    parse_times,
    require_valid_medicine,
    times_text,
)
from tracker.storage.tables import Medicine

MAX_MEDICINES = 40  # per profile: far above a real list, low enough that a page stays quick


def view_of(medicine: Medicine) -> MedicineView:
    """Return a stored medicine as the rest of the app reads it."""
    return MedicineView(
        id=medicine.id,
        name=medicine.name,
        dose_amount=medicine.dose_amount,
        dose_unit=medicine.dose_unit,
        form=medicine.form,
        times=parse_times(medicine.times),
        as_needed=medicine.as_needed,
        start_date=medicine.start_date,
        end_date=medicine.end_date,
    )


def list_medicines(session: Session, actor: Actor, patient_id: int) -> list[MedicineView]:
    """Return every medicine on the profile's list (current and stopped), by name."""
    require(session, actor, patient_id)
    query = select(Medicine).where(Medicine.patient_id == patient_id).order_by(Medicine.name, Medicine.id)
    return [view_of(medicine) for medicine in session.scalars(query)]


def current_medicines(session: Session, actor: Actor, patient_id: int, today: date) -> list[MedicineView]:
    """Return the medicines taken on the local day `today` (started, not yet stopped)."""
    return [m for m in list_medicines(session, actor, patient_id) if m.active_on(today)]


def add_medicine(
    session: Session, actor: Actor, patient_id: int, medicine: MedicineInput, today: date
) -> MedicineView:
    """Add a medicine to the list and return it. Raises ValidationError (each bad field) or NotFoundError."""
    require(session, actor, patient_id, Permission.WRITE)
    listed = list_medicines(session, actor, patient_id)
    # A medicine stopped today frees its name: a new dose of it can be added the same day.
    require_valid_medicine(
        medicine, today, [m.name for m in listed if m.end_date is None or m.end_date > today]
    )
    if len(listed) >= MAX_MEDICINES:
        raise ValidationError({"name": f"A profile can list up to {MAX_MEDICINES} medicines."})
    row = Medicine(
        patient_id=patient_id,
        name=clean_text(medicine.name),
        dose_amount=float(medicine.dose_amount),
        dose_unit=medicine.dose_unit,
        form=medicine.form,
        times=times_text(medicine.times),
        as_needed=medicine.as_needed,
        start_date=medicine.start_date or today,
        end_date=medicine.end_date,
    )
    session.add(row)
    session.flush()
    bump_revision(session, actor, patient_id)
    return view_of(row)


def get_medicine(
    session: Session,
    actor: Actor,
    patient_id: int,
    medicine_id: int,
    permission: Permission = Permission.READ,
) -> Medicine:
    """Return one medicine of the profile. Raises NotFoundError (none, or another profile's)."""
    require(session, actor, patient_id, permission)
    medicine = session.get(Medicine, medicine_id) if valid_id(medicine_id) else None
    if medicine is None or medicine.patient_id != patient_id:
        raise NotFoundError("That medicine is not on this profile's list.")
    return medicine


def edit_medicine(
    session: Session, actor: Actor, patient_id: int, medicine_id: int, medicine: MedicineInput, today: date
) -> MedicineView:
    """Correct a listed medicine (name, dose, form, schedule, dates) and return it.

    For mistakes in what was entered: the new schedule counts for the whole period, so adherence is
    recounted with it. A dose that changes from a day on is a new medicine (stop this one, add that).
    Raises ValidationError (each bad field) or NotFoundError.
    """
    row = get_medicine(session, actor, patient_id, medicine_id, Permission.WRITE)
    others = [m for m in list_medicines(session, actor, patient_id) if m.id != medicine_id]
    require_valid_medicine(
        medicine, today, [m.name for m in others if m.end_date is None or m.end_date > today]
    )
    row.name = clean_text(medicine.name)
    row.dose_amount = float(medicine.dose_amount)
    row.dose_unit = medicine.dose_unit
    row.form = medicine.form
    row.times = times_text(medicine.times)
    row.as_needed = medicine.as_needed
    row.start_date = medicine.start_date or row.start_date
    row.end_date = medicine.end_date
    session.flush()
    bump_revision(session, actor, patient_id)
    return view_of(row)


def stop_medicine(
    session: Session, actor: Actor, patient_id: int, medicine_id: int, last_day: date
) -> MedicineView:
    """Stop a medicine after `last_day` (its doses stay in the diary); return it. Raises ValidationError."""
    medicine = get_medicine(session, actor, patient_id, medicine_id, Permission.WRITE)
    if last_day < medicine.start_date:
        raise ValidationError({"end_date": "The last day is before the medicine was started."})
    medicine.end_date = last_day
    bump_revision(session, actor, patient_id)
    return view_of(medicine)


def delete_medicine(session: Session, actor: Actor, patient_id: int, medicine_id: int) -> None:
    """Delete a medicine and every dose logged for it (for one added by mistake)."""
    medicine = get_medicine(session, actor, patient_id, medicine_id, Permission.WRITE)
    session.delete(medicine)
    session.flush()
    bump_revision(session, actor, patient_id)
