"""Daily reminders, sent for real to an SMTP server on 127.0.0.1."""

import socket
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from tracker.alerts.reminders import due_reminders, run_reminders, send_reminders
from tracker.care_team.access import LOCAL
from tracker.diary.entries import store_check_in
from tracker.diary.patients import add_patient
from tracker.diary.validation import EntryInput
from tracker.notify.transport import NotifySettings, SmtpSettings
from tracker.storage.tables import Alert, Contact, Delivery

SYDNEY = "Australia/Sydney"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def inbox_and_settings():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield (
        inbox,
        NotifySettings(SmtpSettings("127.0.0.1", port, "tracker@example.org", security="none"), "000"),
    )
    controller.stop()


def contact(session, patient, reminders=True, alerts=False, address=None, created_at=None):
    address = address or f"{patient.name.lower()}@example.org"
    session.add(
        Contact(
            patient_id=patient.id,
            kind="email",
            address=address,
            reminders=reminders,
            alerts=alerts,
            created_at=created_at or datetime(2026, 11, 1, tzinfo=UTC),
            confirmed_at=datetime(2026, 11, 1, tzinfo=UTC),
        )
    )


def check_in(session, patient, when):
    store_check_in(session, LOCAL, patient.id, [EntryInput("Cough", 2, when)], now=when)


def test_only_patients_with_reminders_on_and_no_check_in_today_are_due(session, now):
    due, done, off = (
        add_patient(session, LOCAL, "Ada"),
        add_patient(session, LOCAL, "Bob"),
        add_patient(session, LOCAL, "Cy"),
    )
    contact(session, due)
    contact(session, done)
    contact(session, off, reminders=False)
    check_in(session, due, now - timedelta(days=1))
    check_in(session, done, now - timedelta(hours=1))
    assert [p.name for p in due_reminders(session, LOCAL, now.date(), "UTC")] == ["Ada"]


def test_today_is_the_patients_local_day(session):
    patient = add_patient(session, LOCAL, "Ada")
    contact(session, patient)
    check_in(session, patient, datetime(2026, 11, 25, 12, 30, tzinfo=UTC))  # 23:30 on the 25th in Sydney
    assert due_reminders(session, LOCAL, datetime(2026, 11, 25).date(), SYDNEY) == []
    assert len(due_reminders(session, LOCAL, datetime(2026, 11, 26).date(), SYDNEY)) == 1


def test_a_reminder_goes_out_once_a_day_however_often_the_job_runs(factory, inbox_and_settings, now):
    inbox, settings = inbox_and_settings
    with factory.begin() as session:
        contact(session, add_patient(session, LOCAL, "Ada"))
    assert send_reminders(factory, settings, now, "UTC").sent == 1
    assert send_reminders(factory, settings, now + timedelta(hours=6), "UTC").sent == 0
    assert send_reminders(factory, settings, now + timedelta(days=1), "UTC").sent == 1
    assert [m["To"] for m in inbox.messages] == ["ada@example.org"] * 2
    assert "call 000" in inbox.messages[0].get_content()
    with factory.begin() as session:
        references = session.scalars(select(Delivery.reference).order_by(Delivery.id)).all()
    assert references == ["reminder 2026-11-25", "reminder 2026-11-26"]


def test_no_reminder_after_the_patient_has_checked_in(factory, inbox_and_settings, now):
    inbox, settings = inbox_and_settings
    with factory.begin() as session:
        patient = add_patient(session, LOCAL, "Ada")
        contact(session, patient)
        check_in(session, patient, now - timedelta(hours=2))
    assert send_reminders(factory, settings, now, "UTC").sent == 0
    assert inbox.messages == []


def test_the_daily_job_reminds_and_alerts_on_days_without_a_check_in(
    engine, factory, inbox_and_settings, now
):
    inbox, settings = inbox_and_settings
    with factory.begin() as session:
        patient = add_patient(session, LOCAL, "Ada")
        contact(session, patient)
        contact(session, patient, reminders=False, alerts=True, address="nurse@example.org")
        check_in(session, patient, now - timedelta(days=4))
    url = engine.url.render_as_string(hide_password=False)
    assert run_reminders(url, settings, now, "UTC") == 1
    assert run_reminders(url, settings, now + timedelta(hours=8), "UTC") == 0
    assert sorted((m["To"], m["Subject"]) for m in inbox.messages) == [
        ("ada@example.org", "Time for today's check-in"),
        ("nurse@example.org", "No check-in for a few days"),
    ]
    with factory.begin() as session:
        assert session.scalars(select(Alert.rule)).all() == ["no_check_in"]
