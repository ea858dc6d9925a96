"""Data page: download the record (CSV, Excel, FHIR, PDF) and import entries from a file."""

from functools import partial

import streamlit as st

from tracker.diary.validation import local_datetime, local_now, plural
from tracker.errors import NotFoundError, ValidationError
from tracker.storage.tables import utcnow
from tracker.transfer.downloads import FORMATS, export_bytes, export_file_name
from tracker.transfer.import_runs import ImportBusyError, import_summary, import_upload
from ui import bootstrap, charts_view, components, medicines_view, resources, state
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
everything = charts_view.selection(patient_id, tz)
entries = everything.entries()
if entries.empty:
    st.info("Nothing to download yet: log a symptom first.")
else:
    alerts = resources.alert_report_lines(
        url, actor, patient_id, tz, resources.version(url, actor, patient_id)
    )
    about = resources.profile_facts(url, actor, patient_id)
    medicines = medicines_view.history_for_export(everything, local_now(tz).date())
    columns = st.columns(2)
    for index, fmt in enumerate(FORMATS.values()):
        now = utcnow()
        columns[index % 2].download_button(
            fmt.label,
            data=partial(export_bytes, fmt.key, entries, name, patient_id, tz, now, alerts, about, medicines),
            file_name=export_file_name(name, fmt.key, now),
            mime=fmt.mime,
            key=f"download_{fmt.key}",
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
        )


def run_import() -> None:
    """Callback: check and assess every row, then store all of them or none, in one short write."""
    upload = ss.get("upload")
    if upload is None:
        ss.import_errors = {"file": "Please choose a file first."}
        return
    default_time = local_datetime(ss.default_day, ss.default_clock, tz) if ss.get("default_day") else None
    try:
        result = import_upload(
            resources.sessions(),
            actor,
            patient_id,
            upload.getvalue(),
            upload.name,
            resources.triager(),
            tz,
            utcnow(),
            default_time,
        )
    except (ValidationError, NotFoundError, ImportBusyError) as error:
        ss.import_errors = error.errors if isinstance(error, ValidationError) else {"file": str(error)}
        ss.pop("import_result", None)
        return
    ss.pop("import_errors", None)
    ss.import_result = import_summary(result, tz)
    resources.data_changed()


st.subheader("Import")
st.caption(
    "Our CSV or Excel download, or the original Symptom Tracker's table (Symptom, Severity Level, "
    "Recommendation). Every row is checked first: if any row has a problem, nothing is imported and "
    "each problem is listed. Importing the same file again adds nothing."
)
st.file_uploader("File", type=["csv", "xlsx"], key="upload")
with st.expander("For a table without dates"):
    st.caption(
        "The original app's table has no dates. Its symptoms are stored at this date and time "
        "(files with their own dates ignore it):"
    )
    day, clock = st.columns(2)
    today = local_now(tz)
    day.date_input("Date", value=today.date(), key="default_day", max_value=today.date(), format="DD/MM/YYYY")
    clock.time_input("Time", value=today.time().replace(minute=0), key="default_clock", step=300)
st.button("Import", type="primary", icon=":material/upload:", on_click=run_import, key="import")
if summary := ss.get("import_result"):
    st.success(summary.headline)
    if summary.needs_care:
        st.warning("\n".join(plain(line) if line.startswith("-") else line for line in summary.needs_care))
if problems := ss.get("import_errors"):
    st.error("Nothing was imported. " + plural(len(problems), "problem", "problems") + " to fix:")
    # A list, not a table: a table cuts long explanations off at its column width.
    st.markdown("\n".join(f"- **{plain(where)}**: {plain(problem)}" for where, problem in problems.items()))

components.my_data_section(actor)

st.subheader("Backup")
st.caption(
    "Whoever runs this app can save a copy of the whole database with `python -m tracker backup --out FILE`."
)
