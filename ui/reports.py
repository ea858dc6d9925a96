"""Report downloads for the Your data page, built when the button is pressed.

Kept apart from `ui.resources`: the PDF and Excel writers (fpdf, openpyxl) take a second to import,
and History, Log and the other pages never need them.
"""

from tracker.care_team.access import Actor
from tracker.storage.tables import utcnow
from tracker.transfer.report import export_report
from tracker.transfer.sections import ReportContents
from ui import resources


def report_bytes(fmt: str, actor: Actor, patient_id: int, tz: str, contents: ReportContents) -> bytes:
    """Return the export in `fmt` limited to the chosen dates and sections (built when downloaded)."""
    with resources.sessions().begin() as session:
        return export_report(session, actor, patient_id, fmt, tz, utcnow(), contents).data
