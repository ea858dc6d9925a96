"""The measures a person can add in one tap, from data/measure_presets.csv: unit, valid range, codes.

Facts, not code: each row names its unit, the range a real value falls in, its UCUM unit and LOINC code
(for FHIR) and a source. A custom measure has no preset: its unit is the person's own text.
"""

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from tracker.config import DATA_DIR

PRESETS_FILE = DATA_DIR / "measure_presets.csv"
RATING_LOW, RATING_HIGH = 0, 4
RATING_WORDS = {0: "None", 1: "A little", 2: "Some", 3: "A lot", 4: "Very much"}
# Presets whose values triage reads as a measured body temperature (see tracker.triage.patient).
TEMPERATURE_PRESETS = ("temperature_c", "temperature_f")


class MeasureKind(StrEnum):
    RATING = "rating"  # a whole number 0-4
    NUMBER = "number"  # a number with a unit, within a valid range


@dataclass(frozen=True)
class Preset:
    """One ready-made measure: what it is called, its kind, unit, valid range and codes."""

    key: str
    name: str
    kind: MeasureKind
    unit: str
    low: float
    high: float
    ucum: str
    loinc: str
    loinc_display: str
    category: str  # the FHIR observation-category code: vital-signs, laboratory, activity, exam, survey

    @property
    def label(self) -> str:
        """Return the preset as offered, e.g. "Temperature (°C)" or "Energy (0-4)"."""
        return f"{self.name} ({self.unit or f'{RATING_LOW}-{RATING_HIGH}'})"


@cache
def load_presets(path: Path = PRESETS_FILE) -> dict[str, Preset]:
    """Return preset key -> Preset in the file's order.

    Raises ValueError naming the line of a row with an unknown kind, a range that is not low < high,
    or a repeated key.
    """
    presets: dict[str, Preset] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                preset = Preset(
                    row["preset"].strip(),
                    row["name"].strip(),
                    MeasureKind(row["kind"].strip()),
                    row["unit"].strip(),
                    float(row["low"]),
                    float(row["high"]),
                    row["ucum"].strip(),
                    row["loinc"].strip(),
                    row["loinc_display"].strip(),
                    row["category"].strip(),
                )
            except (KeyError, ValueError) as error:
                raise ValueError(f"{path.name} line {line}: {error}") from error
            if not preset.low < preset.high or preset.key in presets or not preset.name:
                raise ValueError(f"{path.name} line {line}: needs a name, low < high and a new key")
            presets[preset.key] = preset
    return presets
