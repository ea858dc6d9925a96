from datetime import timedelta
from itertools import pairwise

import numpy as np
import pandas as pd

from tracker.care_team.access import LOCAL
from tracker.diary.demo import demo_entries, demo_patients, fill_demo
from tracker.diary.entries import list_entries
from tracker.diary.patients import list_patients
from tracker.storage.engine import create_db_engine, session_factory


def test_demo_symptoms_come_in_episodes_not_uniform_noise(now):
    entries = demo_entries(np.random.default_rng(1), 600, now)
    days = pd.Series(sorted({e.occurred_at.date() for e in entries}))
    assert len(entries) <= 600
    assert all(now - timedelta(days=366) <= e.occurred_at <= now for e in entries)
    # Episodes: most logged days sit next to another logged day, and many days have nothing.
    neighbours = days.diff().dt.days.eq(1).mean()
    assert neighbours > 0.5
    assert len(days) < 330


def test_fill_demo_adds_patients_with_the_asked_number_of_entries(tmp_path, now):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    added = fill_demo(engine, LOCAL, 3, 900, lambda s: ("self_care", "Rest.", 0.9, "test"), now=now)
    assert added == (3, 900)
    with session_factory(engine).begin() as session:
        patients = list_patients(session, LOCAL)
        sizes = [len(list_entries(session, LOCAL, p.id)) for p in patients]
    assert sizes == [300, 300, 300]


def test_a_big_demo_spreads_over_years_at_a_plausible_pace(now):
    entries = demo_entries(np.random.default_rng(7), 10_000, now)
    per_day = pd.Series([e.occurred_at.date() for e in entries]).value_counts()
    assert len(entries) == 10_000
    assert (now.date() - per_day.index.min()).days > 3 * 365
    assert per_day.max() < 80  # a busy day in a flare, not hundreds of entries


def test_the_command_line_spreads_a_big_demo_over_patients():
    assert [demo_patients(n) for n in (50, 10_000, 10_001, 100_000)] == [1, 1, 2, 10]


def test_demo_profiles_take_medicines_mostly_as_planned_and_painkillers_on_bad_days(tmp_path, now):
    from tracker.medicines.adherence import adherence_by_medicine, weekly_adherence
    from tracker.medicines.doses import list_doses
    from tracker.medicines.medicine_list import list_medicines

    engine = create_db_engine(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    fill_demo(engine, LOCAL, 1, 2000, lambda s: ("self_care", "Rest.", 0.9, "test"), now=now)
    with session_factory(engine).begin() as session:
        (patient,) = list_patients(session, LOCAL)
        medicines = list_medicines(session, LOCAL, patient.id)
        doses = list_doses(session, LOCAL, patient.id)
    assert {(m.name, m.as_needed) for m in medicines} == {("Propranolol", False), ("Sumatriptan", True)}
    totals = adherence_by_medicine(weekly_adherence(medicines, doses, "UTC", now)).set_index("medicine")
    assert 0.75 < totals.loc["Propranolol", "adherence"] < 0.95
    assert totals.loc["Sumatriptan", "extra"] > 5


def test_a_demo_can_hold_a_chosen_number_of_doses(tmp_path, now):
    from tracker.medicines.doses import list_doses

    engine = create_db_engine(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    fill_demo(engine, LOCAL, 1, 3000, lambda s: ("self_care", "Rest.", 0.9, "test"), now=now, doses=2500)
    with session_factory(engine).begin() as session:
        assert len(list_doses(session, LOCAL, 1)) == 2500


def test_demo_profiles_keep_measures_and_cycles(tmp_path, now):
    from tracker.cycles.derive import period_starts
    from tracker.cycles.store import period_days, tracks_cycle
    from tracker.measures.store import list_values

    engine = create_db_engine(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    fill_demo(engine, LOCAL, 1, 600, lambda s: ("self_care", "Rest.", 0.9, "test"), now=now)
    with session_factory(engine).begin() as session:
        (patient,) = list_patients(session, LOCAL)
        values = list_values(session, LOCAL, patient.id)
        periods = period_days(session, LOCAL, patient.id)
        assert tracks_cycle(session, LOCAL, patient.id)
    assert set(values["measure"]) == {"Energy", "Temperature", "Weight"}
    assert values["value"][values["measure"] == "Energy"].between(0, 4).all()
    assert values["value"][values["measure"] == "Temperature"].between(35, 41).all()
    starts = period_starts(periods)
    assert len(starts) >= 6
    assert all(26 <= (b - a).days <= 31 for a, b in pairwise(starts))


def test_a_demo_profile_with_migraine_has_its_headaches_in_the_first_days_of_its_cycle(tmp_path, now):
    from tracker.cycles.daily import FIRST_DAYS, cycle_factors
    from tracker.cycles.store import period_days
    from tracker.diary.entries import list_factors
    from tracker.insights.analytics import local_days
    from tracker.insights.factors import Direction, factor_findings

    engine = create_db_engine(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    fill_demo(engine, LOCAL, 2, 2000, lambda s: ("self_care", "Rest.", 0.9, "test"), seed=8, now=now)
    with session_factory(engine).begin() as session:
        found = []
        for patient in list_patients(session, LOCAL):
            entries = list_entries(session, LOCAL, patient.id)
            days = sorted({stamp.date() for stamp in local_days(entries, "UTC")})
            extra = cycle_factors(period_days(session, LOCAL, patient.id), days)
            recorded = list_factors(session, LOCAL, patient.id)
            found += factor_findings(entries, recorded, "UTC", extra=extra)
    headache = [f for f in found if f.factor == FIRST_DAYS and f.symptom == "Headache"]
    assert headache and all(f.direction is Direction.WORSE for f in headache)
