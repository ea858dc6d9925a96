"""The triage knowledge (`data/knowledge/*.csv`): load, validate, export, import the original table."""

import hashlib
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import pandas as pd

from tracker.config import DATA_DIR
from tracker.errors import TableProblemsError
from tracker.levels import TriageLevel
from tracker.triage.vocabulary import Vocabulary

KNOWLEDGE_DIR = DATA_DIR / "knowledge"
KNOWLEDGE_FILE = KNOWLEDGE_DIR  # the tables' folder; a workbook exported from them loads too
GENERIC_SYMPTOM = "*"  # advice rows for symptoms the vocabulary does not know
SEVERITIES = range(1, 6)
# Tables the model does not learn from: editing them needs no retraining (the follow-up questions).
NOT_MODEL_TABLES = frozenset({"questions.csv", "screens.csv", "readings.csv", "reading_levels.csv"})
PHRASE_KINDS = ("emergency", "crisis")
# The supported regions' languages, plus those many patients here write in: Arabic, Turkish, and Urdu or
# Hindi written in Latin letters ("ur": "seene mein dard").
LANGUAGES = ("en", "es", "fr", "de", "it", "pt", "pl", "nl", "ar", "tr", "ur")
LEVEL_COLUMNS = tuple(f"level_{severity}" for severity in SEVERITIES)
COLUMNS: dict[str, tuple[str, ...]] = {
    "symptoms": (
        "symptom",
        "synonyms",
        "body_system",
        "snomed_code",
        "see_doctor_from",
        "urgent_from",
        "emergency_from",
        "source",
    ),
    "advice": ("symptom", "level", "advice", "source"),
    "combinations": ("rule_id", "requires", "any_of", "level", "reason", "source"),
    "phrases": ("phrase", "kind", "level", "wording", "source"),
    "fallback": ("severity", "level", "reason"),
    "training": ("symptoms", "days_in_row", "change", "recurrent", "level", "group", "source"),
}
# Sheets a workbook may lack (the original app's had none of them).
OPTIONAL_SHEETS = ("conditions", "compositions", "covers")
THRESHOLDS = {
    "see_doctor_from": TriageLevel.SEE_DOCTOR,
    "urgent_from": TriageLevel.URGENT,
    "emergency_from": TriageLevel.EMERGENCY,
}
# The original app's table: one recommendation per symptom and severity word (or number).
ORIGINAL_COLUMNS = ("Symptom", "Severity Level", "Recommendation")
ORIGINAL_SEVERITY_WORDS = {"very mild": 1, "mild": 2, "moderate": 3, "severe": 4, "very severe": 5}
ORIGINAL_SOURCE = "original app recommendations"


class KnowledgeError(TableProblemsError):
    """The knowledge tables are missing, unreadable or inconsistent; `problems` lists each issue."""

    subject = "The triage knowledge tables"


@dataclass(frozen=True)
class Knowledge:
    """The knowledge as one DataFrame per table (blank cells as "" or NA).

    `training` holds the generated, labelled check-ins for the model; it is filled only when asked for
    (`load_knowledge(..., with_training=True)`), since only training needs it.
    """

    symptoms: pd.DataFrame
    advice: pd.DataFrame
    combinations: pd.DataFrame
    phrases: pd.DataFrame
    fallback: pd.DataFrame
    training: pd.DataFrame
    conditions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["condition", "label"]))
    compositions: pd.DataFrame | None = None  # concepts told in pieces ("my chest is on fire")
    covers: pd.DataFrame | None = None  # narrower concepts standing for broader ones read from the same words

    def vocabulary(self) -> "Vocabulary":
        """Return the vocabulary of these tables: names, synonyms, translations, compositions and covers."""
        return Vocabulary.from_frame(self.symptoms, self.compositions, self.covers)


def load_knowledge(path: Path = KNOWLEDGE_DIR, with_training: bool = False) -> Knowledge:
    """Return every table of the knowledge at `path` (the CSV folder, or an exported workbook).

    Raises KnowledgeError listing every bad row (file and line) or an unreadable source.
    """
    if Path(path).is_dir():
        from tracker.triage.knowledge_tables import read_tables  # builds on the types above

        knowledge = read_tables(Path(path))
    else:
        knowledge = _read_workbook(Path(path))
    if with_training and knowledge.training.empty:
        from tracker.triage.training_rows import training_frame  # generated from the rules: a late import

        knowledge = replace(knowledge, training=training_frame(knowledge))
    return knowledge


