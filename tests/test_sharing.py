"""Sharing by invitation code: once, for a week, with a clinician, until revoked."""

from datetime import timedelta

import pytest

from tracker.care_team.access import LOCAL
from tracker.care_team.accounts import actor_for, sign_up
from tracker.care_team.contacts import list_contacts
from tracker.care_team.sharing import (
    CODE_ALPHABET,
    INVITATION_DAYS,
    accept_invitation,
    create_invitation,
    list_shares,
    revoke_invitations,
    revoke_share,
)
from tracker.diary.patients import add_patient, list_patients
from tracker.errors import ValidationError


@pytest.fixture
def people(session, now):
    def user(name: str, role: str):
        return actor_for(sign_up(session, f"{name}@example.org", name.title(), "a long password", role, now))

    ada, lee, kim = user("ada", "caregiver"), user("lee", "clinician"), user("kim", "clinician")
    return ada, lee, kim, add_patient(session, ada, "Sam").id


def test_a_code_is_easy_to_read_aloud(session, people, now):
    ada, _, _, sam = people
    code = create_invitation(session, ada, sam, now)
    assert len(code) == 14 and code[4] == code[9] == "-"
    assert set(code.replace("-", "")) <= set(CODE_ALPHABET), "no 0/O or 1/I/L to mix up"


def test_a_clinician_accepts_a_code_once_and_gets_an_alert_contact(session, people, now):
    ada, lee, kim, sam = people
    code = create_invitation(session, ada, sam, now)
    assert accept_invitation(session, lee, f"  {code.lower()} ", now).id == sam
    assert [p.name for p in list_patients(session, lee)] == ["Sam"]
    assert [(c.address, c.alerts) for c in list_contacts(session, ada, sam)] == [("lee@example.org", True)]
    with pytest.raises(ValidationError, match="not valid"):
        accept_invitation(session, kim, code, now)


def test_an_expired_or_cancelled_code_does_not_work(session, people, now):
    ada, lee, _, sam = people
    old = create_invitation(session, ada, sam, now)
    with pytest.raises(ValidationError, match="not valid"):
        accept_invitation(session, lee, old, now + timedelta(days=INVITATION_DAYS))
    cancelled = create_invitation(session, ada, sam, now)
    assert revoke_invitations(session, ada, sam, now) == 2
    with pytest.raises(ValidationError, match="not valid"):
        accept_invitation(session, lee, cancelled, now)
    with pytest.raises(ValidationError, match="not valid"):
        accept_invitation(session, lee, "AAAA-BBBB-CCCC", now)


def test_only_a_clinician_can_accept(session, people, now):
    ada, _, _, sam = people
    code = create_invitation(session, ada, sam, now)
    for someone in (ada, LOCAL):
        with pytest.raises(ValidationError, match="Only a clinician"):
            accept_invitation(session, someone, code, now)


def test_revoking_ends_access_and_the_e_mails_and_a_new_code_restores_them(session, people, now):
    ada, lee, _, sam = people
    accept_invitation(session, lee, create_invitation(session, ada, sam, now), now)
    (share,) = list_shares(session, ada, sam)
    revoke_share(session, ada, sam, share.id, now + timedelta(days=1))
    assert list_patients(session, lee) == []
    assert list_contacts(session, ada, sam) == []
    assert list_shares(session, ada, sam)[0].revoked_at == now + timedelta(days=1)
    accept_invitation(session, lee, create_invitation(session, ada, sam, now), now + timedelta(days=2))
    assert [p.name for p in list_patients(session, lee)] == ["Sam"]
    assert [s.revoked_at for s in list_shares(session, ada, sam)] == [None]
