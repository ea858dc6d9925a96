"""Isolation in the library: function by function, nobody reads or changes a diary they may not.

The world: Ada (caregiver) keeps Sam's profile, shared with Dr Lee. Bob (another caregiver), Dr Kim
(a clinician nobody shared with) and the single local user are intruders. Every call an intruder
makes is refused with a NotFoundError and leaves the database exactly as it was; Ada's same call
works (so each row of the table really exercises its function); Dr Lee may read, work alerts and
record outcomes, and is refused the rest. Runs on SQLite and PostgreSQL.
"""

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import NOW, QUICK_HASHER
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tracker.alerts import inbox, store
from tracker.alerts.reminders import due_reminders
from tracker.care_team import accounts, contacts, my_data, outcomes, sharing
from tracker.care_team.access import LOCAL, SYSTEM, AccessDeniedError, Actor
from tracker.care_team.accounts import actor_for, delete_account, sign_up
from tracker.cycles import store as cycles
from tracker.diary import checkins, entries, patients, preferences, profile_facts
from tracker.diary.checkins import LoggedCheckIn
from tracker.diary.table_edits import apply_table_edits, delete_entries
from tracker.diary.validation import EntryInput, FactorInput
from tracker.errors import NotFoundError
from tracker.measures import store as measures
from tracker.medicines import doses, medicine_list
from tracker.medicines.schedule import DoseStatus, MedicineInput
from tracker.notify import confirmations
from tracker.notify.transport import NotifySettings, Purpose, SmtpSettings
from tracker.storage.engine import create_db_engine, session_factory
from tracker.storage.tables import (
    Alert,
    CheckIn,
    CheckInFactor,
    Contact,
    DoseEvent,
    Invitation,
    Measure,
    MeasureValue,
    Medicine,
    Outcome,
    Patient,
    PatientCondition,
    PeriodDay,
    Share,
    SymptomEntry,
    User,
)
from tracker.transfer import import_writes, imports, report
from tracker.triage.engine import default_triager
from tracker.triage.vocabulary import load_vocabulary


@dataclass
class World:
    ada: Actor
    bob: Actor
    lee: Actor
    kim: Actor
    sam: int
    entry: int
    alert: int
    contact: int
    share: int
    local_patient: int
    medicine: int


@pytest.fixture(scope="module")
def sqlite_world(sqlite_template, tmp_path_factory) -> tuple[Path, World]:
    """Sam's world built once in a SQLite file: SQLite tests start from a copy (~1 ms, not ~130 ms)."""
    path = tmp_path_factory.mktemp("world") / "world.sqlite3"
    shutil.copyfile(sqlite_template, path)
    engine = create_db_engine(f"sqlite:///{path}", migrate=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "_hasher", QUICK_HASHER)
        world = build_world(session_factory(engine), NOW)
    engine.dispose()  # the last connection closing folds the WAL into the file
    return path, world


@pytest.fixture
def world(request, engine, factory, now) -> World:
    """A world of its own for a test that changes it: a copy on SQLite, built afresh on PostgreSQL."""
    if engine.dialect.name != "sqlite" or now != NOW:
        return build_world(factory, now)
    template, world = request.getfixturevalue("sqlite_world")
    engine.dispose()
    shutil.copyfile(template, str(engine.url.database))
    return world


@pytest.fixture(scope="module")
def read_only(module_engine) -> tuple[sessionmaker[Session], World]:
    """One world per module and back end for the tests that only read or are refused (~70 of them)."""
    factory = session_factory(module_engine)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "_hasher", QUICK_HASHER)
        return factory, build_world(factory, NOW)


