from datetime import UTC, datetime

import pandas as pd
import pytest

from tracker.diary.entries import entries_frame
from tracker.insights.trends import (
    MIN_TREND_DAYS,
    DailyStatistic,
    Delta,
    Verdict,
    biggest_change,
    delta_words,
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
def test_trend_verdict_compares_the_earlier_and_later_days_logged(severities, verdict):
    [trend] = trend_verdicts(entries(*daily("Cough", severities)), "UTC", NOW, window_days=14)
    assert trend.verdict is verdict


def test_the_sentence_gives_the_real_averages_it_compares():
    [trend] = trend_verdicts(entries(*daily("Headache", [2, 2, 3, 3, 4])), "UTC", NOW, window_days=14)
    assert (trend.first_average, trend.last_average, trend.compared_days, trend.days) == (2.0, 3.5, 2, 5)
    assert trend.sentence == (
        "Headache worsened over the last 14 days: average severity 2.0 on its first 2 days logged, "
        "3.5 on its last 2"
    )


def test_the_averages_never_exceed_the_ratings_given():
    """The issue: "average 4.1 → 2.2" for a headache never rated above 4 (a fitted line's ends)."""
    [trend] = trend_verdicts(entries(*daily("Headache", [4, 4, 4, 3, 2, 2, 2, 1])), "UTC", NOW, 14)
    assert trend.verdict is Verdict.IMPROVING
    assert (trend.first_average, trend.last_average) == (3.8, 1.8)
    assert "3.8 on its first 4 days logged, 1.8 on its last 4" in trend.sentence


def test_the_average_is_of_entries_not_of_daily_averages():
    frame = entries(
        ("Cough", 1, "2026-11-20 08:00"),
        ("Cough", 1, "2026-11-20 09:00"),
        ("Cough", 4, "2026-11-20 10:00"),
        ("Cough", 3, "2026-11-22 09:00"),
        ("Cough", 4, "2026-11-24 09:00"),
    )
    [trend] = trend_verdicts(frame, "UTC", NOW, window_days=14)
    assert (trend.first_average, trend.last_average, trend.entries) == (2.0, 4.0, 5)


def test_one_day_on_each_side_reads_as_a_day():
    [trend] = trend_verdicts(entries(*daily("Rash", [2, 3, 2])), "UTC", NOW, window_days=7)
    assert trend.sentence.endswith("average severity 2.0 on its first day logged, 2.0 on its last")
    assert trend.verdict is Verdict.STABLE


def test_too_few_days_says_so():
    [trend] = trend_verdicts(entries(*daily("Rash", [3, 4])), "UTC", NOW, window_days=7)
    assert trend.first_average is None and trend.change is None
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


def test_the_biggest_change_leads_and_a_steady_symptom_is_next_best():
    frame = entries(*daily("Cough", [3, 3, 3, 3]), *daily("Fever", [1, 2, 3, 4, 5]), *daily("Rash", [2]))
    assert biggest_change(trend_verdicts(frame, "UTC", NOW)).symptom == "Fever"
    steady = entries(*daily("Cough", [3, 3, 3, 3]), *daily("Rash", [2]))
    assert biggest_change(trend_verdicts(steady, "UTC", NOW)).verdict is Verdict.STABLE
    assert biggest_change(trend_verdicts(entries(*daily("Rash", [2])), "UTC", NOW)) is None


@pytest.mark.parametrize(
    ("delta", "worse_when_more", "expected"),
    [
        (-1958, None, Delta("1,958 fewer", "down", "gray")),
        (3, None, Delta("3 more", "up", "gray")),
        (0, None, Delta("the same", "off", "gray")),
        (None, None, Delta(None, "off", "gray")),
        (-1, True, Delta("1 fewer", "down", "green")),
        (2, True, Delta("2 more", "up", "red")),
    ],
)
def test_a_change_is_words_and_an_arrow_never_a_minus_sign(delta, worse_when_more, expected):
    assert delta_words(delta, "more", "fewer", worse_when_more) == expected


def test_summary_of_no_entries_has_nothing_to_say():
    summary = summary_metrics(entries(), "UTC", NOW)
    assert (summary.entries, summary.most_frequent_symptom, summary.worst_severity) == (0, None, None)
    assert summary.worst_severity_delta is None
