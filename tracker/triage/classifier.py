"""The triage model: compare classifiers by a safety-weighted cost, calibrate the best one, persist it.

`train()` is deterministic (fixed seeds, at most 2 threads). `load_model()` never fails for a missing,
stale or incompatible model file: it retrains on the spot and saves to `models/`, or to the state
folder when `models/` cannot be written.
"""

import json
import logging
import os
import pickle
import platform
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sklearn
from scipy import sparse
from sklearn.base import ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, log_loss
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from tracker.config import MODELS_DIR, state_dir
from tracker.levels import TriageLevel
from tracker.triage.features import (
    FeatureSpace,
    Presentation,
    PresentationEncoder,
    SymptomContext,
    training_presentation,
)
from tracker.triage.knowledge import (
    KNOWLEDGE_FILE,
    AdviceBook,
    Knowledge,
    KnowledgeError,
    file_sha256,
    load_knowledge,
    validate_knowledge,
)
from tracker.triage.phrase_model import train_phrase_model
from tracker.triage.safety import SafetyRules
from tracker.triage.vocabulary import Vocabulary

log = logging.getLogger(__name__)

MODEL_FILE = "triage_model.joblib"
META_FILE = "triage_model.json"
FORMAT_VERSION = 4  # bump when TriageModel changes shape: older files are then retrained, not unpickled
# The model is written with pickle's highest protocol (joblib.load reads such a file too): Python's C
# unpickler loads it in ~0.1 s, where joblib's own unpickler, written in Python, took ~0.6 s.
PICKLE_PROTOCOL = pickle.HIGHEST_PROTOCOL
SEED = 7
FOLDS = 3  # ~7,800 generated rows: 3 folds are enough to rank models by how well they copy the tables
N_JOBS = 2  # the app runs on small hosts: never more than two cores
NEIGHBOURS = 3
PRESENCE_WEIGHT = 3.0  # a symptom present in one check-in and not the other outweighs 3 points of severity
LEVELS: tuple[TriageLevel, ...] = tuple(TriageLevel)  # class k of the model is LEVELS[k] (rank order)
# Cost of predicting column j when the guidance level is row i (self care, see doctor, urgent, emergency).
# Sending someone to care they did not need costs 1 per step; keeping someone from care they needed costs
# far more, most of all for an emergency: a missed emergency (100) outweighs 33 needless emergency calls.
COST_MATRIX = np.array(
    [
        [0, 1, 2, 3],
        [5, 0, 1, 2],
        [20, 5, 0, 1],
        [100, 50, 20, 0],
    ]
)
CALIBRATION = "temperature"  # one parameter for all four classes; keeps the model's ranking of levels


def _candidates() -> dict[str, ClassifierMixin]:
    return {
        "logistic_regression": LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced"),
        # 30 shallow rounds fit as well as 100 in cross-validation and predict 3x faster (trees are walked
        # one by one in Python, 4 per round): that keeps assess() under 2 ms.
        "hist_gradient_boosting": HistGradientBoostingClassifier(
            max_iter=30,
            learning_rate=0.3,
            max_leaf_nodes=15,
            class_weight="balanced",
            early_stopping=False,
            random_state=SEED,
        ),
    }
    # The random forest copied the tables as well as boosting but took ~100 ms to predict one check-in
    # (100 trees, each walked in Python): far over assess()'s 3 ms budget, so it is no longer a candidate.
    # The RBF support vector machine was dropped when the tables grew to 300 symptoms: it took half of
    # the training time, was never the cheapest, and cross-validation on rows generated from the tables
    # only measures how faithfully a model copies them (the independent cases measure the advice).


CANDIDATES: tuple[str, ...] = tuple(_candidates())