def _read_workbook(path: Path) -> Knowledge:
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=object)
    except (OSError, ValueError, KeyError) as error:
        raise KnowledgeError([f"cannot read {path}: {error}"]) from error
    missing = [name for name in COLUMNS if name not in sheets and name != "training"]
    if missing:
        raise KnowledgeError([f"cannot read {path}: no sheet {', '.join(missing)}"])
    tables = {name: _tidy(sheets[name]) for name in COLUMNS if name in sheets}
    tables.setdefault("training", pd.DataFrame(columns=COLUMNS["training"]))
    for optional in OPTIONAL_SHEETS:
        if optional in sheets:
            tables[optional] = _tidy(sheets[optional])
    return Knowledge(**tables)


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    text_columns = [c for c in frame.columns if frame[c].map(lambda v: isinstance(v, str)).any()]
    frame[text_columns] = frame[text_columns].fillna("")
    return frame


def knowledge_sha256(path: Path) -> str:
    """Return a SHA-256 over the knowledge at `path`: every CSV of the folder by name, or the one file."""
    path = Path(path)
    if not path.is_dir():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    digest = hashlib.sha256()
    for table in sorted(path.glob("*.csv")):
        if table.name in NOT_MODEL_TABLES:
            continue
        digest.update(table.name.encode() + b"\0" + table.read_bytes() + b"\0")
    return digest.hexdigest()


file_sha256 = knowledge_sha256


def parse_thresholds(text: object) -> tuple[tuple[str, int], ...]:
    """Return ("Fever", 2), … from "Fever:2|Stiff neck:1" (a blank cell gives ())."""
    pairs = []
    for part in str(text or "").split("|"):
        if part.strip():
            name, _, severity = part.rpartition(":")
            pairs.append((name.strip(), int(severity)))
    return tuple(pairs)


def symptom_levels(row: Mapping[str, object]) -> tuple[TriageLevel, ...]:
    """Return the level at severity 1..5 of one `symptoms` row, from its threshold columns."""
    levels = []
    for severity in SEVERITIES:
        reached = [level for column, level in THRESHOLDS.items() if _int(row.get(column)) <= severity]
        levels.append(TriageLevel.most_urgent(*reached))
    return tuple(levels)


def _int(value: object, missing: int = 99) -> int:
    if value is None or value == "" or pd.isna(value):  # type: ignore[call-overload]
        return missing
    return int(value)  # type: ignore[call-overload]


def reachable_levels(row: Mapping[str, object]) -> tuple[TriageLevel, ...]:
    """Return the levels a recommendation led by this symptom can have: its mildest level and above."""
    lowest = symptom_levels(row)[0]
    return tuple(level for level in TriageLevel if level.rank >= lowest.rank)


def validate_knowledge(knowledge: Knowledge) -> None:
    """Check columns, levels, thresholds and cross-references. Raises KnowledgeError listing problems."""
    problems = _column_problems(knowledge)
    if not problems:
        problems = _symptom_problems(knowledge) + _reference_problems(knowledge)
    if problems:
        raise KnowledgeError(problems)


def _column_problems(knowledge: Knowledge) -> list[str]:
    problems = []
    for sheet, columns in COLUMNS.items():
        missing = set(columns) - set(getattr(knowledge, sheet).columns)
        if missing:
            problems.append(f"sheet {sheet!r} lacks columns {sorted(missing)}")
    return problems


def _symptom_problems(knowledge: Knowledge) -> list[str]:
    names = knowledge.symptoms["symptom"].tolist()
    problems = [f"symptom {name!r} is listed twice" for name in set(names) if names.count(name) > 1]
    for row in knowledge.symptoms.to_dict("records"):
        values = [_int(row[column]) for column in THRESHOLDS]
        if values != sorted(values) or any(v != 99 and v not in SEVERITIES for v in values):
            problems.append(f"thresholds of {row['symptom']!r} must be 1-5 and rise with the level")
        if symptom_levels(row)[-1] is TriageLevel.SELF_CARE:
            problems.append(f"{row['symptom']!r} at severity 5 must need more than self care")
    return problems


def _reference_problems(knowledge: Knowledge) -> list[str]:
    known = set(knowledge.symptoms["symptom"])
    levels = {str(level) for level in TriageLevel}
    problems = []
    for sheet in ("advice", "combinations", "phrases", "fallback", "training"):
        bad = set(getattr(knowledge, sheet)["level"]) - levels
        problems += [f"sheet {sheet!r} has unknown level {level!r}" for level in sorted(map(str, bad))]
    for rule in knowledge.combinations.to_dict("records"):
        named = {name for name, _ in parse_thresholds(rule["requires"]) + parse_thresholds(rule["any_of"])}
        problems += [f"combination {rule['rule_id']!r} names unknown {n!r}" for n in sorted(named - known)]
    unknown_advice = set(knowledge.advice["symptom"]) - known - {GENERIC_SYMPTOM}
    problems += [f"advice for unknown symptom {name!r}" for name in sorted(unknown_advice)]
    generic = set(knowledge.advice.loc[knowledge.advice["symptom"] == GENERIC_SYMPTOM, "level"])
    problems += [f"no fallback advice at {level}" for level in sorted(levels - generic)]
    problems += [
        f"phrase kind {k!r} is not one of {PHRASE_KINDS}"
        for k in set(knowledge.phrases["kind"])
        if k not in PHRASE_KINDS
    ]
    if sorted(_int(v) for v in knowledge.fallback["severity"]) != list(SEVERITIES):
        problems.append("the fallback sheet needs exactly one row per severity 1-5")
    return problems


