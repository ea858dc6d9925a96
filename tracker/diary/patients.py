"""Patient profiles: the diaries an account keeps (or, for a clinician, was given to read)."""

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tracker.care_team.access import Actor, ActorKind, Permission, Role, owns, require, visible_patients_query
from tracker.diary.validation import clean_text, patient_name_error
from tracker.errors import NotFoundError, ValidationError
from tracker.storage.tables import Patient

DEFAULT_PATIENT_NAME = "Me"
MAX_PROFILES = 20  # a family, a foster home; more looks like a clinic, which should share instead


def profile_limit_error(session: Session, actor: Actor, adding: int = 1) -> str | None:
    """Return why `actor` cannot add `adding` profiles now, or None (the local user has no limit)."""
    if actor.kind is not ActorKind.USER:
        return None
    if actor.role is Role.CLINICIAN:
        return "Clinician accounts don't keep profiles: patients share theirs with you by invitation code."
    owned = session.scalar(select(func.count()).select_from(visible_patients_query(actor).subquery())) or 0
    if actor.role is Role.PATIENT and owned + adding > 1:
        return "A patient account keeps one profile. To look after others, sign up as a caregiver."
    if owned + adding > MAX_PROFILES:
        return f"You can keep up to {MAX_PROFILES} profiles."
    return None


def add_patient(session: Session, actor: Actor, name: str) -> Patient:
    """Create and return a profile kept by `actor`. Raises ValidationError (bad name, or too many)."""
    if message := patient_name_error(name) or profile_limit_error(session, actor):
        raise ValidationError({"name": message})
    patient = Patient(name=clean_text(name), owner_id=actor.owner_id)
    session.add(patient)
    session.flush()
    return patient


def list_patients(session: Session, actor: Actor) -> list[Patient]:
    """Return the profiles `actor` can see (kept by them, or shared with them), oldest first."""
    return list(session.scalars(visible_patients_query(actor).order_by(Patient.id)))


def get_patient(
    session: Session, actor: Actor, patient_id: int, permission: Permission = Permission.READ
) -> Patient:
    """Return the patient. Raises NotFoundError when there is none `actor` may use this way."""
    return require(session, actor, patient_id, permission)


def rename_patient(session: Session, actor: Actor, patient_id: int, name: str) -> Patient:
    """Rename and return the patient. Raises ValidationError or NotFoundError."""
    if message := patient_name_error(name):
        raise ValidationError({"name": message})
    patient = require(session, actor, patient_id, Permission.WRITE)
    patient.name = clean_text(name)
    return patient


def delete_patient(session: Session, actor: Actor, patient_id: int) -> None:
    """Delete a profile and everything in it (entries, alerts, contacts, shares). Raises NotFoundError."""
    require(session, actor, patient_id, Permission.MANAGE)
    session.execute(delete(Patient).where(Patient.id == patient_id))


def ensure_default_patient(session: Session, actor: Actor) -> list[Patient]:
    """Return `actor`'s profiles, first creating "Me" for a single user or a patient who has none.

    A caregiver starts empty (they add the people they look after); a clinician keeps none.
    """
    existing = list_patients(session, actor)
    needs_own = actor.kind is ActorKind.LOCAL or actor.role is Role.PATIENT
    if needs_own and not any(owns(actor, patient) for patient in existing):
        existing.insert(0, add_patient(session, actor, DEFAULT_PATIENT_NAME))
    return existing


def find_patient_by_name(session: Session, actor: Actor, name: str) -> Patient:
    """Return the profile called `name` (case-insensitive) that `actor` can see. Raises NotFoundError."""
    wanted = clean_text(name).casefold()
    for patient in list_patients(session, actor):
        if patient.name.casefold() == wanted:
            return patient
    raise NotFoundError(f"There is no patient called {name!r}.")
