"""The safety layer: rules from the knowledge tables that can only raise a recommendation, never lower it.

Every rule reads its thresholds from `data/knowledge.xlsx` (per-symptom red-flag thresholds, red-flag
combinations, emergency phrases, the fallback for unknown symptoms); the constants below are the only
thresholds that live in code, and they apply to every symptom alike.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from tracker.levels import TriageLevel
from tracker.triage.context import NO_CONTEXT, SymptomContext
from tracker.triage.knowledge import Knowledge, parse_thresholds, symptom_levels
from tracker.triage.patient import NO_FACTS, PatientFacts
from tracker.triage.reading import BREAK, Scanner, fold
from tracker.triage.vocabulary import covers_of

# Logged this many days in a row (today included): worth a routine appointment (NHS: "lasts more than a
# few days"). Counted per symptom, from the patient's own history.
PERSISTENT_DAYS = 3
# Two or more points worse than the previous report of the same symptom counts as getting worse.
WORSENING_CHANGE = 2
# A symptom that keeps coming back matters from moderate severity; a mild recurring one does not.
RECURRENT_MIN_SEVERITY = 3
CONTEXT_LEVEL = TriageLevel.SEE_DOCTOR
# Anything rated 5 of 5 ("very severe") is never left to self care, whatever the tables say.
SEVERE_SEVERITY = 5
SEVERE_FLOOR = TriageLevel.SEE_DOCTOR


@dataclass(frozen=True)
class RuleHit:
    """One rule that fired: the level it demands and a plain sentence saying why."""

    rule: str
    level: TriageLevel
    reason: str
    source: str = ""
    symptom: str | None = None  # the symptom whose advice fits best
    crisis: bool = False
    wording: str = ""  # phrase rules: the exact words to show instead of symptom advice

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "level": str(self.level), "reason": self.reason, "source": self.source}


def is_crisis(row: Mapping[str, object]) -> bool:
    """Return whether a symptoms-table row is a crisis (shown with the crisis line, however it was read).

    A mental-health concept that is an emergency however mildly it is rated: suicidal thoughts, self-harm.
    """
    return row.get("body_system") == "mental_health" and symptom_levels(row)[0] is TriageLevel.EMERGENCY


@dataclass(frozen=True)
class SymptomRule:
    """A symptom's level at each severity 1-5, from its red-flag thresholds."""

    name: str
    levels: tuple[TriageLevel, ...]
    source: str
    age_below: float | None = None  # a baby's or child's sign: not read for a patient this old or older
    sex: str | None = None  # "F" (periods, pregnancy) or "M" (testicles): not read for the other sex
    crisis: bool = False  # read at all, it shows the crisis line (`is_crisis`)

    def level_at(self, severity: int) -> TriageLevel:
        return self.levels[min(max(severity, 1), 5) - 1]

    def describes(self, patient: PatientFacts) -> bool:
        """Return whether this sign can be the patient's: an age or sex limit holds only when it is known.

        "Passing clots" from a 71-year-old man is not heavy periods.
        """
        age = patient.age_years
        if self.sex is not None and patient.sex is not None and patient.sex != self.sex:
            return False
        return self.age_below is None or age is None or age < self.age_below


@dataclass(frozen=True)
class CombinationRule:
    """Every `requires` symptom at or above its severity, plus one of `any_of` when given.

    A rule may also ask for patient facts (an age range, pregnancy, one of some conditions); it then
    fires only when those facts are known to hold.
    """

    rule_id: str
    requires: tuple[tuple[str, int], ...]
    any_of: tuple[tuple[str, int], ...]
    level: TriageLevel
    reason: str
    source: str
    age_below: float | None = None
    age_from: float | None = None
    pregnant: bool | None = None
    conditions: frozenset[str] = frozenset()
    # "M" or "F": the rule is for that sex, and for anyone whose sex is not known (the cautious reading:
    # cystitis is a pharmacist's for a woman, a GP's for a man or when we do not know).
    sex: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """Return the concepts it requires or takes one of, each once, in the table's order."""
        return tuple(dict.fromkeys(name for name, _ in (*self.requires, *self.any_of)))

    @property
    def needs_patient_facts(self) -> bool:
        facts = (self.age_below, self.age_from, self.pregnant, self.sex)
        return facts != (None, None, None, None) or bool(self.conditions)

    def matches(self, severities: Mapping[str, int], patient: PatientFacts = NO_FACTS) -> bool:
        for name, low in self.requires:
            if severities.get(name, 0) < low:
                return False
        if self.any_of and not any(severities.get(name, 0) >= low for name, low in self.any_of):
            return False
        return self.holds_for(patient)

    def holds_for(self, patient: PatientFacts) -> bool:
        """Return whether the patient facts this rule asks for are known to hold."""
        age = patient.age_years
        if self.age_below is not None and (age is None or age >= self.age_below):
            return False
        if self.age_from is not None and (age is None or age < self.age_from):
            return False
        if self.pregnant is not None and bool(patient.pregnant) is not self.pregnant:
            return False
        if self.sex is not None and patient.sex not in (None, self.sex):
            return False
        return not self.conditions or bool(self.conditions & patient.conditions)


