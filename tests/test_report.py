"""A report with chosen contents: dates and sections for the PDF, CSV and FHIR; measures in and out again."""

import csv
import io
import json
import subprocess
from datetime import UTC, date, datetime, time, timedelta

import pytest

from tracker.care_team.access import LOCAL
from tracker.cli import main
from tracker.diary.entries import store_check_in
from tracker.diary.patients import add_patient
from tracker.diary.validation import EntryInput
from tracker.errors import ValidationError
from tracker.measures.store import Reading, add_preset_measure, list_values, log_values
from tracker.medicines.doses import log_dose
from tracker.medicines.medicine_list import add_medicine
from tracker.medicines.schedule import DoseStatus, MedicineInput
from tracker.storage.engine import create_db_engine, session_factory
from tracker.transfer.exports import EXPORT_COLUMNS, MEASURE_COLUMNS
from tracker.transfer.import_writes import import_entries
from tracker.transfer.imports import parse_import
from tracker.transfer.report import export_report
from tracker.transfer.sections import ReportContents, Section, parse_sections
from tracker.triage.vocabulary import load_vocabulary


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


@pytest.fixture
def diary(session, now):
    """A profile with a headache 40 days ago and today, and temperatures 40 days ago and today."""
    patient = add_patient(session, LOCAL, "Ada")
    thermometer = add_preset_measure(session, LOCAL, patient.id, "temperature_c")
    for days_ago, severity, temperature in ((40, 2, 37.1), (0, 4, 38.4)):
        at = now - timedelta(days=days_ago, hours=1)
        store_check_in(session, LOCAL, patient.id, [EntryInput("Headache", severity, at)], now=now)
        log_values(session, LOCAL, patient.id, [Reading(thermometer.id, temperature)], at, now)
    return patient


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ("measures", {Section.MEASURES}),
        ("Summary, MEASURES,", {Section.SUMMARY, Section.MEASURES}),
        (["medicines", "measures,entries"], {Section.MEDICINES, Section.MEASURES, Section.ENTRIES}),
    ],
)
def test_sections_are_named_in_text_or_lists(names, expected):
    assert parse_sections(names) == expected


@pytest.mark.parametrize("names", ["", "measures,graphs", ["  "]])
def test_unknown_or_no_sections_are_refused_naming_the_field(names):
    with pytest.raises(ValidationError) as raised:
        parse_sections(names)
    assert "the sections are summary, timeline" in raised.value.errors["sections"]


def test_a_range_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError) as raised:
        ReportContents(date(2026, 11, 2), date(2026, 11, 1))
    assert "end" in raised.value.errors


@pytest.mark.slow  # renders a chart into the PDF
def test_a_pdf_of_the_last_30_days_with_only_measures_holds_only_that(session, diary, now):
    contents = ReportContents(now.date() - timedelta(days=29), now.date(), frozenset({Section.MEASURES}))
    report = export_report(session, LOCAL, diary.id, "pdf", "UTC", now, contents)
    text = pdf_text(report.data)
    assert "Measures" in text and "38.4" in text and "Temperature" in text
    assert "37.1" not in text, "a value from 40 days ago is outside the range"
    for other in (
        "Summary",
        "Alerts raised",
        "Newest entries",
        "Worst severity per day",
        "Factors",
        "Medicines",
    ):
        assert other not in text
    assert report.measure_values == 1


