"""Triage: turn a check-in into a recommendation (calibrated model + red-flag safety layer).

The model proposes a level; the safety layer (`safety.py`, driven by `data/knowledge/`) can only raise
it: emergency and crisis phrases, per-symptom red-flag thresholds, red-flag combinations, symptoms
that persist or get worse, a very severe rating, unrecognised symptoms, and low model confidence.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_limits

from tracker.config import MODELS_DIR
from tracker.levels import TriageLevel
from tracker.triage.classifier import ModelView, TriageModel, load_model
from tracker.triage.confidence import Calibration, basis_of, load_calibration
from tracker.triage.context import SymptomContext
from tracker.triage.follow_up import (
    Answer,
    Discriminator,
    Question,
    QuestionBook,
    default_question_book,
    discriminators,
    not_ruled_out,
    safety_net,
    screen_hits,
    to_ask,
    with_answers,
)
from tracker.triage.knowledge import KNOWLEDGE_FILE, AdviceBook, Knowledge
from tracker.triage.patient import (
    FEVER_C,
    FEVER_CONCEPTS,
    MEASURED_FEVER,
    NO_FACTS,
    NORMAL_FROM_C,
    PatientFacts,
    condition_labels,
    fever_line,
    measured_fever,
    stated_temperature,
)
from tracker.triage.reading import Scanner
from tracker.triage.safety import RuleHit, SafetyRules, severe_floor_hit
from tracker.triage.stated_facts import with_named_conditions
from tracker.triage.vocabulary import Understanding, Vocabulary

__all__ = [
    "Answer",
    "Assessment",
    "PatientFacts",
    "Question",
    "SymptomContext",
    "TriageLevel",
    "Triager",
    "assess",
    "default_triager",
]

SEVERITY_MIN, SEVERITY_MAX = 1, 5
NOTE_SEVERITY = 1  # a symptom read in the note counts as present at the mildest rating
PREDICTION_THREADS = 1
# Below this calibrated probability the model's own level is raised one step (and the reasons say so).
LOW_CONFIDENCE = 0.6
# Confidence reported when a guidance rule (phrase, red flag, combination, history) sets the level.
RULE_CONFIDENCE = 0.9
# Confidence when the advice rests on a symptom we did not recognise: honest, and shown as "low".
UNKNOWN_CONFIDENCE = 0.3
# No triage is certain: a model that reproduces its guidance perfectly still reports at most this.
MAX_CONFIDENCE = 0.99
SIMILAR_SHOWN = 2  # nearest training examples at the recommended level, quoted in the reasons
# Concepts that only qualify another one (how long, how it started, which side): a typed symptom read as
# nothing else was not understood, and gets the unknown-symptom advice as well.
QUALIFIERS = frozenset(
    {
        "Lasting 3 days or more",
        "Lasting 5 days or more",
        "Lasting a week or more",
        "Lasting 5 minutes or more",
        "Weeks or months so far",
        "Sudden onset",
        "One-sided",
    }
)
PREGNANT = "Pregnant"  # the concept of pregnancy told in words, read as the patient fact when not given
MAX_RULE_REASONS = 2  # rule sentences shown; every rule that fired is in `details["rules"]`
# Which rule kinds set a level with guidance behind it, most specific first (also the advice priority).
GUIDANCE_RULES = ("phrase", "combination", "symptom", "context", "severity")


@dataclass(frozen=True)
class Assessment:
    """A recommendation: what to do, why, and how sure we are."""

    level: TriageLevel
    advice: str
    confidence: float
    reasons: tuple[str, ...]
    matched: dict[str, str | None]
    model_version: str = "interim"
    crisis: bool = False  # self-harm wording: show the crisis line, not just the emergency number
    details: dict[str, object] = field(default_factory=dict)
    # What would make it more urgent ("Call emergency services if …"), at most three sentences.
    safety_net: tuple[str, ...] = ()
    # Follow-up questions whose "yes" would raise the level, most urgent first (none at emergency).
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True)
class _Reading:
    """A check-in after vocabulary matching: known symptoms by canonical name, the rest as typed."""

    matched: dict[str, str | None]
    known: dict[str, int]
    unknown: dict[str, int]
    contexts: dict[str, SymptomContext]
    understood: dict[str, tuple[str, ...]] = field(default_factory=dict)  # typed text (or "note") → concepts
    negated: tuple[str, ...] = ()  # concepts the words said were absent
    guessed: dict[str, str] = field(default_factory=dict)  # typed text → concept the phrase model read
    stated_c: float | None = None  # the highest temperature typed with a fever ("temp 38.6"), in °C


class Triager:
    """Holds the loaded vocabulary, rules and model; `assess` is pure given them."""

    def __init__(self, model: TriageModel, vocabulary: Vocabulary | None = None) -> None:
        self.model: TriageModel | None = model
        self.rules = model.rules
        self.advice = model.advice
        self.vocabulary = vocabulary or model.vocabulary
        self.model_version = model.version
        self._phrases = self._phrase_scanner()
        self.calibration: Calibration | None = None
        self.question_book = default_question_book()

    @classmethod
    def tables_only(cls, knowledge: Knowledge) -> "Triager":
        """Return a triager on the tables alone: no trained model (to compare, and for `knowledge diff`)."""
        triager = cls.__new__(cls)
        triager.model = None
        triager.rules = SafetyRules.from_knowledge(knowledge)
        triager.advice = AdviceBook(knowledge.advice)
        triager.vocabulary = knowledge.vocabulary()
        triager.model_version = "tables-only"
        triager._phrases = triager._phrase_scanner()
        triager.calibration = None
        triager.question_book = default_question_book()
        return triager

    def _phrase_scanner(self) -> Scanner:
        """Return the phrase scanner, told every word of the vocabulary so none is 'corrected' away."""
        return self.rules.phrase_scanner(self.vocabulary.scanner.words)

    @classmethod
    def load(cls, knowledge_path: Path = KNOWLEDGE_FILE, model_dir: Path = MODELS_DIR) -> "Triager":
        """Return a triager on the saved model (retrained on the spot when it is missing or stale).

        Predicting one check-in is far too small to share between threads: OpenMP's thread team
        only adds start-up cost, and with several processes or sessions at once it oversubscribes
        the cores (8 writers on 2 cores ran ~50x slower). One thread per prediction from here on.
        """
        model = load_model(knowledge_path, model_dir)
        threadpool_limits(limits=PREDICTION_THREADS, user_api="openmp")
        triager = cls(model)
        triager.calibration = load_calibration(model_dir)
        return triager

    def assess(
        self,
        symptoms: Mapping[str, int],
        context: Mapping[str, SymptomContext] | None = None,
        note: str = "",
        patient: PatientFacts | None = None,
        answers: Mapping[str, str] | None = None,
    ) -> Assessment:
        """Return the recommendation for a check-in of typed symptom -> severity (1-5, clamped).

        `note` is read for symptoms and emergency wording too; `patient` facts (age, pregnancy,
        long-term conditions) let the tables' patient rules apply. `answers` (question id -> yes, no,
        not sure) to the follow-up questions add what they say; raises ValidationError for an unknown id.
        """
        facts_known = patient is not None
        given = self.question_book.answers(answers)
        patient, named = with_named_conditions(patient or NO_FACTS, [*symptoms, note])
        reading = _with_measured(self._read(symptoms, context or {}, note, patient), patient, self.rules)
        if PREGNANT in reading.known and patient.pregnant is None:
            patient = replace(patient, pregnant=True)  # "I'm 7 weeks pregnant": the pregnancy rules apply
        yes_severity = max([*reading.known.values(), *reading.unknown.values(), NOTE_SEVERITY])
        known, patient = with_answers(self.question_book, given, reading.known, patient, yes_severity)
        reading = replace(reading, known=known)
        hits = self._rule_hits(reading, [*symptoms, note], patient)
        hits += screen_hits(self.rules, self.question_book, given, known, patient, yes_severity)
        view = self.model.view(reading.known, reading.contexts) if reading.known and self.model else None
        if view is not None and view.confidence < LOW_CONFIDENCE:
            hits.append(_low_confidence_hit(view))
        level = TriageLevel.most_urgent(
            view.level if view else TriageLevel.SELF_CARE, *(h.level for h in hits)
        )
        floor = severe_floor_hit({**reading.known, **reading.unknown})
        if floor is not None and floor.level.rank > level.rank:
            hits.append(floor)
            level = floor.level
        deciding = _deciding_hits(hits, level)
        similar = []
        if view is not None and self.model and view.level is level:  # examples when the model's level stands
            similar = self.model.neighbours.nearest(view.vector, SIMILAR_SHOWN, level)
        found = discriminators(
            self.rules,
            self.question_book,
            reading.known,
            patient,
            level,
            yes_severity,
            facts_known,
            given,
            logged=bool(reading.unknown),
        )
        asked = to_ask(found, given)
        return Assessment(
            level=level,
            advice=self._advice(level, deciding, view, reading),
            confidence=self._confidence(level, deciding, view, reading),
            reasons=_reasons(level, hits, deciding, view, similar)
            + _readings(reading)
            + _named(named)
            + _answered(given, found, asked, self.question_book),
            matched=reading.matched,
            model_version=self.model_version,
            crisis=any(hit.crisis for hit in hits),
            details={**_details(hits, deciding, view, reading), **_answer_details(given, found)},
            safety_net=safety_net(found, given),
            questions=asked,
        )

    def _read(
        self,
        symptoms: Mapping[str, int],
        context: Mapping[str, SymptomContext],
        note: str = "",
        patient: PatientFacts = NO_FACTS,
    ) -> _Reading:
        matched: dict[str, str | None] = {}
        understood: dict[str, tuple[str, ...]] = {}
        known: dict[str, int] = {}
        unknown: dict[str, int] = {}
        negated: set[str] = set()
        guessed: dict[str, str] = {}
        contexts: dict[str, SymptomContext] = {}
        stated: list[float] = []
        for text, raw in symptoms.items():
            severity = min(max(int(raw), SEVERITY_MIN), SEVERITY_MAX)
            reading = self.vocabulary.concepts_measured(text, patient)
            signs = self._signs(reading.present, patient)
            names = _as_stated(signs, text, fever_line(patient), stated)
            negated.update(reading.negated)
            if signs and not names:
                negated.add(MEASURED_FEVER)  # "temp 37.4": a temperature that is not a fever
                continue
            matched[text] = names[0] if names else None
            understood[text] = tuple(names)
            if reading.guessed and names:
                guessed[text] = names[0]
            if not names and reading.negated:
                continue  # "no fever": said to be absent, nothing to assess
            for key in names or [" ".join(str(text).split())]:
                target = known if names else unknown
                target[key] = max(target.get(key, 0), severity)
                if (found := context.get(key) or context.get(text)) is not None:
                    contexts[key] = found
            if names and set(names) <= QUALIFIERS:
                # "not pooed for 5 days": how long or how it started was read, but not what it is.
                typed = " ".join(str(text).split())
                unknown[typed] = max(unknown.get(typed, 0), severity)
        if note.strip():
            from_note = self.vocabulary.concepts_measured(note, patient)
            if from_note.guessed:
                # A note is free context ("breathing normally", "gaining weight"): the phrase model's
                # nearest entry for a whole note is a guess at words that name no symptom, so it is not read.
                from_note = Understanding(())
            negated.update(from_note.negated)
            # Presence is what a note tells, not a rating: flat red flags and combinations still fire.
            in_note = _as_stated(self._signs(from_note.present, patient), note, fever_line(patient), stated)
            for name in in_note:
                known.setdefault(name, NOTE_SEVERITY)
            understood["note"] = tuple(in_note)
        return _Reading(
            matched,
            known,
            unknown,
            contexts,
            understood,
            tuple(sorted(negated - set(known))),
            guessed,
            max(stated, default=None),
        )

    def _signs(self, present: Sequence[str], patient: PatientFacts) -> list[str]:
        """Return the concepts read that the tables assess and that can be this patient's."""
        rules = self.rules.symptoms
        return [name for name in present if name in rules and rules[name].describes(patient)]

    def _rule_hits(self, reading: _Reading, texts: list[str], patient: PatientFacts) -> list[RuleHit]:
        every = {**reading.known, **reading.unknown}
        return [
            *self.rules.phrase_hits(texts, self._phrases),
            *self.rules.combination_hits(reading.known, patient),
            *self.rules.symptom_hits(reading.known),
            *self.rules.context_hits(every, reading.contexts),
            *self.rules.unknown_hits(reading.unknown),
            *(_guess_hit(text, name) for text, name in reading.guessed.items()),
        ]

    def _confidence(
        self, level: TriageLevel, deciding: list[RuleHit], view: ModelView | None, reading: _Reading
    ) -> float:
        """Return the calibrated confidence when there is a calibration, else the raw one."""
        if self.calibration is not None:
            model_level = str(view.level) if view is not None else None
            basis = basis_of([hit.rule for hit in deciding], model_level)
            return self.calibration.confidence(basis, str(level))
        return round(min(_confidence(level, deciding, view, reading), MAX_CONFIDENCE), 4)

    def _advice(
        self, level: TriageLevel, deciding: list[RuleHit], view: ModelView | None, reading: _Reading
    ) -> str:
        for hit in deciding:
            if hit.wording:
                return hit.wording
        return self.advice.text(_lead_symptom(deciding, view, reading, self.rules), level)


