"""Notify contacts: e-mail over SMTP, any other channel through apprise; each attempt recorded.

One Delivery row per contact and alert version (or day's reminder): the unique constraint on
(contact, purpose, reference) makes every rerun harmless, and a delivery is claimed before it is sent
so two senders never send it twice. Failures are retried with growing pauses up to MAX_ATTEMPTS.
"""

import logging
import os
import smtplib
import ssl
import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from enum import StrEnum
from functools import partial
from typing import Any, cast

from sqlalchemy import CursorResult, Insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from tracker.alerts import AlertStatus, default_alert_rules
from tracker.config import read_secrets_file, region_code
from tracker.db import create_db_engine, session_factory, write_with_retry
from tracker.errors import TrackerError, ValidationError
from tracker.models import Alert, Contact, Delivery, Patient, utcnow
from tracker.regions import region_for

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Pause after attempt 1, 2, 3 and 4 fails: a short outage is bridged quickly, a long one is not hammered.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
# A claimed delivery whose sender died mid-attempt is tried again after this (far above SMTP_TIMEOUT).
IN_FLIGHT_TIMEOUT = timedelta(minutes=10)
SMTP_TIMEOUT_SECONDS = 20
SEND_INTERVAL_SECONDS = 30.0
ERROR_MAX_LENGTH = 500
SUBJECT_MAX_LENGTH = 200  # Delivery.subject
SMTP_ENV_PREFIX = "TRACKER_SMTP_"  # TRACKER_SMTP_HOST … override [smtp] in the secrets
SMTP_KEYS = ("host", "port", "username", "password", "from", "security")
SECURITY_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DEFAULT_TITLE = "Symptom alert"
RESOLVED_FIRST = "Not sent: the alert was resolved before it could go out."


class Purpose(StrEnum):
    ALERT = "alert"
    REMINDER = "reminder"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # not tried yet, or being tried (attempts > 0)
    SENT = "sent"
    FAILED = "failed"  # the latest attempt failed: tried again later while attempts < MAX_ATTEMPTS


