"""Own measures: definitions and values checked with field messages, units converted, values stored."""

from datetime import timedelta

import pytest

from tracker.care_team.access import LOCAL
from tracker.diary.checkins import reassess_check_in
from tracker.diary.entries import delete_entry
from tracker.diary.patients import add_patient
from tracker.diary.validation import EntryInput
from tracker.errors import ValidationError
from tracker.levels import TriageLevel
from tracker.measures import units
from tracker.measures.checks import MeasureDefinition, value_error
from tracker.measures.presets import MeasureKind, load_presets
from tracker.measures.store import (
    Reading,
    add_measure,
    add_preset_measure,
    list_measures,
    list_values,
    log_check_in_with_measures,
    log_values,
    log_values_alone,
    remove_measure,
)
from tracker.storage.tables import Patient
from tracker.triage.engine import default_triager
from tracker.triage.patient import PatientFacts


@pytest.fixture(scope="module")
def triager():
    return default_triager()


@pytest.mark.parametrize(
    ("value", "unit", "to", "expected"),
    [
        (38.4, "°C", "°F", 101.12),
        (101.12, "°F", "°C", 38.4),
        (5.5, "mmol/L", "mg/dL", 99.088),
        (180.16, "mg/dL", "mmol/L", 10.0),
        (70, "kg", "lb", 154.3236),
        (12.0, "steps", "steps", 12.0),
    ],
)
def test_units_convert_both_ways(value, unit, to, expected):
    assert units.convert(value, unit, to) == pytest.approx(expected, abs=1e-3)


def test_units_that_do_not_convert_raise_a_typed_error_naming_the_unit():
    with pytest.raises(ValidationError) as raised:
        units.convert(5.0, "kg", "°C")
    assert "kg" in raised.value.errors["unit"]


def test_every_preset_has_a_valid_range_and_a_ucum_unit():
    presets = load_presets()
    assert {"temperature_c", "temperature_f", "glucose_mmol", "glucose_mg", "peak_flow", "steps"} <= set(
        presets
    )
    for preset in presets.values():
        assert preset.low < preset.high and preset.ucum
    # The two temperature presets cover the same body temperatures.
    c, f = presets["temperature_c"], presets["temperature_f"]
    assert units.convert(c.low, "°C", "°F") == pytest.approx(f.low)
    assert units.convert(c.high, "°C", "°F") == pytest.approx(f.high)


@pytest.mark.parametrize(
    ("definition", "field"),
    [
        (MeasureDefinition("", MeasureKind.RATING), "name"),
        (MeasureDefinition("x" * 41, MeasureKind.RATING), "name"),
        (MeasureDefinition("Waist", MeasureKind.NUMBER, "cm", 120, 40), "range"),
        (MeasureDefinition("Waist", MeasureKind.NUMBER, "cm", float("nan"), 40), "range"),
        (MeasureDefinition("Waist", MeasureKind.NUMBER, "c" * 21, 40, 120), "unit"),
    ],
)
def test_a_bad_definition_is_refused_naming_its_field(session, definition, field):
    patient = add_patient(session, LOCAL, "Ada")
    with pytest.raises(ValidationError) as raised:
        add_measure(session, LOCAL, patient.id, definition)
    assert field in raised.value.errors
    assert list_measures(session, LOCAL, patient.id) == []


def test_a_name_can_be_used_once_per_profile_whatever_its_case(session):
    patient = add_patient(session, LOCAL, "Ada")
    add_preset_measure(session, LOCAL, patient.id, "energy")
    with pytest.raises(ValidationError) as raised:
        add_measure(session, LOCAL, patient.id, MeasureDefinition("ENERGY", MeasureKind.RATING))
    assert raised.value.errors["name"] == "There is already a measure called ENERGY."


@pytest.mark.parametrize(
    ("preset", "value", "message"),
    [
        ("energy", 2.5, "Energy: please pick a whole number from 0 to 4."),
        ("energy", 5, "Energy: please pick a whole number from 0 to 4."),
        ("temperature_c", 48.0, "Temperature must be between 34 and 43 °C."),
        ("temperature_f", 38.4, "Temperature must be between 93.2 and 109.4 °F."),  # °C typed into °F
        ("glucose_mmol", float("inf"), "Blood glucose: please enter a number."),
        ("steps", "many", "Steps: please enter a number."),
    ],
)
def test_a_value_out_of_its_range_gets_a_plain_message(session, preset, value, message):
    patient = add_patient(session, LOCAL, "Ada")
    measure = add_preset_measure(session, LOCAL, patient.id, preset)
    assert value_error(measure, value) == message
    with pytest.raises(ValidationError) as raised:
        log_values(session, LOCAL, patient.id, [Reading(measure.id, value)], session_now(session))
    assert raised.value.errors == {f"measure_{measure.id}": message}
    assert list_values(session, LOCAL, patient.id).empty


