import csv
import io
import random
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError

import tracker.transfer.import_files as import_files
import tracker.transfer.import_runs as import_runs
from tracker.care_team.access import LOCAL
from tracker.diary.entries import Recommendation, count_entries, list_entries, store_check_in
from tracker.diary.patients import add_patient
from tracker.diary.validation import EntryInput
from tracker.errors import NotFoundError, ValidationError
from tracker.storage.tables import CheckIn
from tracker.transfer.import_writes import import_entries, import_file
from tracker.transfer.imports import ImportSource, parse_import
from tracker.triage.knowledge import ORIGINAL_COLUMNS
from tracker.triage.vocabulary import load_vocabulary

EXPORT_COLUMNS = [
    "occurred_at",
    "symptom",
    "symptom_as_typed",
    "severity",
    "note",
    "advice_level",
    "advice",
    "logged_at",
]
COMPARED = ["occurred_at", "symptom", "symptom_text", "severity", "note", "level", "advice"]
HEADER = "occurred_at,symptom,severity,note\n"


@pytest.fixture
def vocabulary():
    return load_vocabulary()


@pytest.fixture
def patient_id(session):
    return add_patient(session, LOCAL, "Ada").id


@pytest.fixture
def logged(session, patient_id, now):
    """Two check-ins: one with advice and a formula-like note, one without advice."""
    advice = Recommendation("see_doctor", "Book an appointment.", 0.8, "v1")
    earlier = now - timedelta(days=1, minutes=17)
    entries = [EntryInput("headahce", 3, earlier, "=1+2"), EntryInput("Fever", 4, earlier, "'tis 38.9")]
    store_check_in(session, LOCAL, patient_id, entries, ["Headache", "Fever"], advice, now=now)
    store_check_in(
        session, LOCAL, patient_id, [EntryInput("Wobbly toe", 2, now - timedelta(hours=2))], now=now
    )
    return list_entries(session, LOCAL, patient_id)


