"""Daily check-in reminders, one a contact a day however often the job runs (`python -m tracker remind`)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker.alerts.store import check_missed_check_ins
from tracker.care_team.access import SYSTEM, Actor, visible_patients_query
from tracker.medicines.reminders import send_dose_reminders
from tracker.notify.queue import add_delivery_once
from tracker.notify.worker import NotifySettings, Purpose, SendReport, message_id, send_due, send_pending
from tracker.storage.engine import create_db_engine, session_factory, write_with_retry
from tracker.storage.tables import CheckIn, Contact, Patient

REMINDER_SUBJECT = "Time for today's check-in"


def due_reminders(session: Session, actor: Actor, today_local: date, tz: str) -> list[Patient]:
    """Return `actor`'s patients with a reminders-on contact and no check-in on `today_local` (in `tz`)."""
    start, end = (
        datetime.combine(day, time(), ZoneInfo(tz)) for day in (today_local, today_local + timedelta(1))
    )
    checked_in = select(CheckIn.id).where(
        CheckIn.patient_id == Patient.id, CheckIn.logged_at >= start, CheckIn.logged_at < end
    )
    wants = select(Contact.id).where(
        Contact.patient_id == Patient.id, Contact.reminders, Contact.confirmed_at.is_not(None)
    )
    return list(
        session.scalars(
            visible_patients_query(actor).where(wants.exists(), ~checked_in.exists()).order_by(Patient.id)
        )
    )


def reminder_message(patient: str, emergency: str) -> tuple[str, str]:
    """Return (subject, body) of the daily reminder."""
    body = (
        f"Hello {patient},\n\nThis is your reminder to log how you are today in the Patient Symptom Tracker. "
        "It takes a minute, and it helps your care team spot changes early.\n\n"
        f"If you feel much worse or think it is an emergency, call {emergency} now."
    )
    return REMINDER_SUBJECT, body


def send_reminders(
    factory: sessionmaker[Session], settings: NotifySettings, now: datetime, tz: str
) -> SendReport:
    """Create and send today's reminder to each reminders contact of every patient due one.

    The reference "reminder YYYY-MM-DD" (the day in `tz`) makes a second run that day send nothing new;
    it only retries a reminder that failed, while the patient still has not checked in.
    """
    today = now.astimezone(ZoneInfo(tz)).date()
    reference = f"reminder {today.isoformat()}"

    def create(session: Session) -> list[int]:
        patients = {patient.id: patient.name for patient in due_reminders(session, SYSTEM, today, tz)}
        query = (
            select(Contact)
            .where(Contact.patient_id.in_(patients), Contact.reminders, Contact.confirmed_at.is_not(None))
            .order_by(Contact.id)
        )
        contacts = list(session.scalars(query))
        for contact in contacts:
            subject, body = reminder_message(patients[contact.patient_id], settings.emergency)
            stable_id = message_id(settings)
            add_delivery_once(
                session, contact.id, Purpose.REMINDER, reference, subject, body, now, None, stable_id
            )
        return [contact.id for contact in contacts]

    contact_ids, _ = write_with_retry(factory, create)
    return send_due(factory, settings, now, Purpose.REMINDER, reference, contact_ids)


def run_reminders(url: str, settings: NotifySettings, now: datetime, tz: str) -> int:
    """Run the daily job on the database at `url`; return how many reminders were sent.

    Opens no-check-in alerts for patients silent too long, sends today's reminders and those of doses
    due (each profile in its own zone, else `tz`), then any alert notification still due.
    """
    engine = create_db_engine(url)
    try:
        factory = session_factory(engine)
        write_with_retry(factory, lambda session: check_missed_check_ins(session, SYSTEM, now))
        sent = send_reminders(factory, settings, now, tz).sent
        sent += send_dose_reminders(factory, settings, SYSTEM, now, tz).sent
        send_pending(factory, settings, now)
        return sent
    finally:
        engine.dispose()
