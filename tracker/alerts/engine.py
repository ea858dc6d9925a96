"""Alerts for a care team: severe, worsening or urgent check-ins, and silence, one alert per problem.

An ongoing problem keeps one alert that is updated (check_ins += 1) without a new notification; it is
notified again (version += 1) only when it gets worse than the alert says. Rules and thresholds live in
`data/alert_rules.xlsx`; `evaluate` is pure, the functions below it apply its actions in the caller's
transaction.
"""

import string
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.care_team.access import Actor, ActorKind, Permission, require, visible_patients_query
from tracker.config import DATA_DIR
from tracker.diary.validation import clean_text, valid_id
from tracker.errors import NotFoundError, TrackerError, ValidationError
from tracker.levels import TriageLevel
from tracker.storage.tables import Alert, CheckIn, Contact, Patient
from tracker.triage.context import SymptomContext

if TYPE_CHECKING:
    from tracker.diary.checkins import LoggedCheckIn

ALERT_RULES_FILE = DATA_DIR / "alert_rules.xlsx"
RULES_SHEET = "rules"
RULE_COLUMNS = ("rule_id", "kind", "threshold", "title", "message_template", "escalate_on")
RULE_ID_MAX_LENGTH = 40  # Alert.rule
ACTOR_MAX_LENGTH = 120  # Alert.acknowledged_by / resolved_by
CHECK_IN_ACTOR = "a new check-in"  # who resolves a no-check-in alert


class RuleKind(StrEnum):
    SEVERITY = "severity"  # a symptom rated at or above `threshold` (1-5)
    WORSENING = "worsening"  # a symptom up `threshold` points or more since its previous report
    LEVEL = "level"  # advice at or above the triage level named in `threshold`
    MISSED = "missed"  # no check-in for `threshold` days, for patients with reminders on


class AlertStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


OPEN_STATUSES = (AlertStatus.NEW, AlertStatus.ACKNOWLEDGED)


class ActionKind(StrEnum):
    OPEN = "open"  # a new problem: a new alert, notified
    UPDATE = "update"  # the same problem again, not worse: counted, not notified
    ESCALATE = "escalate"  # the same problem, worse: a new version, notified
    RESOLVE = "resolve"  # the problem has gone (a check-in ends "no check-in")
    NONE = "none"


PLACEHOLDERS: dict[RuleKind, frozenset[str]] = {
    RuleKind.SEVERITY: frozenset({"symptom", "severity", "level", "when"}),
    RuleKind.WORSENING: frozenset({"symptom", "severity", "previous", "level", "when"}),
    RuleKind.LEVEL: frozenset({"symptoms", "level", "when"}),
    RuleKind.MISSED: frozenset({"days"}),
}
ESCALATION_FIELDS = frozenset({"severity", "level"})
TEMPLATE_EXAMPLE = {"symptom": "Fever", "severity": 4, "previous": 2, "symptoms": "Fever (4 of 5)", "days": 3}
LATEST_CHECK_IN = "at the latest check-in"
# An entry whose symptom happened longer than this before it was logged is "backdated": its alert says
# when it happened, since "at the latest check-in" would send a carer looking at the wrong day.
BACKDATED_AFTER = timedelta(hours=1)
TEMPLATE_EXAMPLE |= {"level": TriageLevel.URGENT.label, "when": LATEST_CHECK_IN}


