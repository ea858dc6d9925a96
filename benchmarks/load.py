"""Many writers at once: the load used by the concurrency test and benchmark."""

import multiprocessing
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.care_team.access import LOCAL
from tracker.diary.patients import add_patient
from tracker.diary.validation import EntryInput
from tracker.storage.engine import create_db_engine, session_factory, write_with_retry
from tracker.storage.tables import SymptomEntry

SYMPTOMS = ("Headache", "Cough", "Fever", "Back pain", "Nausea")
# The writers are forked from a server process that has imported these once: each is still a process of
# its own, with its own connections and its own model loaded, without ~3 s of imports each (spawn).
PRELOAD = ["tracker.diary.checkins", "tracker.triage.engine"]


@dataclass(frozen=True)
class HammerReport:
    expected: int
    stored: int
    errors: int
    retries: int


def _worker(args: tuple[str, int, int, int, datetime]) -> tuple[int, int]:
    """Log `count` check-ins for one patient; return (errors, retries)."""
    from tracker.diary.checkins import LoggedCheckIn, log_check_in
    from tracker.triage.engine import default_triager

    url, patient_id, worker, count, moment = args
    factory = session_factory(create_db_engine(url, migrate=False))
    triager = default_triager()
    errors = retries = 0
    for index in range(count):
        entry = EntryInput(
            SYMPTOMS[(worker + index) % len(SYMPTOMS)], 1 + index % 5, moment, f"w{worker}-{index}"
        )
        try:

            def log_one(session: Session, e: EntryInput = entry) -> LoggedCheckIn:
                return log_check_in(session, LOCAL, patient_id, [e], triager, now=moment)

            _, tries = write_with_retry(factory, log_one)
            retries += tries
        except Exception:
            errors += 1
    return errors, retries


def hammer(url: str, processes: int, count: int, moment: datetime) -> HammerReport:
    """Run `processes` writers of `count` check-ins each against `url` at once and count the result."""
    engine = create_db_engine(url)
    with session_factory(engine).begin() as session:
        patient_id = add_patient(session, LOCAL, "Concurrency").id
    jobs = [(url, patient_id, worker, count, moment + timedelta(seconds=0)) for worker in range(processes)]
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    with context.Pool(processes) as pool:
        results = pool.map(_worker, jobs)
    with engine.connect() as connection:
        stored = connection.scalar(
            select(func.count()).select_from(SymptomEntry).where(SymptomEntry.patient_id == patient_id)
        )
    engine.dispose()
    return HammerReport(
        processes * count, int(stored or 0), sum(e for e, _ in results), sum(r for _, r in results)
    )
