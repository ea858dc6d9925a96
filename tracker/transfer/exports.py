"""Exports of a patient's entries: CSV (re-importable) and a formatted Excel workbook, as bytes.

The CSV is the exchange format `tracker.transfer.imports` reads back. RFC 4180: UTF-8 without a byte-order
mark, comma-separated, fields with commas, quotes or line breaks in double quotes, CRLF line ends,
one header row, then one row per entry, oldest first. Columns, in this order:

- `occurred_at`: when it happened, ISO 8601 in the patient's zone with its offset
  (`2026-11-25T13:00:00+01:00`)
- `symptom`: the vocabulary name (or the text as typed when the vocabulary had none)
- `symptom_as_typed`: what the person typed
- `severity`: a whole number, 1 (very mild) to 5 (very severe)
- `note`: free text, may be empty and may hold line breaks
- `advice_level`: the triage level of the check-in's advice (`self_care`, `see_doctor`, `urgent`,
  `emergency`), empty when none was given
- `advice`: the advice text shown at the time, may be empty
- `logged_at`: when it was logged, same format as `occurred_at`
- `answers`: the check-in's answers to the follow-up questions, `question_id: answer` joined by `; `
  (`sudden-onset: yes; stiff-neck: no`; answers are `yes`, `no` or `not_sure`), may be empty

When the export holds measures, three more columns follow, and each measure value is a row of its own
(symptom and severity empty): `measure` (its name), `measure_value` (a number, in the measure's unit)
and `measure_unit` (empty for a 0-4 rating). Rows are in time order, entries and measures together.

Formula injection: a spreadsheet runs a cell starting with = + - @ (or tab, CR) as a formula, so such
text cells get one leading apostrophe, and so does text that already starts with one. To read a cell
back, drop one leading apostrophe (`unescape_cell`); that restores every text exactly. The workbook
needs no apostrophes: its cells are typed as text, with Excel's own "quote prefix" flag on those.
"""

from collections.abc import Collection, Sequence
from datetime import datetime
from io import BytesIO

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tracker.charts.palette import SEVERITY_COLORS
from tracker.diary.validation import SEVERITY_MIN
from tracker.insights.analytics import local_days
from tracker.insights.trends import TREND_WINDOW_DAYS, trend_verdicts

EXPORT_COLUMNS = (
    "occurred_at",
    "symptom",
    "symptom_as_typed",
    "severity",
    "note",
    "advice_level",
    "advice",
    "logged_at",
    "answers",
)
MEASURE_COLUMNS = ("measure", "measure_value", "measure_unit")
TEXT_COLUMNS = ("symptom", "symptom_as_typed", "note", "advice_level", "advice", "answers")
TIME_COLUMNS = ("occurred_at", "logged_at")
# OWASP's list of characters that make a spreadsheet read a cell as a formula, plus the apostrophe
# itself, so that "drop one leading apostrophe" undoes the escaping for every possible text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
CSV_LINE_END = "\r\n"
XLSX_DATE_FORMAT = "yyyy-mm-dd hh:mm"
XLSX_WIDTHS = {
    "occurred_at": 18,
    "symptom": 22,
    "symptom_as_typed": 22,
    "severity": 9,
    "note": 60,
    "advice_level": 13,
    "advice": 60,
    "logged_at": 18,
    "answers": 40,
}
SUMMARY_COLUMNS = ("Symptom", "Days logged", "Entries", "Mean severity", "Worst severity", "Trend")
SUMMARY_WIDTHS = (24, 12, 10, 14, 14, 90)
XLSX_SHEETS = ("entries", "measures", "summary")  # the report sections a workbook holds, as sheets
MEASURE_SHEET_COLUMNS = ("occurred_at", "measure", "value", "unit")
MEASURE_SHEET_WIDTHS = (18, 24, 10, 10)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
CENTRED = Alignment(horizontal="center", vertical="top")


def escape_cell(text: str) -> str:
    """Return `text` with a leading apostrophe when a spreadsheet could run it (or it starts with one)."""
    return ESCAPE + text if needs_escape(text) else text


