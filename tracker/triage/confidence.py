"""Confidence that means something: how often advice of the same kind was right on independent cases.

A recommendation's confidence is the share of independent development cases, decided the same way (an
emergency phrase, a red-flag combination, a symptom's own table level, an unrecognised symptom, the
model …) and at the same level, whose advice was exactly the level guidance gives, shrunk towards
broader rates where there are few such cases.
Expected calibration error (ECE) and a reliability table say how well that holds on other cases.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.config import MODELS_DIR

CONFIDENCE_FILE = "confidence.json"
SHRINK_CASES = 8  # a basis seen in few cases leans on the overall rate as if it had this many more
BINS = 10
MAX_CONFIDENCE = 0.99
MIN_CONFIDENCE = 0.05


def basis_of(deciding_rules: Sequence[str], model_level: str | None) -> str:
    """Return how a recommendation was decided: the kind of its first deciding rule, else "model"."""
    if deciding_rules:
        return deciding_rules[0].split(":", 1)[0]
    return "model" if model_level else "none"


@dataclass(frozen=True)
class Calibration:
    """Acceptable-advice rates by basis, learned from independent cases."""

    rates: Mapping[str, float]
    overall: float
    cases: int
    source: str

    def confidence(self, basis: str, level: str = "") -> float:
        """Return the calibrated confidence for advice at `level` decided by `basis`."""
        rate = self.rates.get(f"{basis}/{level}", self.rates.get(basis, self.overall))
        return round(min(max(rate, MIN_CONFIDENCE), MAX_CONFIDENCE), 4)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rates": dict(self.rates),
            "overall": self.overall,
            "cases": self.cases,
            "source": self.source,
        }


def fit_calibration(outcomes: Sequence[tuple[str, bool]], source: str) -> Calibration:
    """Return the rate of exactly right advice per basis ("phrase", "symptom/urgent" …), shrunk.

    A key "basis/level" leans on its basis, and a basis on the overall rate, as if each had
    SHRINK_CASES more cases at the broader rate: few cases never make a confident-looking number.
    """
    overall = sum(ok for _, ok in outcomes) / len(outcomes) if outcomes else 0.5
    by_basis = _rates([(key.split("/")[0], ok) for key, ok in outcomes], lambda _: overall)
    by_key = _rates(list(outcomes), lambda key: by_basis[key.split("/")[0]])
    return Calibration({**by_basis, **by_key}, round(overall, 4), len(outcomes), source)


def _rates(outcomes: Sequence[tuple[str, bool]], prior: Any) -> dict[str, float]:
    counts: dict[str, list[int]] = {}
    for key, ok in outcomes:
        seen = counts.setdefault(key, [0, 0])
        seen[0] += int(ok)
        seen[1] += 1
    return {
        key: round((right + SHRINK_CASES * prior(key)) / (total + SHRINK_CASES), 4)
        for key, (right, total) in sorted(counts.items())
    }


def reliability(pairs: Sequence[tuple[float, bool]], bins: int = BINS) -> list[dict[str, float]]:
    """Return per confidence bin: mean confidence, share acceptable, and case count (empty bins left out)."""
    table = []
    for i in range(bins):
        low, high = i / bins, (i + 1) / bins
        inside = [(c, ok) for c, ok in pairs if low <= c < high or (i == bins - 1 and c == 1.0)]
        if inside:
            table.append(
                {
                    "from": low,
                    "to": high,
                    "confidence": round(sum(c for c, _ in inside) / len(inside), 4),
                    "acceptable": round(sum(ok for _, ok in inside) / len(inside), 4),
                    "cases": len(inside),
                }
            )
    return table


def expected_calibration_error(pairs: Sequence[tuple[float, bool]], bins: int = BINS) -> float:
    """Return ECE: the case-weighted mean gap between confidence and the share acceptable, per bin."""
    if not pairs:
        return 0.0
    table = reliability(pairs, bins)
    return round(
        sum(row["cases"] * abs(row["confidence"] - row["acceptable"]) for row in table) / len(pairs), 4
    )


def save_calibration(calibration: Calibration, model_dir: Path = MODELS_DIR) -> Path:
    """Write the calibration beside the model; return its path. Raises OSError."""
    path = Path(model_dir) / CONFIDENCE_FILE
    path.write_text(json.dumps(calibration.to_dict(), indent=2, sort_keys=True) + "\n")
    return path


def load_calibration(model_dir: Path = MODELS_DIR) -> Calibration | None:
    """Return the saved calibration, or None when there is none (raw confidences are used then)."""
    try:
        data = json.loads((Path(model_dir) / CONFIDENCE_FILE).read_text())
        return Calibration(
            dict(data["rates"]), float(data["overall"]), int(data["cases"]), str(data["source"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
