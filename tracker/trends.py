"""Trends over time: rolling means, improving/stable/worsening verdicts and the summary metrics."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import numpy as np
import pandas as pd

from tracker.analytics import (
    COARSER_BUCKETS,
    MAX_CHART_ROWS,
    Bucket,
    bucket_start,
    daily_severity,
    in_last_days,
    local_today,
    most_frequent_rows,
)
from tracker.validation import SEVERITY_MAX, SEVERITY_MIN

ROLLING_DAYS = 7
TREND_WINDOW_DAYS = 14
# A least-squares line needs three points before its slope means more than "the last two differed".
MIN_TREND_DAYS = 3
# Half a severity point per week is a full point over a fortnight: the smallest change a patient
# would describe as "better" or "worse"; anything flatter is reported as stable.
TREND_SLOPE_PER_WEEK = 0.5


class DailyStatistic(StrEnum):
    """Which daily value a rolling mean smooths: the day's worst severity or its mean."""

    WORST = "worst"
    MEAN = "mean"


class Verdict(StrEnum):
    IMPROVING = "improving"
    STABLE = "stable"
    WORSENING = "worsening"
    NOT_ENOUGH_DATA = "not enough data"


_VERBS = {
    Verdict.IMPROVING: "improved",
    Verdict.STABLE: "stayed about the same",
    Verdict.WORSENING: "worsened",
}


@dataclass(frozen=True)
class TrendVerdict:
    """How one symptom moved over the last `window_days` local days, from a line fitted to daily means.

    `start_mean` and `end_mean` are that line's values on the first and last day logged (clipped to 1–5);
    they are None when fewer than MIN_TREND_DAYS days were logged.
    """

    symptom: str
    verdict: Verdict
    slope_per_week: float | None
    start_mean: float | None
    end_mean: float | None
    days: int
    entries: int
    window_days: int

    @property
    def sentence(self) -> str:
        """Return the verdict in words, e.g. "Headache worsened over the last 14 days: average 2.1 → 3.4"."""
        period = f"the last {self.window_days} days"
        if self.verdict is Verdict.NOT_ENOUGH_DATA:
            logged = f"{self.days} day{'s' if self.days != 1 else ''}"
            return (
                f"Not enough data for {self.symptom} over {period} ({logged} logged, {MIN_TREND_DAYS} needed)"
            )
        return (
            f"{self.symptom} {_VERBS[self.verdict]} over {period}: "
            f"average {self.start_mean:.1f} → {self.end_mean:.1f}"
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
    biggest_trend: str | None
    biggest_trend_verdict: Verdict | None


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

    Ordered by the steepest slope first; symptoms with fewer than MIN_TREND_DAYS days logged come last.
    """
    window = in_last_days(frame, tz, window_days, local_today(now, tz))
    if window.empty:
        return []
    daily = daily_severity(window, tz)
    fits = _least_squares(daily).join(window.groupby("symptom").size().rename("entries"))
    verdicts = [_verdict(symptom, row, window_days) for symptom, row in fits.iterrows()]
    return sorted(verdicts, key=_steepest_first)


def _least_squares(daily: pd.DataFrame) -> pd.DataFrame:
    """Return per symptom the least-squares slope (per day) of the daily mean over day number, vectorised."""
    x = (daily["day"] - daily["day"].min()).dt.days.astype("float64")
    terms = pd.DataFrame({"symptom": daily["symptom"], "x": x, "y": daily["mean"], "xy": x * daily["mean"]})
    sums = (
        terms.assign(xx=x * x)
        .groupby("symptom")
        .agg(
            n=("x", "size"),
            x=("x", "sum"),
            y=("y", "sum"),
            xy=("xy", "sum"),
            xx=("xx", "sum"),
            first=("x", "min"),
            last=("x", "max"),
        )
    )
    spread = sums["n"] * sums["xx"] - sums["x"] ** 2
    slope = (sums["n"] * sums["xy"] - sums["x"] * sums["y"]) / spread.where(spread > 0)
    intercept = (sums["y"] - slope * sums["x"]) / sums["n"]
    return pd.DataFrame(
        {
            "days": sums["n"],
            "slope": slope,
            "start": (intercept + slope * sums["first"]).clip(SEVERITY_MIN, SEVERITY_MAX),
            "end": (intercept + slope * sums["last"]).clip(SEVERITY_MIN, SEVERITY_MAX),
        }
    )


def _verdict(symptom: object, row: pd.Series, window_days: int) -> TrendVerdict:
    days, entries = int(row["days"]), int(row["entries"])
    if days < MIN_TREND_DAYS or np.isnan(row["slope"]):
        return TrendVerdict(
            str(symptom), Verdict.NOT_ENOUGH_DATA, None, None, None, days, entries, window_days
        )
    per_week = float(row["slope"]) * 7
    verdict = Verdict.STABLE
    if per_week >= TREND_SLOPE_PER_WEEK:
        verdict = Verdict.WORSENING
    elif per_week <= -TREND_SLOPE_PER_WEEK:
        verdict = Verdict.IMPROVING
    start, end = round(float(row["start"]), 1), round(float(row["end"]), 1)
    return TrendVerdict(str(symptom), verdict, round(per_week, 2), start, end, days, entries, window_days)


def _steepest_first(trend: TrendVerdict) -> tuple[bool, float, str]:
    return (trend.slope_per_week is None, -abs(trend.slope_per_week or 0.0), trend.symptom)


def summary_metrics(frame: pd.DataFrame, tz: str, now: datetime, period_days: int = 7) -> Summary:
    """Return the entries, most frequent symptom and worst severity of the last `period_days` local days.

    Deltas compare with the `period_days` before; `biggest_trend` is the sentence of the steepest
    improving or worsening verdict over twice the period (14 days for a week), or None.
    """
    today = local_today(now, tz)
    current = in_last_days(frame, tz, period_days, today)
    previous = in_last_days(frame, tz, period_days, today - pd.Timedelta(days=period_days))
    symptom, symptom_entries = _most_frequent(current)
    worst, worst_before = _worst(current), _worst(previous)
    moving = [
        trend
        for trend in trend_verdicts(frame, tz, now, 2 * period_days)
        if trend.verdict in (Verdict.IMPROVING, Verdict.WORSENING)
    ]
    return Summary(
        period_days=period_days,
        entries=len(current),
        entries_delta=len(current) - len(previous),
        most_frequent_symptom=symptom,
        most_frequent_entries=symptom_entries,
        worst_severity=worst,
        worst_severity_delta=None if worst is None or worst_before is None else worst - worst_before,
        biggest_trend=moving[0].sentence if moving else None,
        biggest_trend_verdict=moving[0].verdict if moving else None,
    )


def _most_frequent(entries: pd.DataFrame) -> tuple[str | None, int]:
    """Return the symptom with most entries (the first by name on a tie) and its count."""
    counts = entries["symptom"].value_counts()
    if counts.empty:
        return None, 0
    return str(min(counts[counts == counts.max()].index)), int(counts.max())


def _worst(entries: pd.DataFrame) -> int | None:
    return int(entries["severity"].max()) if len(entries) else None
