"""Parse an imported table (our CSV/Excel export or the original app's) into checked rows, all or nothing."""

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracker.diary.entries import parse_answers_text
from tracker.diary.validation import (
    MIN_YEAR,
    clean_note,
    clean_text,
    note_error,
    occurred_at_error,
    severity_error,
    symptom_error,
)
from tracker.errors import ValidationError
from tracker.levels import TriageLevel
from tracker.storage.limits import MEASURE_NAME_MAX_LENGTH
from tracker.transfer.import_files import (
    blank,
    file_error,
    read_table,
)
from tracker.triage.follow_up import default_question_book
from tracker.triage.knowledge import ORIGINAL_SEVERITY_WORDS

CARE_NOW_LEVELS = frozenset({str(TriageLevel.URGENT), str(TriageLevel.EMERGENCY)})
MAX_PROBLEMS_LISTED = 100  # a wrong file can have 200,000 bad rows; the first hundred say enough


DuplicateKey = tuple[datetime, str, int, str]  # occurred_at to the second, casefolded symptom, severity, note


# A spreadsheet runs a cell starting with = + - @ (or tab, CR) as a formula, so exports write '=1+2.
# Our CSV export (tracker/transfer/exports.py) also escapes a leading apostrophe itself, so one leading
# apostrophe is dropped from each of its text cells; in other files only an apostrophe guarding a
# formula character is, so "'tis" in a hand-made table keeps its apostrophe.
INJECTION_GUARD = re.compile(r"^'(?=[=+\-@\t\r])")
ESCAPE = "'"
_TEXT_FIELDS = frozenset({"symptom", "typed", "note", "level", "advice", "measure", "measure_unit"})
_EXPORT_FIELDS = {
    "occurred at": "time",
    "symptom": "symptom",
    "symptom as typed": "typed",
    "severity": "severity",
    "note": "note",
    "advice level": "level",
    "advice": "advice",
    "answers": "answers",
    "measure": "measure",
    "measure value": "measure_value",
    "measure unit": "measure_unit",
}


_ORIGINAL_FIELDS = {
    "symptom": "symptom",
    "severity level": "severity",
    "recommendation": "advice",
    "note": "note",
    "notes": "note",
}


_ORIGINAL_TIME_COLUMNS = ("timestamp", "date time", "datetime", "date/time", "occurred at", "when", "date")
_LEVELS = {
    key: str(level)
    for level in TriageLevel
    for key in (str(level), str(level).replace("_", " "), level.label.casefold())
}


_COLUMNS_HELP = (
    "An export from this app has the columns occurred_at, symptom and severity; "
    "the original app's table has Symptom, Severity Level and Recommendation."
)


class ImportSource(StrEnum):
    CSV_EXPORT = "csv export"
    EXCEL_EXPORT = "excel export"
    ORIGINAL_TABLE = "original table"


@dataclass(frozen=True)
class ImportRow:
    """One valid row of the file; `row` is its spreadsheet row number (the header is row 1)."""

    row: int
    symptom_text: str
    symptom: str | None  # the file's own canonical name, when it has one
    severity: int
    occurred_at: datetime  # aware, UTC
    note: str | None
    level: str | None
    advice: str | None
    confidence: float | None = None  # set when the check-in was assessed at import
    model_version: str | None = None
    answers: tuple[tuple[str, str], ...] = ()  # (question id, yes / no / not_sure) of its check-in


@dataclass(frozen=True)
class MeasureRow:
    """One measure value of our export (a row with `measure` set); checked against its measure on writing."""

    row: int
    measure: str
    unit: str
    value: float
    occurred_at: datetime  # aware, UTC


@dataclass(frozen=True)
class ImportPlan:
    """Every row of a file, parsed and checked, ready for `import_entries`."""

    source: ImportSource
    rows: tuple[ImportRow, ...]
    default_time: datetime | None = None  # set when the file had no times and every row got this one
    measures: tuple[MeasureRow, ...] = ()


@dataclass(frozen=True)
class _Layout:
    source: ImportSource
    columns: dict[str, int]  # field -> position; "clock" is the original table's separate Time column


