"""The medicine list, dose events, what is due now, and adherence (frozen clock, both databases)."""

from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
import pytest

from tracker.care_team.access import LOCAL
from tracker.diary.patients import add_patient
from tracker.errors import NotFoundError, ValidationError
from tracker.medicines.adherence import adherence_by_medicine, planned_slots, weekly_adherence
from tracker.medicines.doses import dose_factor_rows, due_now, factors_with_doses, list_doses, log_dose
from tracker.medicines.medicine_list import (
    add_medicine,
    delete_medicine,
    edit_medicine,
    list_medicines,
    stop_medicine,
)
from tracker.medicines.schedule import DoseStatus, MedicineInput, MedicineView, medicine_errors, slots_between
from tracker.medicines.timeline import dose_timeline_data

TODAY = date(2026, 11, 25)
LONDON, SYDNEY = "Europe/London", "Australia/Sydney"


def morning(name="Sumatriptan", **changes) -> MedicineInput:
    fields = dict(
        name=name,
        dose_amount=50,
        dose_unit="mg",
        form="tablet",
        times=(time(8),),
        start_date=date(2026, 11, 1),
    )
    return MedicineInput(**(fields | changes))


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": "  "}, "name", "enter the medicine's name"),
        ({"name": "x" * 61}, "name", "under 60"),
        ({"dose_amount": 0}, "dose_amount", "more than 0"),
        ({"dose_amount": float("nan")}, "dose_amount", "must be a number"),
        ({"dose_amount": "fifty"}, "dose_amount", "must be a number"),
        ({"dose_unit": "spoonfuls"}, "dose_unit", "from the list"),
        ({"form": "pill"}, "form", "from the list"),
        ({"times": ()}, "times", "at least one time"),
        ({"as_needed": True}, "times", "either times of day or 'as needed'"),
        ({"times": tuple(time(h) for h in range(7))}, "times", "6 times a day"),
        ({"times": (time(8), time(8))}, "times", "Each time of day once"),
        ({"start_date": None}, "start_date", "date you started"),
        ({"end_date": date(2026, 10, 1)}, "end_date", "before the start date"),
    ],
)
def test_each_bad_field_is_named_in_plain_words(changes, field, words):
    errors = medicine_errors(morning(**changes), TODAY)
    assert list(errors) == [field]
    assert words in errors[field]


def test_a_good_medicine_and_an_as_needed_one_pass():
    assert medicine_errors(morning(), TODAY) == {}
    assert medicine_errors(morning(times=(), as_needed=True), TODAY) == {}


def test_the_list_is_per_profile_and_refuses_a_second_current_medicine_of_one_name(session):
    ada, bob = add_patient(session, LOCAL, "Ada"), add_patient(session, LOCAL, "Bob")
    added = add_medicine(session, LOCAL, ada.id, morning(), TODAY)
    assert added.label == "Sumatriptan 50 mg" and added.schedule_text == "08:00"
    with pytest.raises(ValidationError) as error:
        add_medicine(session, LOCAL, ada.id, morning(name="sumatriptan"), TODAY)
    assert "already on the list" in error.value.errors["name"]
    add_medicine(session, LOCAL, bob.id, morning(), TODAY)  # another profile's list is its own
    stop_medicine(session, LOCAL, ada.id, added.id, TODAY)
    add_medicine(session, LOCAL, ada.id, morning(dose_amount=100), TODAY)  # stopped today: a new dose today
    assert [m.label for m in list_medicines(session, LOCAL, ada.id)] == [
        "Sumatriptan 50 mg",
        "Sumatriptan 100 mg",
    ]


def test_a_medicine_is_corrected_in_place_and_adherence_counts_the_new_schedule(session):
    ada, bob = add_patient(session, LOCAL, "Ada"), add_patient(session, LOCAL, "Bob")
    wrong = add_medicine(session, LOCAL, ada.id, morning(dose_amount=5), TODAY)
    add_medicine(session, LOCAL, ada.id, morning(name="Metformin"), TODAY)
    fixed = edit_medicine(
        session, LOCAL, ada.id, wrong.id, morning(dose_amount=50, times=(time(8), time(20))), TODAY
    )
    assert (fixed.id, fixed.label, fixed.schedule_text) == (wrong.id, "Sumatriptan 50 mg", "08:00 and 20:00")
    assert len(slots_between(fixed, date(2026, 11, 1), date(2026, 11, 2), LONDON)) == 4
    with pytest.raises(ValidationError) as error:  # renamed onto another current medicine: ambiguous
        edit_medicine(session, LOCAL, ada.id, wrong.id, morning(name="metformin"), TODAY)
    assert "already on the list" in error.value.errors["name"]
    with pytest.raises(ValidationError) as error:  # a bad field: named, and nothing changes
        edit_medicine(session, LOCAL, ada.id, wrong.id, morning(dose_amount=0), TODAY)
    assert list(error.value.errors) == ["dose_amount"]
    with pytest.raises(NotFoundError):  # another profile's medicine cannot be edited through this one
        edit_medicine(session, LOCAL, bob.id, wrong.id, morning(), TODAY)
    assert [m.label for m in list_medicines(session, LOCAL, ada.id)] == [
        "Metformin 50 mg",
        "Sumatriptan 50 mg",
    ]


