"""Sign-in modes through the pages (AppTest): none, password and OIDC (with AppTest's `user`)."""

from datetime import timedelta

import pytest
from helpers import APP
from helpers import APP_TIMEOUT as TIMEOUT
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest
from test_pages import log, page_text

from tracker import config
from tracker.alerts.inbox import inbox
from tracker.care_team import accounts
from tracker.care_team.access import SYSTEM
from tracker.care_team.accounts import MAX_FAILED_SIGN_INS
from tracker.care_team.outcomes import list_outcomes
from tracker.care_team.sharing import accept_invitation, create_invitation, list_shares, revoke_share
from tracker.diary.checkins import log_check_in
from tracker.diary.patients import add_patient, list_patients
from tracker.diary.validation import EntryInput
from tracker.storage.engine import create_db_engine, session_factory
from tracker.storage.tables import SymptomEntry, User, utcnow
from tracker.triage.engine import default_triager
from ui.auth import TOKEN_KEY

PASSWORD = "correct horse battery"


@pytest.fixture
def password_app(app_url, monkeypatch) -> AppTest:
    monkeypatch.setenv(config.DATABASE_URL_ENV, app_url)
    monkeypatch.setenv(config.REGION_ENV, "GB")
    monkeypatch.setenv(config.AUTH_ENV, "password")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def factory(url: str):
    return session_factory(create_db_engine(url))


def account(url: str, email: str, role: str, name: str = "Someone") -> None:
    with factory(url).begin() as session:
        accounts.sign_up(session, email, name, PASSWORD, role, utcnow())


def sign_up_in(at: AppTest, name: str, email: str, role: str, password: str = PASSWORD) -> AppTest:
    """Create an account, then sign in with it (the form asks for that, whether the address was new)."""
    at = sign_up(at, name, email, role, password)
    return at if at.error else sign_in(at, email, password)


def sign_up(at: AppTest, name: str, email: str, role: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="sign_up_name").input(name)
    at.text_input(key="sign_up_email").input(email)
    at.text_input(key="sign_up_password").input(password)
    at.radio(key="sign_up_role").set_value(role)
    at.button(key="FormSubmitter:sign_up_form-Create account").click().run()
    assert not at.exception, at.exception
    return at


def sign_in(at: AppTest, email: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="sign_in_email").input(email)
    at.text_input(key="sign_in_password").input(password)
    at.button(key="FormSubmitter:sign_in_form-Sign in").click().run()
    assert not at.exception, at.exception
    return at


def test_without_configuration_the_app_has_no_sign_in_and_says_so(app):
    sidebar = " ".join(str(caption.value) for caption in app.sidebar.caption)
    assert "There is no sign-in here" in sidebar and "auth_mode" not in sidebar
    assert app.title[0].value == "Log symptoms"


def test_password_mode_asks_to_sign_in_before_showing_anything(password_app):
    assert password_app.title[0].value == "Symptom Tracker"
    assert password_app.text_input(key="sign_in_email") is not None
    assert "Log symptoms" not in [title.value for title in password_app.title]
    assert "not a medical device" in page_text(password_app)


def test_a_patient_signs_up_signs_in_and_lands_on_their_own_log_page(password_app, app_url):
    at = sign_up(password_app, "Ada", "Ada@Example.org", "patient")
    assert "Sign in below" in page_text(at)
    assert at.text_input(key="sign_in_email").value == "ada@example.org", "the address is filled in"
    at = sign_in(at, "ada@example.org")
    assert at.title[0].value == "Log symptoms"
    log(at, ("Headache", 2))
    with factory(app_url).begin() as session:
        user = session.scalar(select(User))
        (profile,) = list_patients(session, SYSTEM)
    assert (user.email, user.role, profile.owner_id) == ("ada@example.org", "patient", user.id)
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_sign_up_shows_each_problem_next_to_its_field(password_app):
    at = sign_up(password_app, "", "not-an-email", "caregiver", password="short")
    errors = [error.value for error in at.error]
    assert any("name" in message for message in errors)
    assert any("e-mail address" in message for message in errors)
    assert any("at least 10 characters" in message for message in errors)
    assert at.title[0].value == "Symptom Tracker", "still on the sign-in page, nothing created"


