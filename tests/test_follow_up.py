"""Follow-up questions: asked from the tables, answered into the advice, stored, exported and read back."""

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from tracker.care_team.access import LOCAL
from tracker.cli import main
from tracker.diary.checkins import log_check_in, preview_check_in, reassess_check_in
from tracker.diary.entries import list_entries
from tracker.diary.patients import add_patient
from tracker.diary.validation import EntryInput
from tracker.errors import ValidationError
from tracker.levels import TriageLevel
from tracker.storage.tables import CheckIn, CheckInAnswer
from tracker.transfer.exports import entries_csv
from tracker.transfer.fhir import fhir_bundle
from tracker.transfer.import_writes import import_entries
from tracker.transfer.imports import parse_import
from tracker.transfer.report_pdf import pdf_report
from tracker.triage import assess, questions
from tracker.triage.engine import default_triager
from tracker.triage.follow_up import MAX_QUESTIONS, MAX_SAFETY_NET, Answer, read_question_book, which_answers
from tracker.triage.knowledge import KNOWLEDGE_DIR, NOT_MODEL_TABLES, KnowledgeError
from tracker.triage.patient import PatientFacts

ROOT = Path(__file__).resolve().parent.parent
ADULT = PatientFacts(age_years=40, sex="F", pregnant=False)


def ids(found):
    return [question.id for question in found]


# --- which questions, in which order ---------------------------------------------------------------


def test_a_mild_headache_asks_the_emergency_screen_then_about_a_knock_and_a_sudden_start():
    found = questions({"Headache": 3}, ADULT)
    # NHS 111: life-threatening signs first, then what makes a headache an emergency: a knock, the
    # headache's own 999 signs in one question, and a sudden start.
    assert ids(found)[:4] == ["emergency-signs", "head-signs", "headache-signs", "sudden-onset"]
    assert set(found[1].covers) == {"Head injury", "After a head injury", "Knocked out", "Fall"}
    assert {"Worst pain ever", "Stiff neck", "Double vision"} <= set(found[2].covers)
    sudden = found[3]
    assert sudden.text == "Did it start suddenly, reaching its worst within a minute?"
    assert sudden.choices[-1] == "Not sure"
    assert sudden.concept == "Sudden onset"
    assert sudden.why and sudden.source
    assert sudden.level_if_yes is TriageLevel.EMERGENCY
    assert sudden.covers == ()


def test_a_concept_a_listed_screen_covers_is_not_also_asked_on_its_own():
    """The screen asks "any of these?"; its "yes" asks which one, its "no" rules them all out."""
    found = questions({"Headache": 3}, ADULT)
    covered = {concept for question in found if question.covers for concept in question.covers}
    assert not {question.concept for question in found if not question.covers} & covered
    which = assess({"Headache": 3}, patient=ADULT, answers={"emergency-signs": "no", "headache-signs": "yes"})
    assert "worst-pain-ever" in ids(which.questions)


def test_a_screen_for_a_complaint_is_asked_only_with_that_complaint():
    """The knock-to-the-head screen is for a head injury, not for every injury (a burn, a cut)."""
    assert "head-injury-signs" in ids(questions({"Head injury": 2}, ADULT))
    assert "head-injury-signs" not in ids(questions({"Burn": 4}, ADULT))
    on_warfarin = {"emergency-signs": "no", "head-injury-signs": "yes"}
    assert assess({"Head injury": 2}, patient=ADULT).level is not TriageLevel.EMERGENCY
    # Every sign it asks about makes a head injury an emergency (NHS head injury: go to A&E).
    assert assess({"Head injury": 2}, patient=ADULT, answers=on_warfarin).level is TriageLevel.EMERGENCY
    assert "back-signs" in ids(questions({"Back pain": 3}, ADULT))
    assert "back-signs" not in ids(questions({"Neck pain": 3}, ADULT))


def test_a_pregnant_woman_with_a_headache_is_asked_about_her_sight_and_a_swelling_face():
    """NHS pre-eclampsia: a headache with blurred sight, flashing lights or a swelling face is a 999 call."""
    pregnant = PatientFacts(age_years=30, sex="F", pregnant=True)
    screen = next(q for q in questions({"Headache": 3}, pregnant) if q.id == "pregnancy-signs")
    assert {"Blurred vision", "Flashing lights or floaters", "Facial swelling"} <= set(screen.covers)
    said_yes = {"emergency-signs": "no", "pregnancy-signs": "yes"}
    which = assess({"Headache": 3}, patient=pregnant, answers=said_yes)
    assert "flashing-lights-or-floaters" in ids(which.questions)
    flashing = assess(
        {"Headache": 3}, patient=pregnant, answers={**said_yes, "flashing-lights-or-floaters": "yes"}
    )
    assert flashing.level is TriageLevel.EMERGENCY


