"""Read the knowledge tables (`data/knowledge/*.csv`), check every row, and derive what triage uses.

The tables are what a clinician edits in any spreadsheet: one row per symptom (with its level at each
severity 1-5), red-flag combinations (with optional patient facts), emergency and crisis phrases, and
their sources. Every bad row is reported with its file and line; nothing is used until all are good.
"""

from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from tracker.levels import TriageLevel
from tracker.triage.knowledge import (
    COLUMNS,
    GENERIC_SYMPTOM,
    LANGUAGES,
    LEVEL_COLUMNS,
    PHRASE_KINDS,
    SEVERITIES,
    THRESHOLDS,
    Knowledge,
    KnowledgeError,
    parse_thresholds,
)
from tracker.triage.measured import MEASURES
from tracker.triage.reading import MIN_STEM_LETTERS, STEM, fold

# What each table file must hold (its first line); optional columns may be blank.
TABLES: dict[str, tuple[str, ...]] = {
    "symptoms": (
        "symptom",
        "body_system",
        "snomed_code",
        *LEVEL_COLUMNS,
        "synonyms",
        "care",
        "watch",
        "danger",
        "review",
        "who",
        "urgent",
        "tip",
        "sex",
        "source",
        "reviewed_on",
    ),
    "combinations": (
        "rule_id",
        "requires",
        "any_of",
        "level",
        "age_below",
        "age_from",
        "pregnant",
        "sex",
        "conditions",
        "reason",
        "source",
        "reviewed_on",
    ),
    "phrase_groups": ("group", "kind", "level", "wording", "source", "reviewed_on"),
    "phrases": ("phrase", "language", "group", "unless", "reviewed_on"),
    "fallback": ("severity", "level", "reason"),
    "generic_advice": ("level", "advice", "source"),
    "body_systems": ("body_system", "emergency_tip", "age_below"),
    "conditions": ("condition", "label", "snomed_code", "words", "source", "reviewed_on"),
    "translations": ("phrase", "language", "symptom", "reviewed_on"),
    "compositions": ("concept", "all_of_1", "all_of_2", "all_of_3", "unless", "source", "reviewed_on"),
    "covers": ("concept", "covers", "in_combinations", "source", "reviewed_on"),
    "readings": ("reading", "words", "units", "low", "high", "replaces", "source", "reviewed_on"),
    "reading_levels": (
        "measure",
        "from",
        "to",
        "age_from",
        "age_below",
        "conditions",
        "concept",
        "source",
        "reviewed_on",
    ),
}
REQUIRED = {
    "symptoms": ("symptom", "body_system", *LEVEL_COLUMNS, "source"),
    "combinations": ("rule_id", "requires", "level", "reason", "source"),
    "phrase_groups": ("group", "kind", "level", "wording", "source"),
    "phrases": ("phrase", "language", "group"),
    "fallback": ("severity", "level", "reason"),
    "generic_advice": ("level", "advice"),
    "body_systems": ("body_system", "emergency_tip"),
    "conditions": ("condition", "label"),
    "translations": ("phrase", "language", "symptom"),
    "compositions": ("concept", "all_of_1", "source"),
    "covers": ("concept", "covers", "source"),
    "readings": ("reading", "words", "low", "high", "source"),
    "reading_levels": ("measure", "from", "to", "concept", "source"),
}
LEVELS = {str(level) for level in TriageLevel}
SEXES = ("", "F", "M")  # a symptom's or rule's `sex`: whose body it can be (blank: anyone's)
# Region-neutral defaults: the app shows the local emergency, urgent-advice and crisis numbers itself.
DEFAULT_WHO = "your GP"
DEFAULT_URGENT = (
    "your GP practice for a same-day appointment, or an urgent care centre, out-of-hours service "
    "or nurse advice line"
)

Problem = str


def read_tables(folder: Path) -> Knowledge:
    """Return the knowledge built from the CSV tables in `folder`. Raises KnowledgeError (every problem)."""
    raw, problems = {}, []
    for name, columns in TABLES.items():
        path = folder / f"{name}.csv"
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        except (OSError, ValueError, UnicodeDecodeError) as error:
            problems.append(f"cannot read {path}: {error}")
            continue
        missing = [column for column in columns if column not in frame.columns]
        if missing:
            problems.append(f"{path.name} lacks columns {missing}")
            continue
        raw[name] = frame.map(str.strip)
    if problems:
        raise KnowledgeError(problems)
    problems = table_problems(raw)
    if problems:
        raise KnowledgeError(problems)
    return _derive(raw)


