"""Aggregations of a patient's entries for the History and Log pages: pure pandas, by local day.

Every function takes the frame `tracker.diary.entries.list_entries` returns. Times come back as naive
wall-clock times in the patient's zone `tz`: Altair sends naive times as ISO strings without an
offset, which every browser reads and shows unchanged, whatever the browser's own zone.
"""

from datetime import datetime
from enum import StrEnum

import pandas as pd

from tracker.diary.validation import SEVERITY_WORDS
from tracker.levels import TriageLevel

# Altair refuses to embed more rows than this in a chart (MaxRowsError); we stay under it by design.
MAX_CHART_ROWS = 5000
# Symptom rows a heat map can show legibly at phone width (~360 px); the most frequent are kept.
MAX_SYMPTOM_ROWS = 12
CALENDAR_DAYS = 60
RECENT_DAYS = 30
YEAR_WEEKS = 53
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
# Notes and advice can be 1,000 characters; a tooltip shows the start so it fits on a phone.
TOOLTIP_TEXT_LENGTH = 100


class Bucket(StrEnum):
    """How much time one timeline row covers: a single entry, or a day, week, month, … of them."""

    ENTRY = "entry"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


COARSER_BUCKETS = [Bucket.DAY, Bucket.WEEK, Bucket.MONTH, Bucket.QUARTER, Bucket.YEAR]
_PERIODS = {Bucket.MONTH: "M", Bucket.QUARTER: "Q", Bucket.YEAR: "Y"}
_LEVEL_LABELS = {level.value: level.label for level in TriageLevel}


def local_times(frame: pd.DataFrame, tz: str) -> pd.Series:
    """Return `occurred_at` as naive wall-clock times in the zone `tz`."""
    return frame["occurred_at"].dt.tz_convert(tz).dt.tz_localize(None)


def local_days(frame: pd.DataFrame, tz: str) -> pd.Series:
    """Return the local calendar day (midnight, naive) of each entry in the zone `tz`."""
    return local_times(frame, tz).dt.normalize()


def local_today(now: datetime, tz: str) -> pd.Timestamp:
    """Return the local calendar day of the aware time `now` in the zone `tz` (midnight, naive)."""
    return pd.Timestamp(now).tz_convert(tz).tz_localize(None).normalize()


def bucket_start(days: pd.Series, bucket: Bucket) -> pd.Series:
    """Return the first day of the day/week (Monday)/month/quarter/year holding each of `days`."""
    if bucket in _PERIODS:
        return days.dt.to_period(_PERIODS[bucket]).dt.start_time
    if bucket is Bucket.WEEK:
        return days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    return days


def severity_text(severity: pd.Series, missing: str = "") -> pd.Series:
    """Return each whole severity as number and words, e.g. "4 – Severe" (`missing` where there is none)."""
    words = severity.map(SEVERITY_WORDS)
    return (severity.astype("Int64").astype(str) + " – " + words).where(words.notna(), missing)