def guard(value):
    """Write a text cell as our CSV export does: a leading apostrophe before = + - @ tab CR and '."""
    text = as_text(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r", "'") else text


def as_text(value):
    return "" if value is None or pd.isna(value) else str(value)


def export_rows(frame, text=guard):
    """Return rows as our CSV export writes them; the workbook has no apostrophes (text=as_text)."""
    return [
        [
            row.occurred_at.isoformat(),
            text(row.symptom),
            text(row.symptom_text),
            int(row.severity),
            text(row.note),
            text(row.level),
            text(row.advice),
            row.logged_at.isoformat(),
        ]
        for row in frame.itertuples()
    ]


def to_csv(rows, header=EXPORT_COLUMNS, delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([header, *rows])
    return buffer.getvalue().encode()


def to_xlsx(rows, header=EXPORT_COLUMNS, sheet="Entries", before=("About",)):
    book = openpyxl.Workbook()
    book.active.title = before[0] if before else sheet
    entries = book.create_sheet(sheet) if before else book.active
    for row in [header, *rows]:
        entries.append(list(row))
        for cell in entries[entries.max_row]:
            cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type  # text, never a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run_import(session, patient_id, data, filename, vocabulary, now, tz="UTC", **options):
    plan = parse_import(data, filename, tz, now, **options)
    return import_entries(session, LOCAL, patient_id, plan, vocabulary, now)


def problems(data, filename="entries.csv", now=datetime(2026, 11, 25, 12, tzinfo=UTC), **options):
    with pytest.raises(ValidationError) as error:
        parse_import(data, filename, "UTC", now, **options)
    return error.value.errors


@pytest.mark.parametrize(
    ("write", "filename", "source"),
    [
        (lambda frame: to_csv(export_rows(frame)), "export.csv", ImportSource.CSV_EXPORT),
        (lambda frame: to_csv(export_rows(frame), delimiter=";"), "export.csv", ImportSource.CSV_EXPORT),
        (lambda frame: to_xlsx(export_rows(frame, as_text)), "export.xlsx", ImportSource.EXCEL_EXPORT),
        (lambda frame: to_xlsx(export_rows(frame, as_text), before=()), "x.xlsx", ImportSource.EXCEL_EXPORT),
        (lambda frame: to_xlsx(export_rows(frame, as_text)), "named-wrongly.csv", ImportSource.EXCEL_EXPORT),
    ],
    ids=["csv", "csv-semicolons", "excel", "excel-first-sheet", "excel-by-content"],
)
def test_each_export_format_round_trips(session, logged, vocabulary, now, write, filename, source):
    plan = parse_import(write(logged), filename, "UTC", now)
    assert plan.source is source
    twin = add_patient(session, LOCAL, "Twin").id
    result = import_entries(session, LOCAL, twin, plan, vocabulary, now)
    assert (result.added, result.skipped_duplicates) == (3, 0)
    copied = list_entries(session, LOCAL, twin)
    pd.testing.assert_frame_equal(copied[COMPARED], logged[COMPARED])


def test_original_table_with_dates_imports_words_and_recommendations(session, patient_id, vocabulary, now):
    rows = [
        ["2026-11-20", "09:15", "headache", "Mild", "Rest in a dark room."],
        ["2026-11-21", "", "Chest pain", "5", "Call emergency services now."],
    ]
    data = to_xlsx(rows, header=["Date", "Time", *ORIGINAL_COLUMNS], sheet="Sheet1", before=())
    result = run_import(session, patient_id, data, "original.xlsx", vocabulary, now, tz="Europe/London")
    assert result.added == 2
    frame = list_entries(session, LOCAL, patient_id)
    assert frame["symptom"].tolist() == ["Headache", "Chest pain"]
    assert frame["severity"].tolist() == [2, 5]
    assert frame["advice"].tolist() == ["Rest in a dark room.", "Call emergency services now."]
    assert frame["level"].isna().all()
    assert frame["occurred_at"].iloc[0] == pd.Timestamp("2026-11-20 09:15", tz="UTC")


def test_original_table_without_a_time_is_refused_unless_one_time_is_given(
    session, patient_id, vocabulary, now
):
    data = (Path(__file__).parent.parent / "data" / "original_recommendations.xlsx").read_bytes()
    assert "no Date or Timestamp column" in problems(data, "original_recommendations.xlsx")["file"]
    one_time = now - timedelta(days=2)
    result = run_import(session, patient_id, data, "original.xlsx", vocabulary, now, default_time=one_time)
    frame = list_entries(session, LOCAL, patient_id)
    assert result.added == len(frame) > 0
    assert set(frame["occurred_at"]) == {pd.Timestamp(one_time)}
    assert frame["advice"].notna().all()


@pytest.mark.parametrize(
    ("bad_row", "words"),
    [
        (
            "2026-11-24T09:30:00+00:00,Cough,6,",
            "whole number from 1 (very mild) to 5 (very severe). The file says “6”",
        ),
        ("2026-11-24T09:30:00+00:00,Cough,two,", "The file says “two”"),
        ("2026-11-24T09:30:00+00:00,Cough,2.5,", "whole number from 1"),
        ("2026-11-24T09:30:00+00:00,Cough,,", "whole number from 1"),
        ("2026-11-24T09:30:00+00:00,,2,", "Please enter a symptom"),
        (f"2026-11-24T09:30:00+00:00,{'x' * 101},2,", "under 100 characters"),
        ("2026-11-26T09:30:00+00:00,Cough,2,", "The time is in the future"),
        ("yesterday,Cough,2,", "“yesterday” is not a date and time we can read"),
        ("03/04/2026,Cough,2,", "write it like 2026-11-24 09:30"),
        (",Cough,2,", "Please give the date and time"),
        (f"2026-11-24T09:30:00+00:00,Cough,2,{'n' * 1001}", "note under 1,000 characters"),
    ],
)
def test_one_bad_row_changes_nothing_and_is_named_with_why(
    session, patient_id, vocabulary, now, bad_row, words
):
    good = "2026-11-24T08:00:00+00:00,Fever,3,\n"
    data = (HEADER + good + good.replace("Fever", "Cough") + bad_row + "\n").encode()
    with pytest.raises(ValidationError) as error:
        run_import(session, patient_id, data, "entries.csv", vocabulary, now)
    assert list(error.value.errors) == ["row 4"]
    assert words in error.value.errors["row 4"]
    assert count_entries(session, LOCAL, patient_id) == 0


def test_every_bad_row_is_listed_with_its_spreadsheet_row_number():
    data = (
        HEADER
        + "2026-11-24 08:00,Fever,9,\n"
        + "2026-11-24 08:00,Fever,3,\n"
        + '2026-11-24 08:00,Fever,3,"two\nlines"\n'
        "\n" + "2026-11-24 08:00,,0,\n"
    ).encode()
    errors = problems(data)
    assert list(errors) == ["row 2", "row 6"]  # the quoted note spans two lines but is one row
    assert "Please enter a symptom." in errors["row 6"] and "Severity must be" in errors["row 6"]


def test_an_unknown_severity_word_in_the_original_table_lists_the_words():
    data = b"Date,Symptom,Severity Level\n2026-11-20,Fever,Awful\n"
    message = problems(data)["row 2"]
    assert "(or Very mild, Mild, Moderate, Severe, Very severe). The file says “Awful”." in message


def test_unknown_advice_level_is_a_row_problem():
    data = b"occurred_at,symptom,severity,advice_level\n2026-11-24 08:00,Fever,3,panic\n"
    assert "Advice level “panic” is not one we know" in problems(data)["row 2"]


def test_reimporting_the_same_file_adds_nothing(session, logged, patient_id, vocabulary, now):
    data = to_csv(export_rows(logged))
    result = run_import(session, patient_id, data, "export.csv", vocabulary, now)
    assert (result.added, result.skipped_duplicates) == (0, 3)
    assert count_entries(session, LOCAL, patient_id) == 3


def test_duplicates_inside_the_file_collapse(session, patient_id, vocabulary, now):
    data = (
        HEADER
        + "2026-11-24T09:30:00+00:00,Headache,3,dry\n"
        + "2026-11-24 10:30:00.400+01:00,HEADACHE,3, dry \n"  # same second, case and spaces differ
        + "2026-11-24T09:30:00+00:00,Headache,4,dry\n"  # another severity: not a duplicate
    ).encode()
    result = run_import(session, patient_id, data, "entries.csv", vocabulary, now)
    assert (result.added, result.skipped_duplicates) == (2, 1)
    again = run_import(session, patient_id, data, "entries.csv", vocabulary, now)
    assert (again.added, again.skipped_duplicates) == (0, 3)


def test_another_patients_identical_entries_are_not_duplicates(session, logged, vocabulary, now):
    stranger = add_patient(session, LOCAL, "Stranger").id
    result = run_import(session, stranger, to_csv(export_rows(logged)), "export.csv", vocabulary, now)
    assert result.added == 3


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("'=SUM(A1:A9)", "=SUM(A1:A9)"),
        ("'+44 20", "+44 20"),
        ("'-3", "-3"),
        ("'@home", "@home"),
        ("''tis bad", "'tis bad"),  # the export escapes a leading apostrophe too
        ("plain", "plain"),
    ],
)
def test_formula_guard_apostrophe_of_our_csv_is_stripped(session, patient_id, vocabulary, now, cell, stored):
    header = ["occurred_at", "symptom", "severity", "note"]
    data = to_csv([["2026-11-24T09:30:00+00:00", "Cough", 2, cell]], header=header)
    run_import(session, patient_id, data, "entries.csv", vocabulary, now)
    assert list_entries(session, LOCAL, patient_id)["note"].tolist() == [stored]


