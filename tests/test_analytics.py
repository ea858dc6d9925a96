from collections.abc import Callable
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from tracker.diary.entries import entries_frame
from tracker.insights import analytics
from tracker.insights.analytics import MAX_CHART_ROWS, MAX_SYMPTOM_ROWS, TOOLTIP_TEXT_LENGTH, Bucket

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday


def entries(*rows: tuple) -> pd.DataFrame:
    """Return an entries frame from (symptom, severity, "YYYY-MM-DD HH:MM" UTC[, note, level, advice])."""
    records = []
    for i, (symptom, severity, when, *extra) in enumerate(rows):
        note, level, advice = [*extra, None, None, None][:3]
        at = pd.Timestamp(when, tz="UTC")
        records.append((i + 1, i + 1, symptom, symptom, severity, at, at, note, level, advice, "v1"))
    return entries_frame(records)


def synthetic(n: int, symptoms: int = 8, days: int = 3 * 365, seed: int = 7) -> pd.DataFrame:
    """Return `n` random entries over `days` days, built vectorised like `list_entries` returns them."""
    rng = np.random.default_rng(seed)
    seconds = np.sort(rng.integers(0, days * 86_400, n))
    at = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(seconds, unit="s")
    names = np.array([f"Symptom {i}" for i in range(symptoms)])
    return pd.DataFrame(
        {
            "id": np.arange(n),
            "check_in_id": np.arange(n),
            "symptom": names[rng.integers(0, symptoms, n)],
            "symptom_text": "typed",
            "severity": rng.integers(1, 6, n),
            "occurred_at": at,
            "logged_at": at,
            "note": None,
            "level": "self_care",
            "advice": "Rest.",
            "model_version": "v1",
        }
    )


@pytest.mark.parametrize(
    ("tz", "day"),
    [
        ("UTC", "2026-11-20"),
        ("Pacific/Auckland", "2026-11-21"),  # UTC+13: already the next morning
        ("America/New_York", "2026-11-20"),
    ],
)
def test_days_are_the_patients_local_days(tz, day):
    frame = entries(("Cough", 2, "2026-11-20 23:30"))
    assert analytics.local_days(frame, tz).iloc[0] == pd.Timestamp(day)


def test_local_times_follow_summer_time():
    frame = entries(("Cough", 2, "2026-07-01 23:30"))
    assert analytics.local_times(frame, "Europe/London").iloc[0] == pd.Timestamp("2026-07-02 00:30")


def test_timeline_data_is_one_row_per_entry_when_few():
    frame = entries(
        ("Headache", 4, "2026-11-20 09:00", "after lunch", "urgent", "Get seen today."),
        ("Cough", 1, "2026-11-21 10:00"),
    )
    data = analytics.timeline_data(frame, "Europe/London")
    assert len(data) == 2
    first = data.iloc[0]
    assert first["bucket"] == Bucket.ENTRY
    assert first["time"] == pd.Timestamp("2026-11-20 09:00")
    assert first["severity_text"] == "4 – Severe"
    assert first["note"] == "after lunch"
    assert first["advice"] == "Get medical help today: Get seen today."
    assert data.iloc[1][["note", "advice"]].tolist() == ["", ""]


def test_timeline_data_shortens_long_notes_for_tooltips():
    frame = entries(("Cough", 2, "2026-11-20 09:00", "word " * 100))
    note = analytics.timeline_data(frame, "UTC")["note"].iloc[0]
    assert len(note) <= TOOLTIP_TEXT_LENGTH and note.endswith("…")


def test_timeline_data_merges_entries_per_day_when_they_exceed_max_points():
    frame = entries(
        ("Cough", 1, "2026-11-20 08:00"),
        ("Cough", 4, "2026-11-20 20:00"),
        ("Cough", 2, "2026-11-21 08:00"),
    )
    data = analytics.timeline_data(frame, "UTC", max_points=2)
    assert data["bucket"].tolist() == ["day", "day"]
    assert data[["severity", "mean_severity", "entries"]].values.tolist() == [[4, 2.5, 2], [2, 2.0, 1]]


def test_timeline_data_averages_days_when_a_short_span_has_more_entries_than_a_chart_can_separate():
    few = synthetic(analytics.RAW_MAX_ENTRIES, symptoms=1, days=30)
    many = synthetic(analytics.RAW_MAX_ENTRIES + 1, symptoms=1, days=30)
    assert set(analytics.timeline_data(few, "UTC")["bucket"]) == {Bucket.ENTRY}
    data = analytics.timeline_data(many, "UTC")
    assert set(data["bucket"]) == {Bucket.DAY}
    assert len(data) <= 31 and data["entries"].sum() == analytics.RAW_MAX_ENTRIES + 1


