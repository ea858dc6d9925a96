"""The History table: entries as a patient reads them, and edits made in it applied safely."""

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy.orm import Session

from tracker.access import Actor
from tracker.entries import delete_entry, update_entry
from tracker.errors import ValidationError
from tracker.levels import TriageLevel
from tracker.validation import SEVERITY_WORDS, zone_error

TABLE_ROWS = 500  # the newest rows shown for editing; charts cover the whole range
_LEVEL_WORDS = {str(level): level.label for level in TriageLevel}


def editable_entries(frame: pd.DataFrame, tz: str, limit: int = TABLE_ROWS) -> pd.DataFrame:
    """Return the newest `limit` entries, newest first, indexed by entry id, times local and naive."""
    newest = frame.sort_values("occurred_at", ascending=False).head(limit)
    table = pd.DataFrame(
        {
            "when": newest["occurred_at"].dt.tz_convert(tz).dt.tz_localize(None),
            "symptom": newest["symptom_text"],
            "severity": newest["severity"].astype("int64"),
            "note": newest["note"].fillna(""),
            "level": newest["level"].map(_LEVEL_WORDS).fillna(""),
        },
    )
    table.index = pd.Index(newest["id"].astype("int64"), name="id")
    return table


def editor_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Return the table as the editor shows it: positional rows and an unticked "delete" column."""
    return table.assign(delete=False).reset_index(drop=True)


def severity_label(severity: int) -> str:
    """Return "4 · Severe" for 4."""
    return f"{severity} · {SEVERITY_WORDS.get(severity, '?')}"


def _aware(value: object, tz: str) -> datetime | object:
    """Return the editor's local wall-clock value as an aware datetime (other values unchanged)."""
    if isinstance(value, str):
        try:
            value = pd.Timestamp(value).to_pydatetime()
        except ValueError:
            return value
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=ZoneInfo(tz))
    return value


def apply_table_edits(
    session: Session,
    actor: Actor,
    patient_id: int,
    edits: Mapping[int, Mapping[str, object]],
    canonical: Callable[[str], str | None],
    tz: str,
    now: datetime | None = None,
) -> int:
    """Apply {entry id: {column: new value}} edits all together; return how many entries changed.

    Raises ValidationError keyed "entry <id>: <field>" listing every bad value; then nothing changes
    (the caller's transaction is rolled back).
    """
    if message := zone_error(tz):
        raise ValidationError({"tz": message})
    problems: dict[str, str] = {}
    for entry_id, change in edits.items():
        # A cleared cell arrives as None: that is an empty value to check, not "unchanged".
        symptom = str(change["symptom"] or "") if "symptom" in change else None
        note = str(change["note"] or "") if "note" in change else None
        if "when" in change and change["when"] is None:
            problems[f"entry {entry_id}: occurred_at"] = "Please give the date and time the symptom happened."
            continue
        try:
            update_entry(
                session,
                actor,
                patient_id,
                entry_id,
                symptom=symptom,
                canonical=canonical(symptom) if symptom else None,
                severity=change.get("severity"),  # type: ignore[arg-type]
                occurred_at=_aware(change["when"], tz) if "when" in change else None,  # type: ignore[arg-type]
                note=note,
                now=now,
            )
        except ValidationError as error:
            problems |= {f"entry {entry_id}: {field}": message for field, message in error.errors.items()}
    if problems:
        raise ValidationError(problems)
    return len(edits)


def delete_entries(session: Session, actor: Actor, patient_id: int, entry_ids: Iterable[int]) -> int:
    """Delete the given entries of the patient together; return how many. Raises NotFoundError."""
    count = 0
    for entry_id in entry_ids:
        delete_entry(session, actor, patient_id, entry_id)
        count += 1
    return count


def marked_ids(edited: pd.DataFrame, ids: list[int]) -> list[int]:
    """Return the entry ids of rows ticked "delete" in the editor (rows are in `ids` order)."""
    if edited.empty or "delete" not in edited:
        return []
    return [ids[position] for position in edited.index[edited["delete"].astype(bool)] if position < len(ids)]
