"""Numbers people type from their own devices: oxygen, peak flow, blood pressure, sugar, ketones, pulse.

"sats 91", "peak flow 150 (best 480)", "bp 190/120", "sugar 2.8", "ketones 1.8", "pulse 140": each is
read as a measure (data/knowledge/readings.csv: the words that name it, the units that follow it, the
range a real value falls in) and turned into the concept its range stands for
(data/knowledge/reading_levels.csv: from, to, age, conditions -> a symptom of symptoms.csv, with its
source), so the levels, combinations and advice of the tables apply as to any symptom. Guidance states
thresholds as numbers; reading them as numbers holds for every phrasing of "oxygen 91", where a list of
words would hold only for the phrasings written into it. A number outside a measure's range is not a
reading ("oxygen 2 litres"), nor is a number after "if", "target" or "usually" ("call if under 92").
Temperatures are read by `tracker.triage.patient.stated_temperature`.
"""

import csv
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

from tracker.config import DATA_DIR
from tracker.errors import TableProblemsError
from tracker.triage.patient import PatientFacts

T = TypeVar("T")
READINGS_FILE = DATA_DIR / "knowledge" / "readings.csv"
LEVELS_FILE = DATA_DIR / "knowledge" / "reading_levels.csv"
# The measures a reading of each kind holds: a blood pressure is two numbers, a peak flow is compared
# with the person's best; every other kind is one number under its own name.
MEASURES = {
    "blood_pressure": ("systolic", "diastolic"),
    "peak_flow": ("peak_flow_percent",),
}


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


MG_DL_PER_MMOL = 18.0  # blood sugar typed in mg/dL ("sugar 45", "glucose 300 mg/dl") is read in mmol/L
MG_DL_MAX = 600.0
AFTER = 6  # words a number may come after the name of its measure ("oxygen on the finger thing says 91")
BEFORE = 3  # words a unit may come after its number ("110 bpm", "5.8 mmol")
# Words that make the next number someone's usual, best or target rather than now: for a peak flow it is
# the best to compare with; for anything else the number is skipped.
BASELINE = _word_set("usual usually normal normally best pb baseline before target aim supposed should")
# A number in a clause that starts with these is a plan or a rule, not a measurement ("call if under 92").
HYPOTHETICAL = frozenset(["if", "unless", "target", "aim"])
# "128/82" with no name is read as a blood pressure only inside these bounds (not "25/12", "3/10").
BARE_SYSTOLIC, BARE_DIASTOLIC, BARE_GAP = (70.0, 260.0), (40.0, 150.0), 10.0
OVER = frozenset(["over", "/"])  # "150 over 95", "150/95"
# A number followed by one of these counts something else: "rechecked 15 mins later", "lost 3 kg".
OTHER_UNITS = _word_set(
    "min mins minute minutes h hr hrs hour hours day days week weeks wk wks month months year years yr yrs "
    "kg kgs kilo kilos lb lbs stone st g ml l litre litres liter liters times x puffs tablets pills doses "
    "units u iu cm mm km miles am pm c f degrees"
)
PERCENT = frozenset(["%", "percent", "pct"])
BREAK = frozenset([".", ";", "!", "?", "\n"])
TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[a-z]+\d*[a-z\d]*|[/%]|[.;!?\n]")


class MeasuredError(TableProblemsError):
    """The readings tables have a bad row; `problems` names each file and line."""

    subject = "The readings tables"


@dataclass(frozen=True)
class Kind:
    """A kind of reading: the words that name it (number after), its units (number before), its range,
    and the concepts its number replaces (a ketone reading says how high: "Ketones" alone no longer counts).
    """

    id: str
    words: tuple[tuple[str, ...], ...]
    units: tuple[tuple[str, ...], ...]
    low: float
    high: float
    replaces: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Band:
    """A row of reading_levels.csv: a measure from..to (inclusive) means `concept` for these people."""

    measure: str
    low: float
    high: float
    age_from: float | None
    age_below: float | None
    conditions: frozenset[str]
    concept: str

    def holds(self, value: float, patient: PatientFacts) -> bool:
        age = patient.age_years
        return (
            self.low <= value <= self.high
            and (self.age_from is None or age is None or age >= self.age_from)
            and (self.age_below is None or (age is not None and age < self.age_below))
            and self.conditions <= patient.conditions
        )


@dataclass(frozen=True)
class Reading:
    """One reading found in a text: its kind and its measures' values."""

    kind: str
    values: tuple[tuple[str, float], ...]