def table_problems(raw: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Return one message per bad row of the tables: "file.csv line N: what is wrong"."""
    names = set(raw["symptoms"]["symptom"])
    conditions = set(raw["conditions"]["condition"])
    systems = set(raw["body_systems"]["body_system"])
    groups = set(raw["phrase_groups"]["group"])
    measures = {m for kind in raw["readings"]["reading"] for m in MEASURES.get(kind, (kind,))}
    owners: dict[str, set[str]] = {}  # a condition's word -> the conditions that list it
    for row in raw["conditions"].to_dict("records"):
        for word in _words(row["words"]):
            owners.setdefault(word, set()).add(row["condition"])
    checks: dict[str, Callable[[dict[str, str]], list[str]]] = {
        "symptoms": lambda row: _symptom_row(row, systems),
        "combinations": lambda row: _combination_row(row, names, conditions),
        "phrase_groups": lambda row: _phrase_group_row(row),
        "phrases": lambda row: _phrase_row(row, groups),
        "translations": lambda row: _translation_row(row, names),
        "compositions": lambda row: _composition_row(row, names),
        "covers": lambda row: _covers_row(row, names),
        "conditions": lambda row: [
            f"the word {word!r} is also listed for {', '.join(sorted(owners[word] - {row['condition']}))}"
            for word in _words(row["words"])
            if owners[word] - {row["condition"]}
        ],
        "readings": lambda row: _range_problems(row, "low", "high") + _named_problems(row["replaces"], names),
        "reading_levels": lambda row: _reading_level_row(row, names, conditions, measures),
        "fallback": lambda row: [] if row["level"] in LEVELS else [f"unknown level {row['level']!r}"],
        "generic_advice": lambda row: [] if row["level"] in LEVELS else [f"unknown level {row['level']!r}"],
        "body_systems": lambda row: (
            []
            if not row["age_below"] or _is_age(row["age_below"])
            else [f"age_below must be an age in years, got {row['age_below']!r}"]
        ),
    }
    problems = []
    for table, frame in raw.items():
        check = checks.get(table, lambda row: [])
        for index, row in enumerate(frame.to_dict("records")):
            found = [f"{column} is blank" for column in REQUIRED[table] if not row[column]] or check(row)
            problems += [f"{table}.csv line {index + 2}: {text}" for text in found]
        problems += _duplicates(table, frame)
    if sorted(raw["fallback"]["severity"]) != [str(s) for s in SEVERITIES]:
        problems.append("fallback.csv needs exactly one row per severity 1-5")
    if set(raw["generic_advice"]["level"]) != LEVELS:
        problems.append("generic_advice.csv needs one row per level")
    return problems


def _duplicates(table: str, frame: pd.DataFrame) -> list[Problem]:
    key = {"symptoms": "symptom", "combinations": "rule_id", "phrase_groups": "group", "phrases": "phrase"}
    if table not in key:
        return []
    folded = frame[key[table]].str.casefold()
    repeated = frame[folded.duplicated(keep="first")]
    return [
        f"{table}.csv line {i + 2}: {value!r} is listed twice" for i, value in repeated[key[table]].items()
    ]


def _symptom_row(row: dict[str, str], systems: set[str]) -> list[str]:
    levels = [row[column] for column in LEVEL_COLUMNS]
    if any(level not in LEVELS for level in levels):
        return [f"levels must be one of {sorted(LEVELS)}, got {levels}"]
    ranks = [TriageLevel(level).rank for level in levels]
    problems = []
    if ranks != sorted(ranks):
        problems.append("levels must not fall as the severity rises")
    if ranks[-1] == 0:
        problems.append("at severity 5 a symptom must need more than self care")
    # Advice is written from the symptom's mildest level up: only the words those levels use are needed.
    if ranks[0] < 2:
        problems += [f"{column} is blank" for column in ("care", "watch", "review") if not row[column]]
    if (ranks[0] < 3 and 2 in ranks) or ranks[0] == 2:
        problems += [] if row["danger"] else ["danger is blank (the urgent advice names it)"]
    if row["body_system"] not in systems:
        problems.append(f"body_system {row['body_system']!r} is not in body_systems.csv")
    if row["sex"] not in SEXES:
        problems.append(f"sex must be F, M or blank (either), got {row['sex']!r}")
    if any(not synonym.strip() for synonym in row["synonyms"].split("|")) and row["synonyms"]:
        problems.append("synonyms has an empty entry between '|'")
    return problems + _repeated_entries("synonyms", row["synonyms"])


def _composition_row(row: dict[str, str], names: set[str]) -> list[str]:
    problems = [] if row["concept"] in names else [f"concept {row['concept']!r} is not in symptoms.csv"]
    columns = [column for column in row if column.startswith("all_of_") or column == "unless"]
    entries = [entry for column in columns for entry in str(row[column]).split("|")]
    for column in columns:
        problems += _repeated_entries(column, str(row[column]))
    for word in (word for entry in entries for word in entry.split()):
        stem = word.removesuffix(STEM)
        if STEM in stem or (word.endswith(STEM) and len(fold(stem).replace(" ", "")) < MIN_STEM_LETTERS):
            problems.append(f"{word!r}: a stem ends in one * and has at least {MIN_STEM_LETTERS} letters")
    return problems


def _repeated_entries(column: str, cell: str) -> list[str]:
    """Return a message per entry a `|`-separated cell lists twice (a second copy reads nothing new)."""
    entries = [entry for entry in cell.split("|") if entry]
    repeated = sorted({entry for entry in entries if entries.count(entry) > 1})
    return [f"{column} lists {entry!r} twice" for entry in repeated]


def _words(cell: str) -> list[str]:
    """Return a `|`-separated cell's entries, folded as the reader folds text."""
    return [fold(word) for word in str(cell).split("|") if fold(word)]


def _combination_row(row: dict[str, str], names: set[str], conditions: set[str]) -> list[str]:
    problems = [] if row["level"] in LEVELS else [f"unknown level {row['level']!r}"]
    try:
        named = parse_thresholds(row["requires"]) + parse_thresholds(row["any_of"])
    except ValueError:
        return [*problems, "requires and any_of are 'Symptom:severity' separated by '|'"]
    problems += [
        f"names unknown symptom {n!r} (spell it as in symptoms.csv)" for n, _ in named if n not in names
    ]
    problems += [f"severity {s} of {n!r} is not 1-5" for n, s in named if s not in SEVERITIES]
    problems += _age_problems(row, ("age_below", "age_from"))
    if row["pregnant"] not in ("", "yes", "no"):
        problems.append(f"pregnant must be yes, no or blank, got {row['pregnant']!r}")
    if row["sex"] not in SEXES:
        problems.append(f"sex must be F, M or blank (either), got {row['sex']!r}")
    return problems + _condition_problems(row["conditions"], conditions)


def _age_problems(row: Mapping[str, str], columns: tuple[str, ...]) -> list[str]:
    return [f"{c} must be an age in years, got {row[c]!r}" for c in columns if row[c] and not _is_age(row[c])]


def _condition_problems(cell: str, conditions: set[str]) -> list[str]:
    return [f"condition {c!r} is not in conditions.csv" for c in cell.split("|") if c and c not in conditions]


def _range_problems(row: Mapping[str, str], low: str, high: str) -> list[str]:
    try:
        ok = float(row[low]) <= float(row[high])
    except ValueError:
        return [f"{low} and {high} must be numbers, got {row[low]!r} and {row[high]!r}"]
    return [] if ok else [f"{low} {row[low]} is above {high} {row[high]}"]


def _named_problems(cell: str, names: set[str], verb: str = "replaces") -> list[str]:
    return [f"{verb} {n!r}, which is not in symptoms.csv" for n in cell.split("|") if n and n not in names]


def _reading_level_row(
    row: dict[str, str], names: set[str], conditions: set[str], measures: set[str]
) -> list[str]:
    problems = _range_problems(row, "from", "to")
    if row["measure"] not in measures:
        problems.append(f"measure {row['measure']!r} is not one of {sorted(measures)} (readings.csv)")
    if row["concept"] not in names:
        problems.append(f"concept {row['concept']!r} is not in symptoms.csv")
    problems += _age_problems(row, ("age_from", "age_below"))
    return problems + _condition_problems(row["conditions"], conditions)


def _is_age(text: str) -> bool:
    try:
        return 0 <= float(text) <= 130
    except ValueError:
        return False


def _covers_row(row: dict[str, str], names: set[str]) -> list[str]:
    problems = [] if row["concept"] in names else [f"concept {row['concept']!r} is not in symptoms.csv"]
    problems += _named_problems(row["covers"], names, "covers")
    itself = row["concept"] in row["covers"].split("|")
    problems += [f"{row['concept']!r} cannot cover itself"] if itself else []
    flag = str(row.get("in_combinations", "") or "").strip().lower()
    bad_flag = flag not in ("", "yes", "no")
    return problems + ([f"in_combinations {flag!r} is not yes, no or blank"] if bad_flag else [])


def _translation_row(row: dict[str, str], names: set[str]) -> list[str]:
    problems = [] if row["symptom"] in names else [f"symptom {row['symptom']!r} is not in symptoms.csv"]
    return problems + ([] if row["language"] in LANGUAGES else [f"language must be one of {LANGUAGES}"])


def _phrase_group_row(row: dict[str, str]) -> list[str]:
    problems = [] if row["kind"] in PHRASE_KINDS else [f"kind must be one of {PHRASE_KINDS}"]
    return problems + ([] if row["level"] in LEVELS else [f"unknown level {row['level']!r}"])


def _phrase_row(row: dict[str, str], groups: set[str]) -> list[str]:
    problems = [] if row["group"] in groups else [f"group {row['group']!r} is not in phrase_groups.csv"]
    if row["language"] not in LANGUAGES:
        problems.append(f"language must be one of {LANGUAGES}")
    if len(row["phrase"]) < 4:
        problems.append("a phrase this short would match inside unrelated words")
    return problems


def _derive(raw: Mapping[str, pd.DataFrame]) -> Knowledge:
    symptoms = raw["symptoms"].copy()
    # Words in other languages are synonyms like any other: the vocabulary reads them from one column.
    translated = raw["translations"].groupby("symptom")["phrase"].agg("|".join)
    extra = symptoms["symptom"].map(translated).fillna("")
    symptoms["synonyms"] = [
        "|".join(part for part in (own, more) if part)
        for own, more in zip(symptoms["synonyms"], extra, strict=True)
    ]
    for column, level in THRESHOLDS.items():
        symptoms[column] = [_first_at(row, level) for row in symptoms.to_dict("records")]
    symptoms["who"] = symptoms["who"].replace("", DEFAULT_WHO)
    symptoms["urgent"] = symptoms["urgent"].replace("", DEFAULT_URGENT)
    tips = dict(zip(raw["body_systems"]["body_system"], raw["body_systems"]["emergency_tip"], strict=True))
    # A baby's or child's sign ("crying all the time" as colic) is not read for an older patient.
    ages = dict(zip(raw["body_systems"]["body_system"], raw["body_systems"]["age_below"], strict=True))
    symptoms["age_below"] = symptoms["body_system"].map(ages).fillna("")
    phrases = raw["phrases"].merge(raw["phrase_groups"], on="group", suffixes=("", "_group"))
    return Knowledge(
        symptoms=symptoms,
        advice=advice_frame(symptoms, raw["generic_advice"], tips),
        combinations=raw["combinations"].copy(),
        phrases=phrases[[*COLUMNS["phrases"], "language", "group", "unless"]],
        fallback=raw["fallback"].astype({"severity": int}),
        training=pd.DataFrame(columns=COLUMNS["training"]),
        conditions=raw["conditions"].copy(),
        compositions=raw["compositions"].copy(),
        covers=raw["covers"].copy(),
    )


def _first_at(row: Mapping[str, str], level: TriageLevel) -> int | None:
    """Return the lowest severity whose level is at least `level` (None when never)."""
    return next((s for s in SEVERITIES if TriageLevel(row[f"level_{s}"]).rank >= level.rank), None)


def advice_frame(symptoms: pd.DataFrame, generic: pd.DataFrame, tips: Mapping[str, str]) -> pd.DataFrame:
    """Return advice for every symptom at every level from its mildest level up, plus the generic rows."""
    rows = []
    for row in symptoms.to_dict("records"):
        lowest = TriageLevel(row["level_1"])
        for level in TriageLevel:
            if level.rank >= lowest.rank:
                rows.append((row["symptom"], str(level), advice_text(row, level, tips), row["source"]))
    for row in generic.to_dict("records"):
        rows.append((GENERIC_SYMPTOM, row["level"], row["advice"], row["source"] or "NHS 111"))
    return pd.DataFrame(rows, columns=COLUMNS["advice"])


def _when_to_review(review: str, who: str) -> str:
    """Say when to get in touch: a span of time ("3 days") reads "not better within"; a moment or a
    condition ("at your next epilepsy review", "if it changes") reads as it is written."""
    first = review.split(" ", 1)[0].lower()
    if first in {"if", "when", "at"}:
        return f"Contact {who} {review}, or sooner if you are worried."
    if first == "your":
        return f"Contact {who} at {review}, or sooner if you are worried."
    if first == "now":
        return f"Contact {who} now if you are worried."
    return f"If it is not better within {review}, or you are worried, contact {who}."


def advice_text(row: Mapping[str, str], level: TriageLevel, tips: Mapping[str, str]) -> str:
    """Return the advice for one symptom at `level`: what to do, what to watch for, when to escalate."""
    if level is TriageLevel.SELF_CARE:
        return f"{row['care']} Watch for {row['watch']}. {_when_to_review(row['review'], row['who'])}"
    if level is TriageLevel.SEE_DOCTOR:
        return (
            f"Book an appointment with {row['who']} in the next few days. Until then: "
            f"{row['care'][:1].lower() + row['care'][1:]} Get help the same day if you notice {row['watch']}."
        )
    if level is TriageLevel.URGENT:
        return (
            f"Get medical help today: contact {row['urgent']}. Call emergency services if you notice "
            f"{row['danger']}."
        )
    tip = row["tip"] or tips.get(row["body_system"], "")
    return (
        "Call emergency services now, or go to the nearest emergency department if you can get there "
        f"safely. Do not drive yourself. {tip}"
    ).strip()
