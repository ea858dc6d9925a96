"""The Log page's medicines: "Due now: Sumatriptan 50 mg — Taken / Skip" in one tap, and an as-needed dose."""

from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st

from tracker.care_team.accounts import SessionEndedError
from tracker.errors import NotFoundError, ValidationError
from tracker.medicines.doses import DueDose, due_now, log_dose
from tracker.medicines.medicine_list import current_medicines
from tracker.medicines.schedule import DoseStatus, MedicineView
from tracker.storage.tables import utcnow
from ui import auth, problems, resources, state
from ui.text import plain

ss = st.session_state
NOTICE_KEY = "dose_notice"


@problems.guarded
def record(
    medicine_id: int, status: DoseStatus, slot_at: datetime | None, amount_key: str | None = None
) -> None:
    """Callback of Taken / Skip / "Log this dose": one dose, in its own transaction.

    The amount is read from its field now, not when the button was drawn: a changed field and the tap
    can arrive together.
    """
    now = utcnow()
    amount = ss.get(amount_key) if amount_key else None
    try:
        with resources.sessions().begin() as session:
            log_dose(
                session,
                auth.acting(session),
                state.patient_id(),
                medicine_id,
                status,
                now if status is not DoseStatus.SKIPPED or slot_at is None else slot_at,
                state.display_tz(),
                slot_at=slot_at,
                amount=amount,
                now=now,
            )
    except SessionEndedError:
        return
    except (ValidationError, NotFoundError) as error:
        ss[NOTICE_KEY] = (
            "error",
            "; ".join(error.errors.values()) if isinstance(error, ValidationError) else str(error),
        )
        return
    resources.data_changed()
    ss[NOTICE_KEY] = ("success", "Skipped: noted." if status is DoseStatus.SKIPPED else "Dose logged.")


def _due_row(due: DueDose, tz: str) -> None:
    when = due.slot_at.astimezone(ZoneInfo(tz))
    row = st.container(horizontal=True, vertical_alignment="center")
    row.markdown(f"**Due now:** {plain(due.label)} · {when:%H:%M}")
    key = f"{due.medicine.id}_{due.slot_at:%Y%m%d%H%M}"
    row.button(
        "Taken",
        key=f"dose_taken_{key}",
        type="primary",
        icon=":material/check:",
        on_click=record,
        args=(due.medicine.id, DoseStatus.TAKEN, due.slot_at),
    )
    row.button(
        "Skip",
        key=f"dose_skip_{key}",
        on_click=record,
        args=(due.medicine.id, DoseStatus.SKIPPED, due.slot_at),
    )


def _log_as_needed(medicines: list[MedicineView]) -> None:
    """A dose of an as-needed medicine (or one more of any): pick it, say how much, log it."""
    labels = {m.id: m.label for m in medicines}
    with st.expander("Took a medicine as needed, or an extra dose?", expanded=False):
        picked = st.selectbox(
            "Medicine", list(labels), format_func=labels.__getitem__, key="as_needed_medicine"
        )
        chosen = next(m for m in medicines if m.id == picked)
        amount_key = f"as_needed_amount_{picked}"
        st.number_input(
            f"How much ({chosen.dose_unit})",
            value=float(chosen.dose_amount),
            min_value=0.0,
            key=amount_key,
        )
        st.button(
            "Log this dose", key="log_as_needed", icon=":material/medication:", on_click=record,
            args=(picked, DoseStatus.EXTRA, None, amount_key),
        )  # fmt: skip


def medicines_due(patient_id: int, tz: str) -> None:
    """Show the doses due now with one-tap buttons, then the as-needed logger; nothing without medicines."""
    now = utcnow()
    with resources.sessions().begin() as session:
        actor = state.actor()
        due = due_now(session, actor, patient_id, now, tz)
        current = current_medicines(session, actor, patient_id, now.astimezone(ZoneInfo(tz)).date())
    if not current:
        return
    for dose in due:
        _due_row(dose, tz)
    if notice := ss.pop(NOTICE_KEY, None):
        kind, words = notice
        if kind == "success":
            st.success(words)  # fixed words
        else:
            st.error(plain(words))  # may name the medicine: shown as typed, never as Markdown
    _log_as_needed(current)
