"""Run an import for a person: check the file, assess its check-ins, then store it in one short write.

An import holds a file and its rows in memory and is CPU-bound, so a person runs one at a time and the
app a few at a time. Assessment is pure and happens before the write transaction, so a long file
never holds the database's write lock for longer than its two bulk inserts.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from tracker.care_team.access import Actor
from tracker.diary.profile_facts import get_patient_facts
from tracker.diary.validation import plural
from tracker.errors import TrackerError
from tracker.levels import TriageLevel
from tracker.storage.engine import write_with_retry
from tracker.transfer.import_writes import ImportResult, import_entries
from tracker.transfer.imports import ImportPlan, ImportRow, parse_import

if TYPE_CHECKING:  # the triager is passed in: importing it here would load scikit-learn for the page
    from tracker.triage.engine import Assessment, Triager
    from tracker.triage.patient import PatientFacts

MAX_IMPORTS_AT_ONCE = 2
ASSESSED_AT_IMPORT = "Assessed when imported, from the ratings in the file:"
ORIGINAL_ADVICE = "The original app said:"
IMPORT_VERSION_SUFFIX = "+import"
MODEL_VERSION_LENGTH = 64  # CheckIn.model_version


class ImportBusyError(TrackerError):
    """An import is already running for this person (or too many for the app at once)."""


def assess_import(plan: ImportPlan, triager: "Triager", patient: "PatientFacts | None" = None) -> ImportPlan:
    """Return the plan with advice for every check-in the file gave no advice level; pure.

    Rows of one check-in (same time and original advice) are assessed together, without history
    (the file is the history). The stored advice says it was assessed at import; the original app's
    recommendation is kept after it. Identical check-ins are assessed once.
    """
    groups: dict[tuple[datetime, str | None], list[ImportRow]] = {}
    for row in plan.rows:
        if row.level is None:
            groups.setdefault((row.occurred_at, row.advice), []).append(row)
    cache: dict[tuple[frozenset[tuple[str, int]], str], Assessment] = {}
    assessed: dict[int, ImportRow] = {}
    for (_, original), group in groups.items():
        symptoms: dict[str, int] = {}
        for row in group:
            name = row.symptom or row.symptom_text
            symptoms[name] = max(symptoms.get(name, 0), row.severity)
        note = " ".join(row.note for row in group if row.note)
        key = (frozenset(symptoms.items()), note)
        if (assessment := cache.get(key)) is None:
            assessment = cache[key] = triager.assess(symptoms, note=note, patient=patient)
        advice = f"{ASSESSED_AT_IMPORT} {assessment.advice}"
        advice += f" {ORIGINAL_ADVICE} {original}" if original else ""
        version = f"{assessment.model_version}{IMPORT_VERSION_SUFFIX}"[:MODEL_VERSION_LENGTH]
        for row in group:
            assessed[id(row)] = replace(
                row,
                level=str(assessment.level),
                advice=advice,
                confidence=assessment.confidence,
                model_version=version,
            )
    return replace(plan, rows=tuple(assessed.get(id(row), row) for row in plan.rows))


_running: set[tuple[str, int | None]] = set()
_running_lock = threading.Lock()


@contextmanager
def import_slot(actor: Actor) -> Iterator[None]:
    """Hold this person's one import slot while the block runs. Raises ImportBusyError when taken."""
    key = (str(actor.kind), actor.user_id)
    with _running_lock:
        if key in _running:
            raise ImportBusyError("Your previous import is still running. Please wait for it to finish.")
        if len(_running) >= MAX_IMPORTS_AT_ONCE:
            raise ImportBusyError("Other imports are running just now. Please try again in a minute.")
        _running.add(key)
    try:
        yield
    finally:
        with _running_lock:
            _running.discard(key)


def import_upload(
    factory: sessionmaker[Session],
    actor: Actor,
    patient_id: int,
    data: bytes,
    filename: str,
    triager: "Triager",
    tz: str,
    now: datetime,
    default_time: datetime | None = None,
) -> ImportResult:
    """Check, assess, then store a file in one short transaction (the page and the CLI).

    Raises ValidationError (nothing stored), ImportBusyError, or NotFoundError.
    """
    with import_slot(actor):
        with factory.begin() as session:  # the person's age, pregnancy and conditions, as of today
            facts = get_patient_facts(session, actor, patient_id, now)
        plan = assess_import(parse_import(data, filename, tz, now, default_time), triager, facts)
        result, _ = write_with_retry(
            factory,
            lambda session: import_entries(session, actor, patient_id, plan, triager.vocabulary, now),
        )
        return result


NEEDS_CARE_SHOWN = 20
NEEDS_CARE_HEADING = (
    "Some imported entries would have needed urgent or emergency care when they happened. "
    "If any of these symptoms is still going on, get medical help now:"
)


@dataclass(frozen=True)
class ImportSummary:
    """What the page says after an import: one sentence, then any entries that needed care."""

    headline: str
    needs_care: tuple[str, ...]


def import_summary(result: ImportResult, tz: str) -> ImportSummary:
    """Return the summary of an import, in words for the page."""
    measured = f" and {plural(result.measures_added, 'measure value', 'measure values')}"
    headline = (
        f"Imported {plural(result.added, 'entry', 'entries')}"
        + (measured if result.measures_added else "")
        + (
            f"; {plural(result.skipped_duplicates, 'was', 'were')} already there."
            if result.skipped_duplicates
            else "."
        )
    )
    if result.default_time is not None:
        when = result.default_time.astimezone(ZoneInfo(tz))
        headline += f" The file has no dates, so its entries are stored at {when:%d/%m/%Y %H:%M}."
    return ImportSummary(headline, tuple(needs_care_lines(result, tz)))


def needs_care_lines(result: ImportResult, tz: str) -> list[str]:
    """Return the import summary's list of entries that needed urgent care (none: an empty list)."""
    if not result.needs_care:
        return []
    zone = ZoneInfo(tz)
    lines = [NEEDS_CARE_HEADING]
    for row in result.needs_care[:NEEDS_CARE_SHOWN]:
        label = TriageLevel(row.level).label if row.level else ""
        when = row.occurred_at.astimezone(zone)
        lines.append(
            f"- {when:%d/%m/%Y %H:%M}: {row.symptom_text}, {row.severity} of 5 ({label}; row {row.row})"
        )
    if (more := len(result.needs_care) - NEEDS_CARE_SHOWN) > 0:
        lines.append(f"- and {more:,} more.")
    return lines
