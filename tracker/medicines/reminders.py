"""Dose reminders: one message per contact and planned dose, in the profile's own time zone.

Run by `python -m tracker remind` (with the daily check-in reminders). The reference "dose MEDICINE
SLOT" makes every later run send nothing new for that dose; once the dose is logged (taken or
skipped) no reminder is created, and one still waiting for a retry is dropped (so is one whose dose
time is more than DUE_LATE ago).
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, sessionmaker

from tracker.care_team.access import Actor, visible_patients_query
from tracker.diary.validation import zone_error
from tracker.medicines.doses import DueDose, due_now
from tracker.medicines.schedule import DUE_LATE
from tracker.notify.queue import add_delivery_once
from tracker.notify.transport import DeliveryStatus, Purpose
from tracker.notify.worker import NotifySettings, SendReport, message_id, send_due
from tracker.storage.engine import write_with_retry
from tracker.storage.tables import Contact, Delivery, DoseEvent, Medicine, Patient, User

DOSE_SUBJECT = "Time for your medicine"


@dataclass(frozen=True)
class DoseReminder:
    patient_id: int
    patient: str
    due: DueDose
    tz: str

    @property
    def reference(self) -> str:
        """Return "dose 12 2026-11-25T08:00Z": one per medicine and planned time, whatever the zone."""
        return f"dose {self.due.medicine.id} {self.due.slot_at:%Y-%m-%dT%H:%MZ}"


def profile_zone(session: Session, patient: Patient, default_tz: str) -> str:
    """Return the zone the profile's clock reads: its own, else its owner's, else `default_tz`."""
    owner = session.get(User, patient.owner_id) if patient.owner_id is not None else None
    for zone in (patient.time_zone, owner.time_zone if owner else None):
        if zone and zone_error(zone) is None:
            return zone
    return default_tz


def due_dose_reminders(session: Session, actor: Actor, now: datetime, default_tz: str) -> list[DoseReminder]:
    """Return the planned doses whose time has come, not yet logged, of `actor`'s profiles with a
    reminders contact (each in the profile's zone)."""
    wants = select(Contact.id).where(
        Contact.patient_id == Patient.id, Contact.reminders, Contact.confirmed_at.is_not(None)
    )
    takes = select(Medicine.id).where(Medicine.patient_id == Patient.id, ~Medicine.as_needed)
    query = visible_patients_query(actor).where(wants.exists(), takes.exists()).order_by(Patient.id)
    found = []
    for patient in session.scalars(query):
        tz = profile_zone(session, patient, default_tz)
        found += [
            DoseReminder(patient.id, patient.name, due, tz)
            for due in due_now(session, actor, patient.id, now, tz)
            if due.slot_at <= now
        ]
    return found


def dose_message(reminder: DoseReminder, emergency: str) -> tuple[str, str]:
    """Return (subject, body): which medicine, the planned local time, and how to log it."""
    local = reminder.due.slot_at.astimezone(ZoneInfo(reminder.tz))
    medicine = reminder.due.medicine
    body = (
        f"Hello {reminder.patient},\n\n{medicine.label} ({medicine.form}) was planned for {local:%H:%M} "
        f"({reminder.tz}). When you have taken it, or decided to skip it, tap Taken or Skip on the Log page "
        "of the Patient Symptom Tracker: then no more reminders come for this dose.\n\n"
        f"If you feel much worse or think it is an emergency, call {emergency} now."
    )
    return DOSE_SUBJECT, body


def drop_logged(session: Session, now: datetime) -> int:
    """Delete dose reminders waiting to be (re)tried whose dose has since been logged, or whose time is
    past DUE_LATE (a retry then would be too late to help); return how many.

    One a sender holds right now (pending, tried) is left to finish: it is never pulled from under it.
    """
    waiting = session.execute(
        select(Delivery.id, Delivery.reference).where(
            Delivery.purpose == Purpose.DOSE,
            or_(
                Delivery.status == DeliveryStatus.FAILED,
                (Delivery.status == DeliveryStatus.PENDING) & (Delivery.attempts == 0),
            ),
        )
    ).all()
    dropped = [
        delivery_id
        for delivery_id, reference in waiting
        if _slot_of(reference) < now - DUE_LATE or _logged(session, reference)
    ]
    if dropped:
        session.execute(
            delete(Delivery).where(Delivery.id.in_(dropped)).execution_options(synchronize_session=False)
        )
    return len(dropped)


def _slot_of(reference: str) -> datetime:
    return datetime.strptime(reference.split(" ")[2], "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)


def _logged(session: Session, reference: str) -> bool:
    medicine = int(reference.split(" ")[1])
    query = select(DoseEvent.id).where(
        DoseEvent.medicine_id == medicine, DoseEvent.slot_at == _slot_of(reference)
    )
    return session.scalar(query) is not None


def send_dose_reminders(
    factory: sessionmaker[Session], settings: NotifySettings, actor: Actor, now: datetime, default_tz: str
) -> SendReport:
    """Create a reminder per reminders contact and planned dose now due, then send every one due.

    Safe to run often: a dose is reminded about once per contact (the delivery's unique reference);
    a failed send is retried only while the dose is still not logged.
    """

    def create(session: Session) -> list[int]:
        drop_logged(session, now)
        reminders = due_dose_reminders(session, actor, now, default_tz)
        contacts = session.execute(
            select(Contact.id, Contact.patient_id).where(
                Contact.patient_id.in_({r.patient_id for r in reminders}),
                Contact.reminders,
                Contact.confirmed_at.is_not(None),
            )
        ).all()
        for reminder in reminders:
            subject, body = dose_message(reminder, settings.emergency)
            for contact_id, patient_id in contacts:
                if patient_id == reminder.patient_id:
                    add_delivery_once(
                        session, contact_id, Purpose.DOSE, reminder.reference, subject, body, now, None,
                        message_id(settings),
                    )  # fmt: skip
        return [contact_id for contact_id, _ in contacts]

    write_with_retry(factory, create)
    return send_due(factory, settings, now, Purpose.DOSE)
