from datetime import timedelta

import pytest

from tracker.alerts.inbox import list_alerts
from tracker.alerts.store import check_missed_check_ins
from tracker.care_team.access import LOCAL, SYSTEM
from tracker.care_team.contacts import add_contact
from tracker.diary.checkins import log_check_in
from tracker.diary.entries import list_entries, store_check_in
from tracker.diary.patients import add_patient
from tracker.diary.table_edits import apply_table_edits, delete_entries, editable_entries, edits_by_entry
from tracker.diary.validation import EntryInput
from tracker.errors import NotFoundError, ValidationError
from tracker.levels import TriageLevel
from tracker.notify.transport import NotifySettings, SmtpSettings
from tracker.storage.tables import CheckIn
from tracker.triage.engine import default_triager

triager = default_triager()


@pytest.fixture
def logged(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    check_in = store_check_in(
        session,
        LOCAL,
        patient.id,
        [
            EntryInput("Cough", 2, now - timedelta(hours=3), "dry"),
            EntryInput("Fever", 3, now - timedelta(hours=1)),
        ],
        canonical=["Cough", "Fever"],
        now=now,
    )
    return patient.id, [entry.id for entry in check_in.entries]


def test_table_shows_newest_first_in_local_time(session, logged):
    patient_id, (cough_id, fever_id) = logged
    table = editable_entries(list_entries(session, LOCAL, patient_id), "Asia/Tokyo")
    assert list(table.index) == [fever_id, cough_id]
    assert table.loc[fever_id, "when"].hour == (12 - 1 + 9) % 24
    assert table.loc[cough_id, "note"] == "dry"


def test_edits_from_the_table_are_applied_with_canonical_names(session, logged, now):
    patient_id, (cough_id, _fever) = logged
    local = (now - timedelta(hours=5)).replace(tzinfo=None)  # wall clock in "UTC"
    changed = apply_table_edits(
        session,
        LOCAL,
        patient_id,
        {cough_id: {"symptom": "headahce", "severity": 4, "when": str(local)}},
        triager,
        "UTC",
        now=now,
    )
    assert changed.changed == 1
    row = list_entries(session, LOCAL, patient_id).set_index("id").loc[cough_id]
    assert (row["symptom"], row["symptom_text"], row["severity"]) == ("Headache", "headahce", 4)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"severity": 8}, "severity"),
        ({"symptom": None}, "symptom"),
        ({"when": None}, "occurred_at"),
        ({"when": "2999-01-01 10:00"}, "occurred_at"),
        ({"note": "x" * 1001}, "note"),
    ],
)
def test_a_bad_cell_is_reported_by_entry_and_field(session, logged, now, change, field):
    patient_id, (cough_id, _fever) = logged
    with pytest.raises(ValidationError) as error:
        apply_table_edits(session, LOCAL, patient_id, {cough_id: change}, triager, "UTC", now=now)
    assert f"entry {cough_id}: {field}" in error.value.errors


def test_delete_removes_only_the_chosen_entries(session, logged):
    patient_id, (cough_id, fever_id) = logged
    assert delete_entries(session, LOCAL, patient_id, [cough_id]) == 1
    assert list_entries(session, LOCAL, patient_id)["id"].tolist() == [fever_id]


def test_another_patients_entries_cannot_be_deleted(session, logged):
    _patient_id, (cough_id, _fever) = logged
    stranger = add_patient(session, LOCAL, "Stranger")
    with pytest.raises(NotFoundError):
        delete_entries(session, LOCAL, stranger.id, [cough_id])


def test_rows_ticked_for_deletion_map_back_to_their_entry_ids(session, logged):
    from tracker.diary.table_edits import editor_rows, marked_ids

    patient_id, (cough_id, _fever_id) = logged
    table = editable_entries(list_entries(session, LOCAL, patient_id), "UTC")
    shown = editor_rows(table)
    shown.loc[1, "delete"] = True
    assert marked_ids(shown, list(table.index)) == [cough_id]
    assert marked_ids(editor_rows(table), list(table.index)) == []


