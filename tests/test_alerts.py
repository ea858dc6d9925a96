import importlib.util
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from tracker.alerts.engine import ActionKind, AlertState, AlertStatus, CheckInFacts, evaluate
from tracker.alerts.inbox import acknowledge, count_new_alerts, list_alerts, resolve
from tracker.alerts.rules import ALERT_RULES_FILE, AlertRulesError, load_alert_rules, parse_alert_rules
from tracker.alerts.store import check_missed_check_ins, previous_severities, record_check_in_alerts
from tracker.care_team.access import LOCAL
from tracker.diary.checkins import LoggedCheckIn, history_context, log_check_in, past_reports
from tracker.diary.entries import store_check_in
from tracker.diary.patients import add_patient
from tracker.diary.validation import EntryInput
from tracker.errors import NotFoundError, ValidationError
from tracker.levels import TriageLevel
from tracker.storage.tables import Contact
from tracker.triage.engine import Assessment, default_triager

ROOT = Path(__file__).resolve().parent.parent
RULES = load_alert_rules()
SEE, URGENT, EMERGENCY = TriageLevel.SEE_DOCTOR, TriageLevel.URGENT, TriageLevel.EMERGENCY


def facts(severities, level=SEE, previous=None):
    return CheckInFacts(7, level, severities, previous or {})


def kinds(actions):
    return sorted((action.rule, action.symptom, str(action.kind)) for action in actions)


def test_shipped_rules_hold_the_thresholds():
    thresholds = {rule.rule_id: (str(rule.kind), rule.threshold) for rule in RULES}
    assert thresholds == {
        "severe_symptom": ("severity", "4"),
        "worsening_symptom": ("worsening", "2"),
        "urgent_advice": ("level", "urgent"),
        "no_check_in": ("missed", "3"),
    }


def test_shipped_workbook_is_exactly_what_the_authoring_script_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("build_alert_rules", ROOT / "data" / "build_alert_rules.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    build.build(tmp_path / "rules.xlsx")
    assert (tmp_path / "rules.xlsx").read_bytes() == ALERT_RULES_FILE.read_bytes()


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("kind", "weather", "kind 'weather' is not one of"),
        ("threshold", "9", "whole number from 1 to 5"),
        ("message_template", "{symptom.__class__} is {diagnosis}", "uses {diagnosis}, {symptom.__class__}"),
        ("escalate_on", "mood", "not mood"),
        ("title", None, "title is empty"),
    ],
)
def test_a_broken_rule_is_refused_naming_row_and_problem(column, value, problem):
    frame = pd.read_excel(ALERT_RULES_FILE, sheet_name="rules", dtype=object)
    frame.loc[0, column] = value
    with pytest.raises(AlertRulesError, match="row 2 \\(severe_symptom\\)") as raised:
        parse_alert_rules(frame)
    assert problem in str(raised.value)


def test_a_missing_workbook_is_a_clear_error(tmp_path):
    with pytest.raises(AlertRulesError, match="cannot read"):
        load_alert_rules(tmp_path / "nope.xlsx")


@pytest.mark.parametrize(("severity", "opened"), [(3, []), (4, ["Fever"]), (5, ["Fever"])])
def test_severity_four_or_more_opens_an_alert(now, severity, opened):
    actions = evaluate(facts({"Fever": severity}), [], RULES, now)
    assert [a.symptom for a in actions if a.rule == "severe_symptom" and a.kind is ActionKind.OPEN] == opened


@pytest.mark.parametrize(("previous", "opens"), [(None, False), (2, False), (1, True)])
def test_worsening_by_two_points_since_the_previous_report_opens_an_alert(now, previous, opens):
    previous_reports = {} if previous is None else {"Cough": previous}
    actions = evaluate(facts({"Cough": 3}, previous=previous_reports), [], RULES, now)
    assert any(a.rule == "worsening_symptom" for a in actions) is opens


