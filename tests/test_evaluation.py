import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from tracker.levels import TriageLevel
from tracker.triage.engine import default_triager
from tracker.triage.evaluation import CasesError, evaluate_cases, format_report
from tracker.triage.patient import PatientFacts

ROOT = Path(__file__).resolve().parent.parent
DEV_CASES = Path(
    os.environ.get("TRACKER_DEV_CASES", ROOT.parent / "shared" / "triage_eval" / "dev_cases.csv")
)


@dataclass
class Answer:
    level: TriageLevel
    confidence: float = 0.8


class FixedTriager:
    """Answers from a lookup on the first symptom name: enough to check the arithmetic."""

    model_version = "fixed"

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers

    def assess(self, symptoms, context=None, note="", patient=None):
        return Answer(TriageLevel(self.answers[next(iter(symptoms))]))


CASES = pd.DataFrame(
    [
        ("c1", "A:2", "self_care", "self_care"),
        ("c2", "B:3", "see_doctor", "see_doctor|urgent"),
        ("c3", "C:5;A:1", "emergency", "emergency"),
        ("c4", "D:4", "emergency", "urgent|emergency"),
        ("c5", "F:1", "urgent", "urgent"),
    ],
    columns=["case_id", "symptoms", "gold", "acceptable"],
)
ANSWERS = {"A": "self_care", "B": "urgent", "C": "emergency", "D": "urgent", "F": "self_care"}


@pytest.fixture
def report():
    return evaluate_cases(CASES, FixedTriager(ANSWERS))


def test_metrics_on_a_hand_made_frame(report):
    assert report.count == 5
    assert report.exact_accuracy == pytest.approx(2 / 5)  # c1, c3
    assert report.acceptable_rate == pytest.approx(4 / 5)  # all but c5
    assert report.under_triage_rate == pytest.approx(1 / 5)  # c5: self care below urgent
    assert report.emergency_sensitivity == pytest.approx(1 / 2)  # c3 yes, c4 no


def test_confusion_matrix_has_all_four_levels_gold_by_predicted(report):
    confusion = report.confusion
    assert list(confusion) == [str(level) for level in TriageLevel]
    assert all(list(row) == list(confusion) for row in confusion.values())
    assert confusion["emergency"]["urgent"] == 1
    assert confusion["urgent"]["self_care"] == 1
    assert sum(sum(row.values()) for row in confusion.values()) == 5


def test_gold_counts_as_acceptable_even_when_not_listed():
    cases = CASES.assign(acceptable=["see_doctor"] * 5)
    assert evaluate_cases(cases.head(1), FixedTriager(ANSWERS)).acceptable_rate == 1


def test_report_is_json_ready_with_every_prediction(report):
    data = json.loads(json.dumps(report.to_dict()))
    assert data["cases"] == 5 and data["model_version"] == "fixed"
    assert [case["case_id"] for case in data["predictions"]] == ["c1", "c2", "c3", "c4", "c5"]
    assert data["predictions"][4]["under_triage"] is True


def test_text_report_lists_metrics_confusion_and_misses(report):
    text = format_report(report)
    assert "Exact accuracy" in text and "Emergency sensitivity" in text
    assert "* c5" in text and "  c2" in text


def test_sensitivity_is_none_without_gold_emergencies():
    report = evaluate_cases(CASES.head(2), FixedTriager(ANSWERS))
    assert report.emergency_sensitivity is None
    assert "n/a" in format_report(report)


def test_a_file_without_required_columns_is_refused(tmp_path):
    path = tmp_path / "cases.csv"
    CASES.drop(columns=["acceptable"]).to_csv(path, index=False)
    with pytest.raises(CasesError, match="acceptable"):
        evaluate_cases(path, FixedTriager(ANSWERS))


@pytest.mark.parametrize(("column", "value"), [("gold", "panic"), ("symptoms", "A:two")])
def test_bad_values_name_the_case(column, value):
    cases = CASES.copy()
    cases.loc[0, column] = value
    with pytest.raises(CasesError, match="c1"):
        evaluate_cases(cases, FixedTriager(ANSWERS))


@pytest.mark.skipif(not DEV_CASES.is_file(), reason="the shared dev cases are not on this machine")
def test_dev_cases_meet_the_safety_targets():
    report = evaluate_cases(DEV_CASES, default_triager())
    assert report.emergency_sensitivity == 1
    assert report.under_triage_rate == 0
    assert report.acceptable_rate >= 0.97
    assert report.exact_accuracy >= 0.90


