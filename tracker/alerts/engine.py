"""The alert engine: from a check-in's facts and the open alerts, what to raise, update or resolve (pure)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from tracker.alerts.rules import LATEST_CHECK_IN, AlertRule, RuleKind
from tracker.levels import TriageLevel


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


# An entry whose symptom happened longer than this before it was logged is "backdated": its alert says
# when it happened, since "at the latest check-in" would send a carer looking at the wrong day.
BACKDATED_AFTER = timedelta(hours=1)


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
