"""Follow-up questions at check-in, the way telephone triage asks them: the few details that matter.

People rate the symptom they notice, not the detail that makes it dangerous. From the presenting
concepts, the discriminators are the concepts and patient facts of the red-flag combinations they take
part in (`combinations.csv`); their patient wording is `questions.csv`. As NHS 111 does, screens
(`screens.csv`) first ask "any of these?" about red flags whatever the complaint links to (for anyone,
for the presenting body system, for an age group or pregnancy): a "no" rules out several at once, a
"yes" (or "not sure") sets the screen's own level where it has one (the life-threatening signs: an
emergency), else the least urgent level any of them would bring, and asks which. A question is asked
only when a "yes" would raise the level, most urgent first, at most `MAX_QUESTIONS`, none at emergency.
Pure: the rules and the book go in, questions come out (`Triager.assess` uses it).
"""

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from tracker.errors import ValidationError
from tracker.levels import TriageLevel
from tracker.triage.knowledge import KNOWLEDGE_DIR, KnowledgeError
from tracker.triage.patient import PatientFacts
from tracker.triage.safety import CombinationRule, RuleHit, SafetyRules

QUESTIONS_FILE = KNOWLEDGE_DIR / "questions.csv"
QUESTION_COLUMNS = ("question_id", "concept", "text", "choices", "warning", "sex", "source", "reviewed_on")
QUESTION_REQUIRED = ("question_id", "concept", "text", "source")
SCREENS_FILE = KNOWLEDGE_DIR / "screens.csv"
SCREEN_COLUMNS = (
    "screen_id",
    "covers",
    "text",
    "choices",
    "body_systems",
    "symptoms",
    "conditions",
    "age_from",
    "age_below",
    "pregnant",
    "level",
    "source",
    "reviewed_on",
)
SCREEN_REQUIRED = ("screen_id", "covers", "text", "source")
SCREEN_PREFIX = "screen:"  # a screen's concept, as stored with its answer
MAX_QUESTIONS = 5  # per check-in, answered ones included: telephone triage asks a handful
MAX_SAFETY_NET = 3
PREGNANT = "pregnant"
CONDITION_PREFIX = "condition:"
DEFAULT_CHOICES = ("Yes", "No", "Not sure")
SCREEN_LEVEL_WORDS = {
    TriageLevel.EMERGENCY: "emergency care now",
    TriageLevel.URGENT: "medical help today",
    TriageLevel.SEE_DOCTOR: "a doctor in the next few days",
    TriageLevel.SELF_CARE: "no more than care at home",
}
# The sentence that opens a safety-net line, by the level a discriminator would bring.
SAFETY_NET_OPENING = {
    TriageLevel.EMERGENCY: "Call emergency services if",
    TriageLevel.URGENT: "Get medical help today if",
    TriageLevel.SEE_DOCTOR: "See a doctor in the next few days if",
}


class Answer(StrEnum):
    """An answer to a follow-up question. "Not sure" is treated as "yes": a red flag not ruled out."""

    YES = "yes"
    NO = "no"
    NOT_SURE = "not_sure"

    @property
    def counts_as_present(self) -> bool:
        """Return whether the concept is assessed as present (yes, and cautiously, not sure)."""
        return self is not Answer.NO


_ANSWER_WORDS = {
    "yes": Answer.YES,
    "y": Answer.YES,
    "no": Answer.NO,
    "n": Answer.NO,
    "not sure": Answer.NOT_SURE,
    "not_sure": Answer.NOT_SURE,
    "notsure": Answer.NOT_SURE,
    "unsure": Answer.NOT_SURE,
    "?": Answer.NOT_SURE,
    "dont know": Answer.NOT_SURE,
}
ANSWER_LABELS = {Answer.YES: "Yes", Answer.NO: "No", Answer.NOT_SURE: "Not sure"}


def parse_answer(text: str) -> Answer:
    """Return the answer `text` means ("yes", "No", "not sure", "?"). Raises ValidationError."""
    folded = " ".join(str(text).casefold().replace("'", "").split())
    if folded in _ANSWER_WORDS:
        return _ANSWER_WORDS[folded]
    raise ValidationError({"answer": f"“{text}” is not an answer: use yes, no or not sure."})


