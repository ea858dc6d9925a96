"""Browser-test helpers: the app under `streamlit run` on a free port, and Debian's headless Chromium.

Its fixtures are bound by name in tests/test_browser.py. Playwright is imported lazily, so a machine
without it skips the browser tests instead of failing to collect them.
"""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
LOGS = ROOT / "artifacts" / "logs"

CHROMIUM_PATH = "/usr/bin/chromium"
# Headless, and nothing that reaches outside localhost (the network is closed on CI).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NO_CHROMIUM = (
    f"Chromium not found at {CHROMIUM_PATH}; "
    "install Debian's chromium (apt-get install chromium) — .ci/run does this"
)
NO_PLAYWRIGHT = "the playwright package is not installed (pip install -r requirements-dev.txt)"

STARTUP_TIMEOUT_S = 30.0
HEALTH_POLL_S = 0.2
STOP_TIMEOUT_S = 10.0
CLICK_TRIES = 3  # a click a redrawing page lost is made again, at most this many times in all
WAIT_MS = 30_000  # the longest any single browser wait may take
BROWSER_TZ = "Europe/London"  # the browser's zone: dose times are read in it
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
GRID_ROW_PX = 35  # st.data_editor's header and row height


def chromium_executable() -> str | None:
    """Return the path of Debian's Chromium, or None when it is not installed."""
    if Path(CHROMIUM_PATH).is_file():
        return CHROMIUM_PATH
    return shutil.which("chromium")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class StreamlitServer:
    """A `streamlit run app.py` subprocess, its port and the file its output goes to."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        """Return everything the server has printed so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        """Stop the server (and anything it started): SIGTERM, then SIGKILL if it lingers."""
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT_S)


def start_server(
    state_dir: Path, log_path: Path, region: str = "GB", extra_env: dict[str, str] | None = None
) -> StreamlitServer:
    """Start the app on a free port with a fresh SQLite database in `state_dir`; don't wait for it."""
    port = free_port()
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": f"sqlite:///{state_dir / 'tracker.sqlite3'}",
        "TRACKER_STATE_DIR": str(state_dir),
        "TRACKER_REGION": region,
        **(extra_env or {}),
    }
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log_file:
        # A new session (process group), so stop() reaches anything Streamlit spawns.
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    return StreamlitServer(process, port, log_path)


def wait_until_healthy(server: StreamlitServer, timeout_s: float = STARTUP_TIMEOUT_S) -> None:
    """Poll /_stcore/health until it answers "ok". Raises RuntimeError (with the log) otherwise."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {server.process.returncode}:\n{server.log()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(HEALTH_POLL_S)
    raise RuntimeError(f"streamlit did not become healthy within {timeout_s:.0f} s:\n{server.log()}")


def show_on_terminal(request: pytest.FixtureRequest, title: str, text: str) -> None:
    """Write `text` straight to the terminal, past output capturing (used from finalisers)."""
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        sys.stderr.write(f"\n{'=' * 20} {title} {'=' * 20}\n{text}\n")


def failed_since(request: pytest.FixtureRequest, failures_before: int) -> bool:
    """Return whether the current test failed (pytest counts the failure before teardown runs)."""
    return request.session.testsfailed > failures_before


class SharedChromium:
    """One Playwright and one Chromium for the session, however many test modules bind `chromium`.

    pytest makes each module's binding a fixture of its own, and a second sync Playwright cannot start
    while the first runs in the same thread; so the bindings share this one, and the last closes it.
    """

    def __init__(self) -> None:
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None
        self.users = 0

    def acquire(self, executable: str) -> "Browser":
        if self.playwright is None or self.browser is None:
            from playwright.sync_api import sync_playwright

            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True
            )
        self.users += 1
        return self.browser

    def release(self) -> None:
        self.users -= 1
        if self.users == 0 and self.playwright is not None and self.browser is not None:
            self.browser.close()
            self.playwright.stop()
            self.playwright = self.browser = None


SHARED_CHROMIUM = SharedChromium()


@pytest.fixture(scope="session")
def chromium() -> Iterator["Browser"]:
    """Debian's Chromium under Playwright, shared by the session; skips when either is missing."""
    executable = chromium_executable()
    if executable is None:
        pytest.skip(NO_CHROMIUM)
    pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT)
    browser = SHARED_CHROMIUM.acquire(executable)
    try:
        yield browser
    finally:
        SHARED_CHROMIUM.release()


