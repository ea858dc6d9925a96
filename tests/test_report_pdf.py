import re
import shutil
import subprocess
import zlib
from datetime import UTC, datetime

import pandas as pd
import pytest

from tracker.charts.history import calendar_chart, timeline_chart
from tracker.diary.entries import entries_frame
from tracker.transfer import report_pdf
from tracker.transfer.report_pdf import chart_png, pdf_report

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
HOSTILE_NOTES = [
    "<script>alert('x')</script>",
    "=cmd|' /C calc'!A0",
    "Headache 🤕 after coffee ☕ 头痛",
    "כאב ראש חזק מאוד",
    "ألم في الرأس",
    "{nb} {report-total-pages} \\ ( ) %",
    "word " * 200,  # 1,000 characters
]


def entries(*rows: tuple) -> pd.DataFrame:
    """Return an entries frame from (symptom, severity, "YYYY-MM-DD HH:MM" UTC[, note]) rows."""
    records = []
    for i, (symptom, severity, when, *note) in enumerate(rows):
        at = pd.Timestamp(when, tz="UTC")
        records.append(
            (i + 1, i + 1, symptom, symptom, severity, at, at, note[0] if note else None, None, None, "v1")
        )
    return entries_frame(records)


def daily(symptom: str, severities: list[int], note: str | None = None) -> list[tuple]:
    days = pd.date_range(end="2026-11-25", periods=len(severities), freq="D")
    return [(symptom, s, f"{day:%Y-%m-%d} 09:00", note) for s, day in zip(severities, days, strict=True)]


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


def title_of(pdf: bytes) -> str:
    """Return the document title: a literal string, or UTF-16 hex with a byte-order mark."""
    literal = re.search(rb"/Title \((.*?)\)\n", pdf)
    if literal:
        return literal.group(1).decode("latin-1")
    hexed = re.search(rb"/Title <([0-9a-fA-F]+)>", pdf)
    assert hexed, "no title"
    return bytes.fromhex(hexed.group(1).decode()).decode("utf-16")


def page_text(pdf: bytes) -> str:
    """Return the decompressed content streams: readable text when the core font (Latin-1) is used."""
    streams = re.findall(rb"/FlateDecode.*?stream\n(.*?)\nendstream", pdf, flags=re.S)
    chunks = []
    for stream in streams:
        try:
            chunks.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            continue  # an image
    return "\n".join(chunks)


@pytest.fixture
def core_font(monkeypatch):
    """Make the report use the PDF core font, as on a machine without DejaVu Sans."""
    monkeypatch.setattr(report_pdf, "unicode_font_dir", lambda: None)


def test_report_is_a_pdf_titled_with_the_patients_name():
    pdf = pdf_report(entries(*daily("Cough", [2, 3, 4])), "Ada Lovelace", "Europe/London", NOW)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert title_of(pdf) == "Symptom report: Ada Lovelace"
    assert page_count(pdf) >= 1


def test_report_shows_summary_trend_alerts_and_entries(core_font):
    frame = entries(*daily("Cough", [1, 2, 3, 4, 5], "worse at night"))
    pdf = pdf_report(frame, "Ada Lovelace", "UTC", NOW, alerts=["Chest pain at 4: urgent advice given"])
    text = page_text(pdf)
    for expected in (
        "(Ada Lovelace)",
        "Not a medical device",
        "5 entries of 1 symptom.",
        "Cough worsened over the last 14 days",
        "Chest pain at 4: urgent advice given",
        "(worse at night)",
        "5 - Very severe",
    ):
        assert expected in text


def test_report_without_alerts_says_none_recorded(core_font):
    assert "None recorded." in page_text(pdf_report(entries(*daily("Cough", [2])), "Ada", "UTC", NOW))


def test_report_of_no_entries_is_one_page_that_says_so(core_font):
    pdf = pdf_report(entries(), "Ada", "UTC", NOW)
    assert page_count(pdf) == 1
    text = page_text(pdf)
    assert "No entries were logged in this period." in text and "None recorded." in text


def test_report_embeds_the_two_charts_as_images():
    pdf = pdf_report(entries(*daily("Cough", [2, 3])), "Ada", "UTC", NOW)
    assert len(re.findall(rb"/Subtype /Image", pdf)) == 2


@pytest.mark.parametrize("font", ["unicode", "core"])
def test_hostile_text_does_not_break_the_report(font, monkeypatch):
    if font == "core":
        monkeypatch.setattr(report_pdf, "unicode_font_dir", lambda: None)
    frame = entries(
        *[("Headache 🤕", 3, f"2026-11-{i + 10:02d} 08:00", note) for i, note in enumerate(HOSTILE_NOTES)]
    )
    pdf = pdf_report(frame, "Zoë <O'Brien> כהן 李 🙂", "Asia/Jerusalem", NOW, alerts=HOSTILE_NOTES)
    assert pdf.startswith(b"%PDF-") and page_count(pdf) >= 2
    assert "Zoë <O'Brien>" in title_of(pdf)


def test_report_is_the_same_bytes_for_the_same_inputs():
    frame = entries(*daily("Cough", [2, 3]))
    assert pdf_report(frame, "Ada", "UTC", NOW) == pdf_report(frame, "Ada", "UTC", NOW)


def test_newest_entries_are_capped_and_say_how_many_there_are(core_font):
    frame = entries(*daily("Cough", [2] * (report_pdf.NEWEST_ROWS + 5)))
    text = page_text(pdf_report(frame, "Ada", "UTC", NOW))
    assert f"The {report_pdf.NEWEST_ROWS} newest of {report_pdf.NEWEST_ROWS + 5} entries" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils' pdftotext")
def test_unicode_report_text_extracts_with_the_patients_name():
    if report_pdf.unicode_font_dir() is None:
        pytest.skip("no DejaVu Sans on this machine")
    frame = entries(*daily("Cough", [2, 3], "Zoë’s note → better"))
    pdf = pdf_report(frame, "Zoë O’Brien", "UTC", NOW)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Zoë O’Brien" in text and "Zoë’s note → better" in text and "None recorded." in text


def test_chart_png_renders_at_a_fixed_width_and_leaves_the_chart_alone():
    chart = timeline_chart(entries(*daily("Cough", [2, 3])), "UTC")
    png = chart_png(chart, width=400)
    assert png.startswith(b"\x89PNG")
    assert int.from_bytes(png[16:20], "big") >= 400 * report_pdf.CHART_SCALE
    assert chart.to_dict()["width"] == "container"


def test_chart_png_drops_on_screen_hints_from_the_subtitle():
    assert report_pdf._print_subtitle("Tap a name to filter, drag to pan") == ""
    assert report_pdf._print_subtitle("Average per week; drag to pan") == "Average per week"
    assert report_pdf._print_subtitle("Last 60 days") == "Last 60 days"


def test_calendar_chart_of_no_entries_still_renders():
    assert chart_png(calendar_chart(entries(), "UTC", now=NOW)).startswith(b"\x89PNG")
