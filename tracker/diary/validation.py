"""Field checks shared by the form, the table editor, imports and the CLI."""

import math
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracker.errors import ValidationError
from tracker.storage.limits import (
    FACTOR_NAME_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    PATIENT_NAME_MAX_LENGTH,
    SYMPTOM_MAX_LENGTH,
)

SEVERITY_MIN, SEVERITY_MAX = 1, 5
# Clocks on phones and servers drift; a time a few minutes ahead is "now", not the future.
FUTURE_TOLERANCE = timedelta(minutes=5)
# Before this, zone offsets were local mean time and year-1 times overflow on conversion to UTC.
MIN_YEAR = 1900
# Ids are 32-bit integers in PostgreSQL; larger numbers cannot name a row.
MAX_ID = 2**31 - 1
SEVERITY_WORDS = {1: "Very mild", 2: "Mild", 3: "Moderate", 4: "Severe", 5: "Very severe"}


@dataclass(frozen=True)
class EntryInput:
    """One symptom as the person entered it."""

    symptom: str
    severity: int
    occurred_at: datetime
    note: str | None = None


def clean_text(value: object) -> str:
    """Return `value` as text with control characters removed and white space folded."""
    text = "" if value is None else str(value)
    if not text.isprintable():  # the per-character pass only when needed: imports clean 100,000s
        text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    return " ".join(text.split())


def clean_note(note: str) -> str:
    """Return a note as stored: line breaks kept (as \\n), control characters as spaces, no lone surrogates.

    PostgreSQL refuses NUL in text and no database can store half a surrogate pair, so they are dropped
    here for every back end alike; Windows line breaks become \\n so an export round-trips exactly.
    """
    text = note.replace("\r\n", "\n").replace("\r", "\n")

    def keep(ch: str) -> bool:
        return ch in "\n\t" or ch.isprintable() or unicodedata.category(ch) == "Cf"

    kept = (ch if keep(ch) else " " for ch in text)
    return "".join(ch for ch in kept if not "\ud800" <= ch <= "\udfff").strip()


def zone_error(tz: object) -> str | None:
    """Return why `tz` is not an IANA time zone name, or None."""
    try:
        ZoneInfo(str(tz))
    except (ZoneInfoNotFoundError, ValueError):
        return f"Unknown time zone {tz!r}; use a name such as Europe/London."
    return None


def symptom_error(symptom: object) -> str | None:
    """Return why `symptom` cannot be stored, or None."""
    text = clean_text(symptom)
    if not text:
        return "Please enter a symptom."
    if len(text) > SYMPTOM_MAX_LENGTH:
        return f"Please keep the symptom under {SYMPTOM_MAX_LENGTH} characters (it has {len(text)})."
    return None


def severity_error(severity: object) -> str | None:
    """Return why `severity` is not a whole number from 1 to 5, or None."""
    if isinstance(severity, bool) or not isinstance(severity, (int, float)):
        return "Severity must be a whole number from 1 (very mild) to 5 (very severe)."
    if isinstance(severity, float) and (math.isnan(severity) or not severity.is_integer()):
        return "Severity must be a whole number from 1 (very mild) to 5 (very severe)."
    if not SEVERITY_MIN <= severity <= SEVERITY_MAX:
        return "Severity must be a whole number from 1 (very mild) to 5 (very severe)."
    return None


def occurred_at_error(occurred_at: object, now: datetime) -> str | None:
    """Return why `occurred_at` is not a usable past time, or None."""
    if not isinstance(occurred_at, datetime):
        return "Please give the date and time the symptom happened."
    if occurred_at.tzinfo is None:
        return "The time needs a time zone."
    if occurred_at.year < MIN_YEAR:
        return f"Please give a time after {MIN_YEAR}."
    if occurred_at > now + FUTURE_TOLERANCE:
        return "The time is in the future. Please choose a time up to now."
    return None


def note_error(note: object) -> str | None:
    """Return why `note` is not text or is too long, or None."""
    if note is not None and not isinstance(note, str):
        return "The note must be text."
    if note is not None and len(str(note)) > NOTE_MAX_LENGTH:
        return f"Please keep the note under {NOTE_MAX_LENGTH:,} characters (it has {len(str(note)):,})."
    return None


def patient_name_error(name: object) -> str | None:
    """Return why `name` is not a usable patient name, or None."""
    text = clean_text(name)
    if not text:
        return "Please enter a name."
    if len(text) > PATIENT_NAME_MAX_LENGTH:
        return f"Please keep the name under {PATIENT_NAME_MAX_LENGTH} characters."
    return None


