"""Write parsed import rows in one short transaction: check-ins and entries in bulk, duplicates skipped."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tracker.care_team.access import Actor, Permission, require
from tracker.diary.entries import bump_revision
from tracker.diary.validation import (
    clean_text,
)
from tracker.measures.store import import_values
from tracker.storage.limits import QUESTION_MAX_LENGTH
from tracker.storage.tables import CheckIn, CheckInAnswer, SymptomEntry
from tracker.transfer.import_files import (
    MAX_IMPORT_BYTES,
    file_error,
)
from tracker.transfer.imports import CARE_NOW_LEVELS, DuplicateKey, ImportPlan, ImportRow, parse_import
from tracker.triage.follow_up import default_question_book
from tracker.triage.vocabulary import Vocabulary


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped_duplicates: int
    needs_care: tuple[ImportRow, ...] = ()  # added rows whose advice was urgent or emergency care
    default_time: datetime | None = None  # the time given to every row of a file without times
    measures_added: int = 0  # measure values (our CSV's measure rows)


# The tables behind the ORM classes, for `_bulk_insert`.
_CHECK_INS = cast(Table, CheckIn.__table__)
_ENTRIES = cast(Table, SymptomEntry.__table__)
_ANSWERS = cast(Table, CheckInAnswer.__table__)


def _duplicate_key(occurred_at: datetime, symptom_text: str, severity: int, note: str | None) -> DuplicateKey:
    return (
        occurred_at.astimezone(UTC).replace(microsecond=0),
        clean_text(symptom_text).casefold(),
        int(severity),
        (note or "").strip(),
    )


def _row_key(row: ImportRow) -> DuplicateKey:
    # parse_import already cleaned the text (clean_text), so only the case is folded here.
    return (
        row.occurred_at.replace(microsecond=0),
        row.symptom_text.casefold(),
        row.severity,
        (row.note or "").strip(),
    )


def import_entries(
    session: Session, actor: Actor, patient_id: int, plan: ImportPlan, vocabulary: Vocabulary, now: datetime
) -> ImportResult:
    """Store the plan's rows that are not already stored, in the caller's transaction; return counts.

    The rows were checked by `parse_import` (and assessed by `assess_import`), so this is one duplicate
    query and two bulk inserts: the write transaction stays short however long the file.
    Raises NotFoundError for an unknown patient. On any error the caller rolls back and nothing changes.
    """
    require(session, actor, patient_id, Permission.WRITE)
    unique: dict[DuplicateKey, ImportRow] = {}
    for row in plan.rows:
        unique.setdefault(_row_key(row), row)
    stored = _stored_keys(session, patient_id, list(unique.values()))
    fresh = sorted((row for key, row in unique.items() if key not in stored), key=lambda r: r.occurred_at)
    groups = list(_check_in_groups(fresh))
    if groups:
        check_in_ids = _new_check_in_ids(session, len(groups))
        _bulk_insert(
            session,
            _CHECK_INS,
            [
                _check_in_values(i, group[0], patient_id, now)
                for i, group in zip(check_in_ids, groups, strict=True)
            ],
        )
        names: dict[tuple[str | None, str], str] = {}
        _bulk_insert(
            session,
            _ENTRIES,
            [
                _entry_values(row, patient_id, check_in_id, now, _canonical(row, vocabulary, names))
                for check_in_id, group in zip(check_in_ids, groups, strict=True)
                for row in group
            ],
        )
        _bulk_insert(
            session,
            _ANSWERS,
            [
                _answer_values(check_in_id, key, answer)
                for check_in_id, group in zip(check_in_ids, groups, strict=True)
                for key, answer in group[0].answers
            ],
        )
        bump_revision(session, actor, patient_id)
    needs_care = tuple(row for row in fresh if row.level in CARE_NOW_LEVELS)
    measured, _ = import_values(session, actor, patient_id, plan.measures, now) if plan.measures else (0, 0)
    return ImportResult(len(fresh), len(plan.rows) - len(fresh), needs_care, plan.default_time, measured)


def _bulk_insert(session: Session, table: Table, rows: list[dict[str, object]]) -> None:
    """Insert `rows` (all with the same keys) in the session's transaction, as fast as the driver can.

    The ORM and Core spend ~30 µs a row on bookkeeping; here each column's own bind processor runs once
    per value, then PostgreSQL gets one COPY and SQLite one executemany. Database errors are raised as
    SQLAlchemy's (IntegrityError …), as any other statement's would be.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    columns = list(rows[0])
    # Column by column, each distinct value processed once (logged_at, patient_id, advice repeat a lot).
    cells: list[Sequence[object]] = list(zip(*(row.values() for row in rows), strict=True))
    for index, name in enumerate(columns):
        if (process := table.c[name].type._cached_bind_processor(dialect)) is not None:
            done: dict[object, object] = {}
            cells[index] = [done[v] if v in done else done.setdefault(v, process(v)) for v in cells[index]]
    values = list(zip(*cells, strict=True))
    names = ", ".join(columns)
    if dialect.name != "postgresql":
        marks = ", ".join("?" for _ in columns)
        connection.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", values)
        return
    raw: Any = connection.connection.driver_connection
    try:
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for value in values:
                copy.write_row(value)
    except dialect.dbapi.Error as error:  # type: ignore[union-attr]
        raise DBAPIError.instance(f"COPY {table.name}", None, error, dialect.dbapi.Error) from error  # type: ignore[union-attr]


