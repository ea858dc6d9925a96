import pytest

from tracker.levels import TriageLevel
from tracker.triage.engine import MAX_CONFIDENCE, Assessment, PatientFacts, Triager, assess, default_triager
from tracker.triage.features import SymptomContext

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


def test_the_order_symptoms_are_listed_in_does_not_change_the_advice(triager):
    first = triager.assess({"Fever": 3, "Cough": 2, "Sore throat": 2})
    again = triager.assess({"Sore throat": 2, "Cough": 2, "Fever": 3})
    assert (again.level, again.advice, again.confidence) == (first.level, first.advice, first.confidence)


def test_module_level_assess_uses_the_default_triager():
    assert assess({"Chest pain": 5}).level is E


# --- reading what people type (issue 13) ------------------------------------------------------------


def test_a_phrase_holding_two_symptoms_counts_both(triager):
    result = triager.assess({"headache and a stiff neck": 3})
    assert result.details["understood"]["headache and a stiff neck"] == ["Headache", "Stiff neck"]
    assert result.level.rank >= TriageLevel.URGENT.rank  # the combination rule, not one symptom alone


def test_a_negated_emergency_phrase_does_not_fire(triager):
    result = triager.assess({"Headache": 2}, note="I'm not having a stroke, just a headache")
    assert not any(rule["rule"].startswith("phrase:") for rule in result.details["rules"])
    assert result.level is TriageLevel.SELF_CARE


@pytest.mark.parametrize("note", ["im not having a stroke, just a headache", "I am not having a stroke"])
def test_negation_scope_holds_for_contractions_typed_without_apostrophes(triager, note):
    result = triager.assess({"Headache": 2}, note=note)
    assert not any(rule["rule"].startswith("phrase:") for rule in result.details["rules"])


@pytest.mark.parametrize(
    "typed", ["feel life isnt worth living", "feel life isn't worth living", "life is not worth living"]
)
def test_crisis_wording_is_read_with_or_without_the_apostrophe(triager, typed):
    result = triager.assess({typed: 3})
    assert result.crisis and result.level is TriageLevel.EMERGENCY


def test_the_same_phrase_without_negation_is_an_emergency(triager):
    assert triager.assess({"Headache": 2}, note="I think I'm having a stroke").level is TriageLevel.EMERGENCY


def test_a_symptom_said_to_be_absent_is_not_assessed(triager):
    result = triager.assess({"Fever": 2}, note="no stiff neck")
    assert "Stiff neck" in result.details["negated"]
    assert result.level is not TriageLevel.EMERGENCY


def test_the_note_is_read_for_red_flags(triager):
    plain = triager.assess({"Fever": 2})
    with_note = triager.assess({"Fever": 2}, note="and her neck is stiff")
    assert with_note.details["understood"]["note"] == ["Stiff neck"]
    assert with_note.level is TriageLevel.EMERGENCY and plain.level is not TriageLevel.EMERGENCY


def test_typos_inside_a_longer_phrase_are_read(triager):
    assert triager.assess({"really bad headake": 2}).details["understood"]["really bad headake"] == [
        "Headache"
    ]


def test_tables_only_triage_needs_no_model_and_keeps_the_red_flags():
    from tracker.triage.engine import Triager
    from tracker.triage.knowledge import load_knowledge

    tables = Triager.tables_only(load_knowledge())
    assert tables.model_version == "tables-only"
    assert tables.assess({"Chest pain": 4}).level is TriageLevel.EMERGENCY
    assert tables.assess({"Runny nose": 1}).level is TriageLevel.SELF_CARE


@pytest.mark.parametrize(
    ("symptoms", "note", "patient", "expected"),
    [
        ({"feel a bit sick": 1}, "took 20 paracetamol last night, feel fine now", None, E),
        ({"headache": 2, "bit dizzy": 2}, "fell off skateboard, knocked out for a minute", None, E),
        (
            {"big lump on head": 3},
            "rolled off the changing table, the swelling is the size of a golf ball",
            PatientFacts(age_years=0.5),
            E,
        ),
        ({"hot tea spilled on arm": 4, "blisters coming up": 3}, "", PatientFacts(age_years=2), E),
        ({"dudakları şişti": 4, "nefes almakta zorlanıyor": 4}, "", None, E),
        ({"seene mein dard": 3, "bohat paseena": 3}, "", None, E),
        ({"bitten on ankle": 3, "swelling up": 3, "feel dizzy": 2}, "", None, E),
        ({"burn on arm": 2}, "no blisters, cooled under the tap", None, S),
        ({"still a bit tired": 2}, "had flu 2 weeks ago, getting better every day", None, S),
        ({"condom split": 1}, "", None, S),
    ],
)
def test_injury_poisoning_language_and_everyday_cases(triager, symptoms, note, patient, expected):
    assert triager.assess(symptoms, note=note, patient=patient).level is expected


def test_patient_facts_and_assess_are_found_where_the_api_names_them():
    """`tracker.triage.PatientFacts` and `tracker.triage.assess(symptoms, context, note, patient)`."""
    import tracker.triage as triage

    infant = triage.PatientFacts(age_years=0.2, sex="F", pregnant=None, conditions=frozenset())
    assert triage.assess({"Fever": 2}, None, "", infant).level == "emergency"
    assert triage.assess({"Fever": 2}, patient=triage.PatientFacts(age_years=30)).level != "emergency"


@pytest.mark.parametrize("typed", ["baby not moving as much", "my waters broke"])
def test_same_day_advice_in_pregnancy_names_the_maternity_unit_not_a_gp(triager, typed):
    """NHS: reduced movements or waters breaking mean a call to the midwife or maternity unit now."""
    result = triager.assess({typed: 2}, patient=PatientFacts(age_years=30, sex="F", pregnant=True))
    assert result.level is TriageLevel.URGENT
    assert "maternity unit" in result.advice and "GP practice" not in result.advice
