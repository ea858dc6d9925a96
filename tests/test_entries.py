from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tracker.care_team.access import LOCAL
from tracker.diary.entries import (
    Recommendation,
    count_entries,
    delete_entry,
    list_entries,
    recent_symptoms,
    store_check_in,
    update_entry,
)
from tracker.diary.patients import add_patient
from tracker.diary.validation import EntryInput
from tracker.errors import NotFoundError, ValidationError


@pytest.fixture
def patient(session):
    return add_patient(session, LOCAL, "Ada")


def entry(symptom="Headache", severity=3, hours_ago=1, note=None, *, now):
    return EntryInput(symptom, severity, now - timedelta(hours=hours_ago), note)


def test_check_in_stores_every_symptom_with_its_advice(session, patient, now):
    advice = Recommendation("see_doctor", "Book an appointment.", 0.8, "v1")
    store_check_in(
        session,
        LOCAL,
        patient.id,
        [entry("headahce", 3, now=now), entry("Fever", 4, note="38.9", now=now)],
        canonical=["Headache", "Fever"],
        recommendation=advice,
        now=now,
    )
    frame = list_entries(session, LOCAL, patient.id)
    assert list(frame["symptom"]) == ["Headache", "Fever"]
    assert list(frame["symptom_text"]) == ["headahce", "Fever"]
    assert set(frame["level"]) == {"see_doctor"}
    assert frame["note"].isna().tolist() == [True, False]
    assert frame["note"].iloc[1] == "38.9"
    assert str(frame["occurred_at"].dt.tz) == "UTC"


def test_unknown_symptom_is_kept_as_typed(session, patient, now):
    store_check_in(session, LOCAL, patient.id, [entry("  Tingly   elbow ", 2, now=now)], now=now)
    assert list_entries(session, LOCAL, patient.id)["symptom"].tolist() == ["Tingly elbow"]


@pytest.mark.parametrize(
    ("bad", "field", "words"),
    [
        ({"symptom": ""}, "symptom", "enter a symptom"),
        ({"symptom": "x" * 101}, "symptom", "under 100"),
        ({"severity": 0}, "severity", "1 (very mild) to 5"),
        ({"severity": 6}, "severity", "1 (very mild) to 5"),
        ({"severity": 2.5}, "severity", "whole number"),
        ({"severity": float("nan")}, "severity", "whole number"),
        ({"severity": "3"}, "severity", "whole number"),
        ({"hours_ago": -2}, "occurred_at", "future"),
        ({"note": "n" * 1001}, "note", "1,000"),
    ],
)
def test_bad_input_raises_one_message_per_field_and_stores_nothing(session, patient, now, bad, field, words):
    with pytest.raises(ValidationError) as error:
        store_check_in(session, LOCAL, patient.id, [entry(now=now, **bad)], now=now)
    assert field in error.value.errors
    assert words in error.value.errors[field]
    assert count_entries(session, LOCAL, patient.id) == 0


def test_one_bad_symptom_rejects_the_whole_check_in(session, patient, now):
    with pytest.raises(ValidationError) as error:
        store_check_in(session, LOCAL, patient.id, [entry(now=now), entry(severity=9, now=now)], now=now)
    assert set(error.value.errors) == {"1.severity"}
    assert count_entries(session, LOCAL, patient.id) == 0


def test_logging_for_an_unknown_patient_is_refused(session, now):
    with pytest.raises(NotFoundError):
        store_check_in(session, LOCAL, 42, [entry(now=now)], now=now)


def test_a_few_minutes_of_clock_drift_is_not_the_future(session, patient, now):
    store_check_in(session, LOCAL, patient.id, [EntryInput("Cough", 2, now + timedelta(minutes=2))], now=now)
    assert count_entries(session, LOCAL, patient.id) == 1


def test_list_entries_filters_by_time_range_and_symptom(session, patient, now):
    for hours, name in [(48, "Cough"), (30, "Headache"), (5, "Cough"), (1, "Fever")]:
        store_check_in(session, LOCAL, patient.id, [entry(name, hours_ago=hours, now=now)], now=now)
    recent = list_entries(
        session, LOCAL, patient.id, start=now - timedelta(hours=31), end=now - timedelta(hours=2)
    )
    assert recent["symptom"].tolist() == ["Headache", "Cough"]
    coughs = list_entries(session, LOCAL, patient.id, symptoms=["Cough"])
    assert len(coughs) == 2


def test_empty_history_is_an_empty_frame_with_columns(session, patient):
    frame = list_entries(session, LOCAL, patient.id)
    assert frame.empty
    assert {"symptom", "severity", "occurred_at"} <= set(frame.columns)


