"""Property-based tests with hostile input through the command line, run in-process.

Every command exits 0 (done) or 2 (a plain `error: …` message), never with a traceback. Arguments hold
no NUL (a C argv cannot) and no lone surrogates (they only appear for undecodable bytes, which stdout
writes back with surrogateescape).
"""

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hostile import FUZZ, clean_hostile_text, examples, hostile_text
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tracker.care_team.access import LOCAL
from tracker.cli import build_parser, main
from tracker.diary.entries import store_check_in
from tracker.diary.patients import add_patient
from tracker.diary.validation import EntryInput, clean_text
from tracker.levels import TriageLevel
from tracker.storage.engine import create_db_engine, session_factory
from tracker.storage.tables import CheckIn, SymptomEntry

COMMANDS = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
LEVELS = {str(level) for level in TriageLevel}
CASE_COLUMNS = ["case_id", "symptoms", "gold", "acceptable"]
EXPORT_HEADER = "occurred_at,symptom,severity,note\r\n"


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    """Return (exit status, stdout, stderr) of the CLI; argparse's own exits count as statuses."""
    try:
        status = main(argv)
    except SystemExit as exit_:
        status = 0 if exit_.code is None else exit_.code if isinstance(exit_.code, int) else 2
    out, err = capsys.readouterr()
    return status, out, err


def assert_clean_exit(status: int, out: str, err: str) -> None:
    assert status in (0, 2)
    assert "Traceback" not in out + err
    assert (out if status == 0 else err).strip(), "a result or a message is printed"


argv_text = clean_hostile_text(max_size=30, huge=False)
severity_text = st.one_of(
    st.integers(-10, 10).map(str),
    st.sampled_from(["3.0", "nan", "inf", "٣", "３", " 4 ", "1_0", "9" * 5000, "", "0x3", "True"]),
    argv_text,
)
symptom_arguments = st.one_of(
    st.builds(
        lambda name, sep, value: f"{name}{sep}{value}", argv_text, st.sampled_from("=:"), severity_text
    ),
    argv_text,
)


@settings(FUZZ, max_examples=examples(120))
@given(
    symptoms=st.lists(symptom_arguments, min_size=1, max_size=4),
    note=st.one_of(st.none(), argv_text, st.just("x" * 100_000)),
    as_json=st.booleans(),
)
def test_assess_with_any_arguments_exits_0_or_2_never_with_a_traceback(capsys, symptoms, note, as_json):
    argv = ["assess", "--", *symptoms]  # "--": a symptom may start with "-"
    argv[1:1] = [*(["--note", note] if note is not None else []), *(["--json"] if as_json else [])]
    assert_clean_exit(*run(capsys, argv))


@settings(FUZZ, max_examples=examples(30))
@given(argv=st.lists(argv_text, max_size=4))
def test_assess_with_arbitrary_options_exits_0_or_2(capsys, argv):
    status, out, err = run(capsys, ["assess", *argv])
    assert status in (0, 2) and "Traceback" not in out + err


def cases_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([CASE_COLUMNS, *rows])
    return buffer.getvalue().encode()


