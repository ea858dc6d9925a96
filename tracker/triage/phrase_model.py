"""A text model that maps phrasings the lexicon does not hold to a symptom concept, or abstains.

Character n-grams inside words and word n-grams (TF-IDF, scikit-learn) of every name, synonym and
translation in the knowledge tables; a phrase takes the concept of its most similar entry (cosine).
It is consulted only when the lexicon scan finds nothing, and it answers only when the similarity
clears `threshold`, set on entries held out of a trial fit so that it abstains rather than guesses;
below it the text stays "not understood". A nearest-entry model needs no class-by-class training
(304 concepts fit in about a second), and its answer can be shown: "read as X, like 'Y'".
"""

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import normalize

from tracker.triage.knowledge import Knowledge, knowledge_sha256
from tracker.triage.reading import fold

log = logging.getLogger(__name__)

MODEL_FILE = "phrase_model.joblib"
META_FILE = "phrase_model.json"
# Lay frames a synonym is seen in; "{}" is the synonym. They teach the model to ignore filler words.
HELD_OUT_SHARE = 0.2  # synonyms kept out of a trial fit to set the abstention threshold honestly
TARGET_PRECISION = 0.9  # the threshold: the lowest similarity at which held-out answers are this right
MIN_THRESHOLD = 0.3
MIN_COVERAGE = 0.05  # a threshold that answers almost nothing says nothing about its precision
PRECISION_TIE = 0.02  # below the target, precisions this close count as equal: the higher threshold wins
NEAREST_BATCH = 256  # texts compared at once: a dense block of ~5,700 entries x 256 is ~12 MB
# Words that carry no symptom: left out before matching ("i have really bad x" reads as "x").
FILLER = frozenset(
    [
        "i",
        "im",
        "ive",
        "i'm",
        "me",
        "my",
        "mine",
        "a",
        "an",
        "the",
        "and",
        "is",
        "am",
        "are",
        "was",
        "were",
        "be",
        "been",
        "have",
        "has",
        "had",
        "got",
        "get",
        "getting",
        "gotten",
        "really",
        "very",
        "so",
        "quite",
        "bit",
        "little",
        "lot",
        "lots",
        "of",
        "some",
        "just",
        "feel",
        "feels",
        "feeling",
        "like",
        "kind",
        "sort",
        "this",
        "that",
        "it",
        "its",
        "since",
        "today",
        "yesterday",
        "all",
        "day",
        "days",
        "week",
        "weeks",
        "for",
        "with",
        "in",
        "on",
        "at",
        "to",
        "from",
        "keep",
        "keeps",
        "bad",
        "terrible",
        "awful",
        "horrible",
        "mild",
        "slight",
    ]
)


@dataclass
class PhraseModel:
    """TF-IDF vectors of every lexicon entry; a phrase takes the concept of its nearest entry, or none."""

    vectorizer: FeatureUnion
    entries: Any  # sparse matrix, one L2-normalised row per entry
    labels: np.ndarray  # the concept of each entry
    threshold: float
    metadata: dict[str, Any] = field(default_factory=dict)

    def predict(self, text: str) -> tuple[str, float] | None:
        """Return (concept, similarity 0-1) for `text`, or None when nothing is close enough."""
        found = self.nearest(text)
        return found if found is not None and found[1] >= self.threshold else None

    def nearest(self, text: str) -> tuple[str, float] | None:
        """Return the nearest entry's concept and its cosine similarity (None for empty text)."""
        return self.nearest_many([text])[0]

    def nearest_many(self, texts: Sequence[str]) -> list[tuple[str, float] | None]:
        """Return `nearest` of each text, transforming them in batches (one at a time: ~14 ms each)."""
        keys = [_content(text) for text in texts]
        found: list[tuple[str, float] | None] = [None] * len(keys)
        present = [i for i, key in enumerate(keys) if key]
        for start in range(0, len(present), NEAREST_BATCH):
            batch = present[start : start + NEAREST_BATCH]
            vectors = normalize(self.vectorizer.transform([keys[i] for i in batch]))
            similarities = (self.entries @ vectors.T).toarray()  # one column per text
            for column, (i, best) in enumerate(zip(batch, similarities.argmax(axis=0), strict=True)):
                found[i] = str(self.labels[best]), float(similarities[best, column])
        return found


def _content(text: str) -> str:
    """Return the folded words of `text` without filler ("i have really bad x" → "x")."""
    return " ".join(w for w in fold(text).split() if w != "." and w not in FILLER)


def lexicon_entries(knowledge: Knowledge) -> list[tuple[str, str]]:
    """Return (entry, concept) for every name, synonym and translation of the tables."""
    pairs = []
    for row in knowledge.symptoms.to_dict("records"):
        for text in [row["symptom"], *str(row["synonyms"]).split("|")]:
            if (key := _content(text)) and (key, row["symptom"]) not in pairs:
                pairs.append((key, row["symptom"]))
    return pairs


