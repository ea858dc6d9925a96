"""Symptom entries: log check-ins, list, edit and delete."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Select, String, delete, func, select, type_coerce, update
from sqlalchemy.orm import QueryableAttribute, Session

from tracker.care_team.access import Actor, Permission, require
from tracker.diary.validation import (
    EntryInput,
    FactorInput,
    clean_note,
    clean_text,
    factor_errors,
    note_error,
    occurred_at_error,
    require_valid_entries,
    severity_error,
    symptom_error,
    valid_id,
)
from tracker.errors import NotFoundError, ValidationError, raise_if_any
from tracker.storage.limits import QUESTION_MAX_LENGTH
from tracker.storage.tables import CheckIn, CheckInAnswer, CheckInFactor, Patient, SymptomEntry, utcnow

ANSWERS_COLUMN = "answers"  # added by list_entries: the check-in's follow-up answers as one text
ANSWER_SEPARATOR = "; "
ENTRY_COLUMNS = [
    "id",
    "check_in_id",
    "symptom",
    "symptom_text",
    "severity",
    "occurred_at",
    "logged_at",
    "note",
    "level",
    "advice",
    "model_version",
]


@dataclass(frozen=True)
class Recommendation:
    """The advice given at the time of a check-in, stored with it."""

    level: str
    advice: str
    confidence: float
    model_version: str


@dataclass(frozen=True)
class AnswerInput:
    """An answer to a follow-up question, as stored with its check-in (answer: yes, no or not_sure)."""

    question_id: str
    concept: str
    question: str
    answer: str


def store_check_in(
    session: Session,
    actor: Actor,
    patient_id: int,
    entries: Sequence[EntryInput],
    canonical: Sequence[str | None] | None = None,
    recommendation: Recommendation | None = None,
    now: datetime | None = None,
    factors: Sequence[FactorInput] = (),
    answers: Sequence[AnswerInput] = (),
) -> CheckIn:
    """Store an already-assessed check-in of one or several symptoms (factors, answers), all or nothing.

    `canonical[i]` is the vocabulary name for entry i (None keeps the text as typed).
    Raises ValidationError naming each bad field, or NotFoundError for an unknown patient.
    """
    now = now or utcnow()
    require_valid_entries(list(entries), now)
    if problems := factor_errors(list(factors)):
        raise ValidationError(problems)
    require(session, actor, patient_id, Permission.WRITE)
    names = list(canonical) if canonical is not None else [None] * len(entries)
    check_in = CheckIn(patient_id=patient_id, logged_at=now)
    if recommendation is not None:
        check_in.level = recommendation.level
        check_in.advice = recommendation.advice
        check_in.confidence = recommendation.confidence
        check_in.model_version = recommendation.model_version
    for entry, name in zip(entries, names, strict=True):
        typed = clean_text(entry.symptom)
        check_in.entries.append(
            SymptomEntry(
                patient_id=patient_id,
                symptom=name or typed,
                symptom_text=typed,
                severity=int(entry.severity),
                occurred_at=entry.occurred_at,
                logged_at=now,
                note=clean_note(entry.note) or None if entry.note else None,
            )
        )
    for answer in answers:
        check_in.answers.append(
            CheckInAnswer(
                question_id=answer.question_id,
                concept=answer.concept,
                question=answer.question[:QUESTION_MAX_LENGTH],
                answer=answer.answer,
            )
        )
    when = min(entry.occurred_at for entry in entries)
    for factor in factors:
        check_in.factors.append(
            CheckInFactor(
                patient_id=patient_id,
                occurred_at=when,
                kind=factor.kind,
                name=clean_text(factor.name),
                value=factor.value,
            )
        )
    session.add(check_in)
    session.flush()
    bump_revision(session, actor, patient_id)
    return check_in


def raw_time(column: QueryableAttribute[Any], dialect: str) -> ColumnElement[Any]:
    # SQLite keeps times as UTC text; parsing it per row in Python costs ~10 µs a value, so a
    # 100,000-row history is handed to pandas as text and parsed there in one vectorised call.
    return type_coerce(column, String) if dialect == "sqlite" else column.expression


def _entries_query(patient_id: int, dialect: str) -> Select[*tuple[Any, ...]]:
    return (
        select(
            SymptomEntry.id,
            SymptomEntry.check_in_id,
            SymptomEntry.symptom,
            SymptomEntry.symptom_text,
            SymptomEntry.severity,
            raw_time(SymptomEntry.occurred_at, dialect),
            raw_time(SymptomEntry.logged_at, dialect),
            SymptomEntry.note,
            CheckIn.level,
            CheckIn.advice,
            CheckIn.model_version,
        )
        .join(CheckIn, CheckIn.id == SymptomEntry.check_in_id)
        .where(SymptomEntry.patient_id == patient_id)
    )


def list_entries(
    session: Session,
    actor: Actor,
    patient_id: int,
    start: datetime | None = None,
    end: datetime | None = None,
    symptoms: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Return the patient's entries with start <= occurred_at < end, oldest first.

    Columns are ENTRY_COLUMNS; times are pandas UTC timestamps.
    """
    require(session, actor, patient_id)
    query = _entries_query(patient_id, session.get_bind().dialect.name)
    if start is not None:
        query = query.where(SymptomEntry.occurred_at >= start)
    if end is not None:
        query = query.where(SymptomEntry.occurred_at < end)
    if symptoms:
        query = query.where(SymptomEntry.symptom.in_(list(symptoms)))
    rows = session.execute(query.order_by(SymptomEntry.occurred_at, SymptomEntry.id)).all()
    frame = entries_frame(rows)
    answered = check_in_answers(session, actor, patient_id)
    texts = {key: answers_text(found) for key, found in answered.items()}
    frame[ANSWERS_COLUMN] = frame["check_in_id"].map(texts).astype("object").fillna("")
    return frame


