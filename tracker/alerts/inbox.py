"""The alerts a person may read: per profile, the care team's inbox, acknowledge and resolve."""

from collections.abc import Collection
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.alerts.engine import OPEN_STATUSES, AlertStatus
from tracker.care_team.access import Actor, ActorKind, Permission, require, visible_patients_query
from tracker.diary.validation import clean_text, valid_id
from tracker.errors import NotFoundError, ValidationError
from tracker.storage.tables import Alert, Patient

ACTOR_MAX_LENGTH = 120  # Alert.acknowledged_by / resolved_by


def list_alerts(
    session: Session,
    actor: Actor,
    patient_id: int,
    statuses: Collection[str] = OPEN_STATUSES,
) -> list[Alert]:
    """Return the patient's alerts with one of `statuses`, most recently changed first."""
    require(session, actor, patient_id)
    query = select(Alert).where(Alert.patient_id == patient_id, Alert.status.in_([str(s) for s in statuses]))
    return list(session.scalars(query.order_by(Alert.updated_at.desc(), Alert.id.desc())))


def count_new_alerts(session: Session, actor: Actor, patient_id: int) -> int:
    """Return how many of the patient's alerts nobody has acknowledged yet."""
    require(session, actor, patient_id)
    query = select(func.count()).where(Alert.patient_id == patient_id, Alert.status == AlertStatus.NEW)
    return session.scalar(query) or 0


def inbox(
    session: Session, actor: Actor, statuses: Collection[str] = OPEN_STATUSES
) -> list[tuple[Alert, str]]:
    """Return (alert, patient name) for every profile `actor` can see, most recently changed first.

    The inbox of a caregiver (all their profiles) and of a clinician (every patient who shared).
    """
    visible = visible_patients_query(actor).subquery()
    query = (
        select(Alert, visible.c.name)
        .join(visible, visible.c.id == Alert.patient_id)
        .where(Alert.status.in_([str(s) for s in statuses]))
        .order_by(Alert.updated_at.desc(), Alert.id.desc())
    )
    return [(alert, name) for alert, name in session.execute(query)]


def inbox_fingerprint(session: Session, actor: Actor) -> tuple[object, ...]:
    """Return a value that changes whenever an alert `actor` can see is opened, updated or marked.

    One aggregate query: the cache key that lets every session see another's acknowledgement.
    """
    visible = visible_patients_query(actor).with_only_columns(Patient.id)
    query = select(
        func.count(),
        func.max(Alert.id),
        func.max(Alert.updated_at),
        func.max(Alert.acknowledged_at),
        func.max(Alert.resolved_at),
        func.sum(Alert.version),
    ).where(Alert.patient_id.in_(visible))
    return tuple(session.execute(query).one())


def count_inbox(session: Session, actor: Actor) -> int:
    """Return how many alerts across the profiles `actor` can see are new (the sidebar badge)."""
    visible = visible_patients_query(actor).with_only_columns(Patient.id)
    query = select(func.count()).where(Alert.patient_id.in_(visible), Alert.status == AlertStatus.NEW)
    return session.scalar(query) or 0


def acknowledge(
    session: Session, actor: Actor, patient_id: int, alert_id: int, by: str, now: datetime
) -> Alert:
    """Mark the alert as seen and return it (a resolved alert stays resolved).

    `by` names the person in single-user mode; a signed-in account is recorded under its own name.
    Raises NotFoundError for an unknown alert or another patient's, ValidationError for an empty `by`.
    """
    name, alert = _who(actor, by), _patient_alert(session, actor, patient_id, alert_id)
    if alert.status == AlertStatus.NEW:
        alert.status, alert.acknowledged_by, alert.acknowledged_at = AlertStatus.ACKNOWLEDGED, name, now
    return alert


def resolve(session: Session, actor: Actor, patient_id: int, alert_id: int, by: str, now: datetime) -> Alert:
    """Close the alert as dealt with and return it; the same problem later opens a new one.

    Raises NotFoundError for an unknown alert or another patient's, ValidationError for an empty `by`.
    """
    name, alert = _who(actor, by), _patient_alert(session, actor, patient_id, alert_id)
    if alert.status != AlertStatus.RESOLVED:
        alert.status, alert.resolved_by, alert.resolved_at = AlertStatus.RESOLVED, name, now
    return alert


def _patient_alert(session: Session, actor: Actor, patient_id: int, alert_id: int) -> Alert:
    require(session, actor, patient_id, Permission.REVIEW)
    alert = session.get(Alert, alert_id) if valid_id(alert_id) else None
    if alert is None or alert.patient_id != patient_id:  # another patient's alert is not there for you
        raise NotFoundError(f"There is no alert with id {alert_id}.")
    return alert


def _who(actor: Actor, by: str) -> str:
    name = actor.name if actor.kind is ActorKind.USER else clean_text(by)
    if not name or len(name) > ACTOR_MAX_LENGTH:
        raise ValidationError({"by": f"Give a name of 1 to {ACTOR_MAX_LENGTH} characters."})
    return name[:ACTOR_MAX_LENGTH]


def alert_lines(
    session: Session,
    actor: Actor,
    patient_id: int,
    tz: str,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[str]:
    """Return one sentence per alert the patient had (opened start <= t < end), oldest first, for a report."""
    every = [
        alert
        for alert in list_alerts(session, actor, patient_id, tuple(AlertStatus))
        if (start is None or alert.opened_at >= start) and (end is None or alert.opened_at < end)
    ]
    zone = ZoneInfo(tz)
    return [
        f"{alert.opened_at.astimezone(zone):%d %b %Y}: {alert.message} ({alert.status})"
        for alert in sorted(every, key=lambda alert: alert.opened_at)
    ]
