"""Cached chart building for the pages: entries come from the cache, charts are built in tracker.charts."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import pandas as pd
import streamlit as st

from tracker.care_team.access import Actor
from tracker.charts import history as charts
from tracker.charts import measures as measure_charts
from tracker.charts.factors import factor_chart
from tracker.cycles.daily import cycle_factors
from tracker.cycles.derive import Flow
from tracker.diary.table_edits import editable_entries
from tracker.diary.validation import local_now
from tracker.errors import NotFoundError
from tracker.insights import factors, trends
from tracker.insights.analytics import local_days
from tracker.insights.periods import local_midnight
from tracker.measures.daily import chart_points, measure_factors
from tracker.storage.tables import utcnow
from ui import measures_view, resources, state

RECENT_DAYS = 30
SUMMARY_DAYS = 15  # this week against the one before, plus today
CALENDAR_MAX_DAYS = 120  # wider than this a day column is thinner than a finger on a phone
Builder = Callable[[pd.DataFrame, str, datetime, int], charts.Chart]
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


@dataclass(frozen=True)
class Selection:
    """What a page shows: whose entries, which period and symptoms, in which zone, at which version.

    Hashable, so it is the whole cache key: a write elsewhere bumps `version`, a new day bumps `today`.
    """

    url: str
    actor: Actor
    patient_id: int
    tz: str
    version: tuple[int, int]
    start: datetime | None = None
    end: datetime | None = None
    symptoms: tuple[str, ...] = ()
    today: date | None = None

    def entries(self) -> pd.DataFrame:
        return resources.entries(
            self.url, self.actor, self.patient_id, self.start, self.end, self.symptoms, self.version
        )


def selection(
    patient_id: int,
    tz: str,
    start: datetime | None = None,
    end: datetime | None = None,
    symptoms: tuple[str, ...] = (),
) -> Selection:
    """Return the selection for the configured database at the patient's current data version."""
    url, actor = resources.database_url(), state.actor()
    try:
        version = resources.version(url, actor, patient_id)
    except NotFoundError:  # sharing stopped, or the profile deleted, since the page was drawn
        st.info("This diary is no longer available to you.", icon=":material/lock:")
        st.stop()
    return Selection(url, actor, patient_id, tz, version, start, end, symptoms, local_now(tz).date())


def day_start(tz: str, days_ago: int) -> datetime:
    """Return local midnight `days_ago` days back: a stable cache key for the whole day."""
    return local_midnight(local_now(tz).date() - timedelta(days=days_ago), tz)


@st.cache_data(show_spinner=False, max_entries=256)
def chart(name: str, chosen: Selection) -> charts.Chart:
    """Return chart `name` for the selection; cached until the data, filters or day change."""
    now = utcnow()
    days = (now - chosen.start).days + 1 if chosen.start else CALENDAR_MAX_DAYS
    return BUILDERS[name](chosen.entries(), chosen.tz, now, days)


@st.cache_data(show_spinner=False, max_entries=64)
def summary(chosen: Selection) -> trends.Summary:
    """Return the headline tiles: this week against the one before (the period filter aside)."""
    since = day_start(chosen.tz, SUMMARY_DAYS)
    if chosen.end is None and (chosen.start is None or chosen.start <= since):
        # The period already holds these days (summary_metrics picks them): no second query.
        return trends.summary_metrics(chosen.entries(), chosen.tz, utcnow())
    recent = replace(chosen, start=since, end=None)
    return trends.summary_metrics(recent.entries(), chosen.tz, utcnow())


@st.cache_data(show_spinner=False, max_entries=64)
def verdicts(chosen: Selection, window_days: int) -> list[trends.TrendVerdict]:
    """Return the per-symptom trend verdicts for the chosen window."""
    return trends.trend_verdicts(replace(chosen, end=None).entries(), chosen.tz, utcnow(), window_days)


@st.cache_data(show_spinner=False, max_entries=32)
def table(chosen: Selection) -> tuple[pd.DataFrame, int]:
    """Return (the newest rows for the editor, how many entries the range holds)."""
    frame = chosen.entries()
    return editable_entries(frame, chosen.tz), len(frame)


@st.cache_data(show_spinner=False, max_entries=32)
def factor_patterns(
    chosen: Selection, max_lag: int = factors.MAX_LAG
) -> tuple[list[factors.FactorFinding], charts.Chart]:
    """Return the factor findings (lags 0..max_lag, with own measures and the cycle) and their chart."""
    recorded = resources.factors(
        chosen.url, chosen.actor, chosen.patient_id, chosen.start, chosen.end, chosen.version
    )
    entries = chosen.entries()
    values = measures_view.values(
        chosen.url, chosen.actor, chosen.patient_id, chosen.start, chosen.end, chosen.version
    )
    extra = measure_factors(values, chosen.tz)
    cycle = measures_view.cycle(chosen.url, chosen.actor, chosen.patient_id, chosen.version)
    if not cycle.empty and not entries.empty:
        days = sorted({day.date() for day in local_days(entries, chosen.tz)})
        periods = {day.date(): Flow(flow) for day, flow in cycle["flow"].items() if flow}
        extra = extra + cycle_factors(periods, days)
    lags = tuple(range(max_lag + 1))
    found = factors.factor_findings(entries, recorded, chosen.tz, lags=lags, extra=extra)
    return found, factor_chart(found)


@st.cache_data(show_spinner=False, max_entries=32)
def measure_chart(chosen: Selection, measure: str) -> charts.Chart:
    """Return the chart of one measure over the selection's period (daily means past 5,000 values)."""
    values = measures_view.values(
        chosen.url, chosen.actor, chosen.patient_id, chosen.start, chosen.end, chosen.version
    )
    return measure_charts.measure_chart(chart_points(values, chosen.tz), measure)


@st.cache_data(show_spinner=False, max_entries=32)
def cycle_calendar(chosen: Selection) -> charts.Chart:
    """Return the calendar with a row for period days."""
    now = utcnow()
    days = (now - chosen.start).days + 1 if chosen.start else CALENDAR_MAX_DAYS
    cycle = measures_view.cycle(chosen.url, chosen.actor, chosen.patient_id, chosen.version)
    return charts.calendar_chart(chosen.entries(), chosen.tz, min(days, CALENDAR_MAX_DAYS), now, cycle)


def show(name: str, chosen: Selection) -> None:
    """Build (or reuse) chart `name` and draw it at the container's width."""
    st.altair_chart(chart(name, chosen), width="stretch", key=f"chart_{name}")


def recent_history(patient_id: int, tz: str) -> None:
    """Show the compact chart of the last 30 days (includes what was just logged)."""
    show("recent", selection(patient_id, tz, start=day_start(tz, RECENT_DAYS)))
