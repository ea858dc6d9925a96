"""History page: summary tiles, filters kept in the URL, charts that refresh by themselves, the table."""

from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from tracker.care_team.accounts import SessionEndedError
from tracker.config import refresh_seconds
from tracker.diary.table_edits import (
    NOT_IN_TABLE,
    apply_table_edits,
    delete_entries,
    editor_rows,
    edits_by_entry,
    marked_ids,
    severity_label,
)
from tracker.diary.validation import local_now, plural
from tracker.errors import NotFoundError, ValidationError
from tracker.insights.factors import (
    AVERAGES_NOTE,
    CORRECTION_NOTE,
    MAX_LAG,
    NOT_CAUSE_NOTE,
    NOT_ENOUGH_MESSAGE,
    Direction,
)
from tracker.insights.periods import CUSTOM, DEFAULT_PRESET, RANGE_PRESETS, range_bounds
from tracker.insights.trends import TREND_WINDOW_DAYS, VERBS, VERDICT_COLORS, biggest_change, delta_words
from tracker.storage.tables import utcnow
from ui import auth, bootstrap, charts_view, measures_view, medicines_view, resources, state, widget_guard
from ui.text import plain

bootstrap.require_entrypoint("pages/history.py")
VIEWS = ["Overview", "Calendar", "Trends", "Measures", "Patterns", "Factors", "Medicines", "Entries"]
EDITED_VIEW = "Entries"  # the view with a table to edit, which the timed refresh leaves alone
LAG_CHOICES = {0: "Same day", 1: "Up to a day later", 2: "Up to 2 days later", 3: "Up to 3 days later"}
SHOWN_FINDINGS = 8
ss = st.session_state

st.title("History")
patient_id = state.patient_id()
actor = state.actor()
tz = state.display_tz()
url = resources.database_url()
if state.read_only():
    st.caption(
        f"{plain(state.patients()[patient_id])}'s diary, shared with you: you can read it, not change it."
    )
if about := resources.profile_facts(url, actor, patient_id).summary(utcnow()):
    st.caption(f"About this person: {about}")  # what the advice took into account

period_col, symptom_col = st.columns([1, 1])
with period_col:
    preset = (
        st.segmented_control(
            "Period", list(RANGE_PRESETS), default=DEFAULT_PRESET, key="range", bind="query-params"
        )
        or DEFAULT_PRESET
    )
    custom = None
    if preset == CUSTOM:
        today = local_now(tz).date()
        picked = st.date_input(
            "From – to", value=(today.replace(day=1), today), max_value=today, key="custom"
        )
        custom = picked if isinstance(picked, tuple) and len(picked) == 2 else None
with symptom_col:
    chosen = st.multiselect(
        "Symptoms",
        resources.symptoms_logged(url, actor, patient_id, resources.version(url, actor, patient_id)),
        key="symptoms",
        bind="query-params",
        placeholder="All symptoms",
    )
start, end = range_bounds(preset, local_now(tz), tz, custom)
symptoms = tuple(sorted(chosen))


def trend_window() -> int:
    """Return the days the trend verdicts cover: the chosen period, or TREND_WINDOW_DAYS for All/Custom."""
    return RANGE_PRESETS.get(preset) or TREND_WINDOW_DAYS


