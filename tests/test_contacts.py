"""Contacts: checked when added (with apprise itself), never twice, confirmed by a code, and honest
about how their latest message went. Every message goes to a real SMTP server on 127.0.0.1."""

from datetime import timedelta

import pytest
from helpers import NOW
from sqlalchemy import select, text

from tracker.care_team.access import LOCAL
from tracker.care_team.contacts import (
    add_contact,
    contact_states,
    list_contacts,
    remove_contact,
    status_words,
)
from tracker.diary.patients import add_patient
from tracker.errors import NotFoundError, ValidationError
from tracker.notify.confirmations import add_and_send_code, confirm_contact, send_code, send_test
from tracker.notify.transport import NotifySettings, SmtpSettings, plain_reason
from tracker.storage.engine import downgrade, upgrade
from tracker.storage.tables import Contact

pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")  # inside apprise
TELEGRAM = "tgram://123456789:abcdefg_hijklmnop/12345"
EMAIL_ON = NotifySettings(SmtpSettings("127.0.0.1", 2525, "tracker@example.org", security="none"))


@pytest.fixture
def patient(session):
    return add_patient(session, LOCAL, "Ada")


def code_in(inbox, index=-1):
    body = inbox.bodies()[index]
    return body.split("give them this code: ")[1].split()[0]


def confirmed_contact(factory, patient_id, inbox, now, address="nurse@example.org"):
    contact_id, failed = add_and_send_code(factory, LOCAL, patient_id, "email", address, inbox.settings, now)
    assert failed is None
    with factory.begin() as session:
        assert confirm_contact(session, LOCAL, patient_id, contact_id, code_in(inbox), now) is None
    return contact_id


def test_contacts_are_added_and_listed(session, patient):
    add_contact(
        session, LOCAL, patient.id, "email", " Nurse@Clinic.example ", settings=EMAIL_ON, reminders=True
    )
    add_contact(session, LOCAL, patient.id, "apprise", TELEGRAM, settings=EMAIL_ON)
    contacts = list_contacts(session, LOCAL, patient.id)
    assert [(c.kind, c.address, c.reminders, c.confirmed_at) for c in contacts] == [
        ("email", "nurse@clinic.example", True, None),
        ("apprise", TELEGRAM, False, None),
    ]


@pytest.mark.parametrize(
    ("kind", "address"),
    [
        ("email", "not-an-address"),
        ("email", ""),
        ("apprise", "just text"),
        ("fax", "123"),
        ("email", "a@b." + "c" * 600),
    ],
)
def test_unusable_addresses_are_refused(session, patient, kind, address):
    with pytest.raises(ValidationError):
        add_contact(session, LOCAL, patient.id, kind, address, settings=EMAIL_ON)
    assert list_contacts(session, LOCAL, patient.id) == []


def test_an_email_contact_is_refused_while_no_email_server_is_set_up(session, patient):
    with pytest.raises(ValidationError, match="E-mail is not set up"):
        add_contact(session, LOCAL, patient.id, "email", "nurse@example.org", settings=NotifySettings())
    assert list_contacts(session, LOCAL, patient.id) == []


@pytest.mark.parametrize(
    "url",
    [
        "tgram://token/chat",  # not a bot token: apprise cannot use it
        "pover://onlyuser",
        "discord://12345",
        "gotify://host.example",
        "slack://abc",
    ],
)
def test_a_channel_apprise_cannot_use_is_refused(session, patient, url):
    with pytest.raises(ValidationError, match="apprise cannot use"):
        add_contact(session, LOCAL, patient.id, "apprise", url, settings=EMAIL_ON)


@pytest.mark.parametrize(
    ("kind", "first", "again"),
    [
        ("email", "nurse@example.org", "nurse@example.org"),
        ("email", "nurse@example.org", " NURSE@example.ORG "),
        ("apprise", TELEGRAM, f" {TELEGRAM} "),
    ],
)
def test_the_same_address_cannot_be_added_twice(session, patient, kind, first, again):
    add_contact(session, LOCAL, patient.id, kind, first, settings=EMAIL_ON)
    with pytest.raises(ValidationError, match="already one of this profile's contacts"):
        add_contact(session, LOCAL, patient.id, kind, again, settings=EMAIL_ON)
    assert len(list_contacts(session, LOCAL, patient.id)) == 1


def test_a_new_contact_gets_a_code_and_is_confirmed_with_it(factory, smtp_inbox, now):
    with factory.begin() as session:
        patient_id = add_patient(session, LOCAL, "Ada").id
    contact_id, failed = add_and_send_code(
        factory, LOCAL, patient_id, "email", "nurse@example.org", smtp_inbox.settings, now
    )
    assert failed is None
    ((recipients, message),) = smtp_inbox.messages
    assert recipients == ["nurse@example.org"]
    assert message["Subject"] == "Confirm alerts from the Patient Symptom Tracker"
    code = code_in(smtp_inbox)
    with factory.begin() as session:
        assert "not right: 4 tries left" in confirm_contact(
            session, LOCAL, patient_id, contact_id, "000000", now
        )
    with factory.begin() as session:
        assert confirm_contact(session, LOCAL, patient_id, contact_id, code, now) is None
        (state,) = contact_states(session, LOCAL, patient_id)
    assert state.confirmed


