"""Dose reminders, sent for real to an SMTP server on 127.0.0.1: once per dose, quiet once it is logged,
in the profile's own time zone."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from tracker.alerts.reminders import run_reminders
from tracker.care_team.access import LOCAL, SYSTEM
from tracker.diary.patients import add_patient
from tracker.medicines.doses import log_dose
from tracker.medicines.medicine_list import add_medicine
from tracker.medicines.reminders import due_dose_reminders, send_dose_reminders
from tracker.medicines.schedule import DoseStatus, MedicineInput
from tracker.storage.tables import Contact, Delivery

EIGHT_UTC = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def profile_with_morning_dose(session, name="Ada", tz=None, reminders=True, as_needed=False):
    patient = add_patient(session, LOCAL, name)
    patient.time_zone = tz
    medicine = MedicineInput(
        "Sumatriptan", 50, "mg", "tablet", () if as_needed else (time(8),), as_needed, date(2026, 11, 1)
    )
    added = add_medicine(session, LOCAL, patient.id, medicine, date(2026, 11, 25))
    session.add(
        Contact(
            patient_id=patient.id,
            kind="email",
            address=f"{name.lower()}@example.org",
            reminders=reminders,
            alerts=False,
            confirmed_at=datetime(2026, 11, 1, tzinfo=UTC),
        )
    )
    return patient.id, added.id


def test_a_dose_is_reminded_once_however_often_the_job_runs(factory, smtp_inbox):
    with factory.begin() as session:
        profile_with_morning_dose(session)
    settings = smtp_inbox.settings
    assert send_dose_reminders(factory, settings, SYSTEM, EIGHT_UTC - timedelta(minutes=5), "UTC").sent == 0
    assert send_dose_reminders(factory, settings, SYSTEM, EIGHT_UTC + timedelta(minutes=5), "UTC").sent == 1
    for minutes in (20, 60, 120):
        assert (
            send_dose_reminders(factory, settings, SYSTEM, EIGHT_UTC + timedelta(minutes=minutes), "UTC").sent
            == 0
        )
    assert send_dose_reminders(factory, settings, SYSTEM, EIGHT_UTC + timedelta(days=1), "UTC").sent == 1
    assert [to for to, _ in smtp_inbox.messages] == [["ada@example.org"]] * 2
    body = smtp_inbox.bodies()[0]
    assert "Sumatriptan 50 mg (tablet) was planned for 08:00 (UTC)" in body and "call 999" in body


def test_no_reminder_once_the_dose_is_logged(factory, smtp_inbox):
    with factory.begin() as session:
        patient_id, medicine_id = profile_with_morning_dose(session)
        log_dose(
            session,
            LOCAL,
            patient_id,
            medicine_id,
            DoseStatus.TAKEN,
            EIGHT_UTC,
            "UTC",
            slot_at=EIGHT_UTC,
            now=EIGHT_UTC,
        )
    assert (
        send_dose_reminders(
            factory, smtp_inbox.settings, SYSTEM, EIGHT_UTC + timedelta(minutes=5), "UTC"
        ).sent
        == 0
    )
    assert smtp_inbox.messages == []


def test_a_failed_reminder_is_not_retried_after_the_dose_is_logged(factory, smtp_inbox):
    with factory.begin() as session:
        patient_id, medicine_id = profile_with_morning_dose(session)
    broken = smtp_inbox.settings.__class__(
        smtp_inbox.settings.smtp.__class__("127.0.0.1", 9, "tracker@example.org", security="none"), "999"
    )
    first = EIGHT_UTC + timedelta(minutes=5)
    assert send_dose_reminders(factory, broken, SYSTEM, first, "UTC").failed == 1
    with factory.begin() as session:
        log_dose(
            session,
            LOCAL,
            patient_id,
            medicine_id,
            DoseStatus.SKIPPED,
            EIGHT_UTC,
            "UTC",
            slot_at=EIGHT_UTC,
            now=first,
        )
    assert (
        send_dose_reminders(factory, smtp_inbox.settings, SYSTEM, first + timedelta(hours=1), "UTC").sent == 0
    )
    with factory.begin() as session:
        assert session.scalars(select(Delivery)).all() == []


def test_a_failed_reminder_is_not_retried_once_its_dose_time_is_long_past(factory, smtp_inbox):
    with factory.begin() as session:
        profile_with_morning_dose(session)
    broken = smtp_inbox.settings.__class__(
        smtp_inbox.settings.smtp.__class__("127.0.0.1", 9, "tracker@example.org", security="none"), "999"
    )
    first = EIGHT_UTC + timedelta(minutes=5)
    assert send_dose_reminders(factory, broken, SYSTEM, first, "UTC").failed == 1
    assert (
        send_dose_reminders(factory, smtp_inbox.settings, SYSTEM, first + timedelta(hours=5), "UTC").sent == 0
    )
    assert smtp_inbox.messages == []


def test_the_profiles_own_zone_decides_when_eight_oclock_is(factory, smtp_inbox):
    with factory.begin() as session:
        profile_with_morning_dose(
            session, "Ada", tz="Australia/Sydney"
        )  # 08:00 there is 21:00 UTC the day before
        profile_with_morning_dose(session, "Bob", tz="America/New_York")  # 08:00 there is 13:00 UTC
        profile_with_morning_dose(session, "Cy")  # no zone: the job's --tz
    settings = smtp_inbox.settings
    at = lambda day, hour: datetime(2026, 11, day, hour, 5, tzinfo=UTC)  # noqa: E731
    assert send_dose_reminders(factory, settings, SYSTEM, at(24, 21), "Europe/London").sent == 1
    assert send_dose_reminders(factory, settings, SYSTEM, at(25, 8), "Europe/London").sent == 1
    assert send_dose_reminders(factory, settings, SYSTEM, at(25, 13), "Europe/London").sent == 1
    assert [to[0] for to, _ in smtp_inbox.messages] == [
        "ada@example.org",
        "cy@example.org",
        "bob@example.org",
    ]
    assert "planned for 08:00 (Australia/Sydney)" in smtp_inbox.bodies()[0]


def test_only_confirmed_reminder_contacts_of_scheduled_medicines_are_reminded(session):
    profile_with_morning_dose(session, "Ada")
    profile_with_morning_dose(session, "Bob", reminders=False)
    profile_with_morning_dose(session, "Cy", as_needed=True)
    dee, _ = profile_with_morning_dose(session, "Dee")
    session.scalars(select(Contact).where(Contact.patient_id == dee)).one().confirmed_at = None
    found = due_dose_reminders(session, SYSTEM, EIGHT_UTC + timedelta(minutes=5), "UTC")
    assert [r.patient for r in found] == ["Ada"]
    assert found[0].reference == f"dose {found[0].due.medicine.id} 2026-11-25T08:00Z"
    assert due_dose_reminders(session, LOCAL, EIGHT_UTC - timedelta(hours=1), "UTC") == []


def test_the_remind_job_sends_dose_reminders_too(engine, factory, smtp_inbox):
    with factory.begin() as session:
        profile_with_morning_dose(session)
    url = engine.url.render_as_string(hide_password=False)
    sent = run_reminders(url, smtp_inbox.settings, EIGHT_UTC + timedelta(minutes=5), "UTC")
    subjects = sorted(message["Subject"] for _, message in smtp_inbox.messages)
    assert sent == 2 and subjects == ["Time for today's check-in", "Time for your medicine"]
