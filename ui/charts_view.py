"""Cached chart building for the pages: entries come from the cache, charts are built in tracker.charts."""

from collections.abc import Callable
from datetime import date, datetime, timedelta

import altair as alt
import pandas as pd
import streamlit as st

from tracker import charts, factors, trends
from tracker.models import utcnow
from tracker.table_edits import editable_entries
from tracker.validation import local_now
from ui import resources

RECENT_DAYS = 30
CALENDAR_MAX_DAYS = 120  # wider than this a day column is thinner than a finger on a phone
Builder = Callable[[pd.DataFrame, str, datetime, int], alt.TopLevelMixin]
BUILDERS: dict[str, Builder] = {
    "recent": lambda frame, tz, now, days: charts.recent_chart(frame, tz, now=now),
    "timeline": lambda frame, tz, now, days: charts.timeline_chart(frame, tz),
    "calendar": lambda frame, tz, now, days: charts.calendar_chart(
        frame, tz, min(days, CALENDAR_MAX_DAYS), now
    ),
    "year": lambda frame, tz, now, days: charts.year_heatmap(frame, tz, now),
    "rolling": lambda frame, tz, now, days: charts.rolling_chart(frame, tz),
    "days": lambda frame, tz, now, days: charts.days_per_symptom_chart(frame, tz),
    "distribution": lambda frame, tz, now, days: charts.severity_distribution_chart(frame),
    "weekday_hour": lambda frame, tz, now, days: charts.weekday_hour_chart(frame, tz),
    "cooccurrence": lambda frame, tz, now, days: charts.cooccurrence_chart(frame, tz),
}


def day_start(tz: str, days_ago: int) -> datetime:
    """Return local midnight `days_ago` days back: a stable cache key for the whole day."""
    return local_now(tz).replace(hour=0, minute=0) - timedelta(days=days_ago)


@st.cache_data(show_spinner=False, max_entries=256)
def chart(
    name: str,
    url: str,
    patient_id: int,
    start: datetime | None,
    end: datetime | None,
    symptoms: tuple[str, ...],
    version: tuple[int, int],
    tz: str,
    today: date,
) -> alt.TopLevelMixin:
    """Return chart `name` for the filtered entries; cached until the data, filters or day change."""
    frame = resources.entries(url, patient_id, start, end, symptoms, version)
    now = utcnow()
    days = (now - start).days + 1 if start else CALENDAR_MAX_DAYS
    return BUILDERS[name](frame, tz, now, days)


@st.cache_data(show_spinner=False, max_entries=64)
def summary(
    url: str, patient_id: int, symptoms: tuple[str, ...], version: tuple[int, int], tz: str, today: date
) -> trends.Summary:
    """Return the headline tiles over the last 14 days (this week against the one before)."""
    frame = resources.entries(url, patient_id, day_start(tz, 15), None, symptoms, version)
    return trends.summary_metrics(frame, tz, utcnow())


@st.cache_data(show_spinner=False, max_entries=64)
def verdicts(
    url: str,
    patient_id: int,
    start: datetime | None,
    symptoms: tuple[str, ...],
    version: tuple[int, int],
    tz: str,
    window_days: int,
    today: date,
) -> list[trends.TrendVerdict]:
    """Return the per-symptom trend verdicts for the chosen window."""
    frame = resources.entries(url, patient_id, start, None, symptoms, version)
    return trends.trend_verdicts(frame, tz, utcnow(), window_days)


@st.cache_data(show_spinner=False, max_entries=32)
def table(
    url: str,
    patient_id: int,
    start: datetime | None,
    end: datetime | None,
    symptoms: tuple[str, ...],
    version: tuple[int, int],
    tz: str,
) -> tuple[pd.DataFrame, int]:
    """Return (the newest rows for the editor, how many entries the range holds)."""
    frame = resources.entries(url, patient_id, start, end, symptoms, version)
    return editable_entries(frame, tz), len(frame)


def show(
    name: str,
    patient_id: int,
    tz: str,
    start: datetime | None = None,
    end: datetime | None = None,
    symptoms: tuple[str, ...] = (),
    version: tuple[int, int] | None = None,
) -> None:
    """Build (or reuse) chart `name` and draw it at the container's width."""
    url = resources.database_url()
    version = version or resources.version(url, patient_id)
    built = chart(name, url, patient_id, start, end, symptoms, version, tz, local_now(tz).date())
    st.altair_chart(built, width="stretch", key=f"chart_{name}")


def recent_history(patient_id: int, tz: str) -> None:
    """Show the compact chart of the last 30 days (includes what was just logged)."""
    show("recent", patient_id, tz, start=day_start(tz, RECENT_DAYS))


@st.cache_data(show_spinner=False, max_entries=32)
def factor_patterns(
    url: str,
    patient_id: int,
    start: datetime | None,
    end: datetime | None,
    symptoms: tuple[str, ...],
    version: tuple[int, int],
    tz: str,
) -> tuple[list[factors.FactorFinding], alt.TopLevelMixin]:
    """Return the factor findings for the filtered entries and their chart."""
    frame = resources.entries(url, patient_id, start, end, symptoms, version)
    found = factors.factor_findings(frame, resources.factors(url, patient_id, start, end, version), tz)
    return found, factors.factor_chart(found)