def build_world(factory: sessionmaker[Session], now: datetime) -> World:
    """Ada keeps Sam's profile shared with Dr Lee; Bob and Dr Kim are strangers; the local user has Me."""
    with factory.begin() as session:
        users = {
            name: actor_for(
                sign_up(session, f"{name}@example.org", name.title(), "a long password", role, now)
            )
            for name, role in [
                ("ada", "caregiver"),
                ("bob", "caregiver"),
                ("lee", "clinician"),
                ("kim", "clinician"),
            ]
        }
        sam = patients.add_patient(session, users["ada"], "Sam")
        profile_facts.save_profile_facts(
            session, users["ada"], sam.id, profile_facts.FactsInput(age=7, conditions=["asthma"]), now
        )
        logged = checkins.log_check_in(
            session,
            users["ada"],
            sam.id,
            [EntryInput("Chest pain", 5, now - timedelta(hours=1), "after football")],
            default_triager(),
            now=now,
            factors=[FactorInput("medication", "Ibuprofen")],
        )
        contact = contacts.add_contact(
            session, users["ada"], sam.id, "email", "ada@example.org", settings=EMAIL_ON, reminders=True
        )
        contact.confirmed_at = now  # as if Ada had typed in the code it received
        code = sharing.create_invitation(session, users["ada"], sam.id, now)
        sharing.accept_invitation(session, users["lee"], code, now)
        alert = next(a for a in inbox.list_alerts(session, users["ada"], sam.id) if a.symptom == "Chest pain")
        local = patients.add_patient(session, LOCAL, "Me")
        share = session.scalar(select(Share.id))
        medicine = medicine_list.add_medicine(session, users["ada"], sam.id, INHALER, now.date())
        doses.log_dose(session, users["ada"], sam.id, medicine.id, DoseStatus.EXTRA, now, "UTC", now=now)
        return World(
            **users,
            sam=sam.id,
            entry=logged.entry_ids[0],
            alert=alert.id,
            contact=contact.id,
            share=share,
            local_patient=local.id,
            medicine=medicine.id,
        )


COUNTED = (
    Patient,
    CheckIn,
    SymptomEntry,
    CheckInFactor,
    Alert,
    Contact,
    Share,
    Invitation,
    Outcome,
    User,
    Measure,
    MeasureValue,
    PeriodDay,
    PatientCondition,
    Medicine,
    DoseEvent,
)


def snapshot(session: Session) -> tuple[Any, ...]:
    """Everything an intruder could change, in a comparable form (the counts in one round trip)."""
    counting = (select(func.count()).select_from(table).scalar_subquery() for table in COUNTED)
    counts = tuple(session.execute(select(*counting)).one())
    rows = (
        tuple(
            session.execute(
                select(
                    Patient.id,
                    Patient.name,
                    Patient.revision,
                    Patient.region,
                    Patient.time_zone,
                    Patient.birth_date,
                    Patient.sex,
                    Patient.pregnancy_recorded_at,
                    Patient.pregnancy_weeks,
                ).order_by(Patient.id)
            )
        ),
        tuple(session.execute(select(PatientCondition.patient_id, PatientCondition.condition))),
        tuple(
            session.execute(
                select(SymptomEntry.id, SymptomEntry.symptom, SymptomEntry.severity, SymptomEntry.note)
            )
        ),
        tuple(session.execute(select(Alert.id, Alert.status, Alert.acknowledged_by, Alert.resolved_by))),
        tuple(session.execute(select(Share.id, Share.revoked_at))),
        tuple(session.execute(select(Medicine.id, Medicine.end_date))),
        tuple(session.execute(select(Invitation.id, Invitation.revoked_at))),
    )
    return counts, rows


def _logged(session: Session, w: World, now) -> LoggedCheckIn:
    assessment = default_triager().assess({"Chest pain": 5})
    check_in = session.scalar(select(CheckIn.id).where(CheckIn.patient_id == w.sam))
    return LoggedCheckIn(check_in, (w.entry,), assessment)


Call = Callable[[Session, Actor, World, Any], object]
INHALER = MedicineInput("Salbutamol", 2, "puffs", "inhaler", as_needed=True, start_date=NOW.date())
MORNING = MedicineInput("Cetirizine", 10, "mg", "tablet", (NOW.time(),), start_date=NOW.date())
EMAIL_ON = NotifySettings(SmtpSettings("127.0.0.1", 25, "tracker@example.org"))