def validate_entry(entry: EntryInput, now: datetime, prefix: str = "") -> dict[str, str]:
    """Return {field: message} for every problem with `entry` (empty when it is valid)."""
    checks = {
        "symptom": symptom_error(entry.symptom),
        "severity": severity_error(entry.severity),
        "occurred_at": occurred_at_error(entry.occurred_at, now),
        "note": note_error(entry.note),
    }
    return {f"{prefix}{name}": message for name, message in checks.items() if message}


def require_valid_entries(entries: list[EntryInput], now: datetime) -> None:
    """Raise ValidationError naming each bad field (`0.severity`, … when several entries)."""
    if not entries:
        raise ValidationError({"symptom": "Please add at least one symptom."})
    errors: dict[str, str] = {}
    for index, entry in enumerate(entries):
        errors |= validate_entry(entry, now, prefix=f"{index}." if len(entries) > 1 else "")
    if errors:
        raise ValidationError(errors)


def local_datetime(day: date, clock: time, tz: str) -> datetime:
    """Return the aware datetime for a wall-clock `day` and `clock` in the IANA zone `tz`.

    In the repeated hour when clocks go back the earlier moment is taken (fold=0).
    """
    return datetime.combine(day, clock.replace(tzinfo=None, fold=0), tzinfo=ZoneInfo(tz))


def local_now(tz: str, now: datetime | None = None) -> datetime:
    """Return `now` (default: the current time) in the zone `tz`, to the minute."""
    current = now or datetime.now(UTC)
    return current.astimezone(ZoneInfo(tz)).replace(second=0, microsecond=0)


def plural(count: int, one: str, many: str) -> str:
    """Return "1 entry" / "3 entries"."""
    return f"{count:,} {one if count == 1 else many}"


FACTOR_KINDS = ("medication", "sleep", "tag")
SLEEP_MAX_HOURS = 24
MAX_FACTORS = 30


@dataclass(frozen=True)
class FactorInput:
    """Something noted with a check-in: a medication taken, hours slept, or the patient's own tag."""

    kind: str
    name: str
    value: float | None = None


def factor_errors(factors: list[FactorInput]) -> dict[str, str]:
    """Return {field: message} for unusable factors (empty when all are fine)."""
    errors: dict[str, str] = {}
    if len(factors) > MAX_FACTORS:
        errors["factors"] = f"Please keep to {MAX_FACTORS} medicines and tags per check-in."
    for factor in factors:
        field = "sleep" if factor.kind == "sleep" else f"{factor.kind}s"
        if factor.kind not in FACTOR_KINDS:
            errors["factors"] = f"Unknown kind of factor: {factor.kind!r}."
        elif not clean_text(factor.name) or len(clean_text(factor.name)) > FACTOR_NAME_MAX_LENGTH:
            errors[field] = f"Each name needs 1 to {FACTOR_NAME_MAX_LENGTH} characters."
        elif factor.kind == "sleep" and not _hours_ok(factor.value):
            errors[field] = f"Hours of sleep must be a number from 0 to {SLEEP_MAX_HOURS}."
        elif factor.kind != "sleep" and factor.value is not None:
            errors[field] = "Medicines and tags are recorded by name only."
    return errors


def _hours_ok(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    # Compare before any float conversion: 10**400 is a valid int but no float.
    return 0 <= value <= SLEEP_MAX_HOURS and not (isinstance(value, float) and math.isnan(value))


SUGGESTED_TAGS = ("coffee", "alcohol", "stress", "exercise", "period", "screen time", "travel", "big meal")
SUGGESTED_MEDICATIONS = ("Paracetamol", "Ibuprofen", "Antihistamine", "Inhaler")
SLEEP_FACTOR = "Sleep"


def factor_inputs(medications: list[str], sleep_hours: float | None, tags: list[str]) -> list[FactorInput]:
    """Return the factors of a check-in from the form's three fields (empty ones left out)."""
    factors = [FactorInput("medication", name) for name in dict.fromkeys(medications)]
    if sleep_hours is not None:
        factors.append(FactorInput("sleep", SLEEP_FACTOR, float(sleep_hours)))
    return factors + [FactorInput("tag", name.casefold()) for name in dict.fromkeys(tags)]


def valid_id(value: object) -> bool:
    """Return True when `value` can be a row id (a positive integer that fits the column)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID
