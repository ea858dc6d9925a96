"""Score how well the app reads lay phrasings of symptoms (`phrase_id,phrase,concept,language,kind`).

A phrase counts as read when its concept is among the concepts read; `none` rows (nothing present)
count when nothing is read. Labels that are not a canonical name map through `eval/phrase_labels.csv`.
"""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tracker.config import PROJECT_ROOT
from tracker.triage.vocabulary import Vocabulary

LABELS_FILE = PROJECT_ROOT / "eval" / "phrase_labels.csv"


@dataclass(frozen=True)
class PhraseResult:
    phrase_id: str
    kind: str
    language: str
    how: str  # "lexicon", "model" or "none": what read it
    read: bool  # the gold concept was among those read
    answered: bool  # something was read


def evaluate_phrasings(path: Path, vocabulary: Vocabulary, labels: Path = LABELS_FILE) -> list[PhraseResult]:
    """Return one result per phrase of the file at `path`."""
    mapping = _labels(labels)
    results = []
    for row in pd.read_csv(path, dtype=str, keep_default_na=False).to_dict("records"):
        gold = mapping.get(row["concept"])
        if gold is None:
            gold = {vocabulary.canonical_or_text(row["concept"])}
        reading = vocabulary.concepts(row["phrase"])
        present = set(reading.present)
        how = "none" if not present else ("model" if reading.guessed else "lexicon")
        read = not present if row["concept"] == "none" else bool(gold & present)
        results.append(PhraseResult(row["phrase_id"], row["kind"], row["language"], how, read, bool(present)))
    return results


def _labels(path: Path) -> dict[str, set[str]]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {row["label"]: {c for c in row["concepts"].split("|") if c} for row in frame.to_dict("records")}


def phrase_summary(results: list[PhraseResult]) -> dict[str, object]:
    """Return the share read overall, when something was read (precision), and by kind and language."""
    frame = pd.DataFrame([r.__dict__ for r in results])
    answered = frame[frame["answered"]]
    return {
        "phrases": len(frame),
        "read": round(float(frame["read"].mean()), 4),
        "answered": round(float(frame["answered"].mean()), 4),
        "right_when_answered": round(float(answered["read"].mean()), 4) if len(answered) else None,
        "by_how": frame.groupby("how")["read"].agg(["mean", "count"]).round(3).to_dict("index"),
        "by_kind": frame.groupby("kind")["read"].mean().round(3).to_dict(),
        "english": round(float(frame.loc[frame["language"] == "en", "read"].mean()), 4),
        "other_languages": round(float(frame.loc[frame["language"] != "en", "read"].mean()), 4),
    }
