"""Write data/alert_rules.xlsx: when a care team is alerted, and when an alert is sent again.

    python -m data.build_alert_rules [--out data/alert_rules.xlsx]   # from the project folder

Deterministic: the same script gives a byte-identical workbook. The rules follow the weekly symptom
monitoring of Basch et al. (alerts on severe or worsening symptoms), with one alert per ongoing problem
to keep alert fatigue down. Messages are plain and calm and never name a diagnosis.
"""

import argparse
import sys
from pathlib import Path

import pandas as pd

from tracker.alerts.rules import ALERT_RULES_FILE, RULE_COLUMNS, RULES_SHEET, parse_alert_rules
from tracker.triage.knowledge import write_workbook  # fixed timestamps: a byte-identical file

RULES = [
    (
        "severe_symptom",
        "severity",
        4,
        "A symptom was rated severe",
        "{symptom} was rated {severity} out of 5 {when}. The app's advice was: {level}.",
        "severity",
    ),
    (
        "worsening_symptom",
        "worsening",
        2,
        "A symptom is getting worse",
        "{symptom} went from {previous} to {severity} out of 5 {when}, since the previous report of it. "
        "The app's advice was: {level}.",
        "severity",
    ),
    (
        "urgent_advice",
        "level",
        "urgent",
        "The app advised getting help soon",
        "The app's advice was: {level}, for the symptoms reported {when}: {symptoms}.",
        "level",
    ),
    (
        "no_check_in",
        "missed",
        3,
        "No check-in for a few days",
        "There has been no check-in for {days} days. A short check-in helps spot changes early.",
        "",
    ),
]

ABOUT = [
    ("rule_id", "Stable name of the rule, stored on each alert (at most 40 characters)."),
    (
        "kind",
        "severity: a symptom rated at or above the threshold (1-5); worsening: a symptom up at least the "
        "threshold in points since the patient's previous report of it; level: advice at or above the "
        "triage level named in threshold; missed: no check-in for threshold days (patients with reminders "
        "on only).",
    ),
    ("threshold", "A whole number, or a triage level (self_care, see_doctor, urgent, emergency)."),
    ("title", "Short heading of the notification."),
    (
        "message_template",
        "The alert's message. Placeholders: {symptom} {severity} {previous} {level} (severity, worsening), "
        "{symptoms} {level} (level), {days} (missed); {when} (severity, worsening, level) reads 'at the "
        "latest check-in', or when the symptom happened for an entry logged later.",
    ),
    (
        "escalate_on",
        "What counts as worse for an open alert: severity and/or level ('|'-separated). Worse notifies "
        "again as a new version; the same problem again only updates the alert. Blank: never.",
    ),
]


def rules_frame() -> pd.DataFrame:
    return pd.DataFrame(RULES, columns=list(RULE_COLUMNS))


def build(out: Path = ALERT_RULES_FILE) -> None:
    """Validate the rules and write the workbook to `out`."""
    frame = rules_frame()
    rules = parse_alert_rules(frame)
    about = pd.DataFrame(ABOUT, columns=["column", "meaning"])
    write_workbook({RULES_SHEET: frame, "about": about}, out, creator="data/build_alert_rules.py")
    print(f"Wrote {out} ({len(rules)} rules)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ALERT_RULES_FILE, help="workbook to write")
    build(parser.parse_args(argv).out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