def _answered(
    given: Mapping[str, Answer],
    found: list[Discriminator],
    asked: tuple[Question, ...],
    book: QuestionBook,
) -> tuple[str, ...]:
    """Return what the answers changed: "not sure" taken as possible, questions left unanswered."""
    said = []
    unsure = [book.by_id[key].text for key, answer in given.items() if answer is Answer.NOT_SURE]
    if unsure:
        said.append(f"You were not sure about {_quoted(unsure)}, so to be safe we treated it as possible.")
    if asked:
        said.append(f"We could not rule out {_quoted([q.text for q in asked])}: answering helps.")
    return tuple(said)


def _quoted(texts: list[str]) -> str:
    return "; ".join(f"“{text}”" for text in texts)


def _answer_details(given: Mapping[str, Answer], found: list[Discriminator]) -> dict[str, Any]:
    return {
        "answers": {key: str(answer) for key, answer in given.items()},
        "ruled_out": [key for key, answer in given.items() if answer is Answer.NO],
        "not_ruled_out": not_ruled_out(found, given),
    }


def _as_stated(names: list[str], text: str, fever_from: float, stated: list[float]) -> list[str]:
    """Return the concepts read from `text`, without a fever its typed temperature says is none.

    "temp 37.4" is no fever (from 36 °C up to `fever_from`); a typed temperature of 38 °C or more is
    added to `stated`, to count as measured.
    """
    if not FEVER_CONCEPTS & set(names) or (said := stated_temperature(text)) is None:
        return names
    if said >= FEVER_C:
        stated.append(said)
    if said >= fever_from or said < NORMAL_FROM_C:
        return names
    return [name for name in names if name not in FEVER_CONCEPTS]


