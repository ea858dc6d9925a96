import csv
import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pandas as pd
import pytest

from tracker.care_team.access import LOCAL
from tracker.charts.palette import SEVERITY_COLORS
from tracker.diary.entries import Recommendation, entries_frame, list_entries, store_check_in
from tracker.diary.patients import add_patient
from tracker.diary.validation import EntryInput
from tracker.transfer.exports import (
    EXPORT_COLUMNS,
    entries_csv,
    entries_xlsx,
    escape_cell,
    local_iso,
    text_colour_on,
    unescape_cell,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
HOSTILE = [
    "<script>alert('x')</script>",
    "=cmd|' /C calc'!A0",
    "+1 more",
    "-2 degrees",
    "@SUM(A1)",
    "'quoted already",
    'He said "ouch", then left',
    "line one\nline two",
    "Headache 🤕 after coffee ☕",
    "כאב ראש חזק",
    "ألم في الرأس",
    "x" * 1000,
]


def entries(*rows: tuple) -> pd.DataFrame:
    """Return an entries frame from (symptom, severity, "YYYY-MM-DD HH:MM" UTC[, note, typed]) rows."""
    records = []
    for i, (symptom, severity, when, *rest) in enumerate(rows):
        note = rest[0] if rest else None
        typed = rest[1] if len(rest) > 1 else symptom.lower()
        at = pd.Timestamp(when, tz="UTC")
        logged = at + pd.Timedelta(minutes=5)
        records.append(
            (i + 1, i + 1, symptom, typed, severity, at, logged, note, "see_doctor", "Call a GP.", "v1")
        )
    return entries_frame(records)


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_csv_has_the_documented_columns_in_order():
    data = entries_csv(entries(("Headache", 3, "2026-11-20 08:00")), "UTC")
    assert data.split(b"\r\n")[0].decode() == ",".join(EXPORT_COLUMNS)


def test_csv_is_utf8_without_a_byte_order_mark_with_crlf_line_ends():
    data = entries_csv(entries(("Fièvre", 2, "2026-11-20 08:00")), "UTC")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 2 and "Fièvre".encode() in data


def test_csv_row_holds_local_times_with_offset_and_plain_values():
    frame = entries(("Headache", 4, "2026-07-01 12:00", "after lunch", "head ache"))
    (row,) = read_csv(entries_csv(frame, "Europe/Paris"))
    assert row == {
        "occurred_at": "2026-07-01T14:00:00+02:00",
        "symptom": "Headache",
        "symptom_as_typed": "head ache",
        "severity": "4",
        "note": "after lunch",
        "advice_level": "see_doctor",
        "advice": "Call a GP.",
        "logged_at": "2026-07-01T14:05:00+02:00",
        "answers": "",
    }


@pytest.mark.parametrize(
    ("utc", "tz", "expected"),
    [
        ("2026-01-15 12:00", "Europe/Paris", "2026-01-15T13:00:00+01:00"),  # winter time
        ("2026-07-15 12:00", "Europe/Paris", "2026-07-15T14:00:00+02:00"),  # summer time
        ("2026-01-15 12:00", "America/St_Johns", "2026-01-15T08:30:00-03:30"),  # half-hour offset
        ("2026-01-15 23:30", "Asia/Kolkata", "2026-01-16T05:00:00+05:30"),  # next local day
        ("2026-01-15 12:00", "UTC", "2026-01-15T12:00:00+00:00"),
    ],
)
def test_local_iso_gives_the_wall_clock_and_offset_of_the_zone(utc, tz, expected):
    times = pd.Series([pd.Timestamp(utc, tz="UTC")])
    assert local_iso(times, tz).tolist() == [expected]


def test_csv_of_no_entries_is_the_header_alone():
    assert entries_csv(entries(), "UTC") == (",".join(EXPORT_COLUMNS) + "\r\n").encode()


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1", "'+1"),
        ("-2 degrees", "'-2 degrees"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("'already", "''already"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_like_cells_get_one_apostrophe_and_lose_it_on_the_way_back(text, escaped):
    assert escape_cell(text) == escaped
    assert unescape_cell(escape_cell(text)) == text


def test_csv_never_starts_a_text_cell_with_a_formula_character():
    frame = entries(*[('=HYPERLINK("x")', 2, "2026-11-20 08:00", note, "@cmd") for note in HOSTILE])
    for row in read_csv(entries_csv(frame, "UTC")):
        for column in ("symptom", "symptom_as_typed", "note", "advice_level", "advice"):
            assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_round_trips_hostile_text_exactly():
    frame = entries(*[("Headache", 3, f"2026-11-{i + 1:02d} 08:00", note) for i, note in enumerate(HOSTILE)])
    rows = read_csv(entries_csv(frame, "UTC"))
    assert [unescape_cell(row["note"]) for row in rows] == HOSTILE
    assert len(rows) == len(HOSTILE)


def test_csv_reads_back_with_pandas_to_the_same_values():
    frame = entries(("Cough", 2, "2026-11-20 08:00", "dry, at night"), ("Fever", 5, "2026-11-21 20:15"))
    back = pd.read_csv(io.BytesIO(entries_csv(frame, "Europe/London")), keep_default_na=False)
    assert back["severity"].tolist() == [2, 5]
    assert back["note"].tolist() == ["dry, at night", ""]
    assert pd.to_datetime(back["occurred_at"], utc=True).tolist() == frame["occurred_at"].tolist()


def open_workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_workbook_has_an_entries_and_a_summary_sheet():
    book = open_workbook(entries_xlsx(entries(("Cough", 2, "2026-11-20 08:00")), "Ada", "UTC", NOW))
    assert book.sheetnames == ["Entries", "Summary"]


def test_entries_sheet_has_a_bold_frozen_filtered_header_and_set_widths():
    sheet = open_workbook(entries_xlsx(entries(("Cough", 2, "2026-11-20 08:00")), "Ada", "UTC", NOW))[
        "Entries"
    ]
    assert [cell.value for cell in sheet[1]] == list(EXPORT_COLUMNS)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:I2"
    assert sheet.column_dimensions["E"].width == 60  # the note


def test_entries_sheet_holds_local_times_as_formatted_dates():
    frame = entries(("Cough", 2, "2026-07-01 12:00"))
    sheet = open_workbook(entries_xlsx(frame, "Ada", "Europe/Paris", NOW))["Entries"]
    assert sheet["A2"].value == datetime(2026, 7, 1, 14, 0)
    assert sheet["A2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["H2"].value == datetime(2026, 7, 1, 14, 5)


@pytest.mark.parametrize("severity", [1, 2, 3, 4, 5])
def test_severity_cells_are_filled_with_the_palette_colour(severity):
    sheet = open_workbook(entries_xlsx(entries(("Cough", severity, "2026-11-20 08:00")), "A", "UTC", NOW))[
        "Entries"
    ]
    cell = sheet["D2"]
    assert cell.value == severity
    assert cell.fill.fgColor.rgb == "00" + SEVERITY_COLORS[severity - 1].removeprefix("#").upper()


def test_dark_severity_colours_get_white_text_and_light_ones_black():
    assert text_colour_on(SEVERITY_COLORS[0]) == "000000"
    assert text_colour_on(SEVERITY_COLORS[-1]) == "FFFFFF"


def test_workbook_keeps_hostile_text_exact_and_never_as_a_formula():
    frame = entries(*[("Headache", 3, f"2026-11-{i + 1:02d} 08:00", note) for i, note in enumerate(HOSTILE)])
    sheet = open_workbook(entries_xlsx(frame, "=Ada", "UTC", NOW))["Entries"]
    notes = [row[4] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in notes] == HOSTILE
    assert all(cell.data_type == "s" for cell in notes)
    assert notes[1].quotePrefix and not notes[0].quotePrefix


def summary_rows(data: bytes) -> list[tuple]:
    return [tuple(row) for row in open_workbook(data)["Summary"].iter_rows(values_only=True)]


def test_summary_sheet_states_patient_period_and_counts():
    frame = entries(
        ("Cough", 2, "2026-11-20 08:00"), ("Cough", 4, "2026-11-22 08:00"), ("Fever", 3, "2026-11-22 09:00")
    )
    rows = summary_rows(entries_xlsx(frame, "Ada Lovelace", "Europe/London", NOW))
    facts = {row[0]: row[1] for row in rows if row[0]}
    assert facts["Patient"] == "Ada Lovelace"
    assert facts["Period"] == "20 Nov 2026 – 22 Nov 2026"
    assert facts["Entries"] == 3 and facts["Symptoms"] == 2
    assert facts["Time zone"] == "Europe/London"


def test_summary_sheet_has_a_row_per_symptom_with_days_mean_worst_and_trend():
    frame = entries(
        ("Cough", 1, "2026-11-21 08:00"),
        ("Cough", 3, "2026-11-23 08:00"),
        ("Cough", 5, "2026-11-25 08:00"),
        ("Cough", 5, "2026-11-25 09:00"),
        ("Fever", 3, "2026-10-01 09:00"),
    )
    rows = summary_rows(entries_xlsx(frame, "Ada", "UTC", NOW))
    header = rows.index(("Symptom", "Days logged", "Entries", "Mean severity", "Worst severity", "Trend"))
    cough, fever = rows[header + 1], rows[header + 2]
    assert cough[:5] == ("Cough", 3, 4, 3.5, 5)
    assert cough[5].startswith("Cough worsened over the last 14 days")
    assert fever[:5] == ("Fever", 1, 1, 3, 3)
    assert fever[5] == "No entries in the last 14 days"


def test_workbook_of_no_entries_has_headers_and_says_so():
    data = entries_xlsx(entries(), "Ada", "UTC", NOW)
    book = open_workbook(data)
    assert book["Entries"].max_row == 1
    facts = {row[0]: row[1] for row in summary_rows(data) if row[0]}
    assert facts["Period"] == "No entries" and facts["Entries"] == 0


def test_csv_of_stored_entries_carries_the_advice_and_empty_cells_for_what_is_missing(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    advice = Recommendation(level="urgent", advice="=Get help today", confidence=0.9, model_version="v1")
    earlier = now - timedelta(hours=2)
    store_check_in(
        session,
        LOCAL,
        patient.id,
        [EntryInput("tummy ache", 4, earlier, "-sharp")],
        ["Abdominal pain"],
        advice,
        now,
    )
    store_check_in(session, LOCAL, patient.id, [EntryInput("Cough", 2, earlier)], now=now)
    rows = read_csv(entries_csv(list_entries(session, LOCAL, patient.id), "Europe/London"))
    assert [(row["symptom"], row["symptom_as_typed"], row["note"]) for row in rows] == [
        ("Abdominal pain", "tummy ache", "'-sharp"),
        ("Cough", "Cough", ""),
    ]
    assert [(row["advice_level"], row["advice"]) for row in rows] == [
        ("urgent", "'=Get help today"),
        ("", ""),
    ]
    assert rows[0]["occurred_at"] == "2026-11-25T10:00:00+00:00"