def _unconfirmed(session: Session, w: World) -> int:
    """Return Sam's contact, not confirmed yet, so a code may be sent to it."""
    session.get_one(Contact, w.contact).confirmed_at = None
    return w.contact


def _confirmed(session: Session, w: World, now) -> int:
    """Return Sam's contact, confirmed (as the owner would have done) so a test message may go to it."""
    session.get_one(Contact, w.contact).confirmed_at = now
    return w.contact


def new_entries(now) -> list[EntryInput]:
    return [EntryInput("Headache", 2, now - timedelta(minutes=5))]


def csv_plan(now):
    data = b"occurred_at,symptom,severity,note\n2026-11-20T09:00:00+00:00,Cough,2,\n"
    return imports.parse_import(data, "entries.csv", "UTC", now)


READ: dict[str, Call] = {
    "get_patient": lambda s, a, w, now: patients.get_patient(s, a, w.sam),
    "list_entries": lambda s, a, w, now: entries.list_entries(s, a, w.sam),
    "get_entry": lambda s, a, w, now: entries.get_entry(s, a, w.sam, w.entry),
    "recent_symptoms": lambda s, a, w, now: entries.recent_symptoms(s, a, w.sam),
    "count_entries": lambda s, a, w, now: entries.count_entries(s, a, w.sam),
    "entries_version": lambda s, a, w, now: entries.entries_version(s, a, w.sam),
    "logged_symptoms": lambda s, a, w, now: entries.logged_symptoms(s, a, w.sam),
    "list_factors": lambda s, a, w, now: entries.list_factors(s, a, w.sam),
    "factor_names": lambda s, a, w, now: entries.factor_names(s, a, w.sam, "medication"),
    "past_reports": lambda s, a, w, now: checkins.past_reports(s, a, w.sam, ["Chest pain"], now),
    "latest_assessment": lambda s, a, w, now: checkins.latest_assessment(s, a, w.sam),
    "check_in_answers": lambda s, a, w, now: entries.check_in_answers(s, a, w.sam),
    "preview_check_in": lambda s, a, w, now: checkins.preview_check_in(
        s, a, w.sam, new_entries(now), default_triager(), now=now
    ),
    "list_alerts": lambda s, a, w, now: inbox.list_alerts(s, a, w.sam),
    "count_new_alerts": lambda s, a, w, now: inbox.count_new_alerts(s, a, w.sam),
    "alert_lines": lambda s, a, w, now: inbox.alert_lines(s, a, w.sam, "UTC"),
    "list_outcomes": lambda s, a, w, now: outcomes.list_outcomes(s, a, w.sam),
    "get_preferences": lambda s, a, w, now: preferences.get_preferences(s, a, w.sam),
    # Read-level: a clinician may keep their own region while reading; the profile's stays untouched.
    "save_preferences": lambda s, a, w, now: preferences.save_preferences(
        s, a, w.sam, "US", "America/New_York"
    ),
    "get_profile_facts": lambda s, a, w, now: profile_facts.get_profile_facts(s, a, w.sam),
    "get_patient_facts": lambda s, a, w, now: profile_facts.get_patient_facts(s, a, w.sam, now),
    "list_medicines": lambda s, a, w, now: medicine_list.list_medicines(s, a, w.sam),
    "current_medicines": lambda s, a, w, now: medicine_list.current_medicines(s, a, w.sam, now.date()),
    "get_medicine": lambda s, a, w, now: medicine_list.get_medicine(s, a, w.sam, w.medicine),
    "list_doses": lambda s, a, w, now: doses.list_doses(s, a, w.sam),
    "due_now": lambda s, a, w, now: doses.due_now(s, a, w.sam, now, "UTC"),
    "factors_with_doses": lambda s, a, w, now: doses.factors_with_doses(s, a, w.sam),
    "list_measures": lambda s, a, w, now: measures.list_measures(s, a, w.sam),
    "list_values": lambda s, a, w, now: measures.list_values(s, a, w.sam),
    "count_values": lambda s, a, w, now: measures.count_values(s, a, w.sam),
    "tracks_cycle": lambda s, a, w, now: cycles.tracks_cycle(s, a, w.sam),
    "period_days": lambda s, a, w, now: cycles.period_days(s, a, w.sam),
    "export_report": lambda s, a, w, now: report.export_report(s, a, w.sam, "csv", "UTC", now),
}
REVIEW: dict[str, Call] = {
    "acknowledge": lambda s, a, w, now: inbox.acknowledge(s, a, w.sam, w.alert, "Nurse", now),
    "resolve": lambda s, a, w, now: inbox.resolve(s, a, w.sam, w.alert, "Nurse", now),
}
LABEL: dict[str, Call] = {
    "record_outcome": lambda s, a, w, now: outcomes.record_outcome(s, a, w.sam, w.entry, "urgent", None, now),
}
WRITE: dict[str, Call] = {
    "rename_patient": lambda s, a, w, now: patients.rename_patient(s, a, w.sam, "Samuel"),
    "store_check_in": lambda s, a, w, now: entries.store_check_in(s, a, w.sam, new_entries(now), now=now),
    "update_entry": lambda s, a, w, now: entries.update_entry(s, a, w.sam, w.entry, severity=1, now=now),
    "delete_entry": lambda s, a, w, now: entries.delete_entry(s, a, w.sam, w.entry),
    "bump_revision": lambda s, a, w, now: entries.bump_revision(s, a, w.sam),
    "log_check_in": lambda s, a, w, now: checkins.log_check_in(
        s, a, w.sam, new_entries(now), default_triager(), now=now
    ),
    "record_check_in_alerts": lambda s, a, w, now: store.record_check_in_alerts(
        s, a, w.sam, _logged(s, w, now), {"Chest pain": 5}, {"Chest pain": 1}, now + timedelta(hours=1)
    ),
    "import_entries": lambda s, a, w, now: import_writes.import_entries(
        s, a, w.sam, csv_plan(now), load_vocabulary(), now
    ),
    "apply_table_edits": lambda s, a, w, now: apply_table_edits(
        s, a, w.sam, {w.entry: {"severity": 1}}, default_triager(), "UTC", now
    ),
    "reassess_check_in": lambda s, a, w, now: checkins.reassess_check_in(
        s, a, w.sam, _logged(s, w, now).check_in_id, default_triager(), "UTC", now
    ),
    "delete_entries": lambda s, a, w, now: delete_entries(s, a, w.sam, [w.entry]),
    "save_profile_facts": lambda s, a, w, now: profile_facts.save_profile_facts(
        s, a, w.sam, profile_facts.FactsInput(age=4, sex="M", conditions=["epilepsy"]), now
    ),
    "add_medicine": lambda s, a, w, now: medicine_list.add_medicine(s, a, w.sam, MORNING, now.date()),
    "stop_medicine": lambda s, a, w, now: medicine_list.stop_medicine(s, a, w.sam, w.medicine, now.date()),
    "delete_medicine": lambda s, a, w, now: medicine_list.delete_medicine(s, a, w.sam, w.medicine),
    "log_dose": lambda s, a, w, now: doses.log_dose(
        s, a, w.sam, w.medicine, DoseStatus.EXTRA, now, "UTC", amount=1, now=now
    ),
}
WRITE |= {
    "add_preset_measure": lambda s, a, w, now: measures.add_preset_measure(s, a, w.sam, "energy"),
    "log_values": lambda s, a, w, now: measures.log_values(
        s, a, w.sam, [measures.Reading(measures.add_preset_measure(s, a, w.sam, "energy").id, 2)], now, now
    ),
    "remove_measure": lambda s, a, w, now: measures.remove_measure(
        s, a, w.sam, measures.add_preset_measure(s, a, w.sam, "energy").id
    ),
    "import_values": lambda s, a, w, now: measures.import_values(
        s, a, w.sam, [imports.MeasureRow(2, "Energy", "", 2.0, now)], now
    ),
    "set_cycle_tracking": lambda s, a, w, now: cycles.set_cycle_tracking(s, a, w.sam, True),
    "record_period_day": lambda s, a, w, now: (
        cycles.set_cycle_tracking(s, a, w.sam, True),
        cycles.record_period_day(s, a, w.sam, now.date(), "light"),
    ),
}
MANAGE: dict[str, Call] = {
    "delete_patient": lambda s, a, w, now: patients.delete_patient(s, a, w.sam),
    "add_contact": lambda s, a, w, now: contacts.add_contact(
        s, a, w.sam, "email", "bob@example.org", settings=EMAIL_ON
    ),
    "list_contacts": lambda s, a, w, now: contacts.list_contacts(s, a, w.sam),
    "contact_states": lambda s, a, w, now: contacts.contact_states(s, a, w.sam),
    "new_code": lambda s, a, w, now: confirmations.new_code(s, a, w.sam, _unconfirmed(s, w), now),
    "confirm_contact": lambda s, a, w, now: confirmations.confirm_contact(
        s, a, w.sam, w.contact, "123456", now
    ),
    "new_test": lambda s, a, w, now: confirmations.new_test(s, a, w.sam, _confirmed(s, w, now), now),
    "record_outgoing": lambda s, a, w, now: confirmations.record_outgoing(
        s,
        a,
        w.sam,
        confirmations.Outgoing(w.contact, Purpose.TEST, "email", "x@example.org", "s", "b", "b"),
        None,
        now,
    ),
    "remove_contact": lambda s, a, w, now: contacts.remove_contact(s, a, w.sam, w.contact),
    "create_invitation": lambda s, a, w, now: sharing.create_invitation(s, a, w.sam, now),
    "list_shares": lambda s, a, w, now: sharing.list_shares(s, a, w.sam),
    "revoke_share": lambda s, a, w, now: sharing.revoke_share(s, a, w.sam, w.share, now),
    "revoke_invitations": lambda s, a, w, now: sharing.revoke_invitations(s, a, w.sam, now),
}
EVERY = {**READ, **REVIEW, **LABEL, **WRITE, **MANAGE}


