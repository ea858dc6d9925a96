import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from threadpoolctl import threadpool_limits

import tracker.triage.classifier as model_module
from tracker.triage.classifier import (
    CANDIDATES,
    COST_MATRIX,
    META_FILE,
    MODEL_FILE,
    TriageModel,
    load_model,
    safety_cost,
    save_model,
    stale_reason,
    train,
    training_set,
)
from tracker.triage.features import Presentation
from tracker.triage.knowledge import KNOWLEDGE_FILE, file_sha256, load_knowledge

pytestmark = pytest.mark.slow  # trains the full model once for the module; load_model's retrains reuse it

CHECK_INS = [
    Presentation({"Headache": 2}),
    Presentation({"Chest pain": 4, "Shortness of breath": 3}),
    Presentation({"Fever": 3, "Cough": 2, "Sore throat": 2}),
    Presentation({"Abdominal pain": 3, "Nausea": 2, "Vomiting": 2, "Fever": 2}),
]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One full training run on a copy of the shipped workbook, saved to a temporary models folder."""
    folder = tmp_path_factory.mktemp("trained")
    knowledge = folder / "knowledge"
    shutil.copytree(KNOWLEDGE_FILE, knowledge)
    return train(knowledge, out_dir=folder / "models"), knowledge


@pytest.fixture
def fast_retrain(monkeypatch, trained):
    """Count the retrainings inside load_model; each hands back the module's model, trained on the same
    workbook (what load_model does with a model is under test here; how one is trained, above)."""
    calls = []
    result, knowledge = trained

    def retrain(knowledge_path, out_dir=None, candidates=CANDIDATES):
        assert Path(knowledge_path) == knowledge and out_dir is None, "load_model retrains from the workbook"
        calls.append(knowledge_path)
        return result

    monkeypatch.setattr(model_module, "train", retrain)
    return calls


@pytest.fixture
def saved(trained, tmp_path):
    """A models folder holding the trained model, and the workbook it was trained on."""
    result, knowledge = trained
    models = tmp_path / "models"
    shutil.copytree(result.path.parent, models)
    return models, knowledge


def test_training_compares_every_candidate_by_safety_cost(trained):
    result, _ = trained
    candidates = result.metadata["candidates"]
    assert set(candidates) == set(CANDIDATES)
    for scores in candidates.values():
        assert {"cost", "accuracy", "macro_f1", "under_triage_rate"} <= set(scores)
    cheapest = min(candidates, key=lambda name: candidates[name]["cost"])
    assert result.metadata["chosen"] == cheapest


def test_metadata_records_data_hash_versions_date_and_metrics(trained):
    result, knowledge = trained
    saved = json.loads((result.path.parent / META_FILE).read_text())
    assert saved["data_sha256"] == file_sha256(knowledge)
    assert saved["sklearn_version"] == sklearn.__version__
    assert saved["python_version"] and saved["trained_at"]
    assert saved["cost_matrix"]["cost"] == COST_MATRIX.tolist()
    assert saved["metrics"]["cv"]["accuracy"] > 0.9
    assert saved["model_version"].startswith(saved["chosen"])


def test_training_is_deterministic(trained):
    """The trained pipeline, fitted again twice as train() fits it, gives the same probabilities twice.

    On every tenth training row (all four levels): ~10x quicker than the full second training it was.
    """
    result, knowledge = trained
    checkins, y = training_set(load_knowledge(knowledge, with_training=True))
    rows = slice(None, None, 10)
    assert set(y[rows]) == set(y), "the subset keeps every level"
    with threadpool_limits(1):
        fitted = [clone(result.model.pipeline).fit(checkins[rows], y[rows]) for _ in range(2)]
    assert np.array_equal(*(pipeline.predict_proba(CHECK_INS) for pipeline in fitted))


def test_probabilities_are_calibrated_rows_in_level_order(trained):
    result, _ = trained
    probabilities = result.model.pipeline.predict_proba(CHECK_INS)
    assert np.allclose(probabilities.sum(axis=1), 1)
    assert probabilities[1].argmax() == 3  # chest pain 4 + breathless 3: emergency


def test_summary_lists_every_candidate_and_the_choice(trained):
    summary = trained[0].summary()
    assert all(name in summary for name in CANDIDATES) and "chosen" in summary


def test_a_current_saved_model_loads_without_retraining(saved, fast_retrain):
    models, knowledge = saved
    model = load_model(knowledge, models)  # its speed: benchmarks/bench.py ("model load")
    assert isinstance(model, TriageModel) and fast_retrain == []


def test_a_saved_model_reads_words_as_the_trained_one_with_its_scanner_built(trained, tmp_path, fast_retrain):
    result, knowledge = trained
    result.model.vocabulary.scanner.tokens("terible headachhe")  # fills its typo cache
    assert result.model.vocabulary._scanner._typos
    save_model(result.model, tmp_path / "models")
    loaded = load_model(knowledge, tmp_path / "models")
    assert loaded.vocabulary._scanner is not None  # not built again at each start (~0.35 s)
    assert loaded.vocabulary._scanner._typos == {}  # one process's cache does not travel in the file
    for text in ("bad headake and vommiting", "crushing chest pain, no fever", "kan niet plassen"):
        assert loaded.vocabulary.concepts(text) == result.model.vocabulary.concepts(text)


def test_a_stale_data_hash_retrains_and_saves_the_new_hash(saved, fast_retrain):
    models, knowledge = saved
    metadata = json.loads((models / META_FILE).read_text())
    metadata["data_sha256"] = "0" * 64
    (models / META_FILE).write_text(json.dumps(metadata))
    load_model(knowledge, models)
    assert fast_retrain == [knowledge]
    assert json.loads((models / META_FILE).read_text())["data_sha256"] == file_sha256(knowledge)


def test_another_scikit_learn_version_retrains(saved, fast_retrain):
    models, knowledge = saved
    metadata = json.loads((models / META_FILE).read_text())
    metadata["sklearn_version"] = "0.0.1"
    (models / META_FILE).write_text(json.dumps(metadata))
    assert "scikit-learn 0.0.1" in stale_reason(metadata, file_sha256(knowledge))
    load_model(knowledge, models)
    assert len(fast_retrain) == 1


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_a_missing_or_damaged_model_file_retrains(saved, fast_retrain, damage):
    models, knowledge = saved
    if damage == "missing":
        (models / MODEL_FILE).unlink()
    else:
        (models / MODEL_FILE).write_bytes(b"not a model")
    assert isinstance(load_model(knowledge, models), TriageModel)
    assert len(fast_retrain) == 1


def test_an_unwritable_models_folder_falls_back_to_the_state_folder(
    trained, tmp_path, monkeypatch, fast_retrain
):
    _, knowledge = trained
    blocker = tmp_path / "read-only"
    blocker.write_text("a file where a folder should be: nothing can be written below it")
    monkeypatch.setenv("TRACKER_STATE_DIR", str(tmp_path / "state"))
    load_model(knowledge, blocker / "models")
    assert (tmp_path / "state" / "models" / MODEL_FILE).is_file()
    load_model(knowledge, blocker / "models")
    assert len(fast_retrain) == 1  # the second load found the state-folder copy


def test_missing_an_emergency_costs_more_than_any_over_caution():
    assert safety_cost(np.array([3]), np.array([0])) > safety_cost(np.array([0]), np.array([3])) * 10
    assert safety_cost(np.array([3]), np.array([0])) > safety_cost(np.array([0, 0, 0]), np.array([3, 3, 3]))
    assert safety_cost(np.array([1, 2]), np.array([1, 2])) == 0
