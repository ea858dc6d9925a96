"""History's table: a made-up row in the edit state (from a raw websocket client) changes nothing."""

import pytest
from sqlalchemy import select
from test_pages import log

from security.editor_client import open_entries, send_editor_state
from tracker import config
from tracker.storage.engine import create_db_engine, session_factory
from tracker.storage.tables import SymptomEntry


@pytest.fixture
def history(app, monkeypatch):
    monkeypatch.setenv(config.REFRESH_ENV, "0")
    log(app, ("Cough", 2))
    return open_entries(app)


def stored(url: str) -> list[tuple[str, int, str | None]]:
    with session_factory(create_db_engine(url)).begin() as session:
        rows = session.execute(select(SymptomEntry.symptom, SymptomEntry.severity, SymptomEntry.note))
        return [tuple(row) for row in rows]


@pytest.mark.parametrize(
    "state",
    [
        {"edited_rows": {"999": {"severity": 1}}},
        {"edited_rows": {"x": {"severity": 1}}},
        {"edited_rows": {"-1": {"severity": 1}}},
        {"edited_rows": {"0": {"no such column": 1}}},
        {"edited_rows": {"0": {"severity": 1}, "999": {"severity": 1}}},
        {"deleted_rows": [999]},
        {"deleted_rows": [0]},
        {"added_rows": [{"symptom": "Fever", "severity": 5}]},
    ],
    ids=["row 999", "row x", "row -1", "unknown column", "good and bad", "delete 999", "delete 0", "add"],
)
def test_a_made_up_row_is_answered_with_a_message_and_nothing_changes(history, app_url, state):
    before = stored(app_url)
    at = send_editor_state(history, state)
    assert not at.exception, at.exception
    assert any("not in the table" in error.value for error in at.error), [e.value for e in at.error]
    assert stored(app_url) == before
    at.run()  # the next run is an ordinary one: the table is back, without the made-up edits
    assert not at.exception, at.exception
    assert at.data_editor


def test_a_made_up_row_without_pressing_save_does_not_break_the_page(history):
    crafted = {"edited_rows": {"x": {"severity": 1}}, "deleted_rows": [999]}
    at = send_editor_state(history, crafted, click=None)
    assert not at.exception, at.exception
    assert at.data_editor


def test_a_real_row_is_still_saved(history, app_url):
    at = send_editor_state(history, {"edited_rows": {"0": {"severity": 3}}})
    assert not at.exception, at.exception
    assert stored(app_url) == [("Cough", 3, None)]
