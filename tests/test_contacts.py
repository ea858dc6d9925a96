import pytest

from tracker.access import LOCAL
from tracker.contacts import add_contact, list_contacts, remove_contact
from tracker.errors import NotFoundError, ValidationError
from tracker.patients import add_patient


@pytest.fixture
def patient(session):
    return add_patient(session, LOCAL, "Ada")


def test_contacts_are_added_and_listed(session, patient):
    add_contact(session, LOCAL, patient.id, "email", " nurse@clinic.example ", reminders=True)
    add_contact(session, LOCAL, patient.id, "apprise", "tgram://token/chat")
    contacts = list_contacts(session, LOCAL, patient.id)
    assert [(c.kind, c.address, c.reminders) for c in contacts] == [
        ("email", "nurse@clinic.example", True),
        ("apprise", "tgram://token/chat", False),
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
        add_contact(session, LOCAL, patient.id, kind, address)
    assert list_contacts(session, LOCAL, patient.id) == []


def test_another_patients_contact_cannot_be_removed(session, patient):
    contact = add_contact(session, LOCAL, patient.id, "email", "a@b.example")
    stranger = add_patient(session, LOCAL, "Stranger")
    with pytest.raises(NotFoundError):
        remove_contact(session, LOCAL, stranger.id, contact.id)
    remove_contact(session, LOCAL, patient.id, contact.id)
    assert list_contacts(session, LOCAL, patient.id) == []