def test_nothing_is_stored_when_a_field_is_bad(session):
    ada = add_patient(session, LOCAL, "Ada")
    with pytest.raises(ValidationError):
        add_medicine(session, LOCAL, ada.id, morning(dose_unit="bad"), TODAY)
    assert list_medicines(session, LOCAL, ada.id) == []


def test_a_medicine_of_another_profile_cannot_be_dosed_or_deleted(session, now):
    ada, bob = add_patient(session, LOCAL, "Ada"), add_patient(session, LOCAL, "Bob")
    theirs = add_medicine(session, LOCAL, bob.id, morning(), TODAY)
    with pytest.raises(NotFoundError):
        log_dose(session, LOCAL, ada.id, theirs.id, DoseStatus.EXTRA, now, "UTC", now=now)
    with pytest.raises(NotFoundError):
        delete_medicine(session, LOCAL, ada.id, theirs.id)


def test_the_morning_dose_is_due_around_its_local_time_until_it_is_logged(session):
    ada = add_patient(session, LOCAL, "Ada")
    medicine = add_medicine(session, LOCAL, ada.id, morning(), TODAY)
    eight_london = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # GMT in November
    assert due_now(session, LOCAL, ada.id, eight_london - timedelta(hours=1), LONDON) == []
    (due,) = due_now(session, LOCAL, ada.id, eight_london + timedelta(minutes=10), LONDON)
    assert (due.label, due.slot_at) == ("Sumatriptan 50 mg", eight_london)
    later = eight_london + timedelta(minutes=20)
    log_dose(
        session, LOCAL, ada.id, medicine.id, DoseStatus.TAKEN, later, LONDON, slot_at=due.slot_at, now=later
    )
    assert due_now(session, LOCAL, ada.id, later, LONDON) == []


def test_the_same_clock_time_is_a_different_moment_in_another_zone(session):
    ada = add_patient(session, LOCAL, "Ada")
    add_medicine(session, LOCAL, ada.id, morning(), TODAY)
    (due,) = due_now(session, LOCAL, ada.id, datetime(2026, 11, 24, 21, 5, tzinfo=UTC), SYDNEY)
    assert due.slot_at == datetime(2026, 11, 24, 21, 0, tzinfo=UTC)  # 08:00 on the 25th in Sydney (UTC+11)


def test_a_slot_is_answered_once_and_skips_and_extras_are_checked(session, now):
    ada = add_patient(session, LOCAL, "Ada")
    medicine = add_medicine(session, LOCAL, ada.id, morning(), TODAY)
    slot = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    log_dose(session, LOCAL, ada.id, medicine.id, DoseStatus.SKIPPED, slot, "UTC", slot_at=slot, now=now)
    problems = [
        ({"status": DoseStatus.TAKEN, "slot_at": slot}, "dose", "already recorded"),
        ({"status": DoseStatus.TAKEN, "slot_at": slot + timedelta(hours=1)}, "dose", "not planned"),
        ({"status": DoseStatus.SKIPPED, "slot_at": None}, "dose", "Only a planned dose"),
        ({"status": DoseStatus.EXTRA, "taken_at": now + timedelta(hours=2)}, "taken_at", "in the future"),
        ({"status": DoseStatus.EXTRA, "amount": -5}, "amount", "more than 0"),
    ]
    for changes, field, words in problems:
        call = {"status": DoseStatus.EXTRA, "taken_at": now, "slot_at": None, "amount": None} | changes
        with pytest.raises(ValidationError) as error:
            log_dose(session, LOCAL, ada.id, medicine.id, tz="UTC", now=now, **call)
        assert words in error.value.errors[field]
    log_dose(session, LOCAL, ada.id, medicine.id, DoseStatus.EXTRA, now, "UTC", amount=25, now=now)
    doses = list_doses(session, LOCAL, ada.id)
    assert list(doses["status"]) == ["skipped", "extra"] and list(doses["amount"].fillna(0)) == [0, 25]


