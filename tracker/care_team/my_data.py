"""My data: everything an account keeps, in one JSON file, and deleting all of it.

One JSON document rather than a zip of tables: it opens anywhere, keeps each profile's entries,
factors, alerts, contacts, shares and outcomes together, and is what data-portability requests
(GDPR art. 20) expect: structured, commonly used and machine-readable.
"""

import json
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from tracker.care_team.access import (
    AccessDeniedError,
    Actor,
    ActorKind,
    Permission,
    owns,
    require,
    visible_patients_query,
)
from tracker.care_team.accounts import delete_account, get_user
from tracker.care_team.sharing import list_shares
from tracker.diary.patients import list_patients
from tracker.diary.profile_facts import profile_facts_of
from tracker.storage.tables import (
    Alert,
    CheckIn,
    CheckInAnswer,
    CheckInFactor,
    Contact,
    DoseEvent,
    Medicine,
    Outcome,
    Patient,
    SymptomEntry,
)
from tracker.triage.patient import ProfileFacts, condition_labels

FORMAT = "patient-symptom-tracker/my-data/1"


def export_everything(session: Session, actor: Actor, now: datetime) -> bytes:
    """Return everything `actor` keeps as UTF-8 JSON: account, and every profile they own in full.

    A clinician's file holds their account and the outcomes they recorded, not the patients' diaries
    (those belong to the patients, who can export them).
    """
    account = None
    if actor.kind is ActorKind.USER:
        user = get_user(session, actor)
        account = {
            "email": user.email,
            "name": user.name,
            "role": user.role,
            "sign_in": user.provider,
            "created_at": _time(user.created_at),
            "region": user.region,
            "time_zone": user.time_zone,
        }
    owned = [patient for patient in list_patients(session, actor) if owns(actor, patient)]
    document = {
        "format": FORMAT,
        "exported_at": _time(now),
        "account": account,
        "profiles": [_profile(session, actor, patient) for patient in owned],
        "outcomes_recorded": _recorded(session, actor),
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def delete_everything(session: Session, actor: Actor) -> int:
    """Delete the account and everything it keeps (single-user mode: every local profile).

    Returns how many profiles went. The caller commits; nothing is deleted on an error.
    """
    if actor.kind is ActorKind.USER:
        return delete_account(session, actor)
    if actor.kind is not ActorKind.LOCAL:
        raise AccessDeniedError("Only a person can delete their own data.")
    deleted = session.execute(delete(Patient).where(Patient.owner_id.is_(None)))
    return int(cast(CursorResult[Any], deleted).rowcount or 0)


def _medicines(session: Session, patient_id: int) -> list[dict[str, Any]]:
    """Return the profile's medicines, each with every dose logged for it."""
    medicines = session.scalars(
        select(Medicine).where(Medicine.patient_id == patient_id).order_by(Medicine.id)
    )
    doses = session.scalars(
        select(DoseEvent).where(DoseEvent.patient_id == patient_id).order_by(DoseEvent.taken_at, DoseEvent.id)
    ).all()
    return [
        {
            "name": m.name,
            "dose": m.dose_amount,
            "unit": m.dose_unit,
            "form": m.form,
            "times": m.times.split(),
            "as_needed": m.as_needed,
            "start_date": m.start_date.isoformat(),
            "end_date": m.end_date.isoformat() if m.end_date else None,
            "doses": [
                {
                    "status": d.status,
                    "taken_at": _time(d.taken_at),
                    "planned_for": _time(d.slot_at) if d.slot_at else None,
                    "amount": d.amount,
                }
                for d in doses
                if d.medicine_id == m.id
            ],
        }
        for m in medicines
    ]


def _profile(session: Session, actor: Actor, patient: Patient) -> dict[str, Any]:
    require(session, actor, patient.id, Permission.MANAGE)
    entries = session.execute(
        select(SymptomEntry, CheckIn.level, CheckIn.advice, CheckIn.confidence)
        .join(CheckIn, CheckIn.id == SymptomEntry.check_in_id)
        .where(SymptomEntry.patient_id == patient.id)
        .order_by(SymptomEntry.occurred_at, SymptomEntry.id)
    )
    factors = session.scalars(
        select(CheckInFactor).where(CheckInFactor.patient_id == patient.id).order_by(CheckInFactor.id)
    )
    answers = session.scalars(
        select(CheckInAnswer)
        .join(CheckIn, CheckIn.id == CheckInAnswer.check_in_id)
        .where(CheckIn.patient_id == patient.id)
        .order_by(CheckInAnswer.id)
    )
    alerts = session.scalars(select(Alert).where(Alert.patient_id == patient.id).order_by(Alert.id))
    contacts = session.scalars(select(Contact).where(Contact.patient_id == patient.id).order_by(Contact.id))
    outcomes = session.scalars(select(Outcome).where(Outcome.patient_id == patient.id).order_by(Outcome.id))
    return {
        "name": patient.name,
        "region": patient.region,
        "time_zone": patient.time_zone,
        "created_at": _time(patient.created_at),
        "about": _about(profile_facts_of(patient)),
        "entries": [
            {
                "id": entry.id,
                "check_in": entry.check_in_id,
                "symptom": entry.symptom,
                "as_typed": entry.symptom_text,
                "severity": entry.severity,
                "occurred_at": _time(entry.occurred_at),
                "logged_at": _time(entry.logged_at),
                "note": entry.note,
                "advice_level": level,
                "advice": advice,
                "confidence": confidence,
            }
            for entry, level, advice, confidence in entries
        ],
        "answers": [
            {
                "check_in": a.check_in_id,
                "question_id": a.question_id,
                "question": a.question,
                "answer": a.answer,
            }
            for a in answers
        ],
        "factors": [
            {
                "check_in": f.check_in_id,
                "kind": f.kind,
                "name": f.name,
                "value": f.value,
                "occurred_at": _time(f.occurred_at),
            }
            for f in factors
        ],
        "alerts": [
            {
                "message": a.message,
                "status": a.status,
                "opened_at": _time(a.opened_at),
                "updated_at": _time(a.updated_at),
                "acknowledged_by": a.acknowledged_by,
                "resolved_by": a.resolved_by,
            }
            for a in alerts
        ],
        "medicines": _medicines(session, patient.id),
        "contacts": [
            {"kind": c.kind, "address": c.address, "alerts": c.alerts, "reminders": c.reminders}
            for c in contacts
        ],
        "shared_with": [
            {
                "clinician": share.clinician,
                "email": share.email,
                "since": _time(share.since),
                "revoked_at": _time(share.revoked_at),
            }
            for share in list_shares(session, actor, patient.id)
        ],
        "outcomes": [
            {"entry": o.entry_id, "level": o.level, "note": o.note, "recorded_at": _time(o.recorded_at)}
            for o in outcomes
        ],
    }


def _about(facts: ProfileFacts) -> dict[str, Any]:
    """Return the facts as stored: pregnancy weeks are those on the day they were recorded."""
    return {
        "birth_date": _day(facts.birth_date),
        "birth_date_worked_out_from_age_on": _day(facts.age_given_on),
        "sex": facts.sex,
        "pregnant": facts.pregnancy_recorded_at is not None,
        "pregnancy_recorded_at": _time(facts.pregnancy_recorded_at),
        "pregnancy_weeks_when_recorded": facts.pregnancy_weeks,
        "conditions": [
            {"id": condition, "label": condition_labels().get(condition, condition)}
            for condition in facts.conditions
        ],
    }


def _recorded(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """Return the outcomes a clinician recorded, for patients still sharing with them."""
    if actor.kind is not ActorKind.USER:
        return []
    query = (
        select(Outcome, Patient.name)
        .join(Patient, Patient.id == Outcome.patient_id)
        .where(
            Outcome.recorded_by == actor.user_id,
            Outcome.patient_id.in_(visible_patients_query(actor).with_only_columns(Patient.id)),
        )
        .order_by(Outcome.id)
    )
    return [
        {
            "patient": name,
            "entry": o.entry_id,
            "level": o.level,
            "note": o.note,
            "recorded_at": _time(o.recorded_at),
        }
        for o, name in session.execute(query)
    ]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
