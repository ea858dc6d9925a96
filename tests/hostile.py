"""Hypothesis strategies for hostile input, shared by the tests/test_fuzz_*.py files.

Every property runs with FUZZ settings: derandomized (the same examples on every run, so CI is
deterministic), no example database, no deadline (database round trips vary), and function-scoped
fixtures allowed (each example makes its own patient, so examples do not see each other's rows).

Known bugs are kept out of the general strategies (`clean_only`) and pinned by xfail tests instead,
so the properties guard everything else today; when a bug is fixed its xfail test turns XPASS (strict)
and the exclusion here can go.
"""

import math
import os
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

# The everyday loop tries a few examples per property (each makes its own patient, some run the app);
# CI (HYPOTHESIS_PROFILE=ci) runs the full count written next to each property.
DEV_MAX_EXAMPLES = 5


def examples(count: int) -> int:
    """Return `count` under the `ci` Hypothesis profile, at most DEV_MAX_EXAMPLES in the everyday loop."""
    if os.environ.get("HYPOTHESIS_PROFILE", "dev") == "ci":
        return count
    return min(count, DEV_MAX_EXAMPLES)


HUGE = 100_000
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SQL = "'; DROP TABLE patients; --"
MARKDOWN = "**bold** _it_ [link](https://evil.example) ![img](https://evil.example/p.png) :red[x] $x^2$"
NUL = "\x00"
SURROGATE = "\ud800"
RTL_OVERRIDE = "\u202e"
FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # one emoji made of four joined by zero-width joiners

SAMPLES = (
    SCRIPT,
    IMG,
    SQL,
    MARKDOWN,
    "Robert'); DROP TABLE symptom_entries;--",
    "\x1b[31mred\x1b[0m",
    f"{RTL_OVERRIDE}gnp.exe",
    FAMILY,
    "e\u0301",  # NFD é
    "\u00e9",  # NFC é
    "Z\u0351\u0364\u036b\u0353a\u0337l\u0358g\u0311o",  # combining marks
    "=1+2",
    "+cmd|' /C calc'!A0",
    "-2",
    "@SUM(A1)",
    "'quoted",
    "''",
    '"',
    ",",
    ";",
    "\t",
    "a\tb\nc\r\nd\re",
    "\u200b\u200c\u200d\ufeff",
    "\u2028\u2029\x85",
    "\x7f\x1f\x0c\x0b",
    "%s%n%x{0}{__class__}",
    "../../etc/passwd",
    "null",
    "None",
    "NaN",
    "\\",
    "   ",
    "",
    "Chest pain",
    "chest pain",
    "CAN'T BREATHE",
    "tummy ache",
    "כאב ראש",
    "头痛",
    "🤕🤒🤧",
    "\U0010fffd",
    f"a{NUL}b",
    SURROGATE,
    "\udfff\ud800",
)


def _is_surrogate(ch: str) -> bool:
    return "\ud800" <= ch <= "\udfff"


def clean_only(text: str) -> bool:
    """Return False for text that trips a known bug (none left: NUL and lone surrogates are cleaned)."""
    return True


def _repeated(piece: str, times: int) -> str:
    return (piece or "x") * times


# Any code point, surrogates included ("where Python allows"); the clean alphabet leaves out NUL and them.
any_char = st.characters(codec=None, exclude_categories=())
clean_char = st.characters(codec=None, exclude_categories=("Cs",), exclude_characters=NUL)


def hostile_text(max_size: int = 60, huge: bool = True, clean: bool = False) -> st.SearchStrategy[str]:
    """Return a strategy of nasty text: samples, random Unicode, mixes, and (optionally) 10^5 chars.

    `clean=True` leaves out the inputs of known bugs (see `clean_only`).
    """
    samples = st.sampled_from([sample for sample in SAMPLES if not clean or clean_only(sample)])
    alphabet = clean_char if clean else any_char
    parts = [
        samples,
        st.text(alphabet, max_size=max_size),
        st.lists(st.one_of(samples, st.text(alphabet, max_size=8)), max_size=6).map("".join),
    ]
    if huge:
        pieces = ("a", "é", "🤕", " ") if clean else ("a", "é", "🤕", " ", NUL)
        parts.append(st.builds(_repeated, samples, st.just(HUGE // 10)).map(lambda t: t[:HUGE]))
        parts.append(st.builds(_repeated, st.sampled_from(pieces), st.just(HUGE)))
    return st.one_of(*parts)


def clean_hostile_text(max_size: int = 60, huge: bool = True) -> st.SearchStrategy[str]:
    """Return hostile text without the inputs of known bugs (see `clean_only`)."""
    return hostile_text(max_size, huge, clean=True)


def _integral_floats() -> st.SearchStrategy[float]:
    return st.integers(1, 5).map(float)


good_severities = st.one_of(st.integers(1, 5), _integral_floats())
bad_severities = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf, 0, 6, -1, 2.5, 1e308, -0.0, True, False, None]),
    st.integers().filter(lambda n: not 1 <= n <= 5),
    st.floats(allow_nan=True).filter(lambda x: not (x == x and x.is_integer() and 1 <= x <= 5)),
    st.text(max_size=5),
    st.builds(str, st.integers(1, 5)),
    st.builds(Decimal, st.integers(1, 5)),
    st.binary(max_size=3),
    st.lists(st.integers(1, 5), max_size=2),
)
severities = st.one_of(good_severities, bad_severities)

