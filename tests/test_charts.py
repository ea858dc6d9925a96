from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tracker.charts import history as charts
from tracker.charts.palette import EMPTY_CELL_COLOR, SEVERITY_COLORS, SYMPTOM_COLORS
from tracker.diary.entries import entries_frame
from tracker.insights.analytics import MAX_CHART_ROWS

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TZ = "Europe/London"


def entries(*rows: tuple) -> pd.DataFrame:
    """Return an entries frame from (symptom, severity, "YYYY-MM-DD HH:MM" UTC[, note, level, advice])."""
    records = []
    for i, (symptom, severity, when, *extra) in enumerate(rows):
        note, level, advice = [*extra, None, None, None][:3]
        at = pd.Timestamp(when, tz="UTC")
        records.append((i + 1, i + 1, symptom, symptom, severity, at, at, note, level, advice, "v1"))
    return entries_frame(records)


FEW = entries(
    ("Headache", 4, "2026-11-20 09:00", "after lunch", "see_doctor", "Book a GP visit."),
    ("Cough", 2, "2026-11-20 10:00"),
    ("Cough", 3, "2026-11-22 10:00"),
    ("Fever", 5, "2026-11-24 21:00"),
    ("Headache", 1, "2026-11-25 08:00"),
)

BUILDERS: dict[str, Callable[[pd.DataFrame], Any]] = {
    "timeline": lambda f: charts.timeline_chart(f, TZ),
    "calendar": lambda f: charts.calendar_chart(f, TZ, now=NOW),
    "year": lambda f: charts.year_heatmap(f, TZ, NOW),
    "rolling": lambda f: charts.rolling_chart(f, TZ),
    "days": lambda f: charts.days_per_symptom_chart(f, TZ),
    "severity": charts.severity_distribution_chart,
    "weekday_hour": lambda f: charts.weekday_hour_chart(f, TZ),
    "cooccurrence": lambda f: charts.cooccurrence_chart(f, TZ),
    "recent": lambda f: charts.recent_chart(f, TZ, now=NOW),
}


def spec(chart: Any) -> dict[str, Any]:
    return chart.to_dict()


def rows(chart: Any) -> list[dict[str, Any]]:
    """Return the rows embedded in the chart (every builder embeds one data set)."""
    [values] = spec(chart)["datasets"].values()
    return values


def encodings(chart: Any) -> list[dict[str, Any]]:
    """Return the encoding of the chart, or of each of its layers."""
    found = spec(chart)
    return [layer.get("encoding", {}) for layer in found.get("layer", [found])]


