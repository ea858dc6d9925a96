"""Region (emergency numbers) and display time zone, kept per person and per profile in the database.

Never only in a browser session's state: a reload, a new tab or another device shows the same
emergency number. A profile's own setting wins (where its person is); else the account's (the last
one its person chose, and a clinician's only one); else the server's default region and the
browser's time zone.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tracker.care_team.access import Actor, ActorKind, Permission, permissions, require
from tracker.diary.validation import valid_id, zone_error
from tracker.errors import NotFoundError, raise_if_any
from tracker.regions import REGIONS
from tracker.storage.tables import User


@dataclass(frozen=True)
class Preferences:
    region: str | None = None  # a code from tracker.regions; None: the server's default
    time_zone: str | None = None  # an IANA name; None: the browser's zone


def get_preferences(session: Session, actor: Actor, patient_id: int | None) -> Preferences:
    """Return what `actor` chose for the profile (or, with None, for themselves).

    Raises NotFoundError for a profile `actor` cannot see.
    """
    own = _own_account(session, actor)
    person = Preferences(own.region, own.time_zone) if own is not None else Preferences()
    if patient_id is None:
        return person
    patient = require(session, actor, patient_id)
    if Permission.WRITE not in permissions(session, actor, patient):
        return person  # a clinician reads a diary from where they are
    return Preferences(patient.region or person.region, patient.time_zone or person.time_zone)


def save_preferences(
    session: Session, actor: Actor, patient_id: int | None, region: str, time_zone: str | None
) -> Preferences:
    """Keep the region and time zone for the profile `actor` keeps and as the person's own; return them.

    A clinician's choice is their own only (a shared diary is not theirs to change). Raises
    ValidationError (an unknown region or zone) or NotFoundError (a profile they cannot see).
    """
    raise_if_any({"region": region_error(region), "time_zone": zone_error(time_zone) if time_zone else None})
    chosen = Preferences(region, time_zone or None)
    if patient_id is not None:
        patient = require(session, actor, patient_id)
        if Permission.WRITE in permissions(session, actor, patient):
            patient.region, patient.time_zone = chosen.region, chosen.time_zone
    if (own := _own_account(session, actor)) is not None:
        own.region, own.time_zone = chosen.region, chosen.time_zone
    session.flush()
    return chosen


def region_error(code: object) -> str | None:
    return None if code in {region.code for region in REGIONS} else "Choose a region from the list."


def _own_account(session: Session, actor: Actor) -> User | None:
    if actor.kind is not ActorKind.USER or not valid_id(actor.user_id):
        return None
    user = session.get(User, actor.user_id)
    if user is None:
        raise NotFoundError("There is no account signed in.")
    return user
