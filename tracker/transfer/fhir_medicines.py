"""FHIR R4 medicines: a MedicationStatement per medicine on the list, a MedicationAdministration per dose.

The person reports both, so `informationSource` and `performer` are the Patient. A medicine is coded
by its name as typed (`medicationCodeableConcept.text`: no drug dictionary ships with the app); the
statement's dosage gives the dose (UCUM where the unit has a code, e.g. mg, mL, {puff}), the times of
day or `asNeededBoolean`, and its period. A skipped dose is an administration with status "not-done"
and the reason "Skipped"; taken and extra doses are "completed". Ids are uuid5 values of the patient,
medicine and dose ids (see fhir.resource_id), so a re-export updates rather than duplicates.
"""

import math
import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from tracker.medicines.schedule import MedicineView, dose_text
from tracker.transfer.exports import local_iso

UCUM = "http://unitsofmeasure.org"
# Our units → UCUM codes; curly-brace annotations are UCUM's way to count things ("{puff}" is 1).
UCUM_CODES = {
    "mg": "mg", "g": "g", "mcg": "ug", "ml": "mL", "units": "[U]", "IU": "[iU]", "tablets": "{tablet}",
    "capsules": "{capsule}", "puffs": "{puff}", "drops": "[drp]", "sprays": "{spray}", "patches": "{patch}",
}  # fmt: skip
# The namespace of tracker.transfer.fhir (which imports this module, so it cannot be imported from there).
ID_NAMESPACE = uuid.UUID("6f0f6c8e-4d7b-5b8a-9c1e-2a4f3b9d7e10")


def medicine_resource_id(patient_id: int, medicine_id: int, dose_id: int | None = None) -> str:
    """Return the stable uuid of a medicine's statement (or of one dose's administration)."""
    name = f"patient/{patient_id}/medicine/{medicine_id}"
    return str(uuid.uuid5(ID_NAMESPACE, name if dose_id is None else f"{name}/dose/{dose_id}"))


def quantity(amount: float, unit: str) -> dict[str, Any]:
    """Return a FHIR Quantity: the value and unit, with the UCUM code where there is one."""
    found: dict[str, Any] = {"value": amount, "unit": unit}
    if unit in UCUM_CODES:
        found |= {"system": UCUM, "code": UCUM_CODES[unit]}
    return found


def medication_statement(
    medicine: MedicineView, patient_id: int, subject: dict[str, str], today: date | None
) -> dict[str, Any]:
    """Return the MedicationStatement of one medicine: active until its last day, then completed."""
    period = {"start": medicine.start_date.isoformat()}
    if medicine.end_date is not None:
        period["end"] = medicine.end_date.isoformat()
    words = (
        f"{dose_text(medicine.dose_amount, medicine.dose_unit)} ({medicine.form}), {medicine.schedule_text}"
    )
    dosage: dict[str, Any] = {
        "text": words,
        "asNeededBoolean": medicine.as_needed,
        "doseAndRate": [{"doseQuantity": quantity(medicine.dose_amount, medicine.dose_unit)}],
    }
    if medicine.times:
        times = [t.strftime("%H:%M:00") for t in medicine.times]
        dosage["timing"] = {
            "repeat": {"frequency": len(times), "period": 1, "periodUnit": "d", "timeOfDay": times}
        }
    stopped = medicine.end_date is not None and (today is None or medicine.end_date < today)
    return {
        "resourceType": "MedicationStatement",
        "id": medicine_resource_id(patient_id, medicine.id),
        "status": "completed" if stopped else "active",
        "medicationCodeableConcept": {"text": medicine.name},
        "subject": subject,
        "effectivePeriod": period,
        "informationSource": subject,
        "dosage": [dosage],
    }


def medication_administration(
    dose: Mapping[str, Any], medicine: MedicineView, patient_id: int, subject: dict[str, str]
) -> dict[str, Any]:
    """Return the MedicationAdministration of one dose row (with `taken_local`, its local ISO time)."""
    amount = (
        dose["amount"]
        if dose["amount"] is not None and not math.isnan(dose["amount"])
        else medicine.dose_amount
    )
    statement = medicine_resource_id(patient_id, medicine.id)
    resource: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "id": medicine_resource_id(patient_id, medicine.id, int(dose["id"])),
        "status": "not-done" if dose["status"] == "skipped" else "completed",
        "medicationCodeableConcept": {"text": medicine.name},
        "subject": subject,
        "supportingInformation": [{"reference": f"urn:uuid:{statement}"}],
        "effectiveDateTime": dose["taken_local"],
        "performer": [{"actor": subject}],
        "dosage": {"dose": quantity(float(amount), medicine.dose_unit)},
    }
    if dose["status"] == "skipped":
        resource["statusReason"] = [{"text": "Skipped"}]
    elif dose["status"] == "extra":
        resource["note"] = [{"text": "As needed" if medicine.as_needed else "An extra dose"}]
    return resource


def medication_resources(
    medicines: Sequence[MedicineView],
    doses: pd.DataFrame | None,
    patient_id: int,
    subject: dict[str, str],
    tz: str,
    today: date | None,
) -> list[dict[str, Any]]:
    """Return a MedicationStatement per medicine, then a MedicationAdministration per dose, oldest first."""
    by_id = {medicine.id: medicine for medicine in medicines}
    resources = [medication_statement(medicine, patient_id, subject, today) for medicine in medicines]
    if doses is None or doses.empty:
        return resources
    rows = doses[doses["medicine_id"].isin(list(by_id))]
    rows = rows.assign(taken_local=local_iso(rows["taken_at"], tz))
    return resources + [
        medication_administration(row, by_id[int(row["medicine_id"])], patient_id, subject)
        for row in rows.to_dict("records")
    ]
