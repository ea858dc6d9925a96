"""Attack tests: an intruder names their OWN profile with someone else's entry, alert, contact or share id.

Every call must answer "not found" and change nothing, as measured by a snapshot that also holds the
deliveries, sign-in sessions and sign-in attempts (the lockout counters), on SQLite and PostgreSQL.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.alerts import inbox
from tracker.care_team import contacts, outcomes, sharing
from tracker.care_team.access import Actor
from tracker.care_team.accounts import actor_for, sign_in, sign_up
from tracker.diary import checkins, entries
from tracker.diary.patients import add_patient
from tracker.diary.table_edits import apply_table_edits, delete_entries
from tracker.diary.validation import EntryInput
from tracker.errors import NotFoundError
from tracker.notify import confirmations
from tracker.notify.queue import add_delivery_once
from tracker.notify.transport import NotifySettings, Purpose, SmtpSettings
from tracker.storage.tables import (
    Alert,
    CheckIn,
    Contact,
    Delivery,
    Outcome,
    Share,
    SignInAttempt,
    SymptomEntry,
    UserSession,
)
from tracker.triage.engine import default_triager

EMAIL_ON = NotifySettings(SmtpSettings("127.0.0.1", 25, "tracker@example.org"))


@dataclass(frozen=True)
class Scene:
    bob: Actor
    bobs_patient: int
    entry: int
    check_in: int
    alert: int
    contact: int
    share: int


@pytest.fixture
def scene(factory, now) -> Scene:
    """Ada's Sam: a severe check-in, its alert, a confirmed contact with a delivery, a share. Bob's Tom."""
    with factory.begin() as session:
        ada = actor_for(sign_up(session, "ada@example.org", "Ada", "a long password", "caregiver", now))
        bob = actor_for(sign_up(session, "bob@example.org", "Bob", "a long password", "caregiver", now))
        lee = actor_for(sign_up(session, "lee@example.org", "Lee", "a long password", "clinician", now))
        sign_in(session, "ada@example.org", "a long password", now)  # a session row and attempt rows
        sam = add_patient(session, ada, "Sam")
        when = now - timedelta(hours=1)
        logged = checkins.log_check_in(
            session, ada, sam.id, [EntryInput("Chest pain", 5, when)], default_triager(), now=now
        )
        tom = add_patient(session, bob, "Tom")
        checkins.log_check_in(
            session, bob, tom.id, [EntryInput("Cough", 2, when)], default_triager(), now=now
        )
        contact = contacts.add_contact(session, ada, sam.id, "email", "carer@example.org", settings=EMAIL_ON)
        contact.confirmed_at = now
        alert = session.scalars(select(Alert).where(Alert.patient_id == sam.id)).first()
        assert alert is not None
        add_delivery_once(
            session, contact.id, Purpose.ALERT, f"alert {alert.id} v1", "Subject", "Body", now, alert.id
        )
        sharing.accept_invitation(session, lee, sharing.create_invitation(session, ada, sam.id, now), now)
        share = session.scalar(select(Share.id))
        assert share is not None
        return Scene(bob, tom.id, logged.entry_ids[0], logged.check_in_id, alert.id, contact.id, share)


def snapshot(session: Session) -> tuple[Any, ...]:
    """Every row an intruder could touch, including deliveries, sessions and the lockout counters."""
    return (
        tuple(session.execute(select(SymptomEntry.id, SymptomEntry.patient_id, SymptomEntry.severity))),
        tuple(session.execute(select(CheckIn.id, CheckIn.patient_id, CheckIn.level, CheckIn.advice))),
        tuple(session.execute(select(Alert.id, Alert.status, Alert.acknowledged_by, Alert.resolved_by))),
        tuple(session.execute(select(Contact.id, Contact.patient_id, Contact.address, Contact.confirmed_at))),
        tuple(session.execute(select(Share.id, Share.revoked_at))),
        tuple(session.execute(select(Outcome.id, Outcome.entry_id, Outcome.level))),
        tuple(session.execute(select(Delivery.id, Delivery.status, Delivery.attempts, Delivery.lease_until))),
        tuple(session.execute(select(UserSession.id, UserSession.user_id, UserSession.last_seen_at))),
        tuple(session.execute(select(SignInAttempt.id, SignInAttempt.account_key))),
    )


Call = Callable[[Session, Actor, Scene, Any], object]
# Bob names Tom (his own profile) together with an id that belongs to Ada's Sam.
CROSS: dict[str, Call] = {
    "get_entry": lambda s, a, x, now: entries.get_entry(s, a, x.bobs_patient, x.entry),
    "update_entry": lambda s, a, x, now: entries.update_entry(
        s, a, x.bobs_patient, x.entry, severity=1, now=now
    ),
    "delete_entry": lambda s, a, x, now: entries.delete_entry(s, a, x.bobs_patient, x.entry),
    "delete_entries": lambda s, a, x, now: delete_entries(s, a, x.bobs_patient, [x.entry]),
    "apply_table_edits": lambda s, a, x, now: apply_table_edits(
        s, a, x.bobs_patient, {x.entry: {"severity": 1}}, default_triager(), "UTC", now
    ),
    "reassess_check_in": lambda s, a, x, now: checkins.reassess_check_in(
        s, a, x.bobs_patient, x.check_in, default_triager(), "UTC", now
    ),
    "record_outcome": lambda s, a, x, now: outcomes.record_outcome(
        s, a, x.bobs_patient, x.entry, "urgent", None, now
    ),
    "acknowledge": lambda s, a, x, now: inbox.acknowledge(s, a, x.bobs_patient, x.alert, "Bob", now),
    "resolve": lambda s, a, x, now: inbox.resolve(s, a, x.bobs_patient, x.alert, "Bob", now),
    "remove_contact": lambda s, a, x, now: contacts.remove_contact(s, a, x.bobs_patient, x.contact),
    "confirm_contact": lambda s, a, x, now: confirmations.confirm_contact(
        s, a, x.bobs_patient, x.contact, "123456", now
    ),
    "new_code": lambda s, a, x, now: confirmations.new_code(s, a, x.bobs_patient, x.contact, now),
    "new_test": lambda s, a, x, now: confirmations.new_test(s, a, x.bobs_patient, x.contact, now),
    "revoke_share": lambda s, a, x, now: sharing.revoke_share(s, a, x.bobs_patient, x.share, now),
}


@pytest.mark.parametrize("name", sorted(CROSS))
def test_an_intruders_own_profile_does_not_open_someone_elses_rows(factory, scene, now, name):
    with factory() as session:
        before = snapshot(session)
    with pytest.raises((NotFoundError, ValueError)), factory.begin() as session:
        CROSS[name](session, scene.bob, scene, now)
    with factory() as session:
        assert snapshot(session) == before, f"{name} changed someone else's data"
