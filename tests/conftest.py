"""Shared fixtures: a fresh database per test (SQLite file, and PostgreSQL when configured)."""

import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from aiosmtpd.controller import Controller
from argon2 import PasswordHasher
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from tracker import accounts, config, notify
from tracker.channels import NotifySettings, SmtpSettings
from tracker.db import create_db_engine, downgrade, session_factory

APP = str(Path(__file__).resolve().parent.parent / "app.py")
APP_TIMEOUT = 60  # a first run loads the model and migrates the database

POSTGRES_URL_ENV = "TRACKER_TEST_DATABASE_URL"
BACKENDS = ["sqlite", "postgresql"]
TABLES = (
    "outcomes",
    "deliveries",
    "confirmation_sends",
    "contacts",
    "shares",
    "invitations",
    "alerts",
    "check_in_factors",
    "symptom_entries",
    "check_ins",
    "patient_conditions",
    "patients",
    "user_sessions",
    "sign_in_attempts",
    "users",
)
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_URL_ENV} (e.g. postgresql://postgres@127.0.0.1/test)")
    engine = create_db_engine(url, migrate=False)
    downgrade(engine, "base")
    create_db_engine(url)  # upgrade to head on a clean schema
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """A migrated, empty database: a SQLite file, then PostgreSQL when configured."""
    if request.param == "sqlite":
        sqlite_engine = create_db_engine(f"sqlite:///{tmp_path / 'test.sqlite3'}")
        yield sqlite_engine
        sqlite_engine.dispose()
        return
    pg: Engine = request.getfixturevalue("postgres_engine")
    yield pg
    notify.stop_background_senders()
    with pg.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its lowest cost in tests: a real hash, a thousandth of the work of a sign-up."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def session(factory: sessionmaker[Session]) -> Iterator[Session]:
    with factory.begin() as db_session:
        yield db_session


@pytest.fixture
def now() -> datetime:
    """A frozen clock: 25 November 2026, noon UTC."""
    return NOW


@pytest.fixture(params=BACKENDS)
def app_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """The app's database: a fresh SQLite file, then (when configured) the emptied PostgreSQL one."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'app.sqlite3'}"
        return
    engine = request.getfixturevalue("postgres_engine")
    yield engine.url.render_as_string(hide_password=False)
    notify.stop_background_senders()  # the app's sender must not be mid-query while the tables empty
    st.cache_data.clear()  # cached pages of this database describe rows about to be removed
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))


@pytest.fixture
def app(app_url, monkeypatch) -> AppTest:
    """The app in single-user mode on `app_url`, after its first run."""
    monkeypatch.setenv(config.DATABASE_URL_ENV, app_url)
    monkeypatch.setenv(config.REGION_ENV, "GB")
    at = AppTest.from_file(APP, default_timeout=APP_TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(autouse=True)
def no_sender_left_running() -> Iterator[None]:
    """Stop the background senders a test started (the app starts one): none outlives its database."""
    yield
    notify.stop_background_senders()


class LocalInbox:
    """What a real SMTP server on 127.0.0.1 received: (recipients, parsed message) pairs."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.settings = NotifySettings()

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def bodies(self) -> list[str]:
        return [message.get_content() for _, message in self.messages]


@pytest.fixture
def smtp_inbox() -> Iterator[LocalInbox]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1; `smtp_inbox.settings` sends to it. Nothing leaves."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = LocalInbox()
    inbox.settings = NotifySettings(
        SmtpSettings("127.0.0.1", port, "tracker@example.org", security="none"), "999"
    )
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox
    controller.stop()