def summary_tiles(chosen: charts_view.Selection) -> None:
    tiles = charts_view.summary(chosen)
    last = f"last {tiles.period_days} days"
    before = f"vs prior {tiles.period_days} days"
    week, most, worst, trend = st.columns(4)
    count = delta_words(tiles.entries_delta, "more", "fewer")
    week.metric(
        f"Entries, {last}",
        tiles.entries,
        delta=count.text,
        delta_arrow=count.arrow,  # type: ignore[arg-type]
        delta_color=count.color,  # type: ignore[arg-type]
        delta_description=before,
    )
    most.metric(
        f"Most frequent, {last}",
        plain(tiles.most_frequent_symptom or "—"),
        delta=plural(tiles.most_frequent_entries, "entry", "entries")
        if tiles.most_frequent_symptom
        else None,
        delta_arrow="off",  # a count, not a change
        delta_color="off",
    )
    change = delta_words(tiles.worst_severity_delta, "higher", "lower", worse_when_more=True)
    worst.metric(
        f"Worst, {last}",
        severity_label(tiles.worst_severity) if tiles.worst_severity else "—",
        delta=change.text,
        delta_arrow=change.arrow,  # type: ignore[arg-type]
        delta_color=change.color,  # type: ignore[arg-type]
        delta_description=before if change.text else None,
    )
    # The same verdicts, window and words as the Trends view: the tile leads with the biggest change.
    biggest = biggest_change(charts_view.verdicts(chosen, trend_window()))
    trend.metric(
        f"Trend, last {trend_window()} days",
        plain(biggest.symptom) if biggest else "—",
        delta=VERBS[biggest.verdict] if biggest else None,
        delta_arrow="off",
        delta_color=VERDICT_COLORS[biggest.verdict] if biggest else "off",  # type: ignore[arg-type]
    )
    if biggest:
        st.caption(plain(biggest.sentence))


def trend_sentences(chosen: charts_view.Selection) -> None:
    found = charts_view.verdicts(chosen, trend_window())
    st.markdown(
        "\n".join(f"- {plain(verdict.sentence)}" for verdict in found) or "Not enough entries to see trends."
    )


def factor_section(chosen: charts_view.Selection) -> None:
    max_lag = st.segmented_control(
        "Look for effects",
        list(LAG_CHOICES),
        default=MAX_LAG,
        format_func=LAG_CHOICES.__getitem__,
        key="lags",
    )
    found, chart = charts_view.factor_patterns(chosen, MAX_LAG if max_lag is None else int(max_lag))
    st.caption(NOT_CAUSE_NOTE)
    clear = [finding for finding in found if finding.direction != Direction.NO_DIFFERENCE]
    if not found:
        st.info(f"{NOT_ENOUGH_MESSAGE}. Note medicines, sleep and tags when you log to see patterns here.")
        return
    st.altair_chart(chart, width="stretch", key="chart_factors")
    st.markdown(
        "\n".join(f"- {plain(f.sentence)}  \n  :gray[{plain(f.numbers)}]" for f in clear[:SHOWN_FINDINGS])
        or "No clear difference yet between days with and without any factor."
    )
    st.caption(f"{AVERAGES_NOTE} {CORRECTION_NOTE}")


def measures_section(chosen: charts_view.Selection) -> None:
    names = [m.name for m in measures_view.measures(url, actor, patient_id)]
    if not names:
        st.info("Add measures of your own (energy, temperature, weight…) in Settings, then log them here.")
        return
    picked = st.selectbox("Measure", names, key="measure_shown")
    st.altair_chart(
        charts_view.measure_chart(chosen, picked or names[0]), width="stretch", key="chart_measure"
    )


def medicines_section(chosen: charts_view.Selection) -> None:
    """Doses on a timeline, then how many planned doses were taken, per week and per medicine."""
    if not medicines_view.has_medicines(chosen):
        st.info("No medicines on the list yet: add them on the Medicines page to see doses here.")
        return
    st.altair_chart(medicines_view.dose_chart(chosen), width="stretch", key="chart_doses")
    weekly, totals, chart = medicines_view.adherence(chosen)
    st.altair_chart(chart, width="stretch", key="chart_adherence")
    percent = st.column_config.ProgressColumn(
        "Taken as planned", format="percent", min_value=0.0, max_value=1.0
    )
    labels: dict[str, Any] = {
        "medicine": "Medicine",
        "planned": "Planned",
        "taken": "Taken",
        "skipped": "Skipped",
    }
    labels |= {"missed": "Not logged", "extra": "Extra / as needed", "adherence": percent}
    st.dataframe(totals, hide_index=True, width="stretch", column_config=labels, key="adherence_totals")
    with st.expander("Week by week"):
        st.dataframe(
            weekly.drop(columns="medicine_id"),
            hide_index=True,
            width="stretch",
            column_config=labels | {"week": st.column_config.DateColumn("Week of", format="ddd D MMM YYYY")},
            key="adherence_weeks",
        )


