"""An ended session (signed out elsewhere, or idle too long) cannot write from a tab left open.

Widget callbacks run before app.py's sign-in check, and a fragment's rerun skips app.py altogether: a
write checks the session itself, in the transaction it writes in.
"""

from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update
from test_account_pages import PASSWORD, account, factory

from security.editor_client import fresh_app, open_entries, send_editor_state
from tracker import config
from tracker.care_team import accounts
from tracker.diary.checkins import log_check_in
from tracker.diary.patients import add_patient
from tracker.diary.validation import EntryInput
from tracker.storage.tables import SymptomEntry, User, UserSession, utcnow
from tracker.triage.engine import default_triager
from ui.auth import TOKEN_KEY


@pytest.fixture
def signed_in(app_url, monkeypatch):
    """Ada, signed in, on History's Entries view with one Cough entry."""
    monkeypatch.setenv(config.DATABASE_URL_ENV, app_url)
    monkeypatch.setenv(config.AUTH_ENV, "password")
    monkeypatch.setenv(config.REFRESH_ENV, "0")
    account(app_url, "ada@example.org", "patient", "Ada")
    with factory(app_url).begin() as session:
        ada = accounts.actor_for_email(session, "ada@example.org")
        patient = add_patient(session, ada, "Ada")
        entry = [EntryInput("Cough", 2, utcnow() - timedelta(hours=1))]
        log_check_in(session, ada, patient.id, entry, default_triager())
        token = accounts.sign_in(session, "ada@example.org", PASSWORD, utcnow()).token
    at = fresh_app()
    at.session_state[TOKEN_KEY] = token
    at.run()
    return open_entries(at)


def end_session(url: str, how: str) -> None:
    with factory(url).begin() as session:
        if how == "signed out elsewhere":
            session.execute(delete(UserSession))
        else:
            idle = utcnow() - accounts.SESSION_IDLE - timedelta(minutes=1)
            session.execute(update(UserSession).values(last_seen_at=idle))


def severities(url: str) -> list[int]:
    with factory(url).begin() as session:
        return list(session.scalars(select(SymptomEntry.severity)))


@pytest.mark.parametrize("how", ["signed out elsewhere", "idle for 31 minutes"])
def test_save_changes_from_a_tab_whose_session_ended_writes_nothing(signed_in, app_url, how):
    end_session(app_url, how)
    at = send_editor_state(signed_in, {"edited_rows": {"0": {"severity": 5}}})
    assert not at.exception, at.exception
    assert severities(app_url) == [2]
    assert at.title[0].value == "Symptom Tracker", "the tab is back on the sign-in page"
    assert "Your session ended" in " ".join(str(i.value) for i in [*at.info, *at.warning, *at.markdown])


@pytest.mark.parametrize("how", ["signed out elsewhere", "idle for 31 minutes"])
def test_delete_marked_from_a_tab_whose_session_ended_deletes_nothing(signed_in, app_url, how):
    marked = {"edited_rows": {"0": {"delete": True}}}
    at = send_editor_state(send_editor_state(signed_in, marked, click=None), marked, click="delete_marked")
    assert at.button(key="confirm_delete"), "the confirmation is open"
    end_session(app_url, how)
    at.button(key="confirm_delete").click().run()
    assert not at.exception, at.exception
    assert severities(app_url) == [2]


def test_a_live_session_still_saves(signed_in, app_url):
    at = send_editor_state(signed_in, {"edited_rows": {"0": {"severity": 3}}})
    assert not at.exception, at.exception
    assert severities(app_url) == [3]


def test_a_live_session_still_deletes(signed_in, app_url):
    marked = {"edited_rows": {"0": {"delete": True}}}
    at = send_editor_state(send_editor_state(signed_in, marked, click=None), marked, click="delete_marked")
    at.button(key="confirm_delete").click().run()
    assert not at.exception, at.exception
    assert severities(app_url) == []


@pytest.mark.parametrize("how", ["signed out elsewhere", "idle for 31 minutes"])
def test_a_check_in_saved_from_a_tab_whose_session_ended_is_not_stored(signed_in, app_url, how):
    at = signed_in.switch_page("pages/log.py").run()
    row = at.session_state["rows"][0]
    at.selectbox(key=f"symptom_{row}").set_value("Fever")
    end_session(app_url, how)
    at.button(key="save").click().run()
    assert not at.exception, at.exception
    assert severities(app_url) == [2], "only the entry logged before"
    # AppTest reruns only the page after switch_page; in the browser app.py then shows the sign-in page.
    assert TOKEN_KEY not in at.session_state
    assert at.session_state["auth_notice"] == accounts.SESSION_ENDED


def test_delete_everything_from_a_tab_whose_session_ended_deletes_nothing(signed_in, app_url):
    at = signed_in.switch_page("pages/data.py").run()
    at.text_input(key="delete_everything_confirm").input("DELETE").run()
    end_session(app_url, "signed out elsewhere")
    at.button(key="confirm_delete_everything").click().run()
    assert not at.exception, at.exception
    assert severities(app_url) == [2]
    with factory(app_url).begin() as session:
        assert session.scalar(select(User.email)) == "ada@example.org"
