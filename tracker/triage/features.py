"""Feature vectors for the triage model: a check-in (canonical symptom -> severity, plus history)."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from tracker.triage.context import (
    NO_CONTEXT,
    PAIR_SEPARATOR,
    SymptomContext,
    format_symptom_pairs,
    parse_symptom_pairs,
)

__all__ = [
    "NO_CONTEXT",
    "PAIR_SEPARATOR",
    "FeatureSpace",
    "Presentation",
    "PresentationEncoder",
    "SymptomContext",
    "format_symptom_pairs",
    "parse_symptom_pairs",
]

if TYPE_CHECKING:
    from tracker.triage.safety import SafetyRules

MAX_DAYS = 7  # past a week in a row, more days tell the model nothing new
MAX_CHANGE = 4  # a severity can move at most 4 points on a 1-5 scale
SUMMARY_FEATURES = ("max_severity", "symptom_count", "days_in_row", "change", "recurrent_severity")
# Computed from the knowledge tables: the most urgent single-symptom level (0 none, 1 self care … 4
# emergency), how many symptoms need at least a doctor, and the most urgent red-flag combination.
GUIDANCE_FEATURES = ("guidance_level", "doctor_count", "combination_level")


@dataclass(frozen=True)
class Presentation:
    """What the model sees of a check-in: severity 1-5 per canonical symptom and, optionally, its history."""

    severities: Mapping[str, int]
    contexts: Mapping[str, SymptomContext] = field(default_factory=dict)


def training_presentation(
    symptoms: str, days_in_row: int, change: int | None, recurrent: bool
) -> Presentation:
    """Return the check-in of one training row; its context belongs to the row's first symptom."""
    pairs = parse_symptom_pairs(symptoms)
    context = SymptomContext(int(days_in_row), None if change is None else int(change), bool(recurrent))
    return Presentation(dict(pairs), {pairs[0][0]: context})


class FeatureSpace:
    """The columns of the feature vector: one severity per known symptom, then check-in summaries."""

    def __init__(self, symptoms: Sequence[str], rules: "SafetyRules | None" = None) -> None:
        self.symptoms: tuple[str, ...] = tuple(symptoms)
        self.rules = rules
        self.index = {name: i for i, name in enumerate(self.symptoms)}
        self.names: tuple[str, ...] = self.symptoms + SUMMARY_FEATURES + (GUIDANCE_FEATURES if rules else ())
        first = len(self.symptoms)
        self.max_col, self.count_col, self.days_col, self.change_col, self.recurrent_col = range(
            first, first + 5
        )
        self.guidance_col, self.doctor_col, self.combination_col = range(first + 5, first + 8)

    def vector(
        self, severities: Mapping[str, int], contexts: Mapping[str, SymptomContext] | None = None
    ) -> np.ndarray:
        """Return the feature vector of a check-in; names outside the space are ignored."""
        x = np.zeros(len(self.names))
        known = {name: sev for name, sev in severities.items() if name in self.index}
        for name, severity in known.items():
            x[self.index[name]] = severity
        x[self.max_col] = max(known.values(), default=0)
        x[self.count_col] = len(known)
        days, change, recurrent = 1, 0, 0
        for name, context in (contexts or {}).items():
            if name in known:
                days = max(days, min(context.days_in_row, MAX_DAYS))
                change = max(change, min(context.change or 0, MAX_CHANGE))
                recurrent = max(recurrent, known[name] if context.recurrent else 0)
        x[self.days_col], x[self.change_col], x[self.recurrent_col] = days, change, recurrent
        if self.rules is not None:
            self._add_guidance(x, known)
        return x

    def _add_guidance(self, x: np.ndarray, known: Mapping[str, int]) -> None:
        assert self.rules is not None
        ranks = [self.rules.symptoms[name].level_at(sev).rank for name, sev in known.items()]
        x[self.guidance_col] = max(ranks, default=-1) + 1
        x[self.doctor_col] = sum(rank >= 1 for rank in ranks)
        combinations = [hit.level.rank for hit in self.rules.combination_hits(known)]
        x[self.combination_col] = max(combinations, default=-1) + 1

    def matrix(self, checkins: Iterable[Presentation]) -> np.ndarray:
        """Return one feature row per check-in."""
        rows = [self.vector(checkin.severities, checkin.contexts) for checkin in checkins]
        return np.vstack(rows) if rows else np.zeros((0, len(self.names)))

    def has_context(self, x: np.ndarray) -> bool:
        """Return whether `x` carries any history (more than a day, a change, or recurrence)."""
        return bool(x[self.days_col] > 1 or x[self.change_col] != 0 or x[self.recurrent_col] > 0)

    def without_context(self, x: np.ndarray) -> np.ndarray:
        """Return a copy of `x` as if the check-in had no history."""
        plain = x.copy()
        plain[self.days_col], plain[self.change_col], plain[self.recurrent_col] = 1, 0, 0
        return plain

    def describe(self, x: np.ndarray) -> str:
        """Return the check-in of feature row `x` in words, e.g. "fever 4, cough 2 (3 days in a row)"."""
        present = sorted((-x[i], name) for name, i in self.index.items() if x[i] > 0)
        words = ", ".join(f"{name.lower()} {int(-negative)}" for negative, name in present)
        extras = []
        if x[self.days_col] > 1:
            extras.append(f"{int(x[self.days_col])} days in a row")
        if x[self.change_col] > 0:
            extras.append(f"{int(x[self.change_col])} points worse")
        if x[self.recurrent_col] > 0:
            extras.append("keeps coming back")
        return words + (f" ({', '.join(extras)})" if extras else "")


class PresentationEncoder(TransformerMixin, BaseEstimator):
    """Pipeline step: turn a sequence of `Presentation` into the feature matrix of `FeatureSpace`."""

    def __init__(self, symptoms: Sequence[str] = (), rules: "SafetyRules | None" = None) -> None:
        self.symptoms = symptoms
        self.rules = rules

    def fit(self, checkins: Sequence[Presentation], y: object = None) -> "PresentationEncoder":
        self.space_ = FeatureSpace(self.symptoms, self.rules)
        self.n_features_out_ = len(self.space_.names)
        return self

    def transform(self, checkins: Sequence[Presentation]) -> np.ndarray:
        return self.space_.matrix(checkins)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.asarray(self.space_.names, dtype=object)
