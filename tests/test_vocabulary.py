import pandas as pd
import pytest

from tracker.triage.vocabulary import MatchMethod, Vocabulary, load_vocabulary, normalise

ORIGINAL_EIGHT = [
    "Headache",
    "Fatigue",
    "Nausea",
    "Cough",
    "Back pain",
    "Shortness of breath",
    "Chest pain",
    "Fever",
]


@pytest.fixture
def small() -> Vocabulary:
    frame = pd.DataFrame(
        {
            "symptom": ["Headache", "Abdominal pain", "Chest pain", "Diarrhea"],
            "synonyms": [
                "head ache|migraine",
                "tummy ache|stomach ache",
                "tight chest",
                "diarrhoea|the runs",
            ],
        }
    )
    return Vocabulary.from_frame(frame)


@pytest.mark.parametrize(
    ("typed", "canonical", "method"),
    [
        ("Headache", "Headache", MatchMethod.EXACT),
        ("  headache ", "Headache", MatchMethod.EXACT),
        ("tummy ache", "Abdominal pain", MatchMethod.SYNONYM),
        ("Diarrhoea", "Diarrhea", MatchMethod.SYNONYM),
        ("headahce", "Headache", MatchMethod.FUZZY),
        ("crushing chest pain", "Chest pain", MatchMethod.CONTAINED),
        ("bad tummy ache today", "Abdominal pain", MatchMethod.CONTAINED),
        ("purple elbow", None, MatchMethod.NONE),
        ("", None, MatchMethod.NONE),
    ],
)
def test_typed_text_resolves_to_the_canonical_name(small, typed, canonical, method):
    match = small.match(typed)
    assert (match.canonical, match.method) == (canonical, method)


def test_a_different_word_of_similar_length_is_not_a_typo(small):
    assert small.match("heartache").canonical is None


def test_repeated_matches_come_from_the_cache(small):
    assert small.match("headahce") is small.match("headahce")


def test_normalise_folds_case_punctuation_and_curly_apostrophes():
    assert normalise("  Can’t   BREATHE!! ") == "can't breathe"


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("tummy ache", "Abdominal pain"),
        ("high temperature", "Fever"),
        ("can't breathe", "Shortness of breath"),
        ("cant breathe", "Shortness of breath"),
        ("headahce", "Headache"),
        ("throwing up", "Vomiting"),
        ("diarrhoea", "Diarrhea"),
        ("passed out", "Fainting"),
        ("pins and needles", "Pins and needles"),
        ("burning when I pee", "Burning urination"),
        ("want to die", "Suicidal thoughts"),
        ("chest pian", "Chest pain"),
    ],
)
def test_shipped_vocabulary_understands_lay_words_and_typos(typed, canonical):
    assert load_vocabulary().match(typed).canonical == canonical


def test_shipped_vocabulary_has_the_original_eight_and_at_least_sixty_names():
    names = load_vocabulary().names
    assert set(ORIGINAL_EIGHT) <= set(names)
    assert len(names) >= 60


def test_suggestions_put_close_names_first():
    assert load_vocabulary().suggest("chest")[0] == "Chest pain"


def test_the_log_form_says_how_the_words_will_be_read_before_saving():
    from tracker.triage.engine import default_triager

    vocabulary = default_triager().vocabulary
    assert vocabulary.reading_caption("Headache") == ""
    both = "Understood as **Headache** and **Stiff neck**."
    assert vocabulary.reading_caption("headache and a stiff neck") == both
    assert vocabulary.reading_caption("tummy ache") == "Understood as **Abdominal pain**."
    assert vocabulary.reading_caption("no fever") == "You said there is no fever: nothing to assess."
    assert vocabulary.reading_caption("glowing toenails").startswith("Not understood")
    assert vocabulary.nearest("Headache") == []
    assert len(vocabulary.nearest("glowing toenails")) <= 3
