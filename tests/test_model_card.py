from tracker.model_card import candidates_table, confusion_chart, read_evaluation, save_evaluation

METADATA = {
    "chosen": "hist_gradient_boosting",
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


def test_saved_evaluation_is_read_back_without_per_case_rows(tmp_path):
    save_evaluation({"exact_accuracy": 0.9, "predictions": [1, 2]}, tmp_path)
    assert read_evaluation(tmp_path) == {"exact_accuracy": 0.9}
    assert read_evaluation(tmp_path / "missing") is None
