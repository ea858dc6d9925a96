"""Triage: turn a check-in into a recommendation (model + red-flag safety layer).

INTERIM VERSION: a severity-only placeholder with the final public interface; the
model-backed implementation replaces the body of `Triager.assess`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from tracker.levels import TriageLevel
from tracker.vocabulary import Vocabulary, load_vocabulary

__all__ = ["Assessment", "SymptomContext", "TriageLevel", "Triager", "assess", "default_triager"]


@dataclass(frozen=True)
class SymptomContext:
    """What the history says about one symptom at the time of a check-in."""

    days_in_row: int = 1  # consecutive days (ending today) on which it was logged, today included
    change: int | None = None  # severity now minus the patient's previous report of it
    recurrent: bool = False  # logged before, with a gap of days without it


@dataclass(frozen=True)
class Assessment:
    """A recommendation: what to do, why, and how sure we are."""

    level: TriageLevel
    advice: str
    confidence: float
    reasons: tuple[str, ...]
    matched: dict[str, str | None]
    model_version: str = "interim"
    crisis: bool = False  # self-harm wording: show the crisis line, not just the emergency number
    details: dict[str, object] = field(default_factory=dict)


class Triager:
    """Holds the loaded vocabulary and model; `assess` is pure given them."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.model_version = "interim"

    def assess(
        self,
        symptoms: Mapping[str, int],
        context: Mapping[str, SymptomContext] | None = None,
        note: str = "",
    ) -> Assessment:
        """Return the recommendation for a check-in of typed symptom -> severity (1-5)."""
        matched = {text: self.vocabulary.match(text).canonical for text in symptoms}
        worst = max(symptoms.values(), default=1)
        level = [TriageLevel.SELF_CARE] * 3 + [TriageLevel.SEE_DOCTOR, TriageLevel.URGENT]
        chosen = level[worst - 1]
        if any(matched[t] in {"Chest pain", "Shortness of breath"} and s >= 4 for t, s in symptoms.items()):
            chosen = TriageLevel.EMERGENCY
        return Assessment(
            level=chosen,
            advice=chosen.label,
            confidence=0.5,
            reasons=(f"The most severe symptom is at {worst} of 5.",),
            matched=matched,
        )


@cache
def default_triager() -> Triager:
    """Return the triager built from the shipped data and model (loaded once per process)."""
    return Triager(load_vocabulary())


def assess(
    symptoms: Mapping[str, int],
    context: Mapping[str, SymptomContext] | None = None,
    note: str = "",
) -> Assessment:
    """Return the recommendation for `symptoms` (typed name -> severity 1-5)."""
    return default_triager().assess(symptoms, context, note)
