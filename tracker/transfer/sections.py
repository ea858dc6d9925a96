"""What a report holds: the sections a person picks and the dates it covers, checked; and the extra data.

Sections the PDF draws in this order; the CSV holds the row sections (entries, measures).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

import pandas as pd

from tracker.errors import ValidationError, raise_if_any
from tracker.insights.factors import FactorFinding

if TYPE_CHECKING:
    from tracker.medicines.schedule import MedicineHistory


class Section(StrEnum):
    SUMMARY = "summary"
    TIMELINE = "timeline"
    CALENDAR = "calendar"
    TRENDS = "trends"
    MEDICINES = "medicines"
    MEASURES = "measures"
    FACTORS = "factors"
    ALERTS = "alerts"
    ENTRIES = "entries"
    ANSWERS = "answers"


SECTION_LABELS = {
    Section.SUMMARY: "Summary",
    Section.TIMELINE: "Timeline chart",
    Section.CALENDAR: "Calendar",
    Section.TRENDS: "Trends",
    Section.MEDICINES: "Medicines and adherence",
    Section.MEASURES: "Measures",
    Section.FACTORS: "Factors (patterns)",
    Section.ALERTS: "Alerts",
    Section.ENTRIES: "Entries",
    Section.ANSWERS: "Answers to follow-up questions",
}
ALL_SECTIONS = frozenset(Section)
CSV_SECTIONS = frozenset({Section.ENTRIES, Section.MEASURES})  # the CSV's rows; the rest is for reading
XLSX_SECTIONS = frozenset({Section.ENTRIES, Section.MEASURES, Section.SUMMARY})  # the workbook's sheets
# What each table format can hold, and what to say when none of it is chosen (the PDF and FHIR always hold
# something: the PDF names the period, FHIR the patient).
ROW_FORMATS = {
    "csv": (CSV_SECTIONS, "A CSV holds entries and measures: pick at least one of them."),
    "xlsx": (XLSX_SECTIONS, "An Excel workbook holds the entries, the measures and a summary: pick one."),
}


def nothing_to_hold(fmt: str, sections: frozenset[Section]) -> str | None:
    """Return why a `fmt` file would be empty with these sections, or None when it holds something."""
    if fmt not in ROW_FORMATS:
        return None
    held, problem = ROW_FORMATS[fmt]
    return None if sections & held else problem


def parse_sections(names: str | Iterable[str]) -> frozenset[Section]:
    """Return the sections named (comma-separated text or a list). Raises ValidationError on "sections"."""
    words = (
        names.split(",") if isinstance(names, str) else [word for name in names for word in name.split(",")]
    )
    wanted = [word.strip().casefold() for word in words if word.strip()]
    unknown = [word for word in wanted if word not in set(Section)]
    if unknown or not wanted:
        known = ", ".join(Section)
        problem = f"{', '.join(unknown)} is not a section" if unknown else "Pick at least one section"
        raise ValidationError({"sections": f"{problem}; the sections are {known}."})
    return frozenset(Section(word) for word in wanted)


@dataclass(frozen=True)
class ReportContents:
    """The dates (local days, both included; None: open) and the sections a report covers."""

    start: date | None = None
    end: date | None = None
    sections: frozenset[Section] = ALL_SECTIONS

    def __post_init__(self) -> None:
        raise_if_any(
            {
                "end": "The last day must not be before the first."
                if self.start and self.end and self.end < self.start
                else None,
                "sections": "Pick at least one section." if not self.sections else None,
            }
        )

    def has(self, section: Section) -> bool:
        return section in self.sections


@dataclass(frozen=True)
class ReportExtras:
    """What a report shows beside the entries, already limited to its dates."""

    contents: ReportContents = field(default_factory=ReportContents)
    measures: pd.DataFrame | None = None  # tracker.measures.store.VALUE_COLUMNS
    cycle: pd.DataFrame | None = None  # tracker.cycles.daily.cycle_frame
    findings: Sequence[FactorFinding] = ()
    medicines: "MedicineHistory | None" = None  # the list and the doses in the chosen dates
