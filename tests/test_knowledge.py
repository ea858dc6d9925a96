import os
import pickle
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tracker.levels import TriageLevel
from tracker.triage.classifier import load_model
from tracker.triage.features import parse_symptom_pairs
from tracker.triage.knowledge import (
    GENERIC_SYMPTOM,
    KNOWLEDGE_DIR,
    KnowledgeError,
    export_workbook,
    import_original_table,
    load_knowledge,
    merge_advice,
    reachable_levels,
    symptom_levels,
    validate_knowledge,
)
from tracker.triage.vocabulary import Vocabulary

ROOT = Path(__file__).resolve().parent.parent
DEV_CASES = Path(
    os.environ.get("TRACKER_DEV_CASES", ROOT.parent / "shared" / "triage_eval" / "dev_cases.csv")
)
ORIGINAL_EIGHT = [
    "Headache",
    "Fatigue",
    "Nausea",
    "Cough",
    "Back pain",
    "Shortness of breath",
    "Chest pain",
    "Fever",
]


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge(with_training=True)


def test_shipped_workbook_is_valid(knowledge):
    validate_knowledge(knowledge)


def test_workbook_has_at_least_sixty_symptoms_including_the_original_eight(knowledge):
    names = set(knowledge.symptoms["symptom"])
    assert len(names) >= 60
    assert set(ORIGINAL_EIGHT) <= names


@pytest.mark.skipif(not DEV_CASES.is_file(), reason="the shared dev cases are not on this machine")
def test_every_symptom_named_in_the_dev_cases_is_covered(knowledge):
    names = set(knowledge.symptoms["symptom"])
    vocabulary = Vocabulary.from_frame(knowledge.symptoms)
    named = {
        name
        for text in pd.read_csv(DEV_CASES, dtype=str)["symptoms"]
        for name, _ in parse_symptom_pairs(text)
    }
    assert named, "the dev cases name symptoms"
    assert {name for name in named if vocabulary.canonical_or_text(name) not in names} == set()


def test_every_symptom_has_advice_at_every_level_it_can_reach(knowledge):
    written = set(zip(knowledge.advice["symptom"], knowledge.advice["level"], strict=True))
    for row in knowledge.symptoms.to_dict("records"):
        for level in reachable_levels(row):
            assert (row["symptom"], str(level)) in written, (row["symptom"], level)


def test_generic_fallback_advice_exists_at_every_level(knowledge):
    generic = knowledge.advice[knowledge.advice["symptom"] == GENERIC_SYMPTOM]
    assert set(generic["level"]) == {str(level) for level in TriageLevel}


def test_advice_is_plain_and_never_empty(knowledge):
    assert knowledge.advice["advice"].str.len().min() > 40
    assert not knowledge.advice["advice"].str.contains("you have meningitis|diagnos", case=False).any()


def test_care_at_home_says_when_to_get_in_touch_in_a_sentence_that_reads(knowledge):
    """A review that is a moment or a condition ("at your next epilepsy review", "if it changes") is not
    put after "not better within" (the usual-seizure advice read "within at your next epilepsy review")."""
    home = knowledge.advice[knowledge.advice["level"] == str(TriageLevel.SELF_CARE)]["advice"]
    assert not home.str.contains(r"not better within (?:at|if|when|your|now)\b", regex=True).any()
    seizure = knowledge.advice[
        (knowledge.advice["symptom"] == "Usual seizure in epilepsy")
        & (knowledge.advice["level"] == str(TriageLevel.SELF_CARE))
    ]["advice"].item()
    assert "at your next epilepsy review, or sooner if you are worried." in seizure


def test_the_shipped_model_gives_the_advice_the_tables_give_today(knowledge):
    """The saved model carries its advice; a change to how advice is worded reaches the app only with a
    retrained model (the tables' checksum does not see code), so the shipped one must match."""
    shipped = load_model().advice
    stale = [
        (symptom, level)
        for symptom, level, text in knowledge.advice[["symptom", "level", "advice"]].itertuples(index=False)
        if shipped.text(symptom, TriageLevel(level)) != text
    ]
    assert stale == [], f"retrain: python -m tracker train --force ({len(stale)} stale, e.g. {stale[:3]})"


