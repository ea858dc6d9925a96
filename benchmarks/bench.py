"""Benchmarks: print latency figures and their ratio to a trivial Streamlit rerun measured in the same run.

python -m benchmarks.bench            # everything (a few minutes: builds 100k/1M-entry databases)
python -m benchmarks.bench --quick    # assess + 10k-entry pages only
python -m benchmarks.bench --cold     # only the cold first visit in a real browser (100k entries)
python -m benchmarks.bench --medicines  # only History with medicines: 100k entries + 20k dose events
python -m benchmarks.bench --measures  # only History with measures and cycles at 100k entries

Run from the project folder (or with the package installed: pip install -e .).
"""

import argparse
import compileall
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from tracker import config
from tracker.care_team.access import LOCAL
from tracker.diary.demo import fill_demo
from tracker.storage.engine import create_db_engine
from tracker.triage.evaluation import load_cases

ROOT = Path(__file__).resolve().parent.parent

TRIVIAL_SCRIPT = "import streamlit as st\nst.write('hello')\n"
CHECK_INS = [
    {"Headache": 2},
    {"Chest pain": 4, "Shortness of breath": 3},
    {"Fever": 3, "Cough": 2, "Sore throat": 2},
    {"tummy ache": 3, "Nausea": 2, "Vomiting": 2, "Fever": 2},
    {"Headache": 3, "Fever": 4, "Stiff neck": 2, "Rash": 2, "Fatigue": 3},
]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    """Return `repeat` wall-clock timings of `action` in milliseconds (after one warm-up call)."""
    action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


COLD_LOAD = (
    "import time; t0 = time.perf_counter(); from tracker.triage.engine import Triager; "
    "t1 = time.perf_counter(); "
    "Triager.load(); t2 = time.perf_counter(); print((t1 - t0) * 1000, (t2 - t1) * 1000)"
)


def bench_assess() -> None:
    from tracker.triage import engine as triage

    cold = subprocess.run(
        [sys.executable, "-c", COLD_LOAD], cwd=ROOT, capture_output=True, text=True, check=True
    )
    import_ms, load_ms = (float(part) for part in cold.stdout.split())
    triager = triage.Triager.load()
    samples = [s for check_in in CHECK_INS for s in timed(lambda c=check_in: triager.assess(c), 200)]
    print(f"model load (fresh process)         {load_ms:8.1f} ms   target <= 300 ms")
    print(f"  + importing scikit-learn et al.  {import_ms:8.1f} ms   (once per process, before any load)")
    p50, p99 = statistics.median(samples), percentile(samples, 0.99)
    print(f"assess p50 (1-5 symptoms, warm)    {p50:8.3f} ms   target <= 2 ms")
    print(f"assess p99 (1-5 symptoms, warm)    {p99:8.3f} ms")
    notes = load_cases(ROOT / "eval" / "blind_dev.csv")["note"].dropna().astype(str).tolist()
    first_reads = [s for note in notes for s in timed(partial(first_read, triager, note), 1)]
    p50, p99 = statistics.median(first_reads), percentile(first_reads, 0.99)
    print(f"assess with a typed note, 1st read {p50:8.3f} ms p50, {p99:.1f} ms p99 ({len(notes)} notes)")


def first_read(triager: object, note: str) -> None:
    """Assess a headache with `note` as if the note had never been read (the Log page's first reading)."""
    triager.vocabulary.forget_readings()  # type: ignore[attr-defined]
    triager.assess({"Headache": 2}, None, note)  # type: ignore[attr-defined]


def rerun_ms(at: AppTest, repeat: int) -> float:
    return statistics.median(timed(lambda: at.run(), repeat))