def test_a_thirsty_child_who_pees_more_is_seen_today_and_an_adult_by_a_gp():
    """NHS type 1 and type 2 diabetes: thirst with peeing more (often or much) or losing weight."""
    peeing = {"thirst-signs": "yes"}
    child, adult = PatientFacts(age_years=12), PatientFacts(age_years=40)
    assert "thirst-signs" in ids(questions({"Excessive thirst": 2}, child))
    assert assess({"Excessive thirst": 2}, patient=child).level is TriageLevel.SELF_CARE
    assert assess({"Excessive thirst": 2}, patient=child, answers=peeing).level is TriageLevel.URGENT
    assert assess({"Excessive thirst": 2}, patient=adult, answers=peeing).level is TriageLevel.SEE_DOCTOR


def test_questions_for_one_sex_are_asked_only_of_it_or_when_the_sex_is_not_known():
    """A woman feeling sick is not asked about her testicles; a tired man is not asked about periods."""
    woman, man, anyone = (PatientFacts(age_years=30, sex=sex) for sex in ("F", "M", None))
    assert "testicle-pain" in ids(questions({"Nausea": 3}, man))
    assert "testicle-pain" in ids(questions({"Nausea": 3}, anyone))
    assert "testicle-pain" not in ids(questions({"Nausea": 3}, woman))
    assert "heavy-periods" in ids(questions({"Fatigue": 3}, woman))
    assert "heavy-periods" not in ids(questions({"Fatigue": 3}, man))


def test_a_babys_sign_is_asked_about_a_baby_but_not_an_adult():
    """A child's concept (body system `child`, age_below 16) is not read for an adult, nor asked of one."""
    assert "fever-in-baby" in ids(questions({"Eczema flare": 3}, PatientFacts(age_years=0.5)))
    assert "fever-in-baby" in ids(questions({"Eczema flare": 3}))  # age not known: still asked
    adult = ids(questions({"Eczema flare": 3}, PatientFacts(age_years=35)))
    assert "fever-in-baby" not in adult
    assert "skin-signs" in adult


def test_new_hallucinations_in_a_woman_ask_about_a_recent_birth_and_it_makes_them_an_emergency():
    """NHS postpartum psychosis: hallucinations in the weeks after a birth need emergency care."""
    woman, man = PatientFacts(age_years=30, sex="F"), PatientFacts(age_years=30, sex="M")
    assert "recently-given-birth" in ids(questions({"Hallucinations": 2}, woman))
    assert "recently-given-birth" not in ids(questions({"Hallucinations": 2}, man))
    assert assess({"Hallucinations": 2}, patient=woman).level is not TriageLevel.EMERGENCY
    answered = assess({"Hallucinations": 2}, patient=woman, answers={"recently-given-birth": "yes"})
    assert answered.level is TriageLevel.EMERGENCY


def test_an_earache_with_discharge_a_swelling_behind_the_ear_or_hearing_loss_is_seen_today():
    """NHS ear infections and mastoiditis: one question for the three signs, any of them same-day."""
    asked = questions({"Earache": 2}, ADULT)
    assert set(asked[ids(asked).index("ear-signs")].covers) == {
        "Ear discharge",
        "Swelling behind ear",
        "Hearing loss",
    }
    assert assess({"Earache": 2}, patient=ADULT).level is TriageLevel.SELF_CARE
    assert assess({"Earache": 2}, patient=ADULT, answers={"ear-signs": "yes"}).level is TriageLevel.URGENT
    assert "ear-signs" not in ids(questions({"Sore throat": 2}, ADULT))


@pytest.mark.parametrize(
    ("logged", "patient", "screen", "ticked", "expected"),
    [
        # NHS dental abscess: toothache with a swollen gum or face is an urgent dentist today.
        ({"Toothache": 3}, ADULT, "tooth-signs", {"swelling"}, TriageLevel.URGENT),
        # NHS croup: noisy breathing only when upset (none of the 999 signs) is same-day care.
        (
            {"Barking cough": 3},
            PatientFacts(age_years=4),
            "croup-signs",
            {"noisy-breathing-when-upset"},
            TriageLevel.URGENT,
        ),
        # NHS ectopic pregnancy: low tummy pain with shoulder tip pain is 999.
        ({"Pelvic pain": 3}, ADULT, "pelvic-signs", {"shoulder-tip-pain"}, TriageLevel.EMERGENCY),
        # NHS stomach ulcer: black poo with feeling faint on standing is 999.
        ({"Black tarry stool": 2}, ADULT, "gut-bleeding-signs", set(), TriageLevel.EMERGENCY),
        # NHS Guillain-Barre / cauda equina: aching muscles with both legs getting weak is 999.
        ({"Muscle pain": 3}, ADULT, "weakness-signs", {"weakness-in-both-legs"}, TriageLevel.EMERGENCY),
        # NHS necrotising fasciitis: a cut far more painful than it looks is 999.
        ({"Cut": 2}, ADULT, "injury-signs", {"wound-much-more-painful"}, TriageLevel.EMERGENCY),
        # NHS when to see a GP: something there for weeks (not getting rapidly worse) is checked.
        ({"Lump": 2}, ADULT, "lasting-or-worse", {"weeks-or-months"}, TriageLevel.SEE_DOCTOR),
    ],
)
def test_a_complaints_own_screen_is_asked_and_its_sign_raises_the_advice(
    logged, patient, screen, ticked, expected
):
    """From the question-recall misses: each complaint's screen is among its first five questions,
    and a yes (with the signs ticked in "which of these?", none ticked: none of these) raises it."""
    assert screen in ids(questions(logged, patient))
    group = [q.id for q in questions(logged, patient, {screen: "yes"}) if q.part_of == screen]
    assert ticked <= set(group)
    answers = {screen: "yes", **which_answers(group, ticked, none_of_these=not ticked)}
    answered = assess(logged, patient=patient, answers=answers)
    assert answered.level is expected
    assert answered.level.rank > assess(logged, patient=patient).level.rank


