"""Confirming a contact, and sending it a test: the messages the owner asks for on Settings.

A new contact is confirmed before it hears anything but the confirmation: the app sends a 6-digit
code to the address, the person there passes it to the profile's owner, and the owner types it in.
The owner types it, not the contact, because contacts have no account and the app may not know its
own public address, so there is no page a contact could open; and a person at the address must
cooperate, which is what consent needs. The code is stored only as a hash, works for CODE_VALID and
CODE_TRIES tries. Limits: CODES_PER_DAY codes a profile (counted even after a contact is removed),
one code a contact a RESEND_PAUSE, one test a TEST_PAUSE. Confirmation and test messages hold no
text a user chose.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tracker.care_team.access import Actor
from tracker.care_team.contacts import add_contact, get_contact
from tracker.errors import ValidationError
from tracker.notify.transport import (
    DeliveryStatus,
    NotifySettings,
    Purpose,
    message_id,
    plain_reason,
    send_message,
)
from tracker.storage.engine import write_with_retry
from tracker.storage.tables import ConfirmationSend, Delivery

CODE_DIGITS = 6
CODE_VALID = timedelta(hours=24)
CODE_TRIES = 5
RESEND_PAUSE = timedelta(minutes=1)
CODES_PER_DAY = 20
TEST_PAUSE = timedelta(minutes=1)
CONFIRM_SUBJECT = "Confirm alerts from the Patient Symptom Tracker"
TEST_SUBJECT = "Test message from the Patient Symptom Tracker"


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


def new_code(session: Session, actor: Actor, patient_id: int, contact_id: int, now: datetime) -> Outgoing:
    """Give an unconfirmed contact a new code and return the message that carries it.

    Raises ValidationError (already confirmed, asked again too soon, the profile's daily limit) or
    NotFoundError.
    """
    contact = get_contact(session, actor, patient_id, contact_id)
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
    contact = get_contact(session, actor, patient_id, contact_id)
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
    contact = get_contact(session, actor, patient_id, contact_id)
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
    get_contact(session, actor, patient_id, outgoing.contact_id)
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


def _code_hash(contact_id: int, code: str) -> str:
    return hashlib.sha256(f"{contact_id}:{code}".encode()).hexdigest()
