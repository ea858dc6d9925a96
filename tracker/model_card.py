"""The model card: what the triage model was trained on, how the candidates scored, how it does."""

import json
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from tracker.config import MODELS_DIR
from tracker.levels import TriageLevel

EVALUATION_FILE = "dev_evaluation.json"
CANDIDATE_NAMES = {
    "logistic_regression": "Logistic regression",
    "random_forest": "Random forest",
    "hist_gradient_boosting": "Gradient boosting",
    "svm": "Support vector machine",
}
LIMITATIONS = (
    "It has not been tested on real patients; the scores come from cases written from public guidance.",
    "It never diagnoses and does not know your medical history, medicines, age or pregnancy.",
    "Children, older people and people with long-term conditions may need help sooner than it says.",
    "It only knows the symptoms in its list; anything else gets careful advice based on severity.",
    "The training examples were written from the same guidance as its safety rules, so the model "
    "mostly agrees with those rules; the rules, not the model, guarantee the safety floor.",
)


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


def save_evaluation(report: dict[str, Any], model_dir: Path = MODELS_DIR) -> Path:
    """Write an evaluation report beside the model, for the model page to show."""
    target = Path(model_dir) / EVALUATION_FILE
    target.write_text(json.dumps({k: v for k, v in report.items() if k != "predictions"}, indent=2))
    return target


def read_evaluation(model_dir: Path = MODELS_DIR) -> dict[str, Any] | None:
    """Return the saved evaluation report, or None when there is none."""
    try:
        return dict(json.loads((Path(model_dir) / EVALUATION_FILE).read_text()))
    except (OSError, ValueError):
        return None


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


def confusion_chart(confusion: dict[str, dict[str, int]]) -> alt.LayerChart:
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
    return (cells + counts).properties(
        height=alt.Step(44), width="container", title="Development cases: guidance against the app"
    )