def test_a_breathless_person_still_gets_the_999_signs_in_one_question():
    """The screen for anyone is skipped once one of its signs is told (breathless); this one is not."""
    asked = questions({"Shortness of breath": 2}, ADULT)
    assert "emergency-signs" not in ids(asked)
    assert {"Blue or grey lips", "Chest pain", "Swollen tongue"} <= set(
        asked[ids(asked).index("breathless-signs")].covers
    )
    told = {"breathing-signs": "no", "breathless-signs": "yes"}
    assert assess({"Shortness of breath": 2}, patient=ADULT, answers=told).level is TriageLevel.EMERGENCY
    assert "breathless-signs" not in ids(questions({"Cough": 2}, ADULT))


def test_a_burn_kept_at_home_is_asked_about_its_size_and_blisters_and_they_make_it_an_emergency():
    found = questions({"Burn": 3}, ADULT)
    assert {"burn-depth", "blisters"} <= set(ids(found))  # within the five, before a second breathing one
    assert assess({"Burn": 3}, patient=ADULT).level is TriageLevel.SELF_CARE
    for asked in ("burn-depth", "blisters"):
        assert assess({"Burn": 3}, patient=ADULT, answers={asked: "yes"}).level is TriageLevel.EMERGENCY


def test_a_bad_nosebleed_is_a_gps_on_its_rating_until_it_has_bled_for_ten_minutes():
    """NHS nosebleed: a rating says how bad it feels; bleeding for over 10 minutes while pinching is A&E's."""
    assert assess({"Nosebleed": 4}, patient=ADULT).level is TriageLevel.SEE_DOCTOR
    assert "nosebleed-long" in ids(questions({"Nosebleed": 4}, ADULT))
    answered = assess({"Nosebleed": 4}, patient=ADULT, answers={"nosebleed-long": "yes"})
    assert answered.level is TriageLevel.EMERGENCY


def test_a_headache_after_being_knocked_out_is_an_emergency_once_asked():
    screened = assess({"Headache": 2}, patient=ADULT, answers={"emergency-signs": "no", "head-signs": "yes"})
    assert "knocked-out" in ids(screened.questions)
    knocked = assess(
        {"Headache": 2},
        patient=ADULT,
        answers={"emergency-signs": "no", "head-signs": "yes", "knocked-out": "yes"},
    )
    assert knocked.level is TriageLevel.EMERGENCY


@pytest.mark.parametrize("symptoms", [{"Headache": 3}, {"Fever": 2}, {"tummy ache": 3}, {"Back pain": 2}])
def test_every_question_could_raise_the_level_and_the_most_urgent_come_first(symptoms):
    level = assess(symptoms, patient=ADULT).level
    found = questions(symptoms, ADULT)
    assert 0 < len(found) <= MAX_QUESTIONS
    assert all(question.level_if_yes.rank > level.rank for question in found)
    ranks = [question.level_if_yes.rank for question in found]
    assert ranks == sorted(ranks, reverse=True)


def test_no_questions_when_it_is_already_an_emergency():
    assert questions({"Chest pain": 5}, ADULT) == []


def test_answered_questions_are_not_asked_again_and_five_is_the_most_per_check_in():
    first = questions({"Headache": 3}, ADULT)
    answers = {question.id: "no" for question in first}
    assert len(first) == MAX_QUESTIONS
    assert questions({"Headache": 3}, ADULT, answers) == []  # five answered: none more this check-in
    two = dict(list(answers.items())[:2])
    assert not set(ids(questions({"Headache": 3}, ADULT, two))) & set(two)


def worth_asking(symptoms, patient=None):
    """Every discriminator worth asking, beyond the five shown at once."""
    return assess(symptoms, patient=patient).details["not_ruled_out"]