def synthetic(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    at = pd.Timestamp("2023-01-01", tz="UTC") + pd.to_timedelta(
        np.sort(rng.integers(0, 4 * 365 * 86_400, n)), "s"
    )
    frame = FEW.iloc[[0] * n].reset_index(drop=True)
    names = np.array(["Cough", "Fever", "Headache", "Nausea", "Rash", "Fatigue", "Dizziness", "Back pain"])
    return frame.assign(occurred_at=at, symptom=names[rng.integers(0, 8, n)], severity=rng.integers(1, 6, n))


@pytest.mark.parametrize("build", BUILDERS.values(), ids=BUILDERS.keys())
def test_every_chart_says_no_entries_yet_for_an_empty_frame(build):
    chart = spec(build(entries()))
    assert chart["mark"]["type"] == "text"
    assert rows(build(entries())) == [{"message": "No entries yet"}]
    assert chart["width"] == "container"


@pytest.mark.parametrize("build", BUILDERS.values(), ids=BUILDERS.keys())
def test_every_chart_fills_the_container_width_with_a_short_title(build):
    chart = spec(build(FEW))
    assert chart["width"] == "container"
    assert chart["height"] <= 400
    assert len(chart["title"]["text"]) <= 25


@pytest.mark.parametrize("build", BUILDERS.values(), ids=BUILDERS.keys())
def test_every_chart_of_100k_entries_embeds_at_most_5000_rows(build):
    assert len(rows(build(synthetic(100_000)))) <= MAX_CHART_ROWS


def test_timeline_legend_toggles_symptoms_and_drag_zooms_time():
    params = {p["name"]: p["select"] for p in spec(charts.timeline_chart(FEW, TZ))["params"]}
    assert params["pick"] == {"type": "point", "fields": ["symptom"]}
    assert params["zoom"] == {"type": "interval", "encodings": ["x"]}
    bindings = {p["name"]: p.get("bind") for p in spec(charts.timeline_chart(FEW, TZ))["params"]}
    assert bindings == {"pick": "legend", "zoom": "scales"}


def test_timeline_tooltip_has_local_time_words_note_and_advice():
    chart = charts.timeline_chart(FEW, TZ)
    tooltip = [t["title"] for t in encodings(chart)[0]["tooltip"]]
    assert tooltip == ["When", "Symptom", "Severity", "Note", "Advice given"]
    first = rows(chart)[0]
    assert first["time"] == "2026-11-20T09:00:00"  # London wall-clock, no offset: shown as is
    assert (first["severity_text"], first["note"]) == ("4 – Severe", "after lunch")
    assert first["advice"] == "See a doctor in the next few days: Book a GP visit."


def test_timeline_of_a_long_history_shows_averages_with_their_worst():
    chart = charts.timeline_chart(synthetic(20_000), TZ)
    [encoding, _] = encodings(chart)
    assert encoding["y"]["field"] == "mean_severity"
    assert [t["title"] for t in encoding["tooltip"]] == ["Week of", "Symptom", "Average", "Worst", "Entries"]


def test_symptoms_keep_their_colour_across_charts():
    timeline = encodings(charts.timeline_chart(FEW, TZ))[0]["color"]["scale"]
    rolling = encodings(charts.rolling_chart(FEW, TZ))[0]["color"]["scale"]
    assert timeline == rolling == {"domain": ["Cough", "Fever", "Headache"], "range": SYMPTOM_COLORS[:3]}


@pytest.mark.parametrize("name", ["calendar", "year", "severity", "recent"])
def test_severity_colours_come_from_the_palette(name):
    color = encodings(BUILDERS[name](FEW))[0]["color"]
    scale = color.get("scale") or color["condition"]["scale"]
    assert scale == {"domain": [1, 2, 3, 4, 5], "range": SEVERITY_COLORS}


def test_year_heatmap_greys_days_without_entries():
    color = encodings(charts.year_heatmap(FEW, TZ, NOW))[0]["color"]
    assert color["condition"]["test"] == "isValid(datum.worst)"
    assert color["value"] == EMPTY_CELL_COLOR


def test_calendar_spans_the_whole_window_even_on_empty_days():
    x = encodings(charts.calendar_chart(FEW, TZ, days=7, now=NOW))[0]["x"]
    start, after = x["scale"]["domain"]
    assert (start["month"], start["date"], after["date"]) == (11, 19, 26)


def test_calendar_with_only_old_entries_says_so():
    chart = charts.calendar_chart(entries(("Cough", 2, "2026-01-01 09:00")), TZ, days=7, now=NOW)
    assert rows(chart) == [{"message": "No entries in the last 7 days"}]


def test_cooccurrence_chart_is_symmetric():
    data = rows(charts.cooccurrence_chart(FEW, TZ))
    pairs = {(row["symptom_a"], row["symptom_b"]) for row in data}
    assert pairs == {("Cough", "Headache"), ("Headache", "Cough")}


def test_cooccurrence_chart_without_shared_days_explains_why():
    chart = charts.cooccurrence_chart(entries(("Cough", 2, "2026-11-20 09:00")), TZ)
    assert rows(chart) == [{"message": "No two symptoms on the same day yet"}]


def test_weekday_hour_chart_has_a_cell_per_weekday_and_hour():
    assert len(rows(charts.weekday_hour_chart(FEW, TZ))) == 7 * 24


def test_recent_chart_shows_only_the_last_30_days():
    frame = entries(("Cough", 2, "2026-09-01 09:00"), ("Fever", 3, "2026-11-24 09:00"))
    assert [row["symptoms"] for row in rows(charts.recent_chart(frame, TZ, now=NOW))] == ["Fever"]