def running_app(
    request: pytest.FixtureRequest, state_dir: Path, extra_env: dict[str, str] | None = None
) -> Iterator[StreamlitServer]:
    """Yield the app, healthy, with an empty database in `state_dir`; stop it and show its log on failure."""
    failures_before = request.session.testsfailed
    server = start_server(state_dir, LOGS / f"streamlit-{request.node.name}.log", extra_env=extra_env)
    try:
        wait_until_healthy(server)
        yield server
    finally:
        server.stop()
        if failed_since(request, failures_before):
            show_on_terminal(request, f"streamlit log ({server.log_path})", server.log())


@pytest.fixture
def streamlit_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StreamlitServer]:
    """The app running on a free port with its own empty database; its log is shown if the test fails."""
    yield from running_app(request, tmp_path)


@pytest.fixture(scope="module")
def shared_streamlit_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    """One app (and one empty database) for every test of a module: faster, so tests must tolerate
    each other's entries. Bind it as `streamlit_app` for `open_page` to use it."""
    yield from running_app(request, tmp_path_factory.mktemp("shared-app"))


@pytest.fixture
def open_page(
    request: pytest.FixtureRequest, chromium: "Browser", streamlit_app: StreamlitServer
) -> Iterator[Callable[..., "Page"]]:
    """Return `open_page(viewport=DESKTOP, mobile=False, path="")`: a fresh tab on the running app.

    On failure, a screenshot of every open tab is saved to artifacts/screenshots/failed-*.png.
    """
    failures_before = request.session.testsfailed
    for stale in SCREENSHOTS.glob(f"failed-{request.node.name}-*.png"):
        stale.unlink()
    contexts: list[BrowserContext] = []

    def open_(viewport: dict[str, int] = DESKTOP, mobile: bool = False, path: str = "") -> "Page":
        context = chromium.new_context(
            viewport=viewport,  # type: ignore[arg-type]
            is_mobile=mobile,
            has_touch=mobile,
            device_scale_factor=2 if mobile else 1,
            locale="en-GB",
            timezone_id=BROWSER_TZ,
        )
        contexts.append(context)
        context.set_default_timeout(WAIT_MS)
        page = context.new_page()
        page.goto(f"{streamlit_app.url}/{path}")
        return page

    yield open_
    if failed_since(request, failures_before):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for number, context in enumerate(contexts):
            for tab, page in enumerate(context.pages):
                name = f"failed-{request.node.name}-{number}-{tab}.png"
                with contextlib.suppress(Exception):  # a crashed tab must not hide the real failure
                    page.screenshot(path=SCREENSHOTS / name, full_page=True)
    for context in contexts:
        context.close()


# Page helpers. They take a Page and import Playwright's `expect` when called, so this module still
# imports (and the tests skip) on a machine without Playwright.


def playwright_expect() -> Callable[..., Any]:
    """Return Playwright's `expect`, every wait capped at WAIT_MS."""
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    return expect


def main_area(page: "Page") -> "Locator":
    return page.get_by_test_id("stMain")


def expect_shown(page: "Page", target: "Locator") -> None:
    """Wait for `target`; fail at once, with the app's message, if the app shows an exception instead."""
    error = page.get_by_test_id("stException")
    playwright_expect()(target.or_(error).first).to_be_visible()
    if error.first.is_visible():
        pytest.fail(f"the app showed an error (traceback in the streamlit log):\n{error.first.inner_text()}")


def wait_for_app_idle(page: "Page") -> None:
    """Wait until the script has finished its run (elements are no longer stale)."""
    app = page.get_by_test_id("stApp")
    playwright_expect()(app).to_have_attribute("data-test-script-state", "notRunning")


def leave_field(page: "Page", field: "Locator") -> None:
    """Tab out of `field` (a text area or number box sends its value when it loses focus) and wait
    for the rerun that starts: a click while that rerun is on its way can land on a replaced button."""
    app = page.get_by_test_id("stApp")
    field.press("Tab")
    with contextlib.suppress(AssertionError):  # the rerun may be over before it can be seen
        playwright_expect()(app).to_have_attribute("data-test-script-state", "running", timeout=2_000)
    wait_for_app_idle(page)


def open_heading(page: "Page", heading: str) -> None:
    """Wait for the page titled `heading` to be drawn and its script to finish."""
    expect_shown(page, page.get_by_role("heading", name=heading, exact=True, level=1))
    wait_for_app_idle(page)


def open_log_page(page: "Page") -> None:
    open_heading(page, "Log symptoms")


