"""Benchmark: the factor analysis over a year of demo data with 4 lags, own measures and the cycle.

python -m benchmarks.factor_lags

Prints the median time of `factor_findings` with lags 0-3 and the measure and cycle factors (target
<= 300 ms), and its ratio to the analysis as it was before delays (lags 0-1, check-in factors only),
measured in the same run on the same data.
"""

import statistics
import tempfile
import time
from pathlib import Path

from tracker.care_team.access import LOCAL
from tracker.cycles.daily import cycle_factors
from tracker.cycles.store import period_days
from tracker.diary.demo import fill_demo
from tracker.diary.entries import list_entries, list_factors
from tracker.diary.patients import list_patients
from tracker.insights.analytics import local_days
from tracker.insights.factors import factor_findings
from tracker.measures.daily import measure_factors
from tracker.measures.store import list_values
from tracker.storage.engine import create_db_engine, session_factory

YEAR_ENTRIES = 3_000  # one demo profile: a year of episodes, 1-3 check-ins a day
TARGET_MS = 300
REPEAT = 15


def median_ms(action: object) -> float:
    """Return the median wall-clock time of `action()` in milliseconds (after one warm-up call)."""
    action()  # type: ignore[operator]
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(f"sqlite:///{Path(folder) / 'year.sqlite3'}")
        fill_demo(engine, LOCAL, 1, YEAR_ENTRIES, lambda s: ("self_care", "Rest.", 0.9, "bench"))
        with session_factory(engine).begin() as session:
            (patient,) = list_patients(session, LOCAL)
            entries = list_entries(session, LOCAL, patient.id)
            factors = list_factors(session, LOCAL, patient.id)
            values = list_values(session, LOCAL, patient.id)
            periods = period_days(session, LOCAL, patient.id)
        engine.dispose()
    tz = "Europe/London"
    days = sorted({day.date() for day in local_days(entries, tz)})

    def before() -> object:
        return factor_findings(entries, factors, tz, lags=(0, 1))

    def now() -> object:
        extra = measure_factors(values, tz) + cycle_factors(periods, days)
        return factor_findings(entries, factors, tz, lags=(0, 1, 2, 3), extra=extra)

    baseline, lagged = median_ms(before), median_ms(now)
    found = now()
    print(
        f"a year of demo data: {len(entries):,} entries on {len(days)} days, {len(values):,} measure values"
    )
    print(f"before delays (lags 0-1, check-in factors)  {baseline:8.1f} ms   (baseline, same run)")
    print(
        f"lags 0-3 + measures + cycle                 {lagged:8.1f} ms   x{lagged / baseline:4.1f} baseline"
        f"   target <= {TARGET_MS} ms   ({len(found):,} comparisons)"  # type: ignore[arg-type]
    )


if __name__ == "__main__":
    main()
