"""Read free text for concepts: whole-word lexicon matches, typo-tolerant, with negation.

A phrase can hold several concepts ("sudden headache and a stiff neck" → two) and a qualifier makes a
concept of its own ("coughing up blood" is not "cough"): the longest lexicon entry wins its words.
Negation follows the ConText idea (Harkema et al. 2009): a trigger ("no", "not", "without" …) negates
what follows it up to a terminator ("but", "just", a comma …) or a few words; "… has gone" negates what
came before. A lexicon entry that itself starts with a trigger ("not breathing") is a finding, not a
negation. The triggers are a data table (`data/knowledge/negation.csv`).
"""

import bisect
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from tracker.config import DATA_DIR

NEGATION_FILE = DATA_DIR / "knowledge" / "negation.csv"
NEGATION_SCOPE = 5  # words a negation reaches forward ("no fever, …" does not reach past the comma)
POST_SCOPE = 3  # words before a post-negation ("headache has gone") it reaches back
BREAK = "."  # the token punctuation becomes: ends every scope
MIN_KEY_LENGTH = 4  # shorter entries ("flu") match only as the whole text: they hide inside other words
# Short entries that are read inside a text too ("got flu", "think its a uti"): names and abbreviations
# nobody types meaning anything else, unlike "fit" (fit and well), "low", "cut down" or Polish "lek".
SHORT_IN_TEXT = frozenset(["flu", "uti", "dka", "sty", "rls", "hbp", "pgp", "spd", "pep", "dts", "pox"])
TYPO_MIN_LENGTH = 5  # only words this long are corrected ("heart" is not "hurt")
DROPPED_G_MIN_LENGTH = 4  # "goin" → "going"; "in", "pin" and "gin" are words of their own
# A word at least this common in English is never "corrected": "choke" is not a typo of "choked".
# Zipf 3 is about once per million words; misspellings such as "headake" or "vommiting" score 0-2.
COMMON_WORD_ZIPF = 3.0
# The languages of the supported regions besides English, whose everyday words are never "corrected".
COMMON_WORD_LANGUAGES = ("de", "fr", "es", "it", "pt", "pl", "nl")
FOREIGN_WORD_ZIPF_IN_ENGLISH = 4.5  # "Schule", "Klasse" (over 5) in a mixed text; not "brest" (French, 4.0)
TYPO_CUTOFF = 80.0  # "headake" → "headache" (80); the first letters must agree too (`Scanner._correct`)
FOREIGN_TYPO_MIN_LENGTH = 7  # there, a short word is often another language's word ("jandi" is not "jandis")
FOREIGN_TYPO_CUTOFF = 85.0  # in a text that is not mostly English: "dykhaye" → "dykhaie" (86), no closer


# Contractions typed with or without the apostrophe read like their spelled-out forms, so "life isnt
# worth living" is "life is not worth living" and "didnt hit my head" is negated like "did not hit".
# "Can't", "couldn't" and "won't" say what someone is unable to do ("cant breathe", "wont wake"): a
# finding, never a negation, so they and their spelled-out forms fold to one word that is no trigger.
SPELLED_OUT = {
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "isnt": "is not",
    "arent": "are not",
    "aint": "is not",
    "wasnt": "was not",
    "werent": "were not",
    "havent": "have not",
    "hasnt": "has not",
    "hadnt": "had not",
    "wouldnt": "would not",
    "shouldnt": "should not",
    "cannot": "cant",
    "couldnt": "cant",
    "im": "i am",
    "ive": "i have",
    "youre": "you are",
    "theyre": "they are",
    "shes": "she is",
    "hes": "he is",
    "thats": "that is",
    "theres": "there is",
    "whats": "what is",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "dunno": "do not know",
}
JOINED = {("can", "not"): "cant", ("could", "not"): "cant", ("will", "not"): "wont"}
CONTRACTIONS = frozenset([*SPELLED_OUT, *JOINED.values()])  # each as typed without its apostrophe