@dataclass(frozen=True)
class QuestionRow:
    """One row of questions.csv: how to ask about a concept (or a patient fact), and its source."""

    id: str
    concept: str
    text: str
    choices: tuple[str, str, str]  # the words for yes, no and not sure, in that order
    warning: str  # the safety net's clause ("the pain spreads to your arm"); blank: not in the safety net
    source: str
    covers: tuple[str, ...] = ()  # a screen's concepts ("any of these?"); () for a question about one
    sex: str | None = None  # asked only of this sex (or when the sex is not known): periods, testicles
    # Asked only below this age (or when the age is not known): its concept's body system is a child's
    # (`body_systems.csv` age_below), as the words of such a concept are not read for an adult either.
    age_below: float | None = None

    def asks(self, patient: PatientFacts) -> bool:
        """Return whether this question fits the person: not about periods to a man, nor a baby's
        temperature to a 40-year-old."""
        age = patient.age_years
        fits_age = self.age_below is None or age is None or age < self.age_below
        return fits_age and (self.sex is None or patient.sex in (None, self.sex))

    @property
    def is_fact(self) -> bool:
        return self.concept == PREGNANT or self.concept.startswith(CONDITION_PREFIX)

    @property
    def is_screen(self) -> bool:
        return bool(self.covers)


@dataclass(frozen=True)
class Screen:
    """One row of screens.csv: an "any of these?" question, and whom and which complaints it is for."""

    row: QuestionRow
    body_systems: frozenset[str]  # empty: whatever the complaint
    symptoms: frozenset[str]  # or for these complaints only ("since the knock to the head": a head injury)
    conditions: frozenset[str]  # or for anyone with one of these long-term conditions, whatever the complaint
    age_from: float | None
    age_below: float | None
    pregnant: bool  # asked only in pregnancy
    level: TriageLevel | None = None  # what a "yes" brings; None: the least urgent level of its concepts

    def applies(self, systems: set[str], concepts: Iterable[str], patient: PatientFacts) -> bool:
        """Return whether to screen a check-in of these body systems and concepts for this person.

        A screen for some body systems, symptoms or conditions needs one of them (any); an age-limited
        screen needs the age known; a screen for pregnancy needs the pregnancy known.
        """
        age = patient.age_years
        if (self.body_systems or self.symptoms or self.conditions) and not (
            self.body_systems & systems or self.symptoms.intersection(concepts) or self.for_condition(patient)
        ):
            return False
        if self.age_below is not None and (age is None or age >= self.age_below):
            return False
        if self.age_from is not None and (age is None or age < self.age_from):
            return False
        return not self.pregnant or bool(patient.pregnant)

    def for_condition(self, patient: PatientFacts) -> bool:
        """Return whether one of the person's long-term conditions is one this screen is for."""
        return bool(self.conditions & patient.conditions)


@dataclass(frozen=True)
class Question:
    """A question to ask now: its id, wording, choices (yes, no, not sure), concept, why, source."""

    id: str
    text: str
    choices: tuple[str, ...]
    concept: str
    why: str
    source: str
    level_if_yes: TriageLevel
    covers: tuple[str, ...] = ()  # a screen's concepts: "yes" means any of them
    # The screen whose "yes" asks "which of these?": asked together, tick all that apply, one question.
    part_of: str = ""

    def answer_of(self, choice: str) -> Answer:
        """Return the answer a choice means: its words, its number (1-3), or yes / no / not sure.

        Raises ValidationError for anything else.
        """
        for number, (answer, words) in enumerate(zip(Answer, self.choices, strict=True), start=1):
            if choice.strip().casefold() in (words.casefold(), str(number)):
                return answer
        return parse_answer(choice)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "choices": list(self.choices),
            "concept": self.concept,
            "why": self.why,
            "source": self.source,
            "level_if_yes": str(self.level_if_yes),
            "covers": list(self.covers),
            "part_of": self.part_of,
        }