def choose_symptom(page: "Page", typed: str, option: str) -> None:
    """Type into the symptom box and pick `option` from the suggestions."""
    box = main_area(page).get_by_role("combobox", name="Symptom")
    box.scroll_into_view_if_needed()
    for attempt in range(CLICK_TRIES):
        box.click()
        box.fill(typed)
        wait_for_app_idle(page)
        page.get_by_role("option", name=option, exact=True).click()
        try:
            playwright_expect()(box).to_have_value(option, timeout=10_000)
            return
        except AssertionError:
            # On a loaded machine the click can land on a list the page is redrawing, and the box keeps
            # the typed words (seen in a CI run); a person would pick it again, and so do we.
            if attempt == CLICK_TRIES - 1:
                raise


def set_severity(page: "Page", level: int) -> None:
    """Move the "How bad is it?" slider (1–5, starts at 3) with the keyboard."""
    slider = main_area(page).get_by_role("slider", name="How bad is it?")
    steps = level - int(slider.input_value()) - 1  # the input's value is the option index
    for _ in range(abs(steps)):
        slider.press("ArrowRight" if steps > 0 else "ArrowLeft")
    playwright_expect()(slider).to_have_attribute("aria-valuetext", re.compile(rf"^{level} · "))


def save_check_in(page: "Page", saved_as: str, close: bool = True) -> None:
    """Press Save and wait until `saved_as` joins "Recent symptoms" and the advice is shown."""
    expect = playwright_expect()
    wait_for_app_idle(page)  # a click while the last change still reruns can land on a replaced button
    main_area(page).get_by_role("button", name="Save check-in").click()
    recent = main_area(page).get_by_role("radiogroup", name="Recent symptoms")
    expect_shown(page, recent.get_by_role("radio", name=saved_as, exact=True))
    expect(page.get_by_role("heading", name="What to do next").first).to_be_visible()
    wait_for_app_idle(page)
    if close:
        close_advice(page)


def close_advice(page: "Page") -> None:
    """Close the advice dialog that opens after a save (the same advice stays on the page)."""
    expect = playwright_expect()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".st-key-recommendation_dialog")).to_be_visible()
    dialog.locator(".st-key-close_advice button").click()
    expect(dialog).to_have_count(0)
    wait_for_app_idle(page)


def log_check_in(
    page: "Page", typed: str, option: str, level: int, saved_as: str | None = None, close: bool = True
) -> None:
    """Log one symptom not logged before, and wait until it is saved and the advice is shown.

    The save is done when the symptom (its canonical name, `saved_as`) joins "Recent symptoms".
    """
    choose_symptom(page, typed, option)
    set_severity(page, level)
    save_check_in(page, saved_as or option, close)


def advice_panel(page: "Page") -> "Locator":
    return page.locator(".st-key-recommendation")


def advice_dialog(page: "Page") -> "Locator":
    return page.get_by_role("dialog").locator(".st-key-recommendation_dialog")


def open_sidebar(page: "Page") -> bool:
    """Open the sidebar if it is collapsed (as on a phone); return whether it was."""
    expand = page.get_by_test_id("stExpandSidebarButton")
    collapsed = expand.is_visible()
    if collapsed:
        expand.click()
    return collapsed


def close_sidebar(page: "Page") -> None:
    """Collapse the sidebar and wait until it has slid off the screen."""
    page.get_by_test_id("stSidebarCollapseButton").get_by_role("button").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right <= 0"
    )


def dose_time_due_now() -> str:
    """Return the half hour that has just begun in the browser's zone ("09:30"): a dose due now."""
    now = datetime.now(ZoneInfo(BROWSER_TZ))
    return f"{now.hour:02d}:{30 if now.minute >= 30 else 0:02d}"


def add_medicine_due_now(page: "Page", name: str, dose: str) -> None:
    """On the Medicines page, add `name` at `dose` mg with one dose time: the half hour just begun."""
    go_to(page, "Medicines", "Medicines")
    main = main_area(page)
    main.get_by_role("textbox", name="Name").fill(name)
    main.get_by_role("spinbutton", name="Dose").fill(dose)
    times = main.get_by_role("combobox", name="Times of day")
    times.click()
    times.fill(dose_time_due_now())
    page.get_by_role("option", name=dose_time_due_now(), exact=True).click()
    times.press("Escape")
    main.get_by_role("button", name="Add medicine").click()
    expect_shown(page, main.get_by_text(f"Added {name} {dose} mg"))


