"""Read the long-term conditions a person names in words: a typed condition, a note, a symptom's text.

A profile picks its conditions from a fixed list, but people also say them: "type 2 diabetes" typed
where a condition goes, "I'm on chemo" in a note, "fever since chemo" as a symptom. Each condition's
`words` in data/knowledge/conditions.csv (lay names, medicines that imply it, other languages) are read
like symptoms: whole words, and not when negated ("not diabetic", "no heart problems").
A condition named in words counts as one the person has, so the tables' patient rules apply to it;
one in a sentence about a relative ("dad had heart problems", "diabetes runs in the family") does not.
"""

from collections.abc import Iterable
from dataclasses import replace
from functools import cache

from tracker.triage.patient import PatientFacts, load_conditions
from tracker.triage.reading import BREAK, Scanner, fold

# Words that make a sentence about someone else's health: what it names is not this person's condition.
RELATIVES = frozenset(
    fold(
        "mum mom mother mam mummy dad father daddy brother sister grandma granny nan nana grandmother "
        "grandad grandpa grandfather uncle aunt auntie cousin husband wife partner family parents "
        "son daughter"
    ).split()
)


@cache
def condition_scanner() -> Scanner:
    """Return a scanner of every condition's words (folded word -> condition id).

    It does not correct typos: with so few words known, every other long word of a note would be looked
    up (and the first look-up loads a word-frequency list, ~1.5 s).
    """
    return Scanner({word: c.id for c in load_conditions() for word in c.words}, typos=False)


def conditions_named(texts: Iterable[str]) -> frozenset[str]:
    """Return the ids of the conditions `texts` name, leaving out the negated ones."""
    scanner = condition_scanner()
    named: set[str] = set()
    for text in texts:
        if not str(text).strip():
            continue
        found, tokens, _ = scanner.read(str(text), whole_only_short=False)
        named |= {f.value for f in found if not f.negated and not _about_a_relative(tokens, f.start)}
    return frozenset(named)


def _about_a_relative(tokens: list[str], at: int) -> bool:
    """Return whether the sentence holding word `at` names a relative."""
    start = max((i for i in range(at) if tokens[i] == BREAK), default=-1) + 1
    end = next((i for i in range(at, len(tokens)) if tokens[i] == BREAK), len(tokens))
    return not RELATIVES.isdisjoint(tokens[start:end])


def with_named_conditions(patient: PatientFacts, texts: Iterable[str]) -> tuple[PatientFacts, frozenset[str]]:
    """Return the facts with conditions read from words, and the ids that the words added.

    A condition given as free text ("type 1 diabetes", "COPD") becomes its id; one the table does not know
    stays as typed (it matches no rule). `texts` (the note and the symptoms' text) may name more.
    """
    ids = {c.id for c in load_conditions()}
    given = {c for c in patient.conditions if c in ids}
    for typed in patient.conditions - given:
        given |= conditions_named([typed]) or {typed}
    added = conditions_named(texts) - given
    conditions = frozenset(given | added)
    if conditions == patient.conditions:
        return patient, added
    return replace(patient, conditions=conditions), added
