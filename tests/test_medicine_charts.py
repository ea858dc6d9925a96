"""Medicine charts through to_dict(): each dose or counts, never more than 5,000 rows, words when empty."""

import pandas as pd

from tracker.charts.medicines import adherence_chart, dose_timeline_chart
from tracker.medicines.adherence import WEEKLY_COLUMNS
from tracker.medicines.doses import doses_frame
from tracker.medicines.timeline import dose_timeline_data


def doses(count: int, freq: str = "h") -> pd.DataFrame:
    times = pd.date_range("2020-01-01", periods=count, freq=freq, tz="UTC")
    rows = [
        (i, i % 3, f"Medicine {i % 3}", "taken", t.isoformat(), None, None, "mg", False)
        for i, t in enumerate(times)
    ]
    return doses_frame(rows)


def rows_of(chart) -> list[dict]:
    spec = chart.to_dict()
    return [row for data in spec.get("datasets", {}).values() for row in data]


def test_a_few_doses_are_drawn_one_by_one_with_their_status():
    spec = dose_timeline_chart(dose_timeline_data(doses(10), "Europe/London")).to_dict()
    assert spec["title"]["text"] == "Doses" and spec["title"]["subtitle"] == "Each dose"
    assert len(rows_of(dose_timeline_chart(dose_timeline_data(doses(10), "UTC")))) == 10


def test_twenty_thousand_doses_fit_in_one_chart():
    chart = dose_timeline_chart(dose_timeline_data(doses(20_000, "30min"), "UTC"))
    rows = rows_of(chart)
    assert len(rows) <= 5_000 and sum(row["doses"] for row in rows) == 20_000
    assert chart.to_dict()["title"]["subtitle"].startswith("Doses per ")


def test_no_doses_say_so():
    spec = dose_timeline_chart(dose_timeline_data(doses(0), "UTC")).to_dict()
    assert "No doses logged" in str(spec)


def test_adherence_chart_leaves_out_medicines_taken_as_needed():
    weekly = pd.DataFrame(
        [
            (1, "Metformin", pd.Timestamp("2026-11-16"), 14, 7, 1, 6, 0, 0.5),
            (2, "Salbutamol", pd.Timestamp("2026-11-16"), 0, 0, 0, 0, 3, float("nan")),
        ],
        columns=WEEKLY_COLUMNS,
    )
    rows = rows_of(adherence_chart(weekly))
    assert {row["medicine"] for row in rows} == {"Metformin"} and rows[0]["adherence"] == 0.5
    assert "No planned doses" in str(adherence_chart(weekly.iloc[1:]).to_dict())
