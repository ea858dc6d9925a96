"""The four triage levels, ordered from least to most urgent."""

from enum import StrEnum


class TriageLevel(StrEnum):
    SELF_CARE = "self_care"
    SEE_DOCTOR = "see_doctor"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        """Return 0 (self care) … 3 (emergency), for comparing urgency."""
        return _ORDER.index(self)

    @property
    def label(self) -> str:
        """Return the plain-English heading shown to a patient."""
        return _LABELS[self]

    def raised(self, steps: int = 1) -> "TriageLevel":
        """Return the level `steps` more urgent, capped at emergency."""
        return _ORDER[min(self.rank + steps, len(_ORDER) - 1)]

    @classmethod
    def most_urgent(cls, *levels: "TriageLevel") -> "TriageLevel":
        """Return the most urgent of `levels` (self care when none are given)."""
        return max(levels, key=lambda level: level.rank, default=cls.SELF_CARE)


_ORDER = list(TriageLevel)
_LABELS = {
    TriageLevel.SELF_CARE: "Manage at home",
    TriageLevel.SEE_DOCTOR: "See a doctor in the next few days",
    TriageLevel.URGENT: "Get medical help today",
    TriageLevel.EMERGENCY: "Call emergency services now",
}
