"""Shared fixtures: a fresh database per test (SQLite file, and PostgreSQL when configured)."""

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from tracker.db import create_db_engine, downgrade, session_factory

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
