"""A PDF report for a doctor's visit, as bytes (fpdf2): the sections and dates the person chose.

Sections in this order when chosen (tracker.transfer.sections): summary, trends, alerts, timeline and
calendar charts, medicines and adherence, measures, factors, newest entries, answers to the follow-up
questions.

Text uses DejaVu Sans when a copy can be found (matplotlib's, else the system's `fonts-dejavu-core`),
which covers Latin, Greek, Cyrillic, Hebrew and Arabic; characters it lacks (most emoji, CJK) print as
U+FFFD. Without it the report falls back to the PDF core font Helvetica, and characters outside
Latin-1 print as "?". Right-to-left runs are put in visual order with fpdf2's bidi algorithm
(full shaping, e.g. joined Arabic letters, needs the optional `uharfbuzz` package and is used when present).
"""

import importlib.util
import unicodedata
from collections.abc import Sequence
from datetime import datetime, time
from io import BytesIO
from pathlib import Path
from typing import Any

import pandas as pd
import vl_convert
from fpdf import FPDF, FontFace, XPos, YPos
from fpdf.bidi import BidiParagraph, auto_detect_base_direction

from tracker.charts.history import Chart, calendar_chart, timeline_chart
from tracker.charts.measures import measure_chart
from tracker.charts.palette import SEVERITY_COLORS
from tracker.diary.entries import parse_answers_text
from tracker.diary.validation import SEVERITY_MIN, local_datetime
from tracker.insights.analytics import severity_text
from tracker.insights.factors import NOT_CAUSE_NOTE, Direction, FactorFinding
from tracker.insights.trends import TREND_WINDOW_DAYS, trend_verdicts
from tracker.measures.daily import chart_points, measure_summary
from tracker.medicines.adherence import adherence_by_medicine, weekly_adherence
from tracker.medicines.doses import DOSE_COLUMNS
from tracker.medicines.schedule import MedicineHistory
from tracker.transfer.exports import period_text, symptom_summary, text_colour_on
from tracker.transfer.sections import ReportContents, ReportExtras, Section
from tracker.triage.follow_up import default_question_book

APP_NAME = "Patient Symptom Tracker"
DISCLAIMER = (
    f"Symptoms as reported by the patient in {APP_NAME}. Not a medical device: the advice it gives is "
    "general information, not a diagnosis. Please rely on your own clinical assessment."
)
NEWEST_ROWS = 50
SUMMARY_ROWS = 20
MEASURE_CHARTS = 6  # one chart per measure, the most logged first
CHART_WIDTH_PX = 600  # over the 180 mm text block, 11 px chart labels print at about 9 pt
CHART_SCALE = 2  # 2 × 600 px over 180 mm is about 170 dpi: sharp on screen and paper
FONT_FAMILY = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
SYSTEM_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu: fonts-dejavu-core
    Path("/usr/share/fonts/TTF"),  # Arch
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora
)
CORE_FAMILY = "Helvetica"
# Core fonts know only Latin-1: these common typographic characters get a readable stand-in.
LATIN1_STAND_INS = str.maketrans(
    {"–": "-", "—": "-", "→": "->", "…": "...", "•": "-", "‘": "'", "’": "'", "“": '"', "”": '"'}
)
MISSING_GLYPH = "\ufffd"
GREY = (90, 90, 90)
HEADING_FILL = (235, 235, 235)
DATE_TIME = "%d %b %Y %H:%M"
NB_PAGES_ALIAS = "{report-total-pages}"  # not "{nb}": a patient's note could contain that
PAGE_NUMBER_WIDTH = 22  # mm, enough for "Page 999 of 999" at 8 pt
TABLE_SIZE = 9


def unicode_font_dir() -> Path | None:
    """Return a folder with DejaVu Sans regular and bold (matplotlib's, else the system's), or None."""
    spec = importlib.util.find_spec("matplotlib")  # locates the package without importing it (slow)
    folders = (
        [Path(p) / "mpl-data" / "fonts" / "ttf" for p in (spec.submodule_search_locations or [])]
        if spec
        else []
    )
    for folder in [*folders, *SYSTEM_FONT_DIRS]:
        if all((folder / name).is_file() for name in FONT_FILES.values()):
            return folder
    return None


def chart_png(chart: Chart, width: int = CHART_WIDTH_PX) -> bytes:
    """Return `chart` as a PNG `width` px wide (at CHART_SCALE), without its on-screen interaction hints."""
    spec = chart.to_dict()  # a new dict: the chart itself keeps its container width
    spec["width"] = width
    title = spec.get("title")
    if isinstance(title, dict) and "subtitle" in title:
        title["subtitle"] = _print_subtitle(str(title["subtitle"]))
    return vl_convert.vegalite_to_png(spec, scale=CHART_SCALE)


