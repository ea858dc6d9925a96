"""Outcomes page (clinicians): record what care an entry really needed, to check and improve the advice."""

import streamlit as st

from tracker.care_team.outcomes import entry_choices, record_outcome
from tracker.errors import NotFoundError, ValidationError
from tracker.levels import TriageLevel
from tracker.storage.tables import utcnow
from ui import bootstrap, charts_view, components, resources, state
from ui.text import plain

bootstrap.require_entrypoint("pages/outcomes.py")
ss = st.session_state

st.title("Outcomes")
patient_id = state.patient_id()
actor = state.actor()
tz = state.display_tz()
st.caption(
    "When you know what care a check-in really needed, record it here. Each outcome is kept with the entry "
    "and can be added to the model's training table (`python -m tracker train --with-outcomes`)."
)
components.safety_notice(state.region())
chosen = charts_view.selection(patient_id, tz)
choices = entry_choices(chosen.entries(), tz)


def save_outcome() -> None:
    try:
        with resources.sessions().begin() as session:
            record_outcome(
                session,
                actor,
                patient_id,
                ss.get("outcome_entry") or 0,
                ss.get("outcome_level") or "",
                ss.get("outcome_note") or None,
                utcnow(),
            )
    except (ValidationError, NotFoundError) as error:
        ss.outcome_errors = error.errors if isinstance(error, ValidationError) else {"entry": str(error)}
        return
    ss.pop("outcome_errors", None)
    ss.outcome_note = ""
    resources.outcomes.clear()
    st.toast("Outcome recorded.", icon=":material/check:")


if not choices:
    st.info(f"{plain(state.patients()[patient_id])} has no entries yet.")
    st.stop()
st.selectbox(
    "Entry", list(choices), format_func=lambda entry_id: plain(choices[entry_id]), key="outcome_entry"
)
components.field_error("outcome_errors", "entry")
st.radio(
    "The care it really needed",
    [str(level) for level in TriageLevel],
    format_func=lambda level: TriageLevel(level).label,
    key="outcome_level",
    index=None,
)
components.field_error("outcome_errors", "level")
st.text_area("Note (optional)", key="outcome_note", max_chars=1000)
components.field_error("outcome_errors", "note")
st.button("Record outcome", type="primary", key="save_outcome", on_click=save_outcome)

st.subheader("Recorded")
recorded = resources.outcomes(resources.database_url(), actor, patient_id)
if not recorded:
    st.caption("No outcomes recorded yet.")
for outcome in recorded:
    advised = TriageLevel(outcome.advised).label if outcome.advised else "no advice stored"
    st.markdown(
        f"- {outcome.occurred_at.astimezone(components.zone(tz)):%d %b %Y, %H:%M} · {plain(outcome.symptom)} "
        f"{outcome.severity}/5 — advised *{advised}*, needed **{TriageLevel(outcome.level).label}**"
        + (f" ({plain(outcome.note)})" if outcome.note else "")
    )