def _with_measured(reading: _Reading, patient: PatientFacts, rules: SafetyRules) -> _Reading:
    """Return the reading with a measured (or typed) temperature of 38 °C or more counted as a fever."""
    measured = patient.temperature_c if patient.temperature_c is not None else reading.stated_c
    found = {name: level for name, level in measured_fever(measured).items() if name in rules.symptoms}
    if not found:
        return reading
    known = {
        **reading.known,
        **{name: max(level, reading.known.get(name, 0)) for name, level in found.items()},
    }
    if patient.temperature_c is None:  # typed with the symptoms: shown as understood there already
        return replace(reading, known=known)
    understood = {**reading.understood, f"measured {patient.temperature_c:.1f} °C": tuple(found)}
    negated = tuple(name for name in reading.negated if name not in found)
    return replace(reading, known=known, understood=understood, negated=negated)


def _guess_hit(text: str, name: str) -> RuleHit:
    """Return the caution for words only the phrase model could read: never less than a doctor's look."""
    reason = (
        f"We read “{text}” as {name.lower()}, but not from words we know well; if that is not what you "
        "meant, pick the closest symptom from the list."
    )
    return RuleHit(f"guess:{text}", TriageLevel.SEE_DOCTOR, reason, "phrase model", name)


def _kind(hit: RuleHit) -> str:
    return hit.rule.split(":", 1)[0]


