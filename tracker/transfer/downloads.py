"""One entry point for every export format, shared by the Data page and the command line."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import pandas as pd

from tracker.medicines.schedule import MedicineHistory
from tracker.transfer.exports import entries_csv, entries_xlsx
from tracker.transfer.fhir import fhir_bundle_json, snomed_codes
from tracker.transfer.report_pdf import pdf_report
from tracker.transfer.sections import ReportExtras
from tracker.triage.knowledge import load_knowledge
from tracker.triage.patient import ProfileFacts


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str
    mime: str
    suffix: str


FORMATS: dict[str, ExportFormat] = {
    f.key: f
    for f in (
        ExportFormat("csv", "CSV (spreadsheet, re-importable)", "text/csv", ".csv"),
        ExportFormat(
            "xlsx",
            "Excel workbook (entries, measures, summary)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
        ),
        ExportFormat("fhir", "FHIR R4 bundle (for clinic systems)", "application/fhir+json", ".json"),
        ExportFormat("pdf", "PDF report for your doctor", "application/pdf", ".pdf"),
    )
}


@cache
def shipped_snomed_codes() -> dict[str, str]:
    """Return symptom -> SNOMED CT code from the knowledge workbook (read once)."""
    return snomed_codes(load_knowledge().symptoms)


def export_bytes(
    fmt: str,
    entries: pd.DataFrame,
    patient_name: str,
    patient_id: int,
    tz: str,
    now: datetime,
    alerts: Sequence[str] = (),
    about: ProfileFacts | None = None,
    medicines: MedicineHistory | None = None,
    extras: ReportExtras | None = None,
) -> bytes:
    """Return the patient's entries in format `fmt` (csv, xlsx, fhir, pdf). Raises KeyError for others.

    `alerts` (one sentence each) go into the PDF report; `about` (the profile's facts) and `medicines`
    (the list and its doses) into FHIR; `extras` brings the chosen sections and the measures, cycle and
    factor findings.
    """
    measures = extras.measures if extras else None
    if fmt == "csv":
        return entries_csv(entries, tz, measures)
    if fmt == "xlsx":
        sections = extras.contents.sections if extras else None
        return entries_xlsx(entries, patient_name, tz, now, measures, sections)
    if fmt == "fhir":
        return fhir_bundle_json(
            entries, patient_name, patient_id, shipped_snomed_codes(), tz, about, medicines, measures
        )
    if fmt == "pdf":
        return pdf_report(entries, patient_name, tz, now, alerts, extras)
    raise KeyError(fmt)


def export_file_name(patient_name: str, fmt: str, now: datetime) -> str:
    """Return a safe file name such as "symptoms-ada-2026-11-25.pdf"."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in patient_name.casefold()).strip("-") or "patient"
    return f"symptoms-{slug[:40]}-{now:%Y-%m-%d}{FORMATS[fmt].suffix}"
