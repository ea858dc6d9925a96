"""Measures stored: define (own or preset), list, remove; log values with a check-in or alone; read them.

Every function takes the acting user after the session and asks care_team.access first. A check-in with
measures is one transaction: the values are checked before anything is assessed or written.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tracker.care_team.access import Actor, Permission, require
from tracker.diary.checkins import LoggedCheckIn, log_check_in
from tracker.diary.entries import bump_revision, raw_time, rows_frame
from tracker.diary.profile_facts import get_patient_facts
from tracker.diary.validation import EntryInput, FactorInput, occurred_at_error, valid_id
from tracker.errors import NotFoundError, ValidationError, raise_if_any
from tracker.measures.checks import (
    MeasureDefinition,
    MeasureInfo,
    definition_from_preset,
    require_valid_definition,
    value_error,
    value_errors,
)
from tracker.measures.presets import TEMPERATURE_PRESETS, MeasureKind, load_presets
from tracker.measures.units import convert
from tracker.storage.tables import Measure, MeasureValue, utcnow
from tracker.triage.patient import measured_fever

if TYPE_CHECKING:
    from tracker.transfer.imports import MeasureRow
    from tracker.triage.engine import Assessment, Triager

VALUE_COLUMNS = [
    "id",
    "measure_id",
    "measure",
    "kind",
    "unit",
    "preset",
    "check_in_id",
    "occurred_at",
    "value",
    "logged_at",
]
# More than this many measures make the Log form longer than anyone fills in.
MAX_MEASURES = 20
# A measure of the person's own found in an imported file has no known range: any finite number is kept.
IMPORT_LIMIT = 1e12


@dataclass(frozen=True)
class Reading:
    """One value typed for one measure (in the measure's unit)."""

    measure_id: int
    value: float


def _info(measure: Measure) -> MeasureInfo:
    return MeasureInfo(
        measure.id,
        measure.name,
        MeasureKind(measure.kind),
        measure.unit,
        measure.low,
        measure.high,
        measure.preset,
    )


def list_measures(session: Session, actor: Actor, patient_id: int) -> list[MeasureInfo]:
    """Return the profile's measures in the order they were added."""
    require(session, actor, patient_id)
    query = select(Measure).where(Measure.patient_id == patient_id).order_by(Measure.id)
    return [_info(measure) for measure in session.scalars(query)]


def add_measure(
    session: Session, actor: Actor, patient_id: int, definition: MeasureDefinition
) -> MeasureInfo:
    """Add a measure to the profile. Raises ValidationError naming the field (a name already used: "name")."""
    clean = require_valid_definition(definition)
    require(session, actor, patient_id, Permission.WRITE)
    names = {
        name.casefold()
        for name in session.scalars(select(Measure.name).where(Measure.patient_id == patient_id))
    }
    if clean.name.casefold() in names:
        raise ValidationError({"name": f"There is already a measure called {clean.name}."})
    if len(names) >= MAX_MEASURES:
        raise ValidationError({"name": f"A profile can keep up to {MAX_MEASURES} measures."})
    measure = Measure(
        patient_id=patient_id,
        name=clean.name,
        kind=clean.kind.value,
        unit=clean.unit,
        low=clean.low,
        high=clean.high,
        preset=clean.preset,
    )
    session.add(measure)
    session.flush()
    return _info(measure)


def add_preset_measure(session: Session, actor: Actor, patient_id: int, preset: str) -> MeasureInfo:
    """Add a ready-made measure (see data/measure_presets.csv). Raises ValidationError."""
    return add_measure(session, actor, patient_id, definition_from_preset(preset))


def remove_measure(session: Session, actor: Actor, patient_id: int, measure_id: int) -> None:
    """Remove a measure and every value logged for it. Raises NotFoundError."""
    require(session, actor, patient_id, Permission.WRITE)
    measure = session.get(Measure, measure_id) if valid_id(measure_id) else None
    if measure is None or measure.patient_id != patient_id:
        raise NotFoundError(f"There is no measure {measure_id} for this profile.")
    session.execute(delete(MeasureValue).where(MeasureValue.measure_id == measure_id))
    session.delete(measure)
    session.flush()
    bump_revision(session, actor, patient_id)


def _checked(
    session: Session, actor: Actor, patient_id: int, readings: Sequence[Reading]
) -> dict[int, MeasureInfo]:
    """Return the profile's measures by id after checking every reading. Raises ValidationError."""
    measures = {measure.id: measure for measure in list_measures(session, actor, patient_id)}
    raise_if_any(value_errors(measures, {reading.measure_id: reading.value for reading in readings}))
    return measures


def log_values(
    session: Session,
    actor: Actor,
    patient_id: int,
    readings: Sequence[Reading],
    measured_at: datetime,
    now: datetime | None = None,
    check_in_id: int | None = None,
) -> list[int]:
    """Store measure values taken at `measured_at` (alone, or with check-in `check_in_id`); return their ids.

    Raises ValidationError naming "measure_<id>" for a bad value, "occurred_at" for a bad time.
    """
    return _stored(session, actor, patient_id, readings, measured_at, now or utcnow(), check_in_id)[0]


def _stored(
    session: Session,
    actor: Actor,
    patient_id: int,
    readings: Sequence[Reading],
    measured_at: datetime,
    now: datetime,
    check_in_id: int | None = None,
) -> tuple[list[int], dict[int, MeasureInfo]]:
    """Check and store the values; return their ids and the profile's measures they were checked against."""
    if not readings:
        raise ValidationError({"measures": "Please enter at least one value."})
    raise_if_any({"occurred_at": occurred_at_error(measured_at, now)})
    require(session, actor, patient_id, Permission.WRITE)
    measures = _checked(session, actor, patient_id, readings)
    rows = [
        MeasureValue(
            patient_id=patient_id,
            measure_id=reading.measure_id,
            check_in_id=check_in_id,
            measured_at=measured_at,
            value=float(reading.value),
            logged_at=now,
        )
        for reading in readings
    ]
    session.add_all(rows)
    session.flush()
    bump_revision(session, actor, patient_id)
    return [row.id for row in rows], measures


def temperature_celsius(measures: Mapping[int, MeasureInfo], readings: Sequence[Reading]) -> float | None:
    """Return the highest body temperature among the readings in °C (None when none is a temperature)."""
    found = [
        convert(reading.value, measures[reading.measure_id].unit, "°C")
        for reading in readings
        if reading.measure_id in measures and measures[reading.measure_id].preset in TEMPERATURE_PRESETS
    ]
    return max(found, default=None)


def log_check_in_with_measures(
    session: Session,
    actor: Actor,
    patient_id: int,
    entries: Sequence[EntryInput],
    triager: "Triager",
    readings: Sequence[Reading] = (),
    tz: str = "UTC",
    now: datetime | None = None,
    factors: Sequence[FactorInput] = (),
    answers: Mapping[str, str] | None = None,
) -> LoggedCheckIn:
    """Log a check-in and the measures taken with it, all or nothing; a temperature goes to the triage.

    Raises ValidationError naming each bad field (values first: nothing is assessed with a bad one).
    """
    now = now or utcnow()
    measures = _checked(session, actor, patient_id, readings) if readings else {}
    logged = log_check_in(
        session,
        actor,
        patient_id,
        entries,
        triager,
        tz=tz,
        now=now,
        factors=factors,
        answers=answers,
        temperature_c=temperature_celsius(measures, readings),
    )
    if readings:
        when = min(entry.occurred_at for entry in entries)
        log_values(session, actor, patient_id, readings, when, now, logged.check_in_id)
    return logged


@dataclass(frozen=True)
class LoggedValues:
    """Measures saved without a check-in, and the advice for a fever among them (None: none measured)."""

    ids: list[int]
    temperature_c: float | None
    assessment: "Assessment | None"


def log_values_alone(
    session: Session,
    actor: Actor,
    patient_id: int,
    readings: Sequence[Reading],
    measured_at: datetime,
    triager: "Triager",
    now: datetime | None = None,
) -> LoggedValues:
    """Store values taken without a check-in; a temperature of 38 °C or more also gets its advice.

    A fever measured alone is what a parent logs for a baby: the advice (with the profile's age,
    pregnancy and conditions as of now) is given as for a check-in with that temperature, and is not
    stored (there is no check-in to keep it with). Raises ValidationError as `log_values`.
    """
    now = now or utcnow()
    ids, measures = _stored(session, actor, patient_id, readings, measured_at, now)
    measured = temperature_celsius(measures, readings)
    if measured is None or not measured_fever(measured):
        return LoggedValues(ids, measured, None)
    facts = replace(get_patient_facts(session, actor, patient_id, now), temperature_c=measured)
    return LoggedValues(ids, measured, triager.assess({}, patient=facts))


def list_values(
    session: Session,
    actor: Actor,
    patient_id: int,
    start: datetime | None = None,
    end: datetime | None = None,
) -> pd.DataFrame:
    """Return the profile's measure values with start <= occurred_at < end, oldest first (VALUE_COLUMNS)."""
    require(session, actor, patient_id)
    dialect = session.get_bind().dialect.name
    query = (
        select(
            MeasureValue.id,
            MeasureValue.measure_id,
            Measure.name,
            Measure.kind,
            Measure.unit,
            Measure.preset,
            MeasureValue.check_in_id,
            raw_time(MeasureValue.measured_at, dialect),
            MeasureValue.value,
            raw_time(MeasureValue.logged_at, dialect),
        )
        .join(Measure, Measure.id == MeasureValue.measure_id)
        .where(MeasureValue.patient_id == patient_id)
    )
    if start is not None:
        query = query.where(MeasureValue.measured_at >= start)
    if end is not None:
        query = query.where(MeasureValue.measured_at < end)
    rows = session.execute(query.order_by(MeasureValue.measured_at, MeasureValue.id)).all()
    frame = rows_frame(rows, VALUE_COLUMNS, ("occurred_at", "logged_at"))
    return frame.astype({"value": "float64"})


def count_values(session: Session, actor: Actor, patient_id: int) -> int:
    """Return how many measure values the profile holds."""
    require(session, actor, patient_id)
    return session.scalar(select(func.count()).where(MeasureValue.patient_id == patient_id)) or 0


def _measure_for_import(
    session: Session, actor: Actor, patient_id: int, name: str, unit: str, known: dict[str, MeasureInfo]
) -> MeasureInfo:
    """Return the profile's measure called `name`, else a new one: the preset of that name and unit, a
    0-4 rating when there is no unit, or a number in `unit` with no practical limits."""
    if (found := known.get(name.casefold())) is not None:
        return found
    preset = next(
        (p for p in load_presets().values() if p.name.casefold() == name.casefold() and p.unit == unit), None
    )
    if preset is not None:
        definition = MeasureDefinition(name, preset.kind, unit, preset.low, preset.high, preset.key)
    elif not unit:
        definition = MeasureDefinition(name, MeasureKind.RATING)
    else:
        definition = MeasureDefinition(name, MeasureKind.NUMBER, unit, -IMPORT_LIMIT, IMPORT_LIMIT)
    known[name.casefold()] = add_measure(session, actor, patient_id, definition)
    return known[name.casefold()]


def import_values(
    session: Session, actor: Actor, patient_id: int, rows: Sequence["MeasureRow"], now: datetime
) -> tuple[int, int]:
    """Store imported measure values not already stored; return (added, already there).

    Raises ValidationError naming "row N" for a value outside its measure's range or in another unit.
    """
    require(session, actor, patient_id, Permission.WRITE)
    known = {measure.name.casefold(): measure for measure in list_measures(session, actor, patient_id)}
    problems: dict[str, str] = {}
    checked: list[tuple[MeasureInfo, MeasureRow]] = []
    for row in rows:
        measure = _measure_for_import(session, actor, patient_id, row.measure, row.unit, known)
        if measure.unit != row.unit:
            problems[f"row {row.row}"] = (
                f"{measure.name} is kept in {measure.unit or 'points 0-4'}, not {row.unit or 'points'}."
            )
        elif message := value_error(measure, row.value):
            problems[f"row {row.row}"] = message
        else:
            checked.append((measure, row))
    raise_if_any(problems)
    query = select(MeasureValue.measure_id, MeasureValue.measured_at, MeasureValue.value)
    stored = {tuple(row) for row in session.execute(query.where(MeasureValue.patient_id == patient_id))}
    fresh = {(measure.id, row.occurred_at, row.value) for measure, row in checked} - stored
    session.add_all(
        MeasureValue(patient_id=patient_id, measure_id=mid, measured_at=at, value=value, logged_at=now)
        for mid, at, value in sorted(fresh, key=lambda key: (key[1], key[0]))
    )
    if fresh:
        session.flush()
        bump_revision(session, actor, patient_id)
    return len(fresh), len(checked) - len(fresh)
