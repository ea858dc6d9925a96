import itertools

import pytest

from tracker.levels import TriageLevel
from tracker.triage.classifier import ModelView
from tracker.triage.engine import LOW_CONFIDENCE, QUALIFIERS, UNKNOWN_CONFIDENCE, Triager, default_triager
from tracker.triage.features import SymptomContext
from tracker.triage.knowledge import load_knowledge
from tracker.triage.patient import PatientFacts
from tracker.triage.safety import (
    PERSISTENT_DAYS,
    RECURRENT_MIN_SEVERITY,
    WORSENING_CHANGE,
    SafetyRules,
    SymptomRule,
    severe_floor_hit,
)

E, U, D, S = TriageLevel.EMERGENCY, TriageLevel.URGENT, TriageLevel.SEE_DOCTOR, TriageLevel.SELF_CARE


@pytest.fixture(scope="module")
def triager() -> Triager:
    return default_triager()


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


class StubModel:
    """The shipped tables and advice, with a model whose answer the test decides."""

    def __init__(self, real, level: TriageLevel, confidence: float) -> None:
        self.rules, self.advice, self.vocabulary = real.rules, real.advice, real.vocabulary
        self.neighbours, self.space, self.version = real.neighbours, real.space, "stub"
        self.level, self.confidence = level, confidence

    def view(self, severities, contexts) -> ModelView:
        rest = (1 - self.confidence) / 3
        probabilities = {str(lv): self.confidence if lv is self.level else rest for lv in TriageLevel}
        top = [{"feature": name, "severity": sev, "weight": 1.0} for name, sev in severities.items()]
        return ModelView(self.level, self.confidence, probabilities, top, [], self.space.vector(severities))


def stub_triager(level: TriageLevel, confidence: float) -> Triager:
    return Triager(StubModel(default_triager().model, level, confidence))  # type: ignore[arg-type]


@pytest.mark.parametrize("severity", [4, 5])
@pytest.mark.parametrize("symptom", ["Chest pain", "Shortness of breath", "chest pian", "can't breathe"])
def test_chest_pain_or_breathlessness_at_four_or_five_is_emergency(triager, symptom, severity):
    assert triager.assess({symptom: severity}).level is E


def test_chest_pain_at_five_is_emergency_even_when_the_model_says_self_care():
    assert stub_triager(S, 0.99).assess({"Chest pain": 5}).level is E


@pytest.mark.slow  # every symptom at severity 5: ~20 s idle
def test_no_symptom_at_severity_five_is_ever_self_care(triager):
    for name in triager.vocabulary.names:
        assert triager.assess({name: 5}).level is not S, name


def test_an_unknown_symptom_at_severity_five_is_not_self_care(triager):
    assert triager.assess({"glowing toenails": 5}).level is not S


@pytest.mark.parametrize("severity", [1, 2, 3, 4, 5])
def test_suicidal_thoughts_at_any_severity_are_an_emergency_with_the_crisis_line(triager, severity):
    result = triager.assess({"Suicidal thoughts": severity})
    assert (result.level, result.crisis) == (E, True)
    assert "crisis line" in result.advice


@pytest.mark.parametrize(
    "note",
    [
        "I want to end my life",
        "sometimes I think I should kill myself",
        "I've been self-harming",
        "I'M SUICIDAL",
    ],
)
def test_crisis_wording_in_the_note_goes_to_emergency_with_the_crisis_line(triager, note):
    result = triager.assess({"Headache": 1}, note=note)
    assert (result.level, result.crisis) == (E, True)
    assert "crisis line" in result.advice


@pytest.mark.parametrize(
    ("symptoms", "note", "expected_words"),
    [
        ({"Cough": 1}, "I can't breathe", "Breathing trouble"),
        ({"Cough": 1}, "cant breathe at all", "Breathing trouble"),
        ({"Chest pain": 1}, "crushing chest pain down my arm", "heart attack"),
        ({"Headache": 2}, "the worst headache of my life", "severe headache"),
        ({"Dizziness": 1}, "my face is drooping", "stroke"),
        ({"crushing chest pain": 1}, "", "heart attack"),
        ({"can't breathe": 1}, "", "Breathing trouble"),
    ],
)
def test_emergency_phrases_go_straight_to_emergency_with_their_wording(
    triager, symptoms, note, expected_words
):
    result = triager.assess(symptoms, note=note)
    assert (result.level, result.crisis) == (E, False)
    assert expected_words in result.advice
    assert any("You mentioned" in reason for reason in result.reasons)


