"""Readings typed from home devices are read as numbers against the thresholds of reading_levels.csv."""

import pandas as pd
import pytest

from tracker.levels import TriageLevel
from tracker.triage.engine import Triager, default_triager
from tracker.triage.knowledge import KNOWLEDGE_DIR
from tracker.triage.knowledge_tables import TABLES, table_problems
from tracker.triage.measured import concepts_measured, load_bands, load_kinds, readings_in
from tracker.triage.patient import PatientFacts

ANYONE = PatientFacts()


@pytest.fixture(scope="module")
def triager() -> Triager:
    return default_triager()


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("sats 91", "Low oxygen reading"),
        ("my oxygen on the finger thing says 89%", "Low oxygen reading"),
        ("Sauerstoffsättigung 90 %", "Low oxygen reading"),
        ("oxygen 2 litres at home, sats 90", "Low oxygen reading"),
        ("spo2 93", "Oxygen reading a little low"),
        ("oxygen reads 97", "Normal oxygen reading"),
        ("peak flow 150, my best is 480", "Peak flow under half of best"),
        ("peak flow normally 480 now 150", "Peak flow under half of best"),
        ("peak flow 300/480", "Peak flow well below best"),
        ("peak flow 430 best is 470", "Peak flow near best"),
        ("peak flow 45% of my best", "Peak flow under half of best"),
        ("bp 190/110", "Very high blood pressure"),
        ("blood pressure 150 over 125", "Very high blood pressure"),
        ("BP 150 over 95", "Raised blood pressure reading"),
        ("machine said 128/82", "Normal blood pressure reading"),
        ("blood pressure was 85/50", "Low blood pressure reading"),
        ("sugar was 2.8", "Low blood sugar"),
        ("glucose 300 mg/dl", "High blood sugar"),
        ("bm 24", "Very high blood sugar"),
        ("had juice, 5.8 mmol now", "Blood sugar reading in range"),
        ("ketones 3.4", "Ketone reading 3 or more"),
        ("ketones 1.8", "Ketone reading 1.6 to 2.9"),
        ("pulse 140", "Very fast pulse reading"),
        ("heart rate 35", "Very slow pulse reading"),
        ("watch says 72 bpm", "Normal pulse reading"),
        ("oxygen 94 on the finger meter", "Oxygen reading a little low"),
    ],
)
def test_a_typed_reading_stands_for_the_concept_of_its_band(text, concept):
    assert concepts_measured(text, ANYONE) == [concept]


@pytest.mark.parametrize(
    "text",
    [
        "told to ring 999 if my sats go under 92",
        "target sugar 4 to 7",
        "2 sugars in my tea",
        "headache for 24 hr",
        "tension headache for 2 days",
        "back on 25/12",
        "oxygen 2 litres",
        "peak flow 300",  # no best to compare with: a peak flow alone says nothing
    ],
)
def test_numbers_that_are_no_reading_are_not_read(text):
    assert concepts_measured(text, ANYONE) == []


def test_the_first_band_that_holds_decides_so_copd_has_its_own_oxygen_bands():
    copd = PatientFacts(conditions=frozenset({"copd"}))
    assert concepts_measured("sats 90", copd) == ["Oxygen reading a little low"]
    assert concepts_measured("sats 86", copd) == ["Low oxygen reading"]
    assert concepts_measured("sats 90", ANYONE) == ["Low oxygen reading"]


def test_a_childs_pulse_is_not_judged_by_adult_bands():
    assert concepts_measured("pulse 140", PatientFacts(age_years=2)) == []
    assert concepts_measured("pulse 140", PatientFacts(age_years=40)) == ["Very fast pulse reading"]


def test_each_reading_of_a_text_is_found_in_order():
    found = readings_in("temp 38.4, pulse 120, sats 95, bp 100/60")
    assert [reading.kind for reading in found] == ["pulse", "oxygen", "blood_pressure"]
    assert dict(found[2].values) == {"systolic": 100, "diastolic": 60}


@pytest.mark.parametrize(
    ("symptoms", "note", "level"),
    [
        ({"a bit breathless": 2, "sats 91": 1}, "", TriageLevel.EMERGENCY),
        ({"wheezy": 2}, "peak flow 150 when my best is 480", TriageLevel.EMERGENCY),
        ({"blocked nose": 2, "oxygen reads 97 on my finger thing": 1}, "", TriageLevel.SELF_CARE),
        ({"worried about my bp": 2, "machine said 128/82": 1}, "", TriageLevel.SELF_CARE),
        ({"sneezing": 2, "peak flow 430 best is 470": 1}, "", TriageLevel.SELF_CARE),
        ({"feel sick": 2, "ketones 3.4": 2}, "", TriageLevel.EMERGENCY),
        ({"morning sugars creeping up 9 to 11": 2}, "", TriageLevel.SEE_DOCTOR),
    ],
)
def test_readings_set_the_level_and_a_normal_one_is_not_an_unknown_symptom(triager, symptoms, note, level):
    assessment = triager.assess(symptoms, note=note)
    assert assessment.level is level
    assert not assessment.details["unmatched"]


def test_every_band_names_a_concept_the_tables_assess():
    symptoms = pd.read_csv(KNOWLEDGE_DIR / "symptoms.csv", dtype=str, keep_default_na=False)
    assert {band.concept for band in load_bands()} <= set(symptoms["symptom"])
    assert {kind.id for kind in load_kinds()} >= {"oxygen", "peak_flow", "blood_pressure", "glucose"}


def test_the_knowledge_check_names_a_bad_reading_row_with_its_file_and_line():
    raw = {
        name: pd.read_csv(KNOWLEDGE_DIR / f"{name}.csv", dtype=str, keep_default_na=False) for name in TABLES
    }
    levels = raw["reading_levels"].copy()
    levels.loc[1, ["from", "to", "concept"]] = ["95", "90", "Oxygen a bit off"]
    levels.loc[2, "measure"] = "oxygn"
    problems = table_problems({**raw, "reading_levels": levels})
    assert "reading_levels.csv line 3: from 95 is above to 90" in problems
    assert "reading_levels.csv line 3: concept 'Oxygen a bit off' is not in symptoms.csv" in problems
    assert any(p.startswith("reading_levels.csv line 4: measure 'oxygn'") for p in problems)


def test_the_log_form_says_a_typed_reading_is_understood_before_saving(triager):
    """The caption under the field and the advice read a reading the same way (they had disagreed:
    "Not understood" over advice that had read the peak flow)."""
    vocabulary = triager.vocabulary
    caption = vocabulary.reading_caption("peak flow 150, my best is 480")
    assert caption == "Understood as **Peak flow under half of best**."
    assert vocabulary.nearest("peak flow 150, my best is 480") == []
    assert vocabulary.reading_caption("oxygen reads 97").startswith("Understood as **Normal oxygen reading**")


def test_the_knowledge_check_names_a_bad_covers_row_with_its_file_and_line():
    raw = {
        name: pd.read_csv(KNOWLEDGE_DIR / f"{name}.csv", dtype=str, keep_default_na=False) for name in TABLES
    }
    covers = raw["covers"].copy()
    covers.loc[0, "covers"] = "Tummy ache|Period pain"
    problems = table_problems({**raw, "covers": covers})
    assert "covers.csv line 2: covers 'Tummy ache', which is not in symptoms.csv" in problems
    assert "covers.csv line 2: 'Period pain' cannot cover itself" in problems