def fold_numbers(text: str) -> str:
    """Return `text` lower-cased without accents, digits and separators kept ("Sättigung 91,5%")."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _phrases(cell: str) -> tuple[tuple[str, ...], ...]:
    found = (tuple(TOKEN.findall(fold_numbers(word))) for word in cell.split("|"))
    return tuple(sorted({p for p in found if p}, key=len, reverse=True))


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _optional(text: str) -> float | None:
    return float(text) if text.strip() else None


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            yield line, {key: (value or "").strip() for key, value in row.items() if key}


def _parsed(path: Path, build: Callable[[dict[str, str]], T]) -> tuple[T, ...]:
    """Return `build` of every row of `path`. Raises MeasuredError naming every bad line."""
    items, problems = [], []
    for line, row in _rows(path):
        try:
            items.append(build(row))
        except (KeyError, ValueError) as error:
            problems.append(f"{path.name} line {line}: {error}")
    if problems:
        raise MeasuredError(problems)
    return tuple(items)


def _kind(row: dict[str, str]) -> Kind:
    return Kind(
        row["reading"],
        _phrases(row["words"]),
        _phrases(row["units"]),
        float(row["low"]),
        float(row["high"]),
        frozenset(name for name in row["replaces"].split("|") if name),
    )


def _band(row: dict[str, str], measures: set[str]) -> Band:
    band = Band(
        row["measure"],
        float(row["from"]),
        float(row["to"]),
        _optional(row["age_from"]),
        _optional(row["age_below"]),
        frozenset(c for c in row["conditions"].split("|") if c),
        row["concept"],
    )
    if band.measure not in measures:
        raise ValueError(f"unknown measure {band.measure!r}")
    if band.low > band.high or not band.concept:
        raise ValueError("'from' is above 'to', or the concept is blank")
    return band


@cache
def load_kinds(path: Path = READINGS_FILE) -> tuple[Kind, ...]:
    """Return the kinds of reading. Raises MeasuredError naming every bad line."""
    return _parsed(path, _kind)


@cache
def load_bands(path: Path = LEVELS_FILE) -> tuple[Band, ...]:
    """Return the bands in the table's order (the first that holds decides). Raises MeasuredError."""
    measures = {m for kind in load_kinds() for m in MEASURES.get(kind.id, (kind.id,))}
    return _parsed(path, lambda row: _band(row, measures))