def test_phrases_are_matched_as_whole_words(triager):
    assert triager.assess({"Headache": 1}, note="my dad's overdose of chocolate cake").level is E
    assert triager.assess({"Headache": 1}, note="I enjoyed suicide squad the film").crisis  # caution wins
    assert triager.assess({"Headache": 1}, note="strokes of luck and choke chains").level is S


@pytest.mark.parametrize(
    ("symptoms", "expected"),
    [
        ({"Fever": 2, "Stiff neck": 1}, E),
        ({"Fever": 3, "Rash": 3, "Stiff neck": 2}, E),
        ({"Chest pain": 1, "Shortness of breath": 1}, E),
        ({"Chest pain": 2, "Sweating": 2}, E),
        ({"Chest pain": 1, "Nausea": 1}, E),
        ({"Headache": 2, "Confusion": 1}, E),
        ({"Fever": 1, "Confusion": 1}, E),
        ({"Back pain": 2, "Numbness": 1, "Loss of bladder control": 1}, E),
        ({"Rash": 2, "Shortness of breath": 1}, E),
        ({"Swollen lips": 1, "Shortness of breath": 1}, E),
        ({"Dizziness": 1, "Slurred speech": 1}, E),
        ({"Shortness of breath": 2, "Swollen ankles": 2}, U),
        ({"Burning urination": 2, "Fever": 2, "Back pain": 2}, U),
        ({"Eye pain": 2, "Blurred vision": 2}, U),
        ({"Abdominal pain": 4, "Vomiting": 2}, U),
        ({"Joint pain": 2, "Fever": 2, "Swelling": 2}, U),
    ],
)
def test_red_flag_combinations_raise_the_level(triager, symptoms, expected):
    result = triager.assess(symptoms)
    assert result.level.rank >= expected.rank
    assert any(rule.startswith("combination:") for rule in result.details["deciding_rules"])


def test_very_mild_breathlessness_with_puffy_ankles_is_a_gp_visit_not_same_day(triager):
    """NHS heart failure: see a GP for these signs; same-day care is for moderate or worsening ones."""
    result = triager.assess({"Shortness of breath": 1, "Swollen ankles": 1})
    assert result.level is D
    assert "combination:heart-failure-breath-ankles" not in result.details["deciding_rules"]


def test_combinations_fire_even_when_the_model_says_self_care():
    assert stub_triager(S, 0.99).assess({"Fever": 1, "Stiff neck": 1}).level is E


def test_rules_only_raise_the_models_level():
    assert stub_triager(E, 0.99).assess({"Runny nose": 1}).level is E


@pytest.mark.parametrize(
    ("context", "expected", "words"),
    [
        (SymptomContext(days_in_row=PERSISTENT_DAYS), D, "days in a row"),
        (SymptomContext(days_in_row=PERSISTENT_DAYS - 1), S, None),
        (SymptomContext(days_in_row=1, change=WORSENING_CHANGE), D, "worse than last time"),
        (SymptomContext(days_in_row=1, change=WORSENING_CHANGE - 1), S, None),
        (SymptomContext(recurrent=True), D, "keeps coming back"),
    ],
)
def test_persistent_or_worsening_symptoms_move_towards_see_doctor(triager, context, expected, words):
    result = triager.assess({"Headache": RECURRENT_MIN_SEVERITY}, {"Headache": context})
    assert result.level is expected
    if words:
        assert any(words in reason for reason in result.reasons)


def test_a_mild_symptom_that_recurs_is_not_sent_to_a_doctor(triager):
    result = triager.assess({"Headache": 1}, {"Headache": SymptomContext(recurrent=True)})
    assert result.level is S


def test_context_keyed_by_the_typed_text_also_counts(triager):
    result = triager.assess({"tummy ache": 2}, {"tummy ache": SymptomContext(days_in_row=5)})
    assert result.level is D


def test_low_model_confidence_raises_one_step_and_says_so():
    result = stub_triager(S, LOW_CONFIDENCE - 0.1).assess({"Runny nose": 1})
    assert result.level is D
    assert result.details["confidence_raised"] is True
    assert any("not sure" in reason for reason in result.reasons)
    assert result.confidence < LOW_CONFIDENCE


def test_confident_model_is_not_raised():
    assert stub_triager(S, LOW_CONFIDENCE + 0.1).assess({"Runny nose": 1}).level is S


@pytest.mark.parametrize("severity", [1, 2, 3, 4, 5])
def test_an_unknown_symptom_is_never_sent_home_nor_made_urgent_on_its_rating_alone(triager, severity):
    result = triager.assess({"glowing toenails": severity})
    assert result.level is D
    assert result.confidence == expected_confidence(triager, "unknown", D, UNKNOWN_CONFIDENCE)
    assert result.matched == {"glowing toenails": None}
    assert any("could not assess" in reason for reason in result.reasons)
    assert "Call emergency services if" in result.advice  # says what would make it urgent


