"""Cached resources: one engine and one triager per process, chart data per patient."""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tracker import config
from tracker.alerts.inbox import alert_lines, count_inbox, inbox, inbox_fingerprint
from tracker.care_team.access import Actor
from tracker.care_team.contacts import ContactState
from tracker.care_team.contacts import contact_states as list_contacts_states
from tracker.care_team.sharing import ShareView, list_shares
from tracker.diary.entries import (
    entries_version,
    factor_names,
    list_entries,
    logged_symptoms,
    recent_symptoms,
)
from tracker.diary.patients import ensure_default_patient
from tracker.diary.preferences import Preferences, get_preferences
from tracker.diary.profile_facts import get_profile_facts
from tracker.errors import NotFoundError, TrackerError
from tracker.medicines.doses import factors_with_doses
from tracker.notify.transport import NotifySettings, notify_settings
from tracker.notify.worker import BackgroundSender, start_background_sender
from tracker.storage.engine import create_db_engine, session_factory
from tracker.triage.patient import ProfileFacts

if TYPE_CHECKING:  # loaded on the pages that use them: the model card and outcomes read the vocabulary
    from tracker.care_team.outcomes import OutcomeView
    from tracker.triage.engine import Triager


def secrets() -> dict[str, object]:
    """Return st.secrets as a dict ({} when there is no secrets file)."""
    try:
        return dict(st.secrets)
    except Exception:  # no secrets.toml: Streamlit raises on first access
        return {}


def database_url() -> str:
    return config.database_url(secrets())


@st.cache_resource(show_spinner="Opening the database…")
def engine(url: str) -> Engine:
    return create_db_engine(url)


@st.cache_resource(show_spinner="Loading the triage model…")
def triager() -> "Triager":
    # Imported here: scikit-learn takes a second or two to import, and only Log and Data need it.
    from tracker.triage.engine import default_triager

    return default_triager()


def notifier(url: str) -> BackgroundSender | None:
    """Return this process's background sender of alert notifications, starting it on the first call.

    app.py calls it on every run, so sending starts with the app (not with the first check-in) and
    a sender that stopped is started again; `start_background_sender` keeps one per process and
    database. None when the notification settings are unusable: alerts are stored and shown, not sent.
    """
    try:
        return start_background_sender(_factory(url), notify_settings(secrets()))
    except TrackerError:
        return None


def notification_settings() -> NotifySettings:
    """Return the notification settings (SMTP, channel rules). Raises ValidationError when unusable."""
    return notify_settings(secrets())


def sessions() -> sessionmaker[Session]:
    """Return the session factory for the configured database."""
    return _factory(database_url())


@st.cache_resource
def _factory(url: str) -> sessionmaker[Session]:
    return session_factory(engine(url))


def patients(url: str, actor: Actor) -> list[tuple[int, str]]:
    """Return (id, name) of the profiles `actor` can see, creating "Me" where one is expected.

    Not cached: one indexed query, and a profile whose owner stopped sharing must vanish at once.
    """
    with _factory(url).begin() as session:
        return [(p.id, p.name) for p in ensure_default_patient(session, actor)]


def preferences(url: str, actor: Actor, patient_id: int | None) -> Preferences:
    """Return the region and time zone chosen for the profile, else by the person (none: defaults).

    Not cached: two primary-key reads, and a choice made in another tab must show on the next run.
    """
    with _factory(url).begin() as session:
        try:
            return get_preferences(session, actor, patient_id)
        except NotFoundError:  # a profile no longer shared: the person's own choice
            return get_preferences(session, actor, None)


def profile_facts(url: str, actor: Actor, patient_id: int) -> ProfileFacts:
    """Return what the profile records about the person (not cached: one small query, often edited)."""
    with _factory(url).begin() as session:
        return get_profile_facts(session, actor, patient_id)


def version(url: str, actor: Actor, patient_id: int) -> tuple[int, int]:
    """Return the patient's data version (one cheap indexed query): part of every cache key."""
    with _factory(url).begin() as session:
        return entries_version(session, actor, patient_id)


@st.cache_data(show_spinner=False, max_entries=64)
def entries(
    url: str,
    actor: Actor,
    patient_id: int,
    start: datetime | None = None,
    end: datetime | None = None,
    symptoms: tuple[str, ...] = (),
    version: tuple[int, int] = (0, 0),
) -> pd.DataFrame:
    """Return a patient's entries in a range; `version` makes another session's writes show up."""
    with _factory(url).begin() as session:
        return list_entries(session, actor, patient_id, start, end, symptoms or None)


@st.cache_data(show_spinner=False, max_entries=32)
def factors(
    url: str,
    actor: Actor,
    patient_id: int,
    start: datetime | None,
    end: datetime | None,
    version: tuple[int, int],
) -> pd.DataFrame:
    """Return the patient's check-in factors in a range (medicines, sleep, tags), as-needed doses too."""
    with _factory(url).begin() as session:
        return factors_with_doses(session, actor, patient_id, start, end)


@st.cache_data(show_spinner=False)
def symptoms_logged(url: str, actor: Actor, patient_id: int, version: tuple[int, int]) -> list[str]:
    """Return every symptom the patient has logged, most logged first."""
    with _factory(url).begin() as session:
        return logged_symptoms(session, actor, patient_id)