@dataclass(frozen=True)
class PhraseRule:
    phrase: str
    key: str  # the phrase folded for matching
    kind: str
    level: TriageLevel
    wording: str
    source: str
    # Words that, right after it, make it something else: "can't breathe through my nose".
    unless: tuple[tuple[str, ...], ...] = ()

    def cancelled(self, tokens: Sequence[str], end: int) -> bool:
        """Return whether an `unless` entry starts within UNLESS_GAP words after the phrase's last word
        (in its sentence): "can't breathe, my nose is blocked" still fires, being two statements."""
        return any(
            tuple(tokens[i : i + len(words)]) == words and BREAK not in tokens[end:i]
            for words in self.unless
            for i in range(end, min(end + UNLESS_GAP + 1, len(tokens)))
        )


UNLESS_GAP = 2  # "can't lift my arm [up] [properly] above my head"


def _age(value: object) -> float | None:
    """Return an optional age column's value (blank, or absent from an older workbook: None)."""
    return float(str(value)) if value is not None and str(value).strip() not in ("", "nan") else None


def phrase_key(text: str) -> str:
    """Return `text` folded for phrase matching: lower case, no apostrophes, words split by one space."""
    folded = text.casefold().replace("’", "").replace("'", "")
    return " ".join(re.split(r"[^\w]+", folded)).strip()


