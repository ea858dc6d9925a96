"""Alerts written to the database: raised, updated or resolved as check-ins come in or stop coming."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.care_team.access import Actor, Permission, require, visible_patients_query
from tracker.errors import NotFoundError
from tracker.levels import TriageLevel
from tracker.storage.tables import Alert, CheckIn, Contact, Patient
from tracker.triage.context import SymptomContext

if TYPE_CHECKING:
    from tracker.diary.checkins import LoggedCheckIn
from tracker.alerts.engine import (
    ActionKind,
    AlertAction,
    AlertState,
    AlertStatus,
    CheckInFacts,
    evaluate,
    missed_check_in_action,
    when_phrase,
)
from tracker.alerts.rules import AlertRule, RuleKind, default_alert_rules

CHECK_IN_ACTOR = "a new check-in"  # who resolves a no-check-in alert


def previous_severities(
    severities: Mapping[str, int], context: Mapping[str, SymptomContext]
) -> dict[str, int]:
    """Return symptom -> severity at its previous report, from the check-in's history context."""
    return {
        name: severity - found.change
        for name, severity in severities.items()
        if (found := context.get(name)) is not None and found.change is not None
    }


def record_check_in_alerts(
    session: Session,
    actor: Actor,
    patient_id: int,
    logged: "LoggedCheckIn",
    severities: Mapping[str, int],
    previous: Mapping[str, int],
    now: datetime,
    rules: Sequence[AlertRule] | None = None,
    occurred_at: datetime | None = None,
    tz: str = "UTC",
) -> list[Alert]:
    """Open, update or escalate the patient's alerts for a check-in just stored; return those touched.

    `severities` is symptom -> worst severity of the check-in, `previous` the same symptoms' previous
    report (see `previous_severities`); `occurred_at` is when the symptoms happened, shown in `tz` when
    that was well before `now`. A no-check-in alert is resolved and not returned.
    """
    require(session, actor, patient_id, Permission.WRITE)
    when = when_phrase(occurred_at, now, tz)
    facts = CheckInFacts(logged.check_in_id, logged.assessment.level, dict(severities), dict(previous), when)
    alerts = _unresolved_for_update(session, patient_id)
    actions = evaluate(facts, [_state(alert) for alert in alerts], rules or default_alert_rules(), now)
    touched = [_apply(session, patient_id, action, {a.id: a for a in alerts}) for action in actions]
    session.flush()
    return [
        alert for alert, action in zip(touched, actions, strict=True) if action.kind is not ActionKind.RESOLVE
    ]


def _unresolved_for_update(session: Session, patient_id: int) -> list[Alert]:
    # Lock the patient row so two check-ins at once cannot both open the same alert (PostgreSQL; SQLite
    # has one writer at a time anyway). FOR NO KEY UPDATE, not FOR UPDATE: the check-in just inserted
    # holds a key-share lock on this row through its foreign key, and FOR UPDATE would deadlock with it.
    lock = select(Patient.id).where(Patient.id == patient_id).with_for_update(key_share=True)
    if session.scalar(lock) is None:
        raise NotFoundError(f"There is no patient with id {patient_id}.")
    query = select(Alert).where(Alert.patient_id == patient_id, Alert.status != AlertStatus.RESOLVED)
    return list(session.scalars(query.order_by(Alert.id)))


def _state(alert: Alert) -> AlertState:
    level = TriageLevel(alert.level) if alert.level else None
    return AlertState(alert.id, alert.rule, alert.symptom, alert.severity, level)


def _apply(session: Session, patient_id: int, action: AlertAction, alerts: Mapping[int, Alert]) -> Alert:
    if action.kind is ActionKind.OPEN:
        alert = _new_alert(patient_id, action)
        session.add(alert)
        return alert
    alert = alerts[action.alert_id or 0]
    if action.kind is ActionKind.RESOLVE:
        alert.status, alert.resolved_by, alert.resolved_at = AlertStatus.RESOLVED, CHECK_IN_ACTOR, action.at
        return alert
    if alert.last_check_in_id != action.check_in_id:  # the same check-in assessed again is not one more
        alert.check_ins += 1
    alert.last_check_in_id, alert.updated_at = action.check_in_id, action.at
    if action.kind is ActionKind.ESCALATE:  # worse: a new version, shown (and sent) as new again
        alert.version += 1
        alert.severity = max(alert.severity or 0, action.severity or 0) or None
        levels = [TriageLevel(alert.level)] if alert.level else []
        alert.level = str(TriageLevel.most_urgent(*levels, *([action.level] if action.level else [])))
        alert.message, alert.status = action.message, AlertStatus.NEW
        alert.acknowledged_by = alert.acknowledged_at = None
    return alert


def _new_alert(patient_id: int, action: AlertAction) -> Alert:
    return Alert(
        patient_id=patient_id,
        rule=action.rule,
        symptom=action.symptom,
        severity=action.severity,
        level=str(action.level) if action.level else None,
        message=action.message,
        status=AlertStatus.NEW,
        version=1,
        check_ins=1 if action.check_in_id else 0,  # a no-check-in alert comes from no check-in
        last_check_in_id=action.check_in_id,
        opened_at=action.at,
        updated_at=action.at,
    )


def check_missed_check_ins(
    session: Session, actor: Actor, now: datetime, rules: Sequence[AlertRule] | None = None
) -> list[Alert]:
    """Open a no-check-in alert for each patient with reminders on who has been silent too long.

    Silence counts from the latest check-in, or from when reminders were first set up. Returns the
    alerts opened (a rerun opens none while they are unresolved).
    """
    missed = [rule for rule in rules or default_alert_rules() if rule.kind is RuleKind.MISSED]
    opened = []
    for patient_id, silent_since in _silent_since(session, actor).items():
        states = [_state(alert) for alert in _unresolved_for_update(session, patient_id)]
        for rule in missed:
            action = missed_check_in_action(rule, silent_since, states, now)
            if action.kind is ActionKind.OPEN:
                opened.append(_apply(session, patient_id, action, {}))
    session.flush()
    return opened


def _silent_since(session: Session, actor: Actor) -> dict[int, datetime]:
    """Return patient id -> start of their silence, for `actor`'s patients with a reminders-on contact."""
    visible = visible_patients_query(actor).with_only_columns(Patient.id)
    contacts = select(Contact.patient_id, func.min(Contact.created_at)).where(
        Contact.reminders, Contact.patient_id.in_(visible)
    )
    since = dict(session.execute(contacts.group_by(Contact.patient_id)).all())
    last = select(CheckIn.patient_id, func.max(CheckIn.logged_at)).where(CheckIn.patient_id.in_(since))
    for patient_id, logged_at in session.execute(last.group_by(CheckIn.patient_id)):
        since[patient_id] = max(since[patient_id], logged_at)
    return since