def editor_key() -> str:
    """Return the table's widget key: a new one gives a fresh table without edits."""
    return f"entries_editor_{ss.get('editor_generation', 0)}"


def reset_editor() -> None:
    ss.editor_generation = ss.get("editor_generation", 0) + 1


def edits_sent() -> dict[int, dict[str, object]]:
    """Return the table's edits by entry id. Raises ValidationError for a row that is not in the table."""
    try:
        sent = ss.get(editor_key())
    except ValueError:  # a row key that is not a number ("x"), if ui.widget_guard is not installed
        sent = {widget_guard.REJECTED: True}
    if sent and sent.get(widget_guard.REJECTED):
        raise ValidationError({"table": NOT_IN_TABLE.format(row="sent")})
    return edits_by_entry(sent, list(ss.get("table_ids", [])))


def save_edits() -> None:
    """Callback of "Save changes": check the sign-in and apply the edits in one transaction."""
    try:
        by_id = edits_sent()
        with resources.sessions().begin() as session:
            actor_now = auth.acting(session)
            saved = apply_table_edits(session, actor_now, patient_id, by_id, resources.triager(), tz)
    except SessionEndedError:
        return  # the run that follows shows the sign-in page
    except (ValidationError, NotFoundError) as error:
        ss.table_errors = error.errors if isinstance(error, ValidationError) else {"table": str(error)}
        if "table" in ss.table_errors:
            reset_editor()  # drop edits that can never be saved
        return
    ss.pop("table_errors", None)
    reset_editor()
    resources.data_changed()
    done = f"Saved changes to {plural(saved.changed, 'entry', 'entries')}."
    ss.table_toast = done  # shown by the run that draws the page (one that raised an alert reruns it all)
    ss.table_notices = [done, *(again.sentence for again in saved.reassessed)]
    if any(again.alerts for again in saved.reassessed):
        ss.rerun_app = True  # the sidebar's alert badge is outside this fragment
        if sender := resources.notifier(url):
            sender.wake()


def delete_marked(entry_ids: list[int]) -> None:
    """Callback of the dialog's Delete: check the sign-in and delete in one transaction."""
    try:
        with resources.sessions().begin() as session:
            delete_entries(session, auth.acting(session), patient_id, entry_ids)
    except SessionEndedError:
        return
    except NotFoundError as error:
        ss.table_errors = {"table": str(error)}
        return
    resources.data_changed()
    reset_editor()


@st.dialog("Delete entries?")
def confirm_delete(entry_ids: list[int]) -> None:
    st.write(f"Delete {plural(len(entry_ids), 'entry', 'entries')}? This cannot be undone.")
    keep, remove = st.columns(2)
    if keep.button("Keep them", key="keep"):
        st.rerun()
    if remove.button(
        "Delete", type="primary", key="confirm_delete", on_click=delete_marked, args=(entry_ids,)
    ):
        st.rerun()


def table_messages(rows: pd.DataFrame) -> None:
    """Show the save's problems (each with the time of the entry it is about), else what it did."""
    for where, message in ss.get("table_errors", {}).items():
        st.error(f"{entry_label(where, rows)}{message}")
    if not ss.get("table_errors"):
        for notice in ss.get("table_notices", []):
            st.info(notice, icon=":material/check:")


def entry_label(where: str, rows: pd.DataFrame) -> str:
    """Return "The entry of Tue 24 Nov 2026, 09:00: " for an error keyed "entry 12: severity"."""
    entry, _, _field = where.partition(": ")
    number = entry.removeprefix("entry ")
    if not number.isdigit() or int(number) not in rows.index:
        return "" if where == "table" else f"{where.capitalize()}: "
    return f"The entry of {rows.loc[int(number), 'when']:%a %d %b %Y, %H:%M}: "