def _new_check_in_ids(session: Session, count: int) -> list[int]:
    """Return `count` unused check-in ids, so check-ins and their entries go in as two bulk inserts.

    PostgreSQL hands them out from the table's sequence (safe with other writers). SQLite has one
    writer at a time: a writer that committed since our read makes our insert fail as busy, and the
    whole transaction is retried (write_with_retry).
    """
    if session.get_bind().dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(CheckIn.__tablename__, "id")
        numbers = select(func.nextval(sequence)).select_from(func.generate_series(1, count))
        return sorted(int(number) for number in session.scalars(numbers))
    first = (session.scalar(select(func.max(CheckIn.id))) or 0) + 1
    return list(range(first, first + count))


def _check_in_values(check_in_id: int, row: ImportRow, patient_id: int, now: datetime) -> dict[str, object]:
    return {
        "id": check_in_id,
        "patient_id": patient_id,
        "logged_at": now,
        "level": row.level,
        "advice": row.advice,
        "confidence": row.confidence,
        "model_version": row.model_version,
    }


def _answer_values(check_in_id: int, question_id: str, answer: str) -> dict[str, object]:
    row = default_question_book().by_id[question_id]  # parse_import checked the id
    question = row.text[:QUESTION_MAX_LENGTH]
    return {
        "check_in_id": check_in_id,
        "question_id": question_id,
        "concept": row.concept,
        "question": question,
        "answer": answer,
    }


def _entry_values(
    row: ImportRow, patient_id: int, check_in_id: int, now: datetime, name: str
) -> dict[str, object]:
    return {
        "patient_id": patient_id,
        "check_in_id": check_in_id,
        "symptom": name,
        "symptom_text": row.symptom_text,
        "severity": row.severity,
        "occurred_at": row.occurred_at,
        "logged_at": now,
        "note": row.note,
    }


def _stored_keys(session: Session, patient_id: int, rows: Sequence[ImportRow]) -> set[DuplicateKey]:
    """Return the duplicate keys of stored entries in the rows' time range, with one query."""
    if not rows:
        return set()
    start = min(row.occurred_at for row in rows).replace(microsecond=0)
    end = max(row.occurred_at for row in rows).replace(microsecond=0) + timedelta(seconds=1)
    query = select(
        SymptomEntry.occurred_at, SymptomEntry.symptom_text, SymptomEntry.severity, SymptomEntry.note
    ).where(
        SymptomEntry.patient_id == patient_id,
        SymptomEntry.occurred_at >= start,
        SymptomEntry.occurred_at < end,
    )
    return {_duplicate_key(*stored) for stored in session.execute(query)}


def _check_in_groups(rows: Iterable[ImportRow]) -> Iterator[list[ImportRow]]:
    """Yield rows sharing a time and advice: each group becomes one check-in."""
    groups: dict[tuple, list[ImportRow]] = {}
    for row in rows:
        groups.setdefault((row.occurred_at, row.level, row.advice, row.answers), []).append(row)
    yield from groups.values()


def _canonical(row: ImportRow, vocabulary: Vocabulary, known: dict[tuple[str | None, str], str]) -> str:
    """Return the vocabulary name of the file's symptom, else of the typed text, else the file's text."""
    key = (row.symptom, row.symptom_text)
    if (name := known.get(key)) is None:
        matches = (vocabulary.match(text).canonical for text in key if text)
        name = known[key] = next((found for found in matches if found), row.symptom or row.symptom_text)
    return name


def read_import_file(path: Path) -> bytes:
    """Return the bytes of the file at `path`. Raises ValidationError {"file": why}."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise file_error(f"{path.name} is larger than {MAX_IMPORT_BYTES // 1024 // 1024} MB.")
        return path.read_bytes()
    except OSError as error:
        raise file_error(f"Cannot open {path.name}: {error.strerror or error}.") from error


def import_file(
    session: Session,
    actor: Actor,
    patient_id: int,
    path: Path,
    vocabulary: Vocabulary,
    tz: str,
    now: datetime,
    default_time: datetime | None = None,
) -> ImportResult:
    """Parse the file at `path` and import it as it is. Raises ValidationError or NotFoundError."""
    plan = parse_import(read_import_file(path), Path(path).name, tz, now, default_time)
    return import_entries(session, actor, patient_id, plan, vocabulary, now)