@pytest.mark.parametrize(("level", "opens"), [(SEE, False), (URGENT, True), (EMERGENCY, True)])
def test_urgent_or_emergency_advice_opens_an_alert(now, level, opens):
    actions = evaluate(facts({"Headache": 2}, level=level), [], RULES, now)
    assert any(a.rule == "urgent_advice" for a in actions) is opens


def test_messages_are_plain_and_name_the_symptom_and_advice(now):
    (action,) = evaluate(facts({"Fever": 4}, previous={"Fever": 3}), [], RULES, now)
    assert action.message == (
        "Fever was rated 4 out of 5 at the latest check-in. "
        "The app's advice was: See a doctor in the next few days."
    )


def open_alert(rule="severe_symptom", symptom="Fever", severity=4, level=SEE):
    return AlertState(id=3, rule=rule, symptom=symptom, severity=severity, level=level)


@pytest.mark.parametrize(
    ("existing", "severity", "level", "kind"),
    [
        (open_alert(), 4, SEE, ActionKind.UPDATE),  # the same problem again
        (open_alert(severity=5), 4, SEE, ActionKind.UPDATE),  # better than the alert: still ongoing
        (open_alert(), 5, SEE, ActionKind.ESCALATE),  # worse
        (open_alert(rule="urgent_advice", symptom=None, level=URGENT), 3, URGENT, ActionKind.UPDATE),
        (open_alert(rule="urgent_advice", symptom=None, level=URGENT), 3, EMERGENCY, ActionKind.ESCALATE),
        (open_alert(level=URGENT), 4, EMERGENCY, ActionKind.ESCALATE),  # the symptom's advice got worse
        (open_alert(symptom="Cough"), 4, SEE, ActionKind.OPEN),  # another symptom is another problem
    ],
)
def test_an_open_problem_is_updated_and_escalated_only_when_worse(now, existing, severity, level, kind):
    actions = evaluate(facts({"Fever": severity}, level=level), [existing], RULES, now)
    (action,) = [a for a in actions if a.rule == existing.rule]
    assert action.kind is kind
    assert action.alert_id == (None if kind is ActionKind.OPEN else existing.id)


def test_a_check_in_resolves_the_no_check_in_alert(now):
    silent = open_alert(rule="no_check_in", symptom=None, severity=None, level=None)
    assert kinds(evaluate(facts({"Cough": 1}), [silent], RULES, now)) == [("no_check_in", None, "resolve")]


def check_in(session, patient_id, severities, level, now):
    entries = [EntryInput(name, severity, now) for name, severity in severities.items()]
    stored = store_check_in(session, LOCAL, patient_id, entries, now=now)
    assessment = Assessment(level, "advice", 0.9, (), {})
    logged = LoggedCheckIn(stored.id, tuple(e.id for e in stored.entries), assessment)
    return logged


def record(session, patient_id, severities, now, level=SEE, previous=None):
    logged = check_in(session, patient_id, severities, level, now)
    return record_check_in_alerts(session, LOCAL, patient_id, logged, severities, previous or {}, now)


