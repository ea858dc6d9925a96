"""Cycles: period starts, cycle day and phase derived from period days; days kept only when tracking is on."""

from datetime import date, timedelta

import pytest

from tracker.care_team.access import LOCAL
from tracker.cycles.derive import (
    DEFAULT_CYCLE_DAYS,
    MAX_CYCLE_DAYS,
    Flow,
    Phase,
    cycle_calendar,
    cycle_day,
    period_starts,
    phase_of,
    typical_length,
)
from tracker.cycles.store import period_days, record_period_day, set_cycle_tracking, tracks_cycle
from tracker.diary.patients import add_patient
from tracker.errors import ValidationError

JAN = date(2026, 1, 1)


def days(first: date, count: int, flow: Flow = Flow.MEDIUM) -> dict[date, Flow]:
    return {first + timedelta(days=i): flow for i in range(count)}


def test_a_period_starts_after_a_week_without_flow_and_a_skipped_day_is_the_same_period():
    periods = days(JAN, 3) | days(JAN + timedelta(days=4), 2) | days(JAN + timedelta(days=29), 4)
    assert period_starts(periods) == [JAN, JAN + timedelta(days=29)]


def test_spotting_alone_does_not_start_a_period():
    periods = days(JAN, 4) | days(JAN + timedelta(days=20), 2, Flow.SPOTTING)
    assert period_starts(periods) == [JAN]


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(-1, None), (0, 1), (2, 3), (27, 28), (MAX_CYCLE_DAYS - 1, MAX_CYCLE_DAYS), (MAX_CYCLE_DAYS, None)],
)
def test_cycle_day_counts_from_the_latest_start_and_is_unknown_long_after(offset, expected):
    assert cycle_day(JAN + timedelta(days=offset), [JAN]) == expected


def test_the_typical_length_is_the_median_of_recent_cycles():
    starts = [JAN + timedelta(days=d) for d in (0, 30, 56, 88)]  # 30, 26, 32 days
    assert typical_length(starts) == 30
    assert typical_length([JAN]) == DEFAULT_CYCLE_DAYS


@pytest.mark.parametrize(
    ("number", "phase"),
    [(1, Phase.MENSTRUAL), (5, Phase.MENSTRUAL), (6, Phase.FOLLICULAR), (13, Phase.OVULATION),
     (14, Phase.OVULATION), (15, Phase.OVULATION), (16, Phase.LUTEAL), (28, Phase.LUTEAL)],
)  # fmt: skip
def test_phases_of_a_28_day_cycle_with_a_5_day_period(number, phase):
    assert phase_of(number, period_days=5, length=28) is phase


def test_the_calendar_gives_each_known_day_its_cycle_day_and_phase():
    periods = days(JAN, 4) | days(JAN + timedelta(days=30), 4)
    calendar = cycle_calendar(
        periods, [JAN - timedelta(days=1), JAN, JAN + timedelta(days=3), JAN + timedelta(days=31)]
    )
    assert calendar == {
        JAN: (1, Phase.MENSTRUAL),
        JAN + timedelta(days=3): (4, Phase.MENSTRUAL),
        JAN + timedelta(days=31): (2, Phase.MENSTRUAL),
    }


def test_period_days_need_cycle_tracking_which_is_off_by_default(session):
    patient = add_patient(session, LOCAL, "Ada")
    assert not tracks_cycle(session, LOCAL, patient.id)
    with pytest.raises(ValidationError) as raised:
        record_period_day(session, LOCAL, patient.id, JAN, Flow.LIGHT)
    assert "Settings" in raised.value.errors["period"]
    set_cycle_tracking(session, LOCAL, patient.id, True)
    record_period_day(session, LOCAL, patient.id, JAN, Flow.LIGHT)
    record_period_day(session, LOCAL, patient.id, JAN, "heavy")  # a day holds one flow: the latest
    record_period_day(session, LOCAL, patient.id, JAN + timedelta(days=1), Flow.MEDIUM)
    record_period_day(session, LOCAL, patient.id, JAN + timedelta(days=1), None)  # cleared
    assert period_days(session, LOCAL, patient.id) == {JAN: Flow.HEAVY}


@pytest.mark.parametrize(
    ("day", "flow", "field"), [(date(2999, 1, 1), Flow.LIGHT, "period_day"), (JAN, "gushing", "flow")]
)
def test_a_future_day_or_unknown_flow_is_refused(session, day, flow, field):
    patient = add_patient(session, LOCAL, "Ada")
    set_cycle_tracking(session, LOCAL, patient.id, True)
    with pytest.raises(ValidationError) as raised:
        record_period_day(session, LOCAL, patient.id, day, flow)
    assert field in raised.value.errors
    assert period_days(session, LOCAL, patient.id) == {}


def test_headaches_on_days_1_to_3_of_the_cycle_are_a_cycle_finding_on_the_day_only():
    import pandas as pd

    from tests.test_factors import headaches, tags
    from tracker.cycles.daily import FIRST_DAYS, cycle_factors
    from tracker.insights.factors import Direction, FactorKind, factor_findings

    # 90 days from 1 Jan 2026 (tests.test_factors.START); periods on days 0-4, 28-32, 56-60, 84-88.
    start = date(2026, 1, 1)
    periods = {}
    for first in (0, 28, 56, 84):
        periods |= days(start + timedelta(days=first), 5)
    severity = {i: 4 if i % 28 < 3 else 1 + i % 2 for i in range(90)}
    logged = headaches(severity, days=90)
    extra = cycle_factors(periods, [start + timedelta(days=i) for i in range(90)])
    found = factor_findings(logged, tags("walk", list(range(0, 90, 3))), "UTC", extra=extra)
    cycle = [f for f in found if f.kind is FactorKind.CYCLE]
    assert {f.lag for f in cycle} == {0}
    first_days = next(f for f in cycle if f.factor == FIRST_DAYS)
    assert first_days.direction is Direction.WORSE
    assert first_days.sentence.startswith("On days 1–3 of your cycle your headache averaged 4.0")
    assert isinstance(extra.days.index, pd.DatetimeIndex)