# Letters that Unicode does not split into a base letter and an accent, written as people type them
# without one: Polish "łydka" is "lydka", Turkish "dışkı" is "diski", Danish "ø" is "o".
PLAIN_LETTERS = str.maketrans(
    {"ł": "l", "ı": "i", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe"}
)


# French and Italian elide an article or pronoun onto the next word ("l'oeil", "nell'occhio",
# "j'ai"): those are split off as words, where an English contraction ("can't") is joined up.
ELISION = re.compile(
    r"\b(c|d|j|l|m|n|s|t|qu|lorsqu|puisqu|jusqu|un|nell|dell|dall|sull|all|quell|quest|tutt)['’`](?=[^\W\d_])"
)


# Chinese, Japanese and Thai are written without spaces between words: each character is read as a
# word, so a table entry "胸 痛" (or a composition of "胸" and "痛") finds chest pain in "胸口很痛".
UNSPACED = re.compile(r"([\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")


def fold(text: str) -> str:
    """Return `text` lower-cased, without accents or apostrophes, punctuation as " . ", words by one space.

    Contractions are spelled out (`SPELLED_OUT`), so each way of typing them reads the same; a French
    or Italian elision is split off (`ELISION`); a Chinese, Japanese or Thai character is a word
    (`UNSPACED`).
    """
    plain = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).translate(PLAIN_LETTERS)
    plain = ELISION.sub(r"\1 ", plain)
    plain = plain.replace("’", "").replace("'", "").replace("`", "")
    plain = re.sub(r"[.,;:!?()\[\]/\\|\n\r。、]+", f" {BREAK} ", plain)
    plain = UNSPACED.sub(r" \1 ", plain)
    return " ".join(spell_out(re.sub(r"[^\w.]+", " ", plain).split()))


def spell_out(words: Sequence[str]) -> list[str]:
    """Return folded `words` with contractions spelled out and "can not" as the one word "cant"."""
    out: list[str] = []
    for word in words:
        if out and (joined := JOINED.get((out[-1], word))) is not None:
            out[-1] = joined
            continue
        out.extend(SPELLED_OUT.get(word, word).split())
    return out


@dataclass(frozen=True)
class Found:
    """One lexicon entry found in a text: its words [start, end) and whether it is negated."""

    key: str
    value: str
    start: int
    end: int
    negated: bool


# Triggers by their first word ("" for an empty one, which starts anywhere), in their table order.
FirstWords = Mapping[str, tuple[tuple[str, ...], ...]]


@dataclass(frozen=True)
class Negation:
    """Negation, post-negation and terminator triggers, as folded word tuples.

    `pseudo` holds phrases that start with a trigger but negate nothing (NegEx's pseudo-triggers): the
    Portuguese "no peito" is "in the chest", not "no chest".
    """

    before: tuple[tuple[str, ...], ...]
    after: tuple[tuple[str, ...], ...]
    stops: tuple[tuple[str, ...], ...]
    pseudo: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> "Negation":
        def words(kind: str) -> tuple[tuple[str, ...], ...]:
            rows = frame.loc[frame["kind"] == kind, "trigger"]
            return tuple(sorted({tuple(fold(t).split()) for t in rows}, key=len, reverse=True))

        return cls(words("negation"), words("post_negation"), words("terminator"), words("pseudo"))

    def mask(self, tokens: Sequence[str], owned: Sequence[bool] = ()) -> list[bool]:
        """Return per token whether a trigger negates it.

        A word `owned` by a lexicon entry ("not breathing", "keine Luft") is part of a finding, never a
        trigger; the entry as a whole can still be negated by a trigger before it.
        """
        owned = list(owned) or [False] * len(tokens)
        negated = [False] * len(tokens)
        before, after, stops, pseudo = self._by_first_word
        i = 0
        while i < len(tokens):
            if owned[i]:
                i += 1
                continue
            if (skip := _starts(tokens, i, pseudo, ())) is not None:
                i += skip  # "no peito" negates nothing; its noun may be a lexicon word
                continue
            post = _starts(tokens, i, after, owned)
            if post is not None and (i + post == len(tokens) or tokens[i + post] == BREAK):
                pre = None  # ends its sentence: "mysli samobojczych nie mam" looks back, whatever else it is
            else:
                pre = _starts(tokens, i, before, owned)
            if (found := pre) is not None:
                j, reach = i + found, 0
                while j < len(tokens) and reach < NEGATION_SCOPE and tokens[j] != BREAK:
                    if _starts(tokens, j, stops, owned) is not None:
                        break
                    negated[j] = True
                    j, reach = j + 1, reach + 1
                i += found
                continue
            if (found := post) is not None:
                j = i - 1
                while j >= 0 and i - j <= POST_SCOPE and tokens[j] != BREAK:
                    negated[j] = True
                    j -= 1
                i += found
                continue
            i += 1
        return negated

    @cached_property
    def _by_first_word(self) -> tuple[FirstWords, FirstWords, FirstWords, FirstWords]:
        """Return the before, after, stop and pseudo triggers by their first word, each list longest first.

        Only the triggers a word starts are tried at it (~125 at every word made long notes slow).
        """
        return _by_first(self.before), _by_first(self.after), _by_first(self.stops), _by_first(self.pseudo)