@dataclass(frozen=True)
class QuestionBook:
    """The rows of questions.csv by id and by concept, the screens, and each concept's body system."""

    rows: tuple[QuestionRow, ...]
    screens: tuple[Screen, ...] = ()
    body_systems: Mapping[str, str] = field(default_factory=dict)  # concept -> body system

    @cached_property
    def by_id(self) -> dict[str, QuestionRow]:
        return {row.id: row for row in (*self.rows, *(screen.row for screen in self.screens))}

    @cached_property
    def by_concept(self) -> dict[str, QuestionRow]:
        return {row.concept: row for row in self.rows}

    @property
    def screens_rows(self) -> tuple[QuestionRow, ...]:
        return tuple(screen.row for screen in self.screens)

    def require(self, question_id: str) -> QuestionRow:
        """Return the row of `question_id`. Raises ValidationError naming an unknown id."""
        found = self.by_id.get(str(question_id).strip())
        if found is None:
            raise ValidationError({"answers": f"There is no question “{question_id}”."})
        return found

    def answers(self, given: Mapping[str, str | Answer] | None) -> dict[str, Answer]:
        """Return `given` (question id -> answer words) checked. Raises ValidationError."""
        return {self.require(key).id: parse_answer(value) for key, value in (given or {}).items()}


def question_problems(frame: pd.DataFrame, symptoms: set[str], conditions: set[str]) -> list[str]:
    """Return one message per bad row of questions.csv: "questions.csv line N: what is wrong"."""
    missing = [column for column in QUESTION_COLUMNS if column not in frame.columns]
    if missing:
        return [f"questions.csv lacks columns {missing}"]
    problems, seen_ids, seen_concepts = [], set(), set()
    for index, row in enumerate(frame.to_dict("records")):
        found = [f"{column} is blank" for column in QUESTION_REQUIRED if not row[column]]
        concept = row["concept"]
        fact = concept == PREGNANT or concept.startswith(CONDITION_PREFIX)
        if concept.startswith(CONDITION_PREFIX) and concept[len(CONDITION_PREFIX) :] not in conditions:
            found.append(f"condition {concept[len(CONDITION_PREFIX) :]!r} is not in conditions.csv")
        elif not fact and concept and concept not in symptoms:
            found.append(f"concept {concept!r} is not in symptoms.csv (or 'pregnant', 'condition:…')")
        if row["choices"] and len(_choices(row["choices"])) != len(DEFAULT_CHOICES):
            found.append("choices are three words for yes, no and not sure, separated by '|'")
        if row["sex"] not in ("", "F", "M"):
            found.append("sex is F, M or blank (asked of anyone)")
        if row["question_id"] and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", row["question_id"]):
            found.append("question_id is lower-case letters, digits and '-'")
        found += [f"{row['question_id']!r} is listed twice"] if row["question_id"] in seen_ids else []
        found += [f"concept {concept!r} has two questions"] if concept in seen_concepts else []
        seen_ids.add(row["question_id"])
        seen_concepts.add(concept)
        problems += [f"questions.csv line {index + 2}: {text}" for text in found]
    return problems