def build_vectorizer() -> FeatureUnion:
    """Return the unfitted text features: character n-grams inside words, and words and word pairs."""
    return FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
        ]
    )


def fit_phrase_model(pairs: list[tuple[str, str]], threshold: float) -> PhraseModel:
    """Return a phrase model over `pairs` (entry, concept)."""
    vectorizer = build_vectorizer()
    entries = normalize(vectorizer.fit_transform([text for text, _ in pairs]))
    return PhraseModel(vectorizer, entries, np.array([concept for _, concept in pairs]), threshold)


def train_phrase_model(knowledge: Knowledge, knowledge_path: Path) -> PhraseModel:
    """Return the phrase model on the tables, its threshold set on synonyms held out of a trial fit."""
    start = time.perf_counter()
    pairs = lexicon_entries(knowledge)
    names = {_content(name) for name in knowledge.symptoms["symptom"]}
    probe_index = {i for i, (text, _) in enumerate(pairs) if text not in names and _held_out(text)}
    trial = fit_phrase_model([p for i, p in enumerate(pairs) if i not in probe_index], 0.0)
    probe = [pairs[i] for i in sorted(probe_index)]
    threshold, precision, coverage = _choose_threshold(trial, probe)
    model = fit_phrase_model(pairs, threshold)
    model.metadata = {
        "data_sha256": knowledge_sha256(knowledge_path),
        "concepts": len(set(model.labels)),
        "entries": len(pairs),
        "threshold": threshold,
        "held_out_entries": len(probe),
        "held_out_precision_at_threshold": precision,
        "held_out_coverage_at_threshold": coverage,
        "target_precision": TARGET_PRECISION,
        "sklearn_version": sklearn.__version__,
        "seconds": round(time.perf_counter() - start, 1),
    }
    return model


def _held_out(text: str) -> bool:
    """Return whether an entry is kept out of the trial fit: by a hash of its words, not its row, so
    that adding a synonym does not reshuffle which others are held out (and move the threshold)."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % 1000 < HELD_OUT_SHARE * 1000


def _choose_threshold(model: PhraseModel, probe: list[tuple[str, str]]) -> tuple[float, float, float]:
    """Return the lowest similarity at which held-out answers are TARGET_PRECISION right, and its figures.

    When no threshold reaches the target, the highest one within PRECISION_TIE of the most precise that
    still answers MIN_COVERAGE of them: precision is nearly flat below the target, and the argmax of a
    flat, noisy curve would jump between thresholds (and guesses) with every edit.
    """
    found = model.nearest_many([text for text, _ in probe])
    scores = np.array([f[1] if f else 0.0 for f in found])
    right = np.array([bool(f and f[0] == concept) for f, (_, concept) in zip(found, probe, strict=True)])
    options = []
    for threshold in np.arange(MIN_THRESHOLD, 0.96, 0.025):
        answered = scores >= threshold
        if answered.mean() >= MIN_COVERAGE:
            options.append(
                (round(float(threshold), 3), float(right[answered].mean()), float(answered.mean()))
            )
    if not options:
        return 0.95, 0.0, 0.0
    good = [option for option in options if option[1] >= TARGET_PRECISION]
    best = max(option[1] for option in options)
    near = [option for option in options if option[1] >= best - PRECISION_TIE]
    threshold, precision, coverage = good[0] if good else near[-1]
    return threshold, round(precision, 3), round(coverage, 3)


def save_phrase_model(model: PhraseModel, out_dir: Path) -> Path:
    """Write the model and its JSON metadata to `out_dir`; return the model's path. Raises OSError."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / MODEL_FILE
    joblib.dump(model, target)
    (out_dir / META_FILE).write_text(json.dumps(model.metadata, indent=2, sort_keys=True) + "\n")
    return target


def load_phrase_model(model_dir: Path, knowledge_path: Path) -> PhraseModel | None:
    """Return the saved phrase model when it matches the tables and this scikit-learn, else None."""
    try:
        metadata = json.loads((model_dir / META_FILE).read_text())
    except (OSError, ValueError):
        return None
    current = knowledge_sha256(knowledge_path) if knowledge_path.exists() else None
    if metadata.get("sklearn_version") != sklearn.__version__ or (
        current is not None and metadata.get("data_sha256") != current
    ):
        log.info("Not using the phrase model in %s: it does not match the tables", model_dir)
        return None
    try:
        model = joblib.load(model_dir / MODEL_FILE)
    except Exception as error:  # a damaged or foreign file: the lexicon alone still works
        log.warning("Cannot load the phrase model in %s: %s", model_dir, error)
        return None
    return model if isinstance(model, PhraseModel) else None
