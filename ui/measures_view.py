"""Own measures and cycles on the pages: cached values, the Log form's fields, the Settings section."""

from datetime import datetime

import pandas as pd
import streamlit as st

from tracker.care_team.access import Actor
from tracker.cycles.daily import cycle_frame
from tracker.cycles.derive import Flow
from tracker.cycles.store import FLOW_WORDS, period_days, set_cycle_tracking, tracks_cycle
from tracker.errors import NotFoundError, ValidationError
from tracker.measures.checks import MeasureDefinition, MeasureInfo
from tracker.measures.presets import RATING_HIGH, RATING_LOW, RATING_WORDS, MeasureKind, load_presets
from tracker.measures.store import (
    Reading,
    add_measure,
    add_preset_measure,
    list_measures,
    list_values,
    remove_measure,
)
from ui import problems, resources

ss = st.session_state
NO_FLOW = "none"


def measures(url: str, actor: Actor, patient_id: int) -> list[MeasureInfo]:
    """Return the profile's measures (not cached: one small query, and Settings changes it)."""
    with resources.sessions().begin() as session:
        return list_measures(session, actor, patient_id)


def cycle_on(url: str, actor: Actor, patient_id: int) -> bool:
    """Return whether the profile tracks its cycle (not cached: a primary-key read)."""
    with resources.sessions().begin() as session:
        return tracks_cycle(session, actor, patient_id)


@st.cache_data(show_spinner=False, max_entries=32)
def values(
    url: str,
    actor: Actor,
    patient_id: int,
    start: datetime | None,
    end: datetime | None,
    version: tuple[int, int],
) -> pd.DataFrame:
    """Return the profile's measure values in a range; `version` makes another session's writes show."""
    with resources.sessions().begin() as session:
        return list_values(session, actor, patient_id, start, end)


@st.cache_data(show_spinner=False, max_entries=32)
def cycle(url: str, actor: Actor, patient_id: int, version: tuple[int, int]) -> pd.DataFrame:
    """Return the profile's period days with their cycle day and phase (tracker.cycles.daily.cycle_frame)."""
    with resources.sessions().begin() as session:
        return cycle_frame(period_days(session, actor, patient_id), [])


def field_key(measure_id: int, generation: int) -> str:
    return f"measure_{measure_id}_{generation}"


def log_fields(
    found: list[MeasureInfo], generation: int, errors: dict[str, str], cycle_tracked: bool
) -> None:
    """Show a field per measure (empty: not measured) and, when tracked, the period flow today."""
    for measure in found:
        if measure.kind is MeasureKind.RATING:
            st.segmented_control(
                measure.label,
                list(range(RATING_LOW, RATING_HIGH + 1)),
                key=field_key(measure.id, generation),
                format_func=lambda level: f"{level} · {RATING_WORDS[level]}",
            )
        else:
            st.number_input(
                measure.label,
                min_value=None,
                max_value=None,
                value=None,
                step=measure.step,
                format="%.1f" if measure.step < 1 else "%.0f",
                key=field_key(measure.id, generation),
                help=f"Between {measure.low:g} and {measure.high:g} {measure.unit}",
            )
        if message := errors.get(f"measure_{measure.id}"):
            st.error(message, icon=":material/error:")
    if cycle_tracked:
        st.segmented_control(
            "Period on this day",
            [NO_FLOW, *Flow],
            default=NO_FLOW,
            key=f"period_{generation}",
            format_func=lambda flow: "No" if flow == NO_FLOW else FLOW_WORDS[Flow(flow)],
        )


def readings(found: list[MeasureInfo], generation: int) -> list[Reading]:
    """Return the values filled in on the Log form."""
    return [
        Reading(measure.id, ss[key])
        for measure in found
        if (key := field_key(measure.id, generation)) in ss and ss[key] is not None
    ]


def period_flow(generation: int) -> Flow | None:
    """Return the flow picked on the Log form (None: no period that day, or cycles not tracked)."""
    picked = ss.get(f"period_{generation}")
    return None if picked in (None, NO_FLOW) else Flow(picked)