def _choices(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|"))


def screen_problems(
    frame: pd.DataFrame,
    asked: set[str],
    ids: set[str],
    symptoms: Mapping[str, str],
    conditions: set[str],
) -> list[str]:
    """Return one message per bad row of screens.csv: "screens.csv line N: what is wrong".

    `asked` are the concepts questions.csv asks about (a screen's "yes" asks which one), `ids` its
    question ids (a screen's id must differ), `symptoms` the body system of each symptom of
    symptoms.csv, `conditions` those of conditions.csv.
    """
    body_systems = set(symptoms.values())
    missing = [column for column in SCREEN_COLUMNS if column not in frame.columns]
    if missing:
        return [f"screens.csv lacks columns {missing}"]
    problems, seen = [], set(ids)
    for index, row in enumerate(frame.to_dict("records")):
        found = [f"{column} is blank" for column in SCREEN_REQUIRED if not row[column]]
        found += [
            f"{concept!r} has no question in questions.csv"
            for concept in _choices(row["covers"])
            if row["covers"] and concept not in asked
        ]
        found += [
            f"body system {system!r} is not in symptoms.csv"
            for system in _choices(row["body_systems"])
            if row["body_systems"] and system not in body_systems
        ]
        found += [
            f"symptom {symptom!r} is not in symptoms.csv"
            for symptom in _choices(row["symptoms"])
            if row["symptoms"] and symptom not in symptoms
        ]
        found += [
            f"condition {condition!r} is not in conditions.csv"
            for condition in _choices(row["conditions"])
            if row["conditions"] and condition not in conditions
        ]
        for column in ("age_from", "age_below"):
            if row[column] and not re.fullmatch(r"\d+(\.\d+)?", row[column]):
                found.append(f"{column} is a number of years")
        if row["pregnant"] not in ("", "yes"):
            found.append("pregnant is 'yes' or blank")
        if row["level"] and row["level"] not in {str(level) for level in TriageLevel}:
            found.append(
                f"level {row['level']!r} is not one of {', '.join(map(str, TriageLevel))} (or blank)"
            )
        if row["choices"] and len(_choices(row["choices"])) != len(DEFAULT_CHOICES):
            found.append("choices are three words for yes, no and not sure, separated by '|'")
        if row["screen_id"] and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", row["screen_id"]):
            found.append("screen_id is lower-case letters, digits and '-'")
        found += [f"{row['screen_id']!r} is listed twice"] if row["screen_id"] in seen else []
        seen.add(row["screen_id"])
        problems += [f"screens.csv line {index + 2}: {text}" for text in found]
    return problems


def read_question_book(folder: Path = KNOWLEDGE_DIR) -> QuestionBook:
    """Return the question book of the tables in `folder`. Raises KnowledgeError listing every bad row."""
    try:
        frame = pd.read_csv(folder / "questions.csv", dtype=str, keep_default_na=False, encoding="utf-8")
        screens = pd.read_csv(folder / "screens.csv", dtype=str, keep_default_na=False, encoding="utf-8")
        symptoms = pd.read_csv(folder / "symptoms.csv", dtype=str, keep_default_na=False)
        conditions = pd.read_csv(folder / "conditions.csv", dtype=str, keep_default_na=False)["condition"]
        systems = dict(zip(symptoms["symptom"].str.strip(), symptoms["body_system"].str.strip(), strict=True))
        ages = pd.read_csv(folder / "body_systems.csv", dtype=str, keep_default_na=False)
        age_below = {
            system.strip(): float(age)
            for system, age in zip(ages["body_system"], ages["age_below"], strict=True)
            if age.strip()
        }
    except (OSError, ValueError, KeyError, UnicodeDecodeError) as error:
        raise KnowledgeError([f"cannot read the questions in {folder}: {error}"]) from error
    frame, screens = frame.map(str.strip), screens.map(str.strip)
    known_conditions = set(conditions.str.strip())
    problems = question_problems(frame, set(systems), known_conditions)
    if not problems:
        problems = screen_problems(
            screens, set(frame["concept"]), set(frame["question_id"]), systems, known_conditions
        )
    if problems:
        raise KnowledgeError(problems)
    rows = tuple(
        QuestionRow(
            row["question_id"],
            row["concept"],
            row["text"],
            _choices(row["choices"]) if row["choices"] else DEFAULT_CHOICES,  # type: ignore[arg-type]
            row["warning"],
            row["source"],
            sex=row["sex"] or None,
            age_below=age_below.get(systems.get(row["concept"], "")),
        )
        for row in frame.to_dict("records")
    )
    return QuestionBook(rows, tuple(_screen(row) for row in screens.to_dict("records")), systems)


def _screen(row: Mapping[str, str]) -> Screen:
    question = QuestionRow(
        row["screen_id"],
        SCREEN_PREFIX + row["screen_id"],
        row["text"],
        _choices(row["choices"]) if row["choices"] else DEFAULT_CHOICES,  # type: ignore[arg-type]
        "",
        row["source"],
        _choices(row["covers"]),
    )
    return Screen(
        question,
        frozenset(_choices(row["body_systems"])) if row["body_systems"] else frozenset(),
        frozenset(_choices(row["symptoms"])) if row["symptoms"] else frozenset(),
        frozenset(_choices(row["conditions"])) if row["conditions"] else frozenset(),
        float(row["age_from"]) if row["age_from"] else None,
        float(row["age_below"]) if row["age_below"] else None,
        row["pregnant"] == "yes",
        TriageLevel(row["level"]) if row["level"] else None,
    )


@cache
def default_question_book() -> QuestionBook:
    """Return the shipped question book (read once per process)."""
    return read_question_book()


# ---------------------------------------------------------------------------------------------------
# Discriminators: which answers could change the level, and what a "yes" brings.


@dataclass(frozen=True)
class Discriminator:
    """A concept or fact not yet known to be present whose "yes" would raise the level."""

    row: QuestionRow
    level_if_yes: TriageLevel
    why: str
    drilled: str = ""  # the screen answered yes whose concept this is: which of them is it?
    personal: bool = False  # it completes a rule for this person's age, pregnancy or conditions
    linked: bool = False  # it completes a combination with what was logged (not only a screen's)


def with_answers(
    book: QuestionBook,
    answers: Mapping[str, Answer],
    known: Mapping[str, int],
    patient: PatientFacts,
    yes_severity: int,
) -> tuple[dict[str, int], PatientFacts]:
    """Return the concepts and facts with every answer that counts as present added.

    A concept answered yes (or not sure) counts as present at `yes_severity` (the rating of what was
    logged: "yes" means it comes with the presenting complaint, as bad as it is).
    """
    severities = dict(known)
    for question_id, answer in answers.items():
        row = book.by_id.get(question_id)
        if row is None or row.is_screen or not answer.counts_as_present:
            continue  # a screen's "yes" adds no concept: it sets a floor (`screen_hits`) and asks which
        if row.is_fact:
            patient = add_fact(patient, row.concept)
        else:
            severities[row.concept] = max(severities.get(row.concept, 0), yes_severity)
    return severities, patient


def add_fact(patient: PatientFacts, concept: str) -> PatientFacts:
    """Return `patient` with the fact a "yes" to `concept` gives (pregnant, or one more condition)."""
    if concept == PREGNANT:
        return replace(patient, pregnant=True)
    return replace(patient, conditions=patient.conditions | {concept[len(CONDITION_PREFIX) :]})


def discriminators(
    rules: SafetyRules,
    book: QuestionBook,
    known: Mapping[str, int],
    patient: PatientFacts,
    level: TriageLevel,
    yes_severity: int,
    facts_known: bool,
    answers: Mapping[str, Answer] | None = None,
    logged: bool = False,
) -> list[Discriminator]:
    """Return the discriminators whose "yes" would raise `level`, in the order to ask them.

    Candidates complete a combination a present concept takes part in (its other concept, or a patient
    fact it asks for) above `level`; the screens that apply (`Screen.applies`) with a concept whose
    "yes" would raise it; and the concepts of a screen answered yes (which one?). The most urgent
    first, then screens before single questions, then the questions a rule for this person's age,
    pregnancy or conditions asks (NHS Pathways asks about the person early), then those a combination
    with what was logged asks (a screen's "which one?" too), then rows higher in their table. Facts are asked
    only when not known (no profile facts given), pregnancy only when it could be (not a man, not a
    child under 12). `logged`: something was logged that was not understood (screens still apply).
    """
    answers = answers or {}
    if level is TriageLevel.EMERGENCY or not (known or logged):
        return []
    concepts = book.by_concept
    found: dict[str, Discriminator] = {}
    for rule in rules.naming(known):
        if rule.level.rank <= level.rank:
            continue
        personal = rule.needs_patient_facts  # about who the person is (age, sex, pregnancy, a condition)
        for candidate in [*rule.names, *_fact_concepts(rule, patient, facts_known)]:
            row = concepts.get(candidate)
            if row is None or candidate in known or not row.asks(patient):
                continue
            if candidate in found and (found[candidate].personal or not personal):
                continue  # found already, and this rule would not make it a question about the person
            severities, facts = with_answers(book, {row.id: Answer.YES}, known, patient, yes_severity)
            if rule.matches(severities, facts) and not rule.matches(known, patient):
                seen = found.get(candidate) or _discriminator(rules, row, severities, facts)
                found[candidate] = replace(seen, personal=personal, linked=True)
    systems = {book.body_systems.get(name, "") for name in known}
    for screen in book.screens:
        answer = answers.get(screen.row.id)
        if answer is None and not screen.applies(systems, known, patient):
            continue
        items = _screen_items(rules, book, screen, known, patient, yes_severity)
        raising = [item for item in items if item.level_if_yes.rank > level.rank]
        top = max(raising or items, key=lambda item: item.level_if_yes.rank, default=None)
        # A screen with a level of its own brings it with a "yes" (NHS: any of these, call 999).
        brings = TriageLevel.most_urgent(top.level_if_yes, screen.level) if top and screen.level else None
        could_raise = bool(raising) or (brings is not None and brings.rank > level.rank)
        if answer is None and (not could_raise or len(items) < len(screen.row.covers)):
            continue  # nothing it could find, or one of its concepts is already told: ask singly
        if answer is not None and answer.counts_as_present:
            for item in (item for item in items if item.row.asks(patient)):  # which one? all it covers
                linked = item.row.concept in found and found[item.row.concept].linked
                found[item.row.concept] = replace(item, drilled=screen.row.id, linked=linked)
        if top is not None:
            level_if_yes = brings or top.level_if_yes
            why = f"Any of these would need {SCREEN_LEVEL_WORDS[level_if_yes]}."
            personal = screen.for_condition(patient)
            found[screen.row.concept] = Discriminator(screen.row, level_if_yes, why, personal=personal)
    order = {row.concept: i for i, row in enumerate((*book.screens_rows, *book.rows))}
    return sorted(
        found.values(),
        key=lambda d: (
            not d.drilled,
            -d.level_if_yes.rank,
            not d.row.is_screen,
            not d.personal,
            not d.linked,
            order[d.row.concept],
        ),
    )


def _screen_items(
    rules: SafetyRules,
    book: QuestionBook,
    screen: Screen,
    known: Mapping[str, int],
    patient: PatientFacts,
    yes_severity: int,
) -> list[Discriminator]:
    """Return a discriminator per concept of `screen` not already present: what its "yes" would bring."""
    items = []
    for concept in screen.row.covers:
        if concept in known:
            continue
        row = book.by_concept[concept]
        severities, facts = with_answers(book, {row.id: Answer.YES}, known, patient, yes_severity)
        items.append(_discriminator(rules, row, severities, facts))
    return items


def screen_hits(
    rules: SafetyRules,
    book: QuestionBook,
    answers: Mapping[str, Answer],
    known: Mapping[str, int],
    patient: PatientFacts,
    yes_severity: int,
) -> list[RuleHit]:
    """Return a hit per screen answered yes (or not sure): its own level where it has one, else the
    least urgent level any of its concepts would bring, since one of them is there. Concepts answered no
    one by one are left out; when every one is, or one is answered yes (the sign the person meant), the
    detailed answers stand and the screen sets nothing.
    """
    hits = []
    told = {book.by_id[key].concept: said for key, said in answers.items() if key in book.by_id}
    screened_out = _screened_out(book.screens_rows, answers)  # "no" to a screen rules out all it covers
    for screen in book.screens:
        answer = answers.get(screen.row.id)
        if answer is None or not answer.counts_as_present:
            continue
        if any(told.get(concept, Answer.NO).counts_as_present for concept in screen.row.covers):
            continue  # "which of these?" named it: its own rules decide, not the rest of the list
        ruled_out = {concept for concept, said in told.items() if said is Answer.NO} | screened_out
        items = [
            item
            for item in _screen_items(rules, book, screen, known, patient, yes_severity)
            if item.row.concept not in ruled_out
        ]
        floor = min((item.level_if_yes for item in items), key=lambda level: level.rank, default=None)
        if floor is not None and screen.level is not None:
            floor = TriageLevel.most_urgent(floor, screen.level)
        if floor is None or floor is TriageLevel.SELF_CARE:
            continue
        said = "were not sure about" if answer is Answer.NOT_SURE else "answered yes to"
        reason = f"You {said} “{screen.row.text}”: any of these needs at least this level of care."
        hits.append(RuleHit(f"screen:{screen.row.id}", floor, reason, screen.row.source))
    return hits


def _discriminator(
    rules: SafetyRules, row: QuestionRow, severities: Mapping[str, int], facts: PatientFacts
) -> Discriminator:
    """Return the discriminator for `row`: the level and the reason of the most urgent rule a yes fires."""
    own = {} if row.is_fact else {row.concept: severities[row.concept]}
    hits = rules.combination_hits(severities, facts) + rules.symptom_hits(own)
    if not hits:  # a screen's concept that would not matter here
        return Discriminator(row, TriageLevel.SELF_CARE, "")
    top = max(hits, key=lambda hit: hit.level.rank)
    return Discriminator(row, top.level, top.reason)


def _fact_concepts(rule: CombinationRule, patient: PatientFacts, facts_known: bool) -> list[str]:
    if facts_known:
        return []
    facts = [CONDITION_PREFIX + condition for condition in sorted(rule.conditions)]
    could_be_pregnant = patient.sex != "M" and (patient.age_years is None or patient.age_years >= 12)
    if rule.pregnant and could_be_pregnant and patient.pregnant is None:
        facts.append(PREGNANT)
    return facts


def to_ask(found: Sequence[Discriminator], answers: Mapping[str, Answer]) -> tuple[Question, ...]:
    """Return the questions still to ask: unanswered, most urgent first, at most 5 per check-in.

    A concept a screen answered "no" ruled out is not asked again on its own, nor one a screen asked
    earlier in the list covers: its "yes" asks which one, its "no" rules it out. A screen and its
    "which of these?" are one question (as a symptom checker's pick-all-that-apply): its concepts are
    all listed, and count neither as asked nor against the five.
    """
    drilled = {d.row.id for d in found if d.drilled}
    left = max(MAX_QUESTIONS - len(answers.keys() - drilled), 0)
    settled = _screened_out((d.row for d in found), answers)
    chosen: list[Question] = []
    counted = 0
    for d in found:
        if counted == left:
            break
        if d.row.id in answers or d.row.concept in settled:
            continue
        chosen.append(to_question(d))
        counted += not d.drilled
        if d.row.is_screen:
            settled |= set(d.row.covers)
    return tuple(chosen)


def which_answers(
    group: Sequence[str], picked: Collection[str], none_of_these: bool = False
) -> dict[str, Answer]:
    """Return the answers a "which of these?" gives: yes to each picked, no to the rest of `group`.

    Nothing picked and not "none of these": no answers (the screen's "yes" still holds). Picking one
    and "none of these" together keeps the pick: a red flag told is not taken back by a stray tick.
    """
    if not picked and not none_of_these:
        return {}
    return {question_id: Answer.YES if question_id in picked else Answer.NO for question_id in group}


def not_ruled_out(found: Sequence[Discriminator], answers: Mapping[str, Answer]) -> list[str]:
    """Return the ids of the discriminators neither answered nor ruled out by a screen's "no"."""
    settled = _screened_out((d.row for d in found), answers)
    return [d.row.id for d in found if d.row.id not in answers and d.row.concept not in settled]


def _screened_out(rows: Iterable[QuestionRow], answers: Mapping[str, Answer]) -> set[str]:
    """Return the concepts of the screens among `rows` answered "no"."""
    return {
        concept
        for row in rows
        if row.is_screen and answers.get(row.id) is Answer.NO
        for concept in row.covers
    }


def which_groups(asked: Iterable[Question]) -> dict[str, list[Question]]:
    """Return the "which of these?" questions by the screen that asks them, in the order asked."""
    groups: dict[str, list[Question]] = {}
    for question in asked:
        if question.part_of:
            groups.setdefault(question.part_of, []).append(question)
    return groups


def to_question(found: Discriminator) -> Question:
    row = found.row
    return Question(
        row.id,
        row.text,
        row.choices,
        row.concept,
        found.why,
        row.source,
        found.level_if_yes,
        row.covers,
        found.drilled,
    )


def safety_net(found: Sequence[Discriminator], answers: Mapping[str, Answer]) -> tuple[str, ...]:
    """Return at most three sentences of what would make the advice more urgent, most urgent first.

    Drawn from the discriminators that are not present: the unanswered first, then those answered no
    (a "no" now can still change). Facts are not news that can develop, so they are left out.
    """
    settled = _screened_out((d.row for d in found), answers)
    unanswered = [d for d in found if d.row.id not in answers and d.row.concept not in settled]
    ruled_out = [d for d in found if answers.get(d.row.id) is Answer.NO or d.row.concept in settled]
    lines = [
        f"{SAFETY_NET_OPENING[d.level_if_yes]} {d.row.warning}."
        for d in (*unanswered, *ruled_out)
        if not d.row.is_fact and d.row.warning and d.level_if_yes in SAFETY_NET_OPENING
    ]
    return tuple(dict.fromkeys(lines))[:MAX_SAFETY_NET]