@pytest.mark.parametrize(("cell", "stored"), [("'=HYPERLINK(1)", "=HYPERLINK(1)"), ("'tis bad", "'tis bad")])
def test_other_tables_lose_only_an_apostrophe_guarding_a_formula(now, cell, stored):
    data = to_xlsx([["2026-11-24", "Cough", "Mild", cell]], header=["Date", *ORIGINAL_COLUMNS], before=())
    assert parse_import(data, "original.xlsx", "UTC", now).rows[0].advice == stored


def test_files_from_our_exporter_round_trip(session, logged, vocabulary, now):
    exports = pytest.importorskip("tracker.transfer.exports")
    twin = add_patient(session, LOCAL, "Twin").id
    files = {
        "export.csv": exports.entries_csv(logged, "Europe/Berlin"),
        "export.xlsx": exports.entries_xlsx(logged, "Ada", "Europe/Berlin", now),
    }
    for filename, data in files.items():
        result = run_import(session, twin, data, filename, vocabulary, now, tz="Europe/Berlin")
        assert result.added == (3 if filename == "export.csv" else 0)  # the workbook repeats the CSV
        pd.testing.assert_frame_equal(list_entries(session, LOCAL, twin)[COMPARED], logged[COMPARED])


def zip_without_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"", "entries.csv", "The file is empty"),
        (b"  \n\n ", "entries.csv", "The file is empty"),
        (random.Random(0).randbytes(5000), "entries.csv", "not a CSV or Excel file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, "photo.png", "not a CSV or Excel file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x01\x02" * 40, "report.pdf", "not a CSV or Excel file"),
        (b"PK\x03\x04" + random.Random(1).randbytes(3000), "entries.xlsx", "damaged or not an .xlsx"),
        (zip_without_workbook(), "entries.xlsx", "damaged or not an .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.xls", "old-style .xls"),
        (b"occurred_at,symptom,severity\n", "entries.xlsx", "not an .xlsx workbook"),
        (b"occurred_at,symptom,severity\n", "entries.csv", "no entries to import"),
        (b"name,age\nAda,36\n", "people.csv", "no occurred_at, symptom, severity column"),
        (b"when,symptom,severity\n2026-11-24,Fever,2\n", "entries.csv", "no occurred_at column"),
        (b'occurred_at,symptom,severity\n2026-11-24,"' + b"x" * 200_000 + b'",2\n', "entries.csv", "damaged"),
    ],
    ids=[
        "empty",
        "blank",
        "random-bytes",
        "png",
        "pdf",
        "zip-junk",
        "zip-not-workbook",
        "old-xls",
        "text-named-xlsx",
        "header-only",
        "wrong-columns",
        "no-time-column",
        "huge-field",
    ],
)
def test_unreadable_files_give_one_plain_message(data, filename, words):
    errors = problems(data, filename)
    assert list(errors) == ["file"]
    assert words in errors["file"]
    assert "Traceback" not in errors["file"] and "openpyxl" not in errors["file"]