def test_facts_are_asked_only_when_unknown():
    assert "pregnant" in worth_asking({"Headache": 4})  # no profile facts: pregnancy could matter
    assert "pregnant" not in worth_asking({"Headache": 4}, ADULT)
    assert "pregnant" not in worth_asking({"Headache": 4}, PatientFacts(age_years=40, sex="M"))


# --- answers change the advice ---------------------------------------------------------------------


def test_yes_to_a_sudden_start_makes_a_headache_an_emergency():
    before = assess({"Headache": 3}, patient=ADULT)
    after = assess({"Headache": 3}, patient=ADULT, answers={"sudden-onset": "yes"})
    assert before.level is TriageLevel.SELF_CARE
    assert after.level is TriageLevel.EMERGENCY
    assert any("suddenly" in reason for reason in after.reasons)


def test_no_rules_it_out_and_not_sure_is_treated_as_possible():
    ruled_out = assess({"Headache": 3}, patient=ADULT, answers={"sudden-onset": "no"})
    unsure = assess({"Headache": 3}, patient=ADULT, answers={"sudden-onset": "not sure"})
    assert ruled_out.level is TriageLevel.SELF_CARE
    assert ruled_out.details["ruled_out"] == ["sudden-onset"]
    assert unsure.level is TriageLevel.EMERGENCY
    assert any("not sure" in reason for reason in unsure.reasons)


def test_unanswered_questions_are_named_as_not_ruled_out():
    result = assess({"Headache": 3}, patient=ADULT)
    assert any("could not rule out" in reason and "suddenly" in reason for reason in result.reasons)


def test_yes_to_pregnancy_applies_the_pregnancy_rules():
    assert assess({"Headache": 4}).level is TriageLevel.SELF_CARE
    assert assess({"Headache": 4}, answers={"pregnant": "yes"}).level is TriageLevel.URGENT


@pytest.mark.parametrize("answers", [{"no-such-question": "yes"}, {"sudden-onset": "perhaps"}])
def test_an_unknown_question_or_answer_is_a_plain_error(answers):
    with pytest.raises(ValidationError) as error:
        assess({"Headache": 3}, answers=answers)
    assert "no-such-question" in str(error.value) or "perhaps" in str(error.value)


# --- screens: "any of these?" ---------------------------------------------------------------------

CHILD = PatientFacts(age_years=2, sex="M")
PREGNANT_ADULT = PatientFacts(age_years=30, sex="F", pregnant=True)


def test_hay_fever_is_screened_for_emergency_signs_and_breathing_though_no_combination_links_them():
    found = questions({"hay fever": 2}, ADULT)
    assert ids(found)[:2] == ["emergency-signs", "breathing-signs"]
    assert found[0].concept == "screen:emergency-signs"
    assert "Shortness of breath" in found[0].covers and "Wheezing" in found[1].covers
    assert found[0].choices == ("Yes, one or more", "No, none of these", "Not sure")


def test_no_to_a_screen_rules_out_every_concept_it_covers():
    said_no = questions({"Headache": 3}, ADULT, {"emergency-signs": "no"})
    covered = set(read_question_book().by_id["emergency-signs"].covers)
    assert "emergency-signs" not in ids(said_no)
    assert not {question.concept for question in said_no} & covered  # confusion is not asked again
    assessed = assess({"Headache": 3}, patient=ADULT, answers={"emergency-signs": "no"})
    assert "confusion" not in assessed.details["not_ruled_out"]


@pytest.mark.parametrize("answer", ["yes", "not sure"])
def test_yes_to_a_screen_sets_the_least_urgent_level_of_its_concepts_and_asks_which(answer):
    told = {"emergency-signs": "no"}
    before = assess({"hay fever": 2}, patient=ADULT, answers=told)
    after = assess({"hay fever": 2}, patient=ADULT, answers={**told, "breathing-signs": answer})
    assert after.level.rank > before.level.rank
    assert any(hit["rule"] == "screen:breathing-signs" for hit in after.details["rules"])
    covered = set(read_question_book().by_id["breathing-signs"].covers)
    assert after.questions and after.questions[0].concept in covered  # which one? asked first
    which = {**told, "breathing-signs": answer, after.questions[0].id: "yes"}
    assert assess({"hay fever": 2}, patient=ADULT, answers=which).level is TriageLevel.EMERGENCY


@pytest.mark.parametrize("answer", ["yes", "not sure"])
def test_yes_to_the_emergency_screen_is_an_emergency_at_once(answer):
    """NHS: any of these signs, call 999. Its level column says so; nothing more is asked."""
    first = questions({"hay fever": 2}, ADULT)[0]
    assert first.id == "emergency-signs" and first.level_if_yes is TriageLevel.EMERGENCY
    after = assess({"hay fever": 2}, patient=ADULT, answers={"emergency-signs": answer})
    assert after.level is TriageLevel.EMERGENCY and not after.questions
    assert any(hit["rule"] == "screen:emergency-signs" for hit in after.details["rules"])


