"""A profile's facts about the person: the arithmetic, the checks, storage, and triage using them."""

import dataclasses
import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from tracker.care_team.access import LOCAL
from tracker.care_team.my_data import export_everything
from tracker.diary.checkins import latest_assessment, log_check_in
from tracker.diary.patients import add_patient, delete_patient
from tracker.diary.profile_facts import FactsInput, get_patient_facts, get_profile_facts, save_profile_facts
from tracker.diary.validation import EntryInput
from tracker.errors import ValidationError
from tracker.storage.tables import PatientCondition
from tracker.triage.engine import Triager, default_triager
from tracker.triage.patient import (
    MAX_AGE_YEARS,
    AgeUnit,
    PatientFacts,
    ProfileFacts,
    age_in_years,
    birth_date_from_age,
    load_conditions,
    whole_age,
)


def test_the_fixed_list_of_conditions_has_a_label_and_snomed_code_each():
    conditions = load_conditions()
    assert [c.id for c in conditions][:3] == ["asthma", "copd", "diabetes"]
    assert all(c.label and c.snomed_code.isdigit() for c in conditions)
    assert next(c for c in conditions if c.id == "asthma").snomed_code == "195967001"


def test_a_bad_conditions_table_names_its_line(tmp_path):
    table = tmp_path / "conditions.csv"
    table.write_text("condition,label,snomed_code\nasthma,Asthma,195967001\nasthma,Again,1\n")
    with pytest.raises(ValueError, match="line 3"):
        load_conditions(table)


@pytest.mark.parametrize(
    ("amount", "unit", "today", "born"),
    [
        (2, AgeUnit.MONTHS, date(2026, 11, 25), date(2026, 9, 25)),
        (1, AgeUnit.MONTHS, date(2026, 3, 31), date(2026, 2, 28)),  # no 31 February
        (14, AgeUnit.MONTHS, date(2026, 1, 15), date(2024, 11, 15)),
        (0, AgeUnit.MONTHS, date(2026, 11, 25), date(2026, 11, 25)),
        (7, AgeUnit.YEARS, date(2026, 11, 25), date(2019, 11, 25)),
        (2, AgeUnit.YEARS, date(2028, 2, 29), date(2026, 2, 28)),
    ],
)
def test_an_age_gives_the_date_of_birth_of_someone_that_old_today(amount, unit, today, born):
    assert birth_date_from_age(amount, unit, today) == born


def test_age_in_years_is_a_fraction_for_a_baby():
    assert age_in_years(date(2026, 9, 25), date(2026, 11, 25)) == pytest.approx(2 / 12, abs=0.01)
    assert age_in_years(date(1990, 11, 25), date(2026, 11, 25)) == pytest.approx(36, abs=0.01)


def test_weeks_of_pregnancy_advance_and_a_pregnancy_past_42_weeks_no_longer_counts(now):
    facts = ProfileFacts(sex="F", pregnancy_recorded_at=now, pregnancy_weeks=30)
    assert facts.pregnancy_weeks_at(now + timedelta(days=20)) == 32
    assert facts.facts_at(now + timedelta(weeks=12)).pregnant is True  # 42 weeks
    later = now + timedelta(weeks=13)
    assert facts.facts_at(later).pregnant is None
    assert facts.current(later).pregnancy_recorded_at is None


def test_a_pregnancy_without_weeks_is_forgotten_42_weeks_after_it_was_recorded(now):
    facts = ProfileFacts(pregnancy_recorded_at=now)
    assert facts.pregnant_at(now + timedelta(weeks=42))
    assert not facts.pregnant_at(now + timedelta(weeks=42, days=1))


def test_facts_at_a_moment_give_triage_the_age_in_years(now):
    facts = ProfileFacts(birth_date=date(2026, 9, 25), sex="M", conditions=("asthma",))
    found = facts.facts_at(now)
    assert found.age_years == pytest.approx(0.167, abs=0.01)
    assert (found.sex, found.pregnant, found.conditions) == ("M", None, frozenset({"asthma"}))
    assert ProfileFacts().facts_at(now) == PatientFacts()