def _at(tokens: Sequence[str], start: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """Return the length of the longest phrase at `start` (0: none)."""
    for phrase in phrases:
        if tuple(tokens[start : start + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _numbers_after(tokens: Sequence[str], start: int, used: set[int]) -> list[tuple[int, float, bool]]:
    """Return (position, value, is a baseline) of the numbers in the clause after `start`."""
    found = []
    for position in range(start, min(start + AFTER + 4, len(tokens))):
        token = tokens[position]
        if token in BREAK:
            break
        value = _number(token) if token[0].isdigit() else None
        if value is not None and position not in used and not _counts_something_else(tokens, position):
            baseline = any(t in BASELINE for t in tokens[max(position - 2, start) : position])
            found.append((position, value, baseline))
    return found


def _counts_something_else(tokens: Sequence[str], position: int) -> bool:
    """Return whether the number at `position` counts time, weight or doses ("rechecked 15 mins later")."""
    after = tokens[position + 1] if position + 1 < len(tokens) else ""
    return after in OTHER_UNITS or (after == "mg" and tokens[position + 2 : position + 4] != ["/", "dl"])


def _hypothetical(tokens: Sequence[str], start: int) -> bool:
    """Return whether the clause holding `start` is a plan or a rule ("if it drops below 92")."""
    for position in range(start - 1, max(start - AFTER, 0) - 1, -1):
        if tokens[position] in BREAK:
            return False
        if tokens[position] in HYPOTHETICAL:
            return True
    return False


def _read_kind(kind: Kind, tokens: Sequence[str], start: int, used: set[int]) -> Reading | None:
    numbers = [n for n in _numbers_after(tokens, start, used) if n[0] - start <= AFTER]
    if kind.id == "blood_pressure":
        for (first, high, _), (second, low, _) in itertools.pairwise(numbers):
            if second - first == 2 and tokens[first + 1] in OVER and kind.low <= low < high <= kind.high:
                used.update((first, second))
                return Reading(kind.id, (("systolic", high), ("diastolic", low)))
        return None
    if kind.id == "peak_flow":
        return _peak_flow(kind, tokens, start, numbers, used)
    for position, value, baseline in numbers:
        if baseline:
            continue
        if (read := _in_range(kind, value)) is None:
            return None  # the first number after the name is its value; one out of range is not a reading
        used.add(position)
        return Reading(kind.id, ((kind.id, read),))
    return None


def _in_range(kind: Kind, value: float) -> float | None:
    """Return the value in the kind's unit (blood sugar in mg/dL as mmol/L), or None when out of range."""
    if kind.id == "glucose" and kind.high < value <= MG_DL_MAX:
        value = round(value / MG_DL_PER_MMOL, 1)
    return value if kind.low <= value <= kind.high else None


def _peak_flow(
    kind: Kind, tokens: Sequence[str], start: int, numbers: list[tuple[int, float, bool]], used: set[int]
) -> Reading | None:
    """Return a peak flow as a share of the person's best: "150 best 480", "150/480", "45% of best"."""
    now = next((n for n in numbers if not n[2]), None)
    if now is None:
        return None
    position, value, _ = now
    if position + 1 < len(tokens) and tokens[position + 1] in PERCENT and 0 < value <= 150:
        used.add(position)
        return Reading(kind.id, (("peak_flow_percent", value),))
    best = next((n for n in numbers if n[2] or n[0] > position), None)
    if best is None or not (kind.low <= value <= kind.high and kind.low <= best[1] <= kind.high):
        return None
    used.update((position, best[0]))
    share = round(100 * value / best[1], 1)
    return Reading(kind.id, (("peak_flow_percent", share),))


def readings_in(text: str) -> list[Reading]:
    """Return the readings typed in `text`, in the order they were written."""
    tokens = TOKEN.findall(fold_numbers(text))
    kinds = load_kinds()
    used: set[int] = set()
    found: list[Reading] = []
    starts = {phrase[0] for kind in kinds for phrase in kind.words if phrase}
    position = 0
    while position < len(tokens):
        named = (kinds[0], 0)
        if tokens[position] in starts:  # most words begin no measure's name
            named = max(((kind, _at(tokens, position, kind.words)) for kind in kinds), key=lambda k: k[1])
        if named[1] and not _hypothetical(tokens, position):
            if (reading := _read_kind(named[0], tokens, position + named[1], used)) is not None:
                found.append(reading)
            position += named[1]
            continue
        if tokens[position][0].isdigit() and position not in used:
            reading = _unit_after(kinds, tokens, position, used)
            if reading is not None and not _hypothetical(tokens, position):
                found.append(reading)
        position += 1
    return found


def _unit_after(
    kinds: Sequence[Kind], tokens: Sequence[str], position: int, used: set[int]
) -> Reading | None:
    """Return the reading of a number followed by a unit ("110 bpm", "5.8 mmol"), or None."""
    value = _number(tokens[position])
    if value is None:
        return None
    if (pressure := _pressure(tokens, position, used)) is not None:
        return pressure
    for kind in kinds:
        if kind.id in MEASURES:
            continue
        for gap in range(1, BEFORE + 1):
            if _at(tokens, position + gap, kind.units) and (read := _in_range(kind, value)) is not None:
                used.add(position)
                return Reading(kind.id, ((kind.id, read),))
    return None


def _pressure(tokens: Sequence[str], position: int, used: set[int]) -> Reading | None:
    """Return "128/82" as a blood pressure without its name: only a pair no date or score looks like."""
    if position + 2 >= len(tokens) or tokens[position + 1] != "/" or not tokens[position + 2][0].isdigit():
        return None
    high, low = _number(tokens[position]), _number(tokens[position + 2])
    if high is None or low is None or not (BARE_SYSTOLIC[0] <= high <= BARE_SYSTOLIC[1]):
        return None
    if not (BARE_DIASTOLIC[0] <= low <= BARE_DIASTOLIC[1]) or high - low < BARE_GAP:
        return None
    used.update((position, position + 2))
    return Reading("blood_pressure", (("systolic", high), ("diastolic", low)))


@dataclass(frozen=True)
class Measured:
    """What the readings of a text stand for: their concepts, and those of the words that they replace."""

    concepts: tuple[str, ...] = ()
    replaces: frozenset[str] = frozenset()

    def applied(self, present: Sequence[str]) -> list[str]:
        """Return `present` (the concepts the words name) without those replaced, then the readings' own."""
        return list(dict.fromkeys([*(c for c in present if c not in self.replaces), *self.concepts]))


def concepts_measured(text: str, patient: PatientFacts) -> list[str]:
    """Return the concept each reading in `text` stands for (the first band that holds), without repeats."""
    return list(measured(text, patient).concepts)


def measured(text: str, patient: PatientFacts) -> Measured:
    """Return what the readings in `text` stand for: for each, the concept of the first band that holds."""
    bands = load_bands()
    kinds = {kind.id: kind for kind in load_kinds()}
    concepts: list[str] = []
    replaces: set[str] = set()
    for reading in readings_in(text):
        concept = next(
            (
                band.concept
                for band in bands
                for measure, value in reading.values
                if band.measure == measure and band.holds(value, patient)
            ),
            None,
        )
        if concept is not None:
            concepts.append(concept)
            replaces |= kinds[reading.kind].replaces
    return Measured(tuple(dict.fromkeys(concepts)), frozenset(replaces))