@pytest.mark.slow  # renders a chart into the PDF
def test_a_pdf_with_only_medicines_and_measures_counts_the_doses_in_its_dates(session, diary, now):
    """The doctor asked for medicines and measures of the last 30 days: doses before it do not count."""
    pill = add_medicine(
        session,
        LOCAL,
        diary.id,
        MedicineInput(
            "Propranolol", 40, "mg", "tablet", (time(8),), start_date=now.date() - timedelta(days=60)
        ),
        now.date() - timedelta(days=60),
    )
    for days_ago, status in ((45, DoseStatus.TAKEN), (2, DoseStatus.TAKEN), (1, DoseStatus.SKIPPED)):
        slot = datetime.combine(now.date() - timedelta(days=days_ago), time(8), tzinfo=UTC)
        log_dose(session, LOCAL, diary.id, pill.id, status, slot, "UTC", slot_at=slot, now=now)
    chosen = frozenset({Section.MEDICINES, Section.MEASURES})
    contents = ReportContents(now.date() - timedelta(days=29), now.date(), chosen)
    data = export_report(session, LOCAL, diary.id, "pdf", "UTC", now, contents).data
    text = pdf_text(data)
    assert "Medicines and adherence" in text and "Propranolol 40 mg" in text
    laid_out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    (row,) = [line for line in laid_out.stdout.decode().splitlines() if "Propranolol 40 mg" in line]
    # When, planned, taken, skipped, not logged, extra, taken share: the dose 45 days ago is outside.
    assert row.split()[3:] == ["08:00", "30", "1", "1", "28", "0", "3%"], row
    assert "Measures" in text and "38.4" in text
    for other in ("Summary", "Alerts raised", "Newest entries", "Factors"):
        assert other not in text


def test_a_pdf_with_every_section_has_each_heading(session, diary, now):
    text = pdf_text(export_report(session, LOCAL, diary.id, "pdf", "UTC", now).data)
    for heading in (
        "Summary",
        "Trends over the last",
        "Alerts raised",
        "Medicines and adherence",
        "Measures",
        "Factors",
        "Newest entries",
    ):
        assert heading in text
    assert "37.1" in text and "38.4" in text


def test_the_csv_holds_entries_and_measure_rows_in_time_order_within_the_range(session, diary, now):
    start = now.date() - timedelta(days=45)
    report = export_report(session, LOCAL, diary.id, "csv", "UTC", now, ReportContents(start, now.date()))
    rows = list(csv.DictReader(io.StringIO(report.data.decode())))
    assert list(rows[0]) == [*EXPORT_COLUMNS, *MEASURE_COLUMNS]
    assert [(r["symptom"], r["severity"], r["measure"], r["measure_value"]) for r in rows] == [
        ("Headache", "2", "", ""),
        ("", "", "Temperature", "37.1"),
        ("Headache", "4", "", ""),
        ("", "", "Temperature", "38.4"),
    ]
    assert rows[1]["measure_unit"] == "°C"


def test_a_csv_of_measures_only_has_no_entry_rows_and_one_without_either_is_refused(session, diary, now):
    only = ReportContents(sections=frozenset({Section.MEASURES}))
    rows = list(
        csv.DictReader(
            io.StringIO(export_report(session, LOCAL, diary.id, "csv", "UTC", now, only).data.decode())
        )
    )
    assert {row["measure"] for row in rows} == {"Temperature"}
    with pytest.raises(ValidationError) as raised:
        export_report(
            session, LOCAL, diary.id, "csv", "UTC", now, ReportContents(sections=frozenset({Section.SUMMARY}))
        )
    assert "entries and measures" in raised.value.errors["sections"]


def test_measures_round_trip_through_our_csv_without_duplicates(session, diary, now):
    data = export_report(session, LOCAL, diary.id, "csv", "Europe/Paris", now).data
    other = add_patient(session, LOCAL, "Ben")
    vocabulary = load_vocabulary()
    plan = parse_import(data, "export.csv", "UTC", now)
    first = import_entries(session, LOCAL, other.id, plan, vocabulary, now)
    again = import_entries(session, LOCAL, other.id, plan, vocabulary, now)
    assert (first.added, first.measures_added) == (2, 2)
    assert (again.added, again.measures_added) == (0, 0)
    values = list_values(session, LOCAL, other.id)
    assert values[["measure", "unit", "preset"]].drop_duplicates().values.tolist() == [
        ["Temperature", "°C", "temperature_c"]
    ]
    assert values["value"].tolist() == [37.1, 38.4]
    assert values["occurred_at"].tolist() == list_values(session, LOCAL, diary.id)["occurred_at"].tolist()