def _deciding_hits(hits: list[RuleHit], level: TriageLevel) -> list[RuleHit]:
    """Return the hits at the final level, guidance rules first, in GUIDANCE_RULES order."""
    order = {kind: i for i, kind in enumerate(GUIDANCE_RULES)}
    at_level = [hit for hit in hits if hit.level is level]
    return sorted(at_level, key=lambda hit: order.get(_kind(hit), len(order)))


def _lead_symptom(
    deciding: list[RuleHit], view: ModelView | None, reading: _Reading, rules: SafetyRules
) -> str | None:
    """Return the symptom whose advice fits the recommendation best (None: the generic advice).

    A rule that set the level names its symptom; otherwise the known symptom with the most urgent
    guidance level, then the highest severity. When only an unrecognised symptom reaches the level, the
    generic advice fits best.
    """
    for hit in deciding:
        if hit.symptom is not None and hit.symptom in reading.known:
            return hit.symptom
    model_rank = view.level.rank if view is not None else -1
    if any(_kind(hit) == "unknown" for hit in deciding) and model_rank < deciding[0].level.rank:
        return None

    def weight(name: str) -> tuple[int, int]:
        return rules.symptoms[name].level_at(reading.known[name]).rank, reading.known[name]

    return max(reading.known, key=weight, default=None)


