"""Symptom vocabulary: map what a person types to a canonical symptom name."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from rapidfuzz import fuzz, process

from tracker.config import DATA_DIR
from tracker.triage.measured import measured
from tracker.triage.patient import PatientFacts

if TYPE_CHECKING:
    from tracker.triage.phrase_model import PhraseModel
from tracker.triage.reading import (
    CONTRACTIONS,
    STEM,
    Composition,
    CompositionIndex,
    Scanner,
    composition_hits,
    compositions_from_frame,
    index_compositions,
    is_common_word,
    owned_by,
    spell_out,
)

KNOWLEDGE_DIR = DATA_DIR / "knowledge"
SYNONYM_SEPARATOR = "|"
# ratio >= 85 accepts one swapped or missing letter in a word of eight ("headahce"),
# yet refuses a different word of similar length ("heartache" vs "headache" scores 82).
FUZZY_CUTOFF = 85.0
# "crushing chest pain" or "bad headache" contain a known name as whole words; shorter keys ("flu",
# "low") are left out because they occur inside too many unrelated phrases.
CONTAINED_MIN_LENGTH = 4
CONTAINED_SCORE = 90.0
# Words past this are not read: a note holds at most 1,000 characters, and a pasted book must not hold
# up the page while the form says it is too long.
MAX_READ_CHARS = 2000
# A whole text close to an entry is read as it only when the words that differ are misspellings or
# other endings of its words: a stem of 3 letters or more, at most 4 letters more ("cramp-s", "cut-ting").
INFLECTION_STEM, INFLECTION_ENDING = 3, 4
MATCH_CACHE_SIZE = 4096  # typed texts remembered per vocabulary; matching is the slow part of assess
# A close typo never flips what was said: "can walk on it" is not "cant walk on it", "does fade" is not
# "doesnt fade". A fuzzy match must have as many of these words as the text typed.
POLARITY_WORDS = frozenset(
    {
        "no",
        "not",
        "cant",
        "cannot",
        "wont",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "arent",
        "never",
        "unable",
        "without",
    }
)
FUZZY_CANDIDATES = 5


class MatchMethod(StrEnum):
    EXACT = "exact"
    SYNONYM = "synonym"
    FUZZY = "fuzzy"
    CONTAINED = "contained"
    NONE = "none"


@dataclass(frozen=True)
class SymptomMatch:
    """What typed text resolved to; `canonical` is None when nothing matched."""

    text: str
    canonical: str | None
    method: MatchMethod
    score: float


@dataclass(frozen=True)
class Understanding:
    """The concepts read in a text: those present, and those it says are absent ("no fever")."""

    present: tuple[str, ...]
    negated: tuple[str, ...] = ()
    guessed: bool = False  # read by the phrase model, not the lexicon: shown as "read as", less sure


NO_PATIENT = PatientFacts()  # a caption before the person's facts are known reads the bands for anyone


def normalise(text: str) -> str:
    """Return `text` lower-cased with runs of white space and punctuation folded to one space.

    Contractions are spelled out as `fold` does ("can't breathe" and "cant breathe" are one key).
    """
    folded = re.sub(r"[\s_\-.,;:!?]+", " ", text.casefold()).replace("’", "'")
    words = [w.replace("'", "") if w.replace("'", "") in CONTRACTIONS else w for w in folded.split()]
    return " ".join(spell_out(words))


class Vocabulary:
    """Canonical symptom names and their lay synonyms."""

    def __init__(
        self,
        names: Sequence[str],
        synonyms: Mapping[str, str],
        compositions: Sequence[Composition] = (),
        covers: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        self.names: tuple[str, ...] = tuple(names)
        # "period cramps low in my tummy" names period pain, not period pain and tummy pain as well.
        self.covers: dict[str, frozenset[str]] = dict(covers or {})
        self.synonyms: dict[str, str] = {normalise(k): v for k, v in synonyms.items()}
        self._exact = {normalise(name): name for name in self.names}
        self._choices = {**self.synonyms, **self._exact}
        self._choice_keys = list(self._choices)
        self._contained = sorted((k for k in self._choices if len(k) >= CONTAINED_MIN_LENGTH), key=len)[::-1]
        self.compositions = tuple(c for c in compositions if c.concept in self._exact.values())
        self._cache: dict[str, SymptomMatch] = {}
        self._concepts: dict[str, Understanding] = {}
        self._scanner: Scanner | None = None
        self.phrase_model: PhraseModel | None = None  # the text model for phrasings the lexicon lacks

    @cached_property
    def _composition_index(self) -> CompositionIndex:
        """What the compositions are looked up by (`reading.index_compositions`)."""
        return index_compositions(self.compositions)

    def __getstate__(self) -> dict[str, object]:
        # The compositions travel as one string: thousands of small tuples are slower to unpickle.
        packed = "\n".join(
            "\t".join(
                [
                    c.concept,
                    *(_pack(group) for group in c.groups),
                    *([UNLESS + _pack(c.unless)] if c.unless else []),
                ]
            )
            for c in self.compositions
        )
        # The scanner travels built: building it folds every entry again (~0.35 s at each start).
        state = {
            **self.__dict__,
            "_cache": {},
            "_concepts": {},
            "_scanner": self.scanner,
            "compositions": packed,
        }
        state.pop("_composition_index", None)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        packed = state["compositions"]
        if isinstance(packed, str):
            state["compositions"] = tuple(
                Composition(
                    concept,
                    tuple(_unpack(g) for g in groups if not g.startswith(UNLESS)),
                    next((_unpack(g[len(UNLESS) :]) for g in groups if g.startswith(UNLESS)), ()),
                )
                for concept, *groups in (line.split("\t") for line in packed.splitlines())
            )
        self.__dict__.update(state)

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        compositions: pd.DataFrame | None = None,
        covers: pd.DataFrame | None = None,
    ) -> "Vocabulary":
        """Build from the symptoms table (`symptom`, "|"-separated `synonyms`), compositions and covers."""
        names = [str(name).strip() for name in frame["symptom"]]
        synonyms: dict[str, str] = {}
        for name, raw in zip(names, frame["synonyms"].fillna(""), strict=True):
            for synonym in str(raw).split(SYNONYM_SEPARATOR):
                if synonym.strip():
                    synonyms.setdefault(normalise(synonym), name)
        pieces = compositions_from_frame(compositions) if compositions is not None else ()
        return cls(names, synonyms, pieces, covers_of(covers))

    def match(self, text: str) -> SymptomMatch:
        """Return the canonical symptom for `text`: exact name, synonym, close typo, then a name inside it."""
        if (cached := self._cache.get(text)) is not None:
            return cached
        found = self._match(text[:MAX_READ_CHARS])
        if len(self._cache) >= MATCH_CACHE_SIZE:
            self._cache.clear()
        self._cache[text] = found
        return found

    def _match(self, text: str) -> SymptomMatch:
        key = normalise(text)
        if name := self._exact.get(key):
            return SymptomMatch(text, name, MatchMethod.EXACT, 100.0)
        if name := self.synonyms.get(key):
            return SymptomMatch(text, name, MatchMethod.SYNONYM, 100.0)
        close = process.extract(
            key, self._choice_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=FUZZY_CANDIDATES
        )
        for choice, score, _ in close if key else ():
            if _polarity(choice) == _polarity(key) and self._only_typos(key, choice):
                return SymptomMatch(text, self._choices[choice], MatchMethod.FUZZY, float(score))
        padded = f" {key} "
        for choice in self._contained:  # longest first: "chest pain" before "pain"
            if f" {choice} " in padded:
                return SymptomMatch(text, self._choices[choice], MatchMethod.CONTAINED, CONTAINED_SCORE)
        return SymptomMatch(text, None, MatchMethod.NONE, 0.0)

    def _only_typos(self, key: str, choice: str) -> bool:
        """Return whether `key` differs from `choice` by misspelt words only.

        A close whole text that swaps a real word is another meaning: "hard to walk" and "hard to wee"
        are not "hard to wake", though each is one or two letters off.
        """
        words = choice.split()
        return all(_typo_or_inflection(w, words) for w in set(key.split()) - set(words))

    @property
    def scanner(self) -> Scanner:
        """Return the concept scanner over every name and synonym (built on first use)."""
        if self._scanner is None:
            words = [" ".join(w) for c in self.compositions for group in c.groups for w in group]
            plain = [w for w in words if STEM not in w]
            self._scanner = Scanner(self._choices, extra_words=plain, stems=self._composition_index.stems)
        return self._scanner

    def forget_readings(self) -> None:
        """Forget every text read so far (the match and reading caches), as a fresh process would."""
        self._cache.clear()
        self._concepts.clear()

    def concepts(self, text: str) -> Understanding:
        """Return every concept in `text` ("sudden headache, no fever" → Sudden onset, Headache).

        An exact name or synonym is one concept; otherwise the words are scanned for every entry, typos
        corrected and negated ones set apart; a close typo of a whole entry is the last resort.
        """
        if (cached := self._concepts.get(text)) is not None:
            return cached
        found = self._concepts_of(text[:MAX_READ_CHARS])
        if len(self._concepts) >= MATCH_CACHE_SIZE:
            self._concepts.clear()
        self._concepts[text] = found
        return found

    def _concepts_of(self, text: str) -> Understanding:
        whole = self.match(text)
        if whole.method in (MatchMethod.EXACT, MatchMethod.SYNONYM):
            return Understanding((whole.canonical,), ())  # type: ignore[arg-type]
        spans, tokens = self.scanner.find(text)
        pieces = composition_hits(self.compositions, tokens, self._composition_index)
        # Words of an entry or a composition ("no wee", "not fading") are a finding, never a trigger.
        held = spans + [("", a, b) for _, hits in pieces for a, b in hits]
        negated_words = self.scanner.negation.mask(tokens, owned_by(held, len(tokens)))
        said = [
            (self.scanner.entries[key], any(negated_words[a:b]))
            for key, a, b in sorted(spans, key=lambda s: s[1])
        ]
        said += [(concept, any(any(negated_words[a:b]) for a, b in hits)) for concept, hits in pieces]
        present = self._narrowest(tuple(dict.fromkeys(name for name, no in said if not no)))
        negated = tuple(dict.fromkeys(name for name, no in said if no and name not in present))
        if not present and not negated and whole.method is MatchMethod.FUZZY:
            present = (whole.canonical,)  # type: ignore[assignment]
        guess = None if present or negated or self.phrase_model is None else self.phrase_model.predict(text)
        if guess is not None:
            return Understanding((guess[0],), (), guessed=True)
        return Understanding(present, negated)

    def _narrowest(self, present: tuple[str, ...]) -> tuple[str, ...]:
        """Return `present` without the concepts a narrower one read from the same words covers."""
        covered = {name for narrow in present for name in self.covers.get(narrow, ())}
        return tuple(name for name in present if name not in covered) if covered else present

    def concepts_measured(self, text: str, patient: PatientFacts = NO_PATIENT) -> Understanding:
        """Return the concepts of `text` with those of the readings typed in it ("sats 91").

        A reading is read as a number, not guessed: it replaces a guess of the phrase model.
        """
        reading = self.concepts(text)
        found = measured(text, patient)
        if not found.concepts:
            return reading
        words = () if reading.guessed else reading.present
        return Understanding(tuple(found.applied(words)), reading.negated)

    def reading_caption(self, text: str) -> str:
        """Return the line shown under a typed symptom: how it will be read, before anything is saved."""
        reading = self.concepts_measured(text)
        names = [f"**{name}**" for name in reading.present]
        absent = ", ".join(name.lower() for name in reading.negated)
        said_absent = f" You said there is no {absent}." if absent else ""
        if not names:
            if absent:
                return f"You said there is no {absent}: nothing to assess."
            return (
                "Not understood: it will be saved as you typed it, and its advice will say it could not be "
                "assessed. If one of the suggestions below fits, pick it."
            )
        if reading.guessed:
            return f"Read as {names[0]}, but we are not sure: pick from the list if that is wrong."
        if [n.casefold() for n in reading.present] == [" ".join(text.split()).casefold()] and not said_absent:
            return ""
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"Understood as {joined}.{said_absent}"

    def nearest(self, text: str, limit: int = 3) -> list[str]:
        """Return the concepts closest to words that were not understood (none when they were)."""
        if self.concepts_measured(text).present:
            return []
        return self.suggest(text, limit)

    def canonical_or_text(self, text: str) -> str:
        """Return the canonical name, or the text as typed (trimmed) when nothing matches."""
        return self.match(text).canonical or " ".join(text.split())

    def suggest(self, text: str, limit: int = 8) -> list[str]:
        """Return canonical names that start with, contain or resemble `text`, best first."""
        key = normalise(text[:MAX_READ_CHARS])
        if not key:
            return list(self.names[:limit])
        starts = [name for key_, name in self._exact.items() if key_.startswith(key)]
        inside = [name for key_, name in self._exact.items() if key in key_]
        hits = process.extract(key, self._choice_keys, scorer=fuzz.WRatio, limit=limit * 4)
        similar = [self._choices[hit[0]] for hit in hits if hit[1] >= 60]
        return list(dict.fromkeys([*starts, *inside, *similar]))[:limit]


UNLESS = "!"  # marks a packed composition's `unless` words


def covers_of(frame: pd.DataFrame | None) -> dict[str, frozenset[str]]:
    """Return concept -> the broader concepts it covers, from the covers table (none without one)."""
    covers: dict[str, frozenset[str]] = {}
    for row in [] if frame is None else frame.to_dict("records"):
        concept = str(row["concept"]).strip()
        covered = {name.strip() for name in str(row["covers"]).split(SYNONYM_SEPARATOR) if name.strip()}
        covers[concept] = covers.get(concept, frozenset()) | covered
    return covers


def _pack(group: tuple[tuple[str, ...], ...]) -> str:
    return "|".join(" ".join(words) for words in group)


def _unpack(group: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(w.split()) for w in group.split("|"))


def _typo_or_inflection(word: str, choices: Sequence[str]) -> bool:
    """Return whether `word` is a misspelling, or another ending of one of `choices` ("cramps", "faster")."""
    return not is_common_word(word) or any(
        len(a) >= INFLECTION_STEM and b.startswith(a) and len(b) - len(a) <= INFLECTION_ENDING
        for c in choices
        for a, b in (sorted((word, c), key=len),)
    )


def _polarity(key: str) -> int:
    """Return how many negating words (POLARITY_WORDS) a normalised text has, apostrophes dropped."""
    return sum(word.replace("'", "") in POLARITY_WORDS for word in key.split())


@cache
def load_vocabulary(path: Path = KNOWLEDGE_DIR) -> Vocabulary:
    """Return the vocabulary of the knowledge tables (names, synonyms and their translations)."""
    from tracker.triage.knowledge import load_knowledge  # the tables' loader builds on this module

    return load_knowledge(path).vocabulary()
