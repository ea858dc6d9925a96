"""Training rows for the level model, generated from the knowledge tables at train time (not stored).

Every row is labelled by the same rules the safety layer enforces, so the model learns the tables;
check-ins that appear in a held-out evaluation file are left out. Deterministic for a fixed seed.
"""

import os
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tracker.config import DATA_DIR, PROJECT_ROOT
from tracker.levels import TriageLevel
from tracker.triage.context import SymptomContext, format_symptom_pairs, parse_symptom_pairs
from tracker.triage.knowledge import COLUMNS, Knowledge, symptom_levels
from tracker.triage.safety import SafetyRules
from tracker.triage.vocabulary import Vocabulary

SEED = 20240611
MIXED_ROWS = 700
# Evaluation cases never become training rows: the repository's own case files, and the shared dev set
# when it sits beside the checkout (or where TRACKER_DEV_CASES says, as the tests read it from a worktree).
HELD_OUT = (
    DATA_DIR.parent / "eval" / "independent_dev.csv",
    DATA_DIR.parent / "eval" / "independent_sealed.csv",
    DATA_DIR.parent / "eval" / "blind_dev.csv",
    DATA_DIR.parent / "examples" / "cases.csv",
    Path(
        os.environ.get("TRACKER_DEV_CASES", PROJECT_ROOT.parent / "shared" / "triage_eval" / "dev_cases.csv")
    ),
)
CONTEXT_VARIANTS = (
    (2, 0, False),
    (2, 1, False),
    (3, 0, False),
    (4, -1, False),
    (5, 1, False),
    (1, 2, False),
    (2, 3, False),
    (1, None, True),
    (2, -1, True),
    (6, 0, False),
    (1, 1, False),
    (2, -2, False),
)


@dataclass(frozen=True)
class Row:
    pairs: tuple[tuple[str, int], ...]
    days: int = 1
    change: int | None = None
    recurrent: bool = False
    group: str = ""
    source: str = ""


@dataclass(frozen=True)
class _Symptom:
    name: str
    levels: tuple[TriageLevel, ...]
    source: str


def training_frame(knowledge: Knowledge, held_out: Sequence[Path] = HELD_OUT) -> pd.DataFrame:
    """Return the labelled training check-ins for `knowledge` (columns of COLUMNS["training"])."""
    rules = SafetyRules.from_knowledge(knowledge)
    symptoms = [
        _Symptom(row["symptom"], symptom_levels(row), str(row["source"]))
        for row in knowledge.symptoms.to_dict("records")
    ]
    rng = random.Random(SEED)
    pool = [s.name for s in symptoms if s.levels[1] is TriageLevel.SELF_CARE]
    rows = _single_rows(rng, symptoms) + _noisy_single_rows(rng, symptoms, pool)
    rows += _combination_rows(rng, rules, pool) + _mixed_rows(rng, symptoms, MIXED_ROWS)
    excluded = _held_out_keys([p for p in held_out if p.is_file()], Vocabulary.from_frame(knowledge.symptoms))
    records, seen = [], set()
    for row in rows:
        key = frozenset(row.pairs)
        identity = (key, row.days, row.change, row.recurrent)
        if key in excluded or identity in seen or len(key) != len(row.pairs):
            continue
        seen.add(identity)
        level = _label(rules, row)
        source = row.source or _level_sources(rules, row, level)
        pairs = format_symptom_pairs(row.pairs)
        records.append((pairs, row.days, row.change, row.recurrent, str(level), row.group, source))
    return pd.DataFrame(records, columns=COLUMNS["training"]).astype({"change": "Int64"})


def _label(rules: SafetyRules, row: Row) -> TriageLevel:
    """Return the guidance level of a row (its context belongs to its first symptom)."""
    context = {row.pairs[0][0]: SymptomContext(row.days, row.change, row.recurrent)}
    return rules.guidance_level(dict(row.pairs), context)