@dataclass(frozen=True)
class SafetyRules:
    """The compiled safety tables, fast to query (no pandas)."""

    symptoms: Mapping[str, SymptomRule]
    combinations: tuple[CombinationRule, ...]
    phrases: tuple[PhraseRule, ...]
    fallback: tuple[tuple[TriageLevel, str], ...]  # (level, reason) for severity 1..5
    # A narrower concept that covers a broader one for its own level but still counts as it in red-flag
    # combinations (covers.csv `in_combinations`): a chest sore to press is not 999 on its own, but with
    # breathlessness it is, exactly as chest pain would be.
    stands_for: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_knowledge(cls, knowledge: Knowledge) -> "SafetyRules":
        """Return the rules compiled from the knowledge tables."""
        symptoms = {
            row["symptom"]: SymptomRule(
                row["symptom"],
                symptom_levels(row),
                str(row["source"]),
                _age(row.get("age_below")),
                str(row.get("sex") or "") or None,
                is_crisis(row),
            )
            for row in knowledge.symptoms.to_dict("records")
        }
        combinations = tuple(_combination(row) for row in knowledge.combinations.to_dict("records"))
        phrases = tuple(
            PhraseRule(
                p := str(row["phrase"]),
                phrase_key(p),
                str(row["kind"]),
                TriageLevel(str(row["level"])),
                str(row["wording"]),
                str(row["source"]),
                tuple(
                    tuple(w) for u in str(row.get("unless", "") or "").split("|") if (w := fold(u).split())
                ),
            )
            for row in knowledge.phrases.to_dict("records")
        )
        ordered = knowledge.fallback.sort_values("severity").to_dict("records")
        fallback = tuple((TriageLevel(row["level"]), str(row["reason"])) for row in ordered)
        return cls(symptoms, combinations, phrases, fallback, _stands_for(knowledge))

    def with_broader(self, severities: Mapping[str, int]) -> Mapping[str, int]:
        """Return `severities` with the broader concepts the narrower ones still count as in combinations."""
        broader: dict[str, int] = {}
        for name, severity in severities.items():
            for wider in self.stands_for.get(name, ()):
                broader[wider] = max(broader.get(wider, 0), severity)
        if not broader:
            return severities
        return {**broader, **{n: max(s, broader.get(n, 0)) for n, s in severities.items()}}

    def symptom_hits(self, severities: Mapping[str, int]) -> list[RuleHit]:
        """Return a hit for each known symptom whose level at its severity is above self care."""
        hits = []
        for name, severity in severities.items():
            rule = self.symptoms.get(name)
            if rule is not None and (level := rule.level_at(severity)) is not TriageLevel.SELF_CARE:
                reason = f"{name} at {severity} of 5: {_LEVEL_WORDS[level]} ({rule.source})."
                hits.append(RuleHit(f"symptom:{name}", level, reason, rule.source, name, rule.crisis))
        return hits

    def combination_hits(
        self, severities: Mapping[str, int], patient: PatientFacts = NO_FACTS
    ) -> list[RuleHit]:
        """Return a hit for each red-flag combination (and patient-fact rule) present in the check-in."""
        severities = self.with_broader(severities)
        by_symptom, always = self._combination_index
        candidates = set(always)
        for name in severities:
            candidates.update(by_symptom.get(name, ()))
        return [
            RuleHit(
                f"combination:{rule.rule_id}", rule.level, rule.reason, rule.source, _lead(rule, severities)
            )
            for index in sorted(candidates)  # the table's order, as before
            if (rule := self.combinations[index]).matches(severities, patient)
        ]

    @cached_property
    def _combination_index(self) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
        """Return the combinations each symptom can fire (by table position), and those any check-in can.

        A check-in names a handful of the ~330 symptoms, so most of the ~370 combinations are ruled out
        without being tried (an assessment tries them ~50 times, a training ~35,000 times).
        """
        by_symptom: dict[str, list[int]] = {}
        always: list[int] = []
        for index, rule in enumerate(self.combinations):
            anchor = next((name for name, low in rule.requires if low >= 1), None)
            if anchor is not None:
                names = [anchor]
            elif not rule.requires and rule.any_of and all(low >= 1 for _, low in rule.any_of):
                names = [name for name, _ in rule.any_of]
            else:  # nothing it needs is sure to be named in the check-in
                always.append(index)
                continue
            for name in names:
                by_symptom.setdefault(name, []).append(index)
        return {name: tuple(found) for name, found in by_symptom.items()}, tuple(always)

    def naming(self, names: Iterable[str]) -> list[CombinationRule]:
        """Return the combinations that name any of `names` (required or one of), in the table's order."""
        index = self._naming_index
        return [self.combinations[i] for i in sorted({i for name in names for i in index.get(name, ())})]

    @cached_property
    def _naming_index(self) -> dict[str, tuple[int, ...]]:
        """Return concept -> the positions of the combinations that name it."""
        index: dict[str, list[int]] = {}
        for position, rule in enumerate(self.combinations):
            for name in rule.names:
                index.setdefault(name, []).append(position)
        return {name: tuple(found) for name, found in index.items()}

    @cached_property
    def _personal_hits(self) -> frozenset[str]:
        """Return the hit names of the rules about the person (age, sex, pregnancy, conditions)."""
        return frozenset(
            f"combination:{rule.rule_id}" for rule in self.combinations if rule.needs_patient_facts
        )

    @cached_property
    def _phrase_scanner(self) -> Scanner:
        return self.phrase_scanner()

    def phrase_scanner(self, known_words: Iterable[str] = ()) -> Scanner:
        """Return a scanner for the phrases; `known_words` are real words it must not 'correct'."""
        return Scanner({rule.phrase: str(i) for i, rule in enumerate(self.phrases)}, extra_words=known_words)

    def phrase_hits(self, texts: Iterable[str], scanner: Scanner | None = None) -> list[RuleHit]:
        """Return one hit per emergency or crisis phrase found in `texts` (typed symptoms, the note).

        Negated wording ("I'm not having a stroke") does not fire; misspelt words are read as the
        nearest phrase word ("cant breath" → "cant breathe").
        """
        hits, seen = [], set()
        for text in texts:
            if not text:
                continue
            found_all, tokens, _ = (scanner or self._phrase_scanner).read(text, whole_only_short=False)
            for found in found_all:
                rule = self.phrases[int(found.value)]
                if found.negated or rule.wording in seen or rule.cancelled(tokens, found.end):
                    continue
                seen.add(rule.wording)
                reason = f"You mentioned “{rule.phrase}”: this needs help straight away."
                crisis = rule.kind == "crisis"
                hits.append(
                    RuleHit(
                        f"phrase:{rule.phrase}", rule.level, reason, rule.source, None, crisis, rule.wording
                    )
                )
        return sorted(hits, key=lambda hit: not hit.crisis)

    def context_hits(
        self, severities: Mapping[str, int], contexts: Mapping[str, SymptomContext]
    ) -> list[RuleHit]:
        """Return hits for symptoms that persist, get worse, or keep coming back."""
        hits = []
        for name, severity in severities.items():
            context = contexts.get(name, NO_CONTEXT)
            if reason := _context_reason(name.lower(), severity, context):
                hits.append(
                    RuleHit(
                        f"context:{name}",
                        CONTEXT_LEVEL,
                        reason,
                        "NHS (see a GP if symptoms persist or get worse)",
                        name,
                    )
                )
        return hits

    def unknown_hits(self, severities: Mapping[str, int]) -> list[RuleHit]:
        """Return the severity-based fallback for symptoms the vocabulary does not know."""
        hits = []
        for text, severity in severities.items():
            level, reason = self.fallback[min(max(severity, 1), 5) - 1]
            hits.append(RuleHit(f"unknown:{text}", level, f"“{text}”: {reason}", "fallback table", None))
        return hits

    def guidance_level(
        self,
        severities: Mapping[str, int],
        contexts: Mapping[str, SymptomContext] | None = None,
        patient: PatientFacts = NO_FACTS,
    ) -> TriageLevel:
        """Return the level the tables alone give a check-in of known symptoms (labels training rows).

        Without patient facts (the training rows), no rule about the person counts: a sex rule holds for
        someone whose sex is not known, but the model learns from symptoms alone.
        """
        combinations = self.combination_hits(severities, patient)
        if patient == NO_FACTS:
            combinations = [hit for hit in combinations if hit.rule not in self._personal_hits]
        hits = self.symptom_hits(severities) + combinations
        hits += self.context_hits(severities, contexts or {})
        return TriageLevel.most_urgent(*(hit.level for hit in hits))