def test_files_over_the_size_limit_are_refused_before_reading():
    data = b"x" * (import_files.MAX_IMPORT_BYTES + 1)
    assert "the limit is 20 MB" in problems(data)["file"]


@pytest.mark.parametrize(("rows", "refused"), [(5, False), (6, True)])
def test_files_over_the_row_limit_are_refused(monkeypatch, now, rows, refused):
    monkeypatch.setattr(import_files, "MAX_IMPORT_ROWS", 5)
    data = (HEADER + "\n,,,\n" + "2026-11-24 08:00,Fever,3,\n\n" * rows).encode()  # blank rows do not count
    if refused:
        assert "more than 5 rows" in problems(data)["file"]
    else:
        assert len(parse_import(data, "entries.csv", "UTC", now).rows) == rows


def test_a_workbook_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_UNZIPPED_BYTES", 1000)
    data = to_xlsx([["2026-11-24 08:00", "Fever", 3]])
    assert "unpacks to more data than we accept" in problems(data, "entries.xlsx")["file"]


def test_excel_rows_are_numbered_as_the_sheet_shows_them():
    book = openpyxl.Workbook()
    book.active.title = "Entries"
    book.active["B3"], book.active["C3"], book.active["D3"] = "occurred_at", "symptom", "severity"
    book.active["B4"], book.active["C4"], book.active["D4"] = datetime(2026, 11, 24, 8), "Fever", 3
    book.active["B7"], book.active["C7"], book.active["D7"] = datetime(2026, 11, 24, 8), "Fever", 7
    buffer = io.BytesIO()
    book.save(buffer)
    assert list(problems(buffer.getvalue(), "entries.xlsx")) == ["row 7"]


