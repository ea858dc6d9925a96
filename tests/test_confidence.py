from tracker.triage.confidence import (
    SHRINK_CASES,
    Calibration,
    basis_of,
    expected_calibration_error,
    fit_calibration,
    load_calibration,
    reliability,
    save_calibration,
)


def test_the_basis_is_the_first_deciding_rule_or_the_model():
    assert basis_of(["phrase:can't breathe", "symptom:Cough"], "urgent") == "phrase"
    assert basis_of([], "self_care") == "model"
    assert basis_of([], None) == "none"


def test_a_basis_seen_often_gets_its_own_rate_and_a_rare_one_leans_on_the_overall_rate():
    outcomes = [("phrase/emergency", True)] * 40 + [("unknown/see_doctor", False)] * 40
    outcomes += [("combination/urgent", False)]  # one case only
    calibration = fit_calibration(outcomes, "cases.csv")
    assert calibration.confidence("phrase", "emergency") > 0.9
    assert calibration.confidence("unknown", "see_doctor") < 0.1
    rare = calibration.confidence("combination", "urgent")
    assert 0.3 < rare < 0.6, "one wrong case does not make zero confidence"
    expected = SHRINK_CASES * calibration.overall / (1 + SHRINK_CASES)
    assert abs(calibration.rates["combination"] - expected) < 0.001


def test_an_unseen_basis_gets_the_overall_rate_and_confidence_stays_below_certainty():
    calibration = Calibration({"phrase": 1.0}, 0.7, 10, "x")
    assert calibration.confidence("model", "urgent") == 0.7
    assert calibration.confidence("phrase", "emergency") == 0.99


def test_calibration_error_is_zero_when_confidence_matches_the_hit_rate_and_large_when_it_does_not():
    honest = [(0.75, True)] * 3 + [(0.75, False)]
    assert expected_calibration_error(honest) == 0.0
    overconfident = [(0.99, False)] * 9 + [(0.99, True)]
    assert expected_calibration_error(overconfident) > 0.8
    (row,) = reliability(overconfident)
    assert row["cases"] == 10 and row["acceptable"] == 0.1


def test_a_saved_calibration_loads_back(tmp_path):
    calibration = fit_calibration([("symptom/urgent", True), ("symptom/urgent", False)], "dev.csv")
    save_calibration(calibration, tmp_path)
    assert load_calibration(tmp_path) == calibration
    assert load_calibration(tmp_path / "missing") is None