def test_no_symptom_is_self_care_at_severity_five(knowledge):
    for row in knowledge.symptoms.to_dict("records"):
        assert symptom_levels(row)[-1] is not TriageLevel.SELF_CARE, row["symptom"]


def test_snomed_codes_are_concept_ids_or_blank(knowledge):
    codes = knowledge.symptoms["snomed_code"].astype(str)
    assert codes.str.fullmatch(r"|\d{6,18}").all()


def test_every_symptom_names_its_guidance_source(knowledge):
    assert (knowledge.symptoms["source"].str.len() > 3).all()


def test_training_has_at_least_1500_labelled_rows_with_a_source(knowledge):
    training = knowledge.training
    assert len(training) >= 1500
    assert set(training["level"]) == {str(level) for level in TriageLevel}
    assert (training["source"].str.len() > 3).all()
    assert {"single", "combination", "mixed"} <= set(training["group"])


def test_training_covers_persistence_and_worsening(knowledge):
    training = knowledge.training
    assert (pd.to_numeric(training["days_in_row"]) >= 3).any()
    assert (pd.to_numeric(training["change"]) >= 2).any()


def test_phrases_include_crisis_and_emergency_wording(knowledge):
    kinds = dict(zip(knowledge.phrases["phrase"], knowledge.phrases["kind"], strict=True))
    assert kinds["kill myself"] == "crisis"
    assert kinds["can't breathe"] == "emergency"
    crisis = knowledge.phrases[knowledge.phrases["kind"] == "crisis"]
    assert crisis["wording"].str.contains("crisis line").all()


@pytest.mark.skipif(not DEV_CASES.is_file(), reason="the shared dev cases are not on this machine")
def test_no_dev_case_is_duplicated_in_training(knowledge):
    vocabulary = Vocabulary.from_frame(knowledge.symptoms)
    dev = pd.read_csv(DEV_CASES, dtype=str)["symptoms"]
    dev_keys = {
        frozenset((vocabulary.canonical_or_text(name), sev) for name, sev in parse_symptom_pairs(text))
        for text in dev
    }
    training_keys = {frozenset(parse_symptom_pairs(text)) for text in knowledge.training["symptoms"]}
    assert not dev_keys & training_keys
    assert not set(dev) & set(knowledge.training["symptoms"])


@pytest.mark.slow  # writes and reads the whole workbook (>5 s)
def test_the_excel_export_loads_back_as_the_same_knowledge(tmp_path, knowledge):
    exported = export_workbook(tmp_path / "knowledge.xlsx")
    again = load_knowledge(tmp_path / "knowledge.xlsx")
    assert list(again.symptoms["symptom"]) == list(exported.symptoms["symptom"])
    assert len(again.training) == len(knowledge.training)
    assert again.vocabulary().covers == exported.vocabulary().covers != {}
    assert set(again.advice["advice"]) == set(knowledge.advice["advice"])


def _copy_tables(tmp_path):
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    return folder


def test_a_knowledge_error_crosses_a_process_boundary_intact():
    error = pickle.loads(pickle.dumps(KnowledgeError(["symptoms.csv line 4: unknown level 'soon'"])))
    assert error.problems == ["symptoms.csv line 4: unknown level 'soon'"]
    assert str(error).endswith("symptoms.csv line 4: unknown level 'soon'")


def test_every_bad_row_is_reported_with_its_file_and_line(tmp_path):
    folder = _copy_tables(tmp_path)
    symptoms = pd.read_csv(folder / "symptoms.csv", dtype=str, keep_default_na=False)
    symptoms.loc[2, "level_3"] = "urgent"  # then falls back to self care at 4
    symptoms.loc[5, "level_1"] = "soon"
    symptoms.to_csv(folder / "symptoms.csv", index=False)
    combinations = pd.read_csv(folder / "combinations.csv", dtype=str, keep_default_na=False)
    combinations.loc[0, "requires"] = "Dragon pox:1"
    combinations.loc[1, "sex"] = "X"
    combinations.to_csv(folder / "combinations.csv", index=False)
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(folder)
    problems = raised.value.problems
    assert any(p.startswith("symptoms.csv line 4:") and "must not fall" in p for p in problems)
    assert any(p.startswith("symptoms.csv line 7:") and "soon" in p for p in problems)
    assert any(p.startswith("combinations.csv line 2:") and "Dragon pox" in p for p in problems)
    assert any(p.startswith("combinations.csv line 3:") and "sex must be F, M" in p for p in problems)


