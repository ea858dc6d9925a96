"""Medicines in the FHIR export: a MedicationStatement per medicine, a MedicationAdministration per dose."""

import json
from datetime import UTC, date, datetime, time

import pandas as pd
from fhir.resources.R4B.bundle import Bundle

from tracker.care_team.access import LOCAL
from tracker.diary.entries import list_entries
from tracker.diary.patients import add_patient
from tracker.medicines.doses import doses_frame, log_dose, medicine_history
from tracker.medicines.medicine_list import add_medicine, stop_medicine
from tracker.medicines.schedule import DoseStatus, MedicineHistory, MedicineInput, MedicineView
from tracker.transfer.downloads import export_bytes
from tracker.transfer.fhir import fhir_bundle
from tracker.transfer.fhir_medicines import UCUM, medicine_resource_id

SUMATRIPTAN = MedicineView(
    3, "Sumatriptan", 50, "mg", "tablet", (time(8), time(20)), False, date(2026, 11, 1), None
)
INHALER = MedicineView(4, "Salbutamol", 2, "puffs", "inhaler", (), True, date(2026, 1, 1), date(2026, 11, 20))
EMPTY = pd.DataFrame(
    columns=["id", "symptom", "symptom_text", "severity", "occurred_at", "logged_at", "note"]
)


def doses(*rows):
    """Rows of (id, medicine_id, status, taken_at UTC text, slot or None, amount or None)."""
    return doses_frame(
        [(i, m, "x", status, at, slot, amount, "mg", False) for i, m, status, at, slot, amount in rows]
    )


def bundle_with(history: MedicineHistory) -> dict:
    entries = EMPTY.assign(
        occurred_at=pd.Series(dtype="datetime64[ns, UTC]"), logged_at=pd.Series(dtype="datetime64[ns, UTC]")
    )
    return fhir_bundle(entries, "Ada", 7, {}, "Europe/Paris", medicines=history)


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_medicines_and_doses_are_valid_fhir_in_the_bundle():
    history = MedicineHistory(
        (SUMATRIPTAN, INHALER),
        doses(
            (1, 3, "taken", "2026-11-24T07:05:00+00:00", "2026-11-24T07:00:00+00:00", None),
            (2, 3, "skipped", "2026-11-24T19:00:00+00:00", "2026-11-24T19:00:00+00:00", None),
            (3, 4, "extra", "2026-11-19T13:30:00+00:00", None, 4.0),
        ),
        date(2026, 11, 25),
    )
    bundle = bundle_with(history)
    parsed = Bundle.model_validate(bundle)
    kinds = [e.resource.__resource_type__ for e in parsed.entry]
    assert kinds == ["Patient", *["MedicationStatement"] * 2, *["MedicationAdministration"] * 3]
    statement, stopped = resources(bundle, "MedicationStatement")
    assert (statement["status"], stopped["status"]) == ("active", "completed")
    dosage = statement["dosage"][0]
    assert dosage["timing"]["repeat"]["timeOfDay"] == ["08:00:00", "20:00:00"]
    assert dosage["doseAndRate"][0]["doseQuantity"] == {
        "value": 50,
        "unit": "mg",
        "system": UCUM,
        "code": "mg",
    }
    assert stopped["dosage"][0]["asNeededBoolean"] is True and "timing" not in stopped["dosage"][0]
    taken, skipped, extra = resources(bundle, "MedicationAdministration")
    assert taken["status"] == "completed" and taken["effectiveDateTime"] == "2026-11-24T08:05:00+01:00"
    assert taken["dosage"]["dose"]["value"] == 50  # the usual dose when none was given
    assert skipped["status"] == "not-done" and skipped["statusReason"] == [{"text": "Skipped"}]
    assert extra["dosage"]["dose"] == {"value": 4.0, "unit": "puffs", "system": UCUM, "code": "{puff}"}
    assert taken["supportingInformation"] == [{"reference": f"urn:uuid:{statement['id']}"}]


def test_ids_are_stable_across_exports():
    assert medicine_resource_id(7, 3, 1) == medicine_resource_id(7, 3, 1) != medicine_resource_id(7, 3, 2)
    first = bundle_with(MedicineHistory((SUMATRIPTAN,), None, date(2026, 11, 25)))
    again = bundle_with(MedicineHistory((SUMATRIPTAN,), None, date(2026, 11, 25)))
    assert first == again


def test_the_fhir_download_holds_what_the_person_logged(session, now):
    ada = add_patient(session, LOCAL, "Ada")
    pill = add_medicine(
        session,
        LOCAL,
        ada.id,
        MedicineInput("Sumatriptan", 50, "mg", "tablet", (time(8),), start_date=date(2026, 11, 1)),
        now.date(),
    )
    slot = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    log_dose(session, LOCAL, ada.id, pill.id, DoseStatus.TAKEN, slot, "UTC", slot_at=slot, now=now)
    stop_medicine(session, LOCAL, ada.id, pill.id, now.date())
    history = medicine_history(session, LOCAL, ada.id, now.date())
    data = export_bytes(
        "fhir", list_entries(session, LOCAL, ada.id), "Ada", ada.id, "UTC", now, medicines=history
    )
    bundle = json.loads(data)
    Bundle.model_validate(bundle)
    (statement,) = resources(bundle, "MedicationStatement")
    assert statement["status"] == "active"  # its last day is today
    assert statement["effectivePeriod"] == {"start": "2026-11-01", "end": "2026-11-25"}
    (dose,) = resources(bundle, "MedicationAdministration")
    assert dose["effectiveDateTime"] == "2026-11-25T08:00:00+00:00"