def go_to(page: "Page", link: str, heading: str) -> None:
    """Follow the sidebar link `link` and wait for its page; a collapsed sidebar is left collapsed."""
    collapsed = open_sidebar(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=link, exact=True).click()
    open_heading(page, heading)
    if collapsed:  # on a phone the sidebar stays open over the page after a link is followed
        close_sidebar(page)


def sideways_overflow(page: "Page") -> int:
    """Return by how many pixels the page is wider than the window (it then scrolls sideways)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def save_screenshot(page: "Page", name: str) -> None:
    """Save the whole page. Streamlit scrolls inside stMain, so the viewport grows to fit it first."""
    viewport = page.viewport_size or DESKTOP
    height = main_area(page).evaluate("main => main.scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    wait_for_app_idle(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=True)
    page.set_viewport_size(viewport)


def add_patient(page: "Page", name: str) -> None:
    """Add a patient in the sidebar and switch to them (a start with no entries); the sidebar is left
    as it was (collapsed on a phone)."""
    expect = playwright_expect()
    collapsed = open_sidebar(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("button", name="Add a profile").click()
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("button", name="Add", exact=True).click()
    expect(sidebar.get_by_role("combobox", name="Patient")).to_have_value(name)
    page.keyboard.press("Escape")  # closes the popover
    if collapsed:
        close_sidebar(page)
    wait_for_app_idle(page)


def show_entries(page: "Page") -> "Locator":
    """Choose History's Entries view; return its table once the grid is drawn."""
    main_area(page).get_by_role("radiogroup", name="View").get_by_role("radio", name="Entries").click()
    table = main_area(page).get_by_test_id("stDataFrame")
    playwright_expect()(table.get_by_role("columnheader", name="When", include_hidden=True)).to_be_attached()
    wait_for_app_idle(page)
    return table


def grid_cell(table: "Locator", column: int, row: int) -> "Locator":
    """Return a cell of the grid's accessibility table (the grid itself is drawn on a canvas)."""
    return table.get_by_test_id(f"glide-cell-{column}-{row}")


def expect_only_row(table: "Locator", symptom: str) -> None:
    """Wait until the grid shows one row, of `symptom`: a filter's run has redrawn it.

    Its newest row can be the same before the filter's run lands, and an edit made then is dropped
    with the old table (the editor's identity changes with its row count).
    """
    expect = playwright_expect()
    expect(table.get_by_test_id(re.compile(r"^glide-cell-1-\d+$"))).to_have_count(1)
    expect(grid_cell(table, 1, 0)).to_have_text(symptom)


def edit_grid_cell(page: "Page", table: "Locator", column_name: str, row: int, value: str) -> None:
    """Type `value` into a cell of an st.data_editor and commit it with Enter.

    The canvas has no elements to click, so this clicks the row's first cell, moves to the column with
    the arrow keys (the accessibility table confirms where the cursor is), and types into the editor.
    """
    expect = playwright_expect()
    headers = table.get_by_role("columnheader", include_hidden=True).all_inner_texts()
    column = headers.index(column_name)
    for attempt in range(CLICK_TRIES):
        # A run that redraws the grid (a filter just changed) leaves it without a box for a moment, and a
        # click then is lost: wait for the grid again and try again.
        wait_for_app_idle(page)
        grid = table.get_by_test_id("stDataFrameResizable")
        expect(grid).to_be_visible()
        frame = grid.bounding_box()
        try:
            assert frame is not None, "the data editor is not drawn"
            page.mouse.click(frame["x"] + 10, frame["y"] + GRID_ROW_PX * (row + 1.5))
            expect(grid_cell(table, 0, row)).to_have_attribute("aria-selected", "true", timeout=5_000)
            break
        except AssertionError:
            if attempt == CLICK_TRIES - 1:
                raise
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    expect(grid_cell(table, column, row)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    editor = page.locator("[id^=gdg-overlay] input")
    editor.fill(value)
    editor.press("Enter")
    expect(grid_cell(table, column, row)).to_have_text(value)
    wait_for_app_idle(page)


def on_first_screen(page: "Page", target: "Locator") -> str:
    """Return "" when all of `target` is on the screen without scrolling, else where it is."""
    box = target.bounding_box()
    height = (page.viewport_size or PHONE)["height"]
    if box is None:
        return "not drawn"
    if box["y"] >= 0 and box["y"] + box["height"] <= height:
        return ""
    return f"it spans y={box['y']:.0f}…{box['y'] + box['height']:.0f}px, the screen 0…{height}px"


def assert_on_first_screen(page: "Page", target: "Locator") -> None:
    where = on_first_screen(page, target)
    assert not where, where
