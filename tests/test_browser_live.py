"""End-to-end: History refreshes by itself when another session logs, but not its table under an edit."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import browser_support as support
import pytest
from browser_support import DESKTOP, NO_PLAYWRIGHT, WAIT_MS, StreamlitServer, main_area, open_heading

from tracker.care_team.access import LOCAL
from tracker.diary.entries import store_check_in
from tracker.diary.patients import list_patients
from tracker.diary.validation import EntryInput
from tracker.storage.engine import create_db_engine, session_factory

pytestmark = [pytest.mark.browser, pytest.mark.timeout(60)]

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect
expect.set_options(timeout=WAIT_MS)

REFRESH_SECONDS = "2"
chromium = support.chromium
open_page = support.open_page


@pytest.fixture
def streamlit_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StreamlitServer]:
    """The app with a 2-second History refresh, so the test need not wait the default 10 s."""
    yield from support.running_app(request, tmp_path, {"TRACKER_REFRESH_SECONDS": REFRESH_SECONDS})


def log_elsewhere(database: Path, symptom: str) -> None:
    """Log a check-in the way another session (or process) would: straight through the library."""
    with session_factory(create_db_engine(f"sqlite:///{database}")).begin() as session:
        patient = list_patients(session, LOCAL)[0]
        when = datetime.now(UTC) - timedelta(minutes=1)
        store_check_in(session, LOCAL, patient.id, [EntryInput(symptom, 3, when)])


def test_history_shows_a_check_in_from_another_session_without_a_reload(open_page, streamlit_app, tmp_path):
    page = open_page(DESKTOP, path="history")
    open_heading(page, "History")
    tiles = main_area(page).get_by_test_id("stMetric")
    expect(tiles.filter(has_text="Most frequent")).to_contain_text("—")

    log_elsewhere(tmp_path / "tracker.sqlite3", "Hiccups")

    # No reload, no click: the page's own refresh picks it up within a few seconds.
    expect(tiles.filter(has_text="Most frequent")).to_contain_text("Hiccups", timeout=20_000)
    expect(tiles.filter(has_text="Entries, last 7 days")).to_contain_text("1")


def test_an_edit_in_the_table_is_kept_while_the_page_would_refresh(open_page, streamlit_app, tmp_path):
    page = open_page(DESKTOP, path="history")
    open_heading(page, "History")  # the first visit makes the diary's patient
    log_elsewhere(tmp_path / "tracker.sqlite3", "Back pain")
    table = support.show_entries(page)
    expect(support.grid_cell(table, 1, 0)).to_have_text("Back pain")

    support.edit_grid_cell(page, table, "Severity", 0, "4")
    page.wait_for_timeout(3 * int(REFRESH_SECONDS) * 1000)  # a person slow to press Save
    expect(support.grid_cell(table, 3, 0)).to_have_text("4")
    main_area(page).get_by_role("button", name="Save changes").click()

    expect(main_area(page).get_by_text("Saved changes to 1 entry.")).to_be_visible()
    page.reload()  # the view stays Entries (it is in the URL)
    open_heading(page, "History")
    expect(support.grid_cell(table, 3, 0)).to_have_text("4")

    # Back on a chart view, the page refreshes by itself again.
    main_area(page).get_by_role("radiogroup", name="View").get_by_role("radio", name="Overview").click()
    support.wait_for_app_idle(page)
    log_elsewhere(tmp_path / "tracker.sqlite3", "Hiccups")
    tiles = main_area(page).get_by_test_id("stMetric")
    expect(tiles.filter(has_text="Entries, last 7 days")).to_contain_text("2", timeout=20_000)
