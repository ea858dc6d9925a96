"""Question recall: do the follow-up questions find what the presenting symptom alone leaves out?

python -m benchmarks.questions                    # eval/independent_dev.csv and eval/blind_dev.csv
python -m benchmarks.questions --write            # also store the figures in models/evaluation.json
python -m benchmarks.questions CASES.csv --show-misses

Each case is entered as its first (presenting) symptom with the patient facts only. The questions are
asked one at a time, most urgent first, as the command line's `--ask` does, and answered from the case's
full list (symptoms and note): yes when the concept is in the case (for a screen, any of its concepts),
no otherwise; facts from the case. A screen's "which of these?" is ticked the same way, one sign at a
time, and counts with the screen as one question.
The final level is scored against the level the full list gets. Targets (issue 14): the same level in
>= 97 % of cases; emergencies (by the full list) reached in >= 99 %; median questions asked <= 3. The
level with no answers at all is printed next to it.
"""

import argparse
import json
import statistics
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.config import MODELS_DIR
from tracker.levels import TriageLevel
from tracker.triage.context import parse_symptom_pairs
from tracker.triage.engine import Assessment, Triager, default_triager
from tracker.triage.evaluation import case_patient, load_cases
from tracker.triage.follow_up import CONDITION_PREFIX, PREGNANT, Answer, Question
from tracker.triage.model_card import EVALUATION_FILE
from tracker.triage.patient import PatientFacts

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CASES = (ROOT / "eval" / "independent_dev.csv", ROOT / "eval" / "blind_dev.csv")
EVALUATION_KEY = "questions"
TARGET_SAME, TARGET_EMERGENCY, TARGET_MEDIAN = 0.97, 0.99, 3


@dataclass(frozen=True)
class CaseRun:
    case_id: str
    full: TriageLevel  # the level the full list gets
    unanswered: TriageLevel  # the presenting symptom alone, no answers
    answered: TriageLevel  # the presenting symptom with the questions answered
    asked: int
    presenting: str


def concepts_of(assessment: Assessment) -> set[str]:
    """Return every concept the full list (symptoms and note) was read as."""
    understood = assessment.details.get("understood", {})
    assert isinstance(understood, Mapping)
    return {name for names in understood.values() for name in names}


def answer_from_case(question: Question, concepts: set[str], patient: PatientFacts | None) -> Answer:
    facts = patient or PatientFacts()
    if question.covers:  # a screen: "any of these?"
        return Answer.YES if set(question.covers) & concepts else Answer.NO
    if question.concept == PREGNANT:
        return Answer.YES if facts.pregnant else Answer.NO
    if question.concept.startswith(CONDITION_PREFIX):
        return Answer.YES if question.concept[len(CONDITION_PREFIX) :] in facts.conditions else Answer.NO
    return Answer.YES if question.concept in concepts else Answer.NO


def run_case(triager: Triager, row: Mapping[str, Any]) -> CaseRun:
    pairs = parse_symptom_pairs(row["symptoms"])
    patient = case_patient(row)
    full = triager.assess(dict(pairs), None, str(row.get("note", "") or ""), patient)
    concepts = concepts_of(full)
    presenting = {pairs[0][0]: pairs[0][1]}
    first = triager.assess(presenting, None, "", patient)
    answers: dict[str, str] = {}
    current, asked = first, 0
    while current.questions:  # one at a time, most urgent first (at most 5 per check-in)
        question = current.questions[0]
        answers[question.id] = str(answer_from_case(question, concepts, patient))
        asked += not question.part_of  # a screen's "which of these?" is part of the screen's question
        current = triager.assess(presenting, None, "", patient, answers)
    return CaseRun(str(row["case_id"]), full.level, first.level, current.level, asked, pairs[0][0])


def summary(runs: list[CaseRun]) -> dict[str, Any]:
    emergencies = [run for run in runs if run.full is TriageLevel.EMERGENCY]

    def share(flags: list[bool]) -> float:
        return round(sum(flags) / len(flags), 4) if flags else 0.0

    return {
        "cases": len(runs),
        "same_level_with_questions": share([run.answered is run.full for run in runs]),
        "same_level_without_answers": share([run.unanswered is run.full for run in runs]),
        "emergency_sensitivity_with_questions": share(
            [run.answered is TriageLevel.EMERGENCY for run in emergencies]
        ),
        "emergency_sensitivity_without_answers": share(
            [run.unanswered is TriageLevel.EMERGENCY for run in emergencies]
        ),
        "below_full_level_with_questions": share([run.answered.rank < run.full.rank for run in runs]),
        "median_questions": statistics.median(run.asked for run in runs) if runs else 0,
        "mean_questions": round(statistics.mean(run.asked for run in runs), 2) if runs else 0,
        "emergencies": len(emergencies),
    }


def report(name: str, figures: Mapping[str, Any]) -> str:
    ok = {
        True: "meets target",
        False: "BELOW TARGET",
    }
    same, emergency = figures["same_level_with_questions"], figures["emergency_sensitivity_with_questions"]
    return "\n".join(
        [
            f"{name}: {figures['cases']} cases ({figures['emergencies']} emergencies by the full list)",
            f"  same level as the full list: {same:.1%} with questions "
            f"({ok[same >= TARGET_SAME]}, >= {TARGET_SAME:.0%}); "
            f"{figures['same_level_without_answers']:.1%} with no answers",
            f"  emergencies reached: {emergency:.1%} with questions "
            f"({ok[emergency >= TARGET_EMERGENCY]}, >= {TARGET_EMERGENCY:.0%}); "
            f"{figures['emergency_sensitivity_without_answers']:.1%} with no answers",
            f"  below the full list's level with questions: {figures['below_full_level_with_questions']:.1%}",
            f"  questions asked: median {figures['median_questions']} "
            f"({ok[figures['median_questions'] <= TARGET_MEDIAN]}, <= {TARGET_MEDIAN}), "
            f"mean {figures['mean_questions']}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", type=Path, default=list(DEFAULT_CASES))
    parser.add_argument("--write", action="store_true", help=f"store the figures in models/{EVALUATION_FILE}")
    parser.add_argument("--show-misses", action="store_true", help="list cases whose level differs")
    args = parser.parse_args(argv)
    triager = default_triager()
    results: dict[str, Any] = {}
    every: list[CaseRun] = []
    for path in args.cases:
        runs = [run_case(triager, row) for row in load_cases(path).to_dict("records")]
        every += runs
        results[path.stem] = summary(runs)
        print(report(path.stem, results[path.stem]))
        if args.show_misses:
            for run in runs:
                if run.answered is not run.full:
                    line = f"{run.case_id} {run.presenting!r}: {run.answered} (full {run.full}), {run.asked}"
                    print(f"    {line} asked")
    if len(args.cases) > 1:
        results["all"] = summary(every)
        print(report("all", results["all"]))
    if args.write:
        target = MODELS_DIR / EVALUATION_FILE
        stored = json.loads(target.read_text()) if target.exists() else {}
        stored[EVALUATION_KEY] = results
        target.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")
        print(f"wrote {target} [{EVALUATION_KEY}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
