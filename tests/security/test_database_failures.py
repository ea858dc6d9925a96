"""A database that is down, read-only or full: a plain message naming the problem, never its address
or password, on the page and on the command line (one line, non-zero exit, no traceback)."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import APP, APP_TIMEOUT
from sqlalchemy import Engine, event
from streamlit.testing.v1 import AppTest
from test_pages import log, page_text

from tracker import config
from tracker.care_team.access import LOCAL
from tracker.diary.patients import ensure_default_patient, rename_patient
from tracker.errors import DatabaseFullError, DatabaseReadOnlyError, DatabaseUnavailableError
from tracker.storage.engine import create_db_engine, session_factory

ROOT_DIR = Path(APP).parent
CLOSED = "postgresql://tracker:s3cret-pw@127.0.0.1:1/tracker"  # nothing listens on port 1


def assert_plain(message: str) -> None:
    assert "s3cret" not in message and "127.0.0.1" not in message and "Traceback" not in message


def writable_then_read_only(tmp_path: Path) -> str:
    """Return the URL of a migrated SQLite file with one profile, opened read-only (as a read-only
    mount would be: tests run as root, so a chmod would not stop the writes)."""
    path = tmp_path / "tracker.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    with session_factory(engine).begin() as session:
        ensure_default_patient(session, LOCAL)
    engine.dispose()
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def _full(conn, cursor, statement, parameters, context, executemany):
    """Fail an INSERT as SQLite does when the disk is full (the real sqlite3 error)."""
    if statement.lstrip().upper().startswith("INSERT"):
        raise sqlite3.OperationalError("database or disk is full")


@pytest.fixture
def disk_full():
    event.listen(Engine, "before_cursor_execute", _full)
    yield
    event.remove(Engine, "before_cursor_execute", _full)


def test_a_server_that_is_down_is_named_as_such(tmp_path):
    with pytest.raises(DatabaseUnavailableError) as caught:
        create_db_engine(CLOSED)
    assert "cannot be reached" in str(caught.value)
    assert_plain(str(caught.value))


def test_a_read_only_file_is_named_as_such(tmp_path):
    engine = create_db_engine(writable_then_read_only(tmp_path))
    with pytest.raises(DatabaseReadOnlyError, match="read-only"), session_factory(engine).begin() as session:
        rename_patient(session, LOCAL, 1, "Sam")


def test_a_full_disk_is_named_as_such(tmp_path, request):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'full.sqlite3'}")
    request.getfixturevalue("disk_full")
    with (
        pytest.raises(DatabaseFullError, match="disk that holds the database is full"),
        session_factory(engine).begin() as session,
    ):
        ensure_default_patient(session, LOCAL)


def test_a_read_only_postgresql_is_named_as_such(postgres_engine):
    url = postgres_engine.url
    given = url.query.get("options", "")  # under xdist: the worker's own search_path
    given = " ".join(given) if isinstance(given, tuple) else given
    read_only = url.update_query_dict({"options": f"{given} -c default_transaction_read_only=on".strip()})
    engine = create_db_engine(read_only.render_as_string(hide_password=False), migrate=False)
    with pytest.raises(DatabaseReadOnlyError), session_factory(engine).begin() as session:
        ensure_default_patient(session, LOCAL)
    engine.dispose()


def app_on(url: str, monkeypatch) -> AppTest:
    monkeypatch.setenv(config.DATABASE_URL_ENV, url)
    monkeypatch.setenv(config.REGION_ENV, "GB")
    at = AppTest.from_file(APP, default_timeout=APP_TIMEOUT)
    return at.run()


def test_the_app_says_the_database_server_is_down(monkeypatch):
    at = app_on(CLOSED, monkeypatch)
    assert not at.exception, at.exception
    assert any("cannot be reached" in error.value for error in at.error)
    assert_plain(page_text(at))


def test_saving_to_a_read_only_database_says_so_and_the_page_stays(tmp_path, monkeypatch):
    at = app_on(writable_then_read_only(tmp_path), monkeypatch)
    assert not at.exception, at.exception
    at = log(at, ("Headache", 2))
    assert any("read-only" in error.value for error in at.error)
    assert at.title[0].value == "Log symptoms"


def test_saving_on_a_full_disk_says_so(tmp_path, monkeypatch, request):
    at = app_on(f"sqlite:///{tmp_path / 'app.sqlite3'}", monkeypatch)
    request.getfixturevalue("disk_full")
    at = log(at, ("Headache", 2))
    assert any("disk that holds the database is full" in error.value for error in at.error)


def test_the_command_line_prints_one_plain_line_and_exits_non_zero():
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "remind", "--database-url", CLOSED],
        cwd=ROOT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot be reached" in lines[0], done.stderr
    assert_plain(done.stderr + done.stdout)