def test_the_table_shows_the_recognised_name_and_what_was_typed_when_it_differs(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    entries = [EntryInput("headahce", 2, now - timedelta(hours=2)), EntryInput("Fever", 3, now)]
    store_check_in(session, LOCAL, patient.id, entries, canonical=["Headache", "Fever"], now=now)
    table = editable_entries(list_entries(session, LOCAL, patient.id), "UTC")
    assert table[["symptom", "typed"]].values.tolist() == [["Fever", ""], ["Headache", "headahce"]]


def test_an_empty_table_keeps_text_columns_as_text(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    table = editable_entries(list_entries(session, LOCAL, patient.id), "UTC")
    assert table.empty and {table[c].dtype.kind for c in ("symptom", "typed", "note", "level")} == {"O"}


@pytest.mark.parametrize(
    "state",
    [
        {"edited_rows": {"2": {"severity": 1}}},
        {"edited_rows": {"x": {"severity": 1}}},
        {"edited_rows": {"-1": {"severity": 1}}},
        {"edited_rows": {True: {"severity": 1}}},
        {"edited_rows": {"0": {"level": "urgent"}}},
        {"edited_rows": {"0": "severity"}},
        {"edited_rows": ["0"]},
        {"deleted_rows": [0]},
        {"added_rows": [{"symptom": "Fever"}]},
    ],
)
def test_a_row_or_column_not_in_the_table_is_refused_with_a_message(state):
    with pytest.raises(ValidationError) as error:
        edits_by_entry(state, [11, 12])
    assert "not in the table" in error.value.errors["table"]


def test_editor_rows_map_to_entry_ids_and_delete_ticks_are_left_out():
    state = {"edited_rows": {"1": {"severity": 4}, 0: {"delete": True}}, "added_rows": [], "deleted_rows": []}
    assert edits_by_entry(state, [11, 12]) == {12: {"severity": 4}}
    assert edits_by_entry(None, [11]) == {}


def logged_check_in(session, now, symptom="Headache", severity=2):
    patient = add_patient(session, LOCAL, "Ada")
    entry = [EntryInput(symptom, severity, now - timedelta(hours=1))]
    logged = log_check_in(session, LOCAL, patient.id, entry, triager, now=now)
    return patient.id, logged


def test_a_severity_raised_in_the_table_redoes_the_advice_and_raises_the_alert(session, now):
    patient_id, logged = logged_check_in(session, now)
    assert list_alerts(session, LOCAL, patient_id) == []

    saved = apply_table_edits(
        session, LOCAL, patient_id, {logged.entry_ids[0]: {"severity": 5}}, triager, "UTC", now
    )

    (again,) = saved.reassessed
    assert again.previous_level is TriageLevel.SELF_CARE and again.level_changed
    stored = session.get(CheckIn, logged.check_in_id)
    assert (stored.level, stored.advice) == (str(again.assessment.level), again.assessment.advice)
    (alert,) = list_alerts(session, LOCAL, patient_id)
    assert (alert.symptom, alert.severity, alert.check_ins) == ("Headache", 5, 1)
    assert "now" in again.sentence and "see Alerts" in again.sentence


def test_the_same_check_in_assessed_twice_counts_once_in_its_alert(session, now):
    patient_id, logged = logged_check_in(session, now, severity=5)
    apply_table_edits(
        session, LOCAL, patient_id, {logged.entry_ids[0]: {"note": "worse"}}, triager, "UTC", now
    )
    (alert,) = list_alerts(session, LOCAL, patient_id)
    assert alert.check_ins == 1


def test_editing_an_old_entry_does_not_end_a_no_check_in_alert(session, now):
    patient_id, logged = logged_check_in(session, now)
    settings = NotifySettings(SmtpSettings("127.0.0.1", 25, "tracker@example.org"))
    contact = add_contact(
        session, LOCAL, patient_id, "email", "ada@example.org", settings=settings, reminders=True
    )
    contact.created_at = now  # reminders on since the check-in: the silence counts from it
    later = now + timedelta(days=5)
    assert check_missed_check_ins(session, SYSTEM, later)
    apply_table_edits(
        session, LOCAL, patient_id, {logged.entry_ids[0]: {"severity": 3}}, triager, "UTC", later
    )
    assert [alert.rule for alert in list_alerts(session, LOCAL, patient_id)] == ["no_check_in"]
