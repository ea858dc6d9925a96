"""Own measures charted: one measure's values over time, and the period days on the calendar."""

import altair as alt
import pandas as pd

from tracker.charts.history import (
    CHART_HEIGHT,
    DATE_TIME_FORMAT,
    Chart,
    empty_chart,
    fit,
    time_x,
)
from tracker.charts.palette import SYMPTOM_COLORS
from tracker.measures.presets import RATING_HIGH, RATING_LOW

PERIOD_ROW = "Period"
PERIOD_COLOR = "#CC79A7"  # Okabe & Ito reddish purple: apart from the severity scale's yellows and reds


def measure_chart(points: pd.DataFrame, measure: str) -> Chart:
    """Return the values of `measure` over time (rows of `tracker.measures.daily.chart_points`).

    A rating keeps its 0-4 axis; a number's axis fits its values (weight does not start at 0).
    """
    data = points[points["measure"] == measure]
    if data.empty:
        return empty_chart(measure, "No values in this period")
    unit = str(data["unit"].iat[0])
    rating = not unit
    scale = alt.Scale(domain=[RATING_LOW, RATING_HIGH]) if rating else alt.Scale(zero=False)
    title = f"{measure} ({unit})" if unit else f"{measure} (0-4)"
    chart = (
        alt.Chart(data)
        .mark_line(point=True, color=SYMPTOM_COLORS[0])
        .encode(
            x=time_x("when"),
            y=alt.Y("value:Q", title=unit or "0-4", scale=scale),
            tooltip=[
                alt.Tooltip("when:T", title="When", format=DATE_TIME_FORMAT),
                alt.Tooltip("value:Q", title=measure, format=".1f"),
            ],
        )
    )
    return fit(chart, CHART_HEIGHT, title, f"{len(data):,} values")


def period_layer(cycle: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> alt.Chart | None:
    """Return rects on a "Period" row for the period days between `first` and `last` (None when none)."""
    days = cycle[(cycle["flow"] != "") & (cycle.index >= first) & (cycle.index <= last)]
    if days.empty:
        return None
    data = days.reset_index().assign(symptom=PERIOD_ROW)
    return (
        alt.Chart(data)
        .mark_rect(cornerRadius=1, color=PERIOD_COLOR)
        .encode(
            x=alt.X("day:T", timeUnit="yearmonthdate"),
            y=alt.Y("symptom:N"),
            tooltip=[
                alt.Tooltip("day:T", title="Day", format="%a %d %b %Y"),
                alt.Tooltip("flow:N", title="Flow"),
                alt.Tooltip("cycle_day:Q", title="Cycle day"),
                alt.Tooltip("phase:N", title="Phase"),
            ],
        )
    )
