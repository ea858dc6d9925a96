"""Altair charts of medicines: doses on a timeline and adherence per week (a frame in, a chart out)."""

import altair as alt
import pandas as pd

from tracker.charts.history import (
    AXIS_HEIGHT,
    CHART_HEIGHT,
    DATE_FORMAT,
    DATE_TIME_FORMAT,
    ROW_HEIGHT,
    Chart,
    empty_chart,
    fit,
    time_x,
)
from tracker.insights.analytics import MAX_CHART_ROWS
from tracker.medicines.timeline import STATUS_WORDS

# Okabe & Ito colours (colour-blind safe) plus grey, and a shape each, so status reads without colour.
STATUS_COLORS = {"Taken": "#009E73", "Extra / as needed": "#E69F00", "Skipped": "#999999"}
STATUS_SHAPES = {"Taken": "circle", "Extra / as needed": "triangle-up", "Skipped": "cross"}
NO_DOSES = "No doses logged in this period"
_BUCKET_TITLES = {"day": "Day", "week": "Week of", "month": "Month of"}


def _status_legend() -> alt.Legend:
    return alt.Legend(orient="bottom", title=None, direction="horizontal")


def dose_timeline_chart(data: pd.DataFrame) -> Chart:
    """Return doses over time, one row per medicine: each dose, or how many per day/week/month.

    `data` comes from `tracker.medicines.timeline.dose_timeline_data` (at most MAX_CHART_ROWS rows).
    """
    if data.empty:
        return empty_chart("Doses", NO_DOSES)
    data = data.head(MAX_CHART_ROWS)
    bucket = str(data["bucket"].iat[0])
    order = list(STATUS_WORDS.values())
    color = alt.Color(
        "status:N",
        scale=alt.Scale(domain=order, range=[STATUS_COLORS[s] for s in order]),
        legend=_status_legend(),
    )
    shape = alt.Shape(
        "status:N", scale=alt.Scale(domain=order, range=[STATUS_SHAPES[s] for s in order]), legend=None
    )
    medicines = sorted(str(name) for name in data["medicine"].unique())
    if bucket == "dose":
        tooltip = [
            alt.Tooltip("time:T", title="When", format=DATE_TIME_FORMAT),
            alt.Tooltip("medicine:N", title="Medicine"),
            alt.Tooltip("status:N", title="Dose"),
            alt.Tooltip("amount:N", title="Amount"),
        ]
        size: alt.Size | alt.SizeValue = alt.SizeValue(60)
        subtitle = "Each dose"
    else:
        tooltip = [
            alt.Tooltip("time:T", title=_BUCKET_TITLES[bucket], format=DATE_FORMAT),
            alt.Tooltip("medicine:N", title="Medicine"),
            alt.Tooltip("status:N", title="Dose"),
            alt.Tooltip("doses:Q", title="Doses"),
        ]
        size = alt.Size("doses:Q", legend=None, scale=alt.Scale(range=[20, 200]))
        subtitle = f"Doses per {bucket}"
    # No pan-and-zoom here: it doubles what each rerun spends turning the chart into Vega-Lite.
    chart = (
        alt.Chart(data)
        .mark_point(filled=True, clip=True)
        .encode(
            x=time_x("time"),
            y=alt.Y("medicine:N", sort=medicines, title=None, axis=alt.Axis(labelLimit=120)),
            color=color,
            shape=shape,
            size=size,
            tooltip=tooltip,
        )
    )
    height = max(ROW_HEIGHT * 2 * len(medicines), ROW_HEIGHT * 3) + AXIS_HEIGHT
    return fit(chart, min(height, CHART_HEIGHT * 2), "Doses", subtitle)


def adherence_chart(weekly: pd.DataFrame) -> Chart:
    """Return the share of planned doses taken, per medicine and week (as-needed medicines left out)."""
    planned = weekly[weekly["planned"] > 0]
    if planned.empty:
        return empty_chart("Doses taken as planned", "No planned doses in this period")
    columns = ["medicine", "week", "planned", "taken", "skipped", "missed", "adherence"]
    data = planned[columns].sort_values("week", kind="stable").tail(MAX_CHART_ROWS)  # the newest weeks
    tooltip = [
        alt.Tooltip("week:T", title="Week of", format=DATE_FORMAT),
        alt.Tooltip("medicine:N", title="Medicine"),
        alt.Tooltip("adherence:Q", title="Taken", format=".0%"),
        alt.Tooltip("taken:Q", title="Doses taken"),
        alt.Tooltip("planned:Q", title="Doses planned"),
        alt.Tooltip("skipped:Q", title="Skipped"),
        alt.Tooltip("missed:Q", title="Not logged"),
    ]
    # One mark with points, not a line layered with points: each layer is validated again on every rerun.
    chart = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(filled=True, size=30), strokeWidth=1.5)
        .encode(
            x=time_x("week"),
            y=alt.Y("adherence:Q", title="Taken", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
            color=alt.Color("medicine:N", legend=alt.Legend(orient="bottom", title=None)),
            tooltip=tooltip,
        )
    )
    return fit(chart, CHART_HEIGHT, "Doses taken as planned", "Per week")
