"""Patient profiles."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import NotFoundError, ValidationError
from tracker.models import Patient
from tracker.validation import clean_text, patient_name_error, valid_id

DEFAULT_PATIENT_NAME = "Me"


def add_patient(session: Session, name: str, owner_id: int | None = None) -> Patient:
    """Create and return a patient. Raises ValidationError for an empty or over-long name."""
    if message := patient_name_error(name):
        raise ValidationError({"name": message})
    patient = Patient(name=clean_text(name), owner_id=owner_id)
    session.add(patient)
    session.flush()
    return patient


def list_patients(session: Session, owner_id: int | None = None) -> list[Patient]:
    """Return the patients of `owner_id` (all local ones in single-user mode), oldest first."""
    owned = Patient.owner_id.is_(None) if owner_id is None else Patient.owner_id == owner_id
    query = select(Patient).where(owned)
    return list(session.scalars(query.order_by(Patient.id)))


def get_patient(session: Session, patient_id: int) -> Patient:
    """Return the patient. Raises NotFoundError when there is none with that id."""
    patient = session.get(Patient, patient_id) if valid_id(patient_id) else None
    if patient is None:
        raise NotFoundError(f"There is no patient with id {patient_id}.")
    return patient


def rename_patient(session: Session, patient_id: int, name: str) -> Patient:
    """Rename and return the patient. Raises ValidationError or NotFoundError."""
    if message := patient_name_error(name):
        raise ValidationError({"name": message})
    patient = get_patient(session, patient_id)
    patient.name = clean_text(name)
    return patient


def ensure_default_patient(session: Session) -> Patient:
    """Return the first local patient, creating "Me" on a fresh install."""
    existing = list_patients(session)
    return existing[0] if existing else add_patient(session, DEFAULT_PATIENT_NAME)


def find_patient_by_name(session: Session, name: str) -> Patient:
    """Return the local patient called `name` (case-insensitive). Raises NotFoundError."""
    wanted = clean_text(name).casefold()
    for patient in list_patients(session):
        if patient.name.casefold() == wanted:
            return patient
    raise NotFoundError(f"There is no patient called {name!r}.")
