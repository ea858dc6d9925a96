"""Attack: use contacts to mail anyone, many at once, with words of the attacker's choosing (issue 11.3).

An address hears nothing but its confirmation code until the owner types that code in; a profile has
at most 10 contacts and sends at most 20 codes a day; subjects hold no user-chosen text. All mail goes
to a real SMTP server on 127.0.0.1.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tracker.alerts.reminders import send_reminders
from tracker.alerts.store import record_check_in_alerts
from tracker.care_team.access import LOCAL
from tracker.care_team.contacts import MAX_CONTACTS, add_contact, list_contacts, remove_contact
from tracker.diary.checkins import LoggedCheckIn
from tracker.diary.entries import store_check_in
from tracker.diary.patients import add_patient
from tracker.diary.validation import EntryInput
from tracker.errors import ValidationError
from tracker.levels import TriageLevel
from tracker.notify.confirmations import (
    CODE_TRIES,
    CODES_PER_DAY,
    add_and_send_code,
    confirm_contact,
    send_code,
)
from tracker.notify.worker import send_pending
from tracker.storage.tables import Contact, Delivery
from tracker.triage.engine import Assessment

NASTY_NAME = "URGENT: your bank account http://evil.example/login"


def code_of(inbox, address):
    body = next(m.get_content() for rcpt, m in reversed(inbox.messages) if rcpt == [address])
    return body.split("give them this code: ")[1].split()[0]


def raise_alert(factory, patient_id, now):
    with factory.begin() as session:
        stored = store_check_in(session, LOCAL, patient_id, [EntryInput("Chest pain", 5, now)], now=now)
        logged = LoggedCheckIn(stored.id, (), Assessment(TriageLevel.EMERGENCY, "advice", 0.9, (), {}))
        record_check_in_alerts(session, LOCAL, patient_id, logged, {"Chest pain": 5}, {}, now)


@pytest.fixture
def patient_id(factory):
    with factory.begin() as session:
        return add_patient(session, LOCAL, NASTY_NAME[:80]).id


def test_an_unconfirmed_address_gets_nothing_but_its_code(factory, smtp_inbox, patient_id, now):
    settings = smtp_inbox.settings
    add_and_send_code(
        factory, LOCAL, patient_id, "email", "victim@example.org", settings, now, reminders=True
    )
    raise_alert(factory, patient_id, now)
    send_pending(factory, settings, now)
    send_reminders(factory, settings, now + timedelta(days=1), "UTC")
    ((recipients, message),) = smtp_inbox.messages
    assert recipients == ["victim@example.org"]
    assert message["Subject"] == "Confirm alerts from the Patient Symptom Tracker"
    assert "evil.example" not in message.as_string() and "URGENT" not in message.as_string()
    assert "nothing else is sent here unless the code is entered" in message.get_content()


def test_once_confirmed_alerts_go_out_with_a_subject_the_user_did_not_write(
    factory, smtp_inbox, patient_id, now
):
    settings = smtp_inbox.settings
    contact_id, _ = add_and_send_code(factory, LOCAL, patient_id, "email", "nurse@example.org", settings, now)
    with factory.begin() as session:
        assert (
            confirm_contact(
                session, LOCAL, patient_id, contact_id, code_of(smtp_inbox, "nurse@example.org"), now
            )
            is None
        )
    raise_alert(factory, patient_id, now)
    assert send_pending(factory, settings, now).sent == 1
    subject = smtp_inbox.messages[-1][1]["Subject"]
    assert subject == "A symptom was rated severe"
    assert "evil" not in subject and "URGENT" not in subject


@pytest.mark.parametrize(
    "address",
    [
        "a@example.org,b@example.org",
        "a,b,c@example.org",  # the To header would parse as three recipients
        "a@example.org;b@example.org",
        "Victim <v@example.org>",
        '"a@x.org,b"@example.org',
        "a@example.org\nBcc: b@example.org",
        "a@example.org b@example.org",
    ],
)
def test_one_contact_is_one_mailbox(session, smtp_inbox, address):
    patient = add_patient(session, LOCAL, "Ada")
    with pytest.raises(ValidationError):
        add_contact(session, LOCAL, patient.id, "email", address, settings=smtp_inbox.settings)
    assert list_contacts(session, LOCAL, patient.id) == []


def test_a_profile_has_at_most_ten_contacts(session, smtp_inbox):
    patient = add_patient(session, LOCAL, "Ada")
    for n in range(MAX_CONTACTS):
        add_contact(session, LOCAL, patient.id, "email", f"p{n}@example.org", settings=smtp_inbox.settings)
    with pytest.raises(ValidationError, match="up to 10 contacts"):
        add_contact(session, LOCAL, patient.id, "email", "p500@example.org", settings=smtp_inbox.settings)
    assert len(list_contacts(session, LOCAL, patient.id)) == MAX_CONTACTS


def test_guessing_the_code_stops_after_five_tries(factory, smtp_inbox, patient_id, now):
    contact_id, _ = add_and_send_code(
        factory, LOCAL, patient_id, "email", "victim@example.org", smtp_inbox.settings, now
    )
    code = code_of(smtp_inbox, "victim@example.org")
    wrong = [f"{(int(code) + n) % 10**6:06d}" for n in range(1, CODE_TRIES + 1)]
    for guess in wrong:
        with factory.begin() as session:
            assert confirm_contact(session, LOCAL, patient_id, contact_id, guess, now) is not None
    with factory.begin() as session:
        assert "Too many wrong tries" in confirm_contact(session, LOCAL, patient_id, contact_id, code, now)
        assert session.get_one(Contact, contact_id).confirmed_at is None


def test_the_code_is_never_stored_and_works_only_for_its_own_contact(factory, smtp_inbox, patient_id, now):
    settings = smtp_inbox.settings
    first, _ = add_and_send_code(factory, LOCAL, patient_id, "email", "one@example.org", settings, now)
    second, _ = add_and_send_code(factory, LOCAL, patient_id, "email", "two@example.org", settings, now)
    code = code_of(smtp_inbox, "one@example.org")
    with factory.begin() as session:
        stored = [
            *session.scalars(select(Delivery.body)),
            *session.scalars(select(Contact.code_hash)),
        ]
        assert not any(code in text for text in stored)
        assert confirm_contact(session, LOCAL, patient_id, second, code, now) is not None
    with factory.begin() as session:
        assert confirm_contact(session, LOCAL, patient_id, first, code, now) is None


def test_an_expired_code_does_not_confirm(factory, smtp_inbox, patient_id, now):
    contact_id, _ = add_and_send_code(
        factory, LOCAL, patient_id, "email", "victim@example.org", smtp_inbox.settings, now
    )
    code = code_of(smtp_inbox, "victim@example.org")
    with factory.begin() as session:
        late = now + timedelta(days=1, seconds=1)
        assert "no valid code" in confirm_contact(session, LOCAL, patient_id, contact_id, code, late)


def test_codes_cannot_be_sent_in_a_stream(factory, smtp_inbox, patient_id, now):
    """Asking again at once is refused, and removing and re-adding contacts meets a daily limit."""
    settings = smtp_inbox.settings
    contact_id, _ = add_and_send_code(
        factory, LOCAL, patient_id, "email", "victim@example.org", settings, now
    )
    with pytest.raises(ValidationError, match="wait a minute"):
        send_code(factory, LOCAL, patient_id, contact_id, settings, now + timedelta(seconds=30))
    for n in range(CODES_PER_DAY - 1):
        with factory.begin() as session:
            remove_contact(session, LOCAL, patient_id, contact_id)
        contact_id, _ = add_and_send_code(
            factory, LOCAL, patient_id, "email", "victim@example.org", settings, now + timedelta(minutes=n)
        )
    with factory.begin() as session:
        remove_contact(session, LOCAL, patient_id, contact_id)
    with pytest.raises(ValidationError, match="codes today"):
        add_and_send_code(
            factory, LOCAL, patient_id, "email", "victim@example.org", settings, now + timedelta(hours=1)
        )
    assert len(smtp_inbox.messages) == CODES_PER_DAY
    with factory.begin() as session:
        assert list_contacts(session, LOCAL, patient_id) == [], "a refused code adds no contact either"
    tomorrow = now + timedelta(days=1, hours=1)
    add_and_send_code(factory, LOCAL, patient_id, "email", "victim@example.org", settings, tomorrow)
    assert len(smtp_inbox.messages) == CODES_PER_DAY + 1
