"""Period days stored: cycle tracking on or off per profile, a day's flow set or cleared, days listed.

Every function takes the acting user after the session and asks care_team.access first.
"""

from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker.care_team.access import Actor, Permission, require
from tracker.cycles.derive import Flow
from tracker.diary.entries import bump_revision
from tracker.errors import ValidationError
from tracker.storage.tables import PeriodDay, utcnow

FLOW_WORDS = {Flow.SPOTTING: "Spotting", Flow.LIGHT: "Light", Flow.MEDIUM: "Medium", Flow.HEAVY: "Heavy"}


def tracks_cycle(session: Session, actor: Actor, patient_id: int) -> bool:
    """Return whether the profile keeps period days (off until turned on in Settings)."""
    return bool(require(session, actor, patient_id).tracks_cycle)


def set_cycle_tracking(session: Session, actor: Actor, patient_id: int, on: bool) -> None:
    """Turn cycle tracking on or off; turning it off keeps the days already recorded."""
    patient = require(session, actor, patient_id, Permission.WRITE)
    patient.tracks_cycle = bool(on)
    bump_revision(session, actor, patient_id)


def record_period_day(
    session: Session, actor: Actor, patient_id: int, day: date, flow: Flow | str | None
) -> None:
    """Set the flow on `day` (None clears it). Raises ValidationError for a future day or unknown flow."""
    patient = require(session, actor, patient_id, Permission.WRITE)
    if not patient.tracks_cycle:
        raise ValidationError({"period": "Cycle tracking is off for this profile: turn it on in Settings."})
    # A day of grace: where the person lives it may already be tomorrow in UTC terms.
    if not isinstance(day, date) or day > (utcnow() + timedelta(days=1)).date():
        raise ValidationError({"period_day": "Please pick a day that is not in the future."})
    if flow is not None and flow not in set(Flow):
        raise ValidationError({"flow": "Flow is spotting, light, medium or heavy."})
    session.execute(delete(PeriodDay).where(PeriodDay.patient_id == patient_id, PeriodDay.day == day))
    if flow is not None:
        session.add(PeriodDay(patient_id=patient_id, day=day, flow=Flow(flow).value))
    session.flush()
    bump_revision(session, actor, patient_id)


def period_days(
    session: Session, actor: Actor, patient_id: int, start: date | None = None, end: date | None = None
) -> dict[date, Flow]:
    """Return day -> flow for the profile's period days with start <= day <= end."""
    require(session, actor, patient_id)
    query = select(PeriodDay.day, PeriodDay.flow).where(PeriodDay.patient_id == patient_id)
    if start is not None:
        query = query.where(PeriodDay.day >= start)
    if end is not None:
        query = query.where(PeriodDay.day <= end)
    return {day: Flow(flow) for day, flow in session.execute(query.order_by(PeriodDay.day))}
