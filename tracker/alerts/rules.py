"""The alert rule file (`data/alert_rules.xlsx`): what each rule watches, checked row by row."""

import string
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

import pandas as pd

from tracker.config import DATA_DIR
from tracker.diary.validation import clean_text
from tracker.errors import TableProblemsError
from tracker.levels import TriageLevel

ALERT_RULES_FILE = DATA_DIR / "alert_rules.xlsx"
RULES_SHEET = "rules"
RULE_COLUMNS = ("rule_id", "kind", "threshold", "title", "message_template", "escalate_on")
RULE_ID_MAX_LENGTH = 40  # Alert.rule


class RuleKind(StrEnum):
    SEVERITY = "severity"  # a symptom rated at or above `threshold` (1-5)
    WORSENING = "worsening"  # a symptom up `threshold` points or more since its previous report
    LEVEL = "level"  # advice at or above the triage level named in `threshold`
    MISSED = "missed"  # no check-in for `threshold` days, for patients with reminders on


PLACEHOLDERS: dict[RuleKind, frozenset[str]] = {
    RuleKind.SEVERITY: frozenset({"symptom", "severity", "level", "when"}),
    RuleKind.WORSENING: frozenset({"symptom", "severity", "previous", "level", "when"}),
    RuleKind.LEVEL: frozenset({"symptoms", "level", "when"}),
    RuleKind.MISSED: frozenset({"days"}),
}


ESCALATION_FIELDS = frozenset({"severity", "level"})
# When a symptom happened, in an alert's words, for the latest check-in (a backdated one gives its time).
LATEST_CHECK_IN = "at the latest check-in"
# A value for every placeholder: a rule's template is tried with them when the rules are read.
TEMPLATE_EXAMPLE = {
    "symptom": "Fever",
    "severity": 4,
    "previous": 2,
    "symptoms": "Fever (4 of 5)",
    "days": 3,
    "level": TriageLevel.URGENT.label,
    "when": LATEST_CHECK_IN,
}


class AlertRulesError(TableProblemsError):
    """The alert rules workbook is missing, unreadable or inconsistent; `problems` lists each issue."""

    subject = "The alert rules"


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
