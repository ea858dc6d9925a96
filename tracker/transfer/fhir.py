"""FHIR R4 export: a "collection" Bundle of the Patient and one Symptom Observation per entry.

The Patient carries `birthDate` and `gender` (female, male, or unknown when not said) from the profile,
and each long-term condition the profile records is a Condition (SNOMED CT code from
data/knowledge/conditions.csv, clinicalStatus active, category problem-list-item, `subject` the Patient).

Each Observation follows the SymptomObservation profile of the HL7 FHIR Symptoms IG (STU 1, R4):
category "symptom" (plus the core "survey": the patient reported it), `code` LOINC 75325-1 "Symptom",
`valueCodeableConcept` the symptom itself (SNOMED CT when known, `text` as typed), `subject` and
`performer` the Patient, `effectiveDateTime` in the patient's zone with its offset, `issued` when it
was logged, `note` the patient's note, and the IG's severity component: LOINC 64750-3 "Severity of
symptoms" with a CodeableConcept. The app's 1-5 scale has no standard code system, so the component
carries our own scale's code ("1".."5", SEVERITY_SCALE_SYSTEM), the SNOMED CT severity where one
means the same (FHIR R4 condition-severity: mild, moderate, severe), and the number and word as text.

Each answer to a follow-up question at check-in (`answers` column) is one more component of the
check-in's Observations: `code` the question (our QUESTION_SYSTEM, the question id, its words as text),
`valueCodeableConcept` HL7 v2 table 0136 Y / N for yes and no, data-absent-reason "asked-unknown" for
"not sure".

Each own measure value is an Observation too: status final, category from its preset (vital-signs,
laboratory, activity, exam; survey for 0-4 ratings), `code` the preset's LOINC code (text only for a
measure of the person's own), `valueQuantity` in UCUM (http://unitsofmeasure.org: Cel, [degF], kg,
mmol/L, mg/dL, L/min, /min; {score} for a rating), `effectiveDateTime` in the patient's zone.

Ids are uuid5 values of the patient and entry ids, so exporting the same entries again gives the same
resources (and a receiving server updates rather than duplicates them). References use urn:uuid:
fullUrls, as a Bundle of resources that have no server address yet should.
"""

import json
import uuid
from collections.abc import Mapping
from typing import Any

import pandas as pd

from tracker.diary.entries import parse_answers_text
from tracker.diary.validation import SEVERITY_MAX, SEVERITY_WORDS
from tracker.measures.presets import MeasureKind, load_presets
from tracker.medicines.schedule import MedicineHistory
from tracker.transfer.exports import local_iso
from tracker.transfer.fhir_medicines import medication_resources
from tracker.triage.follow_up import default_question_book
from tracker.triage.patient import ProfileFacts, load_conditions

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SNOMED = "http://snomed.info/sct"
SYMPTOM_PROFILE = "http://hl7.org/fhir/uv/symptoms/StructureDefinition/SymptomObservation"
SYMPTOM_CATEGORY = {
    "system": "http://hl7.org/fhir/uv/symptoms/CodeSystem/SymptomTemporary",
    "code": "symptom",
    "display": "Symptom",
}
SURVEY_CATEGORY = {
    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
    "code": "survey",
    "display": "Survey",
}
CONDITION_ACTIVE = {
    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
    "code": "active",
    "display": "Active",
}
PROBLEM_LIST_ITEM = {
    "system": "http://terminology.hl7.org/CodeSystem/condition-category",
    "code": "problem-list-item",
    "display": "Problem List Item",
}
FHIR_GENDER = {"F": "female", "M": "male"}  # blank (not said) is "unknown"
SYMPTOM_CODE = {"system": LOINC, "code": "75325-1", "display": "Symptom"}
SEVERITY_CODE = {"system": LOINC, "code": "64750-3", "display": "Severity of symptoms"}
# Our namespace for deterministic ids; fixed forever, or re-exports would stop matching earlier ones.
ID_NAMESPACE = uuid.UUID("6f0f6c8e-4d7b-5b8a-9c1e-2a4f3b9d7e10")
# A code system of our own for the 1-5 scale: FHIR accepts urn:uuid: system URIs for local systems.
SEVERITY_SCALE_SYSTEM = "urn:uuid:0b4f2d7c-8e1a-5c3b-9f6d-7a2e4c1b8d35"
# Our code system for the follow-up questions (codes: the ids in data/knowledge/questions.csv).
QUESTION_SYSTEM = "urn:uuid:5d8e2a1f-3c7b-5e9a-8b4d-1f6a2c9e7b30"
YES_NO_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0136"
ABSENT_REASON_SYSTEM = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
ANSWER_CODINGS = {
    "yes": {"system": YES_NO_SYSTEM, "code": "Y", "display": "Yes"},
    "no": {"system": YES_NO_SYSTEM, "code": "N", "display": "No"},
    "not_sure": {"system": ABSENT_REASON_SYSTEM, "code": "asked-unknown", "display": "Asked But Unknown"},
}
# SNOMED CT qualifier values used by FHIR R4's condition-severity value set; "very mild" (1) and
# "very severe" (5) have no exact equivalent there, so they keep only our own code and the text.
SNOMED_SEVERITY = {2: ("255604002", "Mild"), 3: ("6736007", "Moderate"), 4: ("24484000", "Severe")}


