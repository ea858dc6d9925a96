"""Settings, "About this person": the facts are saved, bad ones explained field by field, and used."""

import dataclasses
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest
from test_pages import log, page_text

from tracker.care_team.access import LOCAL
from tracker.diary.profile_facts import FactsInput, get_profile_facts, save_profile_facts
from tracker.storage.engine import create_db_engine, session_factory
from tracker.storage.tables import utcnow
from tracker.triage.engine import Triager
from tracker.triage.patient import AgeUnit, PatientFacts, ProfileFacts


def stored(app_url: str, patient_id: int) -> ProfileFacts:
    with session_factory(create_db_engine(app_url)).begin() as session:
        return get_profile_facts(session, LOCAL, patient_id)


def settings(app: AppTest) -> tuple[AppTest, int]:
    patient_id = app.selectbox(key="patient_id").value
    app.switch_page("pages/settings.py").run()
    assert not app.exception, app.exception
    return app, patient_id


def field(at: AppTest, kind: str, name: str, patient_id: int):
    return getattr(at, kind)(key=f"about_{name}_{patient_id}")


def save(at: AppTest) -> AppTest:
    at.button(key="save_about").click().run()
    assert not at.exception, at.exception
    return at


def test_the_facts_entered_are_saved_and_shown_briefly(app, app_url):
    at, pid = settings(app)
    field(at, "date_input", "birth_date", pid).set_value(date(1990, 5, 17))
    field(at, "radio", "sex", pid).set_value("F")
    field(at, "checkbox", "pregnant", pid).check().run()
    field(at, "number_input", "weeks", pid).set_value(20)
    field(at, "multiselect", "conditions", pid).set_value(["asthma", "diabetes"])
    save(at)
    assert any(s.value == "Saved." for s in at.success)
    facts = stored(app_url, pid)
    assert (facts.birth_date, facts.sex, facts.pregnancy_weeks) == (date(1990, 5, 17), "F", 20)
    assert facts.conditions == ("asthma", "diabetes")
    assert "Female · Pregnant, 20 weeks · Asthma · Diabetes" in page_text(at)
    assert field(at, "date_input", "birth_date", pid).value == date(1990, 5, 17), (
        "the form shows what is stored"
    )


def test_the_conditions_list_shows_labels(app):
    at, pid = settings(app)
    options = field(at, "multiselect", "conditions", pid).proto.options
    assert "Asthma" in options and "COPD (chronic obstructive pulmonary disease)" in options


def test_a_babys_age_in_months_is_stored_as_the_date_of_birth_it_implies(app, app_url):
    at, pid = settings(app)
    field(at, "radio", "mode", pid).set_value("age").run()
    field(at, "number_input", "age", pid).set_value(2)
    field(at, "selectbox", "age_unit", pid).set_value("months")
    save(at)
    facts = stored(app_url, pid)
    today = utcnow().date()
    assert facts.age_given_on == today
    assert (today - facts.birth_date).days in range(58, 63)
    assert any("we store the date of birth" in s.value for s in at.success)
    assert field(at, "number_input", "age", pid).value == 2, "the age shows again, not a rounded date"
    assert "Age 2 months" in page_text(at)


@pytest.mark.parametrize(
    ("fill", "message"),
    [
        (
            lambda at, pid: field(at, "date_input", "birth_date", pid).set_value(
                date.today() + timedelta(days=3)
            ),
            "cannot be in the future",
        ),
        (
            lambda at, pid: (
                field(at, "radio", "mode", pid).set_value("age").run(),
                field(at, "number_input", "age", pid).set_value(131),
                field(at, "selectbox", "age_unit", pid).set_value("years"),
            ),
            "over 130 years",
        ),
        (
            lambda at, pid: (
                field(at, "radio", "sex", pid).set_value("M"),
                field(at, "checkbox", "pregnant", pid).check(),
            ),
            "not male",
        ),
        (
            lambda at, pid: (
                field(at, "checkbox", "pregnant", pid).check().run(),
                field(at, "number_input", "weeks", pid).set_value(43),
            ),
            "1 to 42",
        ),
    ],
    ids=["future birth date", "age over 130", "pregnant and male", "43 weeks"],
)
def test_a_bad_field_gets_its_message_and_nothing_is_saved(app, app_url, fill, message):
    at, pid = settings(app)
    fill(at, pid)
    field(at, "multiselect", "conditions", pid).set_value(["asthma"])
    save(at)
    assert [e.value for e in at.error if message in e.value], page_text(at)
    assert not at.success
    assert stored(app_url, pid) == ProfileFacts()


def test_the_log_page_assesses_with_the_profiles_facts_and_shows_that_advice(app, app_url, monkeypatch):
    pid = app.selectbox(key="patient_id").value
    with session_factory(create_db_engine(app_url)).begin() as session:
        entered = FactsInput(age=2, age_unit=AgeUnit.MONTHS, conditions=["asthma"])
        save_profile_facts(session, LOCAL, pid, entered, utcnow())
    seen: list[PatientFacts | None] = []
    real = Triager.assess

    def spy(self, symptoms, context=None, note="", patient=None, answers=None):
        seen.append(patient)
        return dataclasses.replace(
            real(self, symptoms, context, note, patient, answers), advice="Advice for this baby."
        )

    monkeypatch.setattr(Triager, "assess", spy)
    at = log(app, ("Fever", 2))
    assert seen and seen[-1] is not None
    assert seen[-1].age_years == pytest.approx(2 / 12, abs=0.02)
    assert seen[-1].conditions == frozenset({"asthma"})
    assert "Advice for this baby." in page_text(at)


def test_the_history_page_shows_the_facts_in_a_few_words(app, app_url):
    pid = app.selectbox(key="patient_id").value
    with session_factory(create_db_engine(app_url)).begin() as session:
        entered = FactsInput(age=2, age_unit=AgeUnit.MONTHS, conditions=["asthma"])
        save_profile_facts(session, LOCAL, pid, entered, utcnow())
    app.switch_page("pages/history.py").run()
    assert not app.exception, app.exception
    assert "About this person: Age 2 months · Asthma" in [c.value for c in app.caption]