def safety_cost(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Return the mean cost per case under COST_MATRIX (labels are level ranks 0-3)."""
    return float(COST_MATRIX[np.asarray(y_true, int), np.asarray(y_pred, int)].mean())


def score_predictions(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """Return cost, accuracy, macro F1, under-triage rate and emergency sensitivity of predictions."""
    emergencies = y_true == LEVELS.index(TriageLevel.EMERGENCY)
    return {
        "cost": round(safety_cost(y_true, y_pred), 4),
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 4),
        "macro_f1": round(float(f1_score(y_true, y_pred, average="macro")), 4),
        "under_triage_rate": round(float(np.mean(y_pred < y_true)), 4),
        "emergency_sensitivity": round(float(np.mean(y_pred[emergencies] == y_true[emergencies])), 4),
    }


def _folds() -> StratifiedKFold:
    return StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)


def build_pipeline(estimator: ClassifierMixin, symptoms: Sequence[str], rules: SafetyRules) -> Pipeline:
    """Return check-in encoder -> scaler -> temperature-calibrated `estimator`."""
    calibrated = CalibratedClassifierCV(estimator, method=CALIBRATION, cv=_folds(), ensemble=False)
    encoder = PresentationEncoder(tuple(symptoms), rules)
    steps = [("encode", encoder), ("scale", StandardScaler()), ("model", calibrated)]
    return Pipeline(steps)


@dataclass(frozen=True)
class NeighbourIndex:
    """The distinct training check-ins, for "similar examples" by Euclidean distance.

    Which symptoms are present counts most (PRESENCE_WEIGHT per symptom differing), then their
    severities and the history; the guidance features are left out.
    """

    columns: np.ndarray
    vectors: sparse.csr_matrix  # a check-in names a handful of 300 symptoms: sparse rows, fast products
    norms: np.ndarray
    ranks: np.ndarray
    texts: tuple[str, ...]

    @classmethod
    def build(cls, X: np.ndarray, y: np.ndarray, space: FeatureSpace) -> "NeighbourIndex":
        history = [space.days_col, space.change_col, space.recurrent_col]
        columns = np.array([*range(len(space.symptoms)), *history])
        unique, first = np.unique(X, axis=0, return_index=True)
        dense = cls._points(unique, columns, len(space.symptoms))
        norms = (dense.astype(np.float64) ** 2).sum(axis=1)
        vectors = sparse.csr_matrix(dense)
        texts = tuple(space.describe(row) for row in unique)
        return cls(columns, vectors, norms, y[first].astype(np.int8), texts)

    @staticmethod
    def _points(X: np.ndarray, columns: np.ndarray, symptoms: int) -> np.ndarray:
        selected = np.atleast_2d(X)[:, columns]
        presence = (selected[:, :symptoms] > 0) * PRESENCE_WEIGHT
        return np.hstack([presence, selected]).astype(np.float32)

    def nearest(
        self, x: np.ndarray, k: int = NEIGHBOURS, level: TriageLevel | None = None
    ) -> list[dict[str, Any]]:
        """Return the `k` training examples closest to feature vector `x` (only those at `level` if given)."""
        point = self._points(x, self.columns, len(self.columns) - 3)[0]
        distances = self.norms - 2.0 * (self.vectors @ point) + float(point.astype(np.float64) @ point)
        if level is not None:
            distances = np.where(self.ranks == level.rank, distances, np.inf)
        k = min(k, int(np.isfinite(distances).sum()))
        if k == 0:
            return []
        best = np.argpartition(distances, k - 1)[:k]
        best = best[np.argsort(distances[best], kind="stable")]
        return [
            {
                "symptoms": self.texts[i],
                "level": str(LEVELS[int(self.ranks[i])]),
                "distance": round(float(max(distances[i], 0.0)) ** 0.5, 3),
            }
            for i in best
        ]


@dataclass(frozen=True)
class ModelView:
    """What the model says about one check-in, with the features that pushed it."""

    level: TriageLevel
    confidence: float
    probabilities: dict[str, float]
    top_features: list[dict[str, Any]]
    similar: list[dict[str, Any]]
    vector: np.ndarray  # the check-in's feature row


class TriageModel:
    """The fitted pipeline plus everything needed to use it without re-reading the workbook."""

    def __init__(
        self,
        pipeline: Pipeline,
        rules: SafetyRules,
        advice: AdviceBook,
        vocabulary: Vocabulary,
        neighbours: NeighbourIndex,
        metadata: dict[str, Any],
    ) -> None:
        self.pipeline = pipeline
        self.rules = rules
        self.advice = advice
        self.vocabulary = vocabulary
        self.neighbours = neighbours
        self.metadata = metadata
        self._prepare()

    def _prepare(self) -> None:
        self.space: FeatureSpace = self.pipeline.named_steps["encode"].space_
        self._scaler = self.pipeline.named_steps["scale"]
        self._calibrated = self.pipeline.named_steps["model"]

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        for derived in ("space", "_scaler", "_calibrated"):
            state.pop(derived, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._prepare()

    @property
    def version(self) -> str:
        """Return e.g. "hist_gradient_boosting-1a2b3c4d" (chosen model and data hash)."""
        return str(self.metadata.get("model_version", "unknown"))

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        """Return calibrated probabilities (columns in level order) for feature rows `X`."""
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            return self._calibrated.predict_proba(self._scaler.transform(X))

    def view(self, severities: Mapping[str, int], contexts: Mapping[str, SymptomContext]) -> ModelView:
        """Return the model's level for a check-in of known symptoms, and what pushed it there.

        One batch holds the check-in and, for each symptom, the check-in without it: the drop in the
        chosen level's log-odds is that symptom's weight (occlusion), in patient-readable terms.
        """
        x = self.space.vector(severities, contexts)
        names = list(severities)
        rows = [x] + [
            self.space.vector({n: s for n, s in severities.items() if n != name}, contexts) for name in names
        ]
        with_context = self.space.has_context(x)
        if with_context:
            rows.append(self.space.without_context(x))
        probs = self.probabilities(np.vstack(rows))
        best = int(np.argmax(probs[0]))
        # Log-odds, not probabilities: a confident model moving from 0.9999 to 0.999 still ranks.
        chosen = np.clip(probs[:, best], 1e-9, 1 - 1e-9)
        log_odds = np.log(chosen) - np.log1p(-chosen)
        drops = log_odds[0] - log_odds[1:]
        labels = [(name, severities[name]) for name in names] + ([("history", 0)] if with_context else [])
        # Differences under 0.05 in log-odds are noise: then the more severe symptom is named first.
        order = sorted(range(len(labels)), key=lambda i: (-round(float(drops[i]) / 0.05), -labels[i][1], i))
        top = [
            {"feature": labels[i][0], "severity": labels[i][1] or None, "weight": round(float(drops[i]), 3)}
            for i in order
        ]
        return ModelView(
            level=LEVELS[best],
            confidence=float(probs[0, best]),
            probabilities={str(level): round(float(p), 4) for level, p in zip(LEVELS, probs[0], strict=True)},
            top_features=top,
            similar=self.neighbours.nearest(x),
            vector=x,
        )


@dataclass(frozen=True)
class TrainResult:
    """A freshly trained model, its metadata, where it was saved (None: not saved) and how long it took."""

    model: TriageModel
    metadata: dict[str, Any]
    path: Path | None
    seconds: float = field(default=0.0)

    def summary(self) -> str:
        """Return the cross-validation table and the choice, as plain text."""
        lines = [f"{'model':24} {'cost':>7} {'accuracy':>9} {'macro F1':>9} {'under':>7}"]
        for name, score in self.metadata["candidates"].items():
            mark = "  <- chosen" if name == self.metadata["chosen"] else ""
            lines.append(
                f"{name:24} {score['cost']:7.3f} {score['accuracy']:9.3f} {score['macro_f1']:9.3f} "
                f"{score['under_triage_rate']:7.3f}{mark}"
            )
        where = f"saved to {self.path}" if self.path else "not saved"
        lines.append(f"{self.metadata['training_rows']} rows, {self.seconds:.1f} s, {where}")
        return "\n".join(lines)


def training_set(
    knowledge: Knowledge, extra: pd.DataFrame | None = None
) -> tuple[list[Presentation], np.ndarray]:
    """Return the training check-ins and their labels (level ranks), with `extra` rows appended.

    `extra` has the training sheet's columns: clinicians' recorded outcomes (tracker.care_team.outcomes).
    """
    frame = knowledge.training if extra is None or extra.empty else pd.concat([knowledge.training, extra])
    changes = [None if v is None or pd.isna(v) or v == "" else int(v) for v in frame["change"]]
    checkins = [
        training_presentation(text, int(days), change, str(recurrent).strip().lower() in {"true", "1"})
        for text, days, change, recurrent in zip(
            frame["symptoms"], frame["days_in_row"], changes, frame["recurrent"], strict=True
        )
    ]
    return checkins, np.array([TriageLevel(level).rank for level in frame["level"]])


def compare_candidates(X: np.ndarray, y: np.ndarray, names: Sequence[str]) -> dict[str, dict[str, float]]:
    """Return stratified 5-fold cross-validation scores of each candidate (scaled features)."""
    scores = {}
    candidates = _candidates()
    for name in names:
        start = time.perf_counter()
        pipeline = Pipeline([("scale", StandardScaler()), ("model", candidates[name])])
        predicted = cross_val_predict(pipeline, X, y, cv=_folds())
        scores[name] = score_predictions(y, predicted) | {"seconds": round(time.perf_counter() - start, 2)}
    return scores


def train(
    knowledge_path: Path = KNOWLEDGE_FILE,
    out_dir: Path | None = MODELS_DIR,
    candidates: Sequence[str] = CANDIDATES,
    extra: pd.DataFrame | None = None,
) -> TrainResult:
    """Compare the candidates, calibrate the cheapest under COST_MATRIX, save it to `out_dir` (None: don't).

    `extra` adds labelled rows beyond the curated table (clinicians' outcomes, `--with-outcomes`).

    Raises KnowledgeError when the workbook is missing or inconsistent, OSError when saving fails.
    """
    start = time.perf_counter()
    knowledge = load_knowledge(knowledge_path, with_training=True)
    validate_knowledge(knowledge)
    rules = SafetyRules.from_knowledge(knowledge)
    space = FeatureSpace(knowledge.symptoms["symptom"], rules)
    checkins, y = training_set(knowledge, extra)
    X = space.matrix(checkins)
    with threadpool_limits(1):  # OpenMP/BLAS threads spin under contention; RF uses N_JOBS threads
        scores = compare_candidates(X, y, candidates)
        chosen = min(scores, key=lambda name: (scores[name]["cost"], -scores[name]["accuracy"], name))
        pipeline = build_pipeline(_candidates()[chosen], space.symptoms, rules).fit(checkins, y)
        fitted = pipeline.predict_proba(checkins)
    sha = file_sha256(knowledge_path)
    metadata = {
        "format_version": FORMAT_VERSION,
        "model_version": f"{chosen}-{sha[:8]}"
        + (f"+{len(extra)}outcomes" if extra is not None and len(extra) else ""),
        "chosen": chosen,
        "selection": "lowest mean safety cost in stratified 5-fold cross-validation",
        "candidates": scores,
        "cost_matrix": {
            "rows_gold_cols_predicted": [str(level) for level in LEVELS],
            "cost": COST_MATRIX.tolist(),
        },
        "calibration": CALIBRATION,
        "data_file": Path(knowledge_path).name,
        "data_sha256": sha,
        "training_rows": len(y),
        "outcome_rows": 0 if extra is None else len(extra),
        "features": len(space.names),
        "seed": SEED,
        "metrics": {
            "cv": scores[chosen],
            "train_accuracy": round(float(accuracy_score(y, fitted.argmax(axis=1))), 4),
            "train_log_loss": round(float(log_loss(y, fitted, labels=range(len(LEVELS)))), 4),
            "train_mean_confidence": round(float(fitted.max(axis=1).mean()), 4),
        },
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    vocabulary = knowledge.vocabulary()
    vocabulary.phrase_model = train_phrase_model(knowledge, Path(knowledge_path))
    metadata["phrase_model"] = vocabulary.phrase_model.metadata
    metadata["knowledge"] = {
        "symptoms": len(knowledge.symptoms),
        "combinations": len(knowledge.combinations),
        "patient_rules": int(sum(rule.needs_patient_facts for rule in rules.combinations)),
        "phrases": len(knowledge.phrases),
        "languages": sorted(set(knowledge.phrases["language"])) if "language" in knowledge.phrases else [],
    }
    model = TriageModel(
        pipeline,
        rules,
        AdviceBook(knowledge.advice),
        vocabulary,
        NeighbourIndex.build(X, y, space),
        metadata,
    )
    metadata["train_seconds"] = round(time.perf_counter() - start, 2)
    path = save_model(model, Path(out_dir)) if out_dir is not None else None
    return TrainResult(model, metadata, path, metadata["train_seconds"])


def save_model(model: TriageModel, out_dir: Path) -> Path:
    """Write the model and its JSON metadata to `out_dir` atomically; return the path. Raises OSError."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / MODEL_FILE
    _atomic_write(target, lambda handle: pickle.dump(model, handle, protocol=PICKLE_PROTOCOL))
    text = json.dumps(model.metadata, indent=2, sort_keys=True) + "\n"
    _atomic_write(out_dir / META_FILE, lambda handle: handle.write(text.encode()))
    return target


def _atomic_write(target: Path, write: Any) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; the app may run as another user
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_metadata(model_dir: Path) -> dict[str, Any] | None:
    """Return the metadata saved next to a model, or None when it is missing or unreadable."""
    try:
        return dict(json.loads((Path(model_dir) / META_FILE).read_text()))
    except (OSError, ValueError, TypeError):
        return None


def stale_reason(metadata: Mapping[str, Any], data_sha256: str | None) -> str | None:
    """Return why a saved model cannot be used (None when it can)."""
    if metadata.get("format_version") != FORMAT_VERSION:
        return "it was saved in an older format"
    if data_sha256 is not None and metadata.get("data_sha256") != data_sha256:
        return "the knowledge workbook has changed since it was trained"
    if metadata.get("sklearn_version") != sklearn.__version__:
        return (
            f"it was trained with scikit-learn {metadata.get('sklearn_version')}, not {sklearn.__version__}"
        )
    return None


def fallback_model_dir() -> Path:
    """Return the folder for a retrained model when `models/` cannot be written."""
    return state_dir() / "models"


def load_model(knowledge_path: Path = KNOWLEDGE_FILE, model_dir: Path = MODELS_DIR) -> TriageModel:
    """Return the saved model if it is current; otherwise retrain now and save it where we can.

    Raises KnowledgeError only when there is neither a usable model nor a knowledge workbook to train on.
    """
    sha = file_sha256(knowledge_path) if Path(knowledge_path).exists() else None
    folders = _model_dirs(Path(model_dir))
    for folder in folders:
        if (model := _load_current(folder, sha)) is not None:
            return model
    if sha is None:
        raise KnowledgeError([f"no usable triage model and no knowledge workbook at {knowledge_path}"])
    log.warning("Retraining the triage model: no current model in %s", ", ".join(map(str, folders)))
    model = train(knowledge_path, out_dir=None).model
    for folder in folders:
        try:
            save_model(model, folder)
            break
        except OSError as error:
            log.warning("Cannot save the retrained model to %s: %s", folder, error)
    return model


def _model_dirs(model_dir: Path) -> list[Path]:
    folders = [model_dir]
    try:
        folders.append(fallback_model_dir())
    except OSError as error:
        log.warning("No state folder for a retrained model: %s", error)
    return list(dict.fromkeys(folders))


def _load_current(folder: Path, sha: str | None) -> TriageModel | None:
    metadata = read_metadata(folder)
    if metadata is None or not (folder / MODEL_FILE).is_file():
        return None
    if reason := stale_reason(metadata, sha):
        log.info("Not using the model in %s: %s", folder, reason)
        return None
    try:
        with open(folder / MODEL_FILE, "rb") as handle:
            model = pickle.load(handle)
    except Exception as error:  # a damaged or foreign file: retrain rather than fail
        log.warning("Cannot load the model in %s: %s", folder, error)
        return None
    return model if isinstance(model, TriageModel) else None