def test_the_summary_is_short_and_plain(now):
    facts = ProfileFacts(birth_date=date(2026, 9, 25), conditions=("asthma",))
    assert facts.summary(now) == "Age 2 months · Asthma"
    pregnant = ProfileFacts(
        birth_date=date(1990, 1, 1),
        sex="F",
        pregnancy_recorded_at=now - timedelta(weeks=2),
        pregnancy_weeks=20,
    )
    assert pregnant.summary(now) == "Age 36 years · Female · Pregnant, 22 weeks"
    assert ProfileFacts().summary(now) == ""


def test_saving_an_age_in_months_stores_the_date_of_birth_it_implies(session, now):
    patient = add_patient(session, LOCAL, "Baby")
    saved = save_profile_facts(
        session, LOCAL, patient.id, FactsInput(age=2, age_unit=AgeUnit.MONTHS, conditions=["asthma"]), now
    )
    assert saved.birth_date == date(2026, 9, 25)
    assert saved.age_given_on == now.date()
    assert get_profile_facts(session, LOCAL, patient.id) == saved
    assert get_patient_facts(session, LOCAL, patient.id, now).age_years == pytest.approx(0.167, abs=0.01)


def test_saving_a_date_of_birth_replaces_one_worked_out_from_an_age(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    save_profile_facts(session, LOCAL, patient.id, FactsInput(age=30), now)
    saved = save_profile_facts(session, LOCAL, patient.id, FactsInput(birth_date=date(1990, 5, 1)), now)
    assert (saved.birth_date, saved.age_given_on) == (date(1990, 5, 1), None)


def test_saving_again_keeps_the_pregnancy_weeks_advancing(session, now):
    patient = add_patient(session, LOCAL, "Eve")
    entered = FactsInput(sex="F", pregnant=True, pregnancy_weeks=20)
    save_profile_facts(session, LOCAL, patient.id, entered, now)
    later = now + timedelta(weeks=3)
    # The form shows 23 weeks three weeks on; saving that unchanged must not restart the count.
    again = save_profile_facts(
        session, LOCAL, patient.id, dataclasses.replace(entered, pregnancy_weeks=23), later
    )
    assert again.pregnancy_recorded_at == now
    assert again.pregnancy_weeks_at(later + timedelta(weeks=1)) == 24


def test_saving_after_the_pregnancy_ran_its_course_clears_it(session, now):
    patient = add_patient(session, LOCAL, "Eve")
    save_profile_facts(
        session, LOCAL, patient.id, FactsInput(sex="F", pregnant=True, pregnancy_weeks=40), now
    )
    later = now + timedelta(weeks=5)
    stored = get_profile_facts(session, LOCAL, patient.id)
    assert stored.current(later).pregnancy_recorded_at is None  # what the form shows
    saved = save_profile_facts(session, LOCAL, patient.id, FactsInput(sex="F"), later)
    assert saved.pregnancy_recorded_at is None and saved.pregnancy_weeks is None


def test_conditions_are_replaced_by_the_new_choice_and_go_with_the_profile(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    add_patient(session, LOCAL, "Other")
    save_profile_facts(session, LOCAL, patient.id, FactsInput(conditions=["asthma", "diabetes"]), now)
    saved = save_profile_facts(
        session, LOCAL, patient.id, FactsInput(conditions=["diabetes", "epilepsy"]), now
    )
    assert saved.conditions == ("diabetes", "epilepsy")
    delete_patient(session, LOCAL, patient.id)
    session.flush()
    assert session.scalar(select(func.count()).select_from(PatientCondition)) == 0


@pytest.mark.parametrize(
    ("entered", "field", "words"),
    [
        (FactsInput(birth_date=date(2026, 11, 26)), "birth_date", "future"),
        (FactsInput(birth_date=date(1880, 1, 1)), "birth_date", "130"),
        (FactsInput(age=131), "age", "130"),
        (FactsInput(age=1600, age_unit=AgeUnit.MONTHS), "age", "130"),
        (FactsInput(age=-1), "age", "whole number"),
        (FactsInput(sex="X"), "sex", "female, male"),
        (FactsInput(sex="M", pregnant=True), "pregnant", "not male"),
        (FactsInput(sex="F", pregnant=True, pregnancy_weeks=0), "pregnancy_weeks", "1 to 42"),
        (FactsInput(pregnant=True, pregnancy_weeks=43), "pregnancy_weeks", "1 to 42"),
        (FactsInput(conditions=["asthma", "gout"]), "conditions", "gout"),
    ],
)
def test_bad_facts_are_refused_field_by_field_and_nothing_is_stored(session, now, entered, field, words):
    patient = add_patient(session, LOCAL, "Ada")
    save_profile_facts(session, LOCAL, patient.id, FactsInput(sex="F", conditions=["asthma"]), now)
    with pytest.raises(ValidationError) as raised:
        save_profile_facts(session, LOCAL, patient.id, entered, now)
    assert list(raised.value.errors) == [field]
    assert words in raised.value.errors[field]
    assert get_profile_facts(session, LOCAL, patient.id) == ProfileFacts(sex="F", conditions=("asthma",))


def test_a_check_in_is_assessed_with_the_profiles_facts_and_stores_what_assess_returned(
    session, now, monkeypatch
):
    triager = default_triager()
    seen: list[PatientFacts | None] = []
    real_assess = Triager.assess

    def spy(self, symptoms, context=None, note="", patient=None, answers=None):
        seen.append(patient)
        return dataclasses.replace(
            real_assess(self, symptoms, context, note, patient, answers), advice="Spied advice."
        )

    # On the class: patching the shared cached instance would leave a bound method behind on it.
    monkeypatch.setattr(Triager, "assess", spy)
    baby = add_patient(session, LOCAL, "Baby")
    save_profile_facts(
        session, LOCAL, baby.id, FactsInput(age=2, age_unit=AgeUnit.MONTHS, conditions=["asthma"]), now
    )
    adult = add_patient(session, LOCAL, "Adult")
    for patient in (baby, adult):
        log_check_in(session, LOCAL, patient.id, [EntryInput("Fever", 2, now)], triager, now=now)
    assert seen[0] is not None and seen[0].age_years == pytest.approx(2 / 12, abs=0.01)
    assert seen[0].conditions == frozenset({"asthma"})
    assert seen[1] == PatientFacts()
    stored = latest_assessment(session, LOCAL, baby.id)
    assert stored is not None and stored.advice == "Spied advice."


def test_my_data_export_holds_the_facts_as_stored(session, now):
    patient = add_patient(session, LOCAL, "Eve")
    entered = FactsInput(age=30, sex="F", pregnant=True, pregnancy_weeks=12, conditions=["asthma"])
    save_profile_facts(session, LOCAL, patient.id, entered, now)
    (profile,) = json.loads(export_everything(session, LOCAL, now))["profiles"]
    assert profile["about"] == {
        "birth_date": "1996-11-25",
        "birth_date_worked_out_from_age_on": "2026-11-25",
        "sex": "F",
        "pregnant": True,
        "pregnancy_recorded_at": now.isoformat(),
        "pregnancy_weeks_when_recorded": 12,
        "conditions": [{"id": "asthma", "label": "Asthma"}],
    }


def test_saving_the_age_the_form_showed_keeps_the_date_of_birth(session, now):
    patient = add_patient(session, LOCAL, "Baby")
    save_profile_facts(session, LOCAL, patient.id, FactsInput(birth_date=date(2026, 8, 3)), now)
    shown = whole_age(date(2026, 8, 3), AgeUnit.MONTHS, now.date())
    assert shown == 3
    saved = save_profile_facts(
        session, LOCAL, patient.id, FactsInput(age=shown, age_unit=AgeUnit.MONTHS), now
    )
    assert (saved.birth_date, saved.age_given_on) == (date(2026, 8, 3), None)
    changed = save_profile_facts(session, LOCAL, patient.id, FactsInput(age=4, age_unit=AgeUnit.MONTHS), now)
    assert (changed.birth_date, changed.age_given_on) == (date(2026, 7, 25), now.date())


@given(
    amount=st.integers(0, MAX_AGE_YEARS * 12),
    unit=st.sampled_from(AgeUnit),
    today=st.dates(date(2000, 1, 1), date(2100, 12, 31)),
)
def test_the_age_shown_again_is_the_age_given(amount, unit, today):
    """Saving the form unchanged must not move the date of birth: the two conversions are inverses."""
    amount = amount if unit is AgeUnit.MONTHS else amount // 12
    born = birth_date_from_age(amount, unit, today)
    assert born <= today
    assert whole_age(born, unit, today) == amount