@pytest.mark.parametrize(
    ("max_points", "bucket"), [(400, "day"), (60, "week"), (13, "month"), (5, "quarter")]
)
def test_timeline_data_uses_the_finest_bucket_that_fits(max_points, bucket):
    frame = synthetic(1000, symptoms=1, days=365)
    data = analytics.timeline_data(frame, "UTC", max_points=max_points)
    assert data["bucket"].unique().tolist() == [bucket]
    assert len(data) <= max_points
    assert data["entries"].sum() == 1000


def test_timeline_data_keeps_the_most_logged_symptoms_when_even_years_do_not_fit():
    frame = entries(
        ("Cough", 1, "2026-01-01 08:00"),
        ("Cough", 1, "2026-02-01 08:00"),
        ("Fever", 1, "2026-01-01 08:00"),
        ("Rash", 1, "2026-01-01 08:00"),
        ("Rash", 1, "2026-03-01 08:00"),
    )
    data = analytics.timeline_data(frame, "UTC", max_points=2)
    assert sorted(data["symptom"]) == ["Cough", "Rash"]


def test_aggregating_100k_entries_gives_at_most_5000_rows_and_loses_no_entry():
    data = analytics.timeline_data(synthetic(100_000), "Europe/London")
    assert len(data) <= MAX_CHART_ROWS
    assert data["entries"].sum() == 100_000


def test_calendar_data_keeps_each_days_worst_within_the_window():
    frame = entries(
        ("Cough", 2, "2026-11-20 08:00"),
        ("Cough", 5, "2026-11-20 21:00"),
        ("Cough", 3, "2026-11-24 08:00"),
        ("Cough", 4, "2026-11-10 08:00"),  # outside the last 7 days
    )
    data = analytics.calendar_data(frame, "UTC", days=7, now=NOW)
    assert data[["day", "worst", "entries"]].values.tolist() == [
        [pd.Timestamp("2026-11-20"), 5, 2],
        [pd.Timestamp("2026-11-24"), 3, 1],
    ]


def test_calendar_data_ends_on_the_latest_entry_without_now():
    frame = entries(("Cough", 2, "2026-01-01 08:00"), ("Cough", 3, "2026-03-01 08:00"))
    assert analytics.calendar_data(frame, "UTC", days=30)["worst"].tolist() == [3]


def test_calendar_data_keeps_only_the_most_logged_symptoms():
    rows = [(f"S{i:02d}", 2, "2026-11-20 08:00") for i in range(MAX_SYMPTOM_ROWS + 3)]
    frame = entries(*rows, ("S14", 3, "2026-11-21 08:00"))
    symptoms = set(analytics.calendar_data(frame, "UTC", now=NOW)["symptom"])
    assert len(symptoms) == MAX_SYMPTOM_ROWS and "S14" in symptoms


def test_year_data_has_every_day_of_53_weeks_up_to_today():
    frame = entries(("Cough", 2, "2026-11-24 08:00"), ("Fever", 4, "2026-11-24 09:00"))
    data = analytics.year_data(frame, "UTC", NOW)
    assert len(data) == 52 * 7 + 3  # whole weeks, then Monday to Wednesday of this week
    assert data["day"].iloc[-1] == pd.Timestamp("2026-11-25")
    assert data["week"].iloc[0].weekday() == 0
    logged = data.set_index("day").loc[pd.Timestamp("2026-11-24")]
    assert (logged["worst"], logged["entries"], logged["weekday"]) == (4, 2, "Tue")
    assert data["worst"].isna().sum() == len(data) - 1
    assert data["severity_text"].iloc[0] == "Nothing logged"


def test_weekday_hour_data_counts_in_local_time():
    frame = entries(("Cough", 2, "2026-11-23 23:30"))  # Monday 23:30 UTC is Tuesday 00:30 in Berlin
    data = analytics.weekday_hour_data(frame, "Europe/Berlin")
    assert len(data) == 7 * 24
    hit = data[data["entries"] > 0]
    assert hit[["weekday", "hour", "entries"]].values.tolist() == [["Tue", 0, 1]]


