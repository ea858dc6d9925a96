import pytest

from tracker.features import SymptomContext
from tracker.levels import TriageLevel
from tracker.triage import MAX_CONFIDENCE, Assessment, Triager, assess, default_triager

S, D, U, E = TriageLevel


@pytest.fixture(scope="module")
def triager() -> Triager:
    return default_triager()


@pytest.mark.parametrize(
    ("symptoms", "expected"),
    [
        ({"Headache": 1}, S),
        ({"tummy ache": 2}, S),
        ({"high temperature": 3}, S),
        ({"headahce": 2}, S),
        ({"Fever": 4}, D),
        ({"Palpitations": 2}, D),
        ({"Vomiting": 5}, U),
        ({"Coughing up blood": 3}, U),
        ({"can't breathe": 5}, E),
        ({"Vomiting blood": 1}, E),
    ],
)
def test_check_ins_get_the_guidance_level(triager, symptoms, expected):
    assert triager.assess(symptoms).level is expected


def test_assessment_carries_advice_reasons_matches_and_version(triager):
    result = triager.assess({"tummy ache": 3, "Fever": 2})
    assert isinstance(result, Assessment)
    assert result.matched == {"tummy ache": "Abdominal pain", "Fever": "Fever"}
    assert result.advice and result.reasons
    assert 0 <= result.confidence <= MAX_CONFIDENCE
    assert result.model_version == triager.model_version != "interim"
    assert result.crisis is False


def test_details_hold_rules_features_neighbours_and_probabilities(triager):
    details = triager.assess({"Chest pain": 4, "Fever": 2}).details
    assert {"rules", "top_features", "similar_examples", "model_level", "probabilities"} <= set(details)
    assert details["top_features"][0]["feature"] == "Chest pain"
    assert len(details["similar_examples"]) == 3
    assert abs(sum(details["probabilities"].values()) - 1) < 1e-3


def test_reasons_name_the_rule_the_weightiest_symptom_and_similar_examples(triager):
    reasons = " ".join(triager.assess({"Chest pain": 4, "Runny nose": 1}).reasons)
    assert "Chest pain at 4 of 5" in reasons
    assert "the chest pain at 4 of 5 weighed most" in reasons
    assert "Similar examples" in reasons


def test_advice_is_written_for_the_symptom_that_decided(triager):
    result = triager.assess({"Toothache": 4})
    assert "dentist" in result.advice


def test_persistent_symptom_reasons_mention_the_history(triager):
    result = triager.assess({"Cough": 2}, {"Cough": SymptomContext(days_in_row=4, change=0)})
    assert result.level is D
    assert any("4 days in a row" in reason for reason in result.reasons)


def test_severities_outside_one_to_five_are_clamped(triager):
    assert triager.assess({"Chest pain": 9}).level is E
    assert triager.assess({"Headache": 0}).level is S


def test_the_same_symptom_typed_twice_counts_at_its_worst(triager):
    assert triager.assess({"tummy ache": 1, "Abdominal pain": 5}).level is E


def test_an_empty_check_in_is_self_care_with_a_reason(triager):
    result = triager.assess({})
    assert result.level is S and result.reasons


def test_assess_is_deterministic(triager):
    check_in = {"Fever": 3, "Cough": 2, "Sore throat": 2}
    assert triager.assess(check_in) == triager.assess(check_in)


def test_module_level_assess_uses_the_default_triager():
    assert assess({"Chest pain": 5}).level is E