def _by_first(options: Sequence[tuple[str, ...]]) -> FirstWords:
    found: dict[str, list[tuple[str, ...]]] = {}
    for words in options:
        found.setdefault(words[0] if words else "", []).append(words)
    return {first: tuple(group) for first, group in found.items()}


@lru_cache(maxsize=65536)
def is_common_word(word: str) -> bool:
    """Return whether `word` is an everyday English word (wordfreq's Zipf frequency of 3 or more)."""
    from wordfreq import zipf_frequency  # loads its word lists on first use, not at import

    return zipf_frequency(word, "en") >= COMMON_WORD_ZIPF


@lru_cache(maxsize=65536)
def is_common_foreign_word(word: str, zipf: float = COMMON_WORD_ZIPF) -> bool:
    """Return whether `word` is an everyday word of a supported region's language (not English).

    Such a word is read as typed: the German "Schule" (school) is not a typo of the Polish "schudłem"
    (I lost weight). In a text read as English only a very common one is (`FOREIGN_WORD_ZIPF_IN_ENGLISH`):
    "brest" is a French city and still a typo of "breast".
    """
    from wordfreq import zipf_frequency

    return any(zipf_frequency(word, language) >= zipf for language in COMMON_WORD_LANGUAGES)


def _starts(tokens: Sequence[str], i: int, options: FirstWords, owned: Sequence[bool]) -> int | None:
    """Return the length of the longest trigger at word `i` that uses no word of a lexicon entry."""
    for words in (*options.get(tokens[i], ()), *options.get("", ())):  # an empty trigger is the shortest
        end = i + len(words)
        if tuple(tokens[i:end]) == words and not any(owned[i:end]):
            return len(words)
    return None