def _low_confidence_hit(view: ModelView) -> RuleHit:
    raised = view.level.raised()
    reason = (
        f"The model was not sure ({view.confidence:.0%}), so we suggest one step more caution: "
        f"“{raised.label}”."
    )
    top = next((f["feature"] for f in view.top_features if f["severity"] is not None), None)
    return RuleHit("low_confidence", raised, reason, "safety policy", top)


def _confidence(
    level: TriageLevel, deciding: list[RuleHit], view: ModelView | None, reading: _Reading
) -> float:
    model_p = view.probabilities.get(str(level), 0.0) if view else 0.0
    if any(_kind(hit) in GUIDANCE_RULES for hit in deciding):
        return max(RULE_CONFIDENCE, model_p)
    if view is None or any(_kind(hit) in ("unknown", "guess") for hit in deciding):
        return UNKNOWN_CONFIDENCE
    confidence = view.confidence  # the model's level, or the one-step raise of an unsure model
    return min(confidence, UNKNOWN_CONFIDENCE) if reading.unknown else confidence


def _reasons(
    level: TriageLevel,
    hits: list[RuleHit],
    deciding: list[RuleHit],
    view: ModelView | None,
    similar: list[dict[str, Any]],
) -> tuple[str, ...]:
    reasons = [hit.reason for hit in hits if _kind(hit) == "phrase"]
    reasons += [hit.reason for hit in deciding if _kind(hit) != "phrase"][:MAX_RULE_REASONS]
    reasons += [hit.reason for hit in hits if _kind(hit) in ("unknown", "guess") and hit not in deciding]
    if view is not None:
        reasons.append(_model_reason(view, level))
    if similar:
        shown = "; ".join(dict.fromkeys(example["symptoms"] for example in similar))
        reasons.append(f"Similar examples the model learned from were also “{level.label}”: {shown}.")
    if not reasons:
        reasons.append(f"No symptoms were given, so the advice is: {level.label.lower()}.")
    return tuple(dict.fromkeys(reasons))


