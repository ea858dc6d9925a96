from types import SimpleNamespace

import pandas as pd

from tracker.levels import TriageLevel
from tracker.triage.evaluation import evaluate_cases
from tracker.triage.model_card import (
    candidates_table,
    card_report,
    confusion_chart,
    group_frame,
    model_comparison,
    read_evaluation,
    reliability_chart,
    save_evaluation,
)

METADATA = {
    "chosen": "random_forest",
    "candidates": {
        "logistic_regression": {
            "cost": 0.6,
            "accuracy": 0.94,
            "macro_f1": 0.93,
            "emergency_sensitivity": 0.9,
        },
        "random_forest": {"cost": 0.01, "accuracy": 0.99, "macro_f1": 0.99, "emergency_sensitivity": 1.0},
    },
}
CONFUSION = {
    "self_care": {"self_care": 5, "see_doctor": 1, "urgent": 0, "emergency": 0},
    "see_doctor": {"self_care": 0, "see_doctor": 3, "urgent": 0, "emergency": 0},
    "urgent": {"self_care": 0, "see_doctor": 0, "urgent": 2, "emergency": 1},
    "emergency": {"self_care": 0, "see_doctor": 0, "urgent": 0, "emergency": 4},
}


def test_candidates_are_listed_cheapest_first_with_the_chosen_one_marked():
    table = candidates_table(METADATA)
    assert table["Model"].tolist() == ["Random forest", "Logistic regression"]
    assert table["Chosen"].tolist() == [True, False]


def test_confusion_chart_has_a_cell_per_level_pair_in_short_plain_words():
    spec = confusion_chart(CONFUSION).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == 16
    assert {
        "guidance": "Same day",
        "predicted": "Emergency",
        "cases": 1,
    } in rows


def test_saved_evaluations_are_kept_by_name_without_per_case_rows(tmp_path):
    save_evaluation("independent_dev", {"exact_accuracy": 0.9, "predictions": [1, 2]}, tmp_path)
    save_evaluation("tables_only_dev", {"exact_accuracy": 0.8}, tmp_path)
    assert read_evaluation(tmp_path) == {
        "independent_dev": {"exact_accuracy": 0.9},
        "tables_only_dev": {"exact_accuracy": 0.8},
    }
    assert read_evaluation(tmp_path / "missing") is None


class Fixed:
    """Emergency for chest pain, urgent for anything else."""

    model_version = "fixed"

    def assess(self, symptoms, context=None, note="", patient=None):
        level = TriageLevel.EMERGENCY if "Chest pain" in symptoms else TriageLevel.URGENT
        return SimpleNamespace(level=level, confidence=0.8, details={})


def test_the_card_report_breaks_figures_down_and_the_comparison_pairs_tables_with_the_model():
    frame = pd.DataFrame(
        [
            {
                "case_id": "1",
                "symptoms": "Chest pain:4",
                "gold": "emergency",
                "acceptable": "emergency",
                "body_system": "cardiovascular",
                "age_group": "adult",
            },
            {
                "case_id": "2",
                "symptoms": "Cough:1",
                "gold": "self_care",
                "acceptable": "self_care",
                "body_system": "respiratory",
                "age_group": "child",
            },
        ]
    )
    card = card_report(evaluate_cases(frame, Fixed()))
    assert card["groups"]["age_group"]["child"]["exact_accuracy"] == 0.0
    assert card["groups"]["body_system"]["cardiovascular"]["emergency_sensitivity"] == 1.0
    assert sum(row["cases"] for row in card["reliability"]) == 2
    assert set(group_frame(card, "gold")["Level guidance gives"]) == {"Emergency", "Home care"}
    both = model_comparison({"independent_dev": card, "tables_only_dev": {**card, "exact_accuracy": 0.25}})
    assert both.iloc[0]["Exact, tables alone"] == 0.25


def test_the_reliability_chart_draws_each_band_against_the_diagonal():
    spec = reliability_chart([{"confidence": 0.9, "acceptable": 0.7, "cases": 5}]).to_dict()
    assert spec["layer"][1]["encoding"]["y"]["title"] == "Exactly right"


def test_question_recall_figures_are_shown_per_case_set():
    from tracker.triage.model_card import questions_frame

    figures = {
        "cases": 10,
        "same_level_with_questions": 0.9,
        "same_level_without_answers": 0.7,
        "emergency_sensitivity_with_questions": 0.8,
        "emergency_sensitivity_without_answers": 0.5,
        "median_questions": 1,
    }
    frame = questions_frame({"questions": {"blind_dev": figures}})
    assert frame["Cases"].tolist() == ["Blind development cases (10)"]
    assert frame["Same level, with questions"].tolist() == [0.9]
    assert questions_frame({}).empty