def test_wrong_passwords_are_refused_then_tries_are_throttled(password_app, app_url):
    account(app_url, "ada@example.org", "patient")
    for _ in range(MAX_FAILED_SIGN_INS):
        at = sign_in(password_app, "ada@example.org", "wrong password!")
        assert "do not match an account" in page_text(at)
    at = sign_in(at, "ada@example.org")  # the right password, but too many tries from here
    assert "Too many tries" in page_text(at) and at.title[0].value == "Symptom Tracker"


def signed_in_app(url: str, email: str) -> AppTest:
    """A first run of the app in a browser session already signed in (AppTest shows the sidebar then)."""
    with factory(url).begin() as session:
        token = accounts.sign_in(session, email, PASSWORD, utcnow()).token
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state[TOKEN_KEY] = token
    return at.run()


def test_sign_out_returns_to_the_sign_in_page(password_app, app_url):
    account(app_url, "ada@example.org", "patient")
    at = signed_in_app(app_url, "ada@example.org")
    assert at.title[0].value == "Log symptoms"
    assert "Signed in as **Someone**" in " ".join(str(caption.value) for caption in at.sidebar.caption)
    at.sidebar.button(key="sign_out").click().run()
    assert at.title[0].value == "Symptom Tracker"


def test_a_caregiver_starts_by_adding_a_profile(password_app, app_url):
    at = sign_up_in(password_app, "Pat", "pat@example.org", "caregiver")
    assert "Add the first person you look after" in page_text(at)
    at.text_input(key="first_patient_name").input("Sam")
    at.button(key="add_first_patient").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Log symptoms"
    log(at, ("Fever", 3))
    with factory(app_url).begin() as session:
        (sam,) = list_patients(session, SYSTEM)
    assert sam.name == "Sam"


def test_a_clinician_enters_a_code_sees_the_diary_and_its_alerts_read_only(password_app, app_url):
    account(app_url, "pat@example.org", "caregiver", "Pat")
    with factory(app_url).begin() as session:
        pat = accounts.actor_for_email(session, "pat@example.org")
        sam = add_patient(session, pat, "Sam")
        code = create_invitation(session, pat, sam.id, utcnow())
    at = sign_up_in(password_app, "Dr Lee", "lee@example.org", "clinician")
    assert "No patient has shared their diary with you yet" in page_text(at)
    at.text_input(key="invitation_code").input(code.lower())
    at.button(key="accept_invitation").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "History"
    assert "you can read it, not change it" in page_text(at)
    at.button_group(key="view").set_value("Entries").run()
    assert not at.exception, at.exception
    assert at.dataframe, "the entries are shown as a table"
    assert "save_edits" not in [button.key for button in at.button], "no editing for a clinician"


def test_a_clinician_records_an_outcome(password_app, app_url):

    account(app_url, "pat@example.org", "caregiver", "Pat")
    account(app_url, "lee@example.org", "clinician", "Dr Lee")
    now = utcnow()
    with factory(app_url).begin() as session:
        pat = accounts.actor_for_email(session, "pat@example.org")
        lee = accounts.actor_for_email(session, "lee@example.org")
        sam = add_patient(session, pat, "Sam")
        log_check_in(
            session, pat, sam.id, [EntryInput("Chest pain", 5, now - timedelta(hours=2))], default_triager()
        )
        accept_invitation(session, lee, create_invitation(session, pat, sam.id, now), now)
    at = sign_in(password_app, "lee@example.org")
    at.switch_page("pages/alerts.py").run()
    assert "Chest pain" in page_text(at)
    at.switch_page("pages/outcomes.py").run()
    assert not at.exception, at.exception
    at.radio(key="outcome_level").set_value("urgent")
    at.button(key="save_outcome").click().run()
    assert not at.exception, at.exception
    with factory(app_url).begin() as session:
        (outcome,) = list_outcomes(session, SYSTEM, sam.id)
        assert [alert.message for alert, _ in inbox(session, lee)]
    assert (outcome.symptom, outcome.level) == ("Chest pain", "urgent")
    assert "Get medical help today" in page_text(at)


def test_oidc_mode_without_an_auth_section_stops_with_a_plain_message(app_url, monkeypatch, tmp_path):
    monkeypatch.setenv(config.DATABASE_URL_ENV, app_url)
    monkeypatch.setenv(config.AUTH_ENV, "oidc")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["region"] = "GB"  # secrets without [auth]
    at.run()
    assert not at.exception, at.exception
    assert "needs an [auth] section" in at.error[0].value


