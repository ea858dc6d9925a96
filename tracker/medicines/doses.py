"""Dose events: a dose taken, skipped or taken extra, what is due now, and doses as factors."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.care_team.access import Actor, Permission, require
from tracker.diary.entries import FACTOR_COLUMNS, bump_revision, list_factors, raw_time, rows_frame
from tracker.diary.validation import FUTURE_TOLERANCE, MIN_YEAR
from tracker.errors import ValidationError
from tracker.medicines.medicine_list import get_medicine, list_medicines, view_of
from tracker.medicines.schedule import (
    DoseStatus,
    MedicineHistory,
    MedicineView,
    dose_amount_error,
    due_slots,
    is_slot,
)
from tracker.storage.tables import DoseEvent, Medicine, utcnow

DOSE_COLUMNS = [
    "id", "medicine_id", "medicine", "status", "taken_at", "slot_at", "amount", "dose_unit", "as_needed"
]  # fmt: skip
ALREADY_ANSWERED = "This dose was already recorded."


@dataclass(frozen=True)
class DueDose:
    """A planned dose not answered yet, for the Log page's one-tap buttons and for reminders."""

    medicine: MedicineView
    slot_at: datetime

    @property
    def label(self) -> str:
        return self.medicine.label


def log_dose(
    session: Session,
    actor: Actor,
    patient_id: int,
    medicine_id: int,
    status: DoseStatus,
    taken_at: datetime,
    tz: str,
    slot_at: datetime | None = None,
    amount: float | None = None,
    now: datetime | None = None,
) -> DoseEvent:
    """Record one dose and return it; a planned dose names its slot (answered once, never twice).

    Raises ValidationError (a time in the future, a bad amount, a slot that is not planned or already
    answered, a skipped dose without its slot) or NotFoundError.
    """
    now = now or utcnow()
    medicine = get_medicine(session, actor, patient_id, medicine_id, Permission.WRITE)
    _check_dose(view_of(medicine), DoseStatus(status), taken_at, slot_at, amount, now, tz)
    if slot_at is not None and _answer(session, medicine_id, slot_at) is not None:
        raise ValidationError({"dose": ALREADY_ANSWERED})
    event = DoseEvent(
        patient_id=patient_id,
        medicine_id=medicine_id,
        status=str(status),
        taken_at=taken_at,
        slot_at=slot_at,
        amount=None if amount is None else float(amount),
        logged_at=now,
    )
    try:
        with session.begin_nested():  # two taps at once: the unique slot keeps one
            session.add(event)
    except IntegrityError as error:
        raise ValidationError({"dose": ALREADY_ANSWERED}) from error
    bump_revision(session, actor, patient_id)
    return event


def _check_dose(
    medicine: MedicineView,
    status: DoseStatus,
    taken_at: datetime,
    slot_at: datetime | None,
    amount: float | None,
    now: datetime,
    tz: str,
) -> None:
    errors: dict[str, str] = {}
    if not isinstance(taken_at, datetime) or taken_at.tzinfo is None or taken_at.year < MIN_YEAR:
        errors["taken_at"] = "Please give the date and time of the dose."
    elif taken_at > now + FUTURE_TOLERANCE:
        errors["taken_at"] = "The time is in the future. Please choose a time up to now."
    if amount is not None and (message := dose_amount_error(amount)):
        errors["amount"] = message
    if slot_at is not None and not is_slot(medicine, slot_at, tz):
        errors["dose"] = f"{medicine.name} is not planned at that time."
    if status is DoseStatus.SKIPPED and slot_at is None:
        errors["dose"] = "Only a planned dose can be skipped."
    if status is DoseStatus.EXTRA and slot_at is not None:
        errors["dose"] = "An extra dose is not one of the planned ones."
    if errors:
        raise ValidationError(errors)


def _answer(session: Session, medicine_id: int, slot_at: datetime) -> int | None:
    query = select(DoseEvent.id).where(DoseEvent.medicine_id == medicine_id, DoseEvent.slot_at == slot_at)
    return session.scalar(query)


