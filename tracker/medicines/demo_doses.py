"""Demo medicines and doses: a preventer taken twice a day (mostly on time, sometimes skipped or
forgotten) and a painkiller taken as needed on bad days, written in large batches like the demo entries."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from sqlalchemy import Connection, insert

from tracker.medicines.adherence import planned_slots
from tracker.medicines.schedule import DoseStatus, MedicineView
from tracker.storage.tables import DoseEvent, Medicine

DEMO_DOSE_DAYS = 180  # planned doses over the last half year: a thousand profiles stay quick to build
TAKEN_RATE, SKIPPED_RATE = 0.86, 0.05  # the rest are forgotten (never logged)
AS_NEEDED_RATE = 0.6  # bad days (severity 3 or worse) on which the painkiller is taken
BATCH_ROWS = 20_000


@dataclass(frozen=True)
class DemoMedicine:
    name: str
    amount: float
    unit: str
    form: str
    times: tuple[time, ...]


# Planned medicines in the order a bigger demo adds them (to reach a wanted number of doses).
PLANNED = (
    DemoMedicine("Propranolol", 40, "mg", "tablet", (time(8), time(20))),
    DemoMedicine("Vitamin D", 1000, "IU", "capsule", (time(9),)),
    DemoMedicine("Metformin", 500, "mg", "tablet", (time(8), time(13), time(19))),
    DemoMedicine("Omeprazole", 20, "mg", "capsule", (time(7, 30),)),
)
AS_NEEDED = DemoMedicine("Sumatriptan", 50, "mg", "tablet", ())


@dataclass(frozen=True)
class BadMoment:
    """When a check-in reported a symptom at severity 3 or worse (an as-needed dose may follow)."""

    at: datetime
    severity: int


def add_demo_medicines(
    connection: Connection,
    rng: np.random.Generator,
    patient_id: int,
    bad: Sequence[BadMoment],
    first_day: date,
    now: datetime,
    doses: int | None = None,
) -> int:
    """Add demo medicines and their doses for one patient; return how many doses were added.

    `doses` None: the first planned medicine over the last DEMO_DOSE_DAYS, and as-needed doses on bad
    days. A number: planned medicines from `first_day` on are added until that many doses exist.
    """
    start = max(first_day, (now - timedelta(days=DEMO_DOSE_DAYS)).date()) if doses is None else first_day
    rows = _as_needed_doses(connection, rng, patient_id, bad, first_day)
    chosen = PLANNED[:1] if doses is None else PLANNED
    for template in chosen:
        if doses is not None and len(rows) >= doses:
            break
        medicine = _insert_medicine(connection, patient_id, template, start)
        slots = planned_slots([medicine], start, now.date(), "UTC")["slot_at"]
        rows += _planned_doses(rng, patient_id, medicine.id, [s.to_pydatetime() for s in slots if s <= now])
    if doses is not None and len(rows) > doses:
        keep = np.sort(rng.choice(len(rows), size=doses, replace=False))
        rows = [rows[i] for i in keep]
    for batch in range(0, len(rows), BATCH_ROWS):
        connection.execute(insert(DoseEvent), rows[batch : batch + BATCH_ROWS])
    return len(rows)


def _insert_medicine(
    connection: Connection, patient_id: int, template: DemoMedicine, start: date
) -> MedicineView:
    values = {
        "patient_id": patient_id,
        "name": template.name,
        "dose_amount": template.amount,
        "dose_unit": template.unit,
        "form": template.form,
        "times": " ".join(t.strftime("%H:%M") for t in template.times),
        "as_needed": not template.times,
        "start_date": start,
        "created_at": datetime.combine(start, time(), tzinfo=UTC),
    }
    medicine_id = connection.execute(insert(Medicine).values(**values).returning(Medicine.id)).scalar_one()
    return MedicineView(
        medicine_id, template.name, template.amount, template.unit, template.form, template.times,
        not template.times, start, None,
    )  # fmt: skip


def _planned_doses(
    rng: np.random.Generator, patient_id: int, medicine_id: int, slots: Sequence[datetime]
) -> list[dict[str, object]]:
    draws = rng.random(len(slots))
    late = rng.integers(0, 45, len(slots))
    rows = []
    for slot, draw, minutes in zip(slots, draws, late, strict=True):
        if draw < TAKEN_RATE:
            status, taken = DoseStatus.TAKEN, slot + timedelta(minutes=int(minutes))
        elif draw < TAKEN_RATE + SKIPPED_RATE:
            status, taken = DoseStatus.SKIPPED, slot
        else:
            continue  # forgotten: never logged
        rows.append(_dose(patient_id, medicine_id, status, taken, slot))
    return rows


def _as_needed_doses(
    connection: Connection,
    rng: np.random.Generator,
    patient_id: int,
    bad: Sequence[BadMoment],
    first_day: date,
) -> list[dict[str, object]]:
    if not bad:
        return []
    medicine = _insert_medicine(connection, patient_id, AS_NEEDED, first_day)
    days: dict[date, datetime] = {}
    for moment in bad:
        days.setdefault(moment.at.date(), moment.at)
    chosen = [
        at for at, draw in zip(days.values(), rng.random(len(days)), strict=True) if draw < AS_NEEDED_RATE
    ]
    return [
        _dose(patient_id, medicine.id, DoseStatus.EXTRA, at + timedelta(minutes=10), None) for at in chosen
    ]


def _dose(
    patient_id: int, medicine_id: int, status: DoseStatus, taken: datetime, slot: datetime | None
) -> dict[str, object]:
    return {
        "patient_id": patient_id,
        "medicine_id": medicine_id,
        "status": str(status),
        "taken_at": taken,
        "slot_at": slot,
        "amount": None,
        "logged_at": taken,
    }
