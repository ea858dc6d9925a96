"""A profile's facts about the person (date of birth, sex, pregnancy, conditions): checked, stored, read.

Triage reads them as `PatientFacts` at the moment of a check-in; the FHIR and my-data exports carry them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from tracker.care_team.access import Actor, Permission, require
from tracker.errors import raise_if_any
from tracker.storage.tables import Patient, PatientCondition
from tracker.triage.patient import (
    MAX_AGE_YEARS,
    PREGNANCY_WEEKS_MAX,
    PREGNANCY_WEEKS_MIN,
    SEXES,
    AgeUnit,
    PatientFacts,
    ProfileFacts,
    age_in_years,
    birth_date_from_age,
    condition_labels,
    whole_age,
)

EARLIEST_BIRTH_YEAR = 1890


@dataclass(frozen=True)
class FactsInput:
    """The "About this person" form as entered: a date of birth, or an age with its unit."""

    birth_date: date | None = None
    age: int | None = None  # instead of the date of birth (a baby or child, or the date is not known)
    age_unit: AgeUnit = AgeUnit.YEARS
    sex: str | None = None  # "F", "M" or None
    pregnant: bool = False
    pregnancy_weeks: int | None = None
    conditions: Sequence[str] = ()


def profile_facts_of(patient: Patient) -> ProfileFacts:
    """Return what `patient` records about the person (the caller already checked access)."""
    return ProfileFacts(
        birth_date=patient.birth_date,
        age_given_on=patient.age_given_on,
        sex=patient.sex,
        pregnancy_recorded_at=patient.pregnancy_recorded_at,
        pregnancy_weeks=patient.pregnancy_weeks,
        conditions=tuple(row.condition for row in patient.conditions),
    )


def get_profile_facts(session: Session, actor: Actor, patient_id: int) -> ProfileFacts:
    """Return the profile's facts as stored. Raises NotFoundError."""
    return profile_facts_of(require(session, actor, patient_id))


def get_patient_facts(session: Session, actor: Actor, patient_id: int, now: datetime) -> PatientFacts:
    """Return what triage may know about the profile's person at `now`. Raises NotFoundError."""
    return get_profile_facts(session, actor, patient_id).facts_at(now)


def facts_errors(entered: FactsInput, now: datetime) -> dict[str, str | None]:
    """Return field -> message for each field of `entered` that cannot be stored (None: fine)."""
    return {
        "birth_date": _birth_date_error(entered.birth_date, now.date()),
        "age": _age_error(entered.age, entered.age_unit),
        "sex": None if entered.sex in (None, *SEXES) else "Please choose female, male or leave it blank.",
        "pregnant": (
            "Pregnancy can only be recorded when the sex is not male."
            if entered.pregnant and entered.sex == "M"
            else None
        ),
        "pregnancy_weeks": _weeks_error(entered.pregnancy_weeks) if entered.pregnant else None,
        "conditions": _conditions_error(entered.conditions),
    }


def _birth_date_error(birth_date: date | None, today: date) -> str | None:
    if birth_date is None:
        return None
    if birth_date > today:
        return "The date of birth cannot be in the future."
    if birth_date.year < EARLIEST_BIRTH_YEAR or age_in_years(birth_date, today) > MAX_AGE_YEARS + 1:
        return f"Please check the date of birth: that is over {MAX_AGE_YEARS} years ago."
    return None


def _age_error(age: int | None, unit: AgeUnit) -> str | None:
    if age is None:
        return None
    if isinstance(age, bool) or not isinstance(age, int) or age < 0:
        return "Please give the age as a whole number of months or years."
    years = age / 12 if unit is AgeUnit.MONTHS else age
    if years > MAX_AGE_YEARS:
        return f"Please check the age: it cannot be over {MAX_AGE_YEARS} years."
    return None


def _weeks_error(weeks: int | None) -> str | None:
    if weeks is None or (
        not isinstance(weeks, bool)
        and isinstance(weeks, int)
        and PREGNANCY_WEEKS_MIN <= weeks <= PREGNANCY_WEEKS_MAX
    ):
        return None
    return (
        f"Weeks of pregnancy must be a whole number from {PREGNANCY_WEEKS_MIN} to {PREGNANCY_WEEKS_MAX} "
        "(or leave it blank)."
    )


def _conditions_error(conditions: Sequence[str]) -> str | None:
    unknown = [str(c) for c in conditions if c not in condition_labels()]
    return f"Unknown condition: {', '.join(unknown)}." if unknown else None


def save_profile_facts(
    session: Session, actor: Actor, patient_id: int, entered: FactsInput, now: datetime
) -> ProfileFacts:
    """Check and store the facts, all or nothing, and return them as stored.

    An age is stored as the date of birth it implies (with `age_given_on`). The pregnancy keeps the
    time it was first recorded unless its weeks change, so the weeks go on advancing; a pregnancy
    past 42 weeks is cleared. Raises ValidationError naming each bad field, or NotFoundError.
    """
    raise_if_any(facts_errors(entered, now))
    patient = require(session, actor, patient_id, Permission.WRITE)
    stored = profile_facts_of(patient).current(now)
    _store_birth_date(patient, entered, now.date())
    patient.sex = entered.sex
    _store_pregnancy(patient, stored, entered, now)
    _store_conditions(patient, entered.conditions, now)
    session.flush()
    return profile_facts_of(patient)


def _store_birth_date(patient: Patient, entered: FactsInput, today: date) -> None:
    """Store the date of birth given, or the one an age implies; an age the form showed unchanged
    keeps the stored date (working it out again from a rounded age would move it)."""
    if entered.age is None or entered.birth_date is not None:
        if entered.birth_date != patient.birth_date:
            patient.birth_date, patient.age_given_on = entered.birth_date, None
        return
    born = patient.birth_date
    if born is not None and whole_age(born, entered.age_unit, today) == entered.age:
        return
    patient.birth_date = birth_date_from_age(entered.age, entered.age_unit, today)
    patient.age_given_on = today


def _store_pregnancy(patient: Patient, stored: ProfileFacts, entered: FactsInput, now: datetime) -> None:
    """Keep the recorded time while the weeks shown are unchanged: saving again must not reset them."""
    if not entered.pregnant:
        patient.pregnancy_recorded_at, patient.pregnancy_weeks = None, None
        return
    unchanged = stored.pregnancy_recorded_at is not None and stored.pregnancy_weeks_at(now) == (
        entered.pregnancy_weeks
    )
    if not unchanged:
        patient.pregnancy_recorded_at, patient.pregnancy_weeks = now, entered.pregnancy_weeks


def _store_conditions(patient: Patient, conditions: Sequence[str], now: datetime) -> None:
    wanted = list(dict.fromkeys(conditions))
    patient.conditions = [row for row in patient.conditions if row.condition in wanted] + [
        PatientCondition(condition=condition, recorded_at=now)
        for condition in wanted
        if condition not in {row.condition for row in patient.conditions}
    ]
