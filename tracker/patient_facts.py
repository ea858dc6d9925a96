"""Facts about the person that change what a symptom means: age, sex, pregnancy, long-term conditions."""

from dataclasses import dataclass, field

SEXES = ("F", "M")


@dataclass(frozen=True)
class PatientFacts:
    """What triage may know about the person; every field is optional (None: not known)."""

    age_years: float | None = None
    sex: str | None = None
    pregnant: bool | None = None
    conditions: frozenset[str] = field(default_factory=frozenset)

    def describe(self) -> str:
        """Return the facts in words for the reasons, e.g. "age 3 months, pregnant, diabetes"."""
        parts = []
        if self.age_years is not None:
            parts.append(describe_age(self.age_years))
        if self.pregnant:
            parts.append("pregnant")
        parts += sorted(condition.replace("_", " ") for condition in self.conditions)
        return ", ".join(parts)


NO_FACTS = PatientFacts()


def describe_age(years: float) -> str:
    """Return an age in plain words: "3 weeks", "5 months", "7 years"."""
    if years < 1 / 12:
        return f"age {max(round(years * 52), 0)} weeks"
    if years < 2:
        return f"age {round(years * 12)} months"
    return f"age {int(years)} years"
