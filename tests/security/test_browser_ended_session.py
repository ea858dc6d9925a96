"""End-to-end: a History tab left open stops when its session ends, without a click or a reload.

The History page refreshes itself in a fragment, and a fragment's rerun skips app.py's sign-in check;
the fragment checks the session itself, and its refresh does not count as activity.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import browser_support as support
import pytest
from browser_support import DESKTOP, NO_PLAYWRIGHT, WAIT_MS, StreamlitServer, go_to, main_area, open_heading
from sqlalchemy import delete, update
from test_browser_accounts import sign_up

from tracker.care_team.accounts import SESSION_IDLE
from tracker.storage.engine import create_db_engine, session_factory
from tracker.storage.tables import UserSession

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect
expect.set_options(timeout=WAIT_MS)

chromium = support.chromium
open_page = support.open_page


@pytest.fixture
def streamlit_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StreamlitServer]:
    """The app with accounts and a 2-second History refresh."""
    env = {"TRACKER_AUTH": "password", "TRACKER_REFRESH_SECONDS": "2"}
    yield from support.running_app(request, tmp_path, env)


def end_sessions(database: Path, how: str) -> None:
    """End every session the way it happens in life: signed out elsewhere, or left idle too long."""
    with session_factory(create_db_engine(f"sqlite:///{database}", migrate=False)).begin() as session:
        if how == "signed out elsewhere":
            session.execute(delete(UserSession))
        else:
            idle = datetime.now(UTC) - SESSION_IDLE - timedelta(minutes=1)
            session.execute(update(UserSession).values(last_seen_at=idle))


@pytest.mark.parametrize("how", ["signed out elsewhere", "idle for 31 minutes"])
def test_an_open_history_tab_goes_to_sign_in_when_its_session_ends(open_page, streamlit_app, tmp_path, how):
    page = open_page(DESKTOP)
    sign_up(page, "Ada", "ada@example.org", "Patient: I track my own symptoms")
    go_to(page, "History", "History")
    expect(main_area(page).get_by_test_id("stMetric").first).to_be_visible()

    end_sessions(tmp_path / "tracker.sqlite3", how)

    # No click, no reload: the page's own refresh finds the session gone within a few seconds.
    open_heading(page, "Symptom Tracker")
    expect(main_area(page).get_by_text("Your session ended. Please sign in again.")).to_be_visible()
    expect(main_area(page).get_by_role("heading", name="History", level=1)).to_have_count(0)