@problems.guarded
def _add_preset(actor: Actor, patient_id: int) -> None:
    _run(lambda session: add_preset_measure(session, actor, patient_id, ss.measure_preset))


@problems.guarded
def _add_own(actor: Actor, patient_id: int) -> None:
    kind = MeasureKind(ss.own_kind)
    rating = kind is MeasureKind.RATING
    definition = MeasureDefinition(
        ss.get("own_name") or "",
        kind,
        "" if rating else ss.get("own_unit") or "",
        RATING_LOW if rating else _number(ss.get("own_low")),
        RATING_HIGH if rating else _number(ss.get("own_high")),
    )
    _run(lambda session: add_measure(session, actor, patient_id, definition))


def _number(value: object) -> float:
    """Return a number field's value (NaN when empty: the library names the field)."""
    return float(value) if isinstance(value, int | float) else float("nan")


@problems.guarded
def _remove(actor: Actor, patient_id: int, measure_id: int) -> None:
    _run(lambda session: remove_measure(session, actor, patient_id, measure_id))


@problems.guarded
def _toggle_cycle(actor: Actor, patient_id: int) -> None:
    _run(lambda session: set_cycle_tracking(session, actor, patient_id, ss[f"cycle_{patient_id}"]))


def _run(write: object) -> None:
    """Run one write in a transaction; keep its field messages for the section to show."""
    try:
        with resources.sessions().begin() as session:
            write(session)  # type: ignore[operator]
    except (ValidationError, NotFoundError) as error:
        ss.measure_errors = error.errors if isinstance(error, ValidationError) else {"name": str(error)}
        return
    ss.pop("measure_errors", None)
    resources.data_changed()
    values.clear()
    cycle.clear()


def settings_section(actor: Actor, patient_id: int) -> None:
    """Settings: the profile's measures (add a ready-made or own one, remove) and cycle tracking."""
    st.subheader("Your own measures")
    st.caption("Things to rate 0-4 or measure, logged on the Log page with a check-in or alone.")
    found = measures(resources.database_url(), actor, patient_id)
    errors: dict[str, str] = ss.get("measure_errors", {})
    for measure in found:
        name, remove = st.columns([5, 1], vertical_alignment="center")
        name.write(
            f"**{measure.label}**"
            + ("" if measure.kind is MeasureKind.RATING else f" · {measure.low:g} to {measure.high:g}")
        )
        remove.button(
            "",
            icon=":material/delete:",
            key=f"remove_measure_{measure.id}",
            help=f"Remove {measure.name} and its values",
            on_click=_remove,
            args=(actor, patient_id, measure.id),
        )
    presets = load_presets()
    pick, add = st.columns([4, 1], vertical_alignment="bottom")
    pick.selectbox(
        "Ready-made measure", list(presets), key="measure_preset", format_func=lambda k: presets[k].label
    )
    add.button("Add", key="add_preset", on_click=_add_preset, args=(actor, patient_id), icon=":material/add:")
    with st.expander("A measure of your own"):
        st.text_input("Name", key="own_name", placeholder="e.g. Joint stiffness")
        kinds = {MeasureKind.RATING: "A rating 0-4", MeasureKind.NUMBER: "A number with a unit"}
        st.radio("Kind", list(kinds), key="own_kind", horizontal=True, format_func=kinds.__getitem__)
        if ss.get("own_kind") == MeasureKind.NUMBER:
            unit, low, high = st.columns(3)
            unit.text_input("Unit", key="own_unit", placeholder="cm")
            low.number_input("Lowest valid", key="own_low", value=0.0)
            high.number_input("Highest valid", key="own_high", value=100.0)
        st.button("Add my measure", key="add_own", on_click=_add_own, args=(actor, patient_id))
    for message in errors.values():
        st.error(message, icon=":material/error:")
    st.subheader("Cycle")
    st.toggle(
        "Track my period and cycle",
        value=cycle_on(resources.database_url(), actor, patient_id),
        key=f"cycle_{patient_id}",
        on_change=_toggle_cycle,
        args=(actor, patient_id),
        help="Adds 'Period on this day' to the Log page; History shows period days and cycle patterns.",
    )
