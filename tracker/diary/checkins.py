"""Log a check-in end to end: validate, match, read history context, assess, store."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.alerts.rules import AlertRule, RuleKind, default_alert_rules
from tracker.alerts.store import previous_severities, record_check_in_alerts
from tracker.care_team.access import Actor, Permission, require
from tracker.diary.entries import AnswerInput, Recommendation, store_check_in
from tracker.diary.profile_facts import profile_facts_of
from tracker.diary.validation import (
    EntryInput,
    FactorInput,
    clean_text,
    require_valid_entries,
    valid_id,
    zone_error,
)
from tracker.errors import NotFoundError, ValidationError
from tracker.levels import TriageLevel
from tracker.measures.presets import TEMPERATURE_PRESETS
from tracker.measures.units import convert
from tracker.storage.tables import Alert, CheckIn, Measure, MeasureValue, Patient, SymptomEntry, utcnow
from tracker.triage.context import SymptomContext

if TYPE_CHECKING:  # the triager is passed in: importing it would load scikit-learn for History
    from tracker.triage.engine import Assessment, Triager

# Context looks back this far: long enough for "recurring", short enough to stay one index scan.
CONTEXT_LOOKBACK = timedelta(days=90)


@dataclass(frozen=True)
class LoggedCheckIn:
    """What the Log form shows after a save."""

    check_in_id: int
    entry_ids: tuple[int, ...]
    assessment: "Assessment"


@dataclass(frozen=True)
class Reassessed:
    """A stored check-in assessed again after an edit: the advice it had, the advice it has now."""

    check_in_id: int
    previous_level: TriageLevel | None
    assessment: "Assessment"
    alerts: int  # alerts opened, updated or escalated by it

    @property
    def level_changed(self) -> bool:
        return self.previous_level is not self.assessment.level

    @property
    def sentence(self) -> str:
        """Return what the page says about it, e.g. "… is now “Urgent care” (it was “Manage at home”)."""
        now = f"“{self.assessment.level.label}”"
        advice = "The advice for this check-in was checked again"
        if self.level_changed and self.previous_level is not None:
            advice += f": it is now {now} (it was “{self.previous_level.label}”)."
        else:
            advice += f": still {now}." if self.previous_level is not None else f": {now}."
        if self.alerts:
            advice += " The care team's alerts were updated: see Alerts."
        return advice


@dataclass(frozen=True)
class _Assessed:
    """A check-in's assessment and what the alert rules need from it."""

    assessment: "Assessment"
    canonical: list[str | None]
    severities: dict[str, int]
    context: dict[str, SymptomContext]


@dataclass(frozen=True)
class PastReport:
    """One earlier report of a symptom, as the history context needs it."""

    symptom: str
    severity: int
    occurred_at: datetime


def symptom_severities(names: Sequence[str], entries: Sequence[EntryInput]) -> dict[str, int]:
    """Return name -> worst severity in this check-in (a symptom given twice counts once)."""
    worst: dict[str, int] = {}
    for name, entry in zip(names, entries, strict=True):
        worst[name] = max(worst.get(name, 0), int(entry.severity))
    return worst


def history_context(
    past: Sequence[PastReport], current: Mapping[str, int], now: datetime, tz: str
) -> dict[str, SymptomContext]:
    """Return the history context of each symptom in `current` from earlier reports.

    Days are the patient's local days: a symptom logged at 23:30 and 00:30 is two days in a row.
    """
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    contexts: dict[str, SymptomContext] = {}
    for symptom, severity in current.items():
        reports = sorted((r for r in past if r.symptom == symptom), key=lambda r: r.occurred_at)
        days = {r.occurred_at.astimezone(zone).date() for r in reports}
        streak = _streak_ending(today, days | {today})
        change = severity - reports[-1].severity if reports else None
        recurrent = any(day < today - timedelta(days=streak) for day in days)
        contexts[symptom] = SymptomContext(days_in_row=streak, change=change, recurrent=recurrent)
    return contexts


def _streak_ending(day: date, days: set[date]) -> int:
    streak = 0
    while day - timedelta(days=streak) in days:
        streak += 1
    return streak


