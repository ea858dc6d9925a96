"""Import benchmarks: how fast hostile files are refused (and the memory it takes), and bulk import speed.

python benchmarks/imports.py                       # SQLite, plus PostgreSQL if TRACKER_TEST_DATABASE_URL
python benchmarks/imports.py --database-url postgresql://postgres@127.0.0.1:5432/bench --rows 100000

Targets (issue 11.4): a hostile file refused within 2 s with peak memory under 200 MB; a 100,000-row
import at >= 5,000 rows/s whose write transaction takes <= 5 s, on SQLite and on PostgreSQL.
The PostgreSQL database is emptied (every table truncated) before the run: use a scratch database.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from sqlalchemy import text  # noqa: E402

from tests.hostile import workbook_declaring_rows, workbook_with_a_far_row, workbook_zip_bomb  # noqa: E402
from tracker.care_team.access import LOCAL  # noqa: E402
from tracker.config import display_url  # noqa: E402
from tracker.diary.patients import add_patient  # noqa: E402
from tracker.storage.engine import create_db_engine, session_factory  # noqa: E402
from tracker.storage.tables import Base  # noqa: E402
from tracker.transfer.import_runs import assess_import  # noqa: E402
from tracker.transfer.import_writes import import_entries  # noqa: E402
from tracker.transfer.imports import parse_import  # noqa: E402
from tracker.triage.engine import default_triager  # noqa: E402

HOSTILE = {
    "10M declared blank rows": workbook_declaring_rows,
    "row numbered 10,000,000": workbook_with_a_far_row,
    "zip bomb (174 MB unpacked)": workbook_zip_bomb,
}
REFUSE = """
import json, resource, sys, time
from datetime import UTC, datetime
from tracker.errors import ValidationError
from tracker.transfer.imports import parse_import  # noqa: E402
data = open({path!r}, "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    parse_import(data, "hostile.xlsx", "UTC", datetime.now(UTC))
    message = "NOT REFUSED"
except ValidationError as error:
    message = next(iter(error.errors.values()))
seconds = time.perf_counter() - start
grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps({{"seconds": seconds, "grew_mb": grew, "size_kb": len(data) / 1024, "message": message}}))
"""
SYMPTOMS = ("Headache", "Cough", "Fever", "Back pain", "Nausea", "Chest pain", "Fatigue", "Sore throat")


def bench_hostile(folder: Path) -> None:
    """Refuse each hostile file in a fresh process that has imported everything first (clean peak)."""
    for label, make in HOSTILE.items():
        path = folder / "hostile.xlsx"
        path.write_bytes(make())
        code = REFUSE.format(root=str(ROOT), path=str(path))
        out = subprocess.run(  # in the project folder, so `tracker` imports as for python -m
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        report = json.loads(out.stdout)
        print(
            f"refuse {label:<28} {report['seconds'] * 1000:8.0f} ms (target <= 2000)  "
            f"peak memory +{report['grew_mb']:6.1f} MB (target < 200)  file {report['size_kb']:6.0f} KB"
        )
        print(f"       “{report['message']}”")


def import_csv(rows: int, now: datetime) -> bytes:
    """Return a CSV in the original-app style (no advice level), so every check-in is assessed."""
    lines = ["occurred_at,symptom,severity,note"]
    for index in range(rows):
        moment = now - timedelta(minutes=7 * (index // 2) + 1)  # two symptoms a check-in
        lines.append(f"{moment.isoformat()},{SYMPTOMS[index % len(SYMPTOMS)]},{1 + index % 5},")
    return ("\n".join(lines) + "\n").encode()


def bench_bulk(url: str, rows: int) -> None:
    engine = create_db_engine(url)
    if engine.dialect.name == "postgresql":
        tables = ", ".join(table.name for table in reversed(Base.metadata.sorted_tables))  # children first
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    factory = session_factory(engine)
    with factory.begin() as session:
        patient_id = add_patient(session, LOCAL, "Bench").id
    now = datetime.now(UTC)
    data = import_csv(rows, now)
    triager = default_triager()
    start = time.perf_counter()
    plan = parse_import(data, "bench.csv", "UTC", now)
    parsed = time.perf_counter()
    plan = assess_import(plan, triager)
    assessed = time.perf_counter()
    with factory.begin() as session:
        result = import_entries(session, LOCAL, patient_id, plan, triager.vocabulary, now)
    written = time.perf_counter()
    total = written - start
    name = engine.dialect.name
    print(
        f"{name:<10} {result.added:,} rows in {total:5.1f} s = {result.added / total:7,.0f} rows/s "
        f"(target >= 5,000)   write transaction {written - assessed:5.2f} s (target <= 5)"
        f"   [parse {parsed - start:4.1f} s, assess {assessed - parsed:4.1f} s]"
    )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the bulk import (default 100,000)")
    parser.add_argument(
        "--database-url", help="PostgreSQL scratch database (default: TRACKER_TEST_DATABASE_URL)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bench_hostile(Path(folder))
        bench_bulk(f"sqlite:///{Path(folder) / 'imports.sqlite3'}", args.rows)
    if url := args.database_url or os.environ.get("TRACKER_TEST_DATABASE_URL"):
        print(f"(PostgreSQL: {display_url(url)})")
        bench_bulk(url, args.rows)
    else:
        print("PostgreSQL: skipped (give --database-url or set TRACKER_TEST_DATABASE_URL)")


if __name__ == "__main__":
    main()