def due_now(session: Session, actor: Actor, patient_id: int, now: datetime, tz: str) -> list[DueDose]:
    """Return the planned doses around `now` (see schedule.DUE_EARLY / DUE_LATE) not yet taken or skipped."""
    today = now.astimezone(ZoneInfo(tz)).date()
    medicines = [
        m for m in list_medicines(session, actor, patient_id) if not m.as_needed and m.active_on(today)
    ]
    due = [DueDose(m, slot) for m in medicines for slot in due_slots(m, now, tz)]
    if not due:
        return []
    answered: set[tuple[int, datetime | None]] = set(
        session.execute(
            select(DoseEvent.medicine_id, DoseEvent.slot_at).where(
                DoseEvent.patient_id == patient_id,
                DoseEvent.slot_at.in_([d.slot_at for d in due]),
            )
        )
    )
    return sorted(
        (d for d in due if (d.medicine.id, d.slot_at) not in answered), key=lambda d: (d.slot_at, d.label)
    )


def list_doses(
    session: Session,
    actor: Actor,
    patient_id: int,
    start: datetime | None = None,
    end: datetime | None = None,
) -> pd.DataFrame:
    """Return the profile's doses with start <= taken_at < end, oldest first (DOSE_COLUMNS, UTC times)."""
    require(session, actor, patient_id)
    query = _doses_query(patient_id, session.get_bind().dialect.name)
    if start is not None:
        query = query.where(DoseEvent.taken_at >= start)
    if end is not None:
        query = query.where(DoseEvent.taken_at < end)
    rows = session.execute(query.order_by(DoseEvent.taken_at, DoseEvent.id)).all()
    return doses_frame(rows)


def _doses_query(patient_id: int, dialect: str) -> Select[*tuple[Any, ...]]:
    return (
        select(
            DoseEvent.id,
            DoseEvent.medicine_id,
            Medicine.name,
            DoseEvent.status,
            raw_time(DoseEvent.taken_at, dialect),
            raw_time(DoseEvent.slot_at, dialect),
            DoseEvent.amount,
            Medicine.dose_unit,
            Medicine.as_needed,
        )
        .join(Medicine, Medicine.id == DoseEvent.medicine_id)
        .where(DoseEvent.patient_id == patient_id)
    )


def doses_frame(rows: Sequence[Sequence[object]]) -> pd.DataFrame:
    """Return dose rows in DOSE_COLUMNS order as a typed frame (an empty one keeps the columns)."""
    frame = rows_frame(rows, DOSE_COLUMNS, ())
    for column in ("taken_at", "slot_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    frame["amount"] = frame["amount"].astype("float64")
    frame["as_needed"] = frame["as_needed"].astype("bool")
    return frame


def dose_factor_rows(doses: pd.DataFrame) -> pd.DataFrame:
    """Return as-needed and extra doses as check-in factors ("medication", by name) for factor patterns.

    Planned doses are left out: taken every day, they cannot tell better days from worse ones.
    """
    chosen = doses[doses["as_needed"] | (doses["status"] == DoseStatus.EXTRA)]
    chosen = chosen[chosen["status"] != DoseStatus.SKIPPED]
    frame = pd.DataFrame(
        {
            "check_in_id": pd.Series([math.nan] * len(chosen), dtype="float64"),
            "occurred_at": chosen["taken_at"].to_numpy(),
            "kind": "medication",
            "name": chosen["medicine"].to_numpy(),
            "value": pd.Series([math.nan] * len(chosen), dtype="float64"),
        }
    )
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"], utc=True)
    return frame[FACTOR_COLUMNS]


def factors_with_doses(
    session: Session,
    actor: Actor,
    patient_id: int,
    start: datetime | None = None,
    end: datetime | None = None,
) -> pd.DataFrame:
    """Return the check-in factors in a range with as-needed doses added as medication factors."""
    recorded = list_factors(session, actor, patient_id, start, end)
    doses = dose_factor_rows(list_doses(session, actor, patient_id, start, end))
    if doses.empty:
        return recorded
    if recorded.empty:
        return doses.reset_index(drop=True)
    combined = pd.concat([recorded, doses], ignore_index=True)
    return combined.sort_values("occurred_at", kind="stable").reset_index(drop=True)


def medicine_history(
    session: Session,
    actor: Actor,
    patient_id: int,
    today: date,
    start: datetime | None = None,
    end: datetime | None = None,
) -> MedicineHistory:
    """Return the profile's medicines and their doses with start <= taken_at < end (for exports)."""
    medicines = tuple(list_medicines(session, actor, patient_id))
    return MedicineHistory(medicines, list_doses(session, actor, patient_id, start, end), today)