@pytest.fixture
def oidc_app(app_url, monkeypatch) -> AppTest:
    monkeypatch.setenv(config.DATABASE_URL_ENV, app_url)
    monkeypatch.setenv(config.AUTH_ENV, "oidc")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-secret",
        "client_id": "tracker",
        "client_secret": "secret",
        "server_metadata_url": "https://id.example.org/.well-known/openid-configuration",
    }
    return at


def test_oidc_mode_offers_the_provider_sign_in_to_a_signed_out_user(oidc_app):
    oidc_app.user = {"is_logged_in": False}
    oidc_app.run()
    assert not oidc_app.exception, oidc_app.exception
    assert oidc_app.button(key="oidc_sign_in").label == "Sign in"


def test_oidc_first_visit_asks_the_role_then_opens_the_app(oidc_app, app_url):
    oidc_app.user = {"is_logged_in": True, "email": "Ada@Example.org", "name": "Ada Lovelace"}
    at = oidc_app.run()
    assert "how will you use the tracker" in page_text(at)
    at.radio(key="oidc_role").set_value("patient")
    at.button(key="oidc_continue").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Log symptoms"
    with factory(app_url).begin() as session:
        user = session.scalar(select(User))
    assert (user.email, user.name, user.provider, user.password_hash) == (
        "ada@example.org",
        "Ada Lovelace",
        "oidc",
        None,
    )


def test_an_oidc_user_sees_only_their_own_profiles(oidc_app, app_url):
    account(app_url, "pat@example.org", "caregiver", "Pat")
    with factory(app_url).begin() as session:
        add_patient(session, accounts.actor_for_email(session, "pat@example.org"), "Sam")
        accounts.create_oidc_user(session, "ada@example.org", "Ada", "patient", utcnow())
    oidc_app.user = {"is_logged_in": True, "email": "ada@example.org", "name": "Ada"}
    at = oidc_app.run()
    patients = at.sidebar.selectbox(key="patient_id")
    assert patients.options == ["Me"]


def test_everything_downloads_as_one_file_and_deleting_it_asks_first(app, app_url):
    log(app, ("Cough", 2))
    at = app.switch_page("pages/data.py").run()
    assert "Download everything (JSON)" in [button.proto.label for button in at.get("download_button")]
    assert at.button(key="confirm_delete_everything").disabled, "nothing is deleted before DELETE is typed"
    at.text_input(key="delete_everything_confirm").input("delete").run()
    assert at.button(key="confirm_delete_everything").disabled
    at.text_input(key="delete_everything_confirm").input("DELETE").run()
    at.button(key="confirm_delete_everything").click().run()
    assert not at.exception, at.exception
    with factory(app_url).begin() as session:
        assert [p.name for p in list_patients(session, SYSTEM)] in ([], ["Me"]), "a fresh start, no entries"
        assert session.scalar(select(func.count()).select_from(SymptomEntry)) == 0


def test_deleting_an_account_signs_out_and_removes_it(password_app, app_url):
    account(app_url, "ada@example.org", "patient")
    at = signed_in_app(app_url, "ada@example.org")
    log(at, ("Cough", 2))
    at.switch_page("pages/data.py").run()
    at.text_input(key="delete_everything_confirm").input("DELETE").run()
    at.button(key="confirm_delete_everything").click().run()
    assert not at.exception, at.exception
    assert "Your data has been deleted." in page_text(at)
    with factory(app_url).begin() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0
        assert list_patients(session, SYSTEM) == []


def test_when_sharing_stops_the_clinicians_next_run_shows_no_diary(password_app, app_url):
    account(app_url, "pat@example.org", "caregiver", "Pat")
    account(app_url, "lee@example.org", "clinician", "Dr Lee")
    now = utcnow()
    with factory(app_url).begin() as session:
        pat = accounts.actor_for_email(session, "pat@example.org")
        sam = add_patient(session, pat, "Sam")
        accept_invitation(
            session,
            accounts.actor_for_email(session, "lee@example.org"),
            create_invitation(session, pat, sam.id, now),
            now,
        )
    at = signed_in_app(app_url, "lee@example.org")
    assert at.title[0].value == "History" and not at.exception
    with factory(app_url).begin() as session:
        (share,) = list_shares(session, pat, sam.id)
        revoke_share(session, pat, sam.id, share.id, now)
    at.run()
    assert not at.exception, at.exception
    assert "No patient has shared their diary with you yet" in page_text(at)