def check_in_answers(session: Session, actor: Actor, patient_id: int) -> dict[int, list[AnswerInput]]:
    """Return check-in id -> the follow-up answers stored with it, in the order they were stored."""
    require(session, actor, patient_id)
    query = (
        select(
            CheckInAnswer.check_in_id,
            CheckInAnswer.question_id,
            CheckInAnswer.concept,
            CheckInAnswer.question,
            CheckInAnswer.answer,
        )
        .join(CheckIn, CheckIn.id == CheckInAnswer.check_in_id)
        .where(CheckIn.patient_id == patient_id)
        .order_by(CheckInAnswer.id)
    )
    found: dict[int, list[AnswerInput]] = {}
    for check_in_id, *fields in session.execute(query):
        found.setdefault(check_in_id, []).append(AnswerInput(*fields))
    return found


def answers_text(answers: Sequence[AnswerInput]) -> str:
    """Return answers as one cell, "sudden-onset: yes; stiff-neck: no" (what the CSV export holds)."""
    return ANSWER_SEPARATOR.join(f"{answer.question_id}: {answer.answer}" for answer in answers)


def parse_answers_text(text: str) -> dict[str, str]:
    """Return question id -> answer from `answers_text`'s format. Raises ValueError when malformed."""
    parsed = {}
    for part in str(text).split(ANSWER_SEPARATOR.strip()):
        if part.strip():
            key, separator, answer = part.partition(":")
            if not separator or not key.strip() or not answer.strip():
                raise ValueError(f"expected QUESTION: ANSWER, got {part.strip()!r}")
            parsed[key.strip()] = answer.strip()
    return parsed


def rows_frame(rows: Sequence[Sequence[object]], names: Sequence[str], times: Sequence[str]) -> pd.DataFrame:
    """Return query rows as a DataFrame with `times` parsed to UTC (an empty one keeps the columns).

    Column-wise construction: pandas' from_records inspects every Row object, several times slower.
    """
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    frame = pd.DataFrame(dict(zip(names, columns, strict=True)))
    for column in times:
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return frame


def entries_frame(rows: Sequence[Sequence[object]]) -> pd.DataFrame:
    """Return rows in ENTRY_COLUMNS order as a typed DataFrame (an empty one keeps the dtypes)."""
    frame = rows_frame(rows, ENTRY_COLUMNS, ("occurred_at", "logged_at"))
    frame["severity"] = frame["severity"].astype("int64")
    return frame


def get_entry(
    session: Session, actor: Actor, patient_id: int, entry_id: int, permission: Permission = Permission.READ
) -> SymptomEntry:
    """Return one entry of the patient. Raises NotFoundError."""
    require(session, actor, patient_id, permission)
    entry = session.get(SymptomEntry, entry_id) if valid_id(entry_id) else None
    if entry is None or entry.patient_id != patient_id:
        raise NotFoundError(f"There is no entry {entry_id} for this patient.")
    return entry


def update_entry(
    session: Session,
    actor: Actor,
    patient_id: int,
    entry_id: int,
    *,
    symptom: str | None = None,
    canonical: str | None = None,
    severity: int | None = None,
    occurred_at: datetime | None = None,
    note: str | None = None,
    now: datetime | None = None,
) -> SymptomEntry:
    """Change the given fields of an entry after the same checks as the form. Raises ValidationError."""
    now = now or utcnow()
    errors = {
        "symptom": symptom_error(symptom) if symptom is not None else None,
        "severity": severity_error(severity) if severity is not None else None,
        "occurred_at": occurred_at_error(occurred_at, now) if occurred_at is not None else None,
        "note": note_error(note),
    }
    raise_if_any(errors)
    entry = get_entry(session, actor, patient_id, entry_id, Permission.WRITE)
    if symptom is not None:
        entry.symptom_text = clean_text(symptom)
        entry.symptom = canonical or entry.symptom_text
    if severity is not None:
        entry.severity = int(severity)
    if occurred_at is not None:
        entry.occurred_at = occurred_at
    if note is not None:
        entry.note = clean_note(note) or None
    session.flush()
    bump_revision(session, actor, patient_id)
    return entry