def _level_sources(rules: SafetyRules, row: Row, level: TriageLevel) -> str:
    sources = [
        rules.symptoms[name].source for name, sev in row.pairs if rules.symptoms[name].level_at(sev) is level
    ]
    return "; ".join(dict.fromkeys(sources)) or "NHS (several symptoms: the most urgent one decides)"


def _single_rows(rng: random.Random, symptoms: list[_Symptom]) -> list[Row]:
    rows = []
    for symptom in symptoms:
        for severity in range(1, 6):
            pairs = ((symptom.name, severity),)
            rows.append(Row(pairs, group="single", source=symptom.source))
            for days, change, recurrent in rng.sample(CONTEXT_VARIANTS, 2):
                rows.append(Row(pairs, days, change, recurrent, "single+context", symptom.source))
    return rows


def _with_noise(rng: random.Random, pairs: list[tuple[str, int]], pool: list[str], most: int) -> list:
    taken = {name for name, _ in pairs}
    extra = [name for name in rng.sample(pool, most + 3) if name not in taken][: rng.randint(0, most)]
    return pairs + [(name, rng.randint(1, 2)) for name in extra]


def _noisy_single_rows(rng: random.Random, symptoms: list[_Symptom], pool: list[str]) -> list[Row]:
    rows = []
    for symptom in symptoms:
        for severity in range(1, 6):
            pairs = _with_noise(rng, [(symptom.name, severity)], pool, 2)
            if len(pairs) > 1:
                rows.append(Row(tuple(pairs), group="single+noise", source=symptom.source))
    return rows


def _combination_rows(rng: random.Random, rules: SafetyRules, pool: list[str]) -> list[Row]:
    """Return rows that meet each combination rule, and near misses that fall just short of it."""
    rows = []
    for rule in rules.combinations:
        if rule.needs_patient_facts:
            continue  # the level model sees symptoms only; fact rules are applied by the safety layer
        for _ in range(8):
            pairs = [(name, rng.randint(low, 5)) for name, low in rule.requires]
            if rule.any_of:
                name, low = rng.choice(rule.any_of)
                pairs.append((name, rng.randint(low, 5)))
            pairs = _with_noise(rng, pairs, [n for n in pool if n not in dict(pairs)], 2)
            rows.append(Row(tuple(pairs), group="combination", source=rule.source))
        members = list(rule.requires) + ([rng.choice(rule.any_of)] if rule.any_of else [])
        for dropped in range(len(members)):
            kept = [(name, rng.randint(low, 5)) for i, (name, low) in enumerate(members) if i != dropped]
            if kept:
                rows.append(Row(tuple(kept), group="near-miss", source=rule.source))
        for lowered, (_, floor) in enumerate(members):
            if floor > 1:
                pairs = [
                    (name, low - 1 if i == lowered else rng.randint(low, 5))
                    for i, (name, low) in enumerate(members)
                ]
                rows.append(Row(tuple(pairs), group="near-miss", source=rule.source))
    return rows


def _mixed_rows(rng: random.Random, symptoms: list[_Symptom], count: int) -> list[Row]:
    names = [symptom.name for symptom in symptoms]
    rows = []
    for _ in range(count):
        chosen = rng.sample(names, rng.randint(2, 4))
        pairs = tuple((name, rng.choices(range(1, 6), weights=(3, 3, 3, 2, 1))[0]) for name in chosen)
        days, change, recurrent = rng.choice(CONTEXT_VARIANTS) if rng.random() < 0.3 else (1, None, False)
        rows.append(Row(pairs, days, change, recurrent, "mixed"))
    return rows


def _held_out_keys(paths: list[Path], vocabulary: Vocabulary) -> set[frozenset[tuple[str, int]]]:
    """Return the check-ins (canonical name, severity) of the held-out case files."""
    keys = set()
    for path in paths:
        for text in pd.read_csv(path, dtype=str)["symptoms"].dropna():
            try:
                pairs = parse_symptom_pairs(text)
            except ValueError:
                continue
            keys.add(frozenset((vocabulary.canonical_or_text(name), sev) for name, sev in pairs))
    return keys
