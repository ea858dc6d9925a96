import pytest

from tracker.care_team.access import LOCAL
from tracker.diary.patients import (
    add_patient,
    ensure_default_patient,
    find_patient_by_name,
    list_patients,
    rename_patient,
)
from tracker.errors import NotFoundError, ValidationError


def test_added_patients_are_listed_oldest_first(session):
    add_patient(session, LOCAL, "Ada")
    add_patient(session, LOCAL, "Grace")
    assert [p.name for p in list_patients(session, LOCAL)] == ["Ada", "Grace"]


def test_fresh_install_gets_one_default_patient(session):
    first = ensure_default_patient(session, LOCAL)
    again = ensure_default_patient(session, LOCAL)
    assert [p.id for p in first] == [p.id for p in again]
    assert [p.name for p in list_patients(session, LOCAL)] == ["Me"]


def test_rename_changes_the_name(session):
    patient = add_patient(session, LOCAL, "Ada")
    rename_patient(session, LOCAL, patient.id, "  Ada   Lovelace ")
    assert find_patient_by_name(session, LOCAL, "ada lovelace").id == patient.id


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_bad_names_are_refused_with_a_message(session, name):
    with pytest.raises(ValidationError) as error:
        add_patient(session, LOCAL, name)
    assert "name" in error.value.errors


def test_renaming_an_unknown_patient_says_so(session):
    with pytest.raises(NotFoundError, match="no patient"):
        rename_patient(session, LOCAL, 999, "Bob")
