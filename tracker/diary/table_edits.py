"""The History table: entries as a patient reads them, and edits made in it applied safely."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy.orm import Session

from tracker.care_team.access import Actor
from tracker.diary.checkins import Reassessed, reassess_check_in
from tracker.diary.entries import delete_entry, update_entry
from tracker.diary.validation import SEVERITY_WORDS, zone_error
from tracker.errors import ValidationError
from tracker.levels import TriageLevel

if TYPE_CHECKING:  # passed in by the page: importing it would load scikit-learn
    from tracker.triage.engine import Triager

TABLE_ROWS = 500  # the newest rows shown for editing; charts cover the whole range
_LEVEL_WORDS = {str(level): level.label for level in TriageLevel}
# The editor's columns a browser may send edits for ("level" is shown, never edited).
EDITABLE_COLUMNS = frozenset({"when", "symptom", "severity", "note", "delete"})
NOT_IN_TABLE = "Row {row} is not in the table, so nothing was changed."
COLUMN_NOT_IN_TABLE = "Column {column} is not in the table, so nothing was changed."
FIXED_ROWS = (
    "Rows cannot be added or removed here (the row sent is not in the table), so nothing was changed. "
    "To delete entries, tick “Delete?” and press Delete marked."
)


@dataclass(frozen=True)
class TableEdits:
    """What a save from the table did: entries changed, and the check-ins whose advice was redone."""

    changed: int
    reassessed: tuple[Reassessed, ...] = ()


def editable_entries(frame: pd.DataFrame, tz: str, limit: int = TABLE_ROWS) -> pd.DataFrame:
    """Return the newest `limit` entries, newest first, indexed by entry id, times local and naive.

    `symptom` is the recognised name; `typed` is what was typed, when that differs ("" otherwise).
    """
    newest = frame.sort_values("occurred_at", ascending=False).head(limit)
    name = newest["symptom"].fillna("").astype(str)  # the recognised name, as charts and advice use it
    typed = newest["symptom_text"].fillna("").astype(str)
    table = pd.DataFrame(
        {
            "when": newest["occurred_at"].dt.tz_convert(tz).dt.tz_localize(None),
            "symptom": name,
            "typed": typed.where(typed.str.casefold() != name.str.casefold(), ""),
            "severity": newest["severity"].astype("int64"),
            # Text columns stay text when the table is empty: the editor refuses a float column as text.
            "note": newest["note"].fillna("").astype(str),
            "level": newest["level"].map(_LEVEL_WORDS).fillna("").astype(str),
            "answers": _answer_words(newest.get("answers"), len(newest)),
        },
    )
    table.index = pd.Index(newest["id"].astype("int64"), name="id")
    return table


def _answer_words(answers: "pd.Series | None", rows: int) -> pd.Series | list[str]:
    """Return the follow-up answers in words: "sudden onset: yes; stiff neck: no" (shown, never edited)."""
    if answers is None:
        return [""] * rows
    words = answers.fillna("").astype(str).str.replace("-", " ", regex=False)
    return words.str.replace("not_sure", "not sure", regex=False)


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


def edits_by_entry(state: Mapping[str, object] | None, ids: Sequence[int]) -> dict[int, dict[str, object]]:
    """Return the editor's {row position: {column: value}} edits as {entry id: {column: value}}.

    The state comes from the browser, so anything can be in it: a row or column that is not in the
    table, or rows added or deleted in a table that allows neither. Raises ValidationError (key
    "table") for any of these; "delete" ticks are left out (Delete marked handles them).
    """
    if not state:
        return {}
    if state.get("added_rows") or state.get("deleted_rows"):
        raise ValidationError({"table": FIXED_ROWS})
    edited = state.get("edited_rows") or {}
    if not isinstance(edited, Mapping):
        raise ValidationError({"table": NOT_IN_TABLE.format(row="?")})
    by_id: dict[int, dict[str, object]] = {}
    for row, change in edited.items():
        position = _position(row, len(ids))
        if position is None:
            raise ValidationError({"table": NOT_IN_TABLE.format(row=str(row)[:20])})
        if not isinstance(change, Mapping):
            raise ValidationError({"table": NOT_IN_TABLE.format(row=position)})
        if unknown := sorted(str(column)[:40] for column in change if column not in EDITABLE_COLUMNS):
            raise ValidationError({"table": COLUMN_NOT_IN_TABLE.format(column=unknown[0])})
        if cells := {str(column): value for column, value in change.items() if column != "delete"}:
            by_id[ids[position]] = cells
    return by_id


def _position(row: object, rows: int) -> int | None:
    """Return `row` as a position in a table of `rows` rows, or None ("x", "-1", 999, True…)."""
    if isinstance(row, str) and row.isascii() and row.isdigit():
        row = int(row)
    if isinstance(row, bool) or not isinstance(row, int):
        return None
    return row if 0 <= row < rows else None


def apply_table_edits(
    session: Session,
    actor: Actor,
    patient_id: int,
    edits: Mapping[int, Mapping[str, object]],
    triager: "Triager",
    tz: str,
    now: datetime | None = None,
) -> TableEdits:
    """Apply {entry id: {column: new value}} edits all together, then assess each check-in touched again.

    The advice stored with an edited check-in is redone and the alert rules run on it, as for a new
    check-in: a severity raised in the table raises the alert it would have at the time.
    Raises ValidationError keyed "entry <id>: <field>" listing every bad value; then nothing changes
    (the caller's transaction is rolled back).
    """
    if message := zone_error(tz):
        raise ValidationError({"tz": message})
    problems: dict[str, str] = {}
    check_ins: dict[int, None] = {}
    for entry_id, change in edits.items():
        # A cleared cell arrives as None: that is an empty value to check, not "unchanged".
        symptom = str(change["symptom"] or "") if "symptom" in change else None
        note = str(change["note"] or "") if "note" in change else None
        if "when" in change and change["when"] is None:
            problems[f"entry {entry_id}: occurred_at"] = "Please give the date and time the symptom happened."
            continue
        try:
            entry = update_entry(
                session,
                actor,
                patient_id,
                entry_id,
                symptom=symptom,
                canonical=triager.vocabulary.match(symptom).canonical if symptom else None,
                severity=change.get("severity"),  # type: ignore[arg-type]
                occurred_at=_aware(change["when"], tz) if "when" in change else None,  # type: ignore[arg-type]
                note=note,
                now=now,
            )
        except ValidationError as error:
            problems |= {f"entry {entry_id}: {field}": message for field, message in error.errors.items()}
            continue
        check_ins[entry.check_in_id] = None
    if problems:
        raise ValidationError(problems)
    reassessed = tuple(
        reassess_check_in(session, actor, patient_id, check_in_id, triager, tz, now)
        for check_in_id in sorted(check_ins)
    )
    return TableEdits(len(edits), reassessed)


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
