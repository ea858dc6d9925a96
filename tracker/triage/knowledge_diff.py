"""Show a reviewer the clinical effect of an edit to the knowledge tables: which predictions move.

Both sides are scored by the tables alone (no model retraining), so a diff takes seconds.
"""

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tracker.config import PROJECT_ROOT
from tracker.errors import TrackerError
from tracker.triage.evaluation import evaluate_cases
from tracker.triage.knowledge import KNOWLEDGE_DIR, load_knowledge
from tracker.triage.knowledge_tables import TABLES


@dataclass(frozen=True)
class PredictionChange:
    case_id: str
    symptoms: str
    gold: str
    before: str
    after: str


def diff_predictions(cases: Path, before: str | None, after: Path = KNOWLEDGE_DIR) -> list[PredictionChange]:
    """Return the cases whose tables-only level differs between `before` (folder or git revision) and now.

    Raises TrackerError when the git revision cannot be read, KnowledgeError for bad tables.
    """
    from tracker.triage.engine import (
        Triager,  # the triage engine is only needed here, not to import this module
    )

    with tempfile.TemporaryDirectory() as scratch:
        old_folder = _tables_at(before or "HEAD", Path(scratch))
        old = evaluate_cases(cases, Triager.tables_only(load_knowledge(old_folder)))
        new = evaluate_cases(cases, Triager.tables_only(load_knowledge(after)))
    return [
        PredictionChange(a.case_id, a.symptoms, str(a.gold), str(a.predicted), str(b.predicted))
        for a, b in zip(old.cases, new.cases, strict=True)
        if a.predicted is not b.predicted
    ]


def _tables_at(before: str, scratch: Path) -> Path:
    """Return a folder with the tables of `before`: itself when it is a folder, else from git."""
    if Path(before).is_dir():
        return Path(before)
    relative = KNOWLEDGE_DIR.relative_to(PROJECT_ROOT).as_posix()
    for name in TABLES:
        try:
            text = subprocess.run(
                ["git", "show", f"{before}:{relative}/{name}.csv"],
                cwd=PROJECT_ROOT,
                capture_output=True,
                check=True,
            ).stdout
        except (OSError, subprocess.CalledProcessError) as error:
            raise TrackerError(f"Cannot read {relative}/{name}.csv at git revision {before!r}.") from error
        (scratch / f"{name}.csv").write_bytes(text)
    return scratch


def format_diff(changes: list[PredictionChange]) -> str:
    """Return one line per moved prediction, or a sentence saying nothing moved."""
    if not changes:
        return "No prediction moved."
    lines = [f"{len(changes)} predictions moved (before -> after, gold in brackets):"]
    for change in changes:
        arrow = "more urgent" if _rank(change.after) > _rank(change.before) else "less urgent"
        lines.append(
            f"  {change.case_id}: {change.symptoms}: {change.before} -> {change.after} "
            f"[{change.gold}] ({arrow})"
        )
    return "\n".join(lines)


def _rank(level: str) -> int:
    from tracker.levels import TriageLevel

    return TriageLevel(level).rank
