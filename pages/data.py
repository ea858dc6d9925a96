"""Data page: download the record (CSV, Excel, FHIR, PDF) and import entries from a file."""

from datetime import datetime
from functools import partial

import streamlit as st

from tracker.downloads import FORMATS, export_bytes, export_file_name
from tracker.errors import NotFoundError, ValidationError
from tracker.imports import import_entries, parse_import
from tracker.models import utcnow
from tracker.validation import local_datetime, local_now, plural
from ui import bootstrap, charts_view, components, resources, state
from ui.text import plain

bootstrap.require_entrypoint("pages/data.py")
ss = st.session_state

st.title("Your data")
patient_id = state.patient_id()
actor = state.actor()
tz = state.display_tz()
url = resources.database_url()
name = state.patients().get(patient_id, "patient")

st.subheader("Download")
st.caption(
    f"Everything {plain(name)} has logged, times in {tz}. The PDF is a short report to take to an "
    "appointment; FHIR is the standard format clinic systems read."
)
entries = charts_view.selection(patient_id, tz).entries()
if entries.empty:
    st.info("Nothing to download yet: log a symptom first.")
else:
    alerts = resources.alert_report_lines(
        url, actor, patient_id, tz, resources.version(url, actor, patient_id)
    )
    about = resources.profile_facts(url, actor, patient_id)
    columns = st.columns(2)
    for index, fmt in enumerate(FORMATS.values()):
        now = utcnow()
        columns[index % 2].download_button(
            fmt.label,
            data=partial(export_bytes, fmt.key, entries, name, patient_id, tz, now, alerts, about),
            file_name=export_file_name(name, fmt.key, now),
            mime=fmt.mime,
            key=f"download_{fmt.key}",
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
        )


def run_import() -> None:
    """Callback: parse every row, then store all of them or none."""
    upload = ss.get("upload")
    if upload is None:
        ss.import_errors = {"file": "Please choose a file first."}
        return
    default_time: datetime | None = None
    if ss.get("default_day"):
        default_time = local_datetime(ss.default_day, ss.default_clock, tz)
    try:
        plan = parse_import(upload.getvalue(), upload.name, tz, utcnow(), default_time=default_time)
        with resources.sessions().begin() as session:
            result = import_entries(
                session, actor, patient_id, plan, resources.triager().vocabulary, utcnow()
            )
    except (ValidationError, NotFoundError) as error:
        ss.import_errors = error.errors if isinstance(error, ValidationError) else {"file": str(error)}
        ss.pop("import_result", None)
        return
    ss.pop("import_errors", None)
    ss.import_result = f"Imported {plural(result.added, 'entry', 'entries')}" + (
        f"; {plural(result.skipped_duplicates, 'was', 'were')} already there."
        if result.skipped_duplicates
        else "."
    )
    resources.data_changed()


st.subheader("Import")
st.caption(
    "Our CSV or Excel download, or the original Symptom Tracker's table (Symptom, Severity Level, "
    "Recommendation). Every row is checked first: if any row has a problem, nothing is imported and "
    "each problem is listed. Importing the same file again adds nothing."
)
st.file_uploader("File", type=["csv", "xlsx"], key="upload")
with st.expander("For a table without dates"):
    st.caption("The original app's table has no dates. Choose when its symptoms happened:")
    day, clock = st.columns(2)
    day.date_input("Date", value=None, key="default_day", max_value=local_now(tz).date())
    clock.time_input("Time", value=local_now(tz).time().replace(minute=0), key="default_clock")
st.button("Import", type="primary", icon=":material/upload:", on_click=run_import, key="import")
if message := ss.get("import_result"):
    st.success(message)
if problems := ss.get("import_errors"):
    st.error("Nothing was imported. " + plural(len(problems), "problem", "problems") + " to fix:")
    st.dataframe(
        [{"Where": where, "Problem": problem} for where, problem in problems.items()],
        hide_index=True,
        width="stretch",
    )

components.my_data_section(actor)

st.subheader("Backup")
st.caption(
    "Whoever runs this app can save a copy of the whole database with `python -m tracker backup --out FILE`."
)