class Scanner:
    """Find lexicon entries (folded key → value) in text, longest first, each word used once."""

    def __init__(
        self,
        entries: Mapping[str, str],
        negation: "Negation | None" = None,
        extra_words: Iterable[str] = (),
        typos: bool = True,
        stems: Iterable[str] = (),
    ) -> None:
        self.entries = {fold(k): v for k, v in entries.items() if fold(k)}
        by_length = sorted(self.entries, key=lambda k: (len(k.split()), len(k)), reverse=True)
        self._keys = [(k, tuple(k.split())) for k in by_length]
        self._words = sorted({w for k in [*self.entries, *extra_words] for w in k.split()})
        self._known = set(self._words)
        self._by_start: dict[str, list[str]] = {}  # the words a typo may be of, by their first two letters
        self._by_skip: dict[str, list[str]] = {}  # ... and by their first and third
        for known in self._words:
            self._by_start.setdefault(known[:2], []).append(known)
            self._by_skip.setdefault(known[0] + known[2:3], []).append(known)
        self.words = frozenset(self._known)
        self.negation = negation or load_negation()
        # A trigger word is read as typed: "nessun" (no) corrected to a lexicon word would lose the "no".
        triggers = (*self.negation.before, *self.negation.after, *self.negation.stops)
        self._known |= {word for trigger in triggers for word in trigger}
        self._typos: dict[tuple[str, float], str] = {}
        self.corrects_typos = typos  # False: words are read only as typed (a short list of names)
        # Beginnings of inflected words a composition reads ("sudom" of "sudomah"): never "corrected".
        self.stems = tuple(sorted(set(stems)))

    @cached_property
    def _by_first_word(self) -> dict[str, tuple[int, ...]]:
        """Return first word -> the positions in `_keys` of the entries that start with it."""
        positions: dict[str, list[int]] = {}
        for i, (_, words) in enumerate(self._keys):
            positions.setdefault(words[0], []).append(i)
        return {word: tuple(found) for word, found in positions.items()}

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "_typos": {}}  # the typos met so far are this process's cache

    def tokens(self, text: str) -> list[str]:
        """Return the folded words of `text`, each long unknown word corrected to the nearest known one.

        A text that is not mostly English needs a closer match (`FOREIGN_TYPO_CUTOFF`): there the nearest
        word of the multilingual lexicon is often another word ("nalalagas", hair falling out, is not
        "naglalaslas", cutting oneself), while a spelling variant ("bhaar", "bhaari") is still read.
        """
        words = fold(text).split()
        if not self.corrects_typos:
            return words
        if self._reads_as_english(words):
            return [self._correct(self._dropped_g(word)) for word in words]
        short, cutoff, zipf = FOREIGN_TYPO_MIN_LENGTH, FOREIGN_TYPO_CUTOFF, COMMON_WORD_ZIPF
        return [word if len(word) < short else self._correct(word, cutoff, zipf) for word in words]

    def _dropped_g(self, word: str) -> str:
        """Return "moving" for "movin" when only the -ing form is a lexicon word: a dropped g ("goin",
        "breathin", "workin") is how people type fast, and such a word is often common enough in song lyrics
        and chat to escape the typo correction."""
        if len(word) < DROPPED_G_MIN_LENGTH or not word.endswith("in") or word in self._known:
            return word
        return word + "g" if word + "g" in self._known else word

    def _reads_as_english(self, words: Sequence[str]) -> bool:
        """Return whether most of the words that are not typo candidates are everyday English."""
        others = [w for w in words if w != BREAK and not self._may_be_typo(w) and not w.isdigit()]
        return not others or sum(map(is_common_word, others)) * 2 > len(others)

    def _may_be_typo(self, word: str) -> bool:
        return not (
            word in self._known
            or len(word) < TYPO_MIN_LENGTH
            or not word.isalpha()
            or word.startswith(self.stems)
        )

    def _correct(
        self, word: str, cutoff: float = TYPO_CUTOFF, foreign_zipf: float = FOREIGN_WORD_ZIPF_IN_ENGLISH
    ) -> str:
        if not self.corrects_typos or not self._may_be_typo(word):
            return word
        key = (word, cutoff)  # each cutoff comes with its own `foreign_zipf` (`tokens`)
        if key not in self._typos and (is_common_word(word) or is_common_foreign_word(word, foreign_zipf)):
            self._typos[key] = word  # a real word ("choke", "Schule") is not a typo of a symptom word
        if key not in self._typos:
            # The first letter agrees, and the second: as typed, swapped with the third ("pian") or left out
            # ("hartburn"); "laxative" is not the Dutch "luxatie".
            groups = (
                self._by_start.get(word[:2], []),
                self._by_start.get(word[0] + word[2:3], []),
                self._by_skip.get(word[:2], []),
            )
            # Each candidate once: the lists overlap when the 2nd and 3rd letters agree ("weezing", "wheeze").
            same_start = list(dict.fromkeys(w for group in groups for w in group))
            best = process.extractOne(word, same_start, scorer=fuzz.ratio, score_cutoff=cutoff)
            self._typos[key] = best[0] if best else word
        return self._typos[key]

    def scan(self, text: str, whole_only_short: bool = True) -> list[Found]:
        """Return every entry found in `text`, in reading order, negated ones flagged."""
        return self.read(text, whole_only_short)[0]

    def read(self, text: str, whole_only_short: bool = True) -> tuple[list[Found], list[str], list[bool]]:
        """Return the entries found in `text`, its corrected words, and which words are negated."""
        spans, tokens = self.find(text, whole_only_short)
        negated = self.negation.mask(tokens, owned_by(spans, len(tokens)))
        found = [
            Found(key, self.entries[key], start, end, any(negated[start:end])) for key, start, end in spans
        ]
        return sorted(found, key=lambda f: f.start), tokens, negated

    def find(self, text: str, whole_only_short: bool = True) -> tuple[list[tuple[str, int, int]], list[str]]:
        """Return the entries found in `text` as (key, first word, end) and its corrected words."""
        tokens = self.tokens(text)
        padded = " " + " ".join(tokens) + " "
        taken = [False] * len(tokens)
        spans: list[tuple[str, int, int]] = []
        # Only the entries whose first word was typed can be found, still tried longest first.
        candidates = sorted({i for token in set(tokens) for i in self._by_first_word.get(token, ())})
        for key, words in (self._keys[i] for i in candidates):
            short = len(key) < MIN_KEY_LENGTH and key not in SHORT_IN_TEXT
            if whole_only_short and short and key != " ".join(tokens):
                continue
            start = padded.find(f" {key} ")
            while start != -1:
                first = padded.count(" ", 0, start + 1) - 1
                span = range(first, first + len(words))
                if not any(taken[i] for i in span):
                    for i in span:
                        taken[i] = True
                    spans.append((key, first, first + len(words)))
                start = padded.find(f" {key} ", start + 1)
        return spans, tokens


