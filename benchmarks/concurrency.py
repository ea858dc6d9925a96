"""Concurrency: P processes each log N check-ins at once; every entry must be there afterwards.

python -m benchmarks.concurrency                       # SQLite (a temporary file)
python -m benchmarks.concurrency --url postgresql://postgres@127.0.0.1/test
"""

import argparse
import multiprocessing
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.load import hammer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="database URL (default: a new SQLite file)")
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--check-ins", type=int, default=500, help="per process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'concurrency.sqlite3'}"
        start = time.perf_counter()
        report = hammer(url, args.processes, args.check_ins, datetime.now(UTC) - timedelta(minutes=1))
        seconds = time.perf_counter() - start
    print(f"{url.split(':')[0]}: {args.processes} processes x {args.check_ins} check-ins")
    print(
        f"  stored {report.stored:,} of {report.expected:,} entries, errors shown to users: {report.errors}"
    )
    print(f"  retries after a busy database: {report.retries}")
    print(f"  {seconds:.1f} s in all, {report.expected / seconds:,.0f} check-ins/s")
    sys.exit(0 if report.stored == report.expected and not report.errors else 1)


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    main()