def unescape_cell(text: str) -> str:
    """Return a CSV cell's text as it was before `escape_cell`: one leading apostrophe dropped."""
    return text.removeprefix(ESCAPE)


def needs_escape(text: str) -> bool:
    """Return whether a spreadsheet would read `text` as a formula, or would drop its leading apostrophe."""
    return text.startswith((*FORMULA_STARTS, ESCAPE))


def local_iso(times: pd.Series, tz: str) -> pd.Series:
    """Return aware times as ISO 8601 text in the zone `tz`, to the second, e.g. 2026-11-25T13:00:00+01:00."""
    # strftime("%z") formats one value at a time in Python (3 s per 100,000); numpy formats the wall
    # clock in C, and the handful of distinct offsets are formatted once each.
    utc = times.dt.tz_convert("UTC").dt.tz_localize(None)
    wall = times.dt.tz_convert(tz).dt.tz_localize(None)
    stamps = np.datetime_as_string(wall.to_numpy().astype("datetime64[s]"), unit="s")
    offsets = (wall - utc).dt.total_seconds().astype("int64")
    suffix = offsets.map({seconds: _offset_text(seconds) for seconds in offsets.unique()}).astype(str)
    return pd.Series(stamps, index=times.index, dtype=str) + suffix


def _offset_text(seconds: int) -> str:
    """Return ±HH:MM, or ±HH:MM:SS for the old local-mean-time offsets (Amsterdam 1930: +00:19:32)."""
    sign = "-" if seconds < 0 else "+"
    minutes, rest_seconds = divmod(abs(int(seconds)), 60)
    hours, rest_minutes = divmod(minutes, 60)
    return f"{sign}{hours:02d}:{rest_minutes:02d}" + (f":{rest_seconds:02d}" if rest_seconds else "")


def export_frame(entries: pd.DataFrame) -> pd.DataFrame:
    """Return the entries in EXPORT_COLUMNS order, times still aware, missing text as ""."""
    frame = entries.rename(columns={"symptom_text": "symptom_as_typed", "level": "advice_level"})
    if "answers" not in frame.columns:  # entries not read by list_entries (no follow-up answers)
        frame = frame.assign(answers="")
    frame = frame.loc[:, list(EXPORT_COLUMNS)].copy()
    for column in TEXT_COLUMNS:
        frame[column] = frame[column].fillna("").astype(str)
    return frame.reset_index(drop=True)


def entries_csv(entries: pd.DataFrame, tz: str, measures: pd.DataFrame | None = None) -> bytes:
    """Return the entries (and `measures` values, when given) as the CSV exchange format described above."""
    frame = export_frame(entries)
    if measures is not None:
        frame = _with_measure_rows(frame, measures)
    for column in TIME_COLUMNS:
        frame[column] = local_iso(frame[column], tz)
    for column in TEXT_COLUMNS + (MEASURE_COLUMNS if measures is not None else ()):
        frame[column] = frame[column].map(escape_cell)
    return frame.to_csv(index=False, lineterminator=CSV_LINE_END).encode("utf-8")