def owned_by(spans: Iterable[tuple[str, int, int]], length: int) -> list[bool]:
    """Return per word whether one of `spans` (key, first, end) holds it."""
    owned = [False] * length
    for _, first, end in spans:
        owned[first:end] = [True] * (end - first)
    return owned


@cache
def load_negation(path: Path = NEGATION_FILE) -> Negation:
    """Return the negation triggers of the knowledge tables."""
    return Negation.from_frame(pd.read_csv(path, dtype=str, keep_default_na=False))


@dataclass(frozen=True)
class Composition:
    """A concept told in pieces: a word (or phrase) of each group in one sentence ("chest is on fire")."""

    concept: str
    groups: tuple[tuple[tuple[str, ...], ...], ...]
    # Words that cancel it in the same sentence: "burning in my chest after a curry" is heartburn.
    unless: tuple[tuple[str, ...], ...] = ()


# In a composition, "#9+" stands for any whole number from 9 up and "#3-" for any up to 3: "#9+
# paracetamol" reads "took 16 paracetamol" but not "took 2 paracetamol" (how many tablets is what makes
# it an overdose); "sugar" with "#3-" reads "sugar was 2.1" (folding ends a number at its decimal point).
NUMBER_WORD = re.compile(r"^#(\d+)([+-])$")


# In a composition, a word ending in "*" is a stem: "sudom*" reads "sudomy", "sudomah", "sudomakh" (the
# cases of a Slavic noun), so an inflected language needs one entry, not one per ending.
STEM = "*"
# Units of time: their singular and plural are different findings ("every hour", "every 6 hours").
COUNTED = frozenset(["second", "minute", "min", "hour", "hr", "day", "night", "week", "month", "year"])
MIN_STEM_LETTERS = 4  # a shorter stem would start too many other words


@lru_cache(maxsize=1 << 17)
def _folded_word(word: str) -> tuple[str, ...]:
    """Return one table word folded: the composition table repeats its ~70k words ~380k times."""
    return tuple(fold(word).split())


def _entry_words(entry: str) -> tuple[str, ...]:
    """Return a composition entry as folded words, keeping "#N+"/"#N-" placeholders and "stem*" stems."""
    words: list[str] = []
    for word in entry.split():
        if NUMBER_WORD.match(word):
            words.append(word)
        elif word.endswith(STEM) and (folded := _folded_word(word[:-1])):
            words += [*folded[:-1], folded[-1] + STEM]
        else:
            words += _folded_word(word)
    return tuple(words)


def stems_of(compositions: Iterable["Composition"]) -> frozenset[str]:
    """Return the stems (without their "*") the compositions use."""
    return frozenset(
        word[:-1]
        for composition in compositions
        for group in (*composition.groups, composition.unless)
        for words in group
        for word in words
        if word.endswith(STEM)
    )


def _word_fits(token: str, word: str) -> bool:
    """Return whether `token` is `word`, starts with a "stem*", or is a number a "#N+"/"#N-" accepts."""
    if word.endswith(STEM):
        return token.startswith(word[:-1])
    if (number := NUMBER_WORD.match(word)) is not None:
        if not token.isdigit():
            return False
        bound = int(number.group(1))
        return int(token) >= bound if number.group(2) == "+" else int(token) <= bound
    return token == word or _plural_of(token) == word


def _plural_of(token: str) -> str:
    """Return the word a plain plural stands for ("wees" → "wee", "ribs" → "rib"), else "".

    Units of time keep their number: "every hour" is not "every 6 hours".
    """
    if len(token) <= 3 or token[-1] != "s" or token[-2] == "s" or token[:-1] in COUNTED:
        return ""
    return token[:-1]


def compositions_from_frame(frame: pd.DataFrame) -> tuple[Composition, ...]:
    """Return the compositions of the `compositions` table (columns concept, all_of_1, all_of_2 …,
    and optionally unless)."""
    columns = [c for c in frame.columns if c.startswith("all_of_")]
    found = []
    for row in frame.to_dict("records"):
        groups = tuple(_entries(str(row[c])) for c in columns if str(row[c]).strip())
        if groups:
            found.append(Composition(str(row["concept"]), groups, _entries(str(row.get("unless", "") or ""))))
    return tuple(found)


