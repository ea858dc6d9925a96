"""Field checks for measures: a definition (name, kind, unit, range) and a value against its definition.

Pure: each check returns a plain-English message or None; `require_*` raise ValidationError naming fields.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass

from tracker.diary.validation import clean_text
from tracker.errors import raise_if_any
from tracker.measures.presets import RATING_HIGH, RATING_LOW, MeasureKind, load_presets
from tracker.storage.limits import MEASURE_NAME_MAX_LENGTH, MEASURE_UNIT_MAX_LENGTH


@dataclass(frozen=True)
class MeasureDefinition:
    """A measure as the person defines it (or a preset fills it in)."""

    name: str
    kind: MeasureKind
    unit: str = ""
    low: float = RATING_LOW
    high: float = RATING_HIGH
    preset: str | None = None


@dataclass(frozen=True)
class MeasureInfo:
    """A stored measure, as pages and exports need it (no ORM object leaves the store)."""

    id: int
    name: str
    kind: MeasureKind
    unit: str
    low: float
    high: float
    preset: str | None

    @property
    def label(self) -> str:
        """Return "Temperature (°C)", or "Energy (0-4)" for a rating."""
        return f"{self.name} ({self.unit or f'{RATING_LOW:g}-{RATING_HIGH:g}'})"

    @property
    def step(self) -> float:
        """Return the step a number field offers: whole numbers for ratings and steps, else tenths."""
        return 1.0 if self.kind is MeasureKind.RATING or self.high - self.low >= 1000 else 0.1


def definition_from_preset(key: str) -> MeasureDefinition:
    """Return the definition a preset gives. Raises ValidationError for an unknown preset."""
    preset = load_presets().get(key)
    raise_if_any({"preset": None if preset else f"There is no ready-made measure called {key!r}."})
    assert preset is not None
    return MeasureDefinition(preset.name, preset.kind, preset.unit, preset.low, preset.high, preset.key)


def definition_errors(definition: MeasureDefinition) -> dict[str, str]:
    """Return field -> message for each problem with a definition (empty when it can be stored)."""
    name = clean_text(definition.name)
    errors = {}
    if not name:
        errors["name"] = "Please give the measure a name, e.g. Energy or Weight."
    elif len(name) > MEASURE_NAME_MAX_LENGTH:
        errors["name"] = f"Please keep the name to {MEASURE_NAME_MAX_LENGTH} characters."
    if definition.kind not in set(MeasureKind):
        errors["kind"] = "A measure is a 0-4 rating or a number."
    elif definition.kind is MeasureKind.NUMBER:
        if len(clean_text(definition.unit)) > MEASURE_UNIT_MAX_LENGTH:
            errors["unit"] = f"Please keep the unit to {MEASURE_UNIT_MAX_LENGTH} characters."
        if not _finite(definition.low) or not _finite(definition.high) or definition.low >= definition.high:
            errors["range"] = "The lowest valid value must be a number below the highest."
    return errors


def require_valid_definition(definition: MeasureDefinition) -> MeasureDefinition:
    """Return the definition cleaned (ratings get 0-4 and no unit). Raises ValidationError naming fields."""
    raise_if_any(definition_errors(definition))
    if definition.kind is MeasureKind.RATING:
        return MeasureDefinition(clean_text(definition.name), MeasureKind.RATING, "", RATING_LOW, RATING_HIGH)
    return MeasureDefinition(
        clean_text(definition.name),
        MeasureKind.NUMBER,
        clean_text(definition.unit),
        float(definition.low),
        float(definition.high),
        definition.preset,
    )


def value_error(measure: MeasureInfo, value: object) -> str | None:
    """Return why `value` cannot be stored for `measure`, or None: a number in range, whole for a rating."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not _finite(value):
        return f"{measure.name}: please enter a number."
    number = float(value)
    whole = number.is_integer() and RATING_LOW <= number <= RATING_HIGH
    if measure.kind is MeasureKind.RATING and not whole:
        return f"{measure.name}: please pick a whole number from {RATING_LOW} to {RATING_HIGH}."
    if not measure.low <= number <= measure.high:
        unit = f" {measure.unit}" if measure.unit else ""
        return f"{measure.name} must be between {measure.low:g} and {measure.high:g}{unit}."
    return None


def value_errors(measures: Mapping[int, MeasureInfo], values: Mapping[int, object]) -> dict[str, str]:
    """Return "measure_<id>" -> message for each value that is not valid for its measure (or unknown)."""
    errors = {}
    for measure_id, value in values.items():
        measure = measures.get(measure_id)
        message = value_error(measure, value) if measure else "This measure no longer exists."
        if message:
            errors[f"measure_{measure_id}"] = message
    return errors


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
