"""Model page: a model card — what the advice is built from, how the candidates scored, its limits."""

import streamlit as st

from tracker.model_card import LIMITATIONS, candidates_table, confusion_chart
from ui import bootstrap, components, resources, state

bootstrap.require_entrypoint("pages/model.py")
st.title("How the advice works")
st.markdown(
    "After each check-in a machine-learning model suggests one of four levels — **manage at home**, "
    "**see a doctor in the next few days**, **get medical help today** or **call emergency services** — "
    "and a set of safety rules written from public guidance (NHS, NICE) can only make that advice "
    "*more* careful: red-flag symptoms and combinations, emergency words such as “can't breathe”, "
    "symptoms that keep coming back or get worse, and low confidence all move it up, never down."
)
components.safety_notice(state.region())

metadata = resources.model_metadata()
evaluation = resources.model_evaluation()
if metadata is None:
    st.info("The model's details are not available right now.")
    st.stop()

st.subheader("What it learned from")
rows, features, trained = st.columns(3)
rows.metric("Training examples", f"{metadata.get('training_rows', 0):,}")
features.metric("Inputs per check-in", str(metadata.get("features", "—")))
trained.metric("Trained", str(metadata.get("trained_at", "—"))[:10])
st.caption(
    "Examples are check-ins labelled from public triage guidance, one group per guidance page; the "
    f"knowledge workbook has the sources. Model version `{metadata.get('model_version', '?')}`."
)

st.subheader("Four candidates, chosen for safety")
st.markdown(
    "Each candidate was scored with 5-fold cross-validation. The **safety cost** counts a missed "
    "emergency as 100 and needless caution as 1–3, so the lowest cost is the safest model, not just "
    "the most accurate."
)
st.dataframe(
    candidates_table(metadata),
    hide_index=True,
    width="stretch",
    column_config={
        "Chosen": st.column_config.CheckboxColumn("Chosen"),
        "Safety cost": st.column_config.NumberColumn(format="%.3f"),
        "Accuracy": st.column_config.NumberColumn(format="percent"),
        "Macro F1": st.column_config.NumberColumn(format="%.3f"),
        "Emergencies caught": st.column_config.NumberColumn(format="percent"),
    },
)

st.subheader("How it does on cases it never saw")
if evaluation:
    exact, acceptable, under, sensitivity = st.columns(4)
    exact.metric("Exactly right", f"{evaluation['exact_accuracy']:.0%}")
    acceptable.metric("Safe and reasonable", f"{evaluation['acceptable_rate']:.0%}")
    under.metric("Too little care", f"{evaluation['under_triage_rate']:.0%}")
    sensitivity.metric("Emergencies caught", f"{(evaluation['emergency_sensitivity'] or 0):.0%}")
    st.altair_chart(confusion_chart(evaluation["confusion"]), width="stretch")
    st.caption(
        f"{evaluation['cases']} development cases with the level public guidance gives. Published checks "
        "of online symptom checkers found their advice appropriate in about 55–57 % of cases."
    )
else:
    st.caption("No evaluation has been saved with this model (python -m tracker evaluate CASES.csv --save).")

st.subheader("Limits")
st.markdown("\n".join(f"- {limit}" for limit in LIMITATIONS))