def session_now(session):
    from tracker.storage.tables import utcnow

    return utcnow() - timedelta(minutes=1)


def test_values_logged_alone_are_listed_with_their_measure_and_unit(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    weight = add_preset_measure(session, LOCAL, patient.id, "weight_kg")
    energy = add_preset_measure(session, LOCAL, patient.id, "energy")
    at = now - timedelta(hours=2)
    log_values(session, LOCAL, patient.id, [Reading(weight.id, 61.5), Reading(energy.id, 3)], at, now)
    frame = list_values(session, LOCAL, patient.id)
    assert frame[["measure", "unit", "value"]].values.tolist() == [
        ["Weight", "kg", 61.5],
        ["Energy", "", 3.0],
    ]
    assert frame["check_in_id"].isna().all()
    assert (frame["occurred_at"] == at).all()


def test_removing_a_measure_removes_its_values_only(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    weight = add_preset_measure(session, LOCAL, patient.id, "weight_kg")
    energy = add_preset_measure(session, LOCAL, patient.id, "energy")
    log_values(session, LOCAL, patient.id, [Reading(weight.id, 60), Reading(energy.id, 1)], now, now)
    remove_measure(session, LOCAL, patient.id, weight.id)
    assert list_values(session, LOCAL, patient.id)["measure"].tolist() == ["Energy"]


def baby(session, now, months=2):
    patient = add_patient(session, LOCAL, "Baby")
    session.get(Patient, patient.id).birth_date = (now - timedelta(days=30 * months)).date()
    return patient


def test_a_measured_38_4_in_a_two_month_old_raises_the_advice_as_a_typed_fever_does(session, now, triager):
    patient = baby(session, now)
    thermometer = add_preset_measure(session, LOCAL, patient.id, "temperature_c")
    entries = [EntryInput("Crying", 2, now - timedelta(minutes=5))]
    measured = log_check_in_with_measures(
        session, LOCAL, patient.id, entries, triager, [Reading(thermometer.id, 38.4)], now=now
    )
    typed = triager.assess({"Crying": 2, "Fever": 1}, patient=PatientFacts(age_years=2 / 12))
    without = triager.assess({"Crying": 2}, patient=PatientFacts(age_years=2 / 12))
    assert typed.level is TriageLevel.EMERGENCY and without.level is not TriageLevel.EMERGENCY
    assert measured.assessment.level is TriageLevel.EMERGENCY
    assert any("38.4 °C" in reason for reason in measured.assessment.reasons)
    values = list_values(session, LOCAL, patient.id)
    assert values["check_in_id"].tolist() == [measured.check_in_id]
    # Edited and checked again, the check-in keeps its measured temperature.
    again = reassess_check_in(session, LOCAL, patient.id, measured.check_in_id, triager, now=now)
    assert again.assessment.level is TriageLevel.EMERGENCY


def test_a_temperature_in_fahrenheit_is_converted_before_triage(session, now, triager):
    patient = baby(session, now)
    thermometer = add_preset_measure(session, LOCAL, patient.id, "temperature_f")
    entries = [EntryInput("Crying", 2, now - timedelta(minutes=5))]
    logged = log_check_in_with_measures(
        session, LOCAL, patient.id, entries, triager, [Reading(thermometer.id, 101.1)], now=now
    )
    assert logged.assessment.level is TriageLevel.EMERGENCY


def test_a_normal_temperature_is_not_a_fever(session, now, triager):
    patient = baby(session, now)
    thermometer = add_preset_measure(session, LOCAL, patient.id, "temperature_c")
    entries = [EntryInput("Crying", 2, now - timedelta(minutes=5))]
    logged = log_check_in_with_measures(
        session, LOCAL, patient.id, entries, triager, [Reading(thermometer.id, 37.0)], now=now
    )
    assert logged.assessment.level is not TriageLevel.EMERGENCY


@pytest.mark.parametrize(
    ("preset", "value", "level"),
    [("temperature_f", 101.1, TriageLevel.EMERGENCY), ("temperature_c", 37.6, None)],
)
def test_a_fever_measured_alone_gets_its_advice_and_a_normal_one_none(
    session, now, triager, preset, value, level
):
    patient = baby(session, now)
    thermometer = add_preset_measure(session, LOCAL, patient.id, preset)
    logged = log_values_alone(session, LOCAL, patient.id, [Reading(thermometer.id, value)], now, triager, now)
    assert (logged.assessment.level if logged.assessment else None) is level
    assert list_values(session, LOCAL, patient.id)["check_in_id"].isna().all(), "stored, with no check-in"


def test_a_bad_value_stores_neither_the_check_in_nor_any_value(session, now, triager):
    from tracker.diary.entries import count_entries

    patient = add_patient(session, LOCAL, "Ada")
    thermometer = add_preset_measure(session, LOCAL, patient.id, "temperature_c")
    energy = add_preset_measure(session, LOCAL, patient.id, "energy")
    entries = [EntryInput("Headache", 2, now - timedelta(minutes=5))]
    readings = [Reading(energy.id, 2), Reading(thermometer.id, 99)]
    with pytest.raises(ValidationError) as raised:
        log_check_in_with_measures(session, LOCAL, patient.id, entries, triager, readings, now=now)
    assert list(raised.value.errors) == [f"measure_{thermometer.id}"]
    assert count_entries(session, LOCAL, patient.id) == 0
    assert list_values(session, LOCAL, patient.id).empty


def test_values_stay_when_their_check_in_goes(session, now, triager):
    patient = add_patient(session, LOCAL, "Ada")
    energy = add_preset_measure(session, LOCAL, patient.id, "energy")
    entries = [EntryInput("Headache", 2, now - timedelta(minutes=5))]
    logged = log_check_in_with_measures(
        session, LOCAL, patient.id, entries, triager, [Reading(energy.id, 1)], now=now
    )
    delete_entry(session, LOCAL, patient.id, logged.entry_ids[0])
    session.expire_all()
    assert list_values(session, LOCAL, patient.id)["value"].tolist() == [1.0]


def test_a_future_time_is_refused(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    energy = add_preset_measure(session, LOCAL, patient.id, "energy")
    with pytest.raises(ValidationError) as raised:
        log_values(session, LOCAL, patient.id, [Reading(energy.id, 1)], now + timedelta(days=2), now)
    assert "occurred_at" in raised.value.errors


def value_rows(measure, unit, values):
    import pandas as pd

    start = pd.Timestamp("2026-01-01 09:00", tz="UTC")
    return pd.DataFrame(
        {
            "measure": measure,
            "unit": unit,
            "occurred_at": [start + pd.Timedelta(days=i) for i in range(len(values))],
            "value": [float(v) for v in values],
        }
    )


def test_a_low_energy_day_going_with_worse_headaches_is_a_measure_finding():
    from tests.test_factors import headaches, tags
    from tracker.insights.factors import FactorKind, factor_findings
    from tracker.measures.daily import daily_means, measure_factors

    energy = [3 if i % 3 else 1 for i in range(30)]  # low energy every 3rd day, when headaches are worse
    severity = {i: 1 if i % 3 else 4 for i in range(30)}
    extra = measure_factors(value_rows("Energy", "", energy), "UTC")
    assert list(extra.days.columns) == ["Energy above 3"]
    assert daily_means(value_rows("Energy", "", energy), "UTC")["Energy"].tolist() == energy
    found = factor_findings(headaches(severity), tags("walk", [0, 5, 10, 15]), "UTC", extra=extra)
    measure = [f for f in found if f.kind is FactorKind.MEASURE]
    assert measure == []  # the median is 3: no day is above it, so there is nothing to compare


def test_energy_above_the_median_going_with_milder_headaches_is_found_and_worded():
    from tests.test_factors import headaches, tags
    from tracker.insights.factors import Direction, FactorKind, factor_findings
    from tracker.measures.daily import measure_factors

    energy = [4 if i % 2 else 1 for i in range(30)]
    severity = {i: 1 if i % 2 else 4 for i in range(30)}
    extra = measure_factors(value_rows("Energy", "", energy), "UTC")
    found = factor_findings(headaches(severity), tags("walk", [0, 5, 10, 15]), "UTC", lags=(0,), extra=extra)
    (finding,) = [f for f in found if f.kind is FactorKind.MEASURE]
    assert finding.direction is Direction.BETTER
    assert finding.sentence.startswith("On days with energy above 2.5 your headache averaged 1.0")


def test_long_histories_are_charted_as_daily_means_under_the_row_limit():
    from tracker.measures.daily import MAX_CHART_POINTS, chart_points

    many = value_rows("Steps", "steps", list(range(MAX_CHART_POINTS + 10)))
    hourly = many.assign(
        occurred_at=many["occurred_at"].iloc[0] + (many.index.to_series() * 3600).astype("timedelta64[s]")
    )
    points = chart_points(hourly, "UTC")
    assert len(points) <= MAX_CHART_POINTS
    assert points["value"].iloc[0] == sum(range(15)) / 15  # 09:00 to 23:00 on the first day
    assert len(chart_points(many.head(10), "UTC")) == 10
