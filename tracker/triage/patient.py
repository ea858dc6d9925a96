"""Facts about the person that change what a symptom means: age, sex, pregnancy, long-term conditions.

Pure: no database, no model. `tracker.diary.profile_facts` stores a profile's facts; this module holds the
fixed list of conditions and the arithmetic (age from a date of birth, weeks of pregnancy that advance).
"""

import csv
import re
from calendar import monthrange
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path

from tracker.config import DATA_DIR

SEXES = ("F", "M")


@dataclass(frozen=True)
class PatientFacts:
    """What triage may know about the person; every field is optional (None: not known)."""

    age_years: float | None = None
    sex: str | None = None
    pregnant: bool | None = None
    conditions: frozenset[str] = field(default_factory=frozenset)
    # A body temperature measured with the check-in, in °C (None: not measured): read as a fever.
    temperature_c: float | None = None

    def describe(self) -> str:
        """Return the facts in words for the reasons, e.g. "age 3 months, pregnant, diabetes"."""
        parts = []
        if self.age_years is not None:
            parts.append(describe_age(self.age_years))
        if self.pregnant:
            parts.append("pregnant")
        parts += sorted(condition.replace("_", " ") for condition in self.conditions)
        return ", ".join(parts)


NO_FACTS = PatientFacts()

# A measured temperature is read against the thresholds the knowledge tables' fever rules use: 38 °C is a
# fever (NICE NG143, "38C or higher in a baby under 3 months"), 39 °C a high one (NHS fever in children:
# "39C or higher" at 3-6 months; the tables write it as Fever:3) and 40 °C very high (symptoms.csv).
FEVER_C, HIGH_FEVER_C, VERY_HIGH_FEVER_C = 38.0, 39.0, 40.0
MEASURED_FEVER = "Fever"
MEASURED_VERY_HIGH = "Very high temperature"
# A temperature someone measured (or typed as a number) is a fact about how high it is, which a rating of
# "a bit of a temperature" is not: rules that need a high temperature by the NHS's 38C can ask for it.
MEASURED_HIGH = "Measured temperature of 38C or more"


def measured_fever(temperature_c: float | None) -> dict[str, int]:
    """Return the symptoms a measured temperature stands for, with their severity ({} below 38 °C)."""
    if temperature_c is None or temperature_c < FEVER_C:
        return {}
    if temperature_c >= VERY_HIGH_FEVER_C:
        return {MEASURED_FEVER: 4, MEASURED_VERY_HIGH: 4, MEASURED_HIGH: 1}
    return {MEASURED_FEVER: 3 if temperature_c >= HIGH_FEVER_C else 2, MEASURED_HIGH: 1}


# The fever concepts a temperature typed with a number settles: "temp 37.6" is no fever (NHS: a high
# temperature is 38C or more), "temp 39.4" is a high one.
FEVER_CONCEPTS = frozenset({"Fever", "Fever in baby", "Fever in child", "Very high temperature"})
# A number a body temperature can be, in °C or °F ("37.6", "38,6", "102F", "39 degrees"), not a count of
# something else ("38 weeks", "37 hours").
STATED_TEMPERATURE = re.compile(
    r"(?<![\d.,])(\d{2,3}(?:[.,]\d{1,2})?)(?![\d.,]*\d)\s*(?:°|º|deg\w*|c\b|f\b)?"
    r"(?!\s*(?:week|wk|day|year|yr|month|hour|hr|min|sec|time|kg|lb|st\b|%|mm|cm|bpm|ml|mg|x\b))",
    re.IGNORECASE,
)
BODY_C = (34.0, 43.5)
BODY_F = (93.0, 110.0)
# Below 36 °C a temperature can itself be a warning sign (NHS sepsis), so only 36 °C up to the fever line
# reads as "no fever". During cancer treatment or with a weak immune system the line is 37.5 °C (UK acute
# oncology services: "37.5C or above" can be neutropenic sepsis).
NORMAL_FROM_C = 36.0
WEAK_IMMUNE_FEVER_C = 37.5
WEAK_IMMUNE = frozenset({"immunosuppressed", "cancer"})


def fever_line(patient: PatientFacts) -> float:
    """Return the temperature from which this person's typed temperature is a fever, in °C."""
    return WEAK_IMMUNE_FEVER_C if patient.conditions & WEAK_IMMUNE else FEVER_C


def stated_temperature(text: str) -> float | None:
    """Return the highest body temperature written in `text`, in °C (°F converted), or None."""
    found = []
    for match in STATED_TEMPERATURE.finditer(str(text)):
        value = float(match.group(1).replace(",", "."))
        if BODY_C[0] <= value <= BODY_C[1]:
            found.append(value)
        elif BODY_F[0] <= value <= BODY_F[1]:
            found.append(round((value - 32) * 5 / 9, 1))
    return max(found, default=None)


def describe_age(years: float) -> str:
    """Return an age in plain words: "3 weeks", "5 months", "7 years"."""
    if years < 1 / 12:
        return f"age {max(round(years * 52), 0)} weeks"
    if years < 2:
        return f"age {round(years * 12)} months"
    return f"age {int(years)} years"


# ---------------------------------------------------------------------------------------------------
# What a profile records about the person, and the arithmetic that turns it into facts at a moment.

CONDITIONS_FILE = DATA_DIR / "knowledge" / "conditions.csv"
SEX_WORDS = {"F": "Female", "M": "Male"}
MAX_AGE_YEARS = 130
PREGNANCY_WEEKS_MIN, PREGNANCY_WEEKS_MAX = 1, 42
# A pregnancy recorded without its weeks is forgotten this long after it was recorded: it cannot
# still be going on, and an old "pregnant" must not keep changing the advice.
PREGNANCY_LONGEST = timedelta(weeks=PREGNANCY_WEEKS_MAX)
DAYS_PER_YEAR = 365.2425  # the Gregorian mean: an age in years as a float, right across leap years


