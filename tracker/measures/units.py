"""Unit conversion between the units the presets offer: °C/°F, mmol/L and mg/dL glucose, kg/lb.

Values are stored in the measure's own unit; conversion serves triage (temperature in °C) and anyone
comparing a value logged in one unit with a threshold in another.
"""

from collections.abc import Callable

from tracker.errors import ValidationError

# Glucose: 1 mmol/L is 18.016 mg/dL (molar mass of glucose 180.16 g/mol).
GLUCOSE_MG_PER_MMOL = 18.016
POUNDS_PER_KG = 2.2046226218

_CONVERSIONS: dict[tuple[str, str], Callable[[float], float]] = {
    ("°F", "°C"): lambda value: (value - 32) * 5 / 9,
    ("°C", "°F"): lambda value: value * 9 / 5 + 32,
    ("mg/dL", "mmol/L"): lambda value: value / GLUCOSE_MG_PER_MMOL,
    ("mmol/L", "mg/dL"): lambda value: value * GLUCOSE_MG_PER_MMOL,
    ("lb", "kg"): lambda value: value / POUNDS_PER_KG,
    ("kg", "lb"): lambda value: value * POUNDS_PER_KG,
}


def convert(value: float, unit: str, to: str) -> float:
    """Return `value` in `unit` expressed in `to`. Raises ValidationError when the two do not convert."""
    if unit == to:
        return float(value)
    if (unit, to) not in _CONVERSIONS:
        raise ValidationError({"unit": f"A value in {unit or 'no unit'} cannot be turned into {to}."})
    return _CONVERSIONS[unit, to](float(value))


def converts(unit: str, to: str) -> bool:
    """Return whether a value in `unit` can be expressed in `to`."""
    return unit == to or (unit, to) in _CONVERSIONS