def parse_import(
    data: bytes, filename: str, tz: str, now: datetime, default_time: datetime | None = None
) -> ImportPlan:
    """Return the checked rows of an export or original-app file (CSV or .xlsx), touching no database.

    Raises ValidationError: {"file": why} for a file that cannot be read, else {"row 7": why, …} for
    every bad row.
    """
    zone = _zone(tz)
    table, excel = read_table(data, filename)
    layout = _layout(table.header, excel)
    if "time" not in layout.columns and default_time is None:
        raise file_error(
            "This is the original app's table, which has no Date or Timestamp column, so we cannot "
            "tell when each symptom happened. Add a Date column, or choose one time for every row."
        )
    rows: list[ImportRow] = []
    measures: list[MeasureRow] = []
    problems: dict[str, str] = {}
    more = 0
    for number, cells in table.records:
        parsed: ImportRow | MeasureRow | str
        if _cell(cells, layout, "measure") is not None:
            parsed = _parse_measure_row(number, cells, layout, zone, now)
        else:
            parsed = _parse_row(number, cells, layout, zone, now, default_time)
        if isinstance(parsed, MeasureRow):
            measures.append(parsed)
        elif isinstance(parsed, ImportRow):
            rows.append(parsed)
        elif len(problems) < MAX_PROBLEMS_LISTED:
            problems[f"row {number}"] = parsed
        else:
            more += 1
    if more:
        problems["more rows"] = f"{more:,} more rows have problems too; fix the ones above and try again."
    if problems:
        raise ValidationError(problems)
    if not rows and not measures:
        raise file_error("The file has a header but no entries to import.")
    untimed = "time" not in layout.columns
    return ImportPlan(layout.source, tuple(rows), default_time if untimed else None, tuple(measures))


def _parse_measure_row(
    number: int, cells: Sequence[object], layout: _Layout, zone: tzinfo, now: datetime
) -> MeasureRow | str:
    """Return the checked measure row (name, number, time), or why it is bad (the range: on writing)."""
    name = clean_text(_cell(cells, layout, "measure"))
    unit = clean_text(_cell(cells, layout, "measure_unit") or "")
    raw = _cell(cells, layout, "measure_value")
    try:
        value = float(str(raw).strip()) if raw is not None else None
    except ValueError:
        value = None
    occurred_at = _occurred_at(_cell(cells, layout, "time"), zone)
    problems = [
        None
        if name and len(name) <= MEASURE_NAME_MAX_LENGTH
        else "The measure needs a name of up to 40 characters.",
        None if value is not None and math.isfinite(value) else f"The measure value {raw!r} is not a number.",
        occurred_at if isinstance(occurred_at, str) else occurred_at_error(occurred_at, now),
    ]
    if messages := [message for message in problems if message]:
        return " ".join(messages)
    return MeasureRow(number, name, unit, value, occurred_at)  # type: ignore[arg-type]  # checked above


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError({"tz": f"{tz!r} is not a time zone we know (e.g. Europe/London)."}) from error


def _blank(value: object) -> bool:
    return blank(value)


def _column_key(name: object) -> str:
    return " ".join(re.split(r"[\s_]+", clean_text(name).casefold())).strip()


def _layout(header: Sequence[object], excel: bool) -> _Layout:
    """Return which kind of table this is and where each field is. Raises ValidationError."""
    position: dict[str, int] = {}
    for index, name in enumerate(header):
        position.setdefault(_column_key(name), index)
    if "severity level" in position and "symptom" in position:
        columns = {field: position[key] for key, field in _ORIGINAL_FIELDS.items() if key in position}
        time_column = next((key for key in (*_ORIGINAL_TIME_COLUMNS, "time") if key in position), None)
        if time_column is not None:
            columns["time"] = position[time_column]
        if time_column == "date" and "time" in position:
            columns["clock"] = position["time"]
        return _Layout(ImportSource.ORIGINAL_TABLE, columns)
    columns = {field: position[key] for key, field in _EXPORT_FIELDS.items() if key in position}
    missing = [key.replace(" ", "_") for key in ("occurred at", "severity") if key not in position]
    if "symptom" not in columns and "typed" not in columns:
        missing.insert(1, "symptom")
    if missing:
        raise file_error(f"The file has no {', '.join(missing)} column. {_COLUMNS_HELP}")
    return _Layout(ImportSource.EXCEL_EXPORT if excel else ImportSource.CSV_EXPORT, columns)


def _cell(cells: Sequence[object], layout: _Layout, field: str) -> object:
    """Return the cell for `field`, blank as None and text without its formula-guard apostrophe."""
    index = layout.columns.get(field)
    value = cells[index] if index is not None and index < len(cells) else None
    if isinstance(value, str) and layout.source is ImportSource.CSV_EXPORT and field in _TEXT_FIELDS:
        value = value.removeprefix(ESCAPE)
    elif isinstance(value, str):
        value = INJECTION_GUARD.sub("", value.strip())
    return None if _blank(value) else value


