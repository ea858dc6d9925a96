import json
from datetime import UTC, date, datetime

import pandas as pd
import pytest
from fhir.resources.R4B.bundle import (
    Bundle,
)  # R4B: the R4 line fhir.resources still ships (R4 itself is gone)

from tracker.diary.entries import entries_frame
from tracker.transfer.downloads import export_bytes
from tracker.transfer.fhir import (
    SEVERITY_SCALE_SYSTEM,
    SNOMED,
    fhir_bundle,
    fhir_bundle_json,
    resource_id,
    snomed_codes,
)
from tracker.triage.knowledge import load_knowledge
from tracker.triage.patient import ProfileFacts

SNOMED_CODES = {"Headache": "25064002", "Cough": "49727002"}
HOSTILE = "<script>alert(1)</script> =cmd|' /C calc'!A0 🤕 כאב ראש \"quoted\" " + "x" * 900


def entries(*rows: tuple) -> pd.DataFrame:
    """Return an entries frame from (id, symptom, typed, severity, "YYYY-MM-DD HH:MM" UTC[, note]) rows."""
    records = []
    for entry_id, symptom, typed, severity, when, *note in rows:
        at = pd.Timestamp(when, tz="UTC")
        records.append(
            (entry_id, 1, symptom, typed, severity, at, at, note[0] if note else None, None, None, "v1")
        )
    return entries_frame(records)


def observations(bundle: dict) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]


def one_observation(*row) -> dict:
    (observation,) = observations(fhir_bundle(entries(row), "Ada", 7, SNOMED_CODES, "Europe/Paris"))
    return observation


def test_bundle_is_a_valid_fhir_collection_of_the_patient_and_one_observation_per_entry():
    frame = entries(
        (1, "Headache", "head ache", 3, "2026-11-20 08:00", "after coffee"),
        (2, "Itch", "itch", 1, "2026-11-21 08:00"),
    )
    bundle = fhir_bundle(frame, "Ada Lovelace", 7, SNOMED_CODES, "Europe/Paris")
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    assert [e.resource.__resource_type__ for e in parsed.entry] == ["Patient", "Observation", "Observation"]
    assert bundle["entry"][0]["resource"]["name"] == [{"text": "Ada Lovelace"}]


def test_observation_follows_the_symptoms_ig_profile():
    observation = one_observation(1, "Headache", "head ache", 3, "2026-11-20 08:00")
    assert observation["status"] == "final"
    assert observation["code"]["coding"] == [
        {"system": "http://loinc.org", "code": "75325-1", "display": "Symptom"}
    ]
    categories = {c["coding"][0]["code"] for c in observation["category"]}
    assert categories == {"symptom", "survey"}
    assert observation["meta"]["profile"] == [
        "http://hl7.org/fhir/uv/symptoms/StructureDefinition/SymptomObservation"
    ]


def test_known_symptom_carries_its_snomed_code_and_the_text_as_typed():
    value = one_observation(1, "Headache", "head ache", 3, "2026-11-20 08:00")["valueCodeableConcept"]
    assert value["coding"] == [{"system": SNOMED, "code": "25064002", "display": "Headache"}]
    assert value["text"] == "head ache"


def test_unknown_symptom_is_text_only():
    value = one_observation(1, "Tingly toes", "tingly toes", 2, "2026-11-20 08:00")["valueCodeableConcept"]
    assert value == {"text": "tingly toes"}


@pytest.mark.parametrize(
    ("severity", "snomed", "text"),
    [
        (1, None, "1 of 5 – Very mild"),
        (2, "255604002", "2 of 5 – Mild"),
        (3, "6736007", "3 of 5 – Moderate"),
        (4, "24484000", "4 of 5 – Severe"),
        (5, None, "5 of 5 – Very severe"),
    ],
)
def test_severity_component_has_the_loinc_code_our_scale_and_snomed_when_exact(severity, snomed, text):
    (component,) = one_observation(1, "Cough", "cough", severity, "2026-11-20 08:00")["component"]
    assert component["code"]["coding"][0]["code"] == "64750-3"
    value = component["valueCodeableConcept"]
    assert value["text"] == text
    assert value["coding"][0] == {
        "system": SEVERITY_SCALE_SYSTEM,
        "code": str(severity),
        "display": text.split(" – ")[1],
    }
    assert [c["code"] for c in value["coding"] if c["system"] == SNOMED] == ([snomed] if snomed else [])


def test_times_are_in_the_patients_zone_with_offset():
    observation = one_observation(1, "Cough", "cough", 2, "2026-07-01 12:00")
    assert observation["effectiveDateTime"] == "2026-07-01T14:00:00+02:00"
    assert observation["issued"] == "2026-07-01T14:00:00+02:00"


def test_subject_and_performer_reference_the_patient_entry():
    bundle = fhir_bundle(entries((1, "Cough", "cough", 2, "2026-11-20 08:00")), "Ada", 7, {}, "UTC")
    patient_url = bundle["entry"][0]["fullUrl"]
    (observation,) = observations(bundle)
    assert observation["subject"]["reference"] == patient_url
    assert observation["performer"][0]["reference"] == patient_url
    assert patient_url == f"urn:uuid:{resource_id(7)}"