def test_a_screen_answered_yes_then_no_to_each_concept_sets_nothing():
    book = read_question_book()
    every_no = {book.by_concept[concept].id: "no" for concept in book.by_id["emergency-signs"].covers}
    plain = assess({"hay fever": 2}, patient=ADULT).level
    assert (
        assess({"hay fever": 2}, patient=ADULT, answers={"emergency-signs": "yes", **every_no}).level is plain
    )


def test_a_screen_is_not_asked_when_one_of_its_concepts_is_already_told():
    assert "emergency-signs" not in ids(questions({"Chest pain": 1}, ADULT))


def test_screens_follow_the_body_system_age_and_pregnancy():
    assert "breathing-signs" in ids(questions({"Cough": 2}, ADULT))
    assert "breathing-signs" not in ids(questions({"Back pain": 2}, ADULT))
    assert "child-serious-signs" in ids(questions({"Runny nose": 2}, CHILD))
    assert "child-serious-signs" not in ids(questions({"Runny nose": 2}, ADULT))
    assert "pregnancy-signs" in ids(questions({"Nausea": 2}, PREGNANT_ADULT))
    assert "pregnancy-signs" not in ids(questions({"Nausea": 2}, ADULT))


def test_an_unread_symptom_is_still_screened_for_emergency_signs():
    assert ids(questions({"zorblax": 2}, ADULT))[:1] == ["emergency-signs"]


@pytest.mark.parametrize(
    ("typed", "instead", "message"),
    [
        ("Too breathless to speak", "Sneezing", "'Sneezing' has no question in questions.csv"),
        (",emergency,", ",call 999,", "level 'call 999' is not one of"),  # the level a "yes" brings
    ],
)
def test_a_bad_screen_row_is_reported_with_its_line(tmp_path, typed, instead, message):
    folder = copy_tables(tmp_path)
    path = folder / "screens.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace(typed, instead, 1)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(KnowledgeError) as error:
        read_question_book(folder)
    assert f"screens.csv line 2: {message}" in str(error.value)


def test_the_recall_benchmark_answers_a_screen_yes_when_any_of_its_concepts_is_in_the_case():
    from benchmarks.questions import answer_from_case

    screen = questions({"hay fever": 2}, ADULT)[0]
    assert str(answer_from_case(screen, {"Hay fever", "Wheezing"}, ADULT)) == "no"
    assert str(answer_from_case(screen, {"Hay fever", "Chest pain"}, ADULT)) == "yes"


# --- safety-netting ----------------------------------------------------------------------------------


def test_safety_net_says_what_would_make_it_more_urgent_in_at_most_three_sentences():
    result = assess({"Headache": 3}, patient=ADULT)
    assert 0 < len(result.safety_net) <= MAX_SAFETY_NET
    assert result.safety_net[0].startswith("Call emergency services if")
    assert "suddenly" in result.safety_net[0]


def test_safety_net_leaves_out_what_is_present_and_is_empty_at_emergency():
    answered = assess({"Headache": 3}, patient=ADULT, answers={"stiff-neck": "no", "confusion": "no"})
    assert not any("suddenly" in line for line in assess({"Headache": 3, "Sudden onset": 1}).safety_net)
    assert answered.safety_net  # a "no" now can still change: it may still be named
    assert assess({"Chest pain": 5}).safety_net == ()


# --- the table ---------------------------------------------------------------------------------------


def copy_tables(tmp_path: Path) -> Path:
    for table in KNOWLEDGE_DIR.glob("*.csv"):
        (tmp_path / table.name).write_bytes(table.read_bytes())
    return tmp_path


def test_every_question_names_a_known_concept():
    book = read_question_book()
    symptoms = set(pd.read_csv(KNOWLEDGE_DIR / "symptoms.csv")["symptom"])
    assert all(row.concept in symptoms or row.is_fact for row in book.rows)


def test_every_question_and_safety_net_is_worded_for_a_patient_not_a_label_in_a_template():
    """A concept pasted into a template ("Is this also happening: burn?") is not a question a person asks."""
    for row in read_question_book().rows:
        concept = row.concept.lower()
        assert row.text.endswith("?"), row.question_id
        assert not row.text.lower().endswith(f": {concept}?"), row.text
        assert row.warning.lower() != f"you notice {concept}", row.warning


def test_a_bad_question_row_is_reported_with_its_line(tmp_path):
    folder = copy_tables(tmp_path)
    path = folder / "questions.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace("Sudden onset", "Sudenly", 1)
    lines[2] = lines[2].split(",", 1)[0] + ",Worst pain ever,,,,,"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(KnowledgeError) as error:
        read_question_book(folder)
    assert "questions.csv line 2: concept 'Sudenly' is not in symptoms.csv" in str(error.value)
    assert "questions.csv line 3: text is blank" in str(error.value)


