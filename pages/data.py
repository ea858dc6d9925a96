"""Data page: download the record (CSV, Excel, FHIR, PDF) for chosen dates and sections; import a file."""

from datetime import timedelta
from functools import partial

import streamlit as st

from tracker.diary.validation import local_datetime, local_now, plural
from tracker.errors import NotFoundError, ValidationError
from tracker.storage.tables import utcnow
from tracker.transfer.downloads import FORMATS, export_file_name
from tracker.transfer.import_runs import ImportBusyError, import_summary, import_upload
from tracker.transfer.sections import SECTION_LABELS, ReportContents, Section, nothing_to_hold
from ui import bootstrap, charts_view, components, measures_view, reports, resources, state
from ui.text import plain

DATE_CHOICES = {"30": "Last 30 days", "90": "Last 90 days", "all": "Everything", "custom": "Choose dates"}

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
chosen = charts_view.selection(patient_id, tz)
measured = measures_view.values(url, actor, patient_id, None, None, chosen.version)


def report_contents() -> ReportContents | None:
    """Return the dates and sections picked for the report; show the problem and return None if bad."""
    today = local_now(tz).date()
    dates, parts = st.columns([1, 2])
    with dates:
        span = st.selectbox(
            "Dates", list(DATE_CHOICES), format_func=DATE_CHOICES.__getitem__, key="report_dates"
        )
        first, last = None, today
        if span in ("30", "90"):
            first = today - timedelta(days=int(span) - 1)
        elif span == "custom":
            picked = st.date_input(
                "From – to", value=(today - timedelta(days=29), today), max_value=today, key="report_range"
            )
            first, last = picked if isinstance(picked, tuple) and len(picked) == 2 else (today, today)
    with parts:
        sections = st.multiselect(
            "Sections",
            list(Section),
            default=list(Section),
            format_func=SECTION_LABELS.__getitem__,
            key="report_sections",
        )
    try:
        return ReportContents(first, last if span != "all" else None, frozenset(Section(s) for s in sections))
    except ValidationError as error:
        for message in error.errors.values():
            st.error(message, icon=":material/error:")
        return None


if chosen.entries().empty and measured.empty:
    st.info("Nothing to download yet: log a symptom first.")
elif contents := report_contents():
    st.caption(
        "The PDF holds the sections you pick; the CSV holds the entries and measures rows (and can be "
        "imported again); Excel holds the entries, measures and summary you pick, one sheet each; FHIR "
        "holds the entries and measures for these dates."
    )
    columns = st.columns(2)
    for index, fmt in enumerate(FORMATS.values()):
        now = utcnow()
        empty = nothing_to_hold(fmt.key, contents.sections)
        columns[index % 2].download_button(
            fmt.label,
            data=partial(reports.report_bytes, fmt.key, actor, patient_id, tz, contents),
            file_name=export_file_name(name, fmt.key, now),
            mime=fmt.mime,
            key=f"download_{fmt.key}",
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
            disabled=empty is not None,
            help=empty,
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