def past_reports(
    session: Session,
    actor: Actor,
    patient_id: int,
    symptoms: Sequence[str],
    now: datetime,
    excluding: int | None = None,
) -> list[PastReport]:
    """Return the patient's reports of `symptoms` in the look-back window before `now`.

    `excluding` leaves out one check-in's own entries (a stored check-in assessed again).
    """
    require(session, actor, patient_id)
    query = select(SymptomEntry.symptom, SymptomEntry.severity, SymptomEntry.occurred_at).where(
        SymptomEntry.patient_id == patient_id,
        SymptomEntry.symptom.in_(list(symptoms)),
        SymptomEntry.occurred_at >= now - CONTEXT_LOOKBACK,
        SymptomEntry.occurred_at <= now,
    )
    if excluding is not None:
        query = query.where(SymptomEntry.check_in_id != excluding)
    return [PastReport(*row) for row in session.execute(query)]


def log_check_in(
    session: Session,
    actor: Actor,
    patient_id: int,
    entries: Sequence[EntryInput],
    triager: "Triager",
    tz: str = "UTC",
    now: datetime | None = None,
    factors: Sequence[FactorInput] = (),
    answers: Mapping[str, str] | None = None,
    temperature_c: float | None = None,
) -> LoggedCheckIn:
    """Validate, assess (with the history, facts and `answers`) and store a check-in, all or nothing.

    `answers` maps follow-up question ids to yes, no or not sure; they are stored with the check-in.
    `temperature_c` (a body temperature measured with it) is read by the triage as a fever from 38 °C.
    Raises ValidationError naming each bad field, or NotFoundError for an unknown patient.
    """
    now = now or utcnow()
    if message := zone_error(tz):
        raise ValidationError({"tz": message})
    require_valid_entries(list(entries), now)
    given = answer_inputs(triager, answers)
    patient = require(session, actor, patient_id, Permission.WRITE)
    found = _assess(
        session,
        actor,
        patient_id,
        entries,
        triager,
        tz,
        now,
        patient,
        answers=answers,
        temperature_c=temperature_c,
    )
    check_in = store_check_in(
        session,
        actor,
        patient_id,
        entries,
        canonical=found.canonical,
        recommendation=_recommendation(found.assessment),
        now=now,
        factors=factors,
        answers=given,
    )
    logged = LoggedCheckIn(check_in.id, tuple(entry.id for entry in check_in.entries), found.assessment)
    _record_alerts(session, actor, patient_id, logged, found, now, min(e.occurred_at for e in entries), tz)
    return logged


def preview_check_in(
    session: Session,
    actor: Actor,
    patient_id: int,
    entries: Sequence[EntryInput],
    triager: "Triager",
    tz: str = "UTC",
    now: datetime | None = None,
    answers: Mapping[str, str] | None = None,
) -> "Assessment":
    """Return the advice a check-in would get if saved now (history, facts, answers); nothing is stored.

    The Log form shows it, with its follow-up questions, before Save. Raises ValidationError or
    NotFoundError as `log_check_in` would.
    """
    now = now or utcnow()
    require_valid_entries(list(entries), now)
    patient = require(session, actor, patient_id)
    return _assess(session, actor, patient_id, entries, triager, tz, now, patient, answers=answers).assessment


def reassess_check_in(
    session: Session,
    actor: Actor,
    patient_id: int,
    check_in_id: int,
    triager: "Triager",
    tz: str = "UTC",
    now: datetime | None = None,
) -> Reassessed:
    """Assess a stored check-in again (after its entries were edited): store the new advice, run the alerts.

    The history context is what came before the check-in, as when it was logged. Editing an old entry
    is not a new check-in, so it does not end a no-check-in alert. Raises NotFoundError.
    """
    now = now or utcnow()
    patient = require(session, actor, patient_id, Permission.WRITE)
    check_in = session.get(CheckIn, check_in_id) if valid_id(check_in_id) else None
    if check_in is None or check_in.patient_id != patient_id or not check_in.entries:
        raise NotFoundError(f"There is no check-in {check_in_id} for this patient.")
    stored = [EntryInput(e.symptom_text, e.severity, e.occurred_at, e.note) for e in check_in.entries]
    at = max(entry.occurred_at for entry in stored)
    answers = {answer.question_id: answer.answer for answer in check_in.answers}
    measured = _stored_temperature(session, check_in.id)
    found = _assess(
        session,
        actor,
        patient_id,
        stored,
        triager,
        tz,
        at,
        patient,
        check_in.id,
        _known(triager, answers),
        temperature_c=measured,
    )
    previous_level = TriageLevel(check_in.level) if check_in.level in set(TriageLevel) else None
    recommendation = _recommendation(found.assessment)
    check_in.level, check_in.advice = recommendation.level, recommendation.advice
    check_in.confidence, check_in.model_version = recommendation.confidence, recommendation.model_version
    logged = LoggedCheckIn(check_in.id, tuple(e.id for e in check_in.entries), found.assessment)
    rules = tuple(rule for rule in default_alert_rules() if rule.kind is not RuleKind.MISSED)
    touched = _record_alerts(session, actor, patient_id, logged, found, now, at, tz, rules)
    return Reassessed(check_in.id, previous_level, found.assessment, len(touched))


