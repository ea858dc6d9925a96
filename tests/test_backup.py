from datetime import timedelta

import pytest

from tracker.care_team.access import LOCAL
from tracker.diary.entries import list_entries, store_check_in
from tracker.diary.patients import add_patient
from tracker.diary.validation import EntryInput, FactorInput
from tracker.storage.backup import backup_database
from tracker.storage.engine import create_db_engine, session_factory
from tracker.storage.files import OutputPathError


def test_backup_is_a_complete_sqlite_copy(engine, factory, tmp_path, now):
    with factory.begin() as session:
        patient = add_patient(session, LOCAL, "Ada")
        store_check_in(
            session,
            LOCAL,
            patient.id,
            [EntryInput("Cough", 2, now - timedelta(hours=1), "dry")],
            factors=[FactorInput("tag", "coffee")],
            now=now,
        )
    copy = backup_database(engine, tmp_path / "backup.sqlite3")
    with session_factory(create_db_engine(f"sqlite:///{copy}")).begin() as session:
        restored = list_entries(session, LOCAL, patient.id)
    assert restored[["symptom", "severity", "note"]].values.tolist() == [["Cough", 2, "dry"]]


def test_backup_never_overwrites_a_file(engine, tmp_path):
    existing = tmp_path / "backup.sqlite3"
    existing.write_text("precious")
    with pytest.raises(OutputPathError, match="add --force"):
        backup_database(engine, existing)
    assert existing.read_text() == "precious"
