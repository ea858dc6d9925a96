"""The sender: claims due deliveries, sends each once through its transport, records the attempt."""

import logging
import threading
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, cast

from sqlalchemy import CursorResult, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from tracker.alerts.engine import AlertStatus
from tracker.notify.queue import LEASE, error_text, is_due, pending_deliveries
from tracker.notify.transport import (
    MAX_ATTEMPTS,
    DeliveryStatus,
    NotifySettings,
    Purpose,
    message_id,
    send_message,
)
from tracker.storage.engine import create_db_engine, session_factory, write_with_retry
from tracker.storage.tables import Alert, Contact, Delivery, utcnow

log = logging.getLogger(__name__)


# At most this many conversations at once: one slow server holds up one slot, not every message.
SEND_CONCURRENCY = 4
SEND_INTERVAL_SECONDS = 30.0


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    failed: int = 0


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

    Up to SEND_CONCURRENCY deliveries at once, each claimed, sent, then its outcome recorded; no
    transaction is held while sending.
    """
    with factory.begin() as session:
        jobs = _due_jobs(session, purpose, now, reference, contact_ids)
    if not jobs:
        return SendReport()
    one = partial(_deliver, factory=factory, settings=settings, now=now)
    with ThreadPoolExecutor(min(SEND_CONCURRENCY, len(jobs)), thread_name_prefix="tracker-send") as pool:
        outcomes = list(pool.map(one, jobs))
    return SendReport(outcomes.count(True), outcomes.count(False))


def _deliver(
    job: _Job, factory: sessionmaker[Session], settings: NotifySettings, now: datetime
) -> bool | None:
    """Claim, send and record one delivery; return True (sent), False (failed) or None (not ours)."""
    claimed, _ = write_with_retry(factory, partial(_claim, job=job, now=now, settings=settings))
    if claimed is None:  # another sender took it first
        return None
    error = _attempt(job, settings, claimed)
    write_with_retry(factory, partial(_record, delivery_id=job.id, error=error, now=now))
    return error is None


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
            Contact.confirmed_at.is_not(None),  # rows queued before confirmation existed wait for it
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
        if is_due(row.status, row.attempts, row.sent_at, now, row.lease_until)
    ]


def _claim(session: Session, job: _Job, now: datetime, settings: NotifySettings) -> str | None:
    """Take the delivery for one attempt and return its Message-ID; None when another sender has it.

    The claim succeeds only if nobody attempted it since we read it (attempts unchanged) and no
    other sender's lease is running; the lease then keeps it ours while we send.
    """
    claim = (
        update(Delivery)
        .where(
            Delivery.id == job.id,
            Delivery.attempts == job.attempts,
            Delivery.status != DeliveryStatus.SENT,
            or_(Delivery.lease_until.is_(None), Delivery.lease_until <= now),
        )
        .values(
            attempts=Delivery.attempts + 1,
            status=DeliveryStatus.PENDING,
            sent_at=now,
            lease_until=now + LEASE,
            message_id=func.coalesce(Delivery.message_id, message_id(settings)),  # rows from before 0007
        )
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], session.execute(claim)).rowcount != 1:
        return None
    return session.scalar(select(Delivery.message_id).where(Delivery.id == job.id))


def _record(session: Session, delivery_id: int, error: str | None, now: datetime) -> None:
    delivery = session.get_one(Delivery, delivery_id)
    delivery.status = DeliveryStatus.SENT if error is None else DeliveryStatus.FAILED
    delivery.sent_at = now  # the latest attempt; with status "sent", when it went out
    delivery.lease_until = None
    if error is not None:  # kept after a later success: it says why the first tries failed
        delivery.last_error = error


def _attempt(job: _Job, settings: NotifySettings, message_id: str | None) -> str | None:
    """Send one delivery; return None, or the error as "Type: detail"."""
    try:
        send_message(job.kind, job.address, job.subject, job.body, settings, message_id)
    except Exception as error:  # one bad contact or channel must never stop the others
        log.warning("delivery %s failed: %s", job.id, error)
        return error_text(error)
    return None


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

    def stop_soon(self) -> None:
        """Stop after the round in progress (its deliveries are sent and recorded), without waiting."""
        self._stopping.set()
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self.stop_soon()
        self.join(timeout)


# One sender per database (session factory) and process: a second call returns the running one.
_senders: dict[sessionmaker[Session], BackgroundSender] = {}


_sender_lock = threading.Lock()


def stop_background_senders() -> None:
    """Stop every sender this process started (tests, and a clean shutdown)."""
    with _sender_lock:
        running = list(_senders.values())
        _senders.clear()
    for sender in running:
        sender.stop()


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
            send_message("email", address, subject, body, settings)
        except Exception as error:  # a notice is a courtesy: it must never break a sign-up
            log.warning("notice to an account owner failed: %s", error)

    threading.Thread(target=send, name="account-notice", daemon=True).start()
    return True
