"""Where a patient's alerts and reminders go: e-mail addresses and apprise URLs (SMS, chat …).

A new contact is confirmed before it hears anything but the confirmation: the app sends a 6-digit
code to the address, the person there passes it to the profile's owner, and the owner types it in.
The owner types it, not the contact, because contacts have no account and the app may not know its
own public address, so there is no page a contact could open; and a person at the address must
cooperate, which is what consent needs. The code is stored only as a hash, works for CODE_VALID and
CODE_TRIES tries. Limits: MAX_CONTACTS a profile, CODES_PER_DAY codes a profile, one code a contact a
RESEND_PAUSE. Confirmation and test messages hold no text a user chose.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tracker.access import Actor, Permission, require
from tracker.channels import (
    MAX_ATTEMPTS,
    DeliveryStatus,
    NotifySettings,
    Purpose,
    channel_error,
    message_id,
    plain_reason,
    send_message,
)
from tracker.db import write_with_retry
from tracker.errors import NotFoundError, ValidationError
from tracker.models import ConfirmationSend, Contact, Delivery
from tracker.validation import clean_text, valid_id

CONTACT_KINDS = ("email", "apprise")
ADDRESS_MAX_LENGTH = 500
MAX_CONTACTS = 10  # a profile's own contacts (a clinician's, added by sharing, does not count)
CODE_DIGITS = 6
CODE_VALID = timedelta(hours=24)
CODE_TRIES = 5
RESEND_PAUSE = timedelta(minutes=1)
CODES_PER_DAY = 20
TEST_PAUSE = timedelta(minutes=1)
# Deliberately simple: one @, a dot in the domain, no spaces. The SMTP server is the real judge.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# One mailbox and nothing a header parser could split into several (no commas, brackets or quotes).
SINGLE_MAILBOX = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
APPRISE_PATTERN = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.IGNORECASE)
CONFIRM_SUBJECT = "Confirm alerts from the Patient Symptom Tracker"
TEST_SUBJECT = "Test message from the Patient Symptom Tracker"
NO_EMAIL = (
    "E-mail is not set up on this server, so this contact would never hear anything. "
    "Use another channel, or ask whoever runs the app to add the [smtp] settings."
)


@dataclass(frozen=True)
class Outgoing:
    """A message to send now, outside any transaction (a code, or a test)."""

    contact_id: int
    purpose: Purpose
    kind: str
    address: str
    subject: str
    body: str
    stored_body: str  # what the delivery record keeps: the code is never stored


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
    session.delete(_contact(session, actor, patient_id, contact_id))


def _contact(session: Session, actor: Actor, patient_id: int, contact_id: int) -> Contact:
    require(session, actor, patient_id, Permission.MANAGE)
    contact = session.get(Contact, contact_id) if valid_id(contact_id) else None
    if contact is None or contact.patient_id != patient_id:
        raise NotFoundError("There is no such contact for this patient.")
    return contact


def new_code(session: Session, actor: Actor, patient_id: int, contact_id: int, now: datetime) -> Outgoing:
    """Give an unconfirmed contact a new code and return the message that carries it.

    Raises ValidationError (already confirmed, asked again too soon, the profile's daily limit) or
    NotFoundError.
    """
    contact = _contact(session, actor, patient_id, contact_id)
    if contact.confirmed_at is not None:
        raise ValidationError({"code": "This contact is already confirmed."})
    if contact.code_expires_at is not None and now < contact.code_expires_at - CODE_VALID + RESEND_PAUSE:
        raise ValidationError({"code": "A code was sent a moment ago: wait a minute before asking again."})
    day = select(func.count()).where(
        ConfirmationSend.patient_id == patient_id, ConfirmationSend.sent_at > now - timedelta(days=1)
    )
    if (session.scalar(day) or 0) >= CODES_PER_DAY:
        raise ValidationError({"code": f"This profile has sent {CODES_PER_DAY} codes today: try tomorrow."})
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    contact.code_hash, contact.code_attempts = _code_hash(contact.id, code), 0
    contact.code_expires_at = now + CODE_VALID
    session.add(ConfirmationSend(patient_id=patient_id, sent_at=now))
    body = confirmation_body(code)
    hidden = confirmation_body("•" * CODE_DIGITS)
    return Outgoing(contact.id, Purpose.CONFIRM, contact.kind, contact.address, CONFIRM_SUBJECT, body, hidden)


def confirmation_body(code: str) -> str:
    """Return the confirmation message: fixed words and the code, nothing a user typed."""
    hours = int(CODE_VALID.total_seconds() // 3600)
    return (
        "Someone using the Patient Symptom Tracker asked for symptom alerts to be sent to this address.\n\n"
        f"If you agree, give them this code: {code}\n\n"
        f"It works for {hours} hours. If you did not expect this message, ignore it: nothing else is sent "
        "here unless the code is entered."
    )


def confirm_contact(
    session: Session, actor: Actor, patient_id: int, contact_id: int, code: str, now: datetime
) -> str | None:
    """Confirm the contact with the code it received; return None, or why not.

    A wrong try is counted, so the caller commits either way. Raises NotFoundError.
    """
    contact = _contact(session, actor, patient_id, contact_id)
    if contact.confirmed_at is not None:
        return None
    if contact.code_hash is None or contact.code_expires_at is None or contact.code_expires_at <= now:
        return "There is no valid code for this contact: send a new one."
    if contact.code_attempts >= CODE_TRIES:
        return "Too many wrong tries: send a new code."
    typed = "".join(ch for ch in str(code) if ch.isdigit())
    if not hmac.compare_digest(contact.code_hash, _code_hash(contact.id, typed)):
        contact.code_attempts += 1
        left = CODE_TRIES - contact.code_attempts
        return (
            f"That code is not right: {left} tr{'y' if left == 1 else 'ies'} left."
            if left
            else ("That code is not right, and that was the last try: send a new code.")
        )
    contact.confirmed_at, contact.code_hash, contact.code_expires_at = now, None, None
    return None


def new_test(session: Session, actor: Actor, patient_id: int, contact_id: int, now: datetime) -> Outgoing:
    """Return a test message for a confirmed contact. Raises ValidationError or NotFoundError."""
    contact = _contact(session, actor, patient_id, contact_id)
    if contact.confirmed_at is None:
        raise ValidationError({"test": "Confirm this contact first: until then only the code is sent."})
    last = session.scalar(
        select(func.max(Delivery.created_at)).where(
            Delivery.contact_id == contact.id, Delivery.purpose == Purpose.TEST
        )
    )
    if last is not None and now < last + TEST_PAUSE:
        raise ValidationError({"test": "A test was sent a moment ago: wait a minute before another."})
    body = (
        "This is a test from the Patient Symptom Tracker. Alerts and reminders will arrive like this.\n\n"
        "Nothing needs doing."
    )
    return Outgoing(contact.id, Purpose.TEST, contact.kind, contact.address, TEST_SUBJECT, body, body)


def record_outgoing(
    session: Session,
    actor: Actor,
    patient_id: int,
    outgoing: Outgoing,
    error: str | None,
    now: datetime,
) -> None:
    """Keep how a code or test went, as the contact's latest delivery. Raises NotFoundError."""
    _contact(session, actor, patient_id, outgoing.contact_id)
    session.add(
        Delivery(
            contact_id=outgoing.contact_id,
            purpose=str(outgoing.purpose),
            reference=f"{outgoing.purpose} {now.isoformat(timespec='microseconds')}",
            subject=outgoing.subject,
            body=outgoing.stored_body,
            status=DeliveryStatus.SENT if error is None else DeliveryStatus.FAILED,
            attempts=1,
            last_error=error,
            created_at=now,
            sent_at=now,
        )
    )


def deliver_outgoing(outgoing: Outgoing, settings: NotifySettings) -> str | None:
    """Send a code or a test now; return None, or the error as "Type: detail"."""
    try:
        send_message(
            outgoing.kind, outgoing.address, outgoing.subject, outgoing.body, settings, message_id(settings)
        )
    except Exception as error:  # the owner is told, in words, next to the contact
        return f"{type(error).__name__}: {error}"[:500]
    return None


def add_and_send_code(
    factory: sessionmaker[Session],
    actor: Actor,
    patient_id: int,
    kind: str,
    address: str,
    settings: NotifySettings,
    now: datetime,
    *,
    alerts: bool = True,
    reminders: bool = False,
) -> tuple[int, str | None]:
    """Add a contact and send it its code; return (contact id, why sending failed or None).

    The contact is kept when sending fails: the owner sees why and can send a new code.
    Raises ValidationError or NotFoundError (nothing is added then).
    """

    def add(session: Session) -> Outgoing:
        contact = add_contact(
            session, actor, patient_id, kind, address, settings=settings, alerts=alerts, reminders=reminders
        )
        return new_code(session, actor, patient_id, contact.id, now)

    outgoing, _ = write_with_retry(factory, add)
    return outgoing.contact_id, _send_and_record(factory, actor, patient_id, outgoing, settings, now)


def send_code(
    factory: sessionmaker[Session],
    actor: Actor,
    patient_id: int,
    contact_id: int,
    settings: NotifySettings,
    now: datetime,
) -> str | None:
    """Send an unconfirmed contact a new code; return why sending failed, or None."""
    outgoing, _ = write_with_retry(factory, lambda s: new_code(s, actor, patient_id, contact_id, now))
    return _send_and_record(factory, actor, patient_id, outgoing, settings, now)


def send_test(
    factory: sessionmaker[Session],
    actor: Actor,
    patient_id: int,
    contact_id: int,
    settings: NotifySettings,
    now: datetime,
) -> str | None:
    """Send a confirmed contact a test message; return why it failed (in words), or None."""
    with factory.begin() as session:
        outgoing = new_test(session, actor, patient_id, contact_id, now)
    return _send_and_record(factory, actor, patient_id, outgoing, settings, now)


def _send_and_record(
    factory: sessionmaker[Session],
    actor: Actor,
    patient_id: int,
    outgoing: Outgoing,
    settings: NotifySettings,
    now: datetime,
) -> str | None:
    error = deliver_outgoing(outgoing, settings)
    write_with_retry(
        factory, partial(_record, actor=actor, patient_id=patient_id, outgoing=outgoing, error=error, now=now)
    )
    return plain_reason(error) or None


def _record(
    session: Session, actor: Actor, patient_id: int, outgoing: Outgoing, error: str | None, now: datetime
) -> None:
    record_outgoing(session, actor, patient_id, outgoing, error, now)


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


def _code_hash(contact_id: int, code: str) -> str:
    return hashlib.sha256(f"{contact_id}:{code}".encode()).hexdigest()
