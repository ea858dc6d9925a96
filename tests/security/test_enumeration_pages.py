"""Account enumeration through the sign-in page: a known and an unknown address get the same answers."""

import test_account_pages
from test_account_pages import account, sign_in, sign_up
from test_pages import page_text

from tracker.care_team.accounts import MAX_FAILED_SIGN_INS

password_app = test_account_pages.password_app  # binding the fixture here is how pytest finds it


def answers(at) -> list[str]:
    return [error.value for error in at.error] + [info.value for info in at.info]


def test_signing_up_with_a_taken_address_reads_like_a_new_one(password_app, app_url):
    account(app_url, "ada@example.org", "patient", name="Ada")
    taken = answers(sign_up(password_app, "Mallory", "ada@example.org", "patient"))
    assert "already" not in " ".join(taken).replace("already had an account", "")
    password_app.session_state["auth_notice"] = None
    fresh = answers(sign_up(password_app, "Bea", "bea@example.org", "patient"))
    assert taken == fresh and any("Sign in below" in message for message in fresh)


def test_after_many_wrong_tries_a_known_and_an_unknown_address_read_the_same(password_app, app_url):
    account(app_url, "ada@example.org", "patient")
    said: dict[str, list[str]] = {}
    for email in ("ada@example.org", "nobody@example.org"):
        said[email] = [
            page_text(sign_in(password_app, email, "wrong password!")) for _ in range(MAX_FAILED_SIGN_INS + 1)
        ]
    assert said["ada@example.org"] == said["nobody@example.org"]
    assert "Too many tries" in said["nobody@example.org"][-1]
    assert not any("locked" in text for text in said["ada@example.org"])