def entries_table(chosen: charts_view.Selection) -> None:
    rows, total = charts_view.table(chosen)
    if total > len(rows):
        st.caption(f"Showing the newest {len(rows):,} of {total:,} entries in this period.")
    ss.table_ids = list(rows.index)
    columns: dict[str, Any] = {
        "when": st.column_config.DatetimeColumn("When", format="ddd D MMM YYYY, HH:mm"),
        "symptom": "Symptom",
        "typed": st.column_config.TextColumn("You typed", help="Shown when it differs from the symptom"),
        "severity": "Severity",
        "note": "Note",
        "level": "Advice given",
        "answers": st.column_config.TextColumn(
            "Your answers", help="Answers to the questions asked at check-in"
        ),
    }
    if state.read_only():
        st.dataframe(rows, key="entries_table", hide_index=True, width="stretch", column_config=columns)
        return
    try:
        edits_sent()  # before the table reads them: a made-up row would stop the page
    except ValidationError as error:
        ss.table_errors = error.errors
        reset_editor()
    edited = st.data_editor(
        editor_rows(rows),
        key=editor_key(),
        hide_index=True,
        width="stretch",
        column_config=columns
        | {
            "when": st.column_config.DatetimeColumn("When", format="ddd D MMM YYYY, HH:mm", required=True),
            "symptom": st.column_config.TextColumn("Symptom", max_chars=100, required=True),
            "typed": st.column_config.TextColumn("You typed", disabled=True),
            # No min/max: the grid would quietly turn a typed 9 into 5; the library answers it instead.
            "severity": st.column_config.NumberColumn("Severity", step=1, required=True),
            "note": st.column_config.TextColumn("Note", max_chars=1000),
            "level": st.column_config.TextColumn("Advice given", disabled=True),
            "answers": st.column_config.TextColumn("Your answers", disabled=True),
            "delete": st.column_config.CheckboxColumn("Delete?"),
        },
    )
    table_messages(rows)
    save, remove = st.columns(2)
    save.button("Save changes", icon=":material/save:", on_click=save_edits, key="save_edits")
    marked = marked_ids(edited, ss.table_ids)
    if remove.button("Delete marked", icon=":material/delete:", disabled=not marked, key="delete_marked"):
        confirm_delete(marked)


def history_view(live: bool) -> None:
    """Tiles, the view picker and the chosen view.

    A fragment's rerun skips app.py, so the sign-in is checked here again first.
    """
    auth.still_signed_in()
    if ss.pop("rerun_app", False):
        st.rerun(scope="app")
    if toast := ss.pop("table_toast", None):
        st.toast(toast, icon=":material/check:")
    chosen = charts_view.selection(patient_id, tz, start, end, symptoms)
    summary_tiles(chosen)
    view = st.segmented_control("View", VIEWS, default=VIEWS[0], key="view", bind="query-params") or VIEWS[0]
    if (view == EDITED_VIEW) == live:
        st.rerun(scope="app")  # to the other fragment: the table does not refresh, the charts do
    if view == "Overview":
        charts_view.show("timeline", chosen)
        if medicines_view.has_medicines(chosen):
            st.altair_chart(medicines_view.dose_chart(chosen), width="stretch", key="chart_doses")
        charts_view.show("days", chosen)
    elif view == "Calendar":
        if measures_view.cycle_on(url, actor, patient_id):
            st.altair_chart(charts_view.cycle_calendar(chosen), width="stretch", key="chart_calendar")
        else:
            charts_view.show("calendar", chosen)
        charts_view.show("year", replace(chosen, start=None, end=None))
    elif view == "Trends":
        trend_sentences(chosen)
        charts_view.show("rolling", chosen)
    elif view == "Measures":
        measures_section(chosen)
    elif view == "Patterns":
        for name in ("distribution", "weekday_hour", "cooccurrence"):
            charts_view.show(name, chosen)
    elif view == "Factors":
        factor_section(chosen)
    elif view == "Medicines":
        medicines_section(chosen)
    else:
        entries_table(chosen)


@st.fragment(run_every=refresh_seconds())
def live_history() -> None:
    """The charts re-run every few seconds; they redraw only when entries changed."""
    history_view(live=True)


@st.fragment
def table_history() -> None:
    """The table is not refreshed under a person's hands: a redraw could drop an edit not yet saved."""
    history_view(live=False)


# The picker's value once it exists (None, cleared, is Overview), else the URL's on a first visit.
if (ss["view"] if "view" in ss else st.query_params.get("view")) == EDITED_VIEW:
    table_history()
else:
    live_history()