def _text(value: object) -> str | None:
    return None if value is None else clean_note(str(value)) or None


def _parse_row(
    number: int,
    cells: Sequence[object],
    layout: _Layout,
    zone: tzinfo,
    now: datetime,
    default: datetime | None,
) -> ImportRow | str:
    """Return the checked row, or why it is bad."""
    symptom = _text(_cell(cells, layout, "symptom"))
    typed = _text(_cell(cells, layout, "typed")) or symptom or ""
    raw_severity = _cell(cells, layout, "severity")
    severity = _severity(raw_severity)
    raw_time = _combined_time(_cell(cells, layout, "time"), _cell(cells, layout, "clock"))
    occurred_at = _occurred_at(raw_time if "time" in layout.columns else default, zone)
    note, level = _text(_cell(cells, layout, "note")), _text(_cell(cells, layout, "level"))
    problems = [
        symptom_error(typed),
        symptom_error(symptom) if symptom and symptom != typed else None,
        _with_value(severity_error(severity), raw_severity, layout.source),
        occurred_at if isinstance(occurred_at, str) else occurred_at_error(occurred_at, now),
        note_error(note),
        _level_error(level),
    ]
    answers = _answers(_text(_cell(cells, layout, "answers")))
    problems.append(answers if isinstance(answers, str) else None)
    if messages := [message for message in problems if message]:
        return " ".join(messages)
    return ImportRow(
        row=number,
        symptom_text=clean_text(typed),
        symptom=clean_text(symptom) if symptom else None,
        severity=int(severity),  # type: ignore[call-overload]  # severity_error proved a whole number
        occurred_at=occurred_at,  # type: ignore[arg-type]  # occurred_at_error proved a datetime
        note=note,
        level=_LEVELS.get(level.casefold()) if level else None,
        advice=_text(_cell(cells, layout, "advice")),
        answers=answers if isinstance(answers, tuple) else (),
    )


def _answers(text: str | None) -> tuple[tuple[str, str], ...] | str:
    """Return the answers cell checked against the question table, or why it is bad."""
    if not text:
        return ()
    try:
        given = default_question_book().answers(parse_answers_text(text))
    except (ValueError, ValidationError) as error:
        message = "; ".join(error.errors.values()) if isinstance(error, ValidationError) else str(error)
        return f"The answers “{text}” cannot be read: {message}"
    return tuple((key, str(answer)) for key, answer in given.items())


def _with_value(message: str | None, raw: object, source: ImportSource) -> str | None:
    if not message or raw is None:
        return message
    original = source is ImportSource.ORIGINAL_TABLE
    words = " (or Very mild, Mild, Moderate, Severe, Very severe)" if original else ""
    return f"{message[:-1]}{words}. The file says “{raw}”."


def _severity(value: object) -> object:
    """Return a number from "3", "3.0", 3.0 or a word (Mild, Severe, …); other values unchanged."""
    if not isinstance(value, str):
        return value
    if (word := ORIGINAL_SEVERITY_WORDS.get(" ".join(value.casefold().split()))) is not None:
        return word
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


def _level_error(level: str | None) -> str | None:
    if level is None or level.casefold() in _LEVELS:
        return None
    return f"Advice level “{level}” is not one we know (self_care, see_doctor, urgent, emergency)."


def _combined_time(day: object, clock: object) -> object:
    """Return one value from the original table's separate Date and Time cells."""
    if clock is None or day is None:
        return day
    day_text = day.date().isoformat() if isinstance(day, datetime) else day
    day_text = day_text.isoformat() if isinstance(day_text, date) else str(day_text)
    clock_text = clock.time().isoformat() if isinstance(clock, datetime) else clock
    clock_text = clock_text.isoformat() if isinstance(clock_text, time) else str(clock_text)
    return f"{day_text} {clock_text}"


def _occurred_at(value: object, zone: tzinfo) -> datetime | str | None:
    """Return the moment in UTC, None when missing, or why it cannot be read."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return f"“{value}” is not a date and time we can read; please write it like 2026-11-24 09:30."
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if not isinstance(value, datetime):
        return f"“{value}” is not a date and time we can read; please write it like 2026-11-24 09:30."
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone, fold=0)
    if value.year < MIN_YEAR:
        return f"“{value:%Y-%m-%d}” is too long ago; please give a time after {MIN_YEAR}."
    try:
        return value.astimezone(UTC)
    except OverflowError:  # 9999-12-31 west of UTC is past the last date Python has
        return f"“{value:%Y-%m-%d}” is not a date we can store."
