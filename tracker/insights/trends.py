"""Trends over time: rolling means, improving/stable/worsening verdicts and the summary metrics."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import pandas as pd

from tracker.insights.analytics import (
    COARSER_BUCKETS,
    MAX_CHART_ROWS,
    Bucket,
    bucket_start,
    daily_severity,
    in_last_days,
    local_today,
    most_frequent_rows,
)

ROLLING_DAYS = 7
TREND_WINDOW_DAYS = 14
# Two days logged can only say "the second differed"; a third is the least that shows a direction.
MIN_TREND_DAYS = 3
# Half a point of average severity between the earlier and the later days logged: for whole-number
# ratings, at least one day in two a point apart. Anything smaller is reported as about the same.
TREND_CHANGE = 0.5


class DailyStatistic(StrEnum):
    """Which daily value a rolling mean smooths: the day's worst severity or its mean."""

    WORST = "worst"
    MEAN = "mean"


class Verdict(StrEnum):
    IMPROVING = "improving"
    STABLE = "stable"
    WORSENING = "worsening"
    NOT_ENOUGH_DATA = "not enough data"


VERBS = {
    Verdict.IMPROVING: "improved",
    Verdict.STABLE: "stayed about the same",
    Verdict.WORSENING: "worsened",
}
VERDICT_COLORS = {Verdict.IMPROVING: "green", Verdict.STABLE: "gray", Verdict.WORSENING: "red"}


@dataclass(frozen=True)
class TrendVerdict:
    """How one symptom moved over the last `window_days` local days.

    The days it was logged are split in two: `first_average` is the average severity of its entries on
    the earlier `compared_days` days, `last_average` on the later ones (the middle day of an odd
    number is in neither). The verdict is their difference, so the words and the numbers agree. The
    averages are None when fewer than MIN_TREND_DAYS days were logged.
    """

    symptom: str
    verdict: Verdict
    first_average: float | None
    last_average: float | None
    compared_days: int
    days: int
    entries: int
    window_days: int

    @property
    def change(self) -> float | None:
        """Return the later average minus the earlier one (positive: worse)."""
        if self.first_average is None or self.last_average is None:
            return None
        return round(self.last_average - self.first_average, 1)

    @property
    def sentence(self) -> str:
        """Return the verdict in words, with the real averages it rests on.

        E.g. "Headache worsened over the last 14 days: average severity 2.0 on its first 3 days
        logged, 3.7 on its last 3".
        """
        period = f"the last {self.window_days} days"
        if self.verdict is Verdict.NOT_ENOUGH_DATA:
            logged = f"{self.days} day{'s' if self.days != 1 else ''}"
            return (
                f"Not enough data for {self.symptom} over {period} ({logged} logged, {MIN_TREND_DAYS} needed)"
            )
        days = "day" if self.compared_days == 1 else f"{self.compared_days} days"
        last = "" if self.compared_days == 1 else f" {self.compared_days}"
        return (
            f"{self.symptom} {VERBS[self.verdict]} over {period}: average severity "
            f"{self.first_average:.1f} on its first {days} logged, {self.last_average:.1f} on its last{last}"
        )


@dataclass(frozen=True)
class Summary:
    """Headline numbers for the last `period_days` local days against the `period_days` before them."""

    period_days: int
    entries: int
    entries_delta: int
    most_frequent_symptom: str | None
    most_frequent_entries: int
    worst_severity: int | None
    worst_severity_delta: int | None


@dataclass(frozen=True)
class Delta:
    """A change as a tile shows it: words without a sign ("3 fewer"), an arrow and a colour."""

    text: str | None
    arrow: str  # "up", "down" or "off"
    color: str  # "red", "green" or "gray"


def delta_words(delta: int | None, more: str, fewer: str, worse_when_more: bool | None = None) -> Delta:
    """Return `delta` as "3 more" / "3 fewer" / "the same", never "↓ -3" (the arrow carries the sign).

    `worse_when_more` colours it (True: more is red); None leaves it grey.
    """
    if delta is None:
        return Delta(None, "off", "gray")
    if delta == 0:
        return Delta("the same", "off", "gray")
    worse = None if worse_when_more is None else (delta > 0) == worse_when_more
    color = "gray" if worse is None else "red" if worse else "green"
    return Delta(f"{abs(delta):,} {more if delta > 0 else fewer}", "up" if delta > 0 else "down", color)


def biggest_change(verdicts: list[TrendVerdict]) -> TrendVerdict | None:
    """Return the verdict a summary leads with: the biggest change, else a steady symptom, else None."""
    return next((trend for trend in verdicts if trend.verdict is not Verdict.NOT_ENOUGH_DATA), None)


