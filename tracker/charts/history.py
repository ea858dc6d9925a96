"""Altair chart builders for the History and Log pages: a DataFrame of entries in, a chart out.

Every chart fills its container's width (phones ~360 px upwards), keeps titles short, embeds at most
MAX_CHART_ROWS rows, and says "No entries yet" instead of failing on an empty frame.
"""

from datetime import datetime
from typing import cast

import altair as alt
import pandas as pd

from tracker.charts.palette import (
    COUNT_SCHEME,
    EMPTY_CELL_COLOR,
    SEVERITIES,
    severity_color,
    symptom_dash_scale,
    symptom_scale,
    symptom_shape_scale,
)
from tracker.diary.validation import SEVERITY_MAX, SEVERITY_MIN
from tracker.insights.analytics import (
    CALENDAR_DAYS,
    MAX_SYMPTOM_ROWS,
    RECENT_DAYS,
    WEEKDAYS,
    Bucket,
    calendar_data,
    cooccurrence_data,
    days_per_symptom_data,
    recent_data,
    severity_counts_data,
    timeline_data,
    top_symptoms,
    weekday_hour_data,
    window_end,
    year_data,
)
from tracker.insights.trends import ROLLING_DAYS, DailyStatistic, rolling_mean_data

Chart = alt.Chart | alt.LayerChart

EMPTY_MESSAGE = "No entries yet"
CHART_HEIGHT = 220
COMPACT_HEIGHT = 120
ROW_HEIGHT = 22  # per symptom row in heat maps and bar charts: a comfortable tap target on a phone
AXIS_HEIGHT = 50
LEGEND_HEIGHT = 30
LABEL_LIMIT = 80  # px of a symptom name shown on an axis; the tooltip has the full name
FADED = 0.15  # opacity of symptoms not picked in the legend
# Fit the width to the container but keep `height` for the plot alone, so a legend or title below or
# above never squeezes it (plain "fit", Streamlit's default when stretched, would count them in).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
# About one time label per 80 px: four on a phone, a dozen on a desktop.
TIME_TICKS = alt.ExprRef("ceil(width / 80)")
DAY_AXIS_FORMAT = "%d %b"
DATE_FORMAT = "%a %d %b %Y"
DATE_TIME_FORMAT = "%a %d %b %Y, %H:%M"
_BUCKET_TITLES = {
    Bucket.DAY: "Day",
    Bucket.WEEK: "Week of",
    Bucket.MONTH: "Month of",
    Bucket.QUARTER: "Quarter from",
    Bucket.YEAR: "Year",
}


def empty_chart(title: str = "", message: str = EMPTY_MESSAGE, height: int = COMPACT_HEIGHT) -> alt.Chart:
    """Return a chart that only says `message` under `title`, for when there is nothing to plot."""
    text = alt.Chart(pd.DataFrame({"message": [message]})).mark_text(size=14, color="gray")
    return cast(alt.Chart, fit(text.encode(text="message:N"), height, title))


def fit(chart: Chart, height: int, title: str, subtitle: str = "") -> Chart:
    """Return `chart` at its container's width, `height` px tall, with a short left-aligned title."""
    heading = alt.TitleParams(title, subtitle=subtitle, anchor="start", fontSize=14, subtitleColor="gray")
    return chart.properties(width="container", height=height, title=heading, autosize=FIT_WIDTH)


def _nothing_in(frame: pd.DataFrame, days: int) -> str:
    return EMPTY_MESSAGE if frame.empty else f"No entries in the last {days} days"


def _severity_y(field: str, title: str) -> alt.Y:
    scale = alt.Scale(domain=[SEVERITY_MIN, SEVERITY_MAX], nice=False)
    return alt.Y(f"{field}:Q", title=title, scale=scale, axis=alt.Axis(values=SEVERITIES))