def _print_subtitle(subtitle: str) -> str:
    """Return the subtitle without "Tap a name to filter, drag to pan"-style hints, which paper cannot do."""
    hints = ("tap ", "drag ")
    parts = [part.strip() for part in subtitle.split(";")]
    return "; ".join(p for p in parts if not any(p.lower().startswith(h) for h in hints))


class _Report(FPDF):
    """An A4 report with a footer on every page and text made printable in whichever font it has."""

    def __init__(self, footer: str, font_dir: Path | None) -> None:
        super().__init__(format="A4")
        self.footer_text = footer
        self.report_family = CORE_FAMILY
        self.glyphs: set[int] | None = None
        if font_dir is not None:
            for style, name in FONT_FILES.items():
                self.add_font(FONT_FAMILY, style, str(font_dir / name))
            self.report_family = FONT_FAMILY
            self.glyphs = set(self.fonts[FONT_FAMILY.lower()].cmap)  # type: ignore[union-attr]
            if importlib.util.find_spec("uharfbuzz"):
                self.set_text_shaping(True)
        self.alias_nb_pages(NB_PAGES_ALIAS)
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)

    def printable(self, text: object) -> str:
        """Return `text` with what this font cannot print replaced, and right-to-left runs in visual order."""
        value = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
        value = value.replace(NB_PAGES_ALIAS, "")
        if self.glyphs is None:
            return value.translate(LATIN1_STAND_INS).encode("latin-1", "replace").decode("latin-1")
        stand_in = MISSING_GLYPH if ord(MISSING_GLYPH) in self.glyphs else "?"
        value = "".join(ch if ord(ch) in self.glyphs or ch in "\n\t" else stand_in for ch in value)
        if self.text_shaping or not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in value):
            return value
        return "\n".join(_visual_order(line) for line in value.split("\n"))

    def style(self, size: float, bold: bool = False, colour: tuple[int, int, int] = (0, 0, 0)) -> None:
        """Set the report's font at `size` points, bold or not, in `colour`."""
        self.set_font(self.report_family, "B" if bold else "", size)
        self.set_text_color(*colour)

    def footer(self) -> None:
        self.set_y(-13)
        self.style(8, colour=GREY)
        # Left-aligned in a fixed box: the page total is filled in after layout, so right alignment
        # would be computed on the placeholder's width and overlap the text beside it.
        self.cell(
            self.epw - PAGE_NUMBER_WIDTH, 5, self.fitted(self.footer_text, self.epw - PAGE_NUMBER_WIDTH - 2)
        )
        self.cell(PAGE_NUMBER_WIDTH, 5, f"Page {self.page_no()} of {NB_PAGES_ALIAS}")

    def fitted(self, text: str, width: float) -> str:
        """Return `text` made printable and cut with "…" (or "...") to fit `width` mm in the current font."""
        fitted, ellipsis = self.printable(text), self.printable("…")
        while len(fitted) > len(ellipsis) and self.get_string_width(fitted) > width:
            fitted = fitted[: len(fitted) - max(1, len(fitted) // 10) - len(ellipsis)] + ellipsis
        return fitted


def _visual_order(line: str) -> str:
    return BidiParagraph(text=line, base_direction=auto_detect_base_direction(line)).get_reordered_string()


ANSWER_WORDS = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}


def pdf_report(
    entries: pd.DataFrame,
    patient_name: str,
    tz: str,
    now: datetime,
    alerts: Sequence[str] = (),
    extras: ReportExtras | None = None,
) -> bytes:
    """Return a PDF report of the entries for a doctor's visit; `alerts` holds one sentence per alert.

    `extras` says which sections and dates, and brings the measures, cycle and factor findings.
    """
    extras = extras or ReportExtras()
    contents = extras.contents
    local_now = pd.Timestamp(now).tz_convert(tz)
    generated = f"{local_now:%d %b %Y, %H:%M} ({tz})"
    pdf = _Report(f"{patient_name} · symptom report generated {generated} · {APP_NAME}", unicode_font_dir())
    pdf.set_title(f"Symptom report: {patient_name}")
    pdf.set_author(APP_NAME)
    pdf.set_creator(APP_NAME)
    pdf.set_lang("en")
    pdf.set_creation_date(now)
    pdf.add_page()
    _title(pdf, patient_name, _period(contents, entries, tz), generated)
    if contents.has(Section.SUMMARY):
        _summary(pdf, entries, tz)
    if contents.has(Section.TRENDS):
        _trends(pdf, entries, tz, now, heading=not contents.has(Section.SUMMARY))
    if contents.has(Section.ALERTS):
        _alerts(pdf, alerts)
    if not entries.empty and (contents.has(Section.TIMELINE) or contents.has(Section.CALENDAR)):
        _charts(pdf, entries, tz, now, contents, extras.cycle)
    if contents.has(Section.MEDICINES):
        _medicines(pdf, extras.medicines, tz, now, contents)
    if contents.has(Section.MEASURES):
        _measures(pdf, extras.measures, tz)
    if contents.has(Section.FACTORS):
        _factors(pdf, extras.findings)
    if contents.has(Section.ENTRIES) and not entries.empty:
        _newest_entries(pdf, entries, tz)
    if contents.has(Section.ANSWERS) and not entries.empty:
        _answers(pdf, entries, tz)
    return bytes(pdf.output())


def _period(contents: ReportContents, entries: pd.DataFrame, tz: str) -> str:
    """Return the dates chosen ("1 Nov 2026 – 30 Nov 2026"), else the days the entries span."""
    if contents.start is None and contents.end is None:
        return period_text(entries, tz)
    first = f"{contents.start.day} {contents.start:%b %Y}" if contents.start else "the first entry"
    last = f"{contents.end.day} {contents.end:%b %Y}" if contents.end else "today"
    return f"{first} – {last}"


def _title(pdf: _Report, patient_name: str, period: str, generated: str) -> None:
    pdf.style(20, bold=True)
    pdf.cell(0, 10, "Symptom report", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for label, value in (("Patient", patient_name), ("Period", period), ("Generated", generated)):
        pdf.style(11, bold=True)
        pdf.cell(25, 6, label)
        pdf.style(11)
        pdf.multi_cell(0, 6, pdf.printable(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.style(9, colour=GREY)
    pdf.multi_cell(
        0, 4.5, DISCLAIMER, border="T", padding=(2, 0, 0, 0), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )


def _heading(pdf: _Report, text: str, space_needed: float = 30) -> None:
    """Write a section heading, on a new page when less than `space_needed` mm would follow it."""
    if pdf.get_y() + 12 + space_needed > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(4)
    pdf.style(14, bold=True)
    pdf.cell(0, 8, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.style(10)


def _paragraph(pdf: _Report, text: str, colour: tuple[int, int, int] = (0, 0, 0)) -> None:
    pdf.style(10, colour=colour)
    pdf.multi_cell(0, 5, pdf.printable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _summary(pdf: _Report, entries: pd.DataFrame, tz: str) -> None:
    _heading(pdf, "Summary")
    if entries.empty:
        _paragraph(pdf, "No entries were logged in this period.")
        return
    worst = entries.sort_values(["severity", "occurred_at"]).iloc[-1]
    when = pd.Timestamp(worst["occurred_at"]).tz_convert(tz)
    counts = (
        f"{_count(len(entries), 'entry', 'entries')} of {_count(entries['symptom'].nunique(), 'symptom')}"
    )
    worst_text = f"{_severity_words(int(worst['severity']))}, {worst['symptom']} on {when:{DATE_TIME}}"
    _paragraph(pdf, f"{counts}. Worst: {worst_text}.")
    pdf.ln(2)
    _symptom_table(pdf, symptom_summary(entries, tz))


def _trends(pdf: _Report, entries: pd.DataFrame, tz: str, now: datetime, heading: bool) -> None:
    title = f"Trends over the last {TREND_WINDOW_DAYS} days"
    if heading:
        _heading(pdf, title, space_needed=10)
    else:
        pdf.ln(3)
        pdf.style(10, bold=True)
        pdf.cell(0, 6, title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if entries.empty:
        _paragraph(pdf, f"No entries in the last {TREND_WINDOW_DAYS} days.")
        return
    sentences = [verdict.sentence for verdict in trend_verdicts(entries, tz, now)]
    for sentence in sentences[:SUMMARY_ROWS] or [f"No entries in the last {TREND_WINDOW_DAYS} days."]:
        _paragraph(pdf, f"• {sentence}")


def _count(number: int, word: str, plural: str = "") -> str:
    return f"{number} {word if number == 1 else plural or word + 's'}"


def _severity_words(severity: int) -> str:
    return str(severity_text(pd.Series([severity])).iat[0])


def _severity_face(severity: int) -> FontFace:
    colour = SEVERITY_COLORS[severity - SEVERITY_MIN]
    return FontFace(fill_color=colour, color="#" + text_colour_on(colour))


def _symptom_table(pdf: _Report, summary: pd.DataFrame) -> None:
    shown = summary.head(SUMMARY_ROWS)
    pdf.style(TABLE_SIZE)
    headings = FontFace(emphasis="BOLD", fill_color=HEADING_FILL)
    with pdf.table(
        col_widths=(60, 25, 25, 30, 40), text_align="LEFT", headings_style=headings, line_height=5.5
    ) as table:
        table.row(["Symptom", "Days logged", "Entries", "Mean severity", "Worst"])
        for row in shown.itertuples(index=False):
            cells = table.row()
            cells.cell(pdf.printable(row.symptom))
            cells.cell(str(row.days))
            cells.cell(str(row.entries))
            cells.cell(f"{row.mean_severity:.1f}")
            worst = int(row.worst_severity)
            cells.cell(pdf.printable(_severity_words(worst)), style=_severity_face(worst))
    if len(summary) > len(shown):
        _paragraph(pdf, f"…and {len(summary) - len(shown)} more symptoms (see the Excel export).", GREY)


def _alerts(pdf: _Report, alerts: Sequence[str]) -> None:
    _heading(pdf, "Alerts raised", space_needed=10)
    for alert in alerts:
        _paragraph(pdf, f"• {alert}")
    if not alerts:
        _paragraph(pdf, "None recorded.")


def _charts(
    pdf: _Report,
    entries: pd.DataFrame,
    tz: str,
    now: datetime,
    contents: ReportContents,
    cycle: pd.DataFrame | None,
) -> None:
    images = []
    if contents.has(Section.TIMELINE):
        images.append(chart_png(timeline_chart(entries, tz)))
    if contents.has(Section.CALENDAR):
        images.append(chart_png(calendar_chart(entries, tz, now=now, cycle=cycle)))
    _heading(pdf, "Charts", space_needed=_image_height(pdf, images[0]))
    for png in images:
        if pdf.get_y() + _image_height(pdf, png) > pdf.page_break_trigger:
            pdf.add_page()
        pdf.image(BytesIO(png), w=pdf.epw)
        pdf.ln(3)


def _medicines(
    pdf: _Report, history: MedicineHistory | None, tz: str, now: datetime, contents: ReportContents
) -> None:
    """The medicine list with, per medicine, the planned doses taken, skipped and not logged."""
    _heading(pdf, "Medicines and adherence", space_needed=20)
    if history is None or not history.medicines:
        _paragraph(pdf, "No medicines are on the list.")
        return
    doses = history.doses if history.doses is not None else pd.DataFrame(columns=DOSE_COLUMNS)
    start = local_datetime(contents.start, time(), tz) if contents.start else None
    totals = adherence_by_medicine(weekly_adherence(history.medicines, doses, tz, now, start))
    by_name = {str(row.medicine): row for row in totals.itertuples(index=False)}
    pdf.style(TABLE_SIZE)
    headings = FontFace(emphasis="BOLD", fill_color=HEADING_FILL)
    with pdf.table(
        col_widths=(46, 34, 18, 18, 18, 22, 16, 20),
        text_align="LEFT",
        headings_style=headings,
        line_height=5.5,
    ) as table:
        table.row(["Medicine", "When", "Planned", "Taken", "Skipped", "Not logged", "Extra", "Taken %"])
        for medicine in history.medicines:
            when = "as needed" if medicine.as_needed else " ".join(f"{t:%H:%M}" for t in medicine.times)
            row = by_name.get(medicine.name)
            counts = (
                [0, 0, 0, 0, 0]
                if row is None
                else [row.planned, row.taken, row.skipped, row.missed, row.extra]
            )
            share = "" if row is None or pd.isna(row.adherence) else f"{row.adherence:.0%}"
            table.row([pdf.printable(medicine.label), when, *(f"{int(n):,}" for n in counts), share])


def _measures(pdf: _Report, measures: pd.DataFrame | None, tz: str) -> None:
    _heading(pdf, "Measures", space_needed=20)
    if measures is None or measures.empty:
        _paragraph(pdf, "No measures were logged in this period.")
        return
    pdf.style(TABLE_SIZE)
    headings = FontFace(emphasis="BOLD", fill_color=HEADING_FILL)
    summary = measure_summary(measures, tz)
    with pdf.table(
        col_widths=(44, 22, 18, 34, 20, 20, 22), text_align="LEFT", headings_style=headings, line_height=5.5
    ) as table:
        table.row(["Measure", "Unit", "Values", "Latest", "Lowest", "Average", "Highest"])
        for row in summary.itertuples(index=False):
            name, unit = pdf.printable(row.measure), pdf.printable(row.unit or "0-4")
            latest = f"{row.latest:g} ({row.latest_day})"
            table.row(
                [
                    name,
                    unit,
                    str(row.values),
                    latest,
                    f"{row.lowest:g}",
                    f"{row.mean:.1f}",
                    f"{row.highest:g}",
                ]
            )
    points = chart_points(measures, tz)
    for name in summary["measure"].head(MEASURE_CHARTS):
        png = chart_png(measure_chart(points, str(name)))
        if pdf.get_y() + _image_height(pdf, png) > pdf.page_break_trigger:
            pdf.add_page()
        pdf.ln(2)
        pdf.image(BytesIO(png), w=pdf.epw)


def _factors(pdf: _Report, findings: Sequence[FactorFinding]) -> None:
    _heading(pdf, "Factors: what went with better or worse days", space_needed=15)
    _paragraph(pdf, NOT_CAUSE_NOTE, GREY)
    clear = [finding for finding in findings if finding.direction is not Direction.NO_DIFFERENCE]
    for finding in clear[:SUMMARY_ROWS]:
        _paragraph(pdf, f"• {finding.sentence}")
        _paragraph(pdf, f"   {finding.numbers}", GREY)
    if not clear:
        _paragraph(pdf, "No clear difference between days with and without any factor in this period.")


def _image_height(pdf: _Report, png: bytes) -> float:
    """Return the height in mm of the PNG drawn at the full text width (its size is in the IHDR chunk)."""
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return pdf.epw * height / width


def _newest_entries(pdf: _Report, entries: pd.DataFrame, tz: str) -> None:
    newest = entries.sort_values(["occurred_at", "id"], ascending=False).head(NEWEST_ROWS)
    _heading(pdf, "Newest entries")
    if len(entries) > len(newest):
        _paragraph(pdf, f"The {len(newest)} newest of {len(entries)} entries; the exports hold all.", GREY)
        pdf.ln(1)
    pdf.style(TABLE_SIZE)
    headings = FontFace(emphasis="BOLD", fill_color=HEADING_FILL)
    with pdf.table(
        col_widths=(35, 38, 27, 80), text_align="LEFT", headings_style=headings, line_height=5, v_align="TOP"
    ) as table:
        table.row(["When", "Symptom", "Severity", "Note"])
        for row in newest.to_dict("records"):
            _entry_row(pdf, table.row(), row, tz)


def _entry_row(pdf: _Report, cells: Any, row: dict[str, Any], tz: str) -> None:
    when = pd.Timestamp(row["occurred_at"]).tz_convert(tz)
    severity = int(row["severity"])
    cells.cell(f"{when:{DATE_TIME}}")
    cells.cell(pdf.printable(row["symptom"]))
    cells.cell(pdf.printable(_severity_words(severity)), style=_severity_face(severity))
    cells.cell(pdf.printable(row["note"]))


def _answers(pdf: _Report, entries: pd.DataFrame, tz: str) -> None:
    """List the newest check-ins' answers to the follow-up questions, with the words asked."""
    if "answers" not in entries.columns:
        return
    answered = entries[entries["answers"].fillna("") != ""].sort_values(
        ["occurred_at", "id"], ascending=False
    )
    check_ins = answered.drop_duplicates("check_in_id").head(NEWEST_ROWS)
    if check_ins.empty:
        return
    book = default_question_book().by_id
    _heading(pdf, "Answers to follow-up questions", space_needed=20)
    for row in check_ins.to_dict("records"):
        when = pd.Timestamp(row["occurred_at"]).tz_convert(tz)
        symptoms = answered.loc[answered["check_in_id"] == row["check_in_id"], "symptom"]
        pdf.ln(1)
        pdf.style(10, bold=True)
        title = f"{when:{DATE_TIME}} · {', '.join(dict.fromkeys(symptoms))}"
        pdf.multi_cell(0, 5, pdf.printable(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.style(10)
        for key, answer in parse_answers_text(row["answers"]).items():
            question = book[key].text if key in book else key
            _paragraph(pdf, f"• {question} {ANSWER_WORDS.get(answer, answer)}")
