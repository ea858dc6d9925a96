from datetime import UTC, datetime

import pandas as pd
import pytest

from tracker.entries import entries_frame
from tracker.trends import (
    MIN_TREND_DAYS,
    DailyStatistic,
    Verdict,
    rolling_mean_data,
    summary_metrics,
    trend_verdicts,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def entries(*rows: tuple[str, int, str]) -> pd.DataFrame:
    """Return an entries frame from (symptom, severity, "YYYY-MM-DD HH:MM" UTC) rows."""
    records = []
    for i, (symptom, severity, when) in enumerate(rows):
        at = pd.Timestamp(when, tz="UTC")
        records.append((i + 1, i + 1, symptom, symptom, severity, at, at, None, None, None, "v1"))
    return entries_frame(records)


def daily(symptom: str, severities: list[int], last_day: str = "2026-11-25") -> list[tuple[str, int, str]]:
    """Return one entry a day at 09:00 UTC, the last on `last_day`."""
    days = pd.date_range(end=last_day, periods=len(severities), freq="D")
    return [(symptom, s, f"{day:%Y-%m-%d} 09:00") for s, day in zip(severities, days, strict=True)]


def test_rolling_mean_averages_the_last_seven_days_of_daily_worst():
    frame = entries(*daily("Cough", [1, 2, 3, 4, 5, 5, 5, 5, 5, 5]), ("Cough", 1, "2026-11-25 20:00"))
    data = rolling_mean_data(frame, "UTC")
    assert data["daily"].iloc[-1] == 5  # the day's worst, not its 1
    assert data["rolling"].iloc[-1] == pytest.approx((4 + 5 * 6) / 7)
    assert data["rolling"].iloc[6] == pytest.approx((1 + 2 + 3 + 4 + 5 + 5 + 5) / 7)


def test_rolling_mean_can_smooth_the_daily_mean_instead():
    frame = entries(("Cough", 5, "2026-11-25 08:00"), ("Cough", 1, "2026-11-25 20:00"))
    data = rolling_mean_data(frame, "UTC", statistic=DailyStatistic.MEAN)
    assert data["rolling"].tolist() == [3.0]


def test_days_without_entries_are_missing_not_zero():
    frame = entries(("Cough", 4, "2026-11-20 09:00"), ("Cough", 2, "2026-11-22 09:00"))
    data = rolling_mean_data(frame, "UTC")
    assert data["rolling"].tolist() == [4.0, 3.0]
    assert len(data) == 2  # no rows invented for the empty day


def test_rolling_mean_is_averaged_per_week_beyond_max_points():
    frame = entries(*daily("Cough", [3] * 70))
    data = rolling_mean_data(frame, "UTC", max_points=20)
    assert len(data) <= 20 and data["entries"].sum() == 70
    assert (data["rolling"] == 3).all()


@pytest.mark.parametrize(
    ("severities", "verdict"),
    [
        ([1, 1, 2, 2, 3, 3, 4], Verdict.WORSENING),
        ([4, 4, 3, 3, 2, 2, 1], Verdict.IMPROVING),
        ([3, 2, 3, 3, 2, 3, 3], Verdict.STABLE),
        ([5, 1], Verdict.NOT_ENOUGH_DATA),
    ],
)
def test_trend_verdict_follows_the_least_squares_slope(severities, verdict):
    [trend] = trend_verdicts(entries(*daily("Cough", severities)), "UTC", NOW, window_days=14)
    assert trend.verdict is verdict


def test_slope_is_per_week_and_the_sentence_gives_start_and_end():
    [trend] = trend_verdicts(entries(*daily("Headache", [2, 2, 3, 3, 4])), "UTC", NOW, window_days=14)
    assert trend.slope_per_week == pytest.approx(3.5)
    assert (trend.start_mean, trend.end_mean, trend.days, trend.entries) == (1.8, 3.8, 5, 5)
    assert trend.sentence == "Headache worsened over the last 14 days: average 1.8 → 3.8"


def test_too_few_days_says_so():
    [trend] = trend_verdicts(entries(*daily("Rash", [3, 4])), "UTC", NOW, window_days=7)
    assert trend.slope_per_week is None
    assert (
        trend.sentence
        == f"Not enough data for Rash over the last 7 days (2 days logged, {MIN_TREND_DAYS} needed)"
    )


def test_entries_before_the_window_are_ignored():
    frame = entries(*daily("Cough", [5, 5, 5], last_day="2026-11-01"), *daily("Cough", [2, 2, 2]))
    [trend] = trend_verdicts(frame, "UTC", NOW, window_days=14)
    assert (trend.verdict, trend.days) == (Verdict.STABLE, 3)


def test_steepest_trends_come_first_and_thin_data_last():
    frame = entries(
        *daily("Cough", [2, 2, 3]),
        *daily("Fever", [1, 3, 5]),
        *daily("Rash", [4]),
    )
    trends = trend_verdicts(frame, "UTC", NOW)
    assert [t.symptom for t in trends] == ["Fever", "Cough", "Rash"]


def test_no_entries_give_no_verdicts():
    assert trend_verdicts(entries(), "UTC", NOW) == []


def test_summary_compares_this_week_with_the_week_before():
    frame = entries(
        ("Cough", 2, "2026-11-13 09:00"),  # previous week
        ("Cough", 5, "2026-11-14 09:00"),
        ("Cough", 3, "2026-11-19 09:00"),  # this week: 19th to 25th
        ("Fever", 4, "2026-11-24 09:00"),
        ("Fever", 3, "2026-11-25 09:00"),
    )
    summary = summary_metrics(frame, "UTC", NOW)
    assert (summary.entries, summary.entries_delta) == (3, 1)
    assert (summary.most_frequent_symptom, summary.most_frequent_entries) == ("Fever", 2)
    assert (summary.worst_severity, summary.worst_severity_delta) == (4, -1)


def test_summary_names_the_biggest_trend():
    frame = entries(*daily("Cough", [3, 3, 3, 3]), *daily("Fever", [1, 2, 3, 4, 5]))
    summary = summary_metrics(frame, "UTC", NOW)
    assert summary.biggest_trend == "Fever worsened over the last 14 days: average 1.0 → 5.0"
    assert summary.biggest_trend_verdict is Verdict.WORSENING


def test_summary_of_no_entries_has_nothing_to_say():
    summary = summary_metrics(entries(), "UTC", NOW)
    assert (summary.entries, summary.most_frequent_symptom, summary.worst_severity) == (0, None, None)
    assert summary.worst_severity_delta is None and summary.biggest_trend is None