def test_send_a_test_reaches_the_contact_and_shows_as_sent(factory, smtp_inbox, now):
    with factory.begin() as session:
        patient_id = add_patient(session, LOCAL, "Ada").id
    contact_id = confirmed_contact(factory, patient_id, smtp_inbox, now)
    later = now + timedelta(minutes=5)
    assert send_test(factory, LOCAL, patient_id, contact_id, smtp_inbox.settings, later) is None
    assert smtp_inbox.messages[-1][1]["Subject"] == "Test message from the Patient Symptom Tracker"
    with factory.begin() as session:
        (state,) = contact_states(session, LOCAL, patient_id)
    assert (state.last_status, state.last_at) == ("sent", later)
    assert status_words(state, "UTC") == "Last message sent 25 Nov, 12:05."


def test_a_failing_contact_shows_failing_with_the_plain_reason(factory, smtp_inbox, now):
    with factory.begin() as session:
        patient_id = add_patient(session, LOCAL, "Ada").id
    contact_id = confirmed_contact(factory, patient_id, smtp_inbox, now)
    closed = NotifySettings(SmtpSettings("127.0.0.1", 1, "tracker@example.org", security="none"))
    failed = send_test(factory, LOCAL, patient_id, contact_id, closed, now + timedelta(minutes=5))
    assert failed == "The e-mail server could not be reached (connection refused)."
    with factory.begin() as session:
        (state,) = contact_states(session, LOCAL, patient_id)
    assert (state.last_status, state.reason) == ("failing", failed)
    assert status_words(state, "UTC").startswith("Failing: the last message 25 Nov, 12:05 could not be sent.")


def test_a_code_that_cannot_be_sent_is_reported_and_can_be_sent_again(factory, smtp_inbox, now):
    with factory.begin() as session:
        patient_id = add_patient(session, LOCAL, "Ada").id
    closed = NotifySettings(SmtpSettings("127.0.0.1", 1, "tracker@example.org", security="none"))
    contact_id, failed = add_and_send_code(
        factory, LOCAL, patient_id, "email", "nurse@example.org", closed, now
    )
    assert failed == "The e-mail server could not be reached (connection refused)."
    with factory.begin() as session:
        (state,) = contact_states(session, LOCAL, patient_id)
    assert "The code could not be sent" in status_words(state, "UTC")
    later = now + timedelta(minutes=2)
    assert send_code(factory, LOCAL, patient_id, contact_id, smtp_inbox.settings, later) is None
    assert len(smtp_inbox.messages) == 1


@pytest.mark.parametrize(
    ("recorded", "words"),
    [
        ("SMTPRecipientsRefused: {'x@y': (550, b'no such user')}", "The e-mail server refused this address."),
        ("TimeoutError: timed out", "The server did not answer in time."),
        ("DeliveryError: E-mail is not set up: add host", "E-mail is not set up: add host"),
        ("Not sent: the alert was resolved before it could go out.", "Not sent: the alert was resolved"),
        (None, ""),
    ],
)
def test_failures_are_told_in_plain_words(recorded, words):
    assert plain_reason(recorded).startswith(words)


def test_another_patients_contact_cannot_be_removed(session, patient):
    contact = add_contact(session, LOCAL, patient.id, "email", "a@b.example", settings=EMAIL_ON)
    stranger = add_patient(session, LOCAL, "Stranger")
    with pytest.raises(NotFoundError):
        remove_contact(session, LOCAL, stranger.id, contact.id)
    remove_contact(session, LOCAL, patient.id, contact.id)
    assert list_contacts(session, LOCAL, patient.id) == []
    assert session.scalars(select(Contact)).all() == []


def test_upgrading_keeps_one_contact_per_address_and_asks_for_confirmation(engine):
    """Contacts from before 0007: duplicates folded into the oldest, e-mail in lower case, all
    unconfirmed except a clinician's (added when they accepted a share)."""
    downgrade(engine, "0005")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO patients (id, name, created_at, revision) VALUES (1, 'Ada', :t, 0)"), {"t": NOW}
        )
        connection.execute(
            text(
                "INSERT INTO users (id, email, name, role, provider, failed_sign_ins, created_at) "
                "VALUES (1, 'lee@example.org', 'Lee', 'clinician', 'password', 0, :t)"
            ),
            {"t": NOW},
        )
        connection.execute(
            text("INSERT INTO shares (id, patient_id, clinician_id, created_at) VALUES (1, 1, 1, :t)"),
            {"t": NOW},
        )
        for address, share in [
            ("Nurse@Example.org", None),
            ("nurse@example.org", None),
            ("lee@example.org", 1),
        ]:
            connection.execute(
                text(
                    "INSERT INTO contacts (patient_id, kind, address, alerts, reminders, created_at,"
                    " share_id) VALUES (1, 'email', :a, true, false, :t, :s)"
                ),
                {"a": address, "t": NOW, "s": share},
            )
    upgrade(engine)
    with engine.begin() as connection:
        rows = connection.execute(
            text("SELECT id, address, confirmed_at IS NOT NULL FROM contacts ORDER BY id")
        ).all()
    assert [(address, confirmed) for _, address, confirmed in rows] == [
        ("nurse@example.org", False),
        ("lee@example.org", True),
    ]
    assert rows[0][0] == 1, "the oldest of the duplicates is kept"
