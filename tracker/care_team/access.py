"""Who may do what with a profile's data: the one place the library decides access.

Every function in `tracker/` that reads or writes a patient's data takes the acting user (`Actor`)
and calls `require` before touching a row, so a page that forgets a check still cannot show or change
someone else's data. Owners (the patient, or the caregiver who keeps the profile) may do everything;
a clinician the profile was shared with may read it, work its alerts and record outcomes.
"""

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from tracker.diary.validation import valid_id
from tracker.errors import NotFoundError
from tracker.storage.tables import Patient, Share


class Role(StrEnum):
    PATIENT = "patient"  # keeps one profile: their own
    CAREGIVER = "caregiver"  # keeps several profiles (a parent for children)
    CLINICIAN = "clinician"  # keeps none; sees the profiles shared with them

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.PATIENT: "Patient: I track my own symptoms",
    Role.CAREGIVER: "Caregiver: I track symptoms for people I look after",
    Role.CLINICIAN: "Clinician: patients share their diary with me",
}


class Permission(StrEnum):
    READ = "read"  # entries, charts, alerts, exports
    WRITE = "write"  # log, edit, delete and import entries; rename the profile
    MANAGE = "manage"  # contacts, sharing, deleting the profile
    REVIEW = "review"  # acknowledge and resolve alerts
    LABEL = "label"  # record what actually happened after an entry


OWNER_PERMISSIONS = frozenset({Permission.READ, Permission.WRITE, Permission.MANAGE, Permission.REVIEW})
CLINICIAN_PERMISSIONS = frozenset({Permission.READ, Permission.REVIEW, Permission.LABEL})
NOT_ALLOWED = {
    Permission.READ: "see",
    Permission.WRITE: "change",
    Permission.MANAGE: "manage",
    Permission.REVIEW: "work the alerts of",
    Permission.LABEL: "record outcomes for",
}


class ActorKind(StrEnum):
    LOCAL = "local"  # sign-in mode `none`: the one person using this install
    USER = "user"  # a signed-in account
    SYSTEM = "system"  # the operator's jobs: reminders, backups, training (never a page)


@dataclass(frozen=True)
class Actor:
    """The person (or job) a call is made for. Hashable: part of the UI's cache keys."""

    kind: ActorKind
    user_id: int | None = None
    role: Role = Role.CAREGIVER
    name: str = "You"

    @classmethod
    def user(cls, user_id: int, role: str, name: str) -> "Actor":
        return cls(ActorKind.USER, user_id, Role(role), name)

    @property
    def owner_id(self) -> int | None:
        """The `Patient.owner_id` of the profiles this actor keeps (None: the local user's)."""
        return self.user_id if self.kind is ActorKind.USER else None


LOCAL = Actor(ActorKind.LOCAL)
SYSTEM = Actor(ActorKind.SYSTEM, role=Role.CLINICIAN, name="System")


class AccessDeniedError(NotFoundError, PermissionError):
    """The actor may not do this with the profile. A profile they cannot see reads as not found."""


def owns(actor: Actor, patient: Patient) -> bool:
    """Return whether `actor` keeps this profile."""
    return actor.kind is not ActorKind.SYSTEM and patient.owner_id == actor.owner_id


def permissions(session: Session, actor: Actor, patient: Patient) -> frozenset[Permission]:
    """Return what `actor` may do with `patient`'s data (empty: nothing, not even know it exists)."""
    if actor.kind is ActorKind.SYSTEM:
        return OWNER_PERMISSIONS | CLINICIAN_PERMISSIONS
    if owns(actor, patient):
        return OWNER_PERMISSIONS
    if actor.kind is ActorKind.USER and actor.role is Role.CLINICIAN and _shared(session, actor, patient.id):
        return CLINICIAN_PERMISSIONS
    return frozenset()


def _shared(session: Session, actor: Actor, patient_id: int) -> bool:
    query = select(Share.id).where(
        Share.patient_id == patient_id, Share.clinician_id == actor.user_id, Share.revoked_at.is_(None)
    )
    return session.scalar(query) is not None


def require(
    session: Session, actor: Actor, patient_id: int, permission: Permission = Permission.READ
) -> Patient:
    """Return the patient when `actor` holds `permission` for them.

    Raises AccessDeniedError (a NotFoundError: someone else's profile reads as missing) otherwise.
    """
    patient = session.get(Patient, patient_id) if valid_id(patient_id) else None
    if patient is None:
        raise NotFoundError(f"There is no patient with id {patient_id}.")
    granted = permissions(session, actor, patient)
    if not granted:
        raise AccessDeniedError(f"There is no patient with id {patient_id}.")
    if permission not in granted:
        raise AccessDeniedError(f"You can read this diary but not {NOT_ALLOWED[permission]} it.")
    return patient


def visible_patients_query(actor: Actor) -> Select[Patient]:
    """Return a query of the profiles `actor` can see: their own, then those shared with them."""
    query = select(Patient)
    if actor.kind is ActorKind.SYSTEM:
        return query
    if actor.kind is ActorKind.LOCAL:
        return query.where(Patient.owner_id.is_(None))
    shared = select(Share.patient_id).where(Share.clinician_id == actor.user_id, Share.revoked_at.is_(None))
    if actor.role is Role.CLINICIAN:
        return query.where(Patient.id.in_(shared))
    return query.where(Patient.owner_id == actor.user_id)