def _entries(cell: str) -> tuple[tuple[str, ...], ...]:
    """Return a cell's `|`-separated entries as folded words, longest first."""
    return tuple(
        sorted({words for w in cell.split("|") if (words := _entry_words(w))}, key=len, reverse=True)
    )


@dataclass(frozen=True)
class CompositionIndex:
    """What `composition_hits` looks compositions up by, built once per set of compositions.

    `first_words`: the compositions by each word their first group starts an entry with (a number
    placeholder under "#", a stem under itself, "sudom*"); `group_keys`: for each composition, the
    first words of each group's entries. A composition is tried only when a sentence holds a first word
    of every one of its groups: of thousands, a note meets a few dozen.
    """

    first_words: dict[str, list[int]]
    group_keys: tuple[tuple[frozenset[str], ...], ...]
    stems: frozenset[str]

    @cached_property
    def shortest_stem(self) -> int:
        return min(map(len, self.stems), default=1)


def index_compositions(compositions: Sequence[Composition]) -> CompositionIndex:
    """Return the `CompositionIndex` of `compositions`."""
    first_words: dict[str, list[int]] = {}
    group_keys = []
    for number, rule in enumerate(compositions):
        keys = tuple(frozenset(_key(words[0]) for words in group) for group in rule.groups)
        for key in keys[0]:
            first_words.setdefault(key, []).append(number)
        group_keys.append(keys)
    return CompositionIndex(first_words, tuple(group_keys), stems_of(compositions))


def _key(word: str) -> str:
    return "#" if word[0] == "#" and NUMBER_WORD.match(word) else word


def composition_hits(
    compositions: Sequence[Composition],
    tokens: Sequence[str],
    index: CompositionIndex | None = None,
) -> list[tuple[str, list[tuple[int, int]]]]:
    """Return (concept, the words of each group) for each composition met within one sentence.

    `index`: `index_compositions(compositions)`, when the caller keeps it (reading a text should not
    redo it).
    """
    index = index_compositions(compositions) if index is None else index
    shortest = index.shortest_stem
    where: dict[str, list[int]] = {}  # the positions of each word, its plural, stem, and of "#" (numbers)
    keys_at: list[set[str]] = []
    for i, token in enumerate(tokens):
        keys = {token}
        if plural := _plural_of(token):
            keys.add(plural)
        if token.isdigit():
            keys.add("#")
        keys.update(token[:n] + STEM for n in range(shortest, len(token) + 1) if token[:n] in index.stems)
        for key in keys:
            where.setdefault(key, []).append(i)
        keys_at.append(keys)
    found = []
    start = 0
    for end, token in enumerate([*tokens, BREAK]):
        if token != BREAK:
            continue
        first, last, start = start, end, end + 1
        present = set().union(*keys_at[first:last])
        tried = sorted({number for key in present for number in index.first_words.get(key, ())})
        for number in tried:
            if any(keys.isdisjoint(present) for keys in index.group_keys[number][1:]):
                continue
            hits = []
            for group in compositions[number].groups:  # the first group missing settles it
                if (hit := _group_hit(tokens, where, first, last, group)) is None:
                    break
                hits.append(hit)
            else:
                unless = compositions[number].unless
                if not unless or _group_hit(tokens, where, first, last, unless) is None:
                    found.append((compositions[number].concept, hits))
    return found


def _group_hit(
    tokens: Sequence[str],
    where: Mapping[str, list[int]],
    first: int,
    last: int,
    group: tuple[tuple[str, ...], ...],
) -> tuple[int, int] | None:
    """Return the words [start, end) of the group's earliest entry in the sentence (first listed on a tie).

    Only the positions where an entry's first word stands are tried (every word of a long note was).
    """
    best: tuple[int, int] | None = None
    for words in group:
        starts = where.get(_key(words[0]), [])
        for k in range(bisect.bisect_left(starts, first), len(starts)):
            i = starts[k]
            end = i + len(words)
            if end > last or (best is not None and i >= best[0]):
                break
            if all(_word_fits(t, w) for t, w in zip(tokens[i:end], words, strict=True)):
                best = i, end
                break
    return best