def attempt(factory, actor: Actor, call: Call, w: World, now) -> tuple[Exception | None, tuple, tuple]:
    """Run `call` as `actor` in its own transaction; return (error, snapshot before, snapshot after)."""
    with factory() as session:
        before = snapshot(session)
    error = run(factory, actor, call, w, now)
    with factory() as session:
        after = snapshot(session)
    return error, before, after


def run(factory, actor: Actor, call: Call, w: World, now) -> Exception | None:
    """Run `call` as `actor` in its own transaction; return the error it raised, if any."""
    try:
        with factory.begin() as session:
            call(session, actor, w, now)
    except Exception as found:
        return found
    return None


@pytest.mark.parametrize("name", sorted(EVERY))
def test_an_intruder_can_neither_read_nor_change_sams_diary(read_only, now, name):
    factory, world = read_only
    with factory() as session:
        before = snapshot(session)
    for intruder in (world.bob, world.kim, LOCAL):
        error = run(factory, intruder, EVERY[name], world, now)
        assert isinstance(error, NotFoundError), f"{name} let {intruder.name} in: {error!r}"
        assert "There is no patient" in str(error), "someone else's profile reads as missing"
        with factory() as session:
            assert snapshot(session) == before


@pytest.mark.parametrize("name", sorted(EVERY))
def test_the_owner_can_do_each_of_these(factory, world, now, name):
    if name in LABEL:
        error, before, after = attempt(factory, world.ada, EVERY[name], world, now)
        assert isinstance(error, AccessDeniedError), "outcomes are for clinicians to record"
        assert after == before
        return
    error = run(factory, world.ada, EVERY[name], world, now)
    assert error is None, f"{name}: {error!r}"


