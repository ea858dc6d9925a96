"""Measure values by local day: the daily mean of each measure, for charts and as factors. Pure pandas.

As a factor a measure is "above" on days its mean is over the person's own median for it (half their
measured days or fewer): "energy above 2" compares days with more energy than usual against the rest.
"""

import pandas as pd

from tracker.insights.analytics import local_days
from tracker.insights.factors import ExtraFactors, FactorKind

# Beyond this many points a chart shows one point per measure per day (see `chart_points`).
MAX_CHART_POINTS = 5000


def daily_means(values: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Return day (local midnight, naive) × measure name: the day's mean value (NaN: not measured)."""
    if values.empty:
        return pd.DataFrame(index=pd.DatetimeIndex([], name="day"))
    days = local_days(values, tz).rename("day")
    means = values["value"].groupby([days, values["measure"]]).mean().unstack()
    return means.rename_axis(columns=None)


def factor_name(measure: str, unit: str, threshold: float) -> str:
    """Return the factor's name, e.g. "Energy above 2" or "Temperature above 37.2 °C"."""
    return f"{measure} above {threshold:g}{f' {unit}' if unit else ''}"


def measure_factors(values: pd.DataFrame, tz: str) -> ExtraFactors:
    """Return each measure as a daily yes/no factor: above the person's median for it that day (NA: none)."""
    means = daily_means(values, tz)
    units = values.groupby("measure")["unit"].first().to_dict() if not values.empty else {}
    medians = means.median()
    above = means.gt(medians).astype("boolean").mask(means.isna())
    names = [factor_name(str(m), str(units.get(m, "")), round(float(medians[m]), 1)) for m in means.columns]
    frame = above.set_axis(names, axis=1)
    columns = names
    return ExtraFactors(frame, dict.fromkeys(columns, FactorKind.MEASURE))


def chart_points(values: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Return measure, unit, when, value for a chart: every value, or daily means past MAX_CHART_POINTS.

    `when` is local wall-clock time (daily means at local midnight), so the chart reads as the diary does.
    """
    if values.empty:
        return pd.DataFrame(columns=["measure", "unit", "when", "value"])
    frame = values.assign(when=values["occurred_at"].dt.tz_convert(tz).dt.tz_localize(None))
    if len(frame) > MAX_CHART_POINTS:
        frame = frame.assign(when=frame["when"].dt.normalize())
        frame = frame.groupby(["measure", "unit", "when"], as_index=False)["value"].mean()
    return frame[["measure", "unit", "when", "value"]].reset_index(drop=True)


def measure_summary(values: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Return per measure: unit, values, latest (and its day), lowest, mean, highest; most logged first."""
    ordered = values.sort_values("occurred_at", kind="stable")
    days = ordered["occurred_at"].dt.tz_convert(tz).dt.strftime("%d %b")
    stats = (
        ordered.assign(day=days)
        .groupby("measure", sort=False)
        .agg(
            unit=("unit", "first"),
            values=("value", "size"),
            latest=("value", "last"),
            latest_day=("day", "last"),
            lowest=("value", "min"),
            mean=("value", "mean"),
            highest=("value", "max"),
        )
    )
    stats = stats.reset_index().astype({"measure": str, "unit": str})
    return stats.sort_values(["values", "measure"], ascending=[False, True], ignore_index=True)