def test_an_unknown_symptom_next_to_a_red_flag_keeps_the_red_flag(triager):
    result = triager.assess({"glowing toenails": 1, "Chest pain": 4})
    assert result.level is E
    assert result.details["deciding_rules"][0].startswith(("combination:", "symptom:"))


def test_guidance_level_is_the_most_urgent_rule(knowledge):
    rules = SafetyRules.from_knowledge(knowledge)
    assert rules.guidance_level({"Headache": 2}) is S
    assert rules.guidance_level({"Headache": 2, "Chest pain": 1}) is D
    assert rules.guidance_level({"Headache": 2}, {"Headache": SymptomContext(days_in_row=4)}) is D
    assert rules.guidance_level({"Fever": 1, "Stiff neck": 1}) is E


def test_a_rule_about_sex_holds_for_that_sex_and_when_the_sex_is_not_known(knowledge):
    rules = SafetyRules.from_knowledge(knowledge)
    cystitis = {"Burning urination": 3}
    fired = {sex: [h.rule for h in rules.combination_hits(cystitis, PatientFacts(30, sex))] for sex in "MF"}
    assert "combination:uti-male" in fired["M"] and "combination:uti-male" not in fired["F"]
    assert "combination:uti-male" in [h.rule for h in rules.combination_hits(cystitis, PatientFacts(30))]
    # The training rows' labels are symptoms alone: no rule about the person.
    assert rules.guidance_level(cystitis) is S
    assert rules.guidance_level(cystitis, patient=PatientFacts(30, "M")) is D


def test_rules_come_from_the_tables_not_the_code(knowledge):
    phrases = knowledge.phrases.copy()
    row = {"phrase": "purple elephants", "kind": "emergency", "level": "emergency", "wording": "Call now."}
    phrases.loc[len(phrases)] = {
        **row,
        "source": "test",
        "language": "en",
        "group": "x",
        "unless": "at the zoo",
    }
    rules = SafetyRules.from_knowledge(type(knowledge)(**{**knowledge.__dict__, "phrases": phrases}))
    hits = rules.phrase_hits(["I see purple elephants"])
    assert [(hit.level, hit.wording) for hit in hits] == [(E, "Call now.")]
    assert rules.phrase_hits(["I see purple elephants at the zoo"]) == []  # its `unless` words


def test_the_severe_floor_catches_a_table_that_forgot_severity_five():
    lenient = SymptomRule("Mystery", (S,) * 5, "test")
    assert lenient.level_at(5) is S
    hit = severe_floor_hit({"Mystery": 5})
    assert hit is not None and hit.level is D
    assert severe_floor_hit({"Mystery": 4}) is None


@pytest.mark.slow  # every symptom at every severity: ~25 s idle
def test_every_single_symptom_matches_its_table_level(triager, knowledge):
    rules = SafetyRules.from_knowledge(knowledge)
    for name, severity in itertools.product(rules.symptoms, range(1, 6)):
        level = triager.assess({name: severity}).level
        # Its row, raised only by a rule that holds for someone we know nothing about (cystitis is a
        # GP's when the sex is not known).
        fired = rules.combination_hits({name: severity})
        table = TriageLevel.most_urgent(
            rules.symptoms[name].level_at(severity), *(hit.level for hit in fired)
        )
        if name in QUALIFIERS:  # "one-sided" alone says how, not what: never less cautious than its row
            assert level.rank >= table.rank, (name, severity)
        else:
            assert level is table, (name, severity)


def expected_confidence(triager, basis, level, raw):
    """The calibrated rate when the shipped calibration is loaded, else the raw constant."""
    return triager.calibration.confidence(basis, str(level)) if triager.calibration else raw


def test_the_combinations_naming_a_concept_are_every_one_that_needs_it_in_table_order(triager):
    """The follow-up questions search only these: none may be missed, for one concept or several."""
    rules = triager.rules

    def named(rule):
        return {name for name, _ in (*rule.requires, *rule.any_of)}

    for name in set().union(*map(named, rules.combinations)):
        assert rules.naming([name]) == [rule for rule in rules.combinations if name in named(rule)]
    pair = {"Fever", "Headache"}
    assert rules.naming(pair) == [rule for rule in rules.combinations if named(rule) & pair]
    assert rules.naming(["not a concept"]) == []
