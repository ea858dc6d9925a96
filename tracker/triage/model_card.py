"""The model card: what the advice is built from, how it does on independent cases, how honest it is."""

import json
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from tracker.config import MODELS_DIR
from tracker.levels import TriageLevel
from tracker.triage.confidence import reliability
from tracker.triage.evaluation import EvaluationReport, calibration_pairs

EVALUATION_FILE = "evaluation.json"
CANDIDATE_NAMES = {
    "logistic_regression": "Logistic regression",
    "random_forest": "Random forest",
    "hist_gradient_boosting": "Gradient boosting",
    "svm": "Support vector machine",
}
# The reports the model card shows, in order, with what each set of cases is.
REPORTS = {
    "independent_sealed": "Sealed independent cases (scored once, at the end of a change)",
    "independent_dev": "Independent development cases (used to find gaps in the tables)",
    "tables_only_sealed": "Sealed independent cases, tables alone (no level model)",
    "tables_only_dev": "Independent development cases, tables alone (no level model)",
}
LIMITATIONS = (
    "It has not been tested on real patients; every score comes from cases written from NHS and NICE "
    "guidance by people who had not seen its tables.",
    "It never diagnoses. It knows age, pregnancy and long-term conditions only when they are entered "
    "on the Settings page, and it does not know your medicines.",
    "It reads everyday words, typos and short phrases in 8 languages, but not everything people type: "
    "words it cannot read are never sent home on their rating alone, and it says so.",
    "The level model is trained on examples generated from the same tables, so its cross-validation "
    "score only says how faithfully it copies them; the independent cases are the measure of quality.",
)
GROUP_TITLES = {"gold": "level guidance gives", "body_system": "body system", "age_group": "age group"}


# The full headings ("Call emergency services now") do not fit an axis on a phone.
SHORT_LABELS = {
    "self_care": "Home care",
    "see_doctor": "See a doctor",
    "urgent": "Same day",
    "emergency": "Emergency",
}


def candidates_table(metadata: dict[str, Any]) -> pd.DataFrame:
    """Return one row per candidate model with its cross-validation scores, the chosen one marked."""
    rows = [
        {
            "Model": CANDIDATE_NAMES.get(name, name),
            "Chosen": name == metadata.get("chosen"),
            "Safety cost": scores.get("cost"),
            "Accuracy": scores.get("accuracy"),
            "Macro F1": scores.get("macro_f1"),
            "Emergencies caught": scores.get("emergency_sensitivity"),
        }
        for name, scores in metadata.get("candidates", {}).items()
    ]
    return pd.DataFrame(rows).sort_values("Safety cost") if rows else pd.DataFrame(rows)


def card_report(report: EvaluationReport) -> dict[str, Any]:
    """Return what the model card shows of one evaluation: headline, groups, confusion, reliability."""
    return {
        **report.summary(),
        "model_version": report.model_version,
        "confusion": report.confusion,
        "groups": {
            column: {value: part.summary() for value, part in report.by(column).items()}
            for column in GROUP_TITLES
        },
        "reliability": reliability(calibration_pairs(report)),
    }


def save_evaluation(name: str, report: dict[str, Any], model_dir: Path = MODELS_DIR) -> Path:
    """Keep `report` under `name` in the evaluation file beside the model; return the file's path."""
    target = Path(model_dir) / EVALUATION_FILE
    saved = read_evaluation(model_dir) or {}
    saved[name] = {key: value for key, value in report.items() if key != "predictions"}
    target.write_text(json.dumps(saved, indent=2, sort_keys=True) + "\n")
    return target


def read_evaluation(model_dir: Path = MODELS_DIR) -> dict[str, Any] | None:
    """Return every saved evaluation by name, or None when there is none."""
    try:
        return dict(json.loads((Path(model_dir) / EVALUATION_FILE).read_text()))
    except (OSError, ValueError):
        return None


def group_frame(report: dict[str, Any], column: str) -> pd.DataFrame:
    """Return one row per group of a saved report: cases and the four headline rates."""
    rows = [
        {
            GROUP_TITLES[column].capitalize(): SHORT_LABELS.get(value, value.replace("_", " ")),
            "Cases": part["cases"],
            "Exactly right": part["exact_accuracy"],
            "Safe and reasonable": part["acceptable_rate"],
            "Too little care": part["under_triage_rate"],
            "Emergencies caught": part["emergency_sensitivity"],
        }
        for value, part in report.get("groups", {}).get(column, {}).items()
    ]
    return pd.DataFrame(rows)