@st.cache_data(show_spinner=False)
def recent(url: str, actor: Actor, patient_id: int) -> list[str]:
    with _factory(url).begin() as session:
        return recent_symptoms(session, actor, patient_id)


@st.cache_data(show_spinner=False)
def factor_suggestions(
    url: str, actor: Actor, patient_id: int, kind: str, suggested: tuple[str, ...]
) -> list[str]:
    """Return the patient's own factor names of `kind` first, then the usual suggestions."""
    with _factory(url).begin() as session:
        return list(dict.fromkeys([*factor_names(session, actor, patient_id, kind), *suggested]))


def contact_states(url: str, actor: Actor, patient_id: int) -> list[ContactState]:
    """Return the patient's contacts and how each one's latest message went.

    Not cached: the background sender changes it at any time, and it is one small query.
    """
    with _factory(url).begin() as session:
        return list_contacts_states(session, actor, patient_id)


@st.cache_data(show_spinner=False, max_entries=16)
def outcomes(url: str, actor: Actor, patient_id: int) -> list["OutcomeView"]:
    """Return the outcomes recorded for the profile (cleared when one is recorded)."""
    from tracker.care_team.outcomes import list_outcomes

    with _factory(url).begin() as session:
        return list_outcomes(session, actor, patient_id)


def shares(url: str, actor: Actor, patient_id: int) -> list[ShareView]:
    """Return who the profile is shared with (not cached: it is read on the Settings page only)."""
    with _factory(url).begin() as session:
        return list_shares(session, actor, patient_id)


@dataclass(frozen=True)
class AlertView:
    id: int
    patient_id: int
    patient: str
    status: str
    message: str
    updated_at: datetime
    check_ins: int
    acknowledged_by: str | None
    resolved_by: str | None


@st.cache_data(show_spinner=False, max_entries=64)
def alerts(url: str, actor: Actor, statuses: tuple[str, ...], version: tuple[object, ...]) -> list[AlertView]:
    """Return the alerts of every profile `actor` can see, most recently changed first."""
    with _factory(url).begin() as session:
        return [
            AlertView(
                a.id,
                a.patient_id,
                name,
                a.status,
                a.message,
                a.updated_at,
                a.check_ins,
                a.acknowledged_by,
                a.resolved_by,
            )
            for a, name in inbox(session, actor, statuses)
        ]


@st.cache_data(show_spinner=False, max_entries=64)
def new_alert_count(url: str, actor: Actor, version: tuple[object, ...]) -> int:
    """Return how many alerts across `actor`'s profiles nobody has seen yet (for the sidebar badge)."""
    with _factory(url).begin() as session:
        return count_inbox(session, actor)


@st.cache_data(show_spinner=False, max_entries=16)
def alert_report_lines(
    url: str, actor: Actor, patient_id: int, tz: str, version: tuple[int, int]
) -> list[str]:
    """Return every alert of the patient as a sentence, for the PDF report."""
    with _factory(url).begin() as session:
        return alert_lines(session, actor, patient_id, tz)


def inbox_version(url: str, actor: Actor) -> tuple[object, ...]:
    """Return a fingerprint of the alerts `actor` can see (one query): the inbox's cache key."""
    with _factory(url).begin() as session:
        return inbox_fingerprint(session, actor)


def alerts_changed() -> None:
    """Forget cached alerts after one is acknowledged or resolved."""
    alerts.clear()
    new_alert_count.clear()
    alert_report_lines.clear()


def data_changed() -> None:
    """Forget cached chart data after a write, so every page shows the new entries at once."""
    entries.clear()
    recent.clear()
    symptoms_logged.clear()
    factor_suggestions.clear()
    outcomes.clear()
    alerts_changed()


@st.cache_resource
def symptom_options() -> list[str]:
    """Return the symptom choices: canonical names, then lay synonyms (shown with their name)."""
    vocabulary = triager().vocabulary
    return sorted(vocabulary.names) + sorted(
        set(vocabulary.synonyms) - {n.casefold() for n in vocabulary.names}
    )


@st.cache_resource
def symptom_labels() -> dict[str, str]:
    """Return how each option reads in the list: "tummy ache → Abdominal pain" for a synonym.

    One dictionary for the page to look in: a cached call per option (~5,700) was a third of a Log run's CPU.
    """
    synonyms = triager().vocabulary.synonyms
    return {
        option: f"{option} → {synonyms[option]}" if synonyms.get(option) else option
        for option in symptom_options()
    }


def match_caption(typed: str) -> str:
    """Return a line under the field saying how the typed text will be understood."""
    return triager().vocabulary.reading_caption(typed)


def nearest_symptoms(typed: str) -> list[str]:
    """Return up to three symptoms to pick instead of words that were not understood."""
    return triager().vocabulary.nearest(typed)


@st.cache_data(show_spinner=False)
def model_metadata() -> dict[str, Any] | None:
    """Return the metadata saved with the model in use."""
    model = triager().model
    return dict(model.metadata) if model is not None else None


@st.cache_data(show_spinner=False)
def model_evaluation() -> dict[str, Any] | None:
    """Return the development-set evaluation saved with the model, if any."""
    from tracker.triage.model_card import read_evaluation

    return read_evaluation()
