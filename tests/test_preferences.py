"""Region and time zone are kept in the database per person and per profile (not per browser tab)."""

import pytest

from tracker.care_team.access import LOCAL
from tracker.care_team.accounts import actor_for, sign_up
from tracker.care_team.sharing import accept_invitation, create_invitation
from tracker.diary.patients import add_patient, ensure_default_patient
from tracker.diary.preferences import Preferences, get_preferences, save_preferences
from tracker.errors import ValidationError


def test_the_single_user_s_region_is_kept_with_the_profile(factory):
    with factory.begin() as session:
        (me,) = ensure_default_patient(session, LOCAL)
        assert get_preferences(session, LOCAL, me.id) == Preferences(None, None), "the server's default"
        save_preferences(session, LOCAL, me.id, "US", "America/Chicago")
    with factory.begin() as session:  # a new transaction: what a reload or a new tab reads
        assert get_preferences(session, LOCAL, me.id) == Preferences("US", "America/Chicago")


def test_each_profile_keeps_its_own_and_a_new_one_starts_from_the_person_s(factory, now):
    with factory.begin() as session:
        carer = actor_for(sign_up(session, "pat@example.org", "Pat", "a long password", "caregiver", now))
        mum, son = add_patient(session, carer, "Mum"), add_patient(session, carer, "Son")
        save_preferences(session, carer, mum.id, "IE", "Europe/Dublin")
        save_preferences(session, carer, son.id, "AU", None)
        later = add_patient(session, carer, "Later")
    with factory.begin() as session:
        assert get_preferences(session, carer, mum.id) == Preferences("IE", "Europe/Dublin")
        assert get_preferences(session, carer, son.id) == Preferences("AU", None)
        assert get_preferences(session, carer, later.id) == Preferences("AU", None), (
            "the person's last choice"
        )


def test_a_clinician_keeps_their_own_choice_and_never_changes_the_patient_s(factory, now):
    with factory.begin() as session:
        pat = actor_for(sign_up(session, "pat@example.org", "Pat", "a long password", "patient", now))
        lee = actor_for(sign_up(session, "lee@example.org", "Lee", "a long password", "clinician", now))
        (sam,) = ensure_default_patient(session, pat)
        save_preferences(session, pat, sam.id, "GB", "Europe/London")
        accept_invitation(session, lee, create_invitation(session, pat, sam.id, now), now)
        save_preferences(session, lee, sam.id, "NZ", "Pacific/Auckland")
    with factory.begin() as session:
        assert get_preferences(session, lee, sam.id) == Preferences("NZ", "Pacific/Auckland")
        assert get_preferences(session, pat, sam.id) == Preferences("GB", "Europe/London")


@pytest.mark.parametrize(
    ("region", "zone", "field"), [("XX", None, "region"), ("US", "Mars/Base", "time_zone")]
)
def test_an_unknown_region_or_zone_is_refused_by_name(session, region, zone, field):
    (me,) = ensure_default_patient(session, LOCAL)
    with pytest.raises(ValidationError) as caught:
        save_preferences(session, LOCAL, me.id, region, zone)
    assert set(caught.value.errors) == {field}
    assert get_preferences(session, LOCAL, me.id) == Preferences()


def test_the_download_of_everything_holds_the_region_and_time_zone(session, now):
    import json

    from tracker.care_team.my_data import export_everything

    (me,) = ensure_default_patient(session, LOCAL)
    save_preferences(session, LOCAL, me.id, "IN", "Asia/Kolkata")
    (profile,) = json.loads(export_everything(session, LOCAL, now))["profiles"]
    assert (profile["region"], profile["time_zone"]) == ("IN", "Asia/Kolkata")
