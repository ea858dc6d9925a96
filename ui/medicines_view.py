"""Cached medicine data for the pages: the list, doses, the dose chart and adherence (built in tracker/)."""

from datetime import date, datetime

import pandas as pd
import streamlit as st

from tracker.care_team.access import Actor
from tracker.charts.history import Chart
from tracker.charts.medicines import adherence_chart, dose_timeline_chart
from tracker.medicines.adherence import adherence_by_medicine, weekly_adherence
from tracker.medicines.doses import list_doses
from tracker.medicines.medicine_list import list_medicines
from tracker.medicines.schedule import MedicineHistory, MedicineView
from tracker.medicines.timeline import dose_timeline_data
from tracker.storage.tables import utcnow
from ui import resources
from ui.charts_view import Selection


@st.cache_data(show_spinner=False, max_entries=64)
def medicines(url: str, actor: Actor, patient_id: int, version: tuple[int, int]) -> list[MedicineView]:
    """Return the profile's medicine list; `version` (bumped by every change) refreshes it."""
    with resources.sessions().begin() as session:
        return list_medicines(session, actor, patient_id)


@st.cache_data(show_spinner=False, max_entries=32)
def doses(
    url: str,
    actor: Actor,
    patient_id: int,
    start: datetime | None,
    end: datetime | None,
    version: tuple[int, int],
) -> pd.DataFrame:
    """Return the profile's doses in a range."""
    with resources.sessions().begin() as session:
        return list_doses(session, actor, patient_id, start, end)


def _doses(chosen: Selection) -> pd.DataFrame:
    return doses(chosen.url, chosen.actor, chosen.patient_id, chosen.start, chosen.end, chosen.version)


def _medicines(chosen: Selection) -> list[MedicineView]:
    return medicines(chosen.url, chosen.actor, chosen.patient_id, chosen.version)


@st.cache_data(show_spinner=False, max_entries=32)
def dose_chart(chosen: Selection) -> Chart:
    """Return the doses of the selection on a timeline (counted per day/week/month when long)."""
    return dose_timeline_chart(dose_timeline_data(_doses(chosen), chosen.tz))


@st.cache_data(show_spinner=False, max_entries=32)
def adherence(chosen: Selection) -> tuple[pd.DataFrame, pd.DataFrame, Chart]:
    """Return (adherence per medicine and week, per medicine over the period, its chart)."""
    weekly = weekly_adherence(_medicines(chosen), _doses(chosen), chosen.tz, utcnow(), chosen.start)
    return weekly, adherence_by_medicine(weekly), adherence_chart(weekly)


def has_medicines(chosen: Selection) -> bool:
    return bool(_medicines(chosen))


def history_for_export(chosen: Selection, today: date) -> MedicineHistory:
    """Return the medicine list and every dose for the downloads."""
    return MedicineHistory(tuple(_medicines(chosen)), _doses(chosen), today)