def snomed_codes(symptoms: pd.DataFrame) -> dict[str, str]:
    """Return symptom name -> SNOMED CT code from the knowledge `symptoms` sheet (blank codes left out)."""
    codes = {}
    for name, code in zip(symptoms["symptom"], symptoms["snomed_code"], strict=True):
        text = _code_text(code)
        if text:
            codes[str(name)] = text
    return codes


def _code_text(code: object) -> str:
    """Return a code cell as digits: Excel hands numbers back as 25064002 or 25064002.0."""
    if code is None or (isinstance(code, float) and code != code):  # NaN
        return ""
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    return str(code).strip()


def resource_id(
    patient_id: int,
    entry_id: int | None = None,
    condition: str | None = None,
    measure_value: int | None = None,
) -> str:
    """Return the stable uuid of the patient (or of one of the patient's entries, conditions or values)."""
    name = f"patient/{patient_id}"
    if entry_id is not None:
        name += f"/entry/{entry_id}"
    if measure_value is not None:
        name += f"/measure-value/{measure_value}"
    if condition is not None:
        name += f"/condition/{condition}"
    return str(uuid.uuid5(ID_NAMESPACE, name))


def condition_resource(patient_id: int, condition: str, subject: dict[str, str]) -> dict[str, Any]:
    """Return a Condition for one long-term condition: SNOMED CT code, active, on the problem list."""
    known = {c.id: c for c in load_conditions()}.get(condition)
    label = known.label if known else condition.replace("_", " ")
    code: dict[str, Any] = {"text": label}
    if known and known.snomed_code:
        code["coding"] = [{"system": SNOMED, "code": known.snomed_code, "display": label}]
    return {
        "resourceType": "Condition",
        "id": resource_id(patient_id, condition=condition),
        "clinicalStatus": {"coding": [CONDITION_ACTIVE]},
        "category": [{"coding": [PROBLEM_LIST_ITEM]}],
        "code": code,
        "subject": subject,
    }


