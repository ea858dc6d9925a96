"""Attack tests: uploads built to exhaust memory or time are refused quickly, with nothing stored.

Bounds are generous (a timeout, a memory ceiling far above a normal import): they catch a reader that
walks ten million rows or unpacks a zip bomb, not a slow machine. Speed figures live in benchmarks/.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import (
    workbook_declaring_rows,
    workbook_with_a_far_row,
    workbook_with_wide_row,
    workbook_zip_bomb,
)

from tracker.care_team.access import LOCAL, Actor
from tracker.diary.entries import count_entries
from tracker.diary.patients import add_patient
from tracker.errors import ValidationError
from tracker.transfer.import_runs import ImportBusyError, import_slot, import_upload
from tracker.triage.engine import default_triager

ROOT = Path(__file__).resolve().parents[2]
REFUSED_WITHIN_SECONDS = 30  # the target is 2 s; this only catches a reader that walks the whole file
MEMORY_CEILING_MB = 200
HOSTILE = {
    "ten-million-blank-rows.xlsx": lambda: workbook_declaring_rows(10_000_000),
    "row-ten-million.xlsx": lambda: workbook_with_a_far_row(10_000_000),
    "zip-bomb.xlsx": lambda: workbook_zip_bomb(174),
    "wide-row.xlsx": lambda: workbook_with_wide_row(16_000),
    "blank-lines.csv": lambda: b"occurred_at,symptom,severity\n" + b"\n" * 15_000_000,
    "wide-row.csv": lambda: b"occurred_at,symptom,severity\n" + b"," * 1_000_000 + b"\n",
    "too-many-rows.csv": lambda: b"occurred_at,symptom,severity\n" + b"2026-11-24 08:00,Fever,3\n" * 250_000,
}


@pytest.fixture(scope="module")
def hostile_files() -> dict[str, bytes]:
    return {name: make() for name, make in HOSTILE.items()}


@pytest.mark.timeout(REFUSED_WITHIN_SECONDS)
@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_files_are_refused_with_one_plain_message_and_nothing_stored(
    factory, hostile_files, now, name
):
    with factory.begin() as session:
        patient_id = add_patient(session, LOCAL, "Ada").id
    with pytest.raises(ValidationError) as error:
        import_upload(factory, LOCAL, patient_id, hostile_files[name], name, default_triager(), "UTC", now)
    assert list(error.value.errors) == ["file"]
    message = error.value.errors["file"]
    assert "split it" in message or "right file" in message, message
    with factory.begin() as session:
        assert count_entries(session, LOCAL, patient_id) == 0


PEAK_MEMORY = """
import json, resource, sys
from tests.hostile import workbook_declaring_rows, workbook_with_a_far_row, workbook_zip_bomb
from datetime import UTC, datetime
from tracker.errors import ValidationError
from tracker.transfer.imports import parse_import
files = [workbook_declaring_rows(), workbook_with_a_far_row(), workbook_zip_bomb()]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
refused = []
for data in files:
    try:
        parse_import(data, "hostile.xlsx", "UTC", datetime(2026, 11, 25, tzinfo=UTC))
    except ValidationError as error:
        refused.append(error.errors["file"])
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"grew_mb": (after - before) / 1024, "refused": refused}))
"""


@pytest.mark.timeout(120)
def test_refusing_hostile_workbooks_keeps_memory_bounded():
    """The process's peak memory hardly grows while the hostile workbooks are refused (ru_maxrss)."""
    result = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY], cwd=ROOT, capture_output=True, text=True, check=True
    )
    report = json.loads(result.stdout)
    assert len(report["refused"]) == 3
    assert report["grew_mb"] < MEMORY_CEILING_MB


def test_one_import_at_a_time_per_person(factory, now):
    with factory.begin() as session:
        patient_id = add_patient(session, LOCAL, "Ada").id
    data = b"occurred_at,symptom,severity\n2026-11-24 08:00,Fever,3\n"
    with import_slot(LOCAL), pytest.raises(ImportBusyError, match="previous import is still running"):
        import_upload(factory, LOCAL, patient_id, data, "e.csv", default_triager(), "UTC", now)
    other = Actor.user(99, "caregiver", "Someone else")
    with import_slot(other):  # another person's import does not block this one
        result = import_upload(factory, LOCAL, patient_id, data, "e.csv", default_triager(), "UTC", now)
    assert result.added == 1