# Vega's default labels use a 12-hour clock without am/pm ("01:09" for 13:09): days at midnight, 24-hour
# times otherwise.
TIME_LABEL = (
    "timeFormat(datum.value, hours(datum.value) == 0 && minutes(datum.value) == 0 ? '%d %b' : '%H:%M')"
)


def time_x(field: str) -> alt.X:
    """Return a time x axis of a few unrotated, non-overlapping ticks, shared by every history chart."""
    axis = alt.Axis(tickCount=TIME_TICKS, labelOverlap=True, labelAngle=0, title=None, labelExpr=TIME_LABEL)
    return alt.X(f"{field}:T", axis=axis)


def _days_x(field: str, end: pd.Timestamp, days: int) -> alt.X:
    """Return a one-band-per-local-day axis spanning the `days` days ending with `end`, empty days too."""
    first, after = end - pd.Timedelta(days=days - 1), end + pd.Timedelta(days=1)
    domain = [alt.DateTime(year=day.year, month=day.month, date=day.day) for day in (first, after)]
    axis = alt.Axis(tickCount=TIME_TICKS, labelOverlap=True, labelAngle=0, title=None, format=DAY_AXIS_FORMAT)
    return alt.X(f"{field}:T", timeUnit="yearmonthdate", scale=alt.Scale(domain=domain), axis=axis)


def _symptom_y(order: list[str]) -> alt.Y:
    return alt.Y("symptom:N", sort=order, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT))


def _names(frame: pd.DataFrame) -> list[str]:
    """Return the distinct symptom names (vectorised: iterating 100,000 strings in Python is slow)."""
    return [str(name) for name in frame["symptom"].unique()]


def _symptom_legend() -> alt.Legend:
    return alt.Legend(orient="bottom", title=None, columns=2, labelLimit=140)


def _most_entries_first(data: pd.DataFrame) -> list[str]:
    totals = data.groupby("symptom")["entries"].sum().reset_index()
    return [
        str(name) for name in totals.sort_values(["entries", "symptom"], ascending=[False, True])["symptom"]
    ]


def timeline_chart(frame: pd.DataFrame, tz: str) -> Chart:
    """Return severity over time per symptom: lines and points; tap the legend to filter, drag to pan.

    Long histories show the average per day/week/… (see `timeline_data`): at most MAX_CHART_ROWS rows.
    """
    data = timeline_data(frame, tz)
    if data.empty:
        return empty_chart("Severity over time", height=CHART_HEIGHT)
    bucket = Bucket(data["bucket"].iat[0])
    single = bucket is Bucket.ENTRY
    pick = alt.selection_point(name="pick", fields=["symptom"], bind="legend")
    zoom = alt.selection_interval(name="zoom", encodings=["x"], bind="scales")
    base = alt.Chart(data).encode(
        x=time_x("time"),
        y=_severity_y("severity" if single else "mean_severity", "Severity" if single else "Average"),
        color=alt.Color("symptom:N", scale=symptom_scale(_names(frame)), legend=_symptom_legend()),
        opacity=alt.when(pick).then(alt.value(1.0)).otherwise(alt.value(FADED)),
        tooltip=_timeline_tooltip(bucket),
    )
    # Shape as well as colour: symptoms past the seventh reuse a colour but not its shape.
    shape = alt.Shape("symptom:N", scale=symptom_shape_scale(_names(frame)), legend=_symptom_legend())
    points = base.mark_point(filled=True, size=40 if single else 20, clip=True).encode(shape=shape)
    lines = base.mark_line(strokeWidth=1.5, clip=True).encode(detail="segment:N")
    subtitle = "Tap a name to filter, drag to pan" if single else f"Average per {bucket.value}; drag to pan"
    return fit(
        alt.LayerChart(layer=[lines, points.add_params(pick, zoom)]),
        CHART_HEIGHT,
        "Severity over time",
        subtitle,
    )