def rolling_mean_data(
    frame: pd.DataFrame,
    tz: str,
    window_days: int = ROLLING_DAYS,
    statistic: DailyStatistic = DailyStatistic.WORST,
    max_points: int = MAX_CHART_ROWS,
) -> pd.DataFrame:
    """Return the `window_days`-day rolling mean of each symptom's daily worst (or mean) severity.

    One row per symptom per local day logged (days without entries are missing, not zero); beyond
    `max_points` rows they are averaged per week, month, … until they fit. Columns: symptom, day,
    daily, rolling, entries.
    """
    if frame.empty:
        return pd.DataFrame(columns=["symptom", "day", "daily", "rolling", "entries"])
    daily = daily_severity(frame, tz).rename(columns={statistic.value: "daily"})
    wide = daily.pivot(index="day", columns="symptom", values="daily").asfreq("D")
    rolling = wide.rolling(window_days, min_periods=1).mean().stack().rename("rolling")
    rows = daily.merge(rolling, left_on=["day", "symptom"], right_index=True)
    rows = rows[["symptom", "day", "daily", "rolling", "entries"]].sort_values(["symptom", "day"])
    for bucket in COARSER_BUCKETS:
        coarse = _average_per_bucket(rows, bucket)
        if len(coarse) <= max_points:
            return coarse.reset_index(drop=True)
    return most_frequent_rows(coarse, max_points).reset_index(drop=True)


def _average_per_bucket(rows: pd.DataFrame, bucket: Bucket) -> pd.DataFrame:
    if bucket is Bucket.DAY:
        return rows
    grouped = rows.assign(day=bucket_start(rows["day"], bucket)).groupby(["symptom", "day"], as_index=False)
    return grouped.agg(daily=("daily", "mean"), rolling=("rolling", "mean"), entries=("entries", "sum"))


def trend_verdicts(
    frame: pd.DataFrame, tz: str, now: datetime, window_days: int = TREND_WINDOW_DAYS
) -> list[TrendVerdict]:
    """Return a verdict per symptom logged in the last `window_days` local days up to `now`.

    Ordered by the biggest change first; symptoms with fewer than MIN_TREND_DAYS days logged come last.
    """
    window = in_last_days(frame, tz, window_days, local_today(now, tz))
    if window.empty:
        return []
    daily = daily_severity(window, tz).assign(total=lambda d: d["mean"] * d["entries"])
    verdicts = [_verdict(str(symptom), days, window_days) for symptom, days in daily.groupby("symptom")]
    return sorted(verdicts, key=_biggest_first)


def _verdict(symptom: str, daily: pd.DataFrame, window_days: int) -> TrendVerdict:
    """Return the verdict from the average of the earlier and of the later half of the days logged."""
    days, entries = len(daily), int(daily["entries"].sum())
    if days < MIN_TREND_DAYS:
        return TrendVerdict(symptom, Verdict.NOT_ENOUGH_DATA, None, None, 0, days, entries, window_days)
    ordered = daily.sort_values("day")
    half = days // 2
    first = round(_average(ordered.head(half)), 1)
    last = round(_average(ordered.tail(half)), 1)
    verdict = Verdict.STABLE
    if last - first >= TREND_CHANGE:
        verdict = Verdict.WORSENING
    elif first - last >= TREND_CHANGE:
        verdict = Verdict.IMPROVING
    return TrendVerdict(symptom, verdict, first, last, half, days, entries, window_days)


def _average(days: pd.DataFrame) -> float:
    """Return the average severity of all the entries on `days` (not an average of daily averages)."""
    return float(days["total"].sum() / days["entries"].sum())


def _biggest_first(trend: TrendVerdict) -> tuple[bool, float, str]:
    return (trend.change is None, -abs(trend.change or 0.0), trend.symptom)


def summary_metrics(frame: pd.DataFrame, tz: str, now: datetime, period_days: int = 7) -> Summary:
    """Return the entries, most frequent symptom and worst severity of the last `period_days` local days.

    Deltas compare with the `period_days` before. (Trends are `trend_verdicts`, over the page's window.)
    """
    today = local_today(now, tz)
    current = in_last_days(frame, tz, period_days, today)
    previous = in_last_days(frame, tz, period_days, today - pd.Timedelta(days=period_days))
    symptom, symptom_entries = _most_frequent(current)
    worst, worst_before = _worst(current), _worst(previous)
    return Summary(
        period_days=period_days,
        entries=len(current),
        entries_delta=len(current) - len(previous),
        most_frequent_symptom=symptom,
        most_frequent_entries=symptom_entries,
        worst_severity=worst,
        worst_severity_delta=None if worst is None or worst_before is None else worst - worst_before,
    )


def _most_frequent(entries: pd.DataFrame) -> tuple[str | None, int]:
    """Return the symptom with most entries (the first by name on a tie) and its count."""
    counts = entries["symptom"].value_counts()
    if counts.empty:
        return None, 0
    return str(min(counts[counts == counts.max()].index)), int(counts.max())


def _worst(entries: pd.DataFrame) -> int | None:
    return int(entries["severity"].max()) if len(entries) else None
