"""Read an uploaded CSV or .xlsx as rows of cells, streaming, within limits a hostile file cannot pass.

A 92 KB workbook can declare ten million rows and a 700 KB one can unpack to 174 MB, so nothing here
trusts the file: the zip's declared sizes and compression ratios are checked before any XML is parsed,
the sheet is read one row at a time (openpyxl's read-only parser, row numbers checked as they come),
and rows, columns and reading time are counted while streaming. Every refusal is one plain message.
"""

import codecs
import csv
import io
import time
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import openpyxl
from openpyxl.worksheet._reader import WorkSheetParser

from tracker.errors import ValidationError

FILE_KEY = "file"
MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_IMPORT_ROWS = 200_000  # rows with something in them, header excluded
# Blank rows are cheap to write and expensive to read: past this many rows in all (or a row numbered
# past it) the file is refused, whatever it holds.
MAX_SHEET_ROWS = MAX_IMPORT_ROWS + 20_000
MAX_COLUMNS = 64  # our export has 8; the original table 3 to 5
# An .xlsx is a zip: our 200,000-row export unpacks to about 60 MB and compresses 5-15 times; a zip bomb
# unpacks hundreds or thousands of times its size. Both are read from the zip's directory, before parsing.
MAX_UNZIPPED_BYTES = 120 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024  # small parts (styles, a few rows) may compress better, harmlessly
MAX_READ_SECONDS = 60.0  # a 200,000-row file reads in well under 20 s
DEADLINE_EVERY = 1_000  # rows between clock checks
ENTRIES_SHEET = "Entries"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected .xlsx
_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
DAMAGED_EXCEL = "The Excel file is damaged or not an .xlsx workbook, so it cannot be read."
_SPLIT = "Please split it into smaller files."

Cells = Sequence[object]


@dataclass(frozen=True)
class Table:
    """The first non-blank row, and an iterator over the other non-blank ones (row number, cells)."""

    header: Cells
    records: Iterator[tuple[int, Cells]]


def file_error(message: str) -> ValidationError:
    return ValidationError({FILE_KEY: message})