def test_knowledge_check_reports_a_question_row_broken_by_an_unquoted_comma(tmp_path, capsys):
    from tracker.cli import main

    folder = copy_tables(tmp_path)
    path = folder / "questions.csv"
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace(",it becomes the worst", ",it suddenly, becomes the worst", 1)  # 8 fields
    path.write_text("\n".join(lines) + "\n")
    assert main(["knowledge", "check", "--tables", str(folder)]) != 0
    assert "questions" in capsys.readouterr().err
    (tmp_path / "good").mkdir()
    assert main(["knowledge", "check", "--tables", str(copy_tables(tmp_path / "good"))]) == 0
    assert "questions: all rows valid" in capsys.readouterr().out


def test_editing_a_question_needs_no_retraining():
    from tracker.triage.knowledge import knowledge_sha256

    before = knowledge_sha256(KNOWLEDGE_DIR)
    assert "questions.csv" not in before  # the hash is over the tables the model learns from
    assert (KNOWLEDGE_DIR / "questions.csv").exists()
    assert {"questions.csv", "screens.csv"} <= NOT_MODEL_TABLES


# --- stored with the check-in, exported and read back -------------------------------------------------


@pytest.fixture
def answered(session, now):
    patient = add_patient(session, LOCAL, "Ada")
    entries = [EntryInput("Headache", 3, now - timedelta(minutes=5))]
    logged = log_check_in(
        session, LOCAL, patient.id, entries, default_triager(), now=now, answers={"sudden-onset": "yes"}
    )
    return patient.id, logged


def test_answers_are_stored_with_the_check_in_and_change_the_advice(session, answered):
    patient_id, logged = answered
    assert logged.assessment.level is TriageLevel.EMERGENCY
    stored = session.get(CheckIn, logged.check_in_id).answers
    assert [(a.question_id, a.concept, a.answer) for a in stored] == [("sudden-onset", "Sudden onset", "yes")]
    assert stored[0].question.startswith("Did it start suddenly")
    assert list_entries(session, LOCAL, patient_id)["answers"].tolist() == ["sudden-onset: yes"]


def test_a_check_in_assessed_again_keeps_its_answers(session, answered, now):
    patient_id, logged = answered
    again = reassess_check_in(session, LOCAL, patient_id, logged.check_in_id, default_triager(), now=now)
    assert again.assessment.level is TriageLevel.EMERGENCY


def test_the_preview_gives_the_advice_and_questions_without_storing(session, now):
    patient = add_patient(session, LOCAL, "Bo")
    entries = [EntryInput("Headache", 3, now - timedelta(minutes=5))]
    advice = preview_check_in(session, LOCAL, patient.id, entries, default_triager(), now=now)
    assert "sudden-onset" in ids(advice.questions)
    assert session.query(CheckIn).count() == 0


def test_an_unknown_answer_stores_nothing(session, now):
    patient = add_patient(session, LOCAL, "Cy")
    entries = [EntryInput("Headache", 3, now - timedelta(minutes=5))]
    with pytest.raises(ValidationError):
        log_check_in(session, LOCAL, patient.id, entries, default_triager(), now=now, answers={"nope": "yes"})
    assert session.query(CheckIn).count() == 0 and session.query(CheckInAnswer).count() == 0


def test_answers_round_trip_through_our_csv(session, answered, now):
    patient_id, _ = answered
    exported = entries_csv(list_entries(session, LOCAL, patient_id), "Europe/London")
    assert b"sudden-onset: yes" in exported
    twin = add_patient(session, LOCAL, "Twin").id
    plan = parse_import(exported, "entries.csv", "Europe/London", now)
    import_entries(session, LOCAL, twin, plan, default_triager().vocabulary, now)
    assert list_entries(session, LOCAL, twin)["answers"].tolist() == ["sudden-onset: yes"]


def test_the_download_of_everything_holds_the_answers(session, answered, now):
    from tracker.care_team.my_data import export_everything

    (profile,) = json.loads(export_everything(session, LOCAL, now))["profiles"]
    assert [(a["question_id"], a["answer"]) for a in profile["answers"]] == [("sudden-onset", "yes")]


def test_an_unknown_question_in_an_imported_file_names_the_row(now):
    data = b"occurred_at,symptom,severity,answers\r\n2026-11-20T10:00:00+00:00,Headache,3,made-up: yes\r\n"
    with pytest.raises(ValidationError) as error:
        parse_import(data, "entries.csv", "UTC", now)
    assert "made-up" in str(error.value)