class AgeUnit(StrEnum):
    MONTHS = "months"
    YEARS = "years"


@dataclass(frozen=True)
class Condition:
    """One long-term condition a profile may record (a row of data/knowledge/conditions.csv)."""

    id: str
    label: str
    snomed_code: str
    # What people type for it ("type 2 diabetes", "on chemo", "COPD", "diabético"): read from the words.
    words: tuple[str, ...] = ()


@cache
def load_conditions(path: Path = CONDITIONS_FILE) -> tuple[Condition, ...]:
    """Return the fixed list of long-term conditions, in the table's order.

    Raises ValueError naming the line when a row lacks its id or label, or repeats an id.
    """
    conditions: list[Condition] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            condition = Condition(
                (row.get("condition") or "").strip(),
                (row.get("label") or "").strip(),
                (row.get("snomed_code") or "").strip(),
                tuple(w.strip() for w in (row.get("words") or "").split("|") if w.strip()),
            )
            if not condition.id or not condition.label:
                raise ValueError(f"{path.name} line {line}: a condition needs its id and label")
            if any(known.id == condition.id for known in conditions):
                raise ValueError(f"{path.name} line {line}: condition {condition.id!r} is listed twice")
            conditions.append(condition)
    return tuple(conditions)


def condition_labels() -> dict[str, str]:
    """Return condition id -> label, in the table's order."""
    return {condition.id: condition.label for condition in load_conditions()}


def age_in_years(birth_date: date, today: date) -> float:
    """Return the age on `today` of someone born on `birth_date`, in years (3 months is about 0.25)."""
    return (today - birth_date).days / DAYS_PER_YEAR


def birth_date_from_age(amount: int, unit: AgeUnit, today: date) -> date:
    """Return the date of birth of someone `amount` months or years old today (their birthday today)."""
    months = amount if unit is AgeUnit.MONTHS else amount * 12
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    # 31 March minus one month is the last day of February, not an error.
    return date(year, month + 1, min(today.day, monthrange(year, month + 1)[1]))


def whole_age(birth_date: date, unit: AgeUnit, today: date) -> int:
    """Return the completed months or years on `today` (the inverse of `birth_date_from_age`)."""
    months = (today.year - birth_date.year) * 12 + today.month - birth_date.month
    months -= today.day < birth_date.day
    return months if unit is AgeUnit.MONTHS else months // 12


def age_unit_for(birth_date: date, today: date) -> AgeUnit:
    """Return the unit an age is said in: months for a child under two, years after."""
    return AgeUnit.MONTHS if whole_age(birth_date, AgeUnit.YEARS, today) < 2 else AgeUnit.YEARS


@dataclass(frozen=True)
class ProfileFacts:
    """What a profile records about the person, as stored (pregnancy weeks as they were when set)."""

    birth_date: date | None = None
    age_given_on: date | None = None  # set when the date of birth was worked out from an age
    sex: str | None = None
    pregnancy_recorded_at: datetime | None = None  # None: not pregnant (or not said)
    pregnancy_weeks: int | None = None  # weeks on the day it was recorded
    conditions: tuple[str, ...] = ()

    def pregnancy_weeks_at(self, now: datetime) -> int | None:
        """Return the weeks of pregnancy at `now` (they advance from when they were set), or None."""
        if self.pregnancy_recorded_at is None or self.pregnancy_weeks is None:
            return None
        return self.pregnancy_weeks + (now - self.pregnancy_recorded_at).days // 7

    def pregnant_at(self, now: datetime) -> bool:
        """Return whether a recorded pregnancy still holds at `now` (not past 42 weeks)."""
        if self.pregnancy_recorded_at is None:
            return False
        weeks = self.pregnancy_weeks_at(now)
        if weeks is not None:
            return weeks <= PREGNANCY_WEEKS_MAX
        return now - self.pregnancy_recorded_at <= PREGNANCY_LONGEST

    def current(self, now: datetime) -> "ProfileFacts":
        """Return these facts with a pregnancy that has run its course cleared."""
        if self.pregnancy_recorded_at is None or self.pregnant_at(now):
            return self
        return replace(self, pregnancy_recorded_at=None, pregnancy_weeks=None)

    def facts_at(self, now: datetime) -> PatientFacts:
        """Return what triage may know at `now`: age from the date of birth, pregnancy if it still holds.

        `pregnant` is True or None (not pregnant, or not said): the rules treat both alike.
        """
        age = age_in_years(self.birth_date, now.date()) if self.birth_date else None
        return PatientFacts(
            age_years=age if age is None else max(age, 0.0),
            sex=self.sex,
            pregnant=True if self.pregnant_at(now) else None,
            conditions=frozenset(self.conditions),
        )

    def summary(self, now: datetime) -> str:
        """Return the facts in a few words for a caption, e.g. "Age 2 months · Asthma" ("" when none)."""
        parts = []
        if self.birth_date is not None:
            parts.append(describe_age(age_in_years(self.birth_date, now.date())).capitalize())
        if self.sex:
            parts.append(SEX_WORDS.get(self.sex, self.sex))
        if self.pregnant_at(now):
            weeks = self.pregnancy_weeks_at(now)
            parts.append("Pregnant" if weeks is None else f"Pregnant, {weeks} weeks")
        labels = condition_labels()
        parts += [labels.get(condition, condition.replace("_", " ")) for condition in self.conditions]
        return " · ".join(parts)