def not_a_whole_number(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return True
    return False


bad_symptom_cells = st.one_of(
    # ";" separates pairs, so a value holding one could end in a valid pair: values have none.
    st.builds(
        lambda name, value: f"{name}:{value}",
        argv_text,
        argv_text.filter(lambda text: ";" not in text and not_a_whole_number(text)),
    ),
    argv_text.filter(lambda text: ":" not in text and any(part.strip() for part in text.split(";"))),
)
malformed_cases = st.one_of(
    st.binary(min_size=1, max_size=500).filter(lambda data: b"case_id" not in data),
    st.sampled_from(
        [
            b"",
            b"\xef\xbb\xbf",
            b"\xff\xfe",
            (",".join(f"c{i}" for i in range(10_000)) + "\n").encode(),
            "case_id,symptoms,gold,acceptable\n1,Fièvre:3,self_care,\n".encode("latin-1"),
            "case_id,symptoms,gold,acceptable\n1,Headache:3,self_care,\n".encode("utf-16"),
            b'case_id,symptoms,gold,acceptable\n1,"Headache:3,self_care,\n',
            b"PK\x03\x04" + bytes(100),
        ]
    ),
    st.builds(lambda cell: cases_csv([["1", cell, "self_care", ""]]), bad_symptom_cells),
    st.builds(
        lambda gold: cases_csv([["1", "Headache:3", gold, ""]]),
        argv_text.filter(lambda text: text.strip() not in LEVELS),
    ),
)


@settings(FUZZ, max_examples=examples(40))
@given(data=malformed_cases)
def test_evaluate_on_a_malformed_cases_file_exits_2_with_a_message(capsys, tmp_path, data):
    path = tmp_path / "cases.csv"
    path.write_bytes(data)
    status, out, err = run(capsys, ["evaluate", str(path)])
    assert status == 2, out
    assert err.startswith("error:") and "Traceback" not in err


# --- import (when the command exists) -----------------------------------------------------------------

needs_import = pytest.mark.skipif("import" not in COMMANDS, reason="the CLI has no import command yet")


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    with session_factory(create_db_engine(url)).begin() as session:
        patient_id = add_patient(session, LOCAL, "Ada").id
        store_check_in(
            session, LOCAL, patient_id, [EntryInput("Cough", 2, datetime.now(UTC) - timedelta(days=1))]
        )
    return url


def stored_counts(url: str) -> tuple[int, int]:
    with session_factory(create_db_engine(url, migrate=False)).begin() as session:
        return (
            session.scalar(select(func.count()).select_from(SymptomEntry)) or 0,
            session.scalar(select(func.count()).select_from(CheckIn)) or 0,
        )


malformed_imports = st.one_of(
    st.binary(min_size=1, max_size=300).filter(lambda data: b"occurred" not in data.lower()),
    st.sampled_from(
        [
            b"",
            b"\xef\xbb\xbf",
            b"PK\x03\x04" + bytes(60),
            (",".join(f"c{i}" for i in range(10_000)) + "\r\n").encode(),
            EXPORT_HEADER.encode(),
            f"{EXPORT_HEADER}2026-13-45 25:61,Cough,2,\r\n".encode(),
            f"{EXPORT_HEADER}2999-01-01 10:00,Cough,2,\r\n".encode(),  # in the future
        ]
    ),
    st.builds(
        lambda symptom, severity: f"{EXPORT_HEADER}2026-01-01 10:00,{symptom},{severity},\r\n".encode(),
        hostile_text(max_size=20, huge=False).filter(lambda t: "\x00" not in t and t.isprintable()),
        st.sampled_from(["0", "6", "nan", "two", "2.5", ""]),
    ),
)


@needs_import
@settings(FUZZ, max_examples=examples(12))
@given(data=malformed_imports, suffix=st.sampled_from([".csv", ".xlsx"]))
def test_import_of_a_malformed_file_exits_2_and_changes_nothing(capsys, tmp_path, database, data, suffix):
    path = tmp_path / f"upload{suffix}"
    path.write_bytes(data)
    before = stored_counts(database)
    status, out, err = run(capsys, ["import", str(path), "--patient", "Ada", "--database-url", database])
    assert status == 2, out
    assert err.startswith("error:") and "Traceback" not in err
    assert stored_counts(database) == before


@needs_import
@settings(FUZZ, max_examples=examples(12))
@given(
    patient=clean_hostile_text(max_size=20, huge=False).filter(lambda t: clean_text(t).casefold() != "ada"),
    tz=clean_hostile_text(max_size=20, huge=False),
    default_time=st.one_of(st.none(), clean_hostile_text(max_size=20, huge=False)),
)
def test_import_with_hostile_options_exits_2_and_changes_nothing(
    capsys, tmp_path, database, patient, tz, default_time
):
    path = tmp_path / "upload.csv"
    path.write_text(f"{EXPORT_HEADER}2026-01-01 10:00,Cough,2,\r\n")
    argv = ["import", str(path), "--patient", patient, "--tz", tz, "--database-url", database]
    argv += ["--default-time", default_time] if default_time is not None else []
    before = stored_counts(database)
    status, _out, err = run(capsys, argv)
    assert status == 2 and "Traceback" not in err  # no such patient, or an unknown zone
    assert stored_counts(database) == before


@needs_import
@pytest.mark.parametrize(
    ("content", "options"),
    [
        (f"{EXPORT_HEADER}0001-01-01T00:00:00+05:00,Cough,2,\r\n", []),
        (
            "Symptom,Severity Level\r\nCough,Mild\r\n",
            ["--default-time", "0001-01-01T00:00", "--tz", "Asia/Tokyo"],
        ),
    ],
    ids=["cell", "default-time"],
)
def test_import_of_a_year_one_time_exits_2_with_a_message(capsys, tmp_path, database, content, options):
    path = tmp_path / "upload.csv"
    path.write_text(content)
    status, _out, err = run(
        capsys, ["import", str(path), "--patient", "Ada", "--database-url", database, *options]
    )
    assert status == 2 and err.startswith("error:")
