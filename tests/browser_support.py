"""Browser-test helpers: the app under `streamlit run` on a free port, and Debian's headless Chromium.

Its fixtures are bound by name in tests/test_browser.py. Playwright is imported lazily, so a machine
without it skips the browser tests instead of failing to collect them.
"""

import contextlib
import os
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
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

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
WAIT_MS = 30_000  # the longest any single browser wait may take
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


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


def start_server(state_dir: Path, log_path: Path, region: str = "GB") -> StreamlitServer:
    """Start the app on a free port with a fresh SQLite database in `state_dir`; don't wait for it."""
    port = free_port()
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": f"sqlite:///{state_dir / 'tracker.sqlite3'}",
        "TRACKER_STATE_DIR": str(state_dir),
        "TRACKER_REGION": region,
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


@pytest.fixture(scope="session")
def chromium() -> Iterator["Browser"]:
    """Debian's Chromium under Playwright, shared by the session; skips when either is missing."""
    executable = chromium_executable()
    if executable is None:
        pytest.skip(NO_CHROMIUM)
    sync_api = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def streamlit_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StreamlitServer]:
    """The app running on a free port with its own empty database; its log is shown if the test fails."""
    failures_before = request.session.testsfailed
    server = start_server(tmp_path, LOGS / f"streamlit-{request.node.name}.log")
    try:
        wait_until_healthy(server)
        yield server
    finally:
        server.stop()
        if failed_since(request, failures_before):
            show_on_terminal(request, f"streamlit log ({server.log_path})", server.log())


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
            timezone_id="Europe/London",
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
