"""Sharing a profile with a clinician: a one-time invitation code, accepted by them, revocable by you.

A code is 12 letters and digits from an alphabet without look-alikes (no 0/O, 1/I/L), about 60 bits:
read aloud over the phone or typed from a letter. Only its SHA-256 is stored. It works once, for
INVITATION_DAYS. Accepting also adds the clinician's e-mail to the profile's alert contacts, so the
care team hears of a severe symptom without opening the app; revoking removes both.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.care_team.access import Actor, ActorKind, Permission, Role, require
from tracker.diary.entries import bump_revision
from tracker.diary.validation import valid_id
from tracker.errors import NotFoundError, ValidationError
from tracker.storage.tables import Contact, Invitation, Patient, Share, User

INVITATION_DAYS = 7
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


@dataclass(frozen=True)
class ShareView:
    """One clinician who can see a profile (or could, until `revoked_at`)."""

    id: int
    clinician: str
    email: str
    since: datetime
    revoked_at: datetime | None


def create_invitation(session: Session, actor: Actor, patient_id: int, now: datetime) -> str:
    """Return a new invitation code for the profile (shown once). Raises NotFoundError."""
    require(session, actor, patient_id, Permission.MANAGE)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    session.add(
        Invitation(
            patient_id=patient_id,
            code_hash=_code_hash(raw),
            created_at=now,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
    )
    session.flush()
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def accept_invitation(session: Session, actor: Actor, code: str, now: datetime) -> Patient:
    """Give the clinician `actor` read access to the invited profile and return it.

    Raises ValidationError for a non-clinician, or a code that is unknown, used, revoked or expired
    (all read alike: a guessed code learns nothing).
    """
    if actor.kind is not ActorKind.USER or actor.role is not Role.CLINICIAN:
        raise ValidationError({"code": "Only a clinician account can accept an invitation code."})
    invitation = session.scalar(select(Invitation).where(Invitation.code_hash == _code_hash(code)))
    if invitation is None or invitation.used_at or invitation.revoked_at or invitation.expires_at <= now:
        raise ValidationError(
            {"code": "That code is not valid: check it, or ask for a new one (codes work once, for 7 days)."}
        )
    invitation.used_at = now
    share = session.scalar(
        select(Share).where(Share.patient_id == invitation.patient_id, Share.clinician_id == actor.user_id)
    )
    if share is None:
        share = Share(patient_id=invitation.patient_id, clinician_id=actor.user_id, created_at=now)
        session.add(share)
    share.revoked_at, share.created_at = None, now
    session.flush()
    clinician = session.get(User, actor.user_id)
    if clinician is not None and not _has_contact(session, share.patient_id, share.id, clinician.email):
        session.add(
            Contact(
                patient_id=share.patient_id,
                kind="email",
                address=clinician.email,
                alerts=True,
                reminders=False,
                share_id=share.id,
                created_at=now,
                # The clinician asked for it by accepting the code, signed in to the account it belongs to.
                confirmed_at=now,
            )
        )
    patient = session.get(Patient, invitation.patient_id)
    assert patient is not None  # the invitation's foreign key
    return patient


def list_shares(session: Session, actor: Actor, patient_id: int) -> list[ShareView]:
    """Return who the profile is shared with (revoked ones too, latest last). Raises NotFoundError."""
    require(session, actor, patient_id, Permission.MANAGE)
    query = (
        select(Share.id, User.name, User.email, Share.created_at, Share.revoked_at)
        .join(User, User.id == Share.clinician_id)
        .where(Share.patient_id == patient_id)
        .order_by(Share.created_at)
    )
    return [ShareView(*row) for row in session.execute(query)]


def revoke_share(session: Session, actor: Actor, patient_id: int, share_id: int, now: datetime) -> None:
    """Stop sharing the profile with one clinician, at once. Raises NotFoundError."""
    require(session, actor, patient_id, Permission.MANAGE)
    share = session.get(Share, share_id) if valid_id(share_id) else None
    if share is None or share.patient_id != patient_id:
        raise NotFoundError("There is no such share for this profile.")
    share.revoked_at = share.revoked_at or now
    for contact in session.scalars(select(Contact).where(Contact.share_id == share.id)):
        session.delete(contact)
    bump_revision(session, actor, patient_id)  # every cached view of the profile is keyed by it


def revoke_invitations(session: Session, actor: Actor, patient_id: int, now: datetime) -> int:
    """Cancel every unused invitation code of the profile; return how many. Raises NotFoundError."""
    require(session, actor, patient_id, Permission.MANAGE)
    pending = session.scalars(
        select(Invitation).where(
            Invitation.patient_id == patient_id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
    ).all()
    for invitation in pending:
        invitation.revoked_at = now
    return len(pending)


def _has_contact(session: Session, patient_id: int, share_id: int, email: str) -> bool:
    """Return whether the share's contact exists, or the owner already added the clinician's address."""
    query = select(Contact.id).where(
        (Contact.share_id == share_id)
        | ((Contact.patient_id == patient_id) & (Contact.kind == "email") & (Contact.address == email))
    )
    return session.scalar(query.limit(1)) is not None


def _code_hash(code: str) -> str:
    letters = "".join(ch for ch in str(code).upper() if ch.isalnum())
    return hashlib.sha256(letters.encode()).hexdigest()