def test_a_stray_control_character_in_a_note_is_still_text(now):
    data = (HEADER + "2026-11-24 08:00,Fever,3,copied\x0cfrom a PDF\n").encode()
    assert parse_import(data, "entries.csv", "UTC", now).rows[0].note == "copied from a PDF"


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ValidationError) as error:
        parse_import(HEADER.encode(), "entries.csv", "Mars/Olympus", datetime(2026, 11, 25, tzinfo=UTC))
    assert "not a time zone we know" in error.value.errors["tz"]


@pytest.mark.parametrize(
    ("cell", "tz", "expected"),
    [
        ("2026-07-01 09:30", "Europe/London", "2026-07-01 08:30"),  # summer time, UTC+1
        ("2026-11-02 09:30", "Europe/London", "2026-11-02 09:30"),
        ("2026-11-02T09:30:00-05:00", "Europe/London", "2026-11-02 14:30"),  # an offset wins over tz
        ("2026-11-02T09:30:00Z", "Asia/Tokyo", "2026-11-02 09:30"),
        ("2026-11-02", "Asia/Tokyo", "2026-11-01 15:00"),  # a date alone is local midnight
        ("2026-10-25 01:30", "Europe/London", "2026-10-25 00:30"),  # the repeated hour: the earlier one
        (datetime(2026, 7, 1, 9, 30), "America/New_York", "2026-07-01 13:30"),  # an Excel date cell
    ],
)
def test_naive_times_are_read_in_the_given_time_zone(now, cell, tz, expected):
    data = to_xlsx([[cell, "Cough", 2]], header=["occurred_at", "symptom", "severity"])
    plan = parse_import(data, "entries.xlsx", tz, now)
    assert plan.rows[0].occurred_at == pd.Timestamp(expected, tz="UTC")


def test_symptom_names_come_from_the_vocabulary(session, patient_id, vocabulary, now):
    data = (
        b"occurred_at,symptom,symptom_as_typed,severity\n"
        b"2026-11-24 08:00,,headahce,2\n"  # only the typed text: matched
        b"2026-11-24 08:00,Headache,sore head,2\n"  # a name picked on the form is kept
        b"2026-11-24 08:00,Tingly elbow,Tingly elbow,2\n"  # unknown when logged, known now
        b"2026-11-24 08:00,,wobbly toe,2\n"  # still unknown: kept as typed
    )
    run_import(session, patient_id, data, "entries.csv", vocabulary, now)
    frame = list_entries(session, LOCAL, patient_id)
    assert frame["symptom"].tolist() == ["Headache", "Headache", "Numbness", "wobbly toe"]
    assert frame["symptom_text"].tolist() == ["headahce", "sore head", "Tingly elbow", "wobbly toe"]


def test_text_saved_by_excel_on_windows_is_read(session, patient_id, vocabulary, now):
    data = "occurred_at;symptom;severity;note\n2026-11-24 08:00;Fever;Severe;café 38°\n".encode("cp1252")
    run_import(session, patient_id, data, "entries.csv", vocabulary, now)
    assert list_entries(session, LOCAL, patient_id)[["severity", "note"]].values.tolist() == [[4, "café 38°"]]


def test_stored_entries_are_checked_with_one_query(engine, session, logged, patient_id, vocabulary, now):
    rows = [[(now - timedelta(minutes=m)).isoformat(), "Cough", 1 + m % 5, ""] for m in range(1, 500)]
    plan = parse_import(
        to_csv(rows, header=["occurred_at", "symptom", "severity", "note"]), "e.csv", "UTC", now
    )
    reads = []
    listener = lambda *args: reads.append(args[2]) if args[2].lstrip().startswith("SELECT") else None  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        import_entries(session, LOCAL, patient_id, plan, vocabulary, now)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert sum("FROM symptom_entries" in statement for statement in reads) == 1


