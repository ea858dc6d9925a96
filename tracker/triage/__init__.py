"""Advice for a check-in: reading the words, the knowledge tables, the model and the safety rules.

`tracker.triage.assess`, `tracker.triage.Assessment`, `tracker.triage.PatientFacts` and
`tracker.triage.questions` (the follow-up questions, `follow_up.py`) are where callers find the
advice. All but the facts are loaded on first use, so code that only needs the light types here
(alerts reading a symptom's context, say) never pays for importing scikit-learn.
"""

from typing import TYPE_CHECKING, Any

from tracker.triage.patient import PatientFacts  # light: the facts a caller passes to `assess`

if TYPE_CHECKING:
    from tracker.triage.engine import (
        LOW_CONFIDENCE,
        MAX_CONFIDENCE,
        UNKNOWN_CONFIDENCE,
        Answer,
        Assessment,
        Question,
        Triager,
        assess,
        default_triager,
        questions,
    )

__all__ = [
    "LOW_CONFIDENCE",
    "MAX_CONFIDENCE",
    "UNKNOWN_CONFIDENCE",
    "Answer",
    "Assessment",
    "PatientFacts",
    "Question",
    "Triager",
    "assess",
    "default_triager",
    "questions",
]


def __getattr__(name: str) -> Any:
    if name in __all__:  # everything but PatientFacts, which is already here
        from tracker.triage import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'tracker.triage' has no attribute {name!r}")