def test_a_repeated_problem_keeps_one_alert_and_counts_check_ins(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    (first,) = record(session, patient.id, {"Fever": 4}, now)
    (again,) = record(session, patient.id, {"Fever": 4}, now + timedelta(hours=1))
    assert again.id == first.id
    assert (again.version, again.check_ins, again.updated_at) == (1, 2, now + timedelta(hours=1))
    assert len(list_alerts(session, LOCAL, patient.id)) == 1


def test_a_worse_problem_is_a_new_version_shown_as_new_again(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    (alert,) = record(session, patient.id, {"Fever": 4}, now)
    acknowledge(session, LOCAL, patient.id, alert.id, "Nurse Jo", now)
    (worse,) = record(session, patient.id, {"Fever": 5}, now + timedelta(hours=2))
    assert (worse.id, worse.version, worse.severity, worse.status) == (alert.id, 2, 5, "new")
    assert worse.acknowledged_by is None
    assert "rated 5 out of 5" in worse.message


def test_log_check_in_then_record_alerts_flags_an_emergency(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    record(session, patient.id, {"Chest pain": 2}, now - timedelta(days=1))
    entries = [EntryInput("chest pain", 5, now)]
    logged = log_check_in(session, LOCAL, patient.id, entries, default_triager(), now=now)
    severities = {"Chest pain": 5}
    past = [r for r in past_reports(session, LOCAL, patient.id, ["Chest pain"], now) if r.occurred_at < now]
    context = history_context(past, severities, now, "UTC")
    alerts = record_check_in_alerts(
        session, LOCAL, patient.id, logged, severities, previous_severities(severities, context), now
    )
    (alert,) = alerts  # severe, worse and urgent: one problem, one alert
    assert (alert.rule, alert.symptom, alert.level, alert.severity) == (
        "severe_symptom",
        "Chest pain",
        "emergency",
        5,
    )
    assert "went from 2 to 5 out of 5" in alert.message and "Call emergency services now" in alert.message
    assert count_new_alerts(session, LOCAL, patient.id) == 1


def test_every_rule_for_one_symptom_feeds_its_one_alert(now):
    actions = evaluate(facts({"Fever": 5, "Cough": 2}, previous={"Fever": 2}, level=URGENT), [], RULES, now)
    assert kinds(actions) == [("severe_symptom", "Fever", "open")]
    assert "went from 2 to 5" in actions[0].message
    again = evaluate(facts({"Fever": 5}, level=URGENT), [open_alert(severity=5, level=URGENT)], RULES, now)
    assert kinds(again) == [("severe_symptom", "Fever", "update")]


def test_urgent_advice_without_a_severe_symptom_is_its_own_alert(now):
    actions = evaluate(facts({"Headache": 2, "Fever": 3}, level=URGENT), [], RULES, now)
    assert kinds(actions) == [("urgent_advice", None, "open")]
    assert "Fever (3 of 5), Headache (2 of 5)" in actions[0].message


def test_acknowledge_and_resolve_record_who_and_when(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    (alert,) = record(session, patient.id, {"Fever": 4}, now)
    acknowledge(session, LOCAL, patient.id, alert.id, "  Nurse Jo ", now)
    assert (alert.status, alert.acknowledged_by, alert.acknowledged_at) == ("acknowledged", "Nurse Jo", now)
    assert count_new_alerts(session, LOCAL, patient.id) == 0
    resolve(session, LOCAL, patient.id, alert.id, "Dr Lee", now + timedelta(hours=1))
    assert (alert.status, alert.resolved_by) == ("resolved", "Dr Lee")
    assert list_alerts(session, LOCAL, patient.id) == []
    assert list_alerts(session, LOCAL, patient.id, [AlertStatus.RESOLVED]) == [alert]


def test_after_resolving_the_same_problem_opens_a_new_alert(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    (alert,) = record(session, patient.id, {"Fever": 4}, now)
    resolve(session, LOCAL, patient.id, alert.id, "Dr Lee", now)
    (again,) = record(session, patient.id, {"Fever": 4}, now + timedelta(days=1))
    assert again.id != alert.id


def test_another_patients_or_an_unknown_alert_is_not_found(session, now):
    owner, stranger = add_patient(session, LOCAL, "Ada"), add_patient(session, LOCAL, "Bob")
    (alert,) = record(session, owner.id, {"Fever": 4}, now)
    for patient_id, alert_id in [(stranger.id, alert.id), (owner.id, 999), (owner.id, 2**63)]:
        with pytest.raises(NotFoundError):
            acknowledge(session, LOCAL, patient_id, alert_id, "Nurse Jo", now)
        with pytest.raises(NotFoundError):
            resolve(session, LOCAL, patient_id, alert_id, "Nurse Jo", now)
    assert (
        list_alerts(session, LOCAL, stranger.id) == [] and count_new_alerts(session, LOCAL, stranger.id) == 0
    )
    with pytest.raises(ValidationError):
        acknowledge(session, LOCAL, owner.id, alert.id, "   ", now)


def test_no_check_in_for_three_days_opens_one_alert_when_reminders_are_on(session, now):
    silent, quiet, recent = (
        add_patient(session, LOCAL, "Ada"),
        add_patient(session, LOCAL, "Bob"),
        add_patient(session, LOCAL, "Cy"),
    )
    for patient, reminders in [(silent, True), (quiet, False), (recent, True)]:
        session.add(
            Contact(
                patient_id=patient.id,
                kind="email",
                address="a@example.org",
                reminders=reminders,
                created_at=now - timedelta(days=30),
            )
        )
    for patient in (silent, quiet):
        check_in(session, patient.id, {"Cough": 1}, SEE, now - timedelta(days=3, minutes=1))
    check_in(session, recent.id, {"Cough": 1}, SEE, now - timedelta(days=2, hours=22))
    (alert,) = check_missed_check_ins(session, LOCAL, now)
    assert (alert.patient_id, alert.rule, alert.check_ins) == (silent.id, "no_check_in", 0)
    assert "no check-in for 3 days" in alert.message
    assert check_missed_check_ins(session, LOCAL, now + timedelta(hours=1)) == []  # still open: not again
    record(session, silent.id, {"Cough": 1}, now + timedelta(days=1))
    assert (alert.status, alert.resolved_by) == ("resolved", "a new check-in")


def test_silence_counts_from_when_reminders_were_set_up(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    session.add(
        Contact(
            patient_id=patient.id,
            kind="email",
            address="a@example.org",
            reminders=True,
            created_at=now - timedelta(days=1),
        )
    )
    assert check_missed_check_ins(session, LOCAL, now) == []
    assert len(check_missed_check_ins(session, LOCAL, now + timedelta(days=2))) == 1


def test_alert_lines_give_every_alert_of_the_patient_for_the_report(session, now):
    from tracker.alerts.inbox import alert_lines
    from tracker.diary.checkins import log_check_in
    from tracker.diary.patients import add_patient
    from tracker.diary.validation import EntryInput
    from tracker.triage.engine import default_triager

    patient_id = add_patient(session, LOCAL, "Report").id
    log_check_in(session, LOCAL, patient_id, [EntryInput("Fever", 4, now)], default_triager(), now=now)
    lines = alert_lines(session, LOCAL, patient_id, "Europe/London")
    assert lines and all(line.startswith("25 Nov 2026: ") for line in lines)
    assert any("Fever" in line for line in lines)


def test_an_alert_for_a_backdated_entry_says_when_the_symptom_happened(session, now):
    patient_id = add_patient(session, LOCAL, "Ada").id
    three_days_ago = now - timedelta(days=3, hours=2, minutes=45)  # 22/11 09:15 in London (UTC+0)
    entries = [EntryInput("Chest pain", 5, three_days_ago)]
    log_check_in(session, LOCAL, patient_id, entries, default_triager(), tz="Europe/London", now=now)
    messages = [alert.message for alert in list_alerts(session, LOCAL, patient_id)]
    assert messages and all("latest check-in" not in message for message in messages)
    assert any("Chest pain was rated 5 out of 5 on 22/11/2026 at 09:15" in message for message in messages)
    assert all("(logged on 25/11/2026)" in message for message in messages)


def test_an_alert_for_an_entry_logged_as_it_happens_says_latest_check_in(session, now):
    patient_id = add_patient(session, LOCAL, "Ada").id
    log_check_in(session, LOCAL, patient_id, [EntryInput("Fever", 4, now)], default_triager(), now=now)
    assert all("at the latest check-in" in a.message for a in list_alerts(session, LOCAL, patient_id))


def test_the_shipped_rules_are_read_without_the_alert_engine_loaded():
    """Reading the rules (Settings, the CLI) must not depend on another module having been imported first."""
    import subprocess
    import sys

    code = "from tracker.alerts.rules import default_alert_rules; print(len(default_alert_rules()))"
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=False)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 4
