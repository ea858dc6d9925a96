"""Accounts: sign-up checks, argon2 hashes, throttling, expiring sessions, OIDC users, deletion."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tracker.care_team import accounts
from tracker.care_team.accounts import (
    ATTEMPT_WINDOW,
    MAX_FAILED_SIGN_INS,
    SESSION_IDLE,
    SESSION_MAX,
    SignInError,
    create_oidc_user,
    end_session,
    oidc_user,
    resume_session,
    sign_in,
    sign_up,
)
from tracker.errors import ValidationError
from tracker.storage.tables import User, UserSession

PASSWORD = "correct horse battery"


@pytest.fixture
def ada(session, now) -> User:
    return sign_up(session, " Ada@Example.ORG ", "Ada", PASSWORD, "patient", now)


def test_the_password_is_stored_only_as_an_argon2id_hash(ada):
    assert ada.password_hash.startswith("$argon2id$")
    assert PASSWORD not in ada.password_hash
    assert ada.email == "ada@example.org", "one account per address, whatever its case"


def test_sign_up_names_every_bad_field(session, now):
    with pytest.raises(ValidationError) as caught:
        sign_up(session, "not an address", " ", "short", "admin", now)
    assert set(caught.value.errors) == {"email", "name", "password", "role"}
    assert "at least 10 characters" in caught.value.errors["password"]


def test_an_address_can_have_one_account(session, ada, now):
    assert sign_up(session, "ADA@example.org", "Another Ada", PASSWORD, "caregiver", now) is None
    assert session.scalars(select(User.name)).all() == ["Ada"]


def test_the_right_password_opens_a_session_for_that_user(session, ada, now):
    signed_in = sign_in(session, "ADA@example.org", PASSWORD, now)
    assert (signed_in.actor.user_id, signed_in.actor.name) == (ada.id, "Ada")
    assert resume_session(session, signed_in.token, now + timedelta(minutes=1)) == signed_in.actor
    stored = session.scalar(select(UserSession.token_hash))
    assert signed_in.token not in stored, "only a hash of the token is kept"


def test_a_wrong_password_and_an_unknown_address_read_the_same(session, ada, now):
    with pytest.raises(SignInError) as wrong:
        sign_in(session, "ada@example.org", "not my password", now)
    with pytest.raises(SignInError) as unknown:
        sign_in(session, "nobody@example.org", "not my password", now)
    assert str(wrong.value) == str(unknown.value)


def test_repeated_wrong_passwords_are_throttled_for_a_while(session, ada, now):
    for _ in range(MAX_FAILED_SIGN_INS):
        with pytest.raises(SignInError, match="do not match"):
            sign_in(session, "ada@example.org", "guess", now)
    with pytest.raises(SignInError, match="wait 1 minute and"):
        sign_in(session, "ada@example.org", PASSWORD, now + ATTEMPT_WINDOW - timedelta(minutes=1))
    assert sign_in(session, "ada@example.org", PASSWORD, now + ATTEMPT_WINDOW).actor.user_id == ada.id


def test_signing_in_again_and_again_with_the_right_password_is_never_throttled(session, ada, now):
    for _ in range(3 * MAX_FAILED_SIGN_INS):
        sign_in(session, "ada@example.org", PASSWORD, now)  # a tab each: every one gives its check back
    with pytest.raises(SignInError, match="do not match"):
        sign_in(session, "ada@example.org", "guess", now)


def test_a_session_ends_after_idle_time(session, ada, now):
    token = sign_in(session, "ada@example.org", PASSWORD, now).token
    assert resume_session(session, token, now + SESSION_IDLE - timedelta(seconds=1)) is not None
    later = now + SESSION_IDLE - timedelta(seconds=1) + SESSION_IDLE
    assert resume_session(session, token, later) is None
    assert resume_session(session, token, now) is None, "an ended session is gone for good"


def test_a_session_ends_after_its_maximum_age_even_when_used(session, ada, now):
    token = sign_in(session, "ada@example.org", PASSWORD, now).token
    moment = now
    while moment + timedelta(minutes=20) < now + SESSION_MAX:
        moment += timedelta(minutes=20)
        assert resume_session(session, token, moment) is not None
    assert resume_session(session, token, now + SESSION_MAX) is None


def test_sign_out_ends_the_session(session, ada, now):
    token = sign_in(session, "ada@example.org", PASSWORD, now).token
    end_session(session, token)
    assert resume_session(session, token, now) is None


def test_an_oidc_user_has_no_account_until_they_choose_a_role(session, now):
    assert oidc_user(session, "grace@example.org", now) is None
    created = create_oidc_user(session, "Grace@example.org", "Grace Hopper", "clinician", now)
    assert oidc_user(session, "grace@example.org", now).id == created.id
    assert (created.provider, created.password_hash, created.role) == ("oidc", None, "clinician")
    with pytest.raises(SignInError):
        sign_in(session, "grace@example.org", "", now), "no password sign-in for an OIDC account"


def test_deleting_an_account_takes_its_sessions(session, ada, now):
    signed_in = sign_in(session, "ada@example.org", PASSWORD, now)
    assert accounts.delete_account(session, signed_in.actor) == 0
    session.flush()
    assert session.scalar(select(UserSession)) is None
    assert resume_session(session, signed_in.token, now) is None
