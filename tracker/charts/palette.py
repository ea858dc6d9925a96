"""Colour-blind-safe colours: one sequential scale for severity, one categorical set for symptoms."""

from collections.abc import Iterable
from typing import Final

import altair as alt

from tracker.diary.validation import SEVERITY_MAX, SEVERITY_MIN, SEVERITY_WORDS

SEVERITIES = list(range(SEVERITY_MIN, SEVERITY_MAX + 1))
# ColorBrewer YlOrRd, 6-class, with the palest class dropped so severity 1 stays visible on a white
# background. Lightness falls steadily (L* about 88, 78, 68, 54, 40), so the order reads without hue:
# ColorBrewer marks the scheme colour-blind safe, and it survives greyscale printing.
SEVERITY_COLORS = ["#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"]
# Okabe & Ito (2008), "Color Universal Design", without black (invisible on a dark theme).
# Past seven symptoms the colours repeat, so points also vary their shape and lines their dash.
SYMPTOM_COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442"]
# Eight shapes against seven colours: the first 56 symptoms each get a distinct pair.
SYMPTOM_SHAPES = [
    "circle",
    "square",
    "triangle-up",
    "diamond",
    "cross",
    "triangle-down",
    "triangle-right",
    "wedge",
]
# Lines cannot change shape: the first seven symptoms are solid, the next seven dashed, then dotted.
SYMPTOM_DASHES = [[1, 0], [6, 3], [2, 2]]
# Counts (entries per weekday and hour, days together) are not severity: a single-hue blue ramp,
# so they are never mistaken for how bad something was.
COUNT_SCHEME: Final = "blues"
EMPTY_CELL_COLOR = "#e8e8e8"
# Only the ends carry words ("1 Very mild" … "5 Very severe"): five labels in words overflow a phone.
_LEGEND_LABELS = (
    f"datum.value == {SEVERITY_MIN} ? '{SEVERITY_MIN} {SEVERITY_WORDS[SEVERITY_MIN]}' : "
    f"datum.value == {SEVERITY_MAX} ? '{SEVERITY_MAX} {SEVERITY_WORDS[SEVERITY_MAX]}' : datum.label"
)


def severity_scale() -> alt.Scale:
    """Return the fixed severity colour scale (domain 1..5, so colours never shift with the data)."""
    return alt.Scale(domain=SEVERITIES, range=SEVERITY_COLORS)


def severity_color(field: str = "severity") -> alt.Color:
    """Return an ordinal colour encoding of `field` on the severity scale, its legend below the chart."""
    legend = alt.Legend(
        orient="bottom",
        direction="horizontal",
        title=None,
        labelExpr=_LEGEND_LABELS,
        labelFontSize=10,
        labelOffset=2,
        symbolSize=50,
        columnPadding=4,
    )
    return alt.Color(f"{field}:O", scale=severity_scale(), legend=legend)


def symptom_scale(symptoms: Iterable[str]) -> alt.Scale:
    """Return a categorical colour scale giving each symptom (sorted by name) the same colour everywhere."""
    domain = sorted(set(symptoms))
    return alt.Scale(
        domain=domain, range=[SYMPTOM_COLORS[i % len(SYMPTOM_COLORS)] for i in range(len(domain))]
    )


def symptom_dash_scale(symptoms: Iterable[str]) -> alt.Scale:
    """Return a line-dash scale over the same domain as `symptom_scale`: solid until the colours repeat."""
    domain = sorted(set(symptoms))
    block = len(SYMPTOM_COLORS)
    return alt.Scale(
        domain=domain, range=[SYMPTOM_DASHES[(i // block) % len(SYMPTOM_DASHES)] for i in range(len(domain))]
    )


def symptom_shape_scale(symptoms: Iterable[str]) -> alt.Scale:
    """Return a point-shape scale over the same domain as `symptom_scale`, so their legends merge."""
    domain = sorted(set(symptoms))
    return alt.Scale(
        domain=domain, range=[SYMPTOM_SHAPES[i % len(SYMPTOM_SHAPES)] for i in range(len(domain))]
    )