class AlertRulesError(TrackerError):
    """The alert rules workbook is missing, unreadable or inconsistent; `problems` lists each issue."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("The alert rules have problems: " + "; ".join(self.problems))


@dataclass(frozen=True)
class AlertRule:
    """One row of the `rules` sheet."""

    rule_id: str
    kind: RuleKind
    threshold: str  # a number, or a triage level for kind "level"
    title: str
    message_template: str
    escalate_on: frozenset[str]  # "severity" and/or "level": what getting worse means

    @property
    def points(self) -> int:
        return int(self.threshold)

    @property
    def level(self) -> TriageLevel:
        return TriageLevel(self.threshold)


def load_alert_rules(path: Path = ALERT_RULES_FILE) -> tuple[AlertRule, ...]:
    """Return the validated rules of the workbook at `path`. Raises AlertRulesError listing problems."""
    try:
        frame = pd.read_excel(path, sheet_name=RULES_SHEET, dtype=object)
    except (OSError, ValueError, KeyError) as error:
        raise AlertRulesError([f"cannot read {path}: {error}"]) from error
    return parse_alert_rules(frame)


def parse_alert_rules(frame: pd.DataFrame) -> tuple[AlertRule, ...]:
    """Return the rules in `frame` (the `rules` sheet). Raises AlertRulesError listing every problem."""
    if missing := [column for column in RULE_COLUMNS if column not in frame.columns]:
        raise AlertRulesError([f"the rules sheet lacks columns {', '.join(missing)}"])
    rows = frame[list(RULE_COLUMNS)].astype(object)
    rules, problems = [], []
    for number, row in enumerate(rows.where(rows.notna(), "").to_dict("records"), start=2):  # 1: header
        values = {str(key): clean_text(value) for key, value in row.items()}
        values["threshold"] = values["threshold"].removesuffix(".0")  # Excel hands back 4 as 4.0
        found = _row_problems(values)
        problems += [f"row {number} ({values['rule_id'] or 'no id'}): {problem}" for problem in found]
        if not found:
            rules.append(_rule(values))
    ids = [rule.rule_id for rule in rules]
    problems += [f"rule_id {name} appears twice" for name in sorted({i for i in ids if ids.count(i) > 1})]
    if problems or not rules:
        raise AlertRulesError(problems or ["the rules sheet has no rules"])
    return tuple(rules)


def _rule(row: Mapping[str, str]) -> AlertRule:
    kind, escalate = RuleKind(row["kind"]), _escalation_fields(row["escalate_on"])
    return AlertRule(row["rule_id"], kind, row["threshold"], row["title"], row["message_template"], escalate)


def _row_problems(row: Mapping[str, str]) -> list[str]:
    if not row["rule_id"] or len(row["rule_id"]) > RULE_ID_MAX_LENGTH:
        return [f"rule_id must be 1 to {RULE_ID_MAX_LENGTH} characters"]
    if row["kind"] not in set(RuleKind):
        return [f"kind {row['kind']!r} is not one of {', '.join(RuleKind)}"]
    kind = RuleKind(row["kind"])
    problems = [] if row["title"] else ["title is empty"]
    problems += _threshold_problems(kind, row["threshold"])
    problems += _template_problems(kind, row["message_template"])
    if unknown := _escalation_fields(row["escalate_on"]) - ESCALATION_FIELDS:
        problems.append(f"escalate_on may name severity and level, not {', '.join(sorted(unknown))}")
    return problems


def _template_problems(kind: RuleKind, template: str) -> list[str]:
    if not template:
        return ["message_template is empty"]
    try:
        fields = {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}
        if unknown := fields - PLACEHOLDERS[kind]:  # also refuses {} and {symptom.attribute}
            allowed = ", ".join(f"{{{name}}}" for name in sorted(PLACEHOLDERS[kind]))
            used = ", ".join(f"{{{name}}}" for name in sorted(unknown))
            return [f"message_template uses {used}; {kind} rules may use {allowed}"]
        template.format(**TEMPLATE_EXAMPLE)
    except (ValueError, KeyError, IndexError) as error:
        return [f"message_template cannot be filled in: {error}"]
    return []


def _escalation_fields(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in text.split("|") if part.strip())


def _threshold_problems(kind: RuleKind, threshold: str) -> list[str]:
    if kind is RuleKind.LEVEL:
        ok = threshold in set(TriageLevel)
        return [] if ok else [f"threshold {threshold!r} must be one of {', '.join(TriageLevel)}"]
    low, high = {RuleKind.SEVERITY: (1, 5), RuleKind.WORSENING: (1, 4), RuleKind.MISSED: (1, 365)}[kind]
    if not threshold.isdigit() or not low <= int(threshold) <= high:
        return [f"threshold {threshold!r} must be a whole number from {low} to {high}"]
    return []


@cache
def default_alert_rules() -> tuple[AlertRule, ...]:
    """Return the shipped rules (read once per process)."""
    return load_alert_rules()


@dataclass(frozen=True)
class CheckInFacts:
    """What a stored check-in says, as the rules need it."""

    check_in_id: int
    level: TriageLevel
    severities: Mapping[str, int]  # symptom -> worst severity in this check-in
    previous: Mapping[str, int]  # symptom -> severity at the patient's previous report of it
    when: str = LATEST_CHECK_IN  # see `when_phrase`


@dataclass(frozen=True)
class AlertState:
    """An alert that is not resolved, as `evaluate` needs it."""

    id: int
    rule: str
    symptom: str | None
    severity: int | None
    level: TriageLevel | None


@dataclass(frozen=True)
class AlertAction:
    """What to do with one problem: open, update, escalate or resolve an alert (or nothing)."""

    kind: ActionKind
    rule: str
    at: datetime
    symptom: str | None = None
    severity: int | None = None
    level: TriageLevel | None = None
    message: str = ""
    alert_id: int | None = None
    check_in_id: int | None = None


def evaluate(
    facts: CheckInFacts, open_alerts: Sequence[AlertState], rules: Sequence[AlertRule], now: datetime
) -> list[AlertAction]:
    """Return the actions a check-in calls for, given the patient's unresolved alerts.

    One problem, one alert: every symptom rule that fires for a symptom (severe, worse) feeds that
    symptom's one alert, and urgent advice gets an alert of its own only when no symptom alert
    already carries it (advice from a combination of milder symptoms, or from words in the note).
    """
    actions = []
    by_symptom: dict[str, list[tuple[AlertRule, AlertAction]]] = {}
    by_check_in: list[tuple[AlertRule, AlertAction]] = []
    for rule in rules:
        if rule.kind is RuleKind.MISSED:  # any check-in ends the silence
            ended = [alert for alert in open_alerts if alert.rule == rule.rule_id]
            actions += [AlertAction(ActionKind.RESOLVE, rule.rule_id, now, alert_id=a.id) for a in ended]
            continue
        for found in _problems(rule, facts, now):
            if found.symptom is None:
                by_check_in.append((rule, found))
            else:
                by_symptom.setdefault(found.symptom, []).append((rule, found))
    level_rules = [rule for rule, _ in by_check_in]
    for symptom, hits in sorted(by_symptom.items()):
        existing = next((a for a in open_alerts if a.symptom == symptom), None)
        actions.append(_one_alert([*hits, *((r, hits[-1][1]) for r in level_rules)], existing))
    if not by_symptom:
        for rule, found in by_check_in:
            existing = next((a for a in open_alerts if (a.rule, a.symptom) == (rule.rule_id, None)), None)
            actions.append(_one_alert([(rule, found)], existing))
    return actions


def _one_alert(hits: Sequence[tuple[AlertRule, AlertAction]], existing: AlertState | None) -> AlertAction:
    """Return the one action for a problem that several rules found (the last rule's words describe it)."""
    rule, found = hits[0][0], hits[-1][1]
    if existing is None:
        return replace(found, rule=rule.rule_id)
    escalate_on = frozenset().union(*(hit_rule.escalate_on for hit_rule, _ in hits))
    return replace(
        found, rule=existing.rule, kind=_repeat_kind(escalate_on, found, existing), alert_id=existing.id
    )


def _problems(rule: AlertRule, facts: CheckInFacts, now: datetime) -> list[AlertAction]:
    """Return what `rule` finds in the check-in, as OPEN actions (the caller matches open alerts)."""
    label = facts.level.label
    base = AlertAction(ActionKind.OPEN, rule.rule_id, now, level=facts.level, check_in_id=facts.check_in_id)
    if rule.kind is RuleKind.LEVEL:
        if facts.level.rank < rule.level.rank:
            return []
        worst = sorted(facts.severities.items(), key=lambda item: (-item[1], item[0]))
        symptoms = ", ".join(f"{name} ({severity} of 5)" for name, severity in worst) or "no symptoms"
        text = rule.message_template.format(symptoms=symptoms, level=label, when=facts.when)
        return [replace(base, severity=max(facts.severities.values(), default=None), message=text)]
    found = []
    for symptom, severity in sorted(facts.severities.items()):
        previous = facts.previous.get(symptom)
        if _symptom_hit(rule, severity, previous):
            values = {"symptom": symptom, "severity": severity, "previous": previous, "level": label}
            values["when"] = facts.when
            message = rule.message_template.format(**values)
            found.append(replace(base, symptom=symptom, severity=severity, message=message))
    return found


def _symptom_hit(rule: AlertRule, severity: int, previous: int | None) -> bool:
    if rule.kind is RuleKind.SEVERITY:
        return severity >= rule.points
    return rule.kind is RuleKind.WORSENING and previous is not None and severity - previous >= rule.points


def _repeat_kind(escalate_on: frozenset[str], found: AlertAction, existing: AlertState) -> ActionKind:
    """Return ESCALATE when the problem is worse than the alert says (by the rules' escalate_on)."""
    higher = "severity" in escalate_on and (found.severity or 0) > (existing.severity or 0)
    rank = existing.level.rank if existing.level is not None else -1
    more_urgent = "level" in escalate_on and found.level is not None and found.level.rank > rank
    return ActionKind.ESCALATE if higher or more_urgent else ActionKind.UPDATE


def missed_check_in_action(
    rule: AlertRule, silent_since: datetime, open_alerts: Sequence[AlertState], now: datetime
) -> AlertAction:
    """Return OPEN when there has been no check-in for the rule's days and no alert says so yet."""
    days = (now - silent_since) // timedelta(days=1)
    if days < rule.points or any(alert.rule == rule.rule_id for alert in open_alerts):
        return AlertAction(ActionKind.NONE, rule.rule_id, now)
    return AlertAction(ActionKind.OPEN, rule.rule_id, now, message=rule.message_template.format(days=days))


def when_phrase(occurred_at: datetime | None, now: datetime, tz: str) -> str:
    """Return "at the latest check-in", or "on 20/11/2026 at 09:15 (logged on 25/11/2026)" when backdated."""
    if occurred_at is None or now - occurred_at <= BACKDATED_AFTER:
        return LATEST_CHECK_IN
    zone = ZoneInfo(tz)
    happened, logged = occurred_at.astimezone(zone), now.astimezone(zone)
    return f"on {happened:%d/%m/%Y at %H:%M} (logged on {logged:%d/%m/%Y})"


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


def alert_lines(session: Session, actor: Actor, patient_id: int, tz: str) -> list[str]:
    """Return one sentence per alert the patient ever had, oldest first, for the doctor's report."""
    every = list_alerts(session, actor, patient_id, tuple(AlertStatus))
    zone = ZoneInfo(tz)
    return [
        f"{alert.opened_at.astimezone(zone):%d %b %Y}: {alert.message} ({alert.status})"
        for alert in sorted(every, key=lambda alert: alert.opened_at)
    ]
