"""Attacks on sign-in and sign-up: parallel guessing, account enumeration, locking a stranger out.

Files here are collected by the project's pytest run like any under tests/ (tests/conftest.py and its
fixtures apply); no __init__.py, so every test file name must be unique across tests/.
"""

import threading
from collections import Counter
from datetime import timedelta
from typing import Literal

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError
from sqlalchemy import func, select

from tracker.care_team import accounts
from tracker.care_team.accounts import (
    ADDRESS_HOURLY_LIMIT,
    ATTEMPT_WINDOW,
    MAX_FAILED_SIGN_INS,
    SignInError,
    sign_in,
    sign_up,
)
from tracker.errors import ValidationError
from tracker.storage.tables import User

PASSWORD = "correct horse battery"
PARALLEL = 30


class CountingHasher(PasswordHasher):
    """The tests' quick argon2id, counting every password it verifies (the attacker's real currency)."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.lock = threading.Lock()
        self.counted: Counter = Counter()

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        with self.lock:
            self.counted["verified"] += 1
        try:
            return super().verify(hash, password)
        except VerifyMismatchError:
            with self.lock:
                self.counted["wrong"] += 1
            raise


@pytest.fixture
def checks(monkeypatch) -> Counter:
    hasher = CountingHasher()
    monkeypatch.setattr(accounts, "_hasher", hasher)
    return hasher.counted


def test_thirty_parallel_sign_ins_check_at_most_five_passwords(factory, now, checks):
    with factory.begin() as session:
        sign_up(session, "ada@example.org", "Ada", PASSWORD, "patient", now)
    passwords = [f"guess number {n}" for n in range(PARALLEL - 1)] + [PASSWORD]
    start = threading.Barrier(PARALLEL)
    outcomes: list[str] = []

    def attempt(password: str) -> None:
        start.wait()
        try:
            with factory.begin() as session:
                try:
                    sign_in(session, "ada@example.org", password, now)
                    outcomes.append("signed in")
                except SignInError as error:
                    outcomes.append(str(error))
        except Exception as error:  # a database error must show up in the assertion, not vanish
            outcomes.append(f"error: {error!r}")

    threads = [threading.Thread(target=attempt, args=(password,)) for password in passwords]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == PARALLEL
    assert not [outcome for outcome in outcomes if outcome.startswith("error")], outcomes
    assert checks["wrong"] <= MAX_FAILED_SIGN_INS, f"{checks['wrong']} wrong passwords were checked"
    assert checks["verified"] <= MAX_FAILED_SIGN_INS + 1, "the guesses and, perhaps, the right one"
    assert sum("Too many tries" in outcome for outcome in outcomes) >= PARALLEL - MAX_FAILED_SIGN_INS - 1


def failures(
    session, email: str, now, client: str = "10.0.0.9", times: int = MAX_FAILED_SIGN_INS
) -> list[str]:
    said = []
    for _ in range(times):
        with pytest.raises(SignInError) as caught:
            sign_in(session, email, "a wrong guess", now, client=client)
        said.append(str(caught.value))
    return said


def test_after_many_wrong_tries_a_known_and_an_unknown_address_read_the_same(session, now):
    sign_up(session, "ada@example.org", "Ada", PASSWORD, "patient", now)
    known = failures(session, "ada@example.org", now, times=MAX_FAILED_SIGN_INS + 2)
    unknown = failures(session, "nobody@example.org", now, times=MAX_FAILED_SIGN_INS + 2)
    assert known == unknown
    assert "Too many tries" in known[-1] and "locked" not in " ".join(known)


def test_a_stranger_cannot_lock_the_owner_out(session, now):
    sign_up(session, "ada@example.org", "Ada", PASSWORD, "patient", now)
    said = failures(session, "ada@example.org", now, client="203.0.113.7", times=MAX_FAILED_SIGN_INS + 3)
    assert "Too many tries" in said[-1], "the stranger's own guessing is throttled"
    owner = sign_in(session, "ada@example.org", PASSWORD, now, client="198.51.100.2")
    assert owner.actor.name == "Ada", "the owner, on their own device, signs in at once"


def test_the_stranger_waits_out_the_window_and_gets_five_more_tries_only(session, now, checks):
    sign_up(session, "ada@example.org", "Ada", PASSWORD, "patient", now)
    failures(session, "ada@example.org", now, times=MAX_FAILED_SIGN_INS + 5)
    assert checks["verified"] == MAX_FAILED_SIGN_INS
    failures(session, "ada@example.org", now + ATTEMPT_WINDOW, times=MAX_FAILED_SIGN_INS + 5)
    assert checks["verified"] == 2 * MAX_FAILED_SIGN_INS


def test_guessing_from_many_clients_is_capped_per_address(session, now, checks):
    sign_up(session, "ada@example.org", "Ada", PASSWORD, "patient", now)
    clients = ADDRESS_HOURLY_LIMIT // MAX_FAILED_SIGN_INS + 2
    for number in range(clients):
        failures(session, "ada@example.org", now, client=f"10.1.0.{number}")
    assert checks["verified"] == ADDRESS_HOURLY_LIMIT, "OWASP ASVS 2.2.1: at most 100 an hour"


def test_sign_up_with_a_taken_address_answers_like_a_new_one_and_changes_nothing(session, now):
    ada = sign_up(session, "ada@example.org", "Ada", PASSWORD, "patient", now)
    again = sign_up(session, "ADA@example.org", "Mallory", "another long password", "clinician", now)
    assert ada is not None and again is None, "no error that would tell the address is taken"
    assert session.scalar(select(func.count()).select_from(User)) == 1
    assert sign_in(session, "ada@example.org", PASSWORD, now + timedelta(seconds=1)).actor.name == "Ada"


def test_sign_up_with_a_taken_address_still_names_bad_fields_like_a_new_one(session, now):
    sign_up(session, "ada@example.org", "Ada", PASSWORD, "patient", now)
    errors = []
    for email in ("ada@example.org", "new@example.org"):
        with pytest.raises(ValidationError) as caught:
            sign_up(session, email, "Someone", "short", "patient", now)
        errors.append(caught.value.errors)
    assert errors[0] == errors[1] and set(errors[0]) == {"password"}