def _readings(reading: _Reading) -> tuple[str, ...]:
    """Return how the words were read, wherever that is not just a symptom's own name."""
    said = []
    for text, names in reading.understood.items():
        if text == "note":
            if names:
                said.append(f"Your note mentions {_listed(names)}.")
        elif text.startswith("measured "):
            said.append(
                f"The temperature you measured ({text.removeprefix('measured ')}) counts as {_listed(names)}."
            )
        elif names and [n.casefold() for n in names] != [" ".join(text.split()).casefold()]:
            said.append(f"We read “{' '.join(text.split())}” as {_listed(names)}.")
    if reading.negated:
        said.append(f"You said there is no {_listed(reading.negated)}.")
    return tuple(said)


def _named(conditions: frozenset[str]) -> tuple[str, ...]:
    """Return what the conditions read from the words mean for the advice."""
    if not conditions:
        return ()
    labels = condition_labels()
    names = tuple(sorted(labels.get(c, c).lower() for c in conditions))
    them = "it" if len(names) == 1 else "them"
    return (f"You mentioned {_listed(names)}, so the advice for people with {them} applies.",)


def _listed(names: tuple[str, ...]) -> str:
    words = [name.lower() for name in names]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _model_reason(view: ModelView, level: TriageLevel) -> str:
    sure = f"{min(view.confidence, MAX_CONFIDENCE):.0%} sure"
    if view.level is level:
        sentence = f"Our model, trained on guidance-based examples, agrees ({sure})"
    else:
        sentence = (
            f"From the ratings alone our model would suggest “{view.level.label}” ({sure}), "
            "but the safety rules come first"
        )
    top = view.top_features[0] if view.top_features else None
    if top is None:
        return sentence + "."
    if top["severity"] is None:
        return sentence + "; the symptom history weighed most."
    return sentence + f"; the {str(top['feature']).lower()} at {top['severity']} of 5 weighed most."


def _details(
    hits: list[RuleHit], deciding: list[RuleHit], view: ModelView | None, reading: _Reading
) -> dict[str, Any]:
    return {
        "rules": [hit.as_dict() for hit in hits],
        "deciding_rules": [hit.rule for hit in deciding],
        "model_level": str(view.level) if view else None,
        "probabilities": view.probabilities if view else {},
        "top_features": view.top_features if view else [],
        "similar_examples": view.similar if view else [],
        "unmatched": sorted(reading.unknown),
        "understood": {text: list(names) for text, names in reading.understood.items()},
        "negated": list(reading.negated),
        "confidence_raised": any(hit.rule == "low_confidence" for hit in hits),
    }


@cache
def default_triager() -> Triager:
    """Return the triager built from the shipped data and model (loaded once per process)."""
    return Triager.load()


def assess(
    symptoms: Mapping[str, int],
    context: Mapping[str, SymptomContext] | None = None,
    note: str = "",
    patient: PatientFacts | None = None,
    answers: Mapping[str, str] | None = None,
) -> Assessment:
    """Return the recommendation for `symptoms` (typed name -> severity 1-5), for `patient` when known.

    `answers` maps follow-up question ids to yes, no or not sure (see `questions`).
    """
    return default_triager().assess(symptoms, context, note, patient, answers)


def questions(
    symptoms: Mapping[str, int],
    patient: PatientFacts | None = None,
    answers: Mapping[str, str] | None = None,
    context: Mapping[str, SymptomContext] | None = None,
    note: str = "",
) -> list[Question]:
    """Return the follow-up questions worth asking now, most urgent first (at most 5, none at emergency).

    Only questions whose "yes" would raise the level are asked; answered ones are not asked again.
    Raises ValidationError for an unknown question id in `answers`.
    """
    return list(default_triager().assess(symptoms, context, note, patient, answers).questions)