def test_patient_facts_and_notes_in_a_cases_file_reach_the_triager():
    seen = []

    class Recording(FixedTriager):
        def assess(self, symptoms, context=None, note="", patient=None):
            seen.append((note, patient))
            return super().assess(symptoms)

    frame = pd.DataFrame(
        [
            {
                "case_id": "p1",
                "symptoms": "Fever:2",
                "gold": "urgent",
                "acceptable": "urgent",
                "age": "0.2",
                "sex": "F",
                "pregnant": "",
                "conditions": "",
                "note": "no rash",
            },
            {
                "case_id": "p2",
                "symptoms": "Fever:2",
                "gold": "urgent",
                "acceptable": "urgent",
                "age": "",
                "sex": "",
                "pregnant": "yes",
                "conditions": "asthma|diabetes",
                "note": "",
            },
            {
                "case_id": "p4",
                "symptoms": "Fever:2",
                "gold": "urgent",
                "acceptable": "urgent",
                "age": "29",
                "sex": "F",
                "pregnant": "24",  # weeks
                "conditions": "",
                "note": "",
            },
            {
                "case_id": "p3",
                "symptoms": "Fever:2",
                "gold": "self_care",
                "acceptable": "self_care",
                "age": "",
                "sex": "",
                "pregnant": "",
                "conditions": "",
                "note": "",
            },
        ]
    )
    evaluate_cases(frame, Recording({"Fever": "urgent"}))
    assert seen[0] == ("no rash", PatientFacts(0.2, "F", None, frozenset()))
    assert seen[1] == ("", PatientFacts(None, None, True, frozenset({"asthma", "diabetes"})))
    assert seen[2] == ("", PatientFacts(29.0, "F", True, frozenset()))
    assert seen[3] == ("", None)


def test_figures_break_down_by_body_system_and_age_group():
    frame = pd.DataFrame(
        [
            {
                "case_id": "g1",
                "symptoms": "Chest pain:4",
                "gold": "emergency",
                "acceptable": "emergency",
                "body_system": "cardiovascular",
                "age_group": "adult",
            },
            {
                "case_id": "g2",
                "symptoms": "Cough:2",
                "gold": "self_care",
                "acceptable": "self_care",
                "body_system": "respiratory",
                "age_group": "child",
            },
        ]
    )
    report = evaluate_cases(frame, FixedTriager({"Chest pain": "urgent", "Cough": "emergency"}))
    by_system = report.by("body_system")
    assert by_system["cardiovascular"].emergency_sensitivity == 0.0
    assert by_system["respiratory"].over_triage_of_self_care == 1.0
    assert set(report.by("age_group")) == {"adult", "child"}
    assert "By body_system:" in format_report(report)


def test_lay_phrasings_count_as_read_when_their_concept_is_among_those_read(tmp_path):
    from tracker.triage.phrase_evaluation import evaluate_phrasings, phrase_summary

    phrases = tmp_path / "phrases.csv"
    phrases.write_text(
        "phrase_id,phrase,concept,language,kind\n"
        "p1,sudden headache and a stiff neck,Stiff neck,en,plain\n"
        "p2,qwzx blorp,Headache,en,plain\n"
        "p3,no fever at all,none,en,negated\n"
        "p4,poo black like tar,Black stool,en,slang\n"
    )
    results = evaluate_phrasings(phrases, default_triager().vocabulary)
    assert [r.read for r in results] == [True, False, True, True]
    assert results[1].how == "none" and not results[1].answered
    summary = phrase_summary(results)
    assert summary["read"] == 0.75 and summary["right_when_answered"] == 1.0


@pytest.mark.slow  # retrains the phrase model twice
def test_adding_a_synonym_does_not_move_the_phrase_models_abstention_threshold():
    """The threshold is set on held-out synonyms; a new row must not reshuffle which are held out."""
    from dataclasses import replace

    from tracker.triage.knowledge import KNOWLEDGE_DIR, load_knowledge
    from tracker.triage.phrase_model import train_phrase_model

    knowledge = load_knowledge()
    symptoms = knowledge.symptoms.copy()
    row = symptoms.index[symptoms["symptom"] == "Nausea"][0]
    symptoms.loc[row, "synonyms"] = f"{symptoms.loc[row, 'synonyms']}|cant stand the smell of food"
    before = train_phrase_model(knowledge, KNOWLEDGE_DIR)
    after = train_phrase_model(replace(knowledge, symptoms=symptoms), KNOWLEDGE_DIR)
    assert after.metadata["entries"] > before.metadata["entries"]
    assert after.threshold == before.threshold
    assert after.predict("no blood") is None  # a loose likeness to "blood" is an abstention, not a concept
