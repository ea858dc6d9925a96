"""A medicine's schedule without the database: the checked input, times of day, and the dose slots.

A slot is one planned dose: a wall-clock time on a local day in the profile's zone, kept in UTC. Pure,
so the Log page, adherence, charts and reminders all count the same slots.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

import pandas as pd

from tracker.diary.validation import MIN_YEAR, clean_text, local_datetime
from tracker.errors import ValidationError, raise_if_any
from tracker.storage.limits import MEDICINE_NAME_MAX_LENGTH

MAX_TIMES_A_DAY = 6
MAX_DOSE_AMOUNT = 100_000.0  # above any real single dose in any of the units offered
# Units and forms a person picks from: a closed list keeps exports and FHIR units meaningful.
DOSE_UNITS = (
    "mg",
    "g",
    "mcg",
    "ml",
    "units",
    "IU",
    "tablets",
    "capsules",
    "puffs",
    "drops",
    "sprays",
    "patches",
)
FORMS = ("tablet", "capsule", "liquid", "inhaler", "injection", "spray", "drops", "cream", "patch", "other")
# A dose shows as "due" on the Log page from shortly before its time until a few hours after; reminders
# go only after its time, within the same window, so a dose missed for good is not nagged about.
DUE_EARLY = timedelta(minutes=30)
DUE_LATE = timedelta(hours=4)


class DoseStatus(StrEnum):
    TAKEN = "taken"
    SKIPPED = "skipped"
    EXTRA = "extra"  # an as-needed dose, or one more than planned


@dataclass(frozen=True)
class MedicineInput:
    """A medicine as the person entered it: a schedule is times of day, or as needed (not both)."""

    name: str
    dose_amount: float
    dose_unit: str
    form: str
    times: tuple[time, ...] = ()
    as_needed: bool = False
    start_date: date | None = None
    end_date: date | None = None


@dataclass(frozen=True)
class MedicineView:
    """A stored medicine, as pages, adherence and reminders read it."""

    id: int
    name: str
    dose_amount: float
    dose_unit: str
    form: str
    times: tuple[time, ...]
    as_needed: bool
    start_date: date
    end_date: date | None

    @property
    def label(self) -> str:
        """Return "Sumatriptan 50 mg"."""
        return f"{self.name} {dose_text(self.dose_amount, self.dose_unit)}"

    @property
    def schedule_text(self) -> str:
        """Return "08:00 and 20:00" or "as needed"."""
        return "as needed" if self.as_needed else " and ".join(t.strftime("%H:%M") for t in self.times)

    def active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


def dose_text(amount: float, unit: str) -> str:
    """Return "50 mg", "2.5 ml", "1 tablets" → "1 tablet"."""
    number = f"{amount:g}"
    return f"{number} {unit[:-1] if amount == 1 and unit.endswith('s') else unit}"


def times_text(times: Iterable[time]) -> str:
    """Return times as stored: "08:00 20:00", sorted and without repeats."""
    return " ".join(sorted({t.strftime("%H:%M") for t in times}))


def time_choices() -> list[str]:
    """Return the times offered in the form: every half hour, "00:00" to "23:30"."""
    return [f"{minutes // 60:02d}:{minutes % 60:02d}" for minutes in range(0, 24 * 60, 30)]


def read_times(values: Sequence[str]) -> tuple[time, ...]:
    """Return typed or picked times ("8:15", "20:00") as times. Raises ValidationError naming `times`."""
    found = []
    for value in values:
        hours, _, minutes = str(value).strip().partition(":")
        if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
            raise ValidationError({"times": f"{value!r} is not a time of day: write it like 08:00 or 20:30."})
        found.append(time(int(hours), int(minutes)))
    return tuple(sorted(found))


def parse_times(text: str) -> tuple[time, ...]:
    """Return the times of a stored schedule ("" → ())."""
    return tuple(time.fromisoformat(part) for part in text.split())


def medicine_errors(medicine: MedicineInput, today: date, taken_names: Sequence[str] = ()) -> dict[str, str]:
    """Return {field: message} for every problem with `medicine` (empty when it can be stored).

    `taken_names` are the profile's other current medicines: two with one name would be ambiguous.
    """
    name = clean_text(medicine.name)
    errors = {
        "name": _name_error(name, taken_names),
        "dose_amount": dose_amount_error(medicine.dose_amount),
        "dose_unit": None if medicine.dose_unit in DOSE_UNITS else "Choose a unit from the list.",
        "form": None if medicine.form in FORMS else "Choose a form from the list.",
        "times": _times_error(medicine.times, medicine.as_needed),
        "start_date": _start_error(medicine.start_date),
        "end_date": _end_error(medicine.start_date or today, medicine.end_date),
    }
    return {field: message for field, message in errors.items() if message}


def require_valid_medicine(medicine: MedicineInput, today: date, taken_names: Sequence[str] = ()) -> None:
    """Raise ValidationError naming each bad field of `medicine`."""
    raise_if_any(medicine_errors(medicine, today, taken_names))


def _name_error(name: str, taken_names: Sequence[str]) -> str | None:
    if not name:
        return "Please enter the medicine's name."
    if len(name) > MEDICINE_NAME_MAX_LENGTH:
        return f"Please keep the name under {MEDICINE_NAME_MAX_LENGTH} characters."
    if name.casefold() in {taken.casefold() for taken in taken_names}:
        return f"{name} is already on the list. Stop it first, or give this one another name."
    return None


def dose_amount_error(amount: object) -> str | None:
    """Return why `amount` is not a usable dose (a number above 0), or None."""
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        return "The dose must be a number, such as 50 or 2.5."
    if isinstance(amount, float) and not math.isfinite(amount):
        return "The dose must be a number, such as 50 or 2.5."
    if not 0 < amount <= MAX_DOSE_AMOUNT:
        return f"The dose must be more than 0 and at most {MAX_DOSE_AMOUNT:,.0f}."
    return None


def _times_error(times: Sequence[object], as_needed: bool) -> str | None:
    if as_needed and times:
        return "Choose either times of day or 'as needed', not both (log extra doses as 'extra')."
    if not as_needed and not times:
        return "Please add at least one time of day, or choose 'as needed'."
    if not all(isinstance(t, time) for t in times):
        return "Times of day must be like 08:00."
    if len(times) > MAX_TIMES_A_DAY:
        return f"Please keep to {MAX_TIMES_A_DAY} times a day."
    if len({(t.hour, t.minute) for t in times if isinstance(t, time)}) < len(times):
        return "Each time of day once, please."
    return None


def _start_error(start: object) -> str | None:
    if not isinstance(start, date):
        return "Please give the date you started (or start) this medicine."
    if start.year < MIN_YEAR:
        return f"Please give a date after {MIN_YEAR}."
    return None


def _end_error(start: date, end: object) -> str | None:
    if end is None:
        return None
    if not isinstance(end, date):
        return "The end date must be a date."
    if isinstance(start, date) and end < start:
        return "The end date is before the start date."
    return None


def slots_between(medicine: MedicineView, first_day: date, last_day: date, tz: str) -> list[datetime]:
    """Return the medicine's planned dose times (UTC) on the local days `first_day`..`last_day`."""
    if medicine.as_needed:
        return []
    found: list[datetime] = []
    day = max(first_day, medicine.start_date)
    last = min(last_day, medicine.end_date or last_day)
    while day <= last:
        found.extend(local_datetime(day, clock, tz).astimezone(UTC) for clock in medicine.times)
        day += timedelta(days=1)
    return found


def is_slot(medicine: MedicineView, slot_at: datetime, tz: str) -> bool:
    """Return whether `slot_at` is one of the medicine's planned dose times (in the zone `tz`)."""
    around = slot_at.date()
    return slot_at in slots_between(medicine, around - timedelta(days=1), around + timedelta(days=1), tz)


def due_slots(medicine: MedicineView, now: datetime, tz: str) -> list[datetime]:
    """Return the slots from DUE_LATE ago up to DUE_EARLY ahead of `now` (answered or not), oldest first."""
    today = now.date()
    candidates = slots_between(medicine, today - timedelta(days=1), today + timedelta(days=1), tz)
    return sorted(slot for slot in candidates if now - DUE_LATE <= slot <= now + DUE_EARLY)


@dataclass(frozen=True)
class MedicineHistory:
    """A profile's medicine list and its doses (tracker.medicines.doses.DOSE_COLUMNS), for exports."""

    medicines: tuple[MedicineView, ...] = ()
    doses: pd.DataFrame | None = None
    today: date | None = None  # the local day it was read: a medicine whose last day passed is completed