def test_ids_are_stable_across_exports_and_distinct_per_entry_and_patient():
    frame = entries(
        (1, "Cough", "cough", 2, "2026-11-20 08:00"), (2, "Cough", "cough", 3, "2026-11-21 08:00")
    )
    first = fhir_bundle_json(frame, "Ada", 7, SNOMED_CODES, "UTC")
    assert fhir_bundle_json(frame, "Ada", 7, SNOMED_CODES, "UTC") == first
    urls = [e["fullUrl"] for e in json.loads(first)["entry"]]
    assert len(set(urls)) == 3
    assert resource_id(7, 1) != resource_id(8, 1)
    assert all(e["fullUrl"] == f"urn:uuid:{e['resource']['id']}" for e in json.loads(first)["entry"])


def test_note_is_carried_and_absent_when_empty():
    assert one_observation(1, "Cough", "cough", 2, "2026-11-20 08:00", "at night")["note"] == [
        {"text": "at night"}
    ]
    assert "note" not in one_observation(1, "Cough", "cough", 2, "2026-11-20 08:00")


def test_hostile_text_survives_json_and_validation():
    frame = entries((1, "Headache", HOSTILE[:100], 4, "2026-11-20 08:00", HOSTILE))
    data = fhir_bundle_json(frame, "Zoë <b>O'Brien</b> 🙂", 7, SNOMED_CODES, "UTC")
    bundle = json.loads(data.decode("utf-8"))
    Bundle.model_validate(bundle)
    (observation,) = observations(bundle)
    assert observation["note"] == [{"text": HOSTILE}]
    assert bundle["entry"][0]["resource"]["name"][0]["text"] == "Zoë <b>O'Brien</b> 🙂"


def test_no_entries_give_a_valid_bundle_of_the_patient_alone():
    bundle = fhir_bundle(entries(), "Ada", 7, SNOMED_CODES, "UTC")
    Bundle.model_validate(bundle)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient"]


def test_snomed_codes_reads_numbers_text_and_blanks_from_the_symptoms_sheet():
    sheet = pd.DataFrame(
        {
            "symptom": ["Headache", "Cough", "Fever", "Sweating", "Drowsiness"],
            "snomed_code": [25064002, 49727002.0, "386661006", "", float("nan")],
        }
    )
    assert snomed_codes(sheet) == {"Headache": "25064002", "Cough": "49727002", "Fever": "386661006"}


def test_snomed_codes_of_the_knowledge_workbook_cover_common_symptoms():
    codes = snomed_codes(load_knowledge().symptoms)
    assert codes["Headache"] == "25064002"
    assert all(code.isdigit() for code in codes.values())


def test_patient_carries_birth_date_and_gender_and_each_condition_is_a_valid_condition():
    about = ProfileFacts(birth_date=date(2026, 9, 25), sex="F", conditions=("asthma", "diabetes"))
    frame = entries((1, "Headache", "head ache", 3, "2026-11-20 08:00"))
    bundle = fhir_bundle(frame, "Ada", 7, SNOMED_CODES, "Europe/Paris", about)
    parsed = Bundle.model_validate(bundle)
    kinds = [e.resource.__resource_type__ for e in parsed.entry]
    assert kinds == ["Patient", "Condition", "Condition", "Observation"]
    patient = bundle["entry"][0]["resource"]
    assert (patient["birthDate"], patient["gender"]) == ("2026-09-25", "female")
    asthma = bundle["entry"][1]["resource"]
    assert asthma["code"]["coding"] == [{"system": SNOMED, "code": "195967001", "display": "Asthma"}]
    assert asthma["clinicalStatus"]["coding"][0]["code"] == "active"
    assert asthma["subject"]["reference"] == f"urn:uuid:{resource_id(7)}"
    assert asthma["id"] == resource_id(7, condition="asthma") != bundle["entry"][2]["resource"]["id"]


@pytest.mark.parametrize(("sex", "gender"), [("F", "female"), ("M", "male"), (None, "unknown")])
def test_gender_is_female_male_or_unknown(sex, gender):
    bundle = fhir_bundle(entries(), "Ada", 7, SNOMED_CODES, "UTC", ProfileFacts(sex=sex))
    assert bundle["entry"][0]["resource"]["gender"] == gender
    assert "birthDate" not in bundle["entry"][0]["resource"]


def test_the_fhir_download_carries_the_profiles_facts():
    about = ProfileFacts(birth_date=date(1990, 1, 2), sex="M", conditions=("copd",))
    data = export_bytes("fhir", entries(), "Ada", 7, "UTC", datetime(2026, 11, 25, tzinfo=UTC), (), about)
    resources = [e["resource"] for e in json.loads(data)["entry"]]
    assert resources[0]["birthDate"] == "1990-01-02"
    assert resources[1]["code"]["coding"][0]["code"] == "13645005"
