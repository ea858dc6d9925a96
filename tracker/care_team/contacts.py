"""Where a patient's alerts and reminders go: e-mail addresses and apprise URLs (SMS, chat …).

A contact is checked when added: one mailbox, an e-mail server to send from, a channel apprise can
use and the app may call (tracker.notify.transport), not already there, at most MAX_CONTACTS a profile. It
hears nothing but a confirmation code until confirmed (tracker.notify.confirmations).
"""

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.care_team.access import Actor, Permission, require
from tracker.diary.validation import clean_text, valid_id
from tracker.errors import NotFoundError, ValidationError
from tracker.notify.transport import (
    MAX_ATTEMPTS,
    DeliveryStatus,
    NotifySettings,
    Purpose,
    channel_error,
    plain_reason,
)
from tracker.storage.tables import Contact, Delivery

CONTACT_KINDS = ("email", "apprise")
ADDRESS_MAX_LENGTH = 500
MAX_CONTACTS = 10  # a profile's own contacts (a clinician's, added by sharing, does not count)
# Deliberately simple: one @, a dot in the domain, no spaces. The SMTP server is the real judge.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# One mailbox and nothing a header parser could split into several (no commas, brackets or quotes).
SINGLE_MAILBOX = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
APPRISE_PATTERN = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.IGNORECASE)
NO_EMAIL = (
    "E-mail is not set up on this server, so this contact would never hear anything. "
    "Use another channel, or ask whoever runs the app to add the [smtp] settings."
)


@dataclass(frozen=True)
class ContactState:
    """A contact and how its latest message went: what Settings and the Alerts page show."""

    id: int
    kind: str
    address: str
    alerts: bool
    reminders: bool
    confirmed: bool
    shared: bool  # a clinician's address, there while the profile is shared with them
    last_status: str  # "sent", "failing", "sending" or "" (nothing tried yet)
    reason: str  # why the latest message failed, in words
    last_at: datetime | None


def contact_error(kind: str, address: str) -> str | None:
    """Return why `address` is not a well-formed contact of `kind`, or None."""
    if kind not in CONTACT_KINDS:
        return "Choose e-mail or another channel."
    if not address or len(address) > ADDRESS_MAX_LENGTH:
        return f"Please enter an address of up to {ADDRESS_MAX_LENGTH} characters."
    if kind == "email" and not (EMAIL_PATTERN.match(address) and SINGLE_MAILBOX.match(address)):
        return "That does not look like one e-mail address (name@example.org)."
    if kind == "apprise" and not APPRISE_PATTERN.match(address):
        return "Channel addresses look like scheme://…, e.g. tgram://bot-token/chat-id."
    return None


def normal_address(kind: str, address: str) -> str:
    """Return the address as stored: e-mail in lower case, so one mailbox is one contact."""
    address = clean_text(address)
    return address.lower() if kind == "email" else address


def add_contact(
    session: Session,
    actor: Actor,
    patient_id: int,
    kind: str,
    address: str,
    *,
    settings: NotifySettings,
    alerts: bool = True,
    reminders: bool = False,
) -> Contact:
    """Add and return an unconfirmed contact for the patient.

    Raises ValidationError (malformed, e-mail without an e-mail server, a channel apprise cannot use
    or that points at a private network, a duplicate, too many contacts) or NotFoundError.
    """
    address = normal_address(kind, address)
    if message := contact_error(kind, address):
        raise ValidationError({"address": message})
    require(session, actor, patient_id, Permission.MANAGE)
    if kind == "email" and settings.smtp is None:
        raise ValidationError({"address": NO_EMAIL})
    mine = select(Contact).where(Contact.patient_id == patient_id)
    if session.scalar(mine.where(Contact.kind == kind, Contact.address == address)) is not None:
        raise ValidationError({"address": "This address is already one of this profile's contacts."})
    own = select(func.count()).select_from(Contact).where(Contact.patient_id == patient_id)
    if (session.scalar(own.where(Contact.share_id.is_(None))) or 0) >= MAX_CONTACTS:
        raise ValidationError({"address": f"A profile can have up to {MAX_CONTACTS} contacts: remove one."})
    if kind == "apprise" and (message := channel_error(address, settings)):
        raise ValidationError({"address": message})
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
    session.delete(get_contact(session, actor, patient_id, contact_id))


def get_contact(session: Session, actor: Actor, patient_id: int, contact_id: int) -> Contact:
    """Return one of the patient's contacts. Raises NotFoundError."""
    require(session, actor, patient_id, Permission.MANAGE)
    contact = session.get(Contact, contact_id) if valid_id(contact_id) else None
    if contact is None or contact.patient_id != patient_id:
        raise NotFoundError("There is no such contact for this patient.")
    return contact


def contact_states(session: Session, actor: Actor, patient_id: int) -> list[ContactState]:
    """Return each of the patient's contacts with how its latest message went, oldest first."""
    contacts = list_contacts(session, actor, patient_id)
    latest = (
        select(Delivery.contact_id, func.max(Delivery.sent_at).label("at"))
        .where(Delivery.contact_id.in_([c.id for c in contacts]), Delivery.sent_at.is_not(None))
        .group_by(Delivery.contact_id)
        .subquery()
    )
    rows = session.scalars(
        select(Delivery)
        .join(latest, (Delivery.contact_id == latest.c.contact_id) & (Delivery.sent_at == latest.c.at))
        .order_by(Delivery.id)
    )
    last = {delivery.contact_id: delivery for delivery in rows}
    return [_state(contact, last.get(contact.id)) for contact in contacts]


def _state(contact: Contact, delivery: Delivery | None) -> ContactState:
    status, reason = "", ""
    if delivery is not None:
        status = {DeliveryStatus.SENT: "sent", DeliveryStatus.FAILED: "failing"}.get(
            DeliveryStatus(delivery.status), "sending"
        )
        if status == "failing":
            reason = plain_reason(delivery.last_error)
            if delivery.purpose in (Purpose.ALERT, Purpose.REMINDER) and delivery.attempts >= MAX_ATTEMPTS:
                reason += f" No more tries after {delivery.attempts}."
    return ContactState(
        contact.id,
        contact.kind,
        contact.address,
        contact.alerts,
        contact.reminders,
        contact.confirmed_at is not None,
        contact.share_id is not None,
        status,
        reason,
        delivery.sent_at if delivery is not None else None,
    )


def status_words(state: ContactState, tz: str) -> str:
    """Return a contact's state in words: not confirmed yet, last message sent, or failing and why."""
    if not state.confirmed:
        waiting = "Not confirmed yet: it gets nothing but the code until you type in the code it received."
        if state.last_status == "failing":
            return f"{waiting} The code could not be sent: {state.reason}"
        return waiting
    when = f" {state.last_at.astimezone(ZoneInfo(tz)):%d %b, %H:%M}" if state.last_at else ""
    if state.last_status == "sent":
        return f"Last message sent{when}."
    if state.last_status == "failing":
        return f"Failing: the last message{when} could not be sent. {state.reason}"
    if state.last_status == "sending":
        return f"Sending a message since{when}."
    return "Confirmed. Nothing sent yet."