def page_app(page: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "pages/log.py":
        at.switch_page(page).run()
    if at.exception:
        raise RuntimeError(at.exception)
    return at


def database_with(entries: int, patients: int, folder: Path, doses: int | None = None) -> str:
    url = f"sqlite:///{folder / f'bench_{patients}_{entries}_{doses}.sqlite3'}"
    start = time.perf_counter()
    advise = lambda s: ("self_care", "Rest.", 0.9, "bench")  # noqa: E731
    fill_demo(create_db_engine(url), LOCAL, patients, entries, advise, doses=doses)
    with_doses = f" + {doses:,} dose events" if doses else ""
    seconds = time.perf_counter() - start
    print(f"  (built {patients} patient(s) x {entries:,} entries{with_doses} in {seconds:.1f} s)")
    return url


def chart_payload(at: AppTest) -> tuple[int, int]:
    """Return (bytes, largest row count) of the chart data the page sends to the browser."""
    total, largest = 0, 0
    for chart in at.get("vega_lite_chart"):
        total += chart.proto.ByteSize()
        for dataset in chart.proto.datasets:
            rows = pa.ipc.open_stream(dataset.data.data).read_all().num_rows
            largest = max(largest, rows)
    return total, largest


PAGES = [
    ("log", "pages/log.py", {}, 100),
    ("history 30 d", "pages/history.py", {}, 150),
    ("history all", "pages/history.py", {"range": "All"}, 150),
    ("history all, patterns", "pages/history.py", {"range": "All", "view": "Patterns"}, 150),
    ("history all, factors", "pages/history.py", {"range": "All", "view": "Factors"}, 150),
    ("history all, measures", "pages/history.py", {"range": "All", "view": "Measures"}, 150),
    ("history 30 d, calendar + cycle", "pages/history.py", {"view": "Calendar"}, 150),
]
MEASURE_PAGES = [page for page in PAGES if page[0].startswith(("history all", "history 30 d, calendar"))]


def bench_pages(
    sizes: list[tuple[int, int]],
    floor_ms: float,
    repeat: int,
    pages: list[tuple[str, str, dict[str, str], int]] = PAGES,
) -> None:
    os.environ[config.REFRESH_ENV] = "0"
    with tempfile.TemporaryDirectory() as folder:
        for patients, entries in sizes:
            os.environ[config.DATABASE_URL_ENV] = database_with(entries, patients, Path(folder))
            for name, page, query, target in pages:
                at = page_app(page, query)
                ms = rerun_ms(at, repeat)
                size, rows = chart_payload(at)
                target = target if patients == 1 or name == "log" else 200
                label = f"{name}, {patients} x {entries:,}"
                print(
                    f"{label:<35}{ms:8.1f} ms   x{ms / floor_ms:5.1f} floor   target <= {target} ms"
                    f"   charts {size / 1024:7.1f} KiB, <= {rows:,} rows each"
                )


MEDICINE_PAGES = [
    ("history 30 d", "pages/history.py", {}),
    ("history all, overview + doses", "pages/history.py", {"range": "All"}),
    ("history all, medicines", "pages/history.py", {"range": "All", "view": "Medicines"}),
    ("history all, factors + doses", "pages/history.py", {"range": "All", "view": "Factors"}),
    ("history all, calendar", "pages/history.py", {"range": "All", "view": "Calendar"}),
    ("history all, trends", "pages/history.py", {"range": "All", "view": "Trends"}),
    ("history all, patterns", "pages/history.py", {"range": "All", "view": "Patterns"}),
    ("log, doses due", "pages/log.py", {}),
    ("medicines page", "pages/medicines.py", {}),
]
MEDICINES_TARGET_RATIO = 65
MAX_CHART_ROWS = 5_000


def bench_medicines(floor_ms: float, repeat: int, entries: int = 100_000, doses: int = 20_000) -> None:
    """Print History with medicines (warm reruns) against the floor; the slowest view's ratio counts."""
    os.environ[config.REFRESH_ENV] = "0"
    with tempfile.TemporaryDirectory() as folder:
        os.environ[config.DATABASE_URL_ENV] = database_with(entries, 1, Path(folder), doses)
        ratios, largest = {}, 0
        for name, page, query in MEDICINE_PAGES:
            at = page_app(page, query)
            ms = rerun_ms(at, repeat)
            size, rows = chart_payload(at)
            ratios[name], largest = ms / floor_ms, max(largest, rows)
            print(
                f"{name:<35}{ms:8.1f} ms   x{ms / floor_ms:5.1f} floor"
                f"   charts {size / 1024:7.1f} KiB, <= {rows:,} rows each"
            )
    slowest = max(ratios, key=ratios.__getitem__)
    print(
        f"slowest with medicines: {slowest}, x{ratios[slowest]:.1f} floor "
        f"(target <= x{MEDICINES_TARGET_RATIO}); largest chart {largest:,} rows (limit {MAX_CHART_ROWS:,})"
    )


TWO_CHARTS_SCRIPT = """import altair as alt
import pandas as pd
import streamlit as st

st.title("Two charts")
frame = pd.DataFrame({"day": pd.date_range("2026-01-01", periods=365), "value": range(365)})
st.altair_chart(alt.Chart(frame).mark_line().encode(x="day:T", y="value:Q"))
st.altair_chart(alt.Chart(frame).mark_bar().encode(x="day:T", y="value:Q"))
"""
COLD_TARGET_RATIO = 1.3
CHARTS_DRAWN = "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg.marks"


def cold_visit_seconds(
    script: str, path: str, env: dict[str, str], folder: Path, browser: object
) -> tuple[float, float]:
    """Return seconds from opening `path` on a just-started `streamlit run script` to two drawn charts.

    Then (warm) the same for a second visit in a new tab, on the server the first one warmed.
    """
    from tests.browser_support import free_port  # run as python -m benchmarks.bench

    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    log = (folder / f"streamlit-{port}.log").open("wb")
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_healthy(port)
        url = f"http://127.0.0.1:{port}/{path}"
        return _visit_seconds(browser, url), _visit_seconds(browser, url)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def _visit_seconds(browser: object, url: str) -> float:
    """Return seconds from opening `url` in a new tab to two drawn charts and the script's run ended."""
    from tests.browser_support import wait_for_app_idle

    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(
        f"document.querySelectorAll({CHARTS_DRAWN!r}).length >= 2", timeout=300_000, polling=50
    )
    wait_for_app_idle(page)
    seconds = time.perf_counter() - start
    page.close()
    return seconds


def _wait_healthy(port: int, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"streamlit on port {port} did not start")


SOURCES = ("app.py", "pages", "ui", "tracker")


def compile_sources() -> None:
    """Write the app's bytecode first, as any start after a server's very first one finds it.

    Python caches compiled modules in `__pycache__`; a machine with PYTHONDONTWRITEBYTECODE set (this
    one) would otherwise compile every module on every start, which no deployed server does.
    """
    for source in SOURCES:
        path = ROOT / source
        compile_one = compileall.compile_file if path.is_file() else compileall.compile_dir
        if not compile_one(path, quiet=1):
            raise RuntimeError(f"could not compile {source}")
    print("  (bytecode written first: a cold start of a server that has run before)")


def bench_cold_visit(entries: int = 100_000, rounds: int = 3) -> None:
    """Print the cold first visit of History (fresh server, real browser) and its ratio to two charts."""
    from playwright.sync_api import sync_playwright

    compile_sources()
    with tempfile.TemporaryDirectory() as name, sync_playwright() as playwright:
        folder = Path(name)
        url = database_with(entries, 1, folder)
        trivial = folder / "two_charts.py"
        trivial.write_text(TWO_CHARTS_SCRIPT)
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        app_env = {config.DATABASE_URL_ENV: url, config.REFRESH_ENV: "0", "TRACKER_STATE_DIR": str(folder)}
        history, floor = [], []
        for _ in range(rounds):  # interleaved, so a busy machine slows both alike
            floor.append(cold_visit_seconds(str(trivial), "", {}, folder, browser))
            history.append(cold_visit_seconds("app.py", "history", app_env, folder, browser))
        browser.close()
    for index, visit in enumerate(("cold", "warm")):
        app_s = statistics.median(times[index] for times in history)
        floor_s = statistics.median(times[index] for times in floor)
        target = f"   target <= x{COLD_TARGET_RATIO}" if visit == "cold" else "   (second tab, same server)"
        ratio = app_s / floor_s
        print(f"trivial two-chart app, {visit} visit  {floor_s * 1000:8.0f} ms   (`streamlit run`, Chromium)")
        print(
            f"History {entries:,} entries, {visit}    {app_s * 1000:8.0f} ms   x{ratio:5.2f} trivial{target}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="skip the 100k and 1M-entry databases")
    parser.add_argument("--repeat", type=int, default=10, help="reruns timed per page (default 10)")
    parser.add_argument("--cold", action="store_true", help="only the cold first visit in a browser")
    parser.add_argument("--medicines", action="store_true", help="only History with 20k dose events")
    parser.add_argument(
        "--measures", action="store_true", help="only History with measures and cycles at 100k entries"
    )
    args = parser.parse_args()
    if args.cold:
        bench_cold_visit()
        return
    if args.measures:
        floor_ms = rerun_ms(AppTest.from_string(TRIVIAL_SCRIPT), 50)
        print(f"trivial Streamlit rerun (floor)    {floor_ms:8.1f} ms")
        bench_pages([(1, 100_000)], floor_ms, args.repeat, MEASURE_PAGES)
        return
    floor = AppTest.from_string(TRIVIAL_SCRIPT)
    floor_ms = rerun_ms(floor, 50)
    print(f"trivial Streamlit rerun (floor)    {floor_ms:8.1f} ms")
    if args.medicines:
        bench_medicines(floor_ms, args.repeat)
        return
    bench_assess()
    sizes = [(1, 10_000)] if args.quick else [(1, 10_000), (1, 100_000), (1000, 1_000_000)]
    bench_pages(sizes, floor_ms, args.repeat)
    bench_medicines(floor_ms, args.repeat, 10_000, 2_000) if args.quick else bench_medicines(
        floor_ms, args.repeat
    )
    bench_cold_visit(100_000 if not args.quick else 10_000)


if __name__ == "__main__":
    main()