def test_edit_changes_only_the_given_fields(session, patient, now):
    check_in = store_check_in(session, LOCAL, patient.id, [entry(note="before", now=now)], now=now)
    entry_id = check_in.entries[0].id
    update_entry(session, LOCAL, patient.id, entry_id, severity=5, note="after", now=now)
    row = list_entries(session, LOCAL, patient.id).iloc[0]
    assert (row["severity"], row["note"], row["symptom"]) == (5, "after", "Headache")


def test_edit_with_bad_severity_changes_nothing(session, patient, now):
    check_in = store_check_in(session, LOCAL, patient.id, [entry(severity=2, now=now)], now=now)
    with pytest.raises(ValidationError):
        update_entry(session, LOCAL, patient.id, check_in.entries[0].id, severity=7, now=now)
    assert list_entries(session, LOCAL, patient.id)["severity"].tolist() == [2]


def test_delete_removes_the_entry_and_an_empty_check_in(session, patient, now):
    check_in = store_check_in(session, LOCAL, patient.id, [entry(now=now)], now=now)
    delete_entry(session, LOCAL, patient.id, check_in.entries[0].id)
    assert count_entries(session, LOCAL, patient.id) == 0
    assert session.execute(text("SELECT count(*) FROM check_ins")).scalar() == 0


def test_entries_of_another_patient_cannot_be_edited_or_deleted(session, patient, now):
    other = add_patient(session, LOCAL, "Bob")
    check_in = store_check_in(session, LOCAL, patient.id, [entry(now=now)], now=now)
    with pytest.raises(NotFoundError):
        update_entry(session, LOCAL, other.id, check_in.entries[0].id, severity=1, now=now)
    with pytest.raises(NotFoundError):
        delete_entry(session, LOCAL, other.id, check_in.entries[0].id)


def test_recent_symptoms_are_distinct_newest_first(session, patient, now):
    for hours, name in [(50, "Cough"), (40, "Fever"), (30, "Cough"), (20, "Headache")]:
        store_check_in(session, LOCAL, patient.id, [entry(name, hours_ago=hours, now=now)], now=now)
    assert recent_symptoms(session, LOCAL, patient.id) == ["Headache", "Cough", "Fever"]


def test_database_refuses_severity_outside_one_to_five(session, patient, now):
    store_check_in(session, LOCAL, patient.id, [entry(now=now)], now=now)
    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE symptom_entries SET severity = 9"))


def test_factors_are_stored_with_the_check_in_and_listed(session, patient, now):
    from tracker.diary.entries import factor_names, list_factors
    from tracker.diary.validation import FactorInput

    factors = [
        FactorInput("medication", "Ibuprofen"),
        FactorInput("sleep", "Sleep", 5.5),
        FactorInput("tag", "coffee"),
    ]
    store_check_in(session, LOCAL, patient.id, [entry(now=now)], factors=factors, now=now)
    listed = list_factors(session, LOCAL, patient.id)
    assert listed[["kind", "name"]].values.tolist() == [
        ["medication", "Ibuprofen"],
        ["sleep", "Sleep"],
        ["tag", "coffee"],
    ]
    assert listed["value"].iloc[1] == 5.5
    assert factor_names(session, LOCAL, patient.id, "tag") == ["coffee"]


@pytest.mark.parametrize(
    ("factor", "field"),
    [
        (("sleep", "Sleep", 30.0), "sleep"),
        (("sleep", "Sleep", None), "sleep"),
        (("tag", "", None), "tags"),
        (("medication", "x" * 61, None), "medications"),
        (("mood", "happy", None), "factors"),
    ],
)
def test_bad_factors_are_refused_and_nothing_is_stored(session, patient, now, factor, field):
    from tracker.diary.validation import FactorInput

    with pytest.raises(ValidationError) as error:
        store_check_in(session, LOCAL, patient.id, [entry(now=now)], factors=[FactorInput(*factor)], now=now)
    assert field in error.value.errors
    assert count_entries(session, LOCAL, patient.id) == 0


def test_the_data_version_changes_with_every_add_edit_and_delete(session, patient, now):
    from tracker.diary.entries import entries_version

    seen = [entries_version(session, LOCAL, patient.id)]
    check_in = store_check_in(session, LOCAL, patient.id, [entry(now=now)], now=now)
    seen.append(entries_version(session, LOCAL, patient.id))
    update_entry(session, LOCAL, patient.id, check_in.entries[0].id, severity=5, now=now)
    seen.append(entries_version(session, LOCAL, patient.id))
    delete_entry(session, LOCAL, patient.id, check_in.entries[0].id)
    seen.append(entries_version(session, LOCAL, patient.id))
    assert len(set(seen)) == 4, "an edit must change the version even though the count does not"
