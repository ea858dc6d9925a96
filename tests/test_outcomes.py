"""Clinicians' outcomes: recorded per entry, corrected in place, turned into training rows."""

from datetime import timedelta

import pandas as pd
import pytest

from tracker.care_team.accounts import actor_for, sign_up
from tracker.care_team.outcomes import (
    TRAINING_GROUP,
    entry_choices,
    list_outcomes,
    record_outcome,
    training_rows,
)
from tracker.care_team.sharing import accept_invitation, create_invitation
from tracker.diary.checkins import log_check_in
from tracker.diary.entries import list_entries
from tracker.diary.patients import add_patient
from tracker.diary.validation import EntryInput
from tracker.errors import ValidationError
from tracker.triage.classifier import TrainResult, train, training_set
from tracker.triage.engine import default_triager
from tracker.triage.features import parse_symptom_pairs
from tracker.triage.knowledge import KNOWLEDGE_FILE, load_knowledge
from tracker.triage.vocabulary import load_vocabulary


@pytest.fixture
def shared(session, now):
    ada = actor_for(sign_up(session, "ada@example.org", "Ada", "a long password", "caregiver", now))
    lee = actor_for(sign_up(session, "lee@example.org", "Dr Lee", "a long password", "clinician", now))
    sam = add_patient(session, ada, "Sam").id
    accept_invitation(session, lee, create_invitation(session, ada, sam, now), now)
    logged = log_check_in(
        session,
        ada,
        sam,
        [
            EntryInput("Dizziness", 3, now - timedelta(hours=2)),
            EntryInput("fainted", 2, now - timedelta(hours=2)),
        ],
        default_triager(),
        now=now,
    )
    return ada, lee, sam, logged.entry_ids


def test_an_outcome_is_recorded_and_corrected_in_place(session, shared, now):
    _, lee, sam, (dizziness, _) = shared
    record_outcome(session, lee, sam, dizziness, "see_doctor", None, now)
    record_outcome(session, lee, sam, dizziness, "urgent", "seen in A&E the same day", now)
    (outcome,) = list_outcomes(session, lee, sam)
    assert (outcome.symptom, outcome.level, outcome.note) == (
        "Dizziness",
        "urgent",
        "seen in A&E the same day",
    )


def test_a_bad_level_or_note_is_refused_with_its_field(session, shared, now):
    _, lee, sam, (dizziness, _) = shared
    with pytest.raises(ValidationError) as caught:
        record_outcome(session, lee, sam, dizziness, "very bad", "x" * 1001, now)
    assert set(caught.value.errors) == {"level", "note"}


def test_an_outcome_becomes_one_training_row_of_its_whole_check_in(session, shared, now):
    _, lee, sam, (dizziness, fainted) = shared
    record_outcome(session, lee, sam, dizziness, "see_doctor", None, now)
    record_outcome(session, lee, sam, fainted, "urgent", None, now)
    (row,) = training_rows(session, lee, load_vocabulary()).to_dict("records")
    assert dict(parse_symptom_pairs(row["symptoms"])) == {"Dizziness": 3, "Fainting": 2}
    assert (row["level"], row["group"]) == ("urgent", TRAINING_GROUP), "the most urgent outcome counts"


TRAINED: dict[str, TrainResult] = {}  # by the outcome rows as CSV: both back ends give the same rows


def trained_with(extra: pd.DataFrame) -> TrainResult:
    """Train with these outcome rows (one quick candidate), once for rows already trained with."""
    key = extra.to_csv(index=False)
    if key not in TRAINED:
        TRAINED[key] = train(out_dir=None, candidates=("logistic_regression",), extra=extra)
    return TRAINED[key]


@pytest.mark.slow  # trains a model
def test_training_with_outcomes_learns_from_them(session, shared, now, tmp_path):
    _, lee, sam, (dizziness, _) = shared
    record_outcome(session, lee, sam, dizziness, "urgent", None, now)
    extra = training_rows(session, lee, load_vocabulary())
    result = trained_with(extra)
    assert result.metadata["outcome_rows"] == 1
    assert result.metadata["model_version"].endswith("+1outcomes")
    _, table_levels = training_set(load_knowledge(KNOWLEDGE_FILE, with_training=True))
    assert result.metadata["training_rows"] == len(table_levels) + 1


def test_the_entry_list_reads_newest_first_with_the_advice_given(session, shared, now):
    ada, _, sam, (dizziness, fainted) = shared
    choices = entry_choices(list_entries(session, ada, sam), "Europe/London")
    assert set(choices) == {dizziness, fainted}
    assert all("advised:" in label and "/5" in label for label in choices.values())