@pytest.mark.parametrize("name", sorted({**READ, **REVIEW, **LABEL}))
def test_the_clinician_sam_shared_with_reads_reviews_and_labels(factory, world, now, name):
    error = run(factory, world.lee, EVERY[name], world, now)
    assert error is None, f"{name}: {error!r}"


@pytest.mark.parametrize("name", sorted({**WRITE, **MANAGE}))
def test_the_clinician_cannot_change_or_manage_the_diary(read_only, now, name):
    factory, world = read_only
    error, before, after = attempt(factory, world.lee, EVERY[name], world, now)
    assert isinstance(error, AccessDeniedError), f"{name}: {error!r}"
    assert "You can read this diary but not" in str(error)
    assert after == before


@pytest.mark.parametrize("name", sorted(READ))
def test_once_sharing_stops_the_clinician_sees_nothing(factory, world, now, name):
    with factory.begin() as session:
        sharing.revoke_share(session, world.ada, world.sam, world.share, now)
    error = run(factory, world.lee, EVERY[name], world, now)
    assert isinstance(error, NotFoundError), f"{name}: {error!r}"


def test_lists_across_profiles_hold_only_what_the_actor_may_see(session, world, now):
    def names(actor: Actor) -> list[str]:
        return [p.name for p in patients.list_patients(session, actor)]

    assert names(world.ada) == ["Sam"]
    assert names(world.lee) == ["Sam"]
    assert names(world.bob) == names(world.kim) == []
    assert names(LOCAL) == ["Me"]
    for intruder in (world.bob, world.kim, LOCAL):
        assert inbox.inbox(session, intruder) == []
        assert inbox.count_inbox(session, intruder) == 0
        assert due_reminders(session, intruder, now.date() + timedelta(days=1), "UTC") == []
        assert store.check_missed_check_ins(session, intruder, now + timedelta(days=30)) == []
    assert {name for _, name in inbox.inbox(session, world.lee)} == {"Sam"}
    assert inbox.count_inbox(session, world.ada) == inbox.count_inbox(session, world.lee) > 0
    assert len(due_reminders(session, SYSTEM, now.date() + timedelta(days=1), "UTC")) == 1