def _timeline_tooltip(bucket: Bucket) -> list[alt.Tooltip]:
    if bucket is Bucket.ENTRY:
        return [
            alt.Tooltip("time:T", title="When", format=DATE_TIME_FORMAT),
            alt.Tooltip("symptom:N", title="Symptom"),
            alt.Tooltip("severity_text:N", title="Severity"),
            alt.Tooltip("note:N", title="Note"),
            alt.Tooltip("advice:N", title="Advice given"),
        ]
    return [
        alt.Tooltip("time:T", title=_BUCKET_TITLES[bucket], format=DATE_FORMAT),
        alt.Tooltip("symptom:N", title="Symptom"),
        alt.Tooltip("mean_severity:Q", title="Average", format=".1f"),
        alt.Tooltip("severity_text:N", title="Worst"),
        alt.Tooltip("entries:Q", title="Entries"),
    ]


def calendar_chart(
    frame: pd.DataFrame,
    tz: str,
    days: int = CALENDAR_DAYS,
    now: datetime | None = None,
    cycle: pd.DataFrame | None = None,
) -> Chart:
    """Return a day × symptom heat map of each day's worst severity over the last `days` local days.

    The window ends today when `now` is given, else on the latest entry's day. With `cycle`
    (tracker.cycles.daily.cycle_frame) the period days get a row of their own at the top.
    """
    data = calendar_data(frame, tz, days, now)
    if data.empty:
        return empty_chart("Worst severity per day", _nothing_in(frame, days))
    order = _most_entries_first(data)
    chart = (
        alt.Chart(data)
        .mark_rect(cornerRadius=1)
        .encode(
            x=_days_x("day", window_end(frame, tz, now), days),
            y=_symptom_y(order),
            color=severity_color("worst"),
            tooltip=[
                alt.Tooltip("day:T", title="Day", format=DATE_FORMAT),
                alt.Tooltip("symptom:N", title="Symptom"),
                alt.Tooltip("severity_text:N", title="Worst"),
                alt.Tooltip("entries:Q", title="Entries"),
            ],
        )
    )
    end = window_end(frame, tz, now)
    periods = None
    if cycle is not None:
        from tracker.charts.measures import PERIOD_ROW, period_layer  # measures imports this module

        periods = period_layer(cycle, end - pd.Timedelta(days=days - 1), end)
        if periods is not None:
            order = [PERIOD_ROW, *order]
            chart = alt.layer(chart.encode(y=_symptom_y(order)), periods)
    height = ROW_HEIGHT * len(order) + AXIS_HEIGHT
    return fit(chart, height, "Worst severity per day", f"Last {days} days")


def year_heatmap(frame: pd.DataFrame, tz: str, now: datetime) -> Chart:
    """Return a GitHub-style year up to `now`: week × weekday cells coloured by that day's worst severity."""
    if frame.empty:
        return empty_chart("Your year")
    data = year_data(frame, tz, now)
    first_week_of_month = "date(datum.value) <= 7 ? timeFormat(datum.value, '%b') : ''"
    x_axis = alt.Axis(title=None, labelExpr=first_week_of_month, labelAngle=0, ticks=False, labelPadding=2)
    y_axis = alt.Axis(title=None, values=["Mon", "Wed", "Fri"], ticks=False)
    chart = (
        alt.Chart(data)
        .mark_rect(cornerRadius=1)
        .encode(
            x=alt.X("week:O", timeUnit="yearmonthdate", axis=x_axis, scale=alt.Scale(paddingInner=0.2)),
            y=alt.Y("weekday:O", sort=WEEKDAYS, axis=y_axis, scale=alt.Scale(paddingInner=0.2)),
            color=alt.when("isValid(datum.worst)")
            .then(severity_color("worst"))
            .otherwise(alt.value(EMPTY_CELL_COLOR)),
            tooltip=[
                alt.Tooltip("day:T", title="Day", format=DATE_FORMAT),
                alt.Tooltip("severity_text:N", title="Worst"),
                alt.Tooltip("entries:Q", title="Entries"),
            ],
        )
    )
    return fit(chart, COMPACT_HEIGHT, "Your year", "Worst severity per day")


