"""Where a patient's alerts and reminders go: e-mail addresses and apprise URLs (SMS, chat …)."""

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.access import Actor, Permission, require
from tracker.errors import NotFoundError, ValidationError
from tracker.models import Contact
from tracker.validation import clean_text, valid_id

CONTACT_KINDS = ("email", "apprise")
ADDRESS_MAX_LENGTH = 500
# Deliberately simple: one @, a dot in the domain, no spaces. The SMTP server is the real judge.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
APPRISE_PATTERN = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.IGNORECASE)


def contact_error(kind: str, address: str) -> str | None:
    """Return why `address` is not a usable contact of `kind`, or None."""
    if kind not in CONTACT_KINDS:
        return "Choose e-mail or another channel."
    if not address or len(address) > ADDRESS_MAX_LENGTH:
        return f"Please enter an address of up to {ADDRESS_MAX_LENGTH} characters."
    if kind == "email" and not EMAIL_PATTERN.match(address):
        return "That does not look like an e-mail address (name@example.org)."
    if kind == "apprise" and not APPRISE_PATTERN.match(address):
        return "Channel addresses look like scheme://…, e.g. tgram://bot-token/chat-id."
    return None


def add_contact(
    session: Session,
    actor: Actor,
    patient_id: int,
    kind: str,
    address: str,
    *,
    alerts: bool = True,
    reminders: bool = False,
) -> Contact:
    """Add and return a contact for the patient. Raises ValidationError or NotFoundError."""
    address = clean_text(address)
    if message := contact_error(kind, address):
        raise ValidationError({"address": message})
    require(session, actor, patient_id, Permission.MANAGE)
    contact = Contact(patient_id=patient_id, kind=kind, address=address, alerts=alerts, reminders=reminders)
    session.add(contact)
    session.flush()
    return contact


def list_contacts(session: Session, actor: Actor, patient_id: int) -> list[Contact]:
    """Return the patient's contacts, oldest first."""
    require(session, actor, patient_id, Permission.MANAGE)
    return list(session.scalars(select(Contact).where(Contact.patient_id == patient_id).order_by(Contact.id)))


def remove_contact(session: Session, actor: Actor, patient_id: int, contact_id: int) -> None:
    """Remove one of the patient's contacts. Raises NotFoundError."""
    require(session, actor, patient_id, Permission.MANAGE)
    contact = session.get(Contact, contact_id) if valid_id(contact_id) else None
    if contact is None or contact.patient_id != patient_id:
        raise NotFoundError("There is no such contact for this patient.")
    session.delete(contact)
