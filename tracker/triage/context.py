"""Light types shared by triage, safety, alerts and outcomes: a symptom's history context, symptom pairs.

Kept apart from `tracker.triage.features` (which needs scikit-learn) so alerts, reminders and notify load
without the model's libraries.
"""

from collections.abc import Iterable
from dataclasses import dataclass

PAIR_SEPARATOR = ";"


@dataclass(frozen=True)
class SymptomContext:
    """What the history says about one symptom at the time of a check-in."""

    days_in_row: int = 1  # consecutive days (ending today) on which it was logged, today included
    change: int | None = None  # severity now minus the patient's previous report of it
    recurrent: bool = False  # logged before, with a gap of days without it


NO_CONTEXT = SymptomContext()


def parse_symptom_pairs(text: str) -> list[tuple[str, int]]:
    """Return [(name, severity), …] from "Headache:3;tummy ache:2". Raises ValueError when malformed."""
    pairs = []
    for part in str(text).split(PAIR_SEPARATOR):
        if part.strip():
            name, separator, severity = part.rpartition(":")
            if not separator or not name.strip():
                raise ValueError(f"expected NAME:SEVERITY, got {part.strip()!r}")
            pairs.append((name.strip(), int(severity)))
    return pairs


def format_symptom_pairs(pairs: Iterable[tuple[str, int]]) -> str:
    """Return "Headache:3;Fever:2" for [("Headache", 3), ("Fever", 2)]."""
    return PAIR_SEPARATOR.join(f"{name}:{severity}" for name, severity in pairs)
