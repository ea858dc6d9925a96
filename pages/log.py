"""Log page: a check-in of one or more symptoms, the advice for it, and the recent history."""

from typing import TYPE_CHECKING

import streamlit as st

from tracker.care_team.accounts import SessionEndedError
from tracker.cycles.store import record_period_day
from tracker.diary.checkins import preview_check_in
from tracker.diary.validation import (
    SEVERITY_WORDS,
    SLEEP_MAX_HOURS,
    SUGGESTED_MEDICATIONS,
    SUGGESTED_TAGS,
    EntryInput,
    factor_inputs,
    local_datetime,
    local_now,
    plural,
)
from tracker.errors import DatabaseError, NotFoundError, ValidationError
from tracker.measures.store import log_check_in_with_measures, log_values_alone
from tracker.storage.limits import NOTE_MAX_LENGTH, SYMPTOM_MAX_LENGTH
from tracker.triage.follow_up import which_answers, which_groups
from ui import (
    auth,
    bootstrap,
    charts_view,
    components,
    measures_view,
    medicines_panel,
    problems,
    resources,
    state,
)
from ui.text import plain

if TYPE_CHECKING:
    from tracker.triage.engine import Assessment
    from tracker.triage.follow_up import Question

bootstrap.require_entrypoint("pages/log.py")
ss = st.session_state
MAX_ROWS = 8
ANSWERS = ("yes", "no", "not_sure")  # the order of every question's choices


def form_defaults() -> None:
    """Start (or restart after a save) with one empty row at the current local time."""
    now = local_now(state.display_tz())
    ss.setdefault("rows", [0])
    ss.setdefault("next_row", 1)
    ss.setdefault("form_gen", 0)
    ss.setdefault("when_date", now.date())
    ss.setdefault("when_time", now.time())


def add_row(symptom: str | None = None) -> None:
    if len(ss.rows) < MAX_ROWS:
        ss.rows = [*ss.rows, ss.next_row]
        if symptom:
            ss[f"symptom_{ss.next_row}"] = symptom
        ss.next_row += 1


def remove_row(row: int) -> None:
    ss.rows = [r for r in ss.rows if r != row]
    ss.pop(f"symptom_{row}", None)


def quick_add() -> None:
    """Callback for the recent-symptom chips: fill the first empty row, else add one.

    The chip is then unselected through its own state (`None`), not by dropping the key: a dropped
    key leaves the browser's chip selected, and every later rerun would count it as a new tap.
    """
    picked = ss.get("quick_pick")
    ss.quick_pick = None
    if not picked:
        return
    empty = [row for row in ss.rows if not ss.get(f"symptom_{row}")]
    if empty:
        ss[f"symptom_{empty[0]}"] = picked
    else:
        add_row(picked)


def pick_nearest(row: int, typed: str) -> None:
    """Callback of the closest-symptom chips: put the picked symptom in place of the words typed."""
    picked = ss.get(f"nearest_{row}_{typed}")
    if picked:
        ss[f"symptom_{row}"] = picked


def form_entries(tz: str) -> list[EntryInput]:
    """Return the form's rows as entries (an empty symptom stays, for the library to name)."""
    when = local_datetime(ss.when_date, ss.when_time, tz)
    note = ss.get("note") or None
    return [
        EntryInput(ss.get(f"symptom_{row}") or "", ss.get(f"severity_{row}", 3), when, note)
        for row in ss.rows
    ]


def answer_key(question_id: str) -> str:
    return f"answer_{ss.form_gen}_{question_id}"


def pick_key(question_id: str) -> str:
    return f"pick_{ss.form_gen}_{question_id}"


def none_key(screen_id: str) -> str:
    return f"none_{ss.form_gen}_{screen_id}"