def test_days_per_symptom_counts_distinct_local_days():
    frame = entries(
        ("Cough", 2, "2026-11-20 08:00"),
        ("Cough", 3, "2026-11-20 18:00"),
        ("Fever", 3, "2026-11-20 08:00"),
        ("Fever", 3, "2026-11-21 08:00"),
    )
    data = analytics.days_per_symptom_data(frame, "UTC")
    assert data.values.tolist() == [["Fever", 2, 2], ["Cough", 1, 2]]


def test_severity_counts_data_counts_each_level_with_words():
    frame = entries(
        ("Cough", 2, "2026-11-20 08:00"), ("Cough", 2, "2026-11-21 08:00"), ("Cough", 5, "2026-11-22")
    )
    data = analytics.severity_counts_data(frame)
    assert data[["severity", "entries", "severity_text"]].values.tolist() == [
        [2, 2, "2 – Mild"],
        [5, 1, "5 – Very severe"],
    ]


def test_cooccurrence_counts_the_days_two_symptoms_share():
    frame = entries(
        ("Cough", 2, "2026-11-20 08:00"),
        ("Fever", 2, "2026-11-20 09:00"),
        ("Cough", 2, "2026-11-21 08:00"),
        ("Cough", 3, "2026-11-21 10:00"),  # a repeat on the same day counts once
        ("Fever", 2, "2026-11-21 09:00"),
        ("Rash", 2, "2026-11-21 09:00"),
        ("Rash", 2, "2026-11-22 09:00"),
    )
    data = analytics.cooccurrence_data(frame, "UTC")
    assert data.values.tolist() == [["Cough", "Fever", 2], ["Cough", "Rash", 1], ["Fever", "Rash", 1]]


def test_cooccurrence_uses_local_days():
    frame = entries(("Cough", 2, "2026-11-20 22:00"), ("Fever", 2, "2026-11-21 01:00"))
    assert analytics.cooccurrence_data(frame, "UTC").empty
    assert len(analytics.cooccurrence_data(frame, "America/New_York")) == 1


def test_recent_data_summarises_each_day_of_the_last_30():
    frame = entries(
        ("Fever", 3, "2026-11-24 08:00"),
        ("Cough", 4, "2026-11-24 09:00"),
        ("Cough", 1, "2026-10-01 09:00"),  # older than 30 days
    )
    data = analytics.recent_data(frame, "UTC", now=NOW)
    assert data[["worst", "entries", "symptoms", "severity_text"]].values.tolist() == [
        [4, 2, "Cough, Fever", "4 – Severe"]
    ]


EMPTY_CASES: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "timeline": lambda f: analytics.timeline_data(f, "UTC"),
    "daily": lambda f: analytics.daily_severity(f, "UTC"),
    "calendar": lambda f: analytics.calendar_data(f, "UTC"),
    "weekday_hour": lambda f: analytics.weekday_hour_data(f, "UTC")[lambda d: d["entries"] > 0],
    "days": lambda f: analytics.days_per_symptom_data(f, "UTC"),
    "severity_counts": analytics.severity_counts_data,
    "cooccurrence": lambda f: analytics.cooccurrence_data(f, "UTC"),
    "recent": lambda f: analytics.recent_data(f, "UTC"),
}


@pytest.mark.parametrize("build", EMPTY_CASES.values(), ids=EMPTY_CASES.keys())
def test_data_functions_return_an_empty_frame_for_no_entries(build):
    assert build(entries()).empty


def test_year_data_of_no_entries_is_a_year_of_empty_days():
    data = analytics.year_data(entries(), "UTC", NOW)
    assert len(data) == 52 * 7 + 3 and data["worst"].isna().all()


def test_timeline_lines_break_where_a_symptom_went_away_for_days():
    frame = entries(
        ("Headache", 2, "2026-11-01 09:00"),
        ("Headache", 3, "2026-11-02 09:00"),
        ("Headache", 2, "2026-11-10 09:00"),
    )
    segments = analytics.timeline_data(frame, "UTC")["segment"].tolist()
    assert segments[0] == segments[1] != segments[2]


def test_a_year_of_entries_is_shown_per_day_not_as_a_tangle_of_single_entries():
    frame = entries(("Cough", 2, "2025-12-01 09:00"), ("Cough", 3, "2026-11-20 09:00"))
    assert set(analytics.timeline_data(frame, "UTC")["bucket"]) == {Bucket.DAY}
