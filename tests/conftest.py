"""Shared fixtures: a fresh database per test (SQLite file, and PostgreSQL when configured)."""

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import streamlit as st
from argon2 import PasswordHasher
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from tracker import accounts, config
from tracker.db import create_db_engine, downgrade, session_factory

APP = str(Path(__file__).resolve().parent.parent / "app.py")
APP_TIMEOUT = 60  # a first run loads the model and migrates the database

POSTGRES_URL_ENV = "TRACKER_TEST_DATABASE_URL"
BACKENDS = ["sqlite", "postgresql"]
TABLES = (
    "outcomes",
    "deliveries",
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
