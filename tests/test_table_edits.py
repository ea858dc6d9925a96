from datetime import timedelta

import pytest

from tracker.access import LOCAL
from tracker.entries import add_check_in, list_entries
from tracker.errors import NotFoundError, ValidationError
from tracker.patients import add_patient
from tracker.table_edits import apply_table_edits, delete_entries, editable_entries
from tracker.validation import EntryInput


def canonical(text):
    return {"headahce": "Headache", "fever": "Fever"}.get(text.casefold())


@pytest.fixture
def logged(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    check_in = add_check_in(
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
        canonical,
        "UTC",
        now=now,
    )
    assert changed == 1
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
        apply_table_edits(session, LOCAL, patient_id, {cough_id: change}, canonical, "UTC", now=now)
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
    from tracker.table_edits import editor_rows, marked_ids

    patient_id, (cough_id, _fever_id) = logged
    table = editable_entries(list_entries(session, LOCAL, patient_id), "UTC")
    shown = editor_rows(table)
    shown.loc[1, "delete"] = True
    assert marked_ids(shown, list(table.index)) == [cough_id]
    assert marked_ids(editor_rows(table), list(table.index)) == []