class DeliveryError(TrackerError):
    """A notification could not be handed over; the message says why."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str  # the "from" key
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    security: str = "starttls"  # "starttls", "ssl" (implicit TLS) or "none"


@dataclass(frozen=True)
class NotifySettings:
    smtp: SmtpSettings | None = None  # None: e-mail is not set up (apprise channels still work)
    emergency: str = region_for(None).emergency  # the number named in every message
    interval_seconds: float = SEND_INTERVAL_SECONDS


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    failed: int = 0


def notify_settings(secrets: Mapping[str, Any] | None = None) -> NotifySettings:
    """Return the settings: TRACKER_SMTP_* variables, then `[smtp]` in the secrets, then defaults.

    Raises ValidationError for a bad port or security value.
    """
    source = read_secrets_file() if secrets is None else secrets
    table = dict(source.get("smtp") or {})
    table |= {key: value for key in SMTP_KEYS if (value := os.environ.get(SMTP_ENV_PREFIX + key.upper()))}
    return NotifySettings(smtp=smtp_settings(table), emergency=region_for(region_code(source)).emergency)


def smtp_settings(table: Mapping[str, Any]) -> SmtpSettings | None:
    """Return SMTP settings from an `[smtp]` table (None without a host). Raises ValidationError."""
    if not (host := str(table.get("host") or "").strip()):
        return None
    security = str(table.get("security") or "starttls").lower()
    if security not in SECURITY_PORTS:
        raise ValidationError({"smtp.security": f"security must be one of {', '.join(SECURITY_PORTS)}."})
    try:
        port = int(table.get("port") or SECURITY_PORTS[security])
    except ValueError:
        raise ValidationError({"smtp.port": "port must be a whole number, e.g. 587."}) from None
    username = str(table["username"]) if table.get("username") else None
    sender = str(table.get("from") or username or "symptom-tracker@localhost")
    password = str(table["password"]) if table.get("password") else None
    return SmtpSettings(host, port, sender, username, password, security)


def alert_message(alert: Alert, patient: str, title: str, emergency: str) -> tuple[str, str]:
    """Return (subject, body) of one alert version: calm, factual, with the emergency number."""
    worse = alert.version > 1
    subject = f"{'Worse: ' if worse else ''}{title} ({patient})"[:SUBJECT_MAX_LENGTH]
    lines = [f"{title}: {patient}", "", alert.message]
    if worse:
        lines.append("This has got worse since the previous alert about it.")
    return subject, "\n".join([*lines, "", *_footer(emergency)])


def _footer(emergency: str) -> list[str]:
    return [
        "This message comes from the Patient Symptom Tracker and is based on what the patient reported. "
        "It is not a diagnosis.",
        f"If you think it is an emergency, call {emergency} now.",
    ]


def pending_deliveries(session: Session, now: datetime, settings: NotifySettings | None = None) -> int:
    """Create a delivery for each alerts contact × new alert version not yet delivered; return how many.

    Reruns (and concurrent runs) create nothing twice: the unique reference is "alert ID vVERSION".
    """
    settings = settings or notify_settings()
    titles = {rule.rule_id: rule.title for rule in default_alert_rules()}
    query = (
        select(Alert, Contact.id, Patient.name)
        .join(Contact, Contact.patient_id == Alert.patient_id)
        .join(Patient, Patient.id == Alert.patient_id)
        .where(Alert.status == AlertStatus.NEW, Contact.alerts)
    )
    rows = session.execute(query.order_by(Alert.id, Contact.id)).all()
    done = set(
        session.execute(
            select(Delivery.contact_id, Delivery.reference).where(
                Delivery.purpose == Purpose.ALERT,
                Delivery.contact_id.in_({contact_id for _, contact_id, _ in rows}),
            )
        )
    )
    _drop_resolved(session)
    created = 0
    for alert, contact_id, patient in rows:
        reference = f"alert {alert.id} v{alert.version}"
        if (contact_id, reference) in done:
            continue
        subject, body = alert_message(
            alert, patient, titles.get(alert.rule, DEFAULT_TITLE), settings.emergency
        )
        created += add_delivery_once(
            session, contact_id, Purpose.ALERT, reference, subject, body, now, alert_id=alert.id
        )
    return created


def _drop_resolved(session: Session) -> None:
    """Mark untried deliveries of alerts resolved in the meantime as not sent, saying why."""
    resolved = select(Alert.id).where(Alert.status == AlertStatus.RESOLVED)
    session.execute(
        update(Delivery)
        .where(
            Delivery.status == DeliveryStatus.PENDING, Delivery.attempts == 0, Delivery.alert_id.in_(resolved)
        )
        .values(status=DeliveryStatus.FAILED, last_error=RESOLVED_FIRST)
        .execution_options(synchronize_session=False)
    )


def add_delivery_once(
    session: Session,
    contact_id: int,
    purpose: Purpose,
    reference: str,
    subject: str,
    body: str,
    now: datetime,
    alert_id: int | None = None,
) -> bool:
    """Insert a pending delivery unless the contact already has one with this reference; True if added."""
    values = {"contact_id": contact_id, "alert_id": alert_id, "purpose": str(purpose), "reference": reference}
    values |= {"subject": subject, "body": body, "status": DeliveryStatus.PENDING, "attempts": 0}
    result = session.execute(_insert_ignoring_duplicates(session).values(**values, created_at=now))
    return cast(CursorResult[Any], result).rowcount == 1


def _insert_ignoring_duplicates(session: Session) -> Insert:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(Delivery).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(Delivery).on_conflict_do_nothing()
    raise TrackerError(f"Notifications need SQLite or PostgreSQL, not {dialect}.")


def is_due(status: str, attempts: int, last_attempt: datetime | None, now: datetime) -> bool:
    """Return True when a delivery should be tried now: never tried, or its pause after a failure is over."""
    if status == DeliveryStatus.SENT or attempts >= MAX_ATTEMPTS:
        return False
    if attempts == 0 or last_attempt is None:
        return True
    # sent_at holds the time of the latest attempt; a pending row with attempts is being sent right now.
    pause = IN_FLIGHT_TIMEOUT if status == DeliveryStatus.PENDING else RETRY_DELAYS[attempts - 1]
    return now >= last_attempt + pause


@dataclass(frozen=True)
class _Job:
    id: int
    attempts: int
    kind: str
    address: str
    subject: str
    body: str


def send_due(
    factory: sessionmaker[Session],
    settings: NotifySettings,
    now: datetime,
    purpose: Purpose,
    reference: str | None = None,
    contact_ids: Collection[int] | None = None,
) -> SendReport:
    """Try every due delivery of `purpose` (optionally one reference, some contacts); return the counts.

    No transaction is held while sending: each delivery is claimed, sent, then its outcome recorded.
    """
    with factory.begin() as session:
        jobs = _due_jobs(session, purpose, now, reference, contact_ids)
    sent = failed = 0
    for job in jobs:
        claimed, _ = write_with_retry(factory, partial(_claim, job=job, now=now))
        if not claimed:  # another sender took it first
            continue
        error = _attempt(job, settings)
        write_with_retry(factory, partial(_record, delivery_id=job.id, error=error, now=now))
        sent, failed = (sent + 1, failed) if error is None else (sent, failed + 1)
    return SendReport(sent, failed)


def _due_jobs(
    session: Session,
    purpose: Purpose,
    now: datetime,
    reference: str | None,
    contact_ids: Collection[int] | None,
) -> list[_Job]:
    query = (
        select(Delivery, Contact.kind, Contact.address)
        .join(Contact, Contact.id == Delivery.contact_id)
        .outerjoin(Alert, Alert.id == Delivery.alert_id)
        .where(
            Delivery.purpose == purpose,
            Delivery.status != DeliveryStatus.SENT,
            Delivery.attempts < MAX_ATTEMPTS,
            Alert.status.is_distinct_from(AlertStatus.RESOLVED),  # resolved before it went out: too late
        )
    )
    if reference is not None:
        query = query.where(Delivery.reference == reference)
    if contact_ids is not None:
        query = query.where(Delivery.contact_id.in_(list(contact_ids)))
    return [
        _Job(row.id, row.attempts, kind, address, row.subject, row.body)
        for row, kind, address in session.execute(query.order_by(Delivery.id))
        if is_due(row.status, row.attempts, row.sent_at, now)
    ]


def _claim(session: Session, job: _Job, now: datetime) -> bool:
    """Take the delivery for one attempt, unless another sender has (attempts moved on since we read it)."""
    claim = (
        update(Delivery)
        .where(
            Delivery.id == job.id, Delivery.attempts == job.attempts, Delivery.status != DeliveryStatus.SENT
        )
        .values(attempts=Delivery.attempts + 1, status=DeliveryStatus.PENDING, sent_at=now)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], session.execute(claim)).rowcount == 1  # 0: another sender has it


def _record(session: Session, delivery_id: int, error: str | None, now: datetime) -> None:
    delivery = session.get_one(Delivery, delivery_id)
    delivery.status = DeliveryStatus.SENT if error is None else DeliveryStatus.FAILED
    delivery.sent_at = now  # the latest attempt; with status "sent", when it went out
    if error is not None:  # kept after a later success: it says why the first tries failed
        delivery.last_error = error


def _attempt(job: _Job, settings: NotifySettings) -> str | None:
    """Send one delivery; return None, or the error in words."""
    try:
        sender = _send_email if job.kind == "email" else _send_apprise
        sender(job.address, job.subject, job.body, settings)
    except Exception as error:  # one bad contact or channel must never stop the others
        log.warning("delivery %s failed: %s", job.id, error)
        return f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]
    return None


def _send_email(address: str, subject: str, body: str, settings: NotifySettings) -> None:
    smtp = settings.smtp
    if smtp is None:
        raise DeliveryError("E-mail is not set up: add host and from under [smtp] in the secrets.")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = smtp.sender, address, subject
    message.set_content(body)
    context = ssl.create_default_context()
    if smtp.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=SMTP_TIMEOUT_SECONDS, context=context
        )
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=SMTP_TIMEOUT_SECONDS)
    with client:
        if smtp.security == "starttls":
            client.starttls(context=context)
        if smtp.username:
            client.login(smtp.username, smtp.password or "")
        client.send_message(message)


def _send_apprise(url: str, subject: str, body: str, settings: NotifySettings) -> None:
    import apprise  # imported on first use: the app starts without loading every channel

    notifier = apprise.Apprise()
    if not notifier.add(url):
        raise DeliveryError("The address is not a notification URL that apprise understands.")
    with apprise.LogCapture(level=logging.WARNING) as output:
        if not notifier.notify(body=body, title=subject):
            raise DeliveryError(output.getvalue().strip() or "apprise could not send the notification.")


def send_pending(factory: sessionmaker[Session], settings: NotifySettings, now: datetime) -> SendReport:
    """Create the deliveries new alert versions need, then send every due alert delivery."""
    write_with_retry(factory, lambda session: pending_deliveries(session, now, settings))
    return send_due(factory, settings, now, Purpose.ALERT)


def send_now(url: str, settings: NotifySettings, now: datetime) -> SendReport:
    """Send pending alert notifications on the database at `url` once (for the command line)."""
    engine = create_db_engine(url)
    try:
        return send_pending(session_factory(engine), settings, now)
    finally:
        engine.dispose()


class BackgroundSender(threading.Thread):
    """Sends alert notifications every `settings.interval_seconds`, or at once after `wake()`."""

    def __init__(self, factory: sessionmaker[Session], settings: NotifySettings) -> None:
        super().__init__(name="tracker-notify", daemon=True)
        self.factory, self.settings = factory, settings
        self._wake, self._stopping = threading.Event(), threading.Event()

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                send_pending(self.factory, self.settings, utcnow())
            except Exception:  # a database hiccup must not end the thread: try again next round
                log.exception(
                    "sending notifications failed; trying again in %ss", self.settings.interval_seconds
                )
            self._wake.wait(self.settings.interval_seconds)
            self._wake.clear()

    def wake(self) -> None:
        """Send now rather than at the next interval (after a check-in that raised an alert)."""
        self._wake.set()

    def stop(self, timeout: float = SMTP_TIMEOUT_SECONDS) -> None:
        self._stopping.set()
        self._wake.set()
        self.join(timeout)


# One sender per database (session factory) and process: a second call returns the running one.
_senders: dict[sessionmaker[Session], BackgroundSender] = {}
_sender_lock = threading.Lock()


def start_background_sender(factory: sessionmaker[Session], settings: NotifySettings) -> BackgroundSender:
    """Return the sender thread for `factory`'s database, starting it on first call."""
    with _sender_lock:
        sender = _senders.get(factory)
        if sender is None or not sender.is_alive():
            sender = _senders[factory] = BackgroundSender(factory, settings)
            sender.start()
        return sender


def mail_notice_in_background(address: str, subject: str, body: str, settings: NotifySettings) -> bool:
    """Mail one notice on a thread of its own; return False when e-mail is not set up.

    The caller's answer must not wait for the mail server: how long a form takes would tell who
    gets a mail (the owner of a taken address), and that is what the notice keeps private.
    """
    if settings.smtp is None:
        return False

    def send() -> None:
        try:
            _send_email(address, subject, body, settings)
        except Exception as error:  # a notice is a courtesy: it must never break a sign-up
            log.warning("notice to an account owner failed: %s", error)

    threading.Thread(target=send, name="account-notice", daemon=True).start()
    return True
