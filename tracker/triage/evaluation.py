"""Score the recommender on labelled cases (`case_id,symptoms,gold,acceptable,...`)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from tracker.errors import TrackerError
from tracker.levels import TriageLevel
from tracker.triage.confidence import basis_of, expected_calibration_error
from tracker.triage.context import parse_symptom_pairs
from tracker.triage.patient import PatientFacts

REQUIRED_COLUMNS = ("case_id", "symptoms", "gold", "acceptable")
LEVELS = tuple(TriageLevel)


class CasesError(TrackerError, ValueError):
    """A case file that cannot be scored (missing columns, unknown levels, malformed symptoms)."""


class _Assessor(Protocol):
    def assess(self, symptoms: Mapping[str, int], *args: Any, **kwargs: Any) -> Any: ...


# Optional case columns: patient facts, a note, and the groups figures are broken down by.
GROUP_COLUMNS = ("body_system", "age_group")


@dataclass(frozen=True)
class CaseResult:
    """One case: what was expected, what was predicted, and how it counts."""

    case_id: str
    symptoms: str
    gold: TriageLevel
    acceptable: tuple[TriageLevel, ...]
    predicted: TriageLevel
    confidence: float
    groups: tuple[tuple[str, str], ...] = ()  # (column, value) of GROUP_COLUMNS present in the file
    basis: str = ""  # how the advice was decided (tracker.triage.confidence.basis_of)

    @property
    def exact(self) -> bool:
        return self.predicted is self.gold

    @property
    def is_acceptable(self) -> bool:
        return self.predicted in self.acceptable

    @property
    def under_triaged(self) -> bool:
        """Return whether the prediction is less urgent than every acceptable level (the dangerous error)."""
        return self.predicted.rank < min(level.rank for level in self.acceptable)

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "symptoms": self.symptoms,
            "gold": str(self.gold),
            "acceptable": [str(level) for level in self.acceptable],
            "predicted": str(self.predicted),
            "confidence": round(self.confidence, 4),
            "exact": self.exact,
            "acceptable_ok": self.is_acceptable,
            "under_triage": self.under_triaged,
            "basis": self.basis,
            **dict(self.groups),
        }


@dataclass(frozen=True)
class EvaluationReport:
    """Metrics over a set of cases, and every case's prediction."""

    cases: tuple[CaseResult, ...]
    model_version: str = ""

    @property
    def count(self) -> int:
        return len(self.cases)

    def _share(self, flags: Sequence[bool]) -> float:
        return sum(flags) / len(flags) if flags else 0.0

    @property
    def exact_accuracy(self) -> float:
        return self._share([case.exact for case in self.cases])

    @property
    def acceptable_rate(self) -> float:
        return self._share([case.is_acceptable for case in self.cases])

    @property
    def under_triage_rate(self) -> float:
        return self._share([case.under_triaged for case in self.cases])

    @property
    def emergency_sensitivity(self) -> float | None:
        """Return the share of gold emergencies predicted as emergency (None when there are none)."""
        emergencies = [case for case in self.cases if case.gold is TriageLevel.EMERGENCY]
        if not emergencies:
            return None
        return self._share([case.predicted is TriageLevel.EMERGENCY for case in emergencies])

    @property
    def confusion(self) -> dict[str, dict[str, int]]:
        """Return counts by gold level (rows) and predicted level (columns), all four levels."""
        table = {str(gold): {str(pred): 0 for pred in LEVELS} for gold in LEVELS}
        for case in self.cases:
            table[str(case.gold)][str(case.predicted)] += 1
        return table

    def by(self, column: str) -> dict[str, "EvaluationReport"]:
        """Return one report per value of a group column ("gold", "body_system", "age_group")."""
        groups: dict[str, list[CaseResult]] = {}
        for case in self.cases:
            value = str(case.gold) if column == "gold" else dict(case.groups).get(column, "")
            groups.setdefault(value or "(blank)", []).append(case)
        return {
            value: EvaluationReport(tuple(cases), self.model_version)
            for value, cases in sorted(groups.items())
        }

    @property
    def over_triage_of_self_care(self) -> float | None:
        """Return the share of gold self-care cases sent to urgent or emergency care (None: no such cases)."""
        home = [case for case in self.cases if case.gold is TriageLevel.SELF_CARE]
        return self._share([case.predicted.rank >= 2 for case in home]) if home else None

    def summary(self) -> dict[str, Any]:
        """Return the headline figures (no predictions)."""
        sensitivity, home = self.emergency_sensitivity, self.over_triage_of_self_care
        return {
            "cases": self.count,
            "exact_accuracy": round(self.exact_accuracy, 4),
            "acceptable_rate": round(self.acceptable_rate, 4),
            "under_triage_rate": round(self.under_triage_rate, 4),
            "emergency_sensitivity": None if sensitivity is None else round(sensitivity, 4),
            "self_care_to_urgent_or_emergency": None if home is None else round(home, 4),
            "expected_calibration_error": expected_calibration_error(calibration_pairs(self)),
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {
            "model_version": self.model_version,
            "cases": self.count,
            "exact_accuracy": round(self.exact_accuracy, 4),
            "acceptable_rate": round(self.acceptable_rate, 4),
            "under_triage_rate": round(self.under_triage_rate, 4),
            "emergency_sensitivity": None
            if self.emergency_sensitivity is None
            else round(self.emergency_sensitivity, 4),
            "confusion": self.confusion,
            "predictions": [case.to_dict() for case in self.cases],
        }


def load_cases(path_or_frame: Path | str | pd.DataFrame) -> pd.DataFrame:
    """Return the cases as a DataFrame of strings. Raises CasesError when a required column is missing."""
    if isinstance(path_or_frame, pd.DataFrame):
        frame = path_or_frame.astype(str)
    else:
        try:
            frame = pd.read_csv(path_or_frame, dtype=str, keep_default_na=False)
        except OSError as error:
            raise CasesError(f"Cannot read the cases file {path_or_frame}: {error}") from error
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise CasesError(
            f"The cases need the columns {', '.join(REQUIRED_COLUMNS)}; missing: {', '.join(missing)}."
        )
    return frame


def _level(text: str, case_id: str) -> TriageLevel:
    try:
        return TriageLevel(text.strip())
    except ValueError as error:
        raise CasesError(f"Case {case_id}: {text!r} is not one of {', '.join(LEVELS)}.") from error


def evaluate_cases(path_or_frame: Path | str | pd.DataFrame, triager: _Assessor) -> EvaluationReport:
    """Return the report of `triager` on the cases (a CSV path or a DataFrame). Raises CasesError."""
    results = []
    for row in load_cases(path_or_frame).to_dict("records"):
        case_id = str(row["case_id"])
        try:
            symptoms: dict[str, int] = {}
            for name, severity in parse_symptom_pairs(row["symptoms"]):
                symptoms[name] = max(severity, symptoms.get(name, 0))
        except ValueError as error:
            raise CasesError(f"Case {case_id}: {error}") from error
        gold = _level(row["gold"], case_id)
        acceptable = tuple(
            _level(text, case_id) for text in str(row["acceptable"]).split("|") if text.strip()
        )
        assessment = triager.assess(symptoms, None, str(row.get("note", "") or ""), case_patient(row))
        results.append(
            CaseResult(
                case_id,
                row["symptoms"],
                gold,
                tuple(dict.fromkeys((*acceptable, gold))),
                TriageLevel(assessment.level),
                float(assessment.confidence),
                tuple((c, str(row[c])) for c in GROUP_COLUMNS if c in row),
                _basis(assessment),
            )
        )
    return EvaluationReport(tuple(results), str(getattr(triager, "model_version", "")))


def _basis(assessment: Any) -> str:
    details = getattr(assessment, "details", None) or {}
    return basis_of(details.get("deciding_rules", []), details.get("model_level"))


def calibration_pairs(report: "EvaluationReport") -> list[tuple[float, bool]]:
    """Return (confidence, exactly right) per case, for calibration error and reliability tables."""
    return [(case.confidence, case.exact) for case in report.cases]


def _pregnant(text: str) -> bool:
    """Return whether a `pregnant` cell says so: "yes" (or true, y, 1) or a number of weeks ("24")."""
    text = text.strip().lower()
    if text in {"yes", "true", "y"}:
        return True
    try:
        return float(text) > 0
    except ValueError:
        return False


def case_patient(row: Mapping[str, Any]) -> PatientFacts | None:
    """Return the patient facts of a case row (optional columns age, sex, pregnant, conditions)."""
    age = str(row.get("age", "") or "").strip()
    sex = str(row.get("sex", "") or "").strip().upper()[:1]
    pregnant = _pregnant(str(row.get("pregnant", "") or ""))
    conditions = frozenset(c.strip() for c in str(row.get("conditions", "") or "").split("|") if c.strip())
    try:
        age_years = float(age) if age else None
    except ValueError as error:
        raise CasesError(f"Case {row.get('case_id')}: age {age!r} is not a number of years.") from error
    if age_years is None and not sex and not pregnant and not conditions:
        return None
    return PatientFacts(age_years, sex or None, pregnant or None, conditions)


def format_report(report: EvaluationReport) -> str:
    """Return the report as a plain-text summary, confusion matrix and list of misses."""
    sensitivity = report.emergency_sensitivity
    lines = [
        f"Cases: {report.count}   model: {report.model_version or 'n/a'}",
        f"Exact accuracy:        {report.exact_accuracy:7.1%}",
        f"Acceptable rate:       {report.acceptable_rate:7.1%}",
        f"Under-triage rate:     {report.under_triage_rate:7.1%}",
        f"Emergency sensitivity: {'    n/a' if sensitivity is None else f'{sensitivity:7.1%}'}",
        f"Calibration error:     {expected_calibration_error(calibration_pairs(report)):7.3f} (ECE)",
        "",
        "Confusion (rows gold, columns predicted):",
        f"{'':12}" + "".join(f"{level!s:>12}" for level in LEVELS),
    ]
    for gold, row in report.confusion.items():
        lines.append(f"{gold:12}" + "".join(f"{row[str(level)]:12d}" for level in LEVELS))
    for column in ("gold", *GROUP_COLUMNS):
        groups = report.by(column)
        if len(groups) > 1 or column == "gold":
            lines += [
                "",
                f"By {column}:",
                f"{'':24}{'cases':>6}{'exact':>8}{'accept':>8}{'under':>8}{'emerg':>8}",
            ]
            for value, part in groups.items():
                sens = part.emergency_sensitivity
                lines.append(
                    f"{value[:24]:24}{part.count:6d}{part.exact_accuracy:8.0%}{part.acceptable_rate:8.0%}"
                    f"{part.under_triage_rate:8.0%}{'     n/a' if sens is None else f'{sens:8.0%}'}"
                )
    misses = [case for case in report.cases if not case.exact]
    if misses:
        lines += ["", "Not exact (* = outside the acceptable levels):"]
        for case in misses:
            flag = "*" if not case.is_acceptable else " "
            lines.append(f"{flag} {case.case_id}: {case.symptoms} -> {case.predicted} (gold {case.gold})")
    return "\n".join(lines)
