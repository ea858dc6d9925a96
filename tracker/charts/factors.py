"""The factors chart: how much worse or better a symptom is on days with a factor, and how sure."""

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from tracker.charts.history import (
    AXIS_HEIGHT,
    FIT_WIDTH,
    LABEL_LIMIT,
    LEGEND_HEIGHT,
    ROW_HEIGHT,
    Chart,
    empty_chart,
)
from tracker.insights.factors import NOT_ENOUGH_MESSAGE, Direction, FactorFinding

MAX_CHART_FINDINGS = 12  # rows a phone shows without scrolling past the chart
LAG_LABELS = {0: "", 1: "day after ", 2: "2 days after ", 3: "3 days after "}
_DIRECTION_COLORS = {  # Okabe & Ito blue and vermillion, as in tracker.charts.palette; grey for none
    Direction.BETTER: "#0072B2",
    Direction.WORSE: "#D55E00",
    Direction.NO_DIFFERENCE: "#999999",
}


_DIRECTION_SHAPES = {  # shape repeats the colour's meaning for anyone who cannot tell them apart
    Direction.BETTER: "triangle-down",
    Direction.WORSE: "triangle-up",
    Direction.NO_DIFFERENCE: "circle",
}


_X_TITLE = "Difference in average severity"
_LEGEND = alt.Legend(orient="bottom", title=None, columns=2, labelLimit=140)
_TOOLTIP_FIELDS = [
    "symptom",
    "factor",
    "mean_with",
    "mean_without",
    "days_with",
    "days_without",
    "difference",
]


_DIRECTION_LABELS = {
    Direction.BETTER: "Milder with it",
    Direction.WORSE: "Worse with it",
    Direction.NO_DIFFERENCE: "No clear difference",
}


def factor_chart(findings: Sequence[FactorFinding], limit: int = MAX_CHART_FINDINGS) -> Chart:
    """Return a dot per finding (the first `limit`) at its difference in average severity, with/without.

    A stem from 0 shows the size; colour and shape both say which way, so neither is needed alone.
    """
    if not findings:
        return empty_chart("Factors", NOT_ENOUGH_MESSAGE)
    data, subtitle = _chart_rows(findings[:limit])
    # Symmetric around 0 so left and right read alike; a quarter point spare so no dot sits on the edge.
    reach = int(np.ceil(data["difference"].abs().max() + 0.25))
    scale, ticks = alt.Scale(domain=[-reach, reach]), alt.Axis(values=list(range(-reach, reach + 1)))
    label_axis = alt.Axis(labelLimit=LABEL_LIMIT * 3 // 2)
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=data["label"].tolist(), title=None, axis=label_axis)
    )
    stems = base.mark_rule(color=_DIRECTION_COLORS[Direction.NO_DIFFERENCE]).encode(
        x=alt.X("zero:Q", scale=scale, axis=ticks, title=_X_TITLE), x2="difference:Q"
    )
    dots = base.mark_point(filled=True, size=90, opacity=1).encode(
        x=alt.X("difference:Q", scale=scale, axis=ticks, title=_X_TITLE),
        color=alt.Color("meaning:N", scale=_direction_scale(_DIRECTION_COLORS), legend=_LEGEND),
        shape=alt.Shape("meaning:N", scale=_direction_scale(_DIRECTION_SHAPES), legend=_LEGEND),
        tooltip=[
            alt.Tooltip("symptom:N", title="Symptom"),
            alt.Tooltip("factor:N", title="Factor"),
            alt.Tooltip("mean_with:Q", title="Average with", format=".1f"),
            alt.Tooltip("mean_without:Q", title="Average without", format=".1f"),
            alt.Tooltip("days_with:Q", title="Days with"),
            alt.Tooltip("days_without:Q", title="Days without"),
            alt.Tooltip("difference:Q", title="Difference", format="+.1f"),
        ],
    )
    height = ROW_HEIGHT * len(data) + AXIS_HEIGHT + 2 * LEGEND_HEIGHT  # the legend takes two rows
    heading = alt.TitleParams("Factors", subtitle=subtitle, anchor="start", fontSize=14, subtitleColor="gray")
    layers = alt.LayerChart(layer=[stems, dots])
    return layers.properties(width="container", height=height, title=heading, autosize=FIT_WIDTH)


def _chart_rows(findings: Sequence[FactorFinding]) -> tuple[pd.DataFrame, str]:
    """Return one row per finding with its axis label and legend meaning, and the chart's subtitle."""
    data = pd.DataFrame([vars(finding) for finding in findings])
    label = data["lag"].map(LAG_LABELS) + data["factor"]
    subtitle = "Average severity with it minus without"
    if data["symptom"].nunique() > 1:
        label = data["symptom"] + " · " + label
    else:  # one symptom (the page's usual filter) goes in the subtitle, leaving the narrow axis to factors
        subtitle = f"{data['symptom'].iat[0]}: {subtitle[0].lower()}{subtitle[1:]}"
    data = data.assign(label=label, meaning=data["direction"].map(_DIRECTION_LABELS), zero=0.0)
    return data[["label", "meaning", "zero", *_TOOLTIP_FIELDS]], subtitle


def _direction_scale(values: dict[Direction, str]) -> alt.Scale:
    return alt.Scale(domain=[_DIRECTION_LABELS[d] for d in Direction], range=[values[d] for d in Direction])