def test_as_needed_doses_become_medication_factors(session, now):
    ada = add_patient(session, LOCAL, "Ada")
    rescue = add_medicine(
        session, LOCAL, ada.id, morning(name="Salbutamol", times=(), as_needed=True, dose_unit="puffs"), TODAY
    )
    daily = add_medicine(session, LOCAL, ada.id, morning(name="Cetirizine"), TODAY)
    log_dose(session, LOCAL, ada.id, rescue.id, DoseStatus.EXTRA, now - timedelta(hours=1), "UTC", now=now)
    slot = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    log_dose(session, LOCAL, ada.id, daily.id, DoseStatus.TAKEN, slot, "UTC", slot_at=slot, now=now)
    factors = factors_with_doses(session, LOCAL, ada.id)
    assert list(zip(factors["kind"], factors["name"], strict=True)) == [("medication", "Salbutamol")]


def view(
    times=(time(8), time(20)), as_needed=False, start=date(2026, 11, 16), end=None, id=1, name="Metformin"
):
    return MedicineView(id, name, 500, "mg", "tablet", times, as_needed, start, end)


def doses_frame(rows):
    """Rows of (medicine_id, name, status, taken_at, slot_at, as_needed)."""
    frame = pd.DataFrame(
        rows, columns=["medicine_id", "medicine", "status", "taken_at", "slot_at", "as_needed"]
    )
    for column in ("taken_at", "slot_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame.assign(amount=float("nan"), dose_unit="mg", id=range(len(frame)))


def test_weekly_adherence_counts_planned_taken_skipped_missed_and_extra():
    metformin, rescue = view(), view(times=(), as_needed=True, id=2, name="Salbutamol")
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # Wednesday: the week's 5 doses so far (Mon–Wed 08:00)
    slot = lambda d, h: datetime(2026, 11, d, h, tzinfo=UTC)  # noqa: E731
    doses = doses_frame(
        [
            *[
                (1, "Metformin", "taken", slot(d, 8), slot(d, 8), False) for d in range(16, 23)
            ],  # all week 1 mornings
            (1, "Metformin", "skipped", slot(16, 20), slot(16, 20), False),
            (1, "Metformin", "taken", slot(23, 8), slot(23, 8), False),
            (2, "Salbutamol", "extra", slot(24, 15), None, True),
            (2, "Salbutamol", "extra", slot(25, 9), None, True),
        ]
    )
    weekly = weekly_adherence([metformin, rescue], doses, "UTC", now)
    rows = weekly.set_index(["medicine", weekly["week"].dt.strftime("%d")])
    assert rows.loc[("Metformin", "16"), ["planned", "taken", "skipped", "missed"]].tolist() == [14, 7, 1, 6]
    assert rows.loc[("Metformin", "23"), ["planned", "taken", "missed"]].tolist() == [5, 1, 4]
    assert rows.loc[("Metformin", "16"), "adherence"] == pytest.approx(0.5)
    assert rows.loc[("Salbutamol", "23"), "extra"] == 2 and pd.isna(
        rows.loc[("Salbutamol", "23"), "adherence"]
    )
    totals = adherence_by_medicine(weekly).set_index("medicine")
    assert totals.loc["Metformin", "adherence"] == pytest.approx(8 / 19)


def test_planned_slots_match_the_single_medicine_rule_across_a_clock_change():
    medicine = view(times=(time(1, 30), time(8)), start=date(2026, 3, 27))
    first, last = date(2026, 3, 27), date(2026, 3, 31)
    vectorised = planned_slots([medicine], first, last, LONDON)["slot_at"].sort_values().tolist()
    assert vectorised == slots_between(medicine, first, last, LONDON)


def test_a_stopped_medicine_plans_nothing_after_its_last_day():
    medicine = view(end=date(2026, 11, 17))
    assert len(planned_slots([medicine], date(2026, 11, 1), date(2026, 11, 30), "UTC")) == 4


def test_a_long_history_of_doses_is_counted_in_buckets_that_fit_a_chart():
    times = pd.date_range("2020-01-01", periods=20_000, freq="2h", tz="UTC")  # 4 medicines, 1,667 days
    doses = doses_frame([(i % 4, f"Medicine {i % 4}", "taken", t, t, False) for i, t in enumerate(times)])
    data = dose_timeline_data(doses, LONDON)
    assert len(data) <= 5_000 and data["doses"].sum() == 20_000
    assert set(data["bucket"]) == {"week"}
    few = dose_timeline_data(doses.head(10), LONDON)
    assert set(few["bucket"]) == {"dose"} and few["time"].iat[0] == pd.Timestamp("2020-01-01 00:00")


def test_dose_factor_rows_leave_out_skips_and_planned_doses():
    when = datetime(2026, 11, 20, 9, tzinfo=UTC)
    doses = doses_frame(
        [
            (1, "Metformin", "taken", when, when, False),
            (1, "Metformin", "extra", when, None, False),
            (2, "Salbutamol", "extra", when, None, True),
        ]
    )
    assert list(dose_factor_rows(doses)["name"]) == ["Metformin", "Salbutamol"]
