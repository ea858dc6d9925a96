"""Shared fixtures: a fresh database per test (SQLite file, and PostgreSQL when configured).

Migrating is the slow part (~130 ms a database), so it happens once per session: SQLite tests get a
copy of a migrated template file, PostgreSQL tests share one migrated schema emptied by DELETE.
"""

import functools
import os
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from aiosmtpd.controller import Controller
from helpers import APP, APP_TIMEOUT, NOW, QUICK_HASHER
from hostile import DEV_MAX_EXAMPLES
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from streamlit.components.v2 import manifest_scanner
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest

from tracker import config
from tracker.care_team import accounts
from tracker.notify import worker as notify
from tracker.notify.transport import NotifySettings, SmtpSettings
from tracker.storage.engine import create_db_engine, downgrade, session_factory
from tracker.storage.tables import Base

POSTGRES_URL_ENV = "TRACKER_TEST_DATABASE_URL"
BACKENDS = ["sqlite", "postgresql"]
# Emptying PostgreSQL between tests: a DELETE per table, children first, then every sequence back to 1
# (as a fresh SQLite copy starts). TRUNCATE of the 15 tables took ~350 ms a test (it swaps every
# table's files); DELETE of a test's handful of rows takes a few milliseconds.
EMPTY_ORDER = tuple(reversed(Base.metadata.sorted_tables))
RESTART_SEQUENCES = text(
    "SELECT setval(s.oid, 1, false) FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace"
    " WHERE s.relkind = 'S' AND n.nspname = current_schema()"
)


# Hypothesis: `dev` (the default) keeps the everyday loop quick; `ci` (set by .ci/run through
# HYPOTHESIS_PROFILE=ci) runs every property with the example counts written next to it
# (tests/hostile.py `examples`).
# Both are derandomized: the same examples on every run.
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile(
    "dev",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=DEV_MAX_EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


# Every new AppTest scans the metadata of every installed distribution for Streamlit components
# (~2 s of CPU, most of a page test). The installed packages do not change during a run: scan once.
_scan_installed_components = functools.cache(manifest_scanner.scan_component_manifests)


def _installed_components(max_workers: int | None = None) -> list[Any]:
    return list(_scan_installed_components())


manifest_scanner.scan_component_manifests = _installed_components


# Every new AppTest also has a new, empty script cache: it parses app.py and each page it opens again and
# rewrites the tree for Streamlit's "magic" (~7% of the everyday loop's CPU). Compile each file once per
# process instead, keyed by its path, modification time and size (a test that writes a script gets its own).
_compiled_scripts: dict[tuple[str, int, int], Any] = {}
_compile_script = ScriptCache.get_bytecode


def _cached_bytecode(self: ScriptCache, script_path: str) -> Any:
    stat = os.stat(script_path)
    key = (os.path.abspath(script_path), stat.st_mtime_ns, stat.st_size)
    if key not in _compiled_scripts:
        _compiled_scripts[key] = _compile_script(self, script_path)
    return _compiled_scripts[key]


ScriptCache.get_bytecode = _cached_bytecode  # type: ignore[method-assign]


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by these marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what a test needs, so `-m "not slow and not browser"` is the everyday loop.

    Every test that runs on PostgreSQL is `postgres`; every browser journey is `browser` (and `slow`).
    """
    for item in items:
        callspec = getattr(item, "callspec", None)
        params = callspec.params.values() if callspec is not None else ()
        if any(isinstance(value, str) and value == "postgresql" for value in params):
            item.add_marker(pytest.mark.postgres)
        fixtures = getattr(item, "fixturenames", ())
        if "postgres_engine" in fixtures:
            item.add_marker(pytest.mark.postgres)
        if Path(str(item.fspath)).name.startswith("test_browser"):
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per session; tests get a copy (~1 ms, not ~130 ms)."""
    path = tmp_path_factory.mktemp("template") / "migrated.sqlite3"
    create_db_engine(f"sqlite:///{path}").dispose()  # the last connection closing folds the WAL in
    return path


def migrated_sqlite_url(template: Path, folder: Path, name: str = "test.sqlite3") -> str:
    """Return the URL of a fresh copy of the migrated template in `folder`."""
    target = folder / name
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def empty_postgres(engine: Engine) -> None:
    """Empty every table and restart the ids (faster than a downgrade and upgrade, or a TRUNCATE).

    Stops the background senders first: none may be mid-query while the rows go.
    """
    notify.stop_background_senders()
    with engine.begin() as connection:
        for table in EMPTY_ORDER:
            connection.execute(table.delete())
        connection.execute(RESTART_SEQUENCES)


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    """The PostgreSQL database migrated once; under pytest-xdist each worker gets a schema of its own."""
    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_URL_ENV} (e.g. postgresql://postgres@127.0.0.1/test)")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        engine = create_db_engine(url, migrate=False)
        downgrade(engine, "base")
        create_db_engine(url).dispose()  # upgrade to head on a clean schema
        yield engine
        engine.dispose()
        return
    with in_schema(url, f"worker_{worker}") as engine:
        yield engine


@contextmanager
def in_schema(url: str, schema: str) -> Iterator[Engine]:
    """Yield an engine whose connections use a new, migrated PostgreSQL `schema`; drop it afterwards."""
    admin = create_db_engine(url, migrate=False)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = create_db_engine(scoped.render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        notify.stop_background_senders()
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """A migrated, empty database: a SQLite file, then PostgreSQL when configured."""
    if request.param == "sqlite":
        url = migrated_sqlite_url(request.getfixturevalue("sqlite_template"), tmp_path)
        sqlite_engine = create_db_engine(url, migrate=False)
        yield sqlite_engine
        sqlite_engine.dispose()
        return
    pg: Engine = request.getfixturevalue("postgres_engine")
    yield pg
    empty_postgres(pg)


MODULE_SCHEMA = "module_world"  # PostgreSQL: module_engine's own schema, untouched by the TRUNCATEs


@pytest.fixture(scope="module", params=BACKENDS)
def module_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A migrated database for one module's read-only tests: build what they read once, not per test.

    Its own SQLite copy, or its own PostgreSQL schema, so the per-test `engine` never empties it.
    """
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("module")
        url = migrated_sqlite_url(request.getfixturevalue("sqlite_template"), folder)
        sqlite_engine = create_db_engine(url, migrate=False)
        yield sqlite_engine
        sqlite_engine.dispose()
        return
    request.getfixturevalue("postgres_engine")  # skips without PostgreSQL
    schema = f"{MODULE_SCHEMA}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    with in_schema(os.environ[POSTGRES_URL_ENV], schema) as schema_engine:
        yield schema_engine


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every sign-up and sign-in in a test uses QUICK_HASHER (tests/helpers.py)."""
    monkeypatch.setattr(accounts, "_hasher", QUICK_HASHER)


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
        yield migrated_sqlite_url(request.getfixturevalue("sqlite_template"), tmp_path, "app.sqlite3")
        return
    engine = request.getfixturevalue("postgres_engine")
    yield engine.url.render_as_string(hide_password=False)
    notify.stop_background_senders()  # the app's sender must not be mid-query while the tables empty
    st.cache_data.clear()  # cached pages of this database describe rows about to be removed
    empty_postgres(engine)


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
