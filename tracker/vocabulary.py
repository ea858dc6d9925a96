"""Symptom vocabulary: map what a person types to a canonical symptom name."""

import re
from dataclasses import dataclass
from enum import StrEnum
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from tracker.config import DATA_DIR

KNOWLEDGE_FILE = DATA_DIR / "knowledge.xlsx"
SYMPTOMS_SHEET = "symptoms"
SYNONYM_SEPARATOR = "|"
# ratio >= 85 accepts one swapped or missing letter in a word of eight ("headahce"),
# yet refuses a different word of similar length ("heartache" vs "headache" scores 82).
FUZZY_CUTOFF = 85.0


class MatchMethod(StrEnum):
    EXACT = "exact"
    SYNONYM = "synonym"
    FUZZY = "fuzzy"
    NONE = "none"


@dataclass(frozen=True)
class SymptomMatch:
    """What typed text resolved to; `canonical` is None when nothing matched."""

    text: str
    canonical: str | None
    method: MatchMethod
    score: float


def normalise(text: str) -> str:
    """Return `text` lower-cased with runs of white space and punctuation folded to one space."""
    folded = re.sub(r"[\s_\-.,;:!?]+", " ", text.casefold())
    return folded.replace("’", "'").strip()


class Vocabulary:
    """Canonical symptom names and their lay synonyms."""

    def __init__(self, names: Sequence[str], synonyms: Mapping[str, str]) -> None:
        self.names: tuple[str, ...] = tuple(names)
        self.synonyms: dict[str, str] = {normalise(k): v for k, v in synonyms.items()}
        self._exact = {normalise(name): name for name in self.names}
        self._choices = {**self.synonyms, **self._exact}
        self._choice_keys = list(self._choices)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> "Vocabulary":
        """Build from a table with columns `symptom` and `synonyms` ("|"-separated)."""
        names = [str(name).strip() for name in frame["symptom"]]
        synonyms: dict[str, str] = {}
        for name, raw in zip(names, frame["synonyms"].fillna(""), strict=True):
            for synonym in str(raw).split(SYNONYM_SEPARATOR):
                if synonym.strip():
                    synonyms.setdefault(normalise(synonym), name)
        return cls(names, synonyms)

    def match(self, text: str) -> SymptomMatch:
        """Return the canonical symptom for `text`: exact name, then synonym, then a close typo."""
        key = normalise(text)
        if name := self._exact.get(key):
            return SymptomMatch(text, name, MatchMethod.EXACT, 100.0)
        if name := self.synonyms.get(key):
            return SymptomMatch(text, name, MatchMethod.SYNONYM, 100.0)
        found = process.extractOne(key, self._choice_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if found is not None and key:
            return SymptomMatch(text, self._choices[found[0]], MatchMethod.FUZZY, float(found[1]))
        return SymptomMatch(text, None, MatchMethod.NONE, 0.0)

    def canonical_or_text(self, text: str) -> str:
        """Return the canonical name, or the text as typed (trimmed) when nothing matches."""
        return self.match(text).canonical or " ".join(text.split())

    def suggest(self, text: str, limit: int = 8) -> list[str]:
        """Return canonical names that start with, contain or resemble `text`, best first."""
        key = normalise(text)
        if not key:
            return list(self.names[:limit])
        hits = process.extract(key, self._choice_keys, scorer=fuzz.WRatio, limit=limit * 4)
        ordered = dict.fromkeys(self._choices[hit[0]] for hit in hits if hit[1] >= 60)
        return list(ordered)[:limit]


@cache
def load_vocabulary(path: Path = KNOWLEDGE_FILE) -> Vocabulary:
    """Return the vocabulary from the `symptoms` sheet of the knowledge workbook."""
    frame = pd.read_excel(path, sheet_name=SYMPTOMS_SHEET, dtype=str)
    return Vocabulary.from_frame(frame)