def model_comparison(evaluations: dict[str, Any]) -> pd.DataFrame:
    """Return, per independent case set, the tables alone against tables + model (exact, emergencies)."""
    rows = []
    for name in REPORTS:
        alone = name.replace("independent_", "tables_only_")
        if name.startswith("independent_") and name in evaluations and alone in evaluations:
            rows.append(
                {
                    "Cases": "Sealed" if name.endswith("sealed") else "Development",
                    "Exact, with model": evaluations[name]["exact_accuracy"],
                    "Exact, tables alone": evaluations[alone]["exact_accuracy"],
                    "Emergencies, with model": evaluations[name]["emergency_sensitivity"],
                    "Emergencies, tables alone": evaluations[alone]["emergency_sensitivity"],
                }
            )
    return pd.DataFrame(rows)


QUESTION_SETS = {
    "independent_dev": "Independent development cases",
    "blind_dev": "Blind development cases",
    "all": "Both",
}


def questions_frame(evaluations: dict[str, Any]) -> pd.DataFrame:
    """Return the question-recall figures (`benchmarks/questions.py --write`): one row per case set.

    Each case is entered as its presenting symptom only; the questions are answered from its full list.
    """
    found = evaluations.get("questions", {})
    rows = [
        {
            "Cases": f"{title} ({found[name]['cases']})",
            "Same level, with questions": found[name]["same_level_with_questions"],
            "Same level, no answers": found[name]["same_level_without_answers"],
            "Emergencies, with questions": found[name]["emergency_sensitivity_with_questions"],
            "Emergencies, no answers": found[name]["emergency_sensitivity_without_answers"],
            "Median questions": found[name]["median_questions"],
        }
        for name, title in QUESTION_SETS.items()
        if name in found
    ]
    return pd.DataFrame(rows)


def reliability_chart(rows: list[dict[str, float]]) -> alt.LayerChart:
    """Return the reliability chart: for each confidence band, how often the advice was exactly right."""
    data = pd.DataFrame(rows)
    diagonal = alt.Chart(pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, 1.0]})).mark_line(
        strokeDash=[4, 4], color="#999999"
    )
    scale = alt.Scale(domain=[0, 1])
    points = (
        alt.Chart(data)
        .mark_circle(color="#0072B2", opacity=0.85)
        .encode(
            x=alt.X("confidence:Q", scale=scale, title="Confidence shown", axis=alt.Axis(format="%")),
            y=alt.Y("acceptable:Q", scale=scale, title="Exactly right", axis=alt.Axis(format="%")),
            size=alt.Size("cases:Q", scale=alt.Scale(range=[40, 600]), legend=None),  # the tooltip says
            tooltip=[
                alt.Tooltip("confidence:Q", format=".0%", title="Confidence"),
                alt.Tooltip("acceptable:Q", format=".0%", title="Exactly right"),
                alt.Tooltip("cases:Q", title="Cases"),
            ],
        )
    )
    return (diagonal.encode(x="x:Q", y="y:Q") + points).properties(
        height=260, width="container", title="Is the confidence honest? (on the line = yes)"
    )


def confusion_frame(confusion: dict[str, dict[str, int]]) -> pd.DataFrame:
    """Return the confusion matrix as long rows: guidance level, predicted level, cases."""
    labels = SHORT_LABELS
    return pd.DataFrame(
        [
            {"guidance": labels.get(gold, gold), "predicted": labels.get(pred, pred), "cases": count}
            for gold, row in confusion.items()
            for pred, count in row.items()
        ]
    )


def confusion_chart(
    confusion: dict[str, dict[str, int]], title: str = "Guidance against the app"
) -> alt.LayerChart:
    """Return a heat map of guidance level against the app's level, with the counts written in."""
    data = confusion_frame(confusion)
    order = [SHORT_LABELS[str(level)] for level in TriageLevel]
    base = alt.Chart(data).encode(
        x=alt.X(
            "predicted:N", sort=order, title="The app said", axis=alt.Axis(labelAngle=-20, labelLimit=160)
        ),
        y=alt.Y("guidance:N", sort=order, title="Guidance says", axis=alt.Axis(labelLimit=200)),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("cases:Q", scale=alt.Scale(scheme="blues"), legend=None),
        tooltip=["guidance:N", "predicted:N", "cases:Q"],
    )
    counts = base.mark_text(fontSize=14).encode(
        text="cases:Q",
        color=alt.condition(
            alt.datum.cases > data["cases"].max() / 2, alt.value("white"), alt.value("black")
        ),
    )
    # A fixed step per row: a plain height is shared with the axis labels and squeezed the cells flat.
    return (cells + counts).properties(height=alt.Step(44), width="container", title=title)
