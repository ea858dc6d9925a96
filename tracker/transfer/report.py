"""A report with chosen contents: gather what the sections need for the chosen dates, then export it.

One entry point for the Data page and `python -m tracker export --from --to --sections`.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy.orm import Session

from tracker.alerts.inbox import alert_lines
from tracker.care_team.access import Actor, require
from tracker.cycles.daily import cycle_factors, cycle_frame
from tracker.cycles.store import period_days
from tracker.diary.entries import list_entries, list_factors
from tracker.diary.profile_facts import get_profile_facts
from tracker.diary.validation import local_now
from tracker.errors import ValidationError
from tracker.insights.analytics import local_days
from tracker.insights.factors import factor_findings
from tracker.insights.periods import local_midnight
from tracker.measures.daily import measure_factors
from tracker.measures.store import list_values
from tracker.medicines.doses import medicine_history
from tracker.transfer.downloads import export_bytes
from tracker.transfer.sections import ReportContents, ReportExtras, Section, nothing_to_hold


@dataclass(frozen=True)
class Report:
    """An exported file and what it holds."""

    data: bytes
    entries: int
    measure_values: int


def bounds(contents: ReportContents, tz: str) -> tuple[datetime | None, datetime | None]:
    """Return the aware [start, end) of the chosen local days (end is the midnight after the last day)."""
    start = local_midnight(contents.start, tz) if contents.start else None
    end = local_midnight(contents.end + timedelta(days=1), tz) if contents.end else None
    return start, end


def export_report(
    session: Session,
    actor: Actor,
    patient_id: int,
    fmt: str,
    tz: str,
    now: datetime,
    contents: ReportContents | None = None,
) -> Report:
    """Return the profile's record in format `fmt` limited to the chosen dates and sections.

    Raises ValidationError ("sections") for a CSV or workbook with none of its sections; KeyError for an
    unknown format.
    """
    contents = contents or ReportContents()
    if (problem := nothing_to_hold(fmt, contents.sections)) is not None:
        raise ValidationError({"sections": problem})
    patient = require(session, actor, patient_id)
    start, end = bounds(contents, tz)
    entries = list_entries(session, actor, patient_id, start, end)
    measures = list_values(session, actor, patient_id, start, end)
    days = None if contents.start is None else contents.start - timedelta(days=62)  # a cycle's start before
    periods = period_days(session, actor, patient_id, days, contents.end)
    cycle = cycle_frame(periods, []) if periods else None
    findings = []
    if contents.has(Section.FACTORS) and fmt == "pdf":
        extra = measure_factors(measures, tz)
        if periods:
            extra = extra + cycle_factors(periods, _entry_days(entries, tz))
        recorded = list_factors(session, actor, patient_id, start, end)
        findings = factor_findings(entries, recorded, tz, extra=extra)
    if fmt == "csv" and not contents.has(Section.ENTRIES):
        entries = entries.iloc[0:0]
    alerts = alert_lines(session, actor, patient_id, tz, start, end)
    about = get_profile_facts(session, actor, patient_id)
    shown = measures if contents.has(Section.MEASURES) else None
    # The medicine list and its doses go into FHIR, and into the PDF's medicines section when chosen.
    today = local_now(tz, now).date()
    wanted = fmt == "fhir" or (fmt == "pdf" and contents.has(Section.MEDICINES))
    medicines = medicine_history(session, actor, patient_id, today, start, end) if wanted else None
    extras = ReportExtras(contents, shown, cycle, findings, medicines)
    data = export_bytes(
        fmt, entries, patient.name, patient.id, tz, now, alerts, about, medicines=medicines, extras=extras
    )
    return Report(data, len(entries), 0 if shown is None else len(shown))


def _entry_days(entries: pd.DataFrame, tz: str) -> list[date]:
    """Return the local days with an entry."""
    return sorted({stamp.date() for stamp in local_days(entries, tz)})