def test_fhir_carries_each_answer_as_an_observation_component(session, answered):
    patient_id, _ = answered
    bundle = fhir_bundle(list_entries(session, LOCAL, patient_id), "Ada", patient_id, {}, "UTC")
    observation = bundle["entry"][-1]["resource"]
    answer = observation["component"][-1]
    assert answer["code"]["coding"][0]["code"] == "sudden-onset"
    assert answer["code"]["text"].startswith("Did it start suddenly")
    assert answer["valueCodeableConcept"]["coding"][0]["code"] == "Y"


def test_the_pdf_report_lists_the_answers(session, answered, now):
    pytest.importorskip("fpdf")
    patient_id, _ = answered
    data = pdf_report(list_entries(session, LOCAL, patient_id), "Ada", "UTC", now)
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout
    assert b"Answers to follow-up questions" in text
    assert b"Did it start suddenly" in text


# --- command line ----------------------------------------------------------------------------------


def test_cli_answer_makes_the_headache_an_emergency(capsys):
    assert main(["assess", "Headache=3", "--age", "40", "--answer", "sudden-onset=yes", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["level"] == "emergency"
    assert payload["answers"] == {"sudden-onset": "yes"}


def test_cli_lists_the_questions_and_the_safety_net_without_answers(capsys):
    assert main(["assess", "Headache=3", "--age", "40"]) == 0
    out = capsys.readouterr().out
    assert "sudden-onset: Did it start suddenly" in out
    assert "Call emergency services if" in out


def test_cli_bad_answer_exits_2_with_a_plain_message(capsys):
    assert main(["assess", "Headache=3", "--answer", "sudden-onset"]) == 2
    assert "ID=yes" in capsys.readouterr().err


@pytest.mark.parametrize("symptom", ["Vomiting", "feel a bit sick"])
def test_someone_sick_or_feeling_sick_is_asked_whether_they_took_too_much_or_swallowed_poison(symptom):
    """NHS paracetamol: A&E after too much, even when feeling well; feeling sick is often all there is."""
    teen = PatientFacts(age_years=16, sex="F")
    assert "poisoning-signs" in ids(questions({symptom: 1}, teen))
    answered = assess({symptom: 1}, patient=teen, answers={"poisoning-signs": "yes"})
    assert answered.level is TriageLevel.EMERGENCY


def test_a_screens_which_of_these_lists_its_signs_together_and_counts_as_one_question():
    """Yes to the headache's 999 signs asks which, in one pick-all list that does not use up the five."""
    said = {"emergency-signs": "no", "head-signs": "no", "headache-signs": "yes"}
    asked = questions({"Headache": 3}, ADULT, said)
    which = [question.id for question in asked if question.part_of == "headache-signs"]
    assert set(which) == {"worst-pain-ever", "stiff-neck", "double-vision"}  # every sign it named
    assert which[0] == "worst-pain-ever"  # the most urgent first
    assert len([question for question in asked if not question.part_of]) == MAX_QUESTIONS - len(said)
    none = {**said, **which_answers(which, set(), none_of_these=True)}
    assert [question.part_of for question in questions({"Headache": 3}, ADULT, none)] == [""] * 2
    double = {**said, **which_answers(which, {"double-vision"})}
    assert assess({"Headache": 3}, patient=ADULT, answers=double).level is TriageLevel.EMERGENCY


def test_which_of_these_answers_yes_to_the_ticked_no_to_the_rest_and_nothing_when_nothing_is_ticked():
    group = ["worst-pain-ever", "stiff-neck", "double-vision"]
    assert which_answers(group, {"stiff-neck"}) == {
        "worst-pain-ever": Answer.NO,
        "stiff-neck": Answer.YES,
        "double-vision": Answer.NO,
    }
    assert which_answers(group, set()) == {}  # not answered: the screen's "yes" still holds
    assert set(which_answers(group, set(), none_of_these=True).values()) == {Answer.NO}
    assert which_answers(group, {"stiff-neck"}, none_of_these=True)["stiff-neck"] is Answer.YES


@pytest.mark.slow  # a fresh interpreter that loads the model (~4 s): CI only
def test_cli_ask_lists_which_of_these_and_reads_the_numbers_picked():
    run = subprocess.run(
        [sys.executable, "-m", "tracker", "assess", "Headache=3", "--age", "40", "--ask", "--json"],
        input="2\n2\n1\n2\n",  # no, no, yes to the headache's 999 signs; which: the second (double vision)
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert "Which of these?" in run.stderr
    assert "  2. Are you seeing double?" in run.stderr
    result = json.loads(run.stdout)
    assert result["level"] == "emergency"
    assert result["answers"]["double-vision"] == "yes" and result["answers"]["worst-pain-ever"] == "no"


@pytest.mark.slow  # a fresh interpreter that loads the model (~4 s): CI only
def test_cli_ask_reads_the_answers_from_the_terminal():
    run = subprocess.run(
        [sys.executable, "-m", "tracker", "assess", "Headache=3", "--age", "40", "--ask", "--json"],
        input="2\n2\n2\n1\n",  # no to the 999 signs, a knock or fall, the headache's 999 signs; yes: sudden
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert "Did it start suddenly" in run.stderr
    assert json.loads(run.stdout)["level"] == "emergency"


def test_a_person_with_diabetes_who_is_sick_is_asked_about_thirst_sugar_and_ketones_first():
    diabetic = PatientFacts(age_years=40, conditions=frozenset({"diabetes"}))
    asked = ids(questions({"throwing up": 3}, diabetic))
    assert asked[0] == "sugar-signs"  # a screen for the person's condition, whatever the complaint
    assert "sugar-signs" not in ids(questions({"throwing up": 3}, ADULT))
    thirsty = assess({"throwing up": 3}, patient=diabetic, answers={"sugar-signs": "yes"})
    assert thirsty.level is TriageLevel.EMERGENCY  # any of them with vomiting in diabetes (NHS DKA)


def test_chest_pain_asks_whether_it_spreads_or_comes_with_sweating_or_sickness_in_one_question():
    asked = questions({"chest pressure": 2}, ADULT)
    assert ids(asked)[0] == "heart-signs"  # (the emergency screen already has its answer: chest pain)
    assert {"Jaw pain", "Arm pain", "Spreading pain", "Sweating"} <= set(asked[0].covers)
    said_yes = assess({"chest pressure": 2}, patient=ADULT, answers={"heart-signs": "yes"})
    said_no = assess({"chest pressure": 2}, patient=ADULT, answers={"heart-signs": "no"})
    assert said_yes.level is TriageLevel.EMERGENCY
    assert said_no.level is not TriageLevel.EMERGENCY
    assert "heart-signs" in said_no.details["ruled_out"]


def test_a_screen_for_a_condition_not_in_the_list_is_reported_with_its_line(tmp_path):
    folder = copy_tables(tmp_path)
    path = folder / "screens.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "conditions"] = "dragon pox"
    frame.loc[1, "symptoms"] = "Sore elbow of doom"
    frame.to_csv(path, index=False)
    with pytest.raises(KnowledgeError) as error:
        read_question_book(folder)
    assert "screens.csv line 2: condition 'dragon pox' is not in conditions.csv" in str(error.value)
    assert "screens.csv line 3: symptom 'Sore elbow of doom' is not in symptoms.csv" in str(error.value)


def test_breathlessness_asks_about_a_swollen_calf_with_its_999_signs():
    """NHS pulmonary embolism: breathless with a swollen painful calf or leg is 999, so the
    breathlessness screen names it among its signs and a yes to the screen is an emergency."""
    screen = next(q for q in questions({"Shortness of breath": 2}, ADULT) if q.id == "breathless-signs")
    assert {"Calf swelling", "Leg swelling one side"} <= set(screen.covers) and "calf" in screen.text
    said = {"breathing-signs": "no", "breathless-signs": "yes"}
    assert assess({"Shortness of breath": 2}, patient=ADULT, answers=said).level is TriageLevel.EMERGENCY


@pytest.mark.parametrize("screen", ["child-serious-signs", "unwell-signs"])
def test_which_of_these_lists_every_sign_the_screen_named(screen):
    """A parent who said yes because of drier nappies must find drier nappies in "which of these?", even
    though that sign alone would not raise the advice: the screen's question named it, and ticking it
    lets a second answer complete a combination (no pee with a fast-breathing fever: sepsis, 999)."""
    child = PatientFacts(age_years=2)
    after = assess({"bit of a temp": 2}, patient=child, answers={screen: "yes"})
    listed = {question.concept for question in after.questions if question.part_of == screen}
    assert listed == set(read_question_book().by_id[screen].covers)


def test_a_sign_ticked_in_which_of_these_decides_and_the_rest_of_the_list_sets_no_floor():
    """A child with spots: yes to the skin screen, then "a high temperature" is the sign meant. The signs
    left unanswered in the same list (a rash that does not fade, mottled skin: 999) must not decide; nor
    may signs the emergency screen's "no" already ruled out: the temperature's own rules decide."""
    child = PatientFacts(age_years=3, sex="F")
    said = {"emergency-signs": "no", "child-serious-signs": "no", "skin-signs": "yes"}
    told = assess({"spots on hands": 2}, patient=child, answers={**said, "fever": "yes"})
    typed = assess({"spots on hands": 2, "high temperature": 2}, patient=child)
    assert told.level is typed.level and told.level is not TriageLevel.EMERGENCY
    assert not any(hit["rule"] == "screen:skin-signs" for hit in told.details["rules"])
    unsure = assess({"spots on hands": 2}, patient=child, answers={"skin-signs": "yes", "fever": "no"})
    # Nothing ticked yet: the screen's yes still holds, at the least urgent sign left (a spreading red area)
    assert unsure.level is TriageLevel.URGENT and "screen:skin-signs" in unsure.details["deciding_rules"]