def given_answers() -> dict[str, str]:
    """Return the follow-up questions answered so far: question id -> yes, no or not_sure.

    A "which of these?" answers each of its questions: ticked yes, the others no (once anything, or
    "None of these", is ticked).
    """
    asked = ss.get("asked", {})
    answers = {
        key: ss[answer_key(key)]
        for key, question in asked.items()
        if not question.part_of and ss.get(answer_key(key))
    }
    for screen, group in which_groups(asked.values()).items():
        picked = [question.id for question in group if ss.get(pick_key(question.id))]
        chosen = which_answers([question.id for question in group], picked, bool(ss.get(none_key(screen))))
        answers.update({key: str(answer) for key, answer in chosen.items()})
    return answers


def preview(tz: str) -> "Assessment | None":
    """Return the advice the form would get if saved now, or None while it is not complete."""
    entries = [entry for entry in form_entries(tz) if entry.symptom]
    if not entries:
        return None
    try:
        with resources.sessions().begin() as session:
            return preview_check_in(
                session,
                state.actor(),
                state.patient_id(),
                entries,
                resources.triager(),
                tz,
                answers=given_answers(),
            )
    except (ValidationError, NotFoundError, DatabaseError):
        return None  # Save names the field (or the database problem); the preview waits until then


def follow_up(advice: "Assessment") -> None:
    """Show the follow-up questions: the answered ones (to change) and those that could change the advice."""
    asked = ss.setdefault("asked", {})
    for question in advice.questions:
        asked[question.id] = question  # a concept asked on its own may later be one of a "which of these?"
    open_now = {question.id for question in advice.questions}
    answered = given_answers()
    shown = [question for key, question in asked.items() if key in open_now or key in answered]
    if not shown:
        return
    st.subheader("A few questions")
    st.caption("The details that would change the advice. Answering is optional; “Not sure” is always fine.")
    groups = which_groups(shown)
    for question in shown:
        if question.part_of:
            continue  # shown under its screen
        words = dict(zip(ANSWERS, question.choices, strict=True))
        st.radio(
            plain(question.text),
            ANSWERS,
            index=None,
            key=answer_key(question.id),
            horizontal=True,
            format_func=words.__getitem__,
            help=plain(question.why),
        )
        if question.id in groups:
            which_of_these(question.id, groups.pop(question.id))
    for screen, group in groups.items():  # a screen no longer shown (answered on an earlier form)
        which_of_these(screen, group)


def which_of_these(screen: str, group: "list[Question]") -> None:
    """Show a screen's "which of these?": one tick box per sign, and "None of these"."""
    st.markdown("**Which of these?** Tick all that apply.")
    for question in group:
        st.checkbox(plain(question.text), key=pick_key(question.id), help=plain(question.why))
    st.checkbox("None of these", key=none_key(screen))


@problems.guarded
def save() -> None:
    """Callback for Save: store the check-in, keep the advice to show, reset the form."""
    tz = state.display_tz()
    entries = form_entries(tz)
    gen = ss.form_gen
    factors = factor_inputs(
        ss.get(f"medications_{gen}", []), ss.get(f"sleep_{gen}"), ss.get(f"tags_{gen}", [])
    )
    measured = measures_view.readings(ss.get("log_measures", []), gen)
    try:
        with resources.sessions().begin() as session:
            acting = auth.acting(session)  # callbacks run before app.py's check: the sign-in is checked here
            logged = log_check_in_with_measures(
                session,
                acting,
                state.patient_id(),
                entries,
                resources.triager(),
                measured,  # a temperature of 38 °C or more counts as a fever in the advice
                tz=tz,
                factors=factors,
                answers=given_answers(),
            )
            if flow := measures_view.period_flow(gen):
                record_period_day(session, acting, state.patient_id(), ss.when_date, flow)
    except SessionEndedError:
        return  # the run that follows shows the sign-in page
    except (ValidationError, NotFoundError) as error:
        ss.log_errors = error.errors if isinstance(error, ValidationError) else {"form": str(error)}
        return
    resources.data_changed()
    if sender := resources.notifier(resources.database_url()):
        sender.wake()  # alert notifications go out now, in the background
    ss.last_assessment = logged.assessment
    ss.saved_message = f"Saved {plural(len(entries), 'symptom', 'symptoms')}."
    ss.pop("log_errors", None)
    # Fresh row keys give fresh (empty) widgets; re-keying is what clears a selectbox's shown value.
    for row in ss.rows:
        ss.pop(f"symptom_{row}", None)
        ss.pop(f"severity_{row}", None)
    ss.rows = [ss.next_row]
    ss.next_row += 1
    ss.form_gen += 1  # new keys: the factor fields and the answers start empty
    ss.asked = {}
    now = local_now(tz)
    ss.note = ""
    ss.when_date, ss.when_time = now.date(), now.time()