def test_a_failed_import_leaves_nothing_behind(factory, vocabulary, now):
    with factory.begin() as session:
        patient_id = add_patient(session, LOCAL, "Ada").id
    data = (HEADER + "2026-11-24 08:00,Fever,3,\n2026-11-24 09:00,Cough,2,\n").encode()
    plan = parse_import(data, "entries.csv", "UTC", now)
    # A row the database refuses (the check-ins are already inserted when the entries fail).
    broken = replace(plan, rows=(*plan.rows, replace(plan.rows[-1], severity=9, note="x")))
    with pytest.raises(IntegrityError), factory.begin() as session:
        import_entries(session, LOCAL, patient_id, broken, vocabulary, now)
    with factory.begin() as session:
        assert count_entries(session, LOCAL, patient_id) == 0
        assert session.scalar(select(func.count()).select_from(CheckIn)) == 0


def test_importing_for_an_unknown_patient_is_not_found(session, vocabulary, now):
    plan = parse_import((HEADER + "2026-11-24 08:00,Fever,3,\n").encode(), "entries.csv", "UTC", now)
    with pytest.raises(NotFoundError):
        import_entries(session, LOCAL, 999, plan, vocabulary, now)


def test_import_file_reads_a_path_and_explains_a_missing_one(session, patient_id, vocabulary, now, tmp_path):
    path = tmp_path / "entries.csv"
    path.write_bytes((HEADER + "2026-11-24 08:00,Fever,3,\n").encode())
    assert import_file(session, LOCAL, patient_id, path, vocabulary, "UTC", now).added == 1
    with pytest.raises(ValidationError) as error:
        import_file(session, LOCAL, patient_id, tmp_path / "gone.csv", vocabulary, "UTC", now)
    assert "Cannot open gone.csv" in error.value.errors["file"]


@pytest.fixture(scope="module")
def triager():
    from tracker.triage.engine import default_triager

    return default_triager()


def test_the_original_tables_severe_chest_pain_is_assessed_and_listed(factory, triager, now):
    with factory.begin() as session:
        patient_id = add_patient(session, LOCAL, "Ada").id
    rows = [["Chest pain", "Severe", "See a doctor."], ["Runny nose", "Mild", "Rest."]]
    data = to_xlsx(rows, header=list(ORIGINAL_COLUMNS), sheet="Sheet1", before=())
    one_time = now - timedelta(days=2)
    result = import_runs.import_upload(
        factory, LOCAL, patient_id, data, "original.xlsx", triager, "UTC", now, default_time=one_time
    )
    assert result.added == 2
    assert [(row.symptom_text, row.level) for row in result.needs_care] == [("Chest pain", "emergency")]
    with factory.begin() as session:
        frame = list_entries(session, LOCAL, patient_id).set_index("symptom")
    assert frame.loc["Chest pain", "level"] == "emergency"
    assert frame.loc["Runny nose", "level"] == "self_care"
    assert frame["advice"].str.startswith(import_runs.ASSESSED_AT_IMPORT).all()
    assert frame.loc["Chest pain", "advice"].endswith("The original app said: See a doctor.")
    assert frame["model_version"].str.endswith("+import").all()


def test_advice_the_file_already_carries_is_kept(triager, now):
    data = b"occurred_at,symptom,severity,advice_level,advice\n2026-11-24 08:00,Cough,2,see_doctor,Book.\n"
    plan = import_runs.assess_import(parse_import(data, "e.csv", "UTC", now), triager)
    assert (plan.rows[0].level, plan.rows[0].advice) == ("see_doctor", "Book.")


def test_an_import_is_written_with_a_few_bulk_statements(engine, session, patient_id, vocabulary, now):
    rows = [[(now - timedelta(minutes=m)).isoformat(), "Cough", 1 + m % 5, ""] for m in range(1, 2001)]
    header = ["occurred_at", "symptom", "severity", "note"]
    plan = parse_import(to_csv(rows, header=header), "e.csv", "UTC", now)
    writes = []
    listener = lambda *args: writes.append(args[2]) if not args[2].lstrip().startswith("SELECT") else None  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        result = import_entries(session, LOCAL, patient_id, plan, vocabulary, now)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert result.added == 2000
    assert len(writes) <= 12  # batches of many rows, not one statement per check-in