offsets = st.builds(timezone, st.integers(-1439, 1439).map(lambda minutes: timedelta(minutes=minutes)))


def times(now: datetime, *, earliest: datetime = datetime(1, 1, 1)) -> st.SearchStrategy[object]:
    """Return times to log: aware in any offset (year 1 to 9999), naive, and a few non-times."""
    aware = st.datetimes(min_value=earliest, max_value=datetime(9999, 12, 30), timezones=offsets)
    recent = st.datetimes(
        min_value=(now - timedelta(days=400)).replace(tzinfo=None),
        max_value=(now + timedelta(minutes=10)).replace(tzinfo=None),
        timezones=st.just(UTC),
    )
    naive = st.datetimes(min_value=earliest)
    junk = st.sampled_from([None, "2026-11-25 10:00", 0, now.date(), math.nan])
    return st.one_of(recent, recent, aware, naive, junk)


def notes() -> st.SearchStrategy[object]:
    """Return notes without the known-bug characters: None, hostile text, and exactly 1000/1001 chars."""
    return st.one_of(
        st.none(),
        clean_hostile_text(),
        st.sampled_from(("n" * 1000, "n" * 1001, " " * 1500 + "x", "🤕" * 1000)),
    )


# Hostile files for imports: tiny uploads that declare or unpack to far more than they hold.
SHEET_PART = "xl/worksheets/sheet1.xml"
SHEET_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>occurred_at</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>symptom</t></is></c><c r="C1" t="inlineStr"><is><t>severity</t></is></c>'
    b"</row>"
)
SHEET_CLOSE = b"</sheetData></worksheet>"


def workbook_with_rows(chunks: Iterable[bytes]) -> bytes:
    """Return an .xlsx whose one sheet has our header row and then the XML rows in `chunks`."""
    import io
    import zipfile

    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    template = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in template.infolist():
            if part.filename != SHEET_PART:
                archive.writestr(part, template.read(part))
        with archive.open(SHEET_PART, "w", force_zip64=True) as sheet:
            sheet.write(SHEET_OPEN)
            for chunk in chunks:
                sheet.write(chunk)
            sheet.write(SHEET_CLOSE)
    return out.getvalue()


def _blank_rows(count: int, batch: int = 100_000) -> Iterator[bytes]:
    chunk = b"<row/>" * batch  # no row numbers: each counts on from the last
    for start in range(0, count, batch):
        yield chunk[: 6 * min(batch, count - start)]


def workbook_declaring_rows(count: int = 10_000_000) -> bytes:
    """Return a small .xlsx with `count` blank rows (about 60 KB for ten million)."""
    return workbook_with_rows(_blank_rows(count))


def workbook_with_a_far_row(number: int = 10_000_000) -> bytes:
    """Return a tiny .xlsx whose second row is numbered `number`: a reader padding the gap makes millions."""
    row = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>2026-11-24</t></is></c></row>' % (number, number)
    return workbook_with_rows([row])


def workbook_zip_bomb(unpacked_mb: int = 174) -> bytes:
    """Return an .xlsx of repeated rows that unpacks to about `unpacked_mb` MB."""
    row = b'<row><c t="inlineStr"><is><t>2026-11-24 08:00</t></is></c><c t="inlineStr"><is><t>Fever</t></is></c><c><v>3</v></c></row>'  # noqa: E501
    chunk = row * 10_000
    return workbook_with_rows(chunk for _ in range(unpacked_mb * 1024 * 1024 // len(chunk)))


def workbook_with_wide_row(columns: int = 16_000) -> bytes:
    """Return an .xlsx whose second row has `columns` cells."""
    return workbook_with_rows([b"<row>" + b"<c><v>1</v></c>" * columns + b"</row>"])