@pytest.mark.parametrize(("table", "column"), [("compositions", "all_of_1"), ("symptoms", "synonyms")])
def test_an_alternative_listed_twice_in_one_cell_is_refused_with_its_file_and_line(tmp_path, table, column):
    """A second copy of a word in a composition group or synonym list reads nothing new: an editor's slip."""
    folder = _copy_tables(tmp_path)
    frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    first = frame.loc[0, column].split("|")[0]
    frame.loc[0, column] = f"{frame.loc[0, column]}|{first}"
    frame.to_csv(folder / f"{table}.csv", index=False)
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(folder)
    assert f"{table}.csv line 2: {column} lists {first!r} twice" in raised.value.problems


@pytest.mark.parametrize(
    ("table", "column", "value", "message"),
    [
        ("combinations", "conditions", "dragon_pox", r"combinations\.csv line 2: condition .dragon_pox."),
        ("covers", "in_combinations", "sometimes", r"covers\.csv line 2: in_combinations 'sometimes'"),
    ],
)
def test_a_bad_cell_in_the_first_row_is_refused_with_its_file_and_line(
    tmp_path, table, column, value, message
):
    """An unknown long-term condition on a patient-fact rule, or a cover flag that is not yes or no."""
    folder = _copy_tables(tmp_path)
    frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    frame.loc[0, column] = value
    frame.to_csv(folder / f"{table}.csv", index=False)
    with pytest.raises(KnowledgeError, match=message):
        load_knowledge(folder)


def _broken(knowledge, **changes):
    return type(knowledge)(**{**knowledge.__dict__, **changes})


def test_thresholds_that_fall_with_the_level_are_refused(knowledge):
    symptoms = knowledge.symptoms.copy()
    symptoms.loc[0, ["urgent_from", "emergency_from"]] = [4, 2]
    with pytest.raises(KnowledgeError, match="rise with the level"):
        validate_knowledge(_broken(knowledge, symptoms=symptoms))


def test_a_combination_naming_an_unknown_symptom_is_refused(knowledge):
    combinations = knowledge.combinations.copy()
    combinations.loc[0, "requires"] = "Dragon pox:1"
    with pytest.raises(KnowledgeError, match="Dragon pox"):
        validate_knowledge(_broken(knowledge, combinations=combinations))


def test_a_missing_column_is_refused(knowledge):
    with pytest.raises(KnowledgeError, match="lacks columns"):
        validate_knowledge(_broken(knowledge, phrases=knowledge.phrases.drop(columns=["wording"])))


def test_a_missing_workbook_raises_a_plain_error(tmp_path):
    with pytest.raises(KnowledgeError, match="cannot read"):
        load_knowledge(tmp_path / "nothing.xlsx")


def test_original_table_imports_as_advice_rows_at_the_symptoms_level(knowledge):
    rows = import_original_table(ROOT / "data" / "original_recommendations.xlsx", knowledge.symptoms)
    assert list(rows.columns) == ["symptom", "level", "advice", "source"]
    by_symptom = dict(zip(rows["symptom"], rows["level"], strict=True))
    assert by_symptom["Chest pain"] == "emergency"  # "Severe" = 4 of 5
    assert by_symptom["Headache"] == "self_care"  # "Mild" = 2 of 5


def test_original_table_with_an_unknown_severity_word_is_refused(tmp_path, knowledge):
    path = tmp_path / "original.csv"
    pd.DataFrame({"Symptom": ["Fever"], "Severity Level": ["Terrible"], "Recommendation": ["Rest"]}).to_csv(
        path
    )
    with pytest.raises(KnowledgeError, match="Terrible"):
        import_original_table(path, knowledge.symptoms)


def test_imported_advice_only_fills_gaps(knowledge):
    extra = pd.DataFrame(
        [("Headache", "self_care", "Imported text", "x"), ("Headache", "nonsense", "New", "x")],
        columns=["symptom", "level", "advice", "source"],
    )
    merged = merge_advice(knowledge.advice, extra)
    assert "Imported text" not in set(merged["advice"])
    assert len(merged) == len(knowledge.advice) + 1