def delete_entry(session: Session, actor: Actor, patient_id: int, entry_id: int) -> None:
    """Delete one entry (and its check-in once empty). Raises NotFoundError."""
    entry = get_entry(session, actor, patient_id, entry_id, Permission.WRITE)
    check_in_id = entry.check_in_id
    session.delete(entry)
    session.flush()
    remaining = session.scalar(select(func.count()).where(SymptomEntry.check_in_id == check_in_id))
    if not remaining:
        session.execute(delete(CheckIn).where(CheckIn.id == check_in_id))
    bump_revision(session, actor, patient_id)


def recent_symptoms(session: Session, actor: Actor, patient_id: int, limit: int = 6) -> list[str]:
    """Return the patient's most recently logged distinct symptoms, newest first."""
    require(session, actor, patient_id)
    latest = func.max(SymptomEntry.occurred_at)
    query = (
        select(SymptomEntry.symptom)
        .where(SymptomEntry.patient_id == patient_id)
        .group_by(SymptomEntry.symptom)
        .order_by(latest.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def count_entries(session: Session, actor: Actor, patient_id: int) -> int:
    """Return how many entries the patient has."""
    require(session, actor, patient_id)
    return session.scalar(select(func.count()).where(SymptomEntry.patient_id == patient_id)) or 0


def bump_revision(session: Session, actor: Actor, patient_id: int) -> None:
    """Mark the patient's entries as changed (in the caller's transaction)."""
    require(session, actor, patient_id, Permission.WRITE)
    session.execute(update(Patient).where(Patient.id == patient_id).values(revision=Patient.revision + 1))


def entries_version(session: Session, actor: Actor, patient_id: int) -> tuple[int, int]:
    """Return (revision, count) of the patient's entries: it changes with every add, edit and delete.

    The count also catches rows written around the library (bulk demo data).
    """
    require(session, actor, patient_id)
    revision = session.scalar(select(Patient.revision).where(Patient.id == patient_id)) or 0
    count = session.scalar(select(func.count()).where(SymptomEntry.patient_id == patient_id)) or 0
    return int(revision), int(count)


def logged_symptoms(session: Session, actor: Actor, patient_id: int) -> list[str]:
    """Return every symptom the patient has logged, most logged first (for the filter)."""
    require(session, actor, patient_id)
    count = func.count()
    query = (
        select(SymptomEntry.symptom)
        .where(SymptomEntry.patient_id == patient_id)
        .group_by(SymptomEntry.symptom)
        .order_by(count.desc(), SymptomEntry.symptom)
    )
    return list(session.scalars(query))


FACTOR_COLUMNS = ["check_in_id", "occurred_at", "kind", "name", "value"]


def list_factors(
    session: Session,
    actor: Actor,
    patient_id: int,
    start: datetime | None = None,
    end: datetime | None = None,
) -> pd.DataFrame:
    """Return the patient's check-in factors with start <= occurred_at < end (FACTOR_COLUMNS)."""
    require(session, actor, patient_id)
    dialect = session.get_bind().dialect.name
    query = select(
        CheckInFactor.check_in_id,
        raw_time(CheckInFactor.occurred_at, dialect),
        CheckInFactor.kind,
        CheckInFactor.name,
        CheckInFactor.value,
    ).where(CheckInFactor.patient_id == patient_id)
    if start is not None:
        query = query.where(CheckInFactor.occurred_at >= start)
    if end is not None:
        query = query.where(CheckInFactor.occurred_at < end)
    rows = session.execute(query.order_by(CheckInFactor.occurred_at, CheckInFactor.id)).all()
    frame = rows_frame(rows, FACTOR_COLUMNS, ("occurred_at",))
    frame["value"] = frame["value"].astype("float64")
    return frame


def factor_names(session: Session, actor: Actor, patient_id: int, kind: str) -> list[str]:
    """Return the names the patient has used for `kind` factors, most used first (for suggestions)."""
    require(session, actor, patient_id)
    query = (
        select(CheckInFactor.name)
        .where(CheckInFactor.patient_id == patient_id, CheckInFactor.kind == kind)
        .group_by(CheckInFactor.name)
        .order_by(func.count().desc(), CheckInFactor.name)
    )
    return list(session.scalars(query))