def daily_severity(frame: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Return one row per symptom per local day: `worst`, `mean` severity and `entries`."""
    grouped = frame["severity"].groupby([frame["symptom"], local_days(frame, tz).rename("day")])
    daily = grouped.agg(["max", "mean", "size"]).reset_index()
    return daily.rename(columns={"max": "worst", "size": "entries"})


def coarsen(daily: pd.DataFrame, bucket: Bucket) -> pd.DataFrame:
    """Return `daily_severity` rows merged per symptom per `bucket` (the count-weighted mean is kept)."""
    if bucket is Bucket.DAY:
        return daily
    weighted = daily.assign(total=daily["mean"] * daily["entries"], day=bucket_start(daily["day"], bucket))
    merged = weighted.groupby(["symptom", "day"], as_index=False).agg(
        worst=("worst", "max"), total=("total", "sum"), entries=("entries", "sum")
    )
    return merged.assign(mean=merged["total"] / merged["entries"]).drop(columns="total")


# Single entries read well over a few weeks; over months they become a tangle, so days are averaged.
RAW_SPAN_DAYS = 45
# Past a few hundred points a chart's points overlap (under 3 px apart across a desktop chart, under one
# on a phone), so days are averaged then too; it also keeps the browser's drawing quick.
RAW_MAX_ENTRIES = 500
# A line joins two points of a symptom only when they are this close: a gap means it went away.
LINE_GAP_DAYS = {
    Bucket.ENTRY: 2,
    Bucket.DAY: 2,
    Bucket.WEEK: 15,
    Bucket.MONTH: 63,
    Bucket.QUARTER: 190,
    Bucket.YEAR: 740,
}


def timeline_data(frame: pd.DataFrame, tz: str, max_points: int = MAX_CHART_ROWS) -> pd.DataFrame:
    """Return one row per entry for a short span with few entries, else the finest buckets that fit.

    Columns: symptom, time, bucket, severity (the worst), mean_severity, entries, severity_text, note,
    advice, and segment (points of one symptom with no long gap between them, joined by a line).
    """
    span = (frame["occurred_at"].max() - frame["occurred_at"].min()).days if len(frame) else 0
    if len(frame) <= min(max_points, RAW_MAX_ENTRIES) and span <= RAW_SPAN_DAYS:
        return _segments(_timeline_entries(frame, tz), Bucket.ENTRY)
    daily = daily_severity(frame, tz)
    for bucket in COARSER_BUCKETS:
        rows = coarsen(daily, bucket)
        if len(rows) <= max_points:
            return _segments(_timeline_buckets(rows, bucket), bucket)
    return _segments(_timeline_buckets(most_frequent_rows(rows, max_points), Bucket.YEAR), Bucket.YEAR)


def _segments(rows: pd.DataFrame, bucket: Bucket) -> pd.DataFrame:
    """Number each symptom's runs of points: a new run starts after a gap longer than LINE_GAP_DAYS."""
    if rows.empty:
        return rows.assign(segment=pd.Series(dtype="str"))
    ordered = rows.sort_values(["symptom", "time"], kind="stable")
    gap = ordered.groupby("symptom")["time"].diff() > pd.Timedelta(days=LINE_GAP_DAYS[bucket])
    run = gap.astype("int64").groupby(ordered["symptom"]).cumsum()
    segment = ordered["symptom"].astype(str) + "#" + run.astype(str)
    return rows.assign(segment=segment).reset_index(drop=True)  # assign aligns on the index: order kept


def _timeline_entries(frame: pd.DataFrame, tz: str) -> pd.DataFrame:
    level = frame["level"].map(_LEVEL_LABELS).fillna("")
    advice = _shorten(frame["advice"])
    return pd.DataFrame(
        {
            "symptom": frame["symptom"],
            "time": local_times(frame, tz),
            "bucket": Bucket.ENTRY.value,
            "severity": frame["severity"],
            "mean_severity": frame["severity"].astype("float64"),
            "entries": 1,
            "severity_text": severity_text(frame["severity"]),
            "note": _shorten(frame["note"]),
            "advice": level.where(advice == "", level + ": " + advice),
        }
    ).reset_index(drop=True)


def _timeline_buckets(rows: pd.DataFrame, bucket: Bucket) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "symptom": rows["symptom"],
            "time": rows["day"],
            "bucket": bucket.value,
            "severity": rows["worst"],
            "mean_severity": rows["mean"].round(1),
            "entries": rows["entries"],
            "severity_text": severity_text(rows["worst"]),
            "note": "",
            "advice": "",
        }
    ).reset_index(drop=True)


def _shorten(text: pd.Series) -> pd.Series:
    text = text.fillna("").astype(str)
    cut = text.str.slice(0, TOOLTIP_TEXT_LENGTH - 1).str.rstrip() + "…"
    return text.where(text.str.len() <= TOOLTIP_TEXT_LENGTH, cut)


def most_frequent_rows(rows: pd.DataFrame, max_rows: int) -> pd.DataFrame:
    """Return the rows of the symptoms with most entries, as many whole symptoms as fit in `max_rows`."""
    per_symptom = rows.groupby("symptom")["entries"].agg(["sum", "size"]).sort_values("sum", ascending=False)
    kept = per_symptom.index[per_symptom["size"].cumsum() <= max_rows]
    return rows[rows["symptom"].isin(kept)]


def top_symptoms(frame: pd.DataFrame, limit: int = MAX_SYMPTOM_ROWS) -> list[str]:
    """Return up to `limit` symptoms with the most entries, most first (ties by name)."""
    counts = frame["symptom"].value_counts()
    order = pd.DataFrame({"symptom": counts.index, "n": counts.to_numpy()})
    ranked = order.sort_values(["n", "symptom"], ascending=[False, True])["symptom"].head(limit)
    return [str(name) for name in ranked]


def window_end(frame: pd.DataFrame, tz: str, now: datetime | None) -> pd.Timestamp:
    """Return the local day a "last N days" view ends on: today when `now` is given, else the latest entry."""
    if now is not None:
        return local_today(now, tz)
    return local_days(frame, tz).max()


def in_last_days(frame: pd.DataFrame, tz: str, days: int, end: pd.Timestamp) -> pd.DataFrame:
    """Return the entries whose local day is one of the `days` days ending with `end` (inclusive)."""
    day = local_days(frame, tz)
    return frame[(day > end - pd.Timedelta(days=days)) & (day <= end)]