@problems.guarded
def save_measures() -> None:
    """Callback for "Save measures only": the values (and period flow) without a check-in."""
    tz, gen = state.display_tz(), ss.form_gen
    measured = measures_view.readings(ss.get("log_measures", []), gen)
    flow = measures_view.period_flow(gen)
    try:
        with resources.sessions().begin() as session:
            acting = auth.acting(session)
            logged = None
            if measured or not flow:
                logged = log_values_alone(
                    session,
                    acting,
                    state.patient_id(),
                    measured,
                    local_datetime(ss.when_date, ss.when_time, tz),
                    resources.triager(),
                )
            if flow:
                record_period_day(session, acting, state.patient_id(), ss.when_date, flow)
    except SessionEndedError:
        return
    except (ValidationError, NotFoundError) as error:
        ss.log_errors = error.errors if isinstance(error, ValidationError) else {"form": str(error)}
        return
    resources.data_changed()
    ss.pop("log_errors", None)
    ss.saved_message = "Saved your measures."
    if logged and logged.assessment:  # a fever measured alone gets its advice, as in a check-in
        ss.last_assessment = logged.assessment
        ss.saved_message = f"Saved your measures. A temperature of {logged.temperature_c:.1f} °C is a fever."
    else:
        ss.pop("last_assessment", None)  # the advice shown was for an earlier check-in
    ss.form_gen += 1


def field_error(field: str, index: int | None = None) -> None:
    """Show the message for `field` (of row `index`) right under it, if there is one."""
    errors: dict[str, str] = ss.get("log_errors", {})
    keys = [field] if index is None else [field, f"{index}.{field}"]
    if index is None:
        keys += [k for k in errors if k.endswith(f".{field}")]
    for key in keys:
        if key in errors:
            st.error(errors[key], icon=":material/error:")
            return


form_defaults()
patient_id = state.patient_id()
tz = state.display_tz()
options = resources.symptom_options()
labels = resources.symptom_labels()

st.title("Log symptoms")
saved = ss.pop("saved_message", None)
if assessment := ss.get("last_assessment"):
    # Shown first, above the form, and right after a save in a dialog too: wherever the page was
    # scrolled to when Save was pressed (far down on a phone), the advice is on screen.
    st.subheader("What to do next")
    components.recommendation_panel(assessment, state.region())
    st.button("Start a new check-in", key="dismiss", on_click=ss.pop, args=("last_assessment", None))
    st.divider()
    if saved:
        components.advice_dialog(assessment, state.region(), saved)
elif saved:
    st.success(saved, icon=":material/check:")  # measures saved without a check-in, and no fever
medicines_panel.medicines_due(patient_id, tz)  # "Due now: … Taken / Skip", and as-needed doses
recent = resources.recent(resources.database_url(), state.actor(), patient_id)
if recent:
    st.pills("Recent symptoms", recent, key="quick_pick", on_change=quick_add, format_func=plain)