def import_original_table(path: Path, symptoms: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return advice rows (symptom, level, advice, source) from the original app's table at `path`.

    Each severity word (or 1-5) is turned into the level the symptom has at that severity; names are
    matched to the vocabulary. Raises KnowledgeError for missing columns or unknown severity words.
    """
    table = (
        pd.read_excel(path, dtype=object) if Path(path).suffix != ".csv" else pd.read_csv(path, dtype=object)
    )
    missing = set(ORIGINAL_COLUMNS) - set(table.columns)
    if missing:
        raise KnowledgeError([f"{Path(path).name} lacks columns {sorted(missing)}"])
    symptoms = symptoms if symptoms is not None else load_knowledge().symptoms
    vocabulary = Vocabulary.from_frame(symptoms)
    by_name = {row["symptom"]: row for row in symptoms.to_dict("records")}
    rows, problems = [], []
    for record in table.to_dict("records"):
        name = vocabulary.match(str(record["Symptom"])).canonical
        severity = _original_severity(record["Severity Level"])
        if name is None or severity is None:
            problems.append(f"cannot place {record['Symptom']!r} at {record['Severity Level']!r}")
            continue
        level = symptom_levels(by_name[name])[severity - 1]
        rows.append((name, str(level), str(record["Recommendation"]).strip(), ORIGINAL_SOURCE))
    if problems:
        raise KnowledgeError(problems)
    return pd.DataFrame(rows, columns=COLUMNS["advice"])


def _original_severity(value: object) -> int | None:
    text = str(value).strip().casefold()
    if text.isdigit() and int(text) in SEVERITIES:
        return int(text)
    return ORIGINAL_SEVERITY_WORDS.get(text)


def merge_advice(advice: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    """Return `advice` plus the rows of `extra` for (symptom, level) pairs it does not cover yet."""
    covered = set(zip(advice["symptom"], advice["level"], strict=True))
    fresh = extra[[(s, lv) not in covered for s, lv in zip(extra["symptom"], extra["level"], strict=True)]]
    return pd.concat([advice, fresh.drop_duplicates(["symptom", "level"])], ignore_index=True)


class AdviceBook:
    """Advice text by (symptom, level), falling back to the generic row for the level."""

    def __init__(self, advice: pd.DataFrame) -> None:
        self._text = {
            (row["symptom"], TriageLevel(row["level"])): (str(row["advice"]), str(row["source"]))
            for row in advice.to_dict("records")
        }

    def text(self, symptom: str | None, level: TriageLevel) -> str:
        """Return the advice for `symptom` at `level`, or the generic advice for the level."""
        found = self._text.get((symptom or GENERIC_SYMPTOM, level)) or self._text[(GENERIC_SYMPTOM, level)]
        return found[0]

    def has(self, symptom: str, level: TriageLevel) -> bool:
        """Return whether there is advice written for `symptom` itself at `level`."""
        return (symptom, level) in self._text


# A workbook written from the tables is byte-identical for the same tables: fixed document and zip times.
WORKBOOK_TIME = datetime(2024, 6, 11, 0, 0, 0)
_ZIP_TIME = (2024, 6, 11, 0, 0, 0)
_STAMP = WORKBOOK_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()


def write_workbook(sheets: Mapping[str, pd.DataFrame], path: Path, creator: str = "tracker") -> None:
    """Write `sheets` to the .xlsx at `path` reproducibly (fixed timestamps). Raises OSError."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
        writer.book.properties.created = WORKBOOK_TIME
        writer.book.properties.modified = WORKBOOK_TIME
        writer.book.properties.creator = creator
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda item: item.filename):
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the clock on save
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + _STAMP, data)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME), data, zipfile.ZIP_DEFLATED)


def export_workbook(path: Path, folder: Path = KNOWLEDGE_DIR) -> Knowledge:
    """Write the knowledge (tables, the advice they give, generated training rows) as one workbook.

    For people who prefer Excel; the workbook loads back with `load_knowledge(path)`.
    """
    knowledge = load_knowledge(folder, with_training=True)
    sheets = {name: getattr(knowledge, name) for name in (*COLUMNS, *OPTIONAL_SHEETS)}
    write_workbook(sheets, path, creator="python -m tracker knowledge export")
    return knowledge