def calendar_data(
    frame: pd.DataFrame, tz: str, days: int = CALENDAR_DAYS, now: datetime | None = None
) -> pd.DataFrame:
    """Return the worst severity per symptom per local day over the last `days` days.

    Only the MAX_SYMPTOM_ROWS most frequent symptoms are kept. Columns: symptom, day, worst, entries,
    severity_text. The window ends today when `now` is given, else on the latest entry's day.
    """
    if frame.empty:
        return pd.DataFrame(columns=["symptom", "day", "worst", "entries", "severity_text"])
    recent = in_last_days(frame, tz, days, window_end(frame, tz, now))
    recent = recent[recent["symptom"].isin(top_symptoms(recent))]
    daily = daily_severity(recent, tz).drop(columns="mean")
    return daily.assign(severity_text=severity_text(daily["worst"]))


def year_data(frame: pd.DataFrame, tz: str, now: datetime) -> pd.DataFrame:
    """Return every local day of the last YEAR_WEEKS weeks up to today, with the worst severity that day.

    Columns: day, week (its Monday), week_end, weekday ("Mon"…), worst (NaN when nothing was logged),
    entries, severity_text. Days after today are left out.
    """
    today = local_today(now, tz)
    first = today - pd.Timedelta(days=today.day_of_week + 7 * (YEAR_WEEKS - 1))
    calendar = pd.DataFrame({"day": pd.date_range(first, today, freq="D")})
    day = local_days(frame, tz)
    logged = frame["severity"].groupby(day.rename("day")).agg(worst="max", entries="size")
    calendar = calendar.merge(logged.reset_index(), on="day", how="left")
    week = bucket_start(calendar["day"], Bucket.WEEK)
    return calendar.assign(
        week=week,
        week_end=week + pd.Timedelta(days=7),
        weekday=calendar["day"].dt.day_of_week.map(dict(enumerate(WEEKDAYS))),
        entries=calendar["entries"].fillna(0).astype("int64"),
        severity_text=severity_text(calendar["worst"], missing="Nothing logged"),
    )


def weekday_hour_data(frame: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Return how many entries fell in each local weekday × hour: 7 × 24 rows, zeros included."""
    times = local_times(frame, tz)
    counts = pd.crosstab(times.dt.day_of_week.rename("weekday_number"), times.dt.hour.rename("hour"))
    counts = counts.reindex(index=range(7), columns=range(24), fill_value=0)
    grid = counts.stack().rename("entries").reset_index()
    return grid.assign(weekday=grid["weekday_number"].map(dict(enumerate(WEEKDAYS))))


def days_per_symptom_data(frame: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Return per symptom the number of distinct local days logged and of entries, most days first."""
    grouped = pd.DataFrame({"symptom": frame["symptom"], "day": local_days(frame, tz)}).groupby("symptom")
    counts = grouped["day"].agg(days="nunique", entries="size").reset_index()
    return counts.sort_values(["days", "symptom"], ascending=[False, True], ignore_index=True)


def severity_counts_data(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the number of entries per symptom per severity: symptom, severity, entries, severity_text."""
    counts = frame.groupby(["symptom", "severity"]).size().rename("entries").reset_index()
    return counts.assign(severity_text=severity_text(counts["severity"]))


def cooccurrence_data(frame: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Return each pair of symptoms logged on the same local day and on how many days: most days first.

    Columns: symptom_a, symptom_b (a < b by name), days. Pairs never logged together are left out.
    """
    # A self-join per day, not a day x symptom matrix: its size follows the few symptoms of each day,
    # so hundreds of free-text symptom names over years cost no more than a handful.
    logged = pd.DataFrame({"day": local_days(frame, tz), "symptom": frame["symptom"]}).drop_duplicates()
    pairs = logged.merge(logged, on="day", suffixes=("_a", "_b"))
    pairs = pairs[pairs["symptom_a"] < pairs["symptom_b"]]
    counts = pairs.groupby(["symptom_a", "symptom_b"]).size().rename("days").reset_index()
    return counts.sort_values(
        ["days", "symptom_a", "symptom_b"], ascending=[False, True, True], ignore_index=True
    )


def recent_data(
    frame: pd.DataFrame, tz: str, days: int = RECENT_DAYS, now: datetime | None = None
) -> pd.DataFrame:
    """Return per local day of the last `days` days the worst severity, entries and symptoms logged.

    Columns: day, worst, entries, symptoms ("Cough, Headache"), severity_text. Days without entries are
    left out. The window ends today when `now` is given, else on the latest entry's day.
    """
    if frame.empty:
        return pd.DataFrame(columns=["day", "worst", "entries", "symptoms", "severity_text"])
    recent = in_last_days(frame, tz, days, window_end(frame, tz, now))
    day = local_days(recent, tz).rename("day")
    per_day = recent["severity"].groupby(day).agg(worst="max", entries="size")
    names = recent[["symptom"]].assign(day=day).drop_duplicates().sort_values("symptom")
    per_day["symptoms"] = names.groupby("day")["symptom"].agg(", ".join)
    per_day = per_day.reset_index()
    return per_day.assign(severity_text=severity_text(per_day["worst"]))
