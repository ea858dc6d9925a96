"""What actually happened after an entry, recorded by a clinician: labelled cases for the model.

A clinician who saw the patient records the level of care that was really needed. The label belongs
to the whole check-in the entry was part of (advice is given per check-in), so `training_rows` turns
each outcome into one row of the training table: the check-in's known symptoms and severities, and
the recorded level. `python -m tracker train --with-outcomes` adds them to the curated table.
"""

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.care_team.access import Actor, Permission, require, visible_patients_query
from tracker.diary.entries import get_entry
from tracker.diary.validation import clean_note, note_error
from tracker.errors import raise_if_any
from tracker.levels import TriageLevel
from tracker.storage.tables import CheckIn, Outcome, Patient, SymptomEntry
from tracker.triage.context import format_symptom_pairs
from tracker.triage.vocabulary import Vocabulary

TRAINING_GROUP = "clinician outcome"


@dataclass(frozen=True)
class OutcomeView:
    entry_id: int
    symptom: str
    severity: int
    occurred_at: datetime
    advised: str | None
    level: str
    note: str | None
    recorded_at: datetime


def level_error(level: object) -> str | None:
    """Return why `level` is not one of the four triage levels, or None."""
    return None if level in tuple(str(lv) for lv in TriageLevel) else "Choose one of the four levels of care."


def record_outcome(
    session: Session,
    actor: Actor,
    patient_id: int,
    entry_id: int,
    level: str,
    note: str | None,
    now: datetime,
) -> Outcome:
    """Record (or correct) the level of care the entry's check-in really needed; return it.

    Raises ValidationError for a bad level or over-long note, NotFoundError for an entry the actor may
    not label (only clinicians the profile is shared with may).
    """
    raise_if_any({"level": level_error(level), "note": note_error(note)})
    entry = get_entry(session, actor, patient_id, entry_id, Permission.LABEL)
    outcome = session.scalar(select(Outcome).where(Outcome.entry_id == entry.id))
    if outcome is None:
        outcome = Outcome(entry_id=entry.id, patient_id=patient_id)
        session.add(outcome)
    outcome.level, outcome.note = str(level), clean_note(note) or None if note else None
    outcome.recorded_by, outcome.recorded_at = actor.user_id, now
    session.flush()
    return outcome


def list_outcomes(session: Session, actor: Actor, patient_id: int) -> list[OutcomeView]:
    """Return the outcomes recorded for the profile, newest entry first. Raises NotFoundError."""
    require(session, actor, patient_id)
    query = (
        select(
            SymptomEntry.id,
            SymptomEntry.symptom,
            SymptomEntry.severity,
            SymptomEntry.occurred_at,
            CheckIn.level,
            Outcome.level,
            Outcome.note,
            Outcome.recorded_at,
        )
        .join(Outcome, Outcome.entry_id == SymptomEntry.id)
        .join(CheckIn, CheckIn.id == SymptomEntry.check_in_id)
        .where(SymptomEntry.patient_id == patient_id)
        .order_by(SymptomEntry.occurred_at.desc())
    )
    return [OutcomeView(*row) for row in session.execute(query)]


def training_rows(session: Session, actor: Actor, vocabulary: Vocabulary) -> pd.DataFrame:
    """Return the outcomes `actor` can see as rows of the training table (one per check-in).

    Symptoms outside the vocabulary are left out (the model has no column for them); a check-in with
    none left gives no row. When one check-in has several outcomes, the most urgent counts.
    """
    visible = visible_patients_query(actor).with_only_columns(Patient.id)
    labelled = (
        select(SymptomEntry.check_in_id, Outcome.level)
        .join(Outcome, Outcome.entry_id == SymptomEntry.id)
        .where(SymptomEntry.patient_id.in_(visible))
    )
    levels: dict[int, TriageLevel] = {}
    for check_in_id, level in session.execute(labelled):
        found = TriageLevel(level)
        levels[check_in_id] = TriageLevel.most_urgent(found, levels.get(check_in_id, found))
    entries = select(SymptomEntry.check_in_id, SymptomEntry.symptom, SymptomEntry.severity).where(
        SymptomEntry.check_in_id.in_(list(levels))
    )
    worst: dict[int, dict[str, int]] = {}
    known = set(vocabulary.names)
    for check_in_id, symptom, severity in session.execute(entries.order_by(SymptomEntry.id)):
        if symptom in known:
            symptoms = worst.setdefault(check_in_id, {})
            symptoms[symptom] = max(severity, symptoms.get(symptom, 0))
    rows = [
        {
            "symptoms": format_symptom_pairs(worst[check_in_id].items()),
            "days_in_row": 1,
            "change": None,
            "recurrent": False,
            "level": str(levels[check_in_id]),
            "group": TRAINING_GROUP,
            "source": f"check-in {check_in_id}",
        }
        for check_in_id in sorted(worst)
    ]
    return pd.DataFrame(
        rows, columns=["symptoms", "days_in_row", "change", "recurrent", "level", "group", "source"]
    )


def entry_choices(entries: pd.DataFrame, tz: str, limit: int = 200) -> dict[int, str]:
    """Return entry id -> "Tue 24 Nov 2026, 14:00 · Chest pain 5/5 · advised: …", newest first."""
    newest = entries.sort_values(["occurred_at", "id"], ascending=False).head(limit)
    labels = {}
    for row in newest.itertuples():
        when = row.occurred_at.tz_convert(tz).strftime("%a %d %b %Y, %H:%M")
        advised = TriageLevel(row.level).label if row.level in _LEVEL_NAMES else "no advice stored"
        labels[int(row.id)] = f"{when} · {row.symptom} {row.severity}/5 · advised: {advised}"
    return labels


_LEVEL_NAMES = frozenset(str(level) for level in TriageLevel)
