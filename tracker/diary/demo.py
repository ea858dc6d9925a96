"""Realistic demo data: symptoms that come and go in episodes, over the last year or, for big demos, years.

Each demo profile also keeps three measures (energy, temperature, weight) logged with the day's first
check-in, and period days about every four weeks; a profile with migraine gets most of its attacks in
the first days of a period (menstrual migraine), so the Factors view has a cycle pattern to find.

A large demo stays plausible: a patient's history grows to MAX_DEMO_YEARS before a day gets busier
than REALISTIC_BUSY times a normal day, and the command line spreads big demos over several patients.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.orm import Session

from tracker.care_team.access import Actor
from tracker.cycles.derive import Flow, period_starts
from tracker.diary.patients import profile_limit_error
from tracker.errors import ValidationError
from tracker.measures.presets import load_presets
from tracker.medicines.demo_doses import BadMoment, add_demo_medicines
from tracker.storage.tables import (
    CheckIn,
    CheckInFactor,
    Measure,
    MeasureValue,
    Patient,
    PeriodDay,
    SymptomEntry,
    utcnow,
)

DEMO_DAYS = 365
MAX_DEMO_YEARS = 10
REALISTIC_BUSY = 3  # up to 3x the usual 1-3 check-ins a day during an episode
ENTRIES_PER_DEMO_PATIENT = 10_000  # the command line's default spread of a big demo over patients
BATCH_ROWS = 20_000
# Conditions a person really lives with: which symptoms flare together, how often, how long.
PROFILES: tuple[tuple[str, tuple[str, ...], float, int], ...] = (
    ("migraine", ("Headache", "Nausea", "Fatigue"), 0.06, 2),
    ("colds", ("Cough", "Sore throat", "Runny nose", "Fever"), 0.015, 7),
    ("back", ("Back pain",), 0.03, 5),
    ("gut", ("Abdominal pain", "Diarrhea", "Nausea"), 0.02, 3),
    ("sleep", ("Insomnia", "Fatigue", "Anxiety"), 0.03, 6),
    ("joints", ("Joint pain", "Swelling"), 0.025, 8),
)
# Share of periods that bring a migraine attack in their first days, for a profile with migraine.
MENSTRUAL_MIGRAINE = 0.6
NOTES = ("after a long day", "woke up with it", "took paracetamol", "better after rest", "", "", "", "")


@dataclass(frozen=True)
class DemoEntry:
    symptom: str
    severity: int
    occurred_at: datetime
    note: str | None


def episode_entries(
    rng: np.random.Generator, symptoms: Sequence[str], start: datetime, days: int, busy: int = 1
) -> Iterator[DemoEntry]:
    """Yield an episode's entries: severity rises, peaks and settles, logged 1-3 times a day.

    `busy` multiplies the check-ins per day, for load tests that want more rows than a year holds.
    """
    peak = int(rng.integers(2, 6))
    for day in range(days):
        arc = 1 - abs((day + 0.5) / days * 2 - 1)  # 0 at the ends, 1 in the middle
        for _ in range(int(rng.integers(1, 4)) * busy):
            moment = start + timedelta(days=day, hours=float(rng.uniform(7, 23)))
            for symptom in symptoms if rng.random() < 0.7 else symptoms[:1]:
                severity = int(np.clip(round(1 + (peak - 1) * arc + rng.normal(0, 0.6)), 1, 5))
                note = str(rng.choice(NOTES)) or None
                yield DemoEntry(symptom, severity, moment, note)


def demo_patients(entries: int) -> int:
    """Return how many patients a demo of `entries` entries is spread over by default."""
    return max(1, -(-entries // ENTRIES_PER_DEMO_PATIENT))


def _episodes(
    rng: np.random.Generator,
    chosen: Sequence[int],
    now: datetime,
    days: int,
    cycle_starts: Sequence[date] = (),
) -> list[tuple[tuple[str, ...], datetime, int]]:
    first_day = now - timedelta(days=days)
    episodes = [
        (symptoms, first_day + timedelta(days=int(day)), max(1, int(rng.poisson(length))))
        for _name, symptoms, per_day, length in (PROFILES[i] for i in chosen)
        for day in np.flatnonzero(rng.random(days) < per_day)
    ]
    if any(PROFILES[i][0] == "migraine" for i in chosen):
        migraine = next(symptoms for name, symptoms, _p, _l in PROFILES if name == "migraine")
        midnight = datetime.combine(first_day.date(), datetime.min.time(), first_day.tzinfo)
        episodes += [
            (
                migraine,
                midnight + timedelta(days=(start - first_day.date()).days + int(rng.integers(0, 2))),
                2,
            )
            for start in cycle_starts
            if start >= first_day.date() and rng.random() < MENSTRUAL_MIGRAINE
        ]
    return episodes


def demo_entries(
    rng: np.random.Generator, count: int, now: datetime, cycle_starts: Sequence[date] = ()
) -> list[DemoEntry]:
    """Return `count` entries (or fewer) for one patient, in episodes over the last year or more.

    More entries than a year holds at a realistic pace spread over more years (up to MAX_DEMO_YEARS)
    before days get busier, so a 100,000-entry history looks like long real use, not a burst.
    `cycle_starts`: the first days of the profile's periods (a migraine profile has attacks then).
    """
    chosen = [int(i) for i in rng.choice(len(PROFILES), size=int(rng.integers(2, 5)), replace=False)]
    episodes = _episodes(rng, chosen, now, DEMO_DAYS, cycle_starts)
    per_year = max(sum(days for _s, _start, days in episodes) * 2 * 2 * REALISTIC_BUSY, 1)
    years = min(MAX_DEMO_YEARS, max(1, -(-count // per_year)))
    if years > 1:
        episodes = _episodes(rng, chosen, now, DEMO_DAYS * years, cycle_starts)
    # About 2 check-ins a day of 2 symptoms each; scale up (doubling while short) for load tests.
    natural = sum(days for _s, _start, days in episodes) * 2 * 2
    busy = max(1, -(-count // max(natural, 1)))
    while True:
        entries = [
            entry
            for symptoms, start, days in episodes
            for entry in episode_entries(rng, symptoms, start, days, busy)
            if entry.occurred_at <= now
        ]
        if len(entries) >= count or not episodes or busy > 1024:
            break
        busy *= 2
    entries.sort(key=lambda e: e.occurred_at)
    if len(entries) > count:
        keep = np.sort(rng.choice(len(entries), size=count, replace=False))
        entries = [entries[i] for i in keep]
    return entries


Advisor = Callable[[dict[str, int]], tuple[str, str, float, str]]


def fill_demo(
    engine: Engine,
    actor: Actor,
    patients: int,
    entries: int,
    advise: Advisor,
    seed: int = 7,
    now: datetime | None = None,
    doses: int | None = None,
) -> tuple[int, int]:
    """Add `patients` demo profiles kept by `actor`, `entries` entries in total; return what was added.

    `advise(symptoms)` returns (level, advice, confidence, model_version) for one check-in. Each profile
    also gets medicines and doses (`doses` per profile when given; see tracker.medicines.demo_doses).
    Raises ValidationError for an actor who may not keep that many profiles (a clinician, a patient).
    """
    with Session(engine) as session:
        if message := profile_limit_error(session, actor, adding=patients):
            raise ValidationError({"patients": message})
    now = now or utcnow()
    rng = np.random.default_rng(seed)
    # Measures and cycles draw from their own generator: the entries stay those of earlier versions.
    measure_rng = np.random.default_rng(seed + 1)
    per_patient = np.full(patients, entries // patients)
    per_patient[: entries % patients] += 1
    advice_cache: dict[frozenset[tuple[str, int]], tuple[str, str, float, str]] = {}
    added = 0
    with engine.begin() as connection:
        offset = connection.scalar(select(func.count()).select_from(Patient)) or 0
        # Ids are assigned here so check-ins and entries go in as large batches.
        next_check_in = (connection.scalar(select(func.max(CheckIn.id))) or 0) + 1
        for index, wanted in enumerate(per_patient):
            patient_id = connection.execute(
                insert(Patient)
                .values(
                    name=f"Demo patient {offset + index + 1}",
                    created_at=now,
                    owner_id=actor.owner_id,
                    tracks_cycle=True,
                )
                .returning(Patient.id)
            ).scalar_one()
            check_ins: list[dict[str, object]] = []
            rows: list[dict[str, object]] = []
            factors: list[dict[str, object]] = []
            measured: list[dict[str, object]] = []
            measure_ids = _add_demo_measures(connection, patient_id, now)
            last_day = None
            # Periods first, over the longest history a demo has: migraine attacks follow them.
            periods = demo_period_days(
                measure_rng, now.date() - timedelta(days=DEMO_DAYS * MAX_DEMO_YEARS), now.date()
            )
            starts = period_starts({day: Flow(flow) for day, flow in periods})
            made = demo_entries(rng, int(wanted), now, starts)
            for group in _check_in_groups(made):
                first_of_day = group[0].occurred_at.date() != last_day
                last_day = group[0].occurred_at.date()
                measured.extend(
                    {
                        "patient_id": patient_id,
                        "measure_id": measure_ids[preset],
                        "check_in_id": next_check_in,
                        "measured_at": group[0].occurred_at,
                        "value": value,
                        "logged_at": group[0].occurred_at,
                    }
                    for preset, value in demo_measures(measure_rng, group, first_of_day)
                )
                factors.extend(
                    {
                        "check_in_id": next_check_in,
                        "patient_id": patient_id,
                        "occurred_at": group[0].occurred_at,
                        "kind": kind,
                        "name": name,
                        "value": value,
                    }
                    for kind, name, value in demo_factors(rng, group, first_of_day)
                )
                key = frozenset((e.symptom, e.severity) for e in group)
                if key not in advice_cache:
                    advice_cache[key] = advise(dict(key))
                level, advice, confidence, version = advice_cache[key]
                check_ins.append(
                    {
                        "id": next_check_in,
                        "patient_id": patient_id,
                        "logged_at": group[0].occurred_at,
                        "level": level,
                        "advice": advice,
                        "confidence": confidence,
                        "model_version": version,
                    }
                )
                rows.extend(_row(e, patient_id, next_check_in) for e in group)
                next_check_in += 1
            for batch in range(0, len(check_ins), BATCH_ROWS):
                connection.execute(insert(CheckIn), check_ins[batch : batch + BATCH_ROWS])
            for batch in range(0, len(rows), BATCH_ROWS):
                connection.execute(insert(SymptomEntry), rows[batch : batch + BATCH_ROWS])
            for batch in range(0, len(factors), BATCH_ROWS):
                connection.execute(insert(CheckInFactor), factors[batch : batch + BATCH_ROWS])
            bad = [BadMoment(e.occurred_at, e.severity) for e in made if e.severity >= 3]
            first_day = made[0].occurred_at.date() if made else now.date()
            add_demo_medicines(connection, rng, patient_id, bad, first_day, now, doses)
            for batch in range(0, len(measured), BATCH_ROWS):
                connection.execute(insert(MeasureValue), measured[batch : batch + BATCH_ROWS])
            if made:
                connection.execute(
                    insert(PeriodDay),
                    [
                        {"patient_id": patient_id, "day": day, "flow": flow, "recorded_at": now}
                        for day, flow in periods
                        if day >= made[0].occurred_at.date()
                    ],
                )
            added += len(rows)
    return patients, added


def demo_factors(
    rng: np.random.Generator, group: Sequence[DemoEntry], first_of_day: bool
) -> list[tuple[str, str, float | None]]:
    """Return plausible factors for a check-in: worse days follow short sleep, and bring painkillers."""
    worst = max(entry.severity for entry in group)
    names = {entry.symptom for entry in group}
    factors: list[tuple[str, str, float | None]] = []
    if first_of_day:
        hours = float(np.clip(round(7.4 - 0.45 * (worst - 1) + rng.normal(0, 0.6), 1), 3, 11))
        factors.append(("sleep", "Sleep", hours))
    if worst >= 4 and rng.random() < 0.6:
        factors.append(("medication", "Ibuprofen" if "Back pain" in names else "Paracetamol", None))
    if rng.random() < (0.55 if "Headache" in names else 0.2):
        factors.append(("tag", "coffee", None))
    if rng.random() < (0.5 if names & {"Anxiety", "Insomnia"} else 0.15):
        factors.append(("tag", "stress", None))
    if rng.random() < 0.15:
        factors.append(("tag", "exercise", None))
    return factors


DEMO_MEASURES = ("energy", "temperature_c", "weight_kg")


def _add_demo_measures(connection: Connection, patient_id: int, now: datetime) -> dict[str, int]:
    """Add the demo measures to a profile; return preset -> measure id."""
    presets = load_presets()
    ids = {}
    for key in DEMO_MEASURES:
        preset = presets[key]
        values = {"name": preset.name, "kind": preset.kind.value, "unit": preset.unit, "low": preset.low}
        statement = insert(Measure).values(
            patient_id=patient_id, high=preset.high, preset=key, created_at=now, **values
        )
        ids[key] = connection.execute(statement.returning(Measure.id)).scalar_one()
    return ids


def demo_measures(
    rng: np.random.Generator, group: Sequence[DemoEntry], first_of_day: bool
) -> list[tuple[str, float]]:
    """Return the day's measures with its first check-in: less energy on worse days, a fever's temperature."""
    if not first_of_day:
        return []
    worst = max(entry.severity for entry in group)
    fever = any(entry.symptom in ("Fever", "Chills") for entry in group)
    energy = float(np.clip(round(4 - 0.7 * (worst - 1) + rng.normal(0, 0.6)), 0, 4))
    temperature = round(float(36.7 + (1.4 if fever else 0) + rng.normal(0, 0.25)), 1)
    weight = round(float(68 + rng.normal(0, 0.6)), 1)
    return [("energy", energy), ("temperature_c", temperature), ("weight_kg", weight)]


def demo_period_days(rng: np.random.Generator, first: date, last: date) -> list[tuple[date, str]]:
    """Return period days every 26-31 days from `first` to `last`: 4-6 days, heavier at the start."""
    days: list[tuple[date, str]] = []
    start = first + timedelta(days=int(rng.integers(0, 28)))
    while start <= last:
        length = int(rng.integers(4, 7))
        flows = ["medium", "heavy", "medium", *["light"] * (length - 3)]
        days += [
            (start + timedelta(days=i), flow)
            for i, flow in enumerate(flows)
            if start + timedelta(days=i) <= last
        ]
        start += timedelta(days=int(rng.integers(26, 32)))
    return days


def _check_in_groups(entries: Sequence[DemoEntry]) -> Iterator[list[DemoEntry]]:
    group: list[DemoEntry] = []
    for entry in entries:
        if group and entry.occurred_at != group[0].occurred_at:
            yield group
            group = []
        group.append(entry)
    if group:
        yield group


def _row(entry: DemoEntry, patient_id: int, check_in_id: int) -> dict[str, object]:
    return {
        "patient_id": patient_id,
        "check_in_id": check_in_id,
        "symptom": entry.symptom,
        "symptom_text": entry.symptom,
        "severity": entry.severity,
        "occurred_at": entry.occurred_at,
        "logged_at": entry.occurred_at,
        "note": entry.note,
    }