def rolling_chart(
    frame: pd.DataFrame,
    tz: str,
    window_days: int = ROLLING_DAYS,
    statistic: DailyStatistic = DailyStatistic.WORST,
) -> Chart:
    """Return the `window_days`-day rolling mean of each symptom's daily worst (or mean) severity."""
    data = rolling_mean_data(frame, tz, window_days, statistic)
    if data.empty:
        return empty_chart("Trend", height=CHART_HEIGHT)
    pick = alt.selection_point(name="pick", fields=["symptom"], bind="legend")
    average = f"{window_days}-day average"
    chart = (
        alt.Chart(data)
        .mark_line(strokeWidth=2, clip=True)
        .encode(
            x=time_x("day"),
            y=_severity_y("rolling", average),
            color=alt.Color("symptom:N", scale=symptom_scale(_names(frame)), legend=_symptom_legend()),
            strokeDash=alt.StrokeDash(
                "symptom:N", scale=symptom_dash_scale(_names(frame)), legend=_symptom_legend()
            ),
            opacity=alt.when(pick).then(alt.value(1.0)).otherwise(alt.value(FADED)),
            tooltip=[
                alt.Tooltip("day:T", title="Day", format=DATE_FORMAT),
                alt.Tooltip("symptom:N", title="Symptom"),
                alt.Tooltip("rolling:Q", title=average, format=".1f"),
                alt.Tooltip("daily:Q", title=f"That day's {statistic.value}", format=".1f"),
            ],
        )
        .add_params(pick)
    )
    return fit(chart, CHART_HEIGHT, "Trend", f"{average} of the daily {statistic.value}")


def days_per_symptom_chart(frame: pd.DataFrame, tz: str) -> Chart:
    """Return a bar per symptom (the MAX_SYMPTOM_ROWS most logged) of how many local days it was logged."""
    data = days_per_symptom_data(frame, tz).head(MAX_SYMPTOM_ROWS)
    if data.empty:
        return empty_chart("How often")
    chart = (
        alt.Chart(data)
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            x=alt.X("days:Q", title="Days logged", axis=alt.Axis(tickMinStep=1)),
            y=_symptom_y(data["symptom"].tolist()),
            color=alt.Color("symptom:N", scale=symptom_scale(_names(frame)), legend=None),
            tooltip=[
                alt.Tooltip("symptom:N", title="Symptom"),
                alt.Tooltip("days:Q", title="Days logged"),
                alt.Tooltip("entries:Q", title="Entries"),
            ],
        )
    )
    return fit(chart, ROW_HEIGHT * len(data) + AXIS_HEIGHT, "How often")


def severity_distribution_chart(frame: pd.DataFrame) -> Chart:
    """Return a bar per symptom (the MAX_SYMPTOM_ROWS most logged) of its entries, stacked by severity."""
    order = top_symptoms(frame)
    data = severity_counts_data(frame[frame["symptom"].isin(order)])
    if data.empty:
        return empty_chart("How bad")
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("entries:Q", title="Entries", axis=alt.Axis(tickMinStep=1)),
            y=_symptom_y(order),
            color=severity_color(),
            order=alt.Order("severity:O"),
            tooltip=[
                alt.Tooltip("symptom:N", title="Symptom"),
                alt.Tooltip("severity_text:N", title="Severity"),
                alt.Tooltip("entries:Q", title="Entries"),
            ],
        )
    )
    return fit(chart, ROW_HEIGHT * len(order) + AXIS_HEIGHT + LEGEND_HEIGHT, "How bad")


