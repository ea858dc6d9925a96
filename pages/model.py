"""Model page: a model card — what the advice is built from, how it does on independent cases, its limits."""

import streamlit as st

from tracker.triage.model_card import (
    LIMITATIONS,
    REPORTS,
    candidates_table,
    confusion_chart,
    group_frame,
    model_comparison,
    questions_frame,
    reliability_chart,
)
from ui import bootstrap, components, resources, state

RATE = st.column_config.NumberColumn(format="percent")

bootstrap.require_entrypoint("pages/model.py")
st.title("How the advice works")
st.markdown(
    "Each check-in is read for symptoms — in your own words, with typos, in a note, in 8 languages — "
    "and checked against **knowledge tables written from NHS and NICE guidance**, each row with its "
    "source: every symptom's level at each rating, red-flag combinations, rules for babies, pregnancy "
    "and long-term conditions, and emergency and crisis wording. The most careful level any of them "
    "gives is the advice: **manage at home**, **see a doctor in the next few days**, **get medical help "
    "today** or **call emergency services**. A machine-learning model trained on examples from the same "
    "tables can only add caution, never remove it. Words it cannot read are never sent home on their "
    "rating alone."
)
components.safety_notice(state.region())

metadata = resources.model_metadata()
evaluations = resources.model_evaluation() or {}
if metadata is None:
    st.info("The model's details are not available right now.")
    st.stop()

knowledge = metadata.get("knowledge") or {}
if knowledge:
    symptoms, combinations, facts, phrases = st.columns(4)
    symptoms.metric("Symptoms and signs", f"{knowledge.get('symptoms', 0):,}")
    combinations.metric("Red-flag combinations", f"{knowledge.get('combinations', 0):,}")
    facts.metric("Patient-fact rules", f"{knowledge.get('patient_rules', 0):,}")
    phrases.metric("Emergency phrases", f"{knowledge.get('phrases', 0):,}")

st.subheader("How it does on cases nobody here wrote")
st.markdown(
    "Several hundred cases were written from NHS and NICE pages by people who never saw the tables or the "
    "code. Half were used to find gaps in the tables; the other half was **sealed** and scored once, at "
    "the end. Published checks of online symptom checkers found their advice appropriate in about "
    "49–58 % of cases and missed 20–40 % of emergencies."
)
shown = [name for name in REPORTS if name in evaluations]
if not shown:
    st.caption("No evaluation has been saved with this model (python -m tracker evaluate CASES --save NAME).")
for name in shown[:2]:
    report = evaluations[name]
    st.markdown(f"**{REPORTS[name]}** — {report['cases']} cases")
    exact, acceptable, under, sensitivity = st.columns(4)
    exact.metric("Exactly right", f"{report['exact_accuracy']:.0%}")
    acceptable.metric("Safe and reasonable", f"{report['acceptable_rate']:.0%}")
    under.metric("Too little care", f"{report['under_triage_rate']:.1%}")
    sensitivity.metric("Emergencies caught", f"{(report['emergency_sensitivity'] or 0):.0%}")
    with st.expander("By level, body system and age group"):
        for column in ("gold", "body_system", "age_group"):
            st.dataframe(
                group_frame(report, column),
                hide_index=True,
                width="stretch",
                column_config={
                    name: RATE
                    for name in (
                        "Exactly right",
                        "Safe and reasonable",
                        "Too little care",
                        "Emergencies caught",
                    )
                },
            )
        st.altair_chart(confusion_chart(report["confusion"]), width="stretch")

if shown:
    st.subheader("Does the model earn its place?")
    comparison = model_comparison(evaluations)
    st.dataframe(
        comparison, hide_index=True, width="stretch", column_config={c: RATE for c in comparison.columns[1:]}
    )
    st.caption(
        "The level model learns from examples generated from the tables, so it mostly agrees with them; "
        "it stays because it never lowers the advice and it explains which symptom weighed most."
    )

    st.subheader("Is the confidence honest?")
    report = evaluations[shown[0]]
    st.markdown(
        "The confidence shown with each recommendation is how often advice decided the same way was "
        "exactly right on the development cases. On the cases below, the gap between confidence and "
        f"reality averages **{report.get('expected_calibration_error', 0):.1%}** (expected calibration "
        "error)."
    )
    st.altair_chart(reliability_chart(report["reliability"]), width="stretch")

asked = questions_frame(evaluations)
if not asked.empty:
    st.subheader("Asking what matters")
    st.markdown(
        "After the symptoms are chosen, the app asks a few follow-up questions drawn from the tables "
        "(“Did it start suddenly?”), most urgent first. To test them, each case is entered as its first "
        "symptom only and the questions are answered from the case's full description: how often does "
        "the advice then match the advice for the full description?"
    )
    st.dataframe(
        asked, hide_index=True, width="stretch", column_config={c: RATE for c in asked.columns[1:-1]}
    )
    st.caption(
        "Targets: the same level in 97 % of cases and 99 % of emergencies, with at most 3 questions for "
        "half the cases. The questions cover what raises the first symptom's level in the tables; a "
        "second, unrelated symptom is not asked about, so it still needs to be entered."
    )

st.subheader("Reading your words")
phrase_model = metadata.get("phrase_model") or {}
st.markdown(
    "Names, lay words, typos and other languages are matched against the tables' synonyms; a phrase can "
    "hold several symptoms (“sudden headache and a stiff neck”) and a symptom told in pieces (“my chest "
    "is on fire”) is put together; “no” and “not” are understood. When none of that finds anything, a "
    "text model (scikit-learn, character and word n-grams) proposes the nearest symptom — but only when "
    f"it is close enough (similarity ≥ {phrase_model.get('threshold', 0):.2f}); otherwise it says it "
    "could not read the words."
)

with st.expander("The level model: candidates compared on generated examples"):
    st.caption(
        "Cross-validation on rows generated from the tables only measures how faithfully a model copies "
        f"them, not how good the advice is. Model version `{metadata.get('model_version', '?')}`, "
        f"{metadata.get('training_rows', 0):,} generated examples."
    )
    st.dataframe(
        candidates_table(metadata),
        hide_index=True,
        width="stretch",
        column_config={
            "Chosen": st.column_config.CheckboxColumn("Chosen"),
            "Safety cost": st.column_config.NumberColumn(format="%.3f"),
            "Accuracy": RATE,
            "Macro F1": st.column_config.NumberColumn(format="%.3f"),
            "Emergencies caught": RATE,
        },
    )

st.subheader("Limits")
st.markdown("\n".join(f"- {limit}" for limit in LIMITATIONS))