def _with_measure_rows(frame: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """Return the entry rows and one row per measure value, in time order, with the measure columns."""
    rows = pd.DataFrame(
        {
            "occurred_at": measures["occurred_at"],
            "logged_at": measures["logged_at"],
            "measure": measures["measure"].astype(str),
            "measure_value": measures["value"].map(lambda value: f"{value:g}"),
            "measure_unit": measures["unit"].fillna("").astype(str),
        }
    )
    both = pd.concat([frame.assign(measure="", measure_value="", measure_unit=""), rows], ignore_index=True)
    both = both.fillna({column: "" for column in (*TEXT_COLUMNS, *MEASURE_COLUMNS)})
    both["severity"] = both["severity"].astype("Int64")
    return both.sort_values("occurred_at", kind="stable", ignore_index=True)[
        [*EXPORT_COLUMNS, *MEASURE_COLUMNS]
    ]


def symptom_summary(entries: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Return per symptom: days (local days logged), entries, mean and worst severity; most entries first."""
    frame = pd.DataFrame(
        {"symptom": entries["symptom"], "day": local_days(entries, tz), "severity": entries["severity"]}
    )
    summary = frame.groupby("symptom").agg(
        days=("day", "nunique"),
        entries=("severity", "size"),
        mean_severity=("severity", "mean"),
        worst_severity=("severity", "max"),
    )
    summary = summary.reset_index().astype({"symptom": str})
    return summary.sort_values(["entries", "symptom"], ascending=[False, True], ignore_index=True)


def trend_sentences(entries: pd.DataFrame, tz: str, now: datetime) -> dict[str, str]:
    """Return the trend verdict sentence of each symptom logged in the last TREND_WINDOW_DAYS days."""
    return {verdict.symptom: verdict.sentence for verdict in trend_verdicts(entries, tz, now)}


def period_text(entries: pd.DataFrame, tz: str) -> str:
    """Return the local days the entries span, e.g. "3 Nov 2026 – 25 Nov 2026" ("No entries" when none)."""
    if entries.empty:
        return "No entries"
    days = local_days(entries, tz)
    first, last = (f"{day.day} {day:%b %Y}" for day in (days.min(), days.max()))  # %-d is not portable
    return first if first == last else f"{first} – {last}"


def entries_xlsx(
    entries: pd.DataFrame,
    patient_name: str,
    tz: str,
    now: datetime,
    measures: pd.DataFrame | None = None,
    sections: Collection[str] | None = None,
) -> bytes:
    """Return a workbook of the chosen `sections` (None: all): sheet "Entries" (the CSV columns,
    formatted), sheet "Measures" (one row per value, when `measures` are given) and sheet "Summary".
    """
    chosen = set(XLSX_SHEETS if sections is None else sections)
    # Write-only mode streams rows to the file instead of keeping 800,000 cell objects for 100,000 rows.
    workbook = Workbook(write_only=True)
    if "entries" in chosen:
        _write_entries(_Sheet(workbook.create_sheet("Entries")), entries, tz)
    if "measures" in chosen and measures is not None:
        _write_measures(_Sheet(workbook.create_sheet("Measures")), measures, tz)
    if "summary" in chosen or not workbook.worksheets:
        _write_summary(_Sheet(workbook.create_sheet("Summary")), entries, patient_name, tz, now)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _Sheet:
    """A write-only sheet that makes cells from a few styles built once.

    openpyxl looks every style object up in a hashed list each time one is assigned to a cell (about
    10 s for 100,000 rows); copying a prebuilt style array instead costs next to nothing.
    """

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self._styles = {
            "text": self._style(alignment=TOP),
            "wrap": self._style(alignment=WRAP),
            "bold": self._style(alignment=TOP, font=BOLD),
            "time": self._style(alignment=TOP, number_format=XLSX_DATE_FORMAT),
            "mean": self._style(alignment=TOP, number_format="0.0"),
        }
        for severity, colour in enumerate(SEVERITY_COLORS, start=SEVERITY_MIN):
            rgb = colour.removeprefix("#").upper()
            fill = PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)
            font = Font(bold=True, color=text_colour_on(rgb))
            self._styles[f"severity {severity}"] = self._style(alignment=CENTRED, fill=fill, font=font)

    def _style(self, **attributes: object) -> StyleArray:
        cell = WriteOnlyCell(self.sheet)
        for name, value in attributes.items():
            setattr(cell, name, value)
        return cell._style

    def cell(self, value: object, style: str = "text") -> Cell:
        """Return a cell holding `value` in `style`: text typed as text (never a formula), times formatted."""
        if isinstance(value, pd.Timestamp):
            value, style = value.to_pydatetime(), "time"
        elif isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = WriteOnlyCell(self.sheet, value)
        cell._style = StyleArray(self._styles[style])
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
            cell._style.quotePrefix = needs_escape(value)
        return cell

    def severity(self, value: int) -> Cell:
        """Return a cell holding the severity `value`, filled with its colour from the palette."""
        return self.cell(value, f"severity {value}")

    def header(self, names: Sequence[str], widths: Sequence[int]) -> None:
        """Set the column widths and append a bold header row."""
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.append([self.cell(name, "bold") for name in names])


def _write_entries(sheet: _Sheet, entries: pd.DataFrame, tz: str) -> None:
    frame = export_frame(entries)
    for column in TIME_COLUMNS:
        # Excel has no time zones: wall-clock times in the patient's zone, named in the Summary sheet.
        frame[column] = frame[column].dt.tz_convert(tz).dt.tz_localize(None)
    sheet.sheet.freeze_panes = "A2"
    sheet.sheet.auto_filter.ref = f"A1:{get_column_letter(len(EXPORT_COLUMNS))}{len(frame) + 1}"
    sheet.header(EXPORT_COLUMNS, [XLSX_WIDTHS[column] for column in EXPORT_COLUMNS])
    styles = ["wrap" if column in ("note", "advice") else "text" for column in EXPORT_COLUMNS]
    severity_at = EXPORT_COLUMNS.index("severity")
    for values in frame.itertuples(index=False):
        row = [sheet.cell(value, style) for value, style in zip(values, styles, strict=True)]
        row[severity_at] = sheet.severity(values[severity_at])
        sheet.sheet.append(row)


def _write_measures(sheet: _Sheet, measures: pd.DataFrame, tz: str) -> None:
    """Append one row per measured value: when (wall-clock time in `tz`), what, the value and its unit."""
    times = pd.to_datetime(measures["occurred_at"], utc=True).dt.tz_convert(tz).dt.tz_localize(None)
    sheet.sheet.freeze_panes = "A2"
    sheet.header(MEASURE_SHEET_COLUMNS, MEASURE_SHEET_WIDTHS)
    for at, name, value, unit in zip(
        times, measures["measure"], measures["value"], measures["unit"], strict=True
    ):
        unit_text = "" if pd.isna(unit) else str(unit)
        sheet.sheet.append(
            [sheet.cell(at), sheet.cell(str(name)), sheet.cell(float(value)), sheet.cell(unit_text)]
        )


def text_colour_on(background: str) -> str:
    """Return "000000" or "FFFFFF", whichever contrasts more with the hex colour `background` (WCAG)."""
    channels = [int(background.removeprefix("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    # Contrast with black is (L + 0.05) / 0.05, with white 1.05 / (L + 0.05).
    return "000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "FFFFFF"


def _write_summary(sheet: _Sheet, entries: pd.DataFrame, patient_name: str, tz: str, now: datetime) -> None:
    local_now = pd.Timestamp(now).tz_convert(tz)
    facts = [
        ("Patient", patient_name),
        ("Period", period_text(entries, tz)),
        ("Entries", len(entries)),
        ("Symptoms", int(entries["symptom"].nunique())),
        ("Time zone", tz),
        ("Generated", f"{local_now:%Y-%m-%d %H:%M} ({tz})"),
    ]
    sheet.header(["Patient summary"], SUMMARY_WIDTHS)
    for label, value in facts:
        sheet.sheet.append([sheet.cell(label, "bold"), sheet.cell(value)])
    sheet.sheet.append([])
    sheet.sheet.append([sheet.cell(name, "bold") for name in SUMMARY_COLUMNS])
    trends = trend_sentences(entries, tz, now)
    no_trend = f"No entries in the last {TREND_WINDOW_DAYS} days"
    for row in symptom_summary(entries, tz).itertuples(index=False):
        name = str(row.symptom)
        cells = [
            sheet.cell(name),
            sheet.cell(int(row.days)),
            sheet.cell(int(row.entries)),
            sheet.cell(round(float(row.mean_severity), 1), "mean"),
            sheet.severity(int(row.worst_severity)),
            sheet.cell(trends.get(name, no_trend), "wrap"),
        ]
        sheet.sheet.append(cells)