def read_table(data: bytes, filename: str) -> tuple[Table, bool]:
    """Return the file's table and whether it is a workbook. Raises ValidationError {"file": why}.

    The records are checked as they are read: iterating them may raise the same error (too many rows
    or columns, too slow to read).
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise file_error(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_IMPORT_BYTES // 1024 // 1024} MB. {_SPLIT}"
        )
    if not data.strip():
        raise file_error("The file is empty.")
    excel = is_excel(data, filename)
    rows = _excel_rows(data) if excel else _csv_rows(data)
    return _table(_limited(rows, time.monotonic() + MAX_READ_SECONDS)), excel


def is_excel(data: bytes, filename: str) -> bool:
    """Return True for an .xlsx workbook, False for text; the content decides, the name only explains."""
    if data.startswith(_ZIP_MAGIC):
        return True
    if data.startswith(_OLE2_MAGIC):
        raise file_error(
            "This is an old-style .xls or a password-protected workbook. "
            "Please save it as .xlsx without a password, or as CSV."
        )
    if filename.casefold().endswith(_EXCEL_SUFFIXES):
        raise file_error(f"{filename} is named like an Excel file but is not an .xlsx workbook.")
    return False


def _limited(rows: Iterator[tuple[int, Cells]], deadline: float) -> Iterator[tuple[int, Cells]]:
    """Yield the rows, refusing the file at the first row past a limit (count, number, width, time)."""
    for seen, (number, cells) in enumerate(rows, start=1):
        if seen > MAX_SHEET_ROWS or number > MAX_SHEET_ROWS:
            raise file_error(f"The file has more than {MAX_IMPORT_ROWS:,} rows. {_SPLIT}")
        if len(cells) > MAX_COLUMNS:
            raise file_error(f"Row {number} has more than {MAX_COLUMNS} columns; is this the right file?")
        if seen % DEADLINE_EVERY == 0 and time.monotonic() > deadline:
            raise file_error(f"The file took too long to read. {_SPLIT}")
        yield number, cells


def _table(rows: Iterator[tuple[int, Cells]]) -> Table:
    """Return the first non-blank row as the header; the rest stream. Raises ValidationError."""
    filled = (row for row in rows if not all(blank(cell) for cell in row[1]))
    first = next(filled, None)
    if first is None:
        raise file_error("The file is empty.")
    return Table(first[1], _at_most(filled, MAX_IMPORT_ROWS))


def _at_most(rows: Iterator[tuple[int, Cells]], limit: int) -> Iterator[tuple[int, Cells]]:
    for count, row in enumerate(rows, start=1):
        if count > limit:
            raise file_error(f"The file has more than {limit:,} rows. {_SPLIT}")
        yield row


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _csv_rows(data: bytes) -> Iterator[tuple[int, Cells]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # Excel writes ";" where "," is the decimal mark
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        line = reader.line_num
        raise file_error(f"The CSV file is damaged near line {line} and cannot be read.") from error


def _decode(data: bytes) -> str:
    """Return the file as text. Raises ValidationError for binary content."""
    encodings = ("utf-16",) if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else ()
    for encoding in (*encodings, "utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Text has no NUL and hardly any control characters (a pasted form feed); binary junk has many.
        sample = text[:65536]
        # Format characters (zero-width joiners in emoji, direction marks) are text, not binary.
        controls = sum(
            1
            for ch in sample
            if not ch.isprintable() and ch not in "\r\n\t" and unicodedata.category(ch) != "Cf"
        )
        if "\x00" not in sample and controls <= 2 + len(sample) // 100:
            return text
    raise file_error("This is not a CSV or Excel file. Please choose a .csv or .xlsx export.")


def check_zip(data: bytes) -> None:
    """Refuse a workbook whose parts declare too much unpacked data, or compress like a zip bomb.

    zipfile stops at each part's declared size (and fails the CRC past it), so a part cannot unpack
    to more than its directory entry claims.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise file_error(DAMAGED_EXCEL) from error
    unzipped = sum(part.file_size for part in parts)
    bomb = any(
        part.file_size > RATIO_CHECKED_FROM
        and part.file_size > MAX_COMPRESSION_RATIO * max(part.compress_size, 1)
        for part in parts
    )
    if unzipped > MAX_UNZIPPED_BYTES or bomb:
        raise file_error(f"The Excel file unpacks to more data than we accept. {_SPLIT}")


def _excel_rows(data: bytes) -> Iterator[tuple[int, Cells]]:
    check_zip(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on damaged files; a person needs one message
        raise file_error(DAMAGED_EXCEL) from error
    try:
        yield from _sheet_rows(book)
    except ValidationError:
        raise
    except Exception as error:
        raise file_error(DAMAGED_EXCEL) from error
    finally:
        book.close()


def _sheet_rows(book: openpyxl.Workbook) -> Iterator[tuple[int, Cells]]:
    """Yield (row number, values) as stored: missing rows are not invented, cells are placed by column.

    openpyxl's own iterator pads the gap before a row numbered 10,000,000 with empty rows and keeps
    every row's height; its parser, driven here, lets the row number be checked first.
    """
    named = [name for name in book.sheetnames if name.casefold() == ENTRIES_SHEET.casefold()]
    sheet = book[named[0]] if named else book.worksheets[0]
    with sheet._get_source() as source:  # type: ignore[union-attr]
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,  # type: ignore[union-attr]
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            parser.row_dimensions.clear()  # heights of rows already read: not needed, and unbounded
            if number > MAX_SHEET_ROWS:
                raise file_error(f"The file has more than {MAX_IMPORT_ROWS:,} rows. {_SPLIT}")
            width = max((cell["column"] for cell in cells), default=0)
            if width > MAX_COLUMNS:
                raise file_error(f"Row {number} has more than {MAX_COLUMNS} columns; is this the right file?")
            values: list[object] = [None] * width
            for cell in cells:
                values[cell["column"] - 1] = cell["value"]
            yield number, values