several = len(ss.rows) > 1
for index, row in enumerate(ss.rows):
    columns = st.columns([5, 5, 1] if several else [1, 1], vertical_alignment="bottom")
    with columns[0]:
        typed = st.selectbox(
            "Symptom",
            options,
            index=None,
            key=f"symptom_{row}",
            placeholder="Start typing, e.g. headache, tummy ache…",
            accept_new_options=True,
            format_func=lambda option: labels.get(option, option),
            help=f"Pick from the list or type your own words (up to {SYMPTOM_MAX_LENGTH} characters).",
        )
    with columns[1]:
        st.select_slider(
            "How bad is it?",
            options=list(SEVERITY_WORDS),
            value=3,
            key=f"severity_{row}",
            format_func=lambda level: f"{level} · {SEVERITY_WORDS[level]}",
        )
    if several:
        with columns[2]:
            st.button(
                "",
                icon=":material/close:",
                key=f"remove_{row}",
                on_click=remove_row,
                args=(row,),
                help="Remove this symptom",
            )
    if typed and (caption := resources.match_caption(typed)):
        st.caption(caption)
    if typed and (nearest := resources.nearest_symptoms(typed)):
        st.pills(
            "Closest symptoms",
            nearest,
            key=f"nearest_{row}_{typed}",
            on_change=pick_nearest,
            args=(row, typed),
            label_visibility="collapsed",
        )
    field_error("symptom", index if several else None)
    field_error("severity", index if several else None)

st.button("Add another symptom", icon=":material/add:", on_click=add_row, disabled=len(ss.rows) >= MAX_ROWS)
if (advice := preview(tz)) is not None:
    follow_up(advice)
    st.subheader("What to do next", anchor="advice-now")
    st.caption("This changes as you answer. Save to keep it with your check-in.")
    components.recommendation_panel(advice, state.region(), key="recommendation_preview")

day, clock = st.columns(2)
day.date_input("Date", key="when_date", max_value=local_now(tz).date(), format="DD/MM/YYYY")
clock.time_input("Time", key="when_time", step=300)
field_error("occurred_at")
st.caption(f"Times are in {tz}.")
st.text_area(
    "Note (optional)",
    key="note",
    max_chars=NOTE_MAX_LENGTH,
    placeholder="Anything that helps: what you were doing, medicines taken, temperature…",
)
field_error("note")
with st.expander("Medicines, sleep and tags (optional)", expanded=False):
    st.caption("Noting these lets History show which go with better or worse days.")
    url = resources.database_url()
    st.multiselect(
        "Medicines taken",
        resources.factor_suggestions(url, state.actor(), patient_id, "medication", SUGGESTED_MEDICATIONS),
        key=f"medications_{ss.form_gen}",
        accept_new_options=True,
        placeholder="Pick or type a medicine",
    )
    field_error("medications")
    st.number_input(
        "Hours slept last night",
        min_value=0.0,
        max_value=float(SLEEP_MAX_HOURS),
        step=0.5,
        value=None,
        key=f"sleep_{ss.form_gen}",
    )
    field_error("sleep")
    st.multiselect(
        "Your tags",
        resources.factor_suggestions(url, state.actor(), patient_id, "tag", SUGGESTED_TAGS),
        key=f"tags_{ss.form_gen}",
        accept_new_options=True,
        placeholder="coffee, stress, exercise…",
    )
    field_error("tags")
    field_error("factors")
ss.log_measures = measures_view.measures(resources.database_url(), state.actor(), patient_id)
tracked = measures_view.cycle_on(resources.database_url(), state.actor(), patient_id)
if ss.log_measures or tracked:
    with st.expander("Your measures (optional)", expanded=True):
        measures_view.log_fields(ss.log_measures, ss.form_gen, ss.get("log_errors", {}), tracked)
        field_error("measures")
        st.button(
            "Save measures only",
            icon=":material/monitor_weight:",
            on_click=save_measures,
            key="save_measures",
        )
field_error("form")
st.button("Save check-in", type="primary", icon=":material/save:", on_click=save, key="save")

st.divider()
charts_view.recent_history(patient_id, tz)
