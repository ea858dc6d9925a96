"""Suite times: run the test selections and print how long each took, with the machine's load.

python -m benchmarks.test_times                      # the everyday loop: -m "not slow and not browser"
python -m benchmarks.test_times --all                # then the slow and browser tests, and the sum
python -m benchmarks.test_times --baseline main      # the same selections at a git ref first: before/after

Runs `python -m pytest` from the project folder with the project's default options (pyproject.toml);
set TRACKER_TEST_DATABASE_URL to include PostgreSQL. Wall time depends on the machine's load, so the
load average is printed, and so is the CPU time of pytest and its workers, which load stretches far
less (2 cores, load 6: wall ~3x, CPU ~1.2x). With --baseline both trees run in the same session, one
after the other, and the ratio is printed; compare CPU seconds when the load moved between the two.
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVERYDAY = "not slow and not browser"
SELECTIONS = {"everyday": EVERYDAY, "slow and browser": "slow or browser"}
SUMMARY = re.compile(r"=+ (.*\d+ (passed|failed|error).*) in [\d.]+s")


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float
    summary: str


def load() -> str:
    """Return the 1-, 5- and 15-minute load averages and the core count as one line."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def children_cpu() -> float:
    """Return the user + system CPU seconds of every finished child process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(folder: Path, marks: str, extra: list[str]) -> Timing:
    """Run pytest on the selection in `folder`; return its wall and CPU seconds and summary line."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")])}
    cpu, start = children_cpu(), time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", marks, *extra],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    wall, cpu = time.perf_counter() - start, children_cpu() - cpu
    lines = [line for line in done.stdout.splitlines() if SUMMARY.search(line) or " passed" in line]
    return Timing(wall, cpu, lines[-1].strip("= ") if lines else f"pytest exited {done.returncode}")


def export_ref(ref: str, into: Path) -> Path:
    """Write the files of git `ref` (its committed tree, no worktree or branch made) into `into`."""
    archive = into / "baseline.tar"
    subprocess.run(["git", "archive", "--output", str(archive), ref], cwd=ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")
    return into / "tree"


def time_tree(label: str, folder: Path, args: argparse.Namespace) -> dict[str, Timing]:
    """Time the chosen selections in `folder`, printing a line each; return the timings by name."""
    postgres = "with PostgreSQL" if os.environ.get("TRACKER_TEST_DATABASE_URL") else "SQLite only"
    timings: dict[str, Timing] = {}
    for name, marks in SELECTIONS.items():
        if name != "everyday" and not args.all:
            break
        before = load()
        timing = timings[name] = run(folder, marks, args.pytest_args)
        print(
            f"{label:<9} {name:<17} {timing.wall:7.1f} s wall {timing.cpu:7.1f} s CPU  {timing.summary}"
            f"  ({postgres}; {before} at start, {load()} at end)",
            flush=True,
        )
    if args.all:
        wall, cpu = (sum(getattr(t, part) for t in timings.values()) for part in ("wall", "cpu"))
        print(f"{label:<9} {'whole suite':<17} {wall:7.1f} s wall {cpu:7.1f} s CPU", flush=True)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--all", action="store_true", help="also time the slow and browser tests")
    parser.add_argument("--baseline", metavar="REF", help="first time the same selections at git REF")
    parser.add_argument("pytest_args", nargs="*", help="passed on to pytest (e.g. --durations=20)")
    args = parser.parse_args()
    if not args.baseline:
        time_tree("now", ROOT, args)
        return
    with tempfile.TemporaryDirectory(prefix="suite-baseline-") as scratch:
        before = time_tree(args.baseline, export_ref(args.baseline, Path(scratch)), args)
    after = time_tree("now", ROOT, args)
    for name, timing in after.items():
        old = before[name]
        print(
            f"{'ratio':<9} {name:<17} wall {timing.wall / old.wall:5.2f}x  CPU {timing.cpu / old.cpu:5.2f}x"
            f"  (now / {args.baseline})"
        )


if __name__ == "__main__":
    main()
