"""The delivery queue: one delivery a contact per alert or reminder, due when its retry time comes."""

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker.alerts.engine import AlertStatus
from tracker.alerts.rules import default_alert_rules
from tracker.errors import TrackerError
from tracker.notify.transport import (
    MAX_ATTEMPTS,
    DeliveryStatus,
    NotifySettings,
    Purpose,
    message_id,
    notify_settings,
)
from tracker.storage.tables import Alert, Contact, Delivery, Patient

# How long a claim holds a delivery: far above a whole SMTP conversation (each step times out after
# 20 s), so a live sender is never overtaken; after it, the sender is presumed dead and it is retried.
LEASE = timedelta(minutes=10)
# Pause after attempt 1, 2, 3 and 4 fails: a short outage is bridged quickly, a long one is not hammered.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
ERROR_MAX_LENGTH = 500
SUBJECT_MAX_LENGTH = 200  # Delivery.subject
DEFAULT_TITLE = "Symptom alert"
RESOLVED_FIRST = "Not sent: the alert was resolved before it could go out."


def alert_message(alert: Alert, patient: str, title: str, emergency: str) -> tuple[str, str]:
    """Return (subject, body) of one alert version: calm, factual, with the emergency number.

    The subject holds only the rule's title (clinicians' words); the patient's name is in the body.
    """
    worse = alert.version > 1
    # Fixed words only: the patient's name is chosen by a user, and subjects go out under our name.
    subject = f"{'Worse: ' if worse else ''}{title}"[:SUBJECT_MAX_LENGTH]
    lines = [f"{title}", f"Patient: {patient}", "", alert.message]
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
    query = (
        select(Alert, Contact.id, Patient.name)
        .join(Contact, Contact.patient_id == Alert.patient_id)
        .join(Patient, Patient.id == Alert.patient_id)
        .where(Alert.status == AlertStatus.NEW, Contact.alerts, Contact.confirmed_at.is_not(None))
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
        subject, body = alert_message(alert, patient, rule_title(alert.rule), settings.emergency)
        created += add_delivery_once(
            session, contact_id, Purpose.ALERT, reference, subject, body, now, alert.id, message_id(settings)
        )
    return created


def rule_title(rule_id: str) -> str:
    """Return the title clinicians gave rule `rule_id` (DEFAULT_TITLE for a rule no longer in the file).

    Read only when an alert is worded: the sender's first round at start-up then never parses the rule
    file (and loads no Excel reader) while the first page is being drawn.
    """
    return next((rule.title for rule in default_alert_rules() if rule.rule_id == rule_id), DEFAULT_TITLE)


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
    message_id: str | None = None,
) -> bool:
    """Insert a pending delivery unless the contact already has one with this reference; True if added."""
    values = {"contact_id": contact_id, "alert_id": alert_id, "purpose": str(purpose), "reference": reference}
    values |= {"subject": subject, "body": body, "status": DeliveryStatus.PENDING, "attempts": 0}
    values |= {"message_id": message_id}
    result = session.execute(_insert_ignoring_duplicates(session).values(**values, created_at=now))
    return cast(CursorResult[Any], result).rowcount == 1


def _insert_ignoring_duplicates(session: Session) -> Insert:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(Delivery).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(Delivery).on_conflict_do_nothing()
    raise TrackerError(f"Notifications need SQLite or PostgreSQL, not {dialect}.")


def is_due(
    status: str,
    attempts: int,
    last_attempt: datetime | None,
    now: datetime,
    lease_until: datetime | None = None,
) -> bool:
    """Return True when a delivery should be tried now: never tried, its lease ran out (the sender
    died mid-attempt), or its pause after a failure is over."""
    if status == DeliveryStatus.SENT or attempts >= MAX_ATTEMPTS:
        return False
    if attempts == 0 or last_attempt is None:
        return True
    if status == DeliveryStatus.PENDING:  # claimed: another sender holds it until its lease ends
        return now >= (lease_until or last_attempt + LEASE)
    return now >= last_attempt + RETRY_DELAYS[attempts - 1]


def error_text(error: Exception) -> str:
    """Return how a failed attempt is recorded: "Type: detail", cut to ERROR_MAX_LENGTH."""
    return f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]