def _stands_for(knowledge: Knowledge) -> dict[str, frozenset[str]]:
    """Return narrower concept -> the broader ones it still counts as in combinations (covers.csv)."""
    covers = knowledge.covers
    if covers is None or "in_combinations" not in covers:
        return {}
    return covers_of(covers[covers["in_combinations"].astype(str).str.strip().str.lower() == "yes"])


def _combination(row: Mapping[str, object]) -> CombinationRule:
    def number(column: str) -> float | None:
        value = str(row.get(column, "") or "").strip()
        return float(value) if value and value.lower() != "nan" else None

    pregnant = str(row.get("pregnant", "") or "").strip().lower()
    conditions = str(row.get("conditions", "") or "")
    return CombinationRule(
        str(row["rule_id"]),
        parse_thresholds(row["requires"]),
        parse_thresholds(row["any_of"]),
        TriageLevel(str(row["level"])),
        str(row["reason"]),
        str(row["source"]),
        number("age_below"),
        number("age_from"),
        {"yes": True, "no": False}.get(pregnant),
        frozenset(c.strip() for c in conditions.split("|") if c.strip() and c.strip().lower() != "nan"),
        str(row.get("sex", "") or "").strip() or None,
    )


def _lead(rule: CombinationRule, severities: Mapping[str, int]) -> str:
    """Return the symptom whose advice fits a combination: its first required one, else the any-of met."""
    if rule.requires:
        return rule.requires[0][0]
    return next(name for name, low in rule.any_of if severities.get(name, 0) >= low)


def severe_floor_hit(severities: Mapping[str, int]) -> RuleHit | None:
    """Return the catch-all for anything at 5 of 5, which is never self care."""
    severe = [name for name, severity in severities.items() if severity >= SEVERE_SEVERITY]
    if not severe:
        return None
    reason = f"{severe[0]} at {SEVERE_SEVERITY} of 5 is very severe, so it should not be left to self care."
    return RuleHit("severity:very-severe", SEVERE_FLOOR, reason, "safety policy", severe[0])


def _context_reason(name: str, severity: int, context: SymptomContext) -> str:
    if context.days_in_row >= PERSISTENT_DAYS:
        return (
            f"You have logged {name} {context.days_in_row} days in a row; symptoms that persist are worth "
            "checking with a doctor."
        )
    if context.change is not None and context.change >= WORSENING_CHANGE:
        return (
            f"Your {name} is {context.change} points worse than last time; symptoms that are getting "
            "worse are worth checking with a doctor."
        )
    if context.recurrent and severity >= RECURRENT_MIN_SEVERITY:
        return f"Your {name} keeps coming back; a doctor can help find out why."
    return ""


_LEVEL_WORDS = {
    TriageLevel.SEE_DOCTOR: "worth seeing a doctor about in the next few days",
    TriageLevel.URGENT: "should be checked by a doctor today",
    TriageLevel.EMERGENCY: "needs emergency care now",
}