def weekday_hour_chart(frame: pd.DataFrame, tz: str) -> Chart:
    """Return a weekday × hour-of-day heat map of how many entries happened then, in local time."""
    if frame.empty:
        return empty_chart("When symptoms happen")
    hours = alt.Axis(values=list(range(0, 24, 3)), labelAngle=0, title="Hour of day")
    counts = alt.Scale(scheme=COUNT_SCHEME)
    chart = (
        alt.Chart(weekday_hour_data(frame, tz))
        .mark_rect(cornerRadius=1)
        .encode(
            x=alt.X("hour:O", axis=hours),
            y=alt.Y("weekday:O", sort=WEEKDAYS, title=None),
            color=alt.Color("entries:Q", scale=counts, title="Entries", legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("weekday:N", title="Day"),
                alt.Tooltip("hour:O", title="Hour"),
                alt.Tooltip("entries:Q", title="Entries"),
            ],
        )
    )
    return fit(chart, 7 * ROW_HEIGHT + AXIS_HEIGHT, "When symptoms happen")


def cooccurrence_chart(frame: pd.DataFrame, tz: str) -> Chart:
    """Return a symptom × symptom heat map (the MAX_SYMPTOM_ROWS most logged) of days logged together."""
    order = top_symptoms(frame)
    pairs = cooccurrence_data(frame[frame["symptom"].isin(order)], tz)
    if pairs.empty:
        message = "No two symptoms on the same day yet" if len(frame) else EMPTY_MESSAGE
        return empty_chart("Logged on the same day", message)
    mirrored = pairs.rename(columns={"symptom_a": "symptom_b", "symptom_b": "symptom_a"})
    data = pd.concat([pairs, mirrored], ignore_index=True)
    names = [name for name in order if name in set(data["symptom_a"])]
    x_axis = alt.Axis(labelLimit=LABEL_LIMIT, title=None, labelAngle=-90, labelOverlap=False)
    base = alt.Chart(data).encode(
        x=alt.X("symptom_a:N", sort=names, axis=x_axis),
        y=alt.Y("symptom_b:N", sort=names, axis=alt.Axis(labelLimit=LABEL_LIMIT, title=None)),
        tooltip=[
            alt.Tooltip("symptom_a:N", title="Symptom"),
            alt.Tooltip("symptom_b:N", title="With"),
            alt.Tooltip("days:Q", title="Days together"),
        ],
    )
    counts = alt.Scale(scheme=COUNT_SCHEME)
    cells = base.mark_rect(cornerRadius=1).encode(color=alt.Color("days:Q", scale=counts, legend=None))
    # White numbers on the darkest cells, black elsewhere, so every count stays readable.
    dark = alt.when(f"datum.days > {0.6 * data['days'].max()}")
    numbers = base.mark_text(fontSize=10).encode(
        text="days:Q", color=dark.then(alt.value("white")).otherwise(alt.value("black"))
    )
    height = ROW_HEIGHT * len(names) + AXIS_HEIGHT + LEGEND_HEIGHT
    return fit(alt.LayerChart(layer=[cells, numbers]), height, "Logged on the same day", "Days together")


def recent_chart(frame: pd.DataFrame, tz: str, days: int = RECENT_DAYS, now: datetime | None = None) -> Chart:
    """Return a compact bar per local day of the last `days` days; height and colour are the day's worst.

    The window ends today when `now` is given, else on the latest entry's day.
    """
    data = recent_data(frame, tz, days, now)
    if data.empty:
        return empty_chart(f"Last {days} days", _nothing_in(frame, days))
    worst = alt.Y(
        "worst:Q", title=None, scale=alt.Scale(domain=[0, SEVERITY_MAX]), axis=alt.Axis(values=SEVERITIES)
    )
    chart = (
        alt.Chart(data)
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            x=_days_x("day", window_end(frame, tz, now), days),
            y=worst,
            color=severity_color("worst").legend(None),
            tooltip=[
                alt.Tooltip("day:T", title="Day", format=DATE_FORMAT),
                alt.Tooltip("severity_text:N", title="Worst"),
                alt.Tooltip("symptoms:N", title="Symptoms"),
                alt.Tooltip("entries:Q", title="Entries"),
            ],
        )
    )
    return fit(chart, COMPACT_HEIGHT, f"Last {days} days", "Worst severity per day")
