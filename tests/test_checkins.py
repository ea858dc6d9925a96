from datetime import UTC, datetime, timedelta

import pytest

from tracker.care_team.access import LOCAL
from tracker.diary.checkins import PastReport, history_context, log_check_in
from tracker.diary.entries import count_entries, list_entries
from tracker.diary.patients import add_patient
from tracker.diary.validation import EntryInput
from tracker.errors import ValidationError
from tracker.levels import TriageLevel
from tracker.triage.engine import default_triager


def report(symptom, severity, days_ago, now, hour=9):
    day = now - timedelta(days=days_ago)
    return PastReport(symptom, severity, day.replace(hour=hour))


def test_first_report_has_no_change_and_one_day(now):
    context = history_context([], {"Cough": 3}, now, "UTC")["Cough"]
    assert (context.days_in_row, context.change, context.recurrent) == (1, None, False)


def test_consecutive_days_make_a_streak_and_change_is_against_the_last_report(now):
    past = [report("Cough", 1, 3, now), report("Cough", 2, 2, now), report("Cough", 2, 1, now)]
    context = history_context(past, {"Cough": 4}, now, "UTC")["Cough"]
    assert context.days_in_row == 4
    assert context.change == 2
    assert not context.recurrent


def test_a_symptom_back_after_a_gap_is_recurrent(now):
    past = [report("Headache", 3, 10, now), report("Headache", 2, 9, now)]
    context = history_context(past, {"Headache": 2}, now, "UTC")["Headache"]
    assert context.recurrent
    assert context.days_in_row == 1


def test_days_are_counted_in_the_patients_time_zone():
    # 23:30 and 00:30 in Sydney are two local days, though both fall on one UTC day.
    now = datetime(2026, 11, 25, 13, 30, tzinfo=UTC)  # 00:30 on the 26th in Sydney
    past = [PastReport("Cough", 2, datetime(2026, 11, 25, 12, 30, tzinfo=UTC))]
    assert history_context(past, {"Cough": 2}, now, "Australia/Sydney")["Cough"].days_in_row == 2
    assert history_context(past, {"Cough": 2}, now, "UTC")["Cough"].days_in_row == 1


def test_logging_stores_entries_with_the_recommendation_given(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    logged = log_check_in(
        session,
        LOCAL,
        patient.id,
        [EntryInput("Chest pain", 5, now - timedelta(minutes=5)), EntryInput("tummy ache", 2, now)],
        default_triager(),
        now=now,
    )
    assert logged.assessment.level == TriageLevel.EMERGENCY
    frame = list_entries(session, LOCAL, patient.id)
    assert len(frame) == 2
    assert set(frame["level"]) == {"emergency"}
    assert frame["model_version"].iloc[0] == logged.assessment.model_version


def test_logging_bad_input_stores_nothing(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    with pytest.raises(ValidationError):
        log_check_in(session, LOCAL, patient.id, [EntryInput("", 3, now)], default_triager(), now=now)
    assert count_entries(session, LOCAL, patient.id) == 0