def _stored_temperature(session: Session, check_in_id: int) -> float | None:
    """Return the highest body temperature (°C) logged with the check-in, so a re-assessment keeps it."""
    query = (
        select(MeasureValue.value, Measure.unit)
        .join(Measure, Measure.id == MeasureValue.measure_id)
        .where(MeasureValue.check_in_id == check_in_id, Measure.preset.in_(TEMPERATURE_PRESETS))
    )
    return max((convert(value, unit, "°C") for value, unit in session.execute(query)), default=None)


def _assess(
    session: Session,
    actor: Actor,
    patient_id: int,
    entries: Sequence[EntryInput],
    triager: "Triager",
    tz: str,
    at: datetime,
    patient: Patient,
    excluding: int | None = None,
    answers: Mapping[str, str] | None = None,
    temperature_c: float | None = None,
) -> _Assessed:
    """Return the assessment of `entries` with the patient's history before `at` and facts as of `at`."""
    typed = [clean_text(entry.symptom) for entry in entries]
    canonical = [triager.vocabulary.match(text).canonical for text in typed]
    names = [name or text for name, text in zip(canonical, typed, strict=True)]
    severities = symptom_severities(names, entries)
    past = past_reports(session, actor, patient_id, list(severities), at, excluding)
    context = history_context(past, severities, at, tz)
    notes = " ".join(entry.note for entry in entries if entry.note)
    typed_severities = symptom_severities(typed, entries)
    assessment = triager.assess(
        typed_severities,
        _context_by_typed(typed, names, context),
        note=notes,
        # age, pregnancy, conditions as of `at`, and a temperature measured with the check-in
        patient=replace(profile_facts_of(patient).facts_at(at), temperature_c=temperature_c),
        answers=answers,
    )
    return _Assessed(assessment, canonical, severities, context)


def answer_inputs(triager: "Triager", answers: Mapping[str, str] | None) -> list[AnswerInput]:
    """Return the answers to store, with the words asked. Raises ValidationError for an unknown one."""
    book = triager.question_book
    return [
        AnswerInput(key, book.by_id[key].concept, book.by_id[key].text, str(answer))
        for key, answer in book.answers(answers).items()
    ]


def _known(triager: "Triager", answers: Mapping[str, str]) -> dict[str, str]:
    """Return the stored answers whose question still exists (one dropped from the table is skipped)."""
    return {key: answer for key, answer in answers.items() if key in triager.question_book.by_id}


def _record_alerts(
    session: Session,
    actor: Actor,
    patient_id: int,
    logged: LoggedCheckIn,
    found: _Assessed,
    now: datetime,
    occurred_at: datetime,
    tz: str,
    rules: Sequence[AlertRule] | None = None,
) -> list[Alert]:
    """Run the alert rules for a check-in just stored or re-assessed; return the alerts touched."""
    previous = previous_severities(found.severities, found.context)
    return record_check_in_alerts(
        session, actor, patient_id, logged, found.severities, previous, now, rules, occurred_at, tz
    )


def _recommendation(assessment: "Assessment") -> Recommendation:
    return Recommendation(
        level=str(assessment.level),
        advice=assessment.advice,
        confidence=assessment.confidence,
        model_version=assessment.model_version,
    )


def _context_by_typed(
    typed: Sequence[str], names: Sequence[str], context: Mapping[str, SymptomContext]
) -> dict[str, SymptomContext]:
    """Key the context by canonical name and by the text as typed, so either lookup works."""
    keyed = dict(context)
    for text, name in zip(typed, names, strict=True):
        keyed.setdefault(text, context[name])
    return keyed


def latest_assessment(session: Session, actor: Actor, patient_id: int) -> CheckIn | None:
    """Return the patient's most recent check-in (with its stored advice), if any."""
    require(session, actor, patient_id)
    query = select(CheckIn).where(CheckIn.patient_id == patient_id).order_by(CheckIn.id.desc()).limit(1)
    return session.scalar(query)
