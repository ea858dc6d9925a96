"""Suite times: run the test selections and print how long each took, with the machine's load.

python -m benchmarks.test_times              # the everyday loop: -m "not slow and not browser"
python -m benchmarks.test_times --all        # then the slow and browser tests, and the whole suite's sum

Runs `python -m pytest` from the project folder; set TRACKER_TEST_DATABASE_URL to include PostgreSQL.
The load average is printed because a loaded machine stretches every figure (2 cores, load 6: ~3x).
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVERYDAY = "not slow and not browser"
SELECTIONS = {"everyday": EVERYDAY, "slow and browser": "slow or browser"}
SUMMARY = re.compile(r"=+ (.*\d+ (passed|failed|error).*) in [\d.]+s")


def load() -> str:
    """Return the 1-, 5- and 15-minute load averages and the core count as one line."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def run(marks: str, extra: list[str]) -> tuple[float, str]:
    """Run pytest on the selection; return (wall seconds, pytest's summary line)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", marks, *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    lines = [line for line in done.stdout.splitlines() if SUMMARY.search(line) or " passed" in line]
    return seconds, (lines[-1].strip("= ") if lines else f"pytest exited {done.returncode}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--all", action="store_true", help="also time the slow and browser tests")
    parser.add_argument("pytest_args", nargs="*", help="passed on to pytest (e.g. --durations=20)")
    args = parser.parse_args()
    postgres = "with PostgreSQL" if os.environ.get("TRACKER_TEST_DATABASE_URL") else "SQLite only"
    total = 0.0
    for name, marks in SELECTIONS.items():
        if name != "everyday" and not args.all:
            break
        before = load()
        seconds, summary = run(marks, args.pytest_args)
        total += seconds
        print(f"{name:<17} {seconds:7.1f} s  {summary}  ({postgres}; {before} at start, {load()} at end)")
    if args.all:
        print(f"{'whole suite':<17} {total:7.1f} s")


if __name__ == "__main__":
    main()