def test_an_imported_measure_value_outside_its_range_names_its_row(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    add_preset_measure(session, LOCAL, patient.id, "temperature_c")
    data = (
        "occurred_at,symptom,severity,measure,measure_value,measure_unit\r\n"
        "2026-11-20T09:00:00+00:00,,,Temperature,38.2,°C\r\n"
        "2026-11-21T09:00:00+00:00,,,Temperature,83.2,°C\r\n"
    ).encode()
    with pytest.raises(ValidationError) as raised:
        import_entries(
            session, LOCAL, patient.id, parse_import(data, "m.csv", "UTC", now), load_vocabulary(), now
        )
    assert raised.value.errors == {"row 3": "Temperature must be between 34 and 43 °C."}


def test_fhir_measure_observations_carry_loinc_and_ucum(session, diary, now):
    bundle = json.loads(export_report(session, LOCAL, diary.id, "fhir", "UTC", now).data)
    measured = [e["resource"] for e in bundle["entry"] if e["resource"].get("valueQuantity") is not None]
    assert len(measured) == 2
    latest = measured[-1]
    assert latest["code"]["coding"] == [
        {"system": "http://loinc.org", "code": "8310-5", "display": "Body temperature"}
    ]
    assert latest["valueQuantity"] == {
        "value": 38.4,
        "unit": "°C",
        "system": "http://unitsofmeasure.org",
        "code": "Cel",
    }
    assert latest["category"][0]["coding"][0]["code"] == "vital-signs"
    assert len({e["resource"]["id"] for e in bundle["entry"]}) == len(bundle["entry"])


def test_the_cli_exports_chosen_days_and_sections(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    with session_factory(create_db_engine(url)).begin() as session:
        from tracker.storage.tables import utcnow

        now = utcnow()
        patient = add_patient(session, LOCAL, "Ada")
        energy = add_preset_measure(session, LOCAL, patient.id, "energy")
        for days_ago in (1, 50):
            at = now - timedelta(days=days_ago)
            store_check_in(session, LOCAL, patient.id, [EntryInput("Headache", 3, at)], now=now)
            log_values(session, LOCAL, patient.id, [Reading(energy.id, 2)], at, now)
    out = tmp_path / "last-30.csv"
    first = (now - timedelta(days=30)).date().isoformat()
    args = ["export", "--patient", "Ada", "--format", "csv", "--out", str(out), "--database-url", url]
    assert main([*args, "--from", first, "--sections", "measures"]) == 0
    assert "Wrote 0 entries and 1 measure values" in capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [(r["symptom"], r["measure"], r["measure_value"]) for r in rows] == [("", "Energy", "2")]
    assert main([*args, "--force", "--sections", "charts"]) == 2
    assert "charts is not a section" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # argparse refuses a day it cannot read
        main([*args, "--force", "--from", "1st May"])


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_the_workbook_holds_a_sheet_per_chosen_section_within_the_range(session, diary, now):
    recent = ReportContents(now.date() - timedelta(days=29), now.date())
    every = _sheets(export_report(session, LOCAL, diary.id, "xlsx", "UTC", now, recent).data)
    assert list(every) == ["Entries", "Measures", "Summary"]
    assert [row[1:4] for row in every["Measures"][1:]] == [("Temperature", 38.4, "°C")]  # not 40 days ago
    assert len(every["Entries"]) == 2  # the header and today's headache

    measures_only = ReportContents(recent.start, recent.end, frozenset({Section.MEASURES}))
    assert list(_sheets(export_report(session, LOCAL, diary.id, "xlsx", "UTC", now, measures_only).data)) == [
        "Measures"
    ]
    summary_only = ReportContents(sections=frozenset({Section.SUMMARY}))
    assert list(_sheets(export_report(session, LOCAL, diary.id, "xlsx", "UTC", now, summary_only).data)) == [
        "Summary"
    ]


def test_a_workbook_with_none_of_its_sections_is_refused(session, diary, now):
    with pytest.raises(ValidationError) as raised:
        export_report(
            session, LOCAL, diary.id, "xlsx", "UTC", now, ReportContents(sections=frozenset({Section.TRENDS}))
        )
    assert "Excel workbook" in raised.value.errors["sections"]