def fhir_bundle(
    entries: pd.DataFrame,
    patient_name: str,
    patient_id: int,
    snomed: Mapping[str, str],
    tz: str,
    about: ProfileFacts | None = None,
    medicines: MedicineHistory | None = None,
    measures: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Return a FHIR R4 Bundle (type "collection"): the Patient, a Condition per long-term condition,
    an Observation per entry and per measure value (`measures`, when given), then the medicines (see
    tracker.transfer.fhir_medicines)."""
    about = about or ProfileFacts()
    patient_uuid = resource_id(patient_id)
    patient = {
        "resourceType": "Patient",
        "id": patient_uuid,
        "name": [{"text": patient_name}],
        "gender": FHIR_GENDER.get(about.sex or "", "unknown"),
    }
    if about.birth_date is not None:
        patient["birthDate"] = about.birth_date.isoformat()
    subject = {"reference": f"urn:uuid:{patient_uuid}", "display": patient_name}
    rows = entries.assign(
        occurred_local=local_iso(entries["occurred_at"], tz), logged_local=local_iso(entries["logged_at"], tz)
    )
    conditions = [condition_resource(patient_id, condition, subject) for condition in about.conditions]
    resources = [patient, *conditions] + [
        _observation(row, resource_id(patient_id, int(row["id"])), subject, snomed)
        for row in rows.to_dict("records")
    ]
    if measures is not None and not measures.empty:
        taken = measures.assign(occurred_local=local_iso(measures["occurred_at"], tz))
        resources += [measure_observation(row, patient_id, subject) for row in taken.to_dict("records")]
    if medicines is not None:
        resources += medication_resources(
            medicines.medicines, medicines.doses, patient_id, subject, tz, medicines.today
        )
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


def fhir_bundle_json(
    entries: pd.DataFrame,
    patient_name: str,
    patient_id: int,
    snomed: Mapping[str, str],
    tz: str,
    about: ProfileFacts | None = None,
    medicines: MedicineHistory | None = None,
    measures: pd.DataFrame | None = None,
) -> bytes:
    """Return `fhir_bundle` as compact UTF-8 JSON (application/fhir+json)."""
    bundle = fhir_bundle(entries, patient_name, patient_id, snomed, tz, about, medicines, measures)
    # Compact, not indented: json's C encoder only serves the compact form (ten times faster on 100,000
    # entries), and the file is a third of the size.
    return json.dumps(bundle, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _observation(
    row: Mapping[str, Any], observation_id: str, subject: dict[str, str], snomed: Mapping[str, str]
) -> dict[str, Any]:
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": observation_id,
        "meta": {"profile": [SYMPTOM_PROFILE]},
        "status": "final",
        "category": [{"coding": [SYMPTOM_CATEGORY]}, {"coding": [SURVEY_CATEGORY]}],
        "code": {"coding": [SYMPTOM_CODE], "text": "Symptom"},
        "subject": subject,
        "effectiveDateTime": row["occurred_local"],
        "issued": row["logged_local"],
        "performer": [subject],
        "valueCodeableConcept": symptom_concept(str(row["symptom"]), _text(row["symptom_text"]), snomed),
        "component": [{"code": {"coding": [SEVERITY_CODE]}, "valueCodeableConcept": severity_concept(row)}],
    }
    observation["component"] += answer_components(_text(row.get("answers")))
    if note := _text(row["note"]):
        observation["note"] = [{"text": note}]
    return observation


def answer_components(answers: str) -> list[dict[str, Any]]:
    """Return one Observation component per follow-up answer in an `answers` cell ("id: yes; …")."""
    book = default_question_book().by_id
    components = []
    for key, answer in parse_answers_text(answers).items():
        question = book[key].text if key in book else key
        coding = ANSWER_CODINGS.get(answer)
        value = {"coding": [coding], "text": coding["display"]} if coding else {"text": answer}
        code = {"coding": [{"system": QUESTION_SYSTEM, "code": key, "display": question}], "text": question}
        components.append({"code": code, "valueCodeableConcept": value})
    return components


def measure_observation(row: Mapping[str, Any], patient_id: int, subject: dict[str, str]) -> dict[str, Any]:
    """Return one measure value as an Observation: LOINC code and UCUM quantity when its preset has them."""
    preset = load_presets().get(_text(row.get("preset")))
    name, unit = str(row["measure"]), _text(row["unit"])
    code: dict[str, Any] = {"text": name}
    quantity: dict[str, Any] = {"value": float(row["value"]), "unit": unit or "score"}
    category = "survey" if row["kind"] == MeasureKind.RATING else "exam"
    if preset is not None:
        category = preset.category
        quantity |= {"system": UCUM, "code": preset.ucum}
        if preset.loinc:
            code["coding"] = [{"system": LOINC, "code": preset.loinc, "display": preset.loinc_display}]
    elif row["kind"] == MeasureKind.RATING:
        quantity |= {"system": UCUM, "code": "{score}"}
    return {
        "resourceType": "Observation",
        "id": resource_id(patient_id, measure_value=int(row["id"])),
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": category}]}],
        "code": code,
        "subject": subject,
        "effectiveDateTime": row["occurred_local"],
        "performer": [subject],
        "valueQuantity": quantity,
    }


def symptom_concept(symptom: str, as_typed: str, snomed: Mapping[str, str]) -> dict[str, Any]:
    """Return the symptom as a CodeableConcept: SNOMED CT coding when known, text as the person typed it."""
    code = snomed.get(symptom)
    coding = [{"system": SNOMED, "code": code, "display": symptom}] if code else []
    return {"coding": coding, "text": as_typed or symptom} if coding else {"text": as_typed or symptom}


def severity_concept(row: Mapping[str, Any]) -> dict[str, Any]:
    """Return the entry's 1-5 severity as a CodeableConcept: our scale's code, SNOMED CT when exact, text."""
    severity = int(row["severity"])
    word = SEVERITY_WORDS[severity]
    coding = [{"system": SEVERITY_SCALE_SYSTEM, "code": str(severity), "display": word}]
    if severity in SNOMED_SEVERITY:
        code, display = SNOMED_SEVERITY[severity]
        coding.append({"system": SNOMED, "code": code, "display": display})
    return {"coding": coding, "text": f"{severity} of {SEVERITY_MAX} – {word}"}


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)  # type: ignore[call-overload]
