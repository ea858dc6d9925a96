import pytest

from tracker.charts.palette import (
    SEVERITY_COLORS,
    SYMPTOM_COLORS,
    SYMPTOM_DASHES,
    SYMPTOM_SHAPES,
    severity_color,
    symptom_dash_scale,
    symptom_scale,
    symptom_shape_scale,
)


def relative_luminance(hex_color: str) -> float:
    """Return the WCAG relative luminance of "#rrggbb"."""
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_severity_colours_get_darker_with_each_level():
    luminance = [relative_luminance(color) for color in SEVERITY_COLORS]
    assert len(luminance) == 5
    assert luminance == sorted(luminance, reverse=True)


def test_severity_legend_names_the_ends_in_words():
    label = severity_color().to_dict()["legend"]["labelExpr"]
    assert "1 Very mild" in label and "5 Very severe" in label


@pytest.mark.parametrize("count", [1, 7, 8, 20])
def test_each_symptom_gets_a_distinct_colour_and_shape_pair(count):
    names = [f"Symptom {i:02d}" for i in range(count)]
    colors = symptom_scale(reversed(names)).to_dict()
    shapes = symptom_shape_scale(names).to_dict()
    assert colors["domain"] == shapes["domain"] == names
    assert colors["range"][:7] == SYMPTOM_COLORS[:count]
    assert shapes["range"][:8] == SYMPTOM_SHAPES[:count]
    assert len(set(zip(colors["range"], shapes["range"], strict=True))) == count


def test_lines_stay_solid_until_the_colours_repeat():
    names = [f"Symptom {i:02d}" for i in range(9)]
    dashes = symptom_dash_scale(names).to_dict()["range"]
    assert dashes[:7] == [SYMPTOM_DASHES[0]] * 7
    assert dashes[7:] == [SYMPTOM_DASHES[1]] * 2