def test_a_clinicians_outcomes_train_only_from_what_they_may_see(session, world, now):
    outcomes.record_outcome(session, world.lee, world.sam, world.entry, "emergency", "ambulance", now)
    assert len(outcomes.training_rows(session, world.lee, load_vocabulary())) == 1
    assert outcomes.training_rows(session, world.kim, load_vocabulary()).empty
    assert outcomes.training_rows(session, world.bob, load_vocabulary()).empty


def test_my_data_holds_only_my_own_profiles(session, world, now):
    bob = my_data.export_everything(session, world.bob, now).decode()
    ada = my_data.export_everything(session, world.ada, now).decode()
    assert "Sam" not in bob and "Chest pain" not in bob and "bob@example.org" in bob
    assert "Asthma" not in bob
    assert "Chest pain" in ada and "after football" in ada and "Lee" in ada and "Asthma" in ada
    assert "Salbutamol" in ada and "Salbutamol" not in bob


def test_deleting_an_account_leaves_everyone_else_alone(session, world):
    delete_account(session, world.bob)
    assert [p.name for p in patients.list_patients(session, world.ada)] == ["Sam"]
    delete_account(session, world.ada)
    assert session.get(Patient, world.sam) is None
    assert session.scalar(select(func.count()).select_from(SymptomEntry)) == 0
    assert [p.name for p in patients.list_patients(session, LOCAL)] == ["Me"]
    assert patients.list_patients(session, world.lee) == [], "the share went with the profile"
