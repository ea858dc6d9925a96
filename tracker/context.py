"""The history context of a symptom at a check-in: a light type shared by triage, safety and alerts.

Kept apart from `tracker.features` (which needs scikit-learn) so alerts, reminders and notify load
without the model's libraries.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SymptomContext:
    """What the history says about one symptom at the time of a check-in."""

    days_in_row: int = 1  # consecutive days (ending today) on which it was logged, today included
    change: int | None = None  # severity now minus the patient's previous report of it
    recurrent: bool = False  # logged before, with a gap of days without it


NO_CONTEXT = SymptomContext()
