from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import inspect, text

from tracker import config
from tracker.care_team.access import LOCAL
from tracker.diary.entries import list_entries, store_check_in
from tracker.diary.patients import add_patient
from tracker.diary.profile_facts import FactsInput, get_profile_facts, save_profile_facts
from tracker.diary.validation import EntryInput
from tracker.storage.engine import create_db_engine, downgrade, session_factory, upgrade
from tracker.triage.patient import ProfileFacts


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_migrations_go_down_and_up_again_without_error(engine):
    downgrade(engine, "base")
    assert "symptom_entries" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert {"patients", "check_ins", "symptom_entries"} <= set(inspect(engine).get_table_names())


def test_the_patient_facts_migration_goes_down_and_up_keeping_the_diary(engine, now):
    with session_factory(engine).begin() as session:
        patient = add_patient(session, LOCAL, "Ada")
        store_check_in(session, LOCAL, patient.id, [EntryInput("Cough", 2, now - timedelta(hours=1))])
        save_profile_facts(session, LOCAL, patient.id, FactsInput(age=3, conditions=["asthma"]), now)
    downgrade(engine, "0005")
    assert "patient_conditions" not in inspect(engine).get_table_names()
    assert "birth_date" not in {column["name"] for column in inspect(engine).get_columns("patients")}
    upgrade(engine)
    with session_factory(engine).begin() as session:
        assert len(list_entries(session, LOCAL, patient.id)) == 1, "going down did not cascade-delete"
        assert get_profile_facts(session, LOCAL, patient.id) == ProfileFacts()
        save_profile_facts(session, LOCAL, patient.id, FactsInput(sex="F", conditions=["copd"]), now)
        assert get_profile_facts(session, LOCAL, patient.id).conditions == ("copd",)


def test_applying_migrations_twice_keeps_the_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with session_factory(create_db_engine(url)).begin() as session:
        patient = add_patient(session, LOCAL, "Ada")
        store_check_in(
            session, LOCAL, patient.id, [EntryInput("Cough", 2, datetime.now(UTC) - timedelta(hours=1))]
        )
    with session_factory(create_db_engine(url)).begin() as session:
        assert len(list_entries(session, LOCAL, patient.id)) == 1


def test_times_come_back_in_utc_whatever_zone_they_were_given_in(session, now):
    from zoneinfo import ZoneInfo

    patient = add_patient(session, LOCAL, "Ada")
    local = datetime(2026, 11, 24, 9, 30, tzinfo=ZoneInfo("America/New_York"))
    store_check_in(session, LOCAL, patient.id, [EntryInput("Cough", 2, local)], now=now)
    stored = list_entries(session, LOCAL, patient.id)["occurred_at"].iloc[0]
    assert stored.to_pydatetime() == local
    assert stored.hour == 14


def test_database_url_prefers_environment_then_secrets_then_sqlite(monkeypatch, tmp_path):
    monkeypatch.setenv(config.STATE_DIR_ENV, str(tmp_path))
    monkeypatch.delenv(config.DATABASE_URL_ENV, raising=False)
    assert config.database_url({}) == f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
    assert config.database_url({"database_url": "postgresql://x/y"}) == "postgresql://x/y"
    monkeypatch.setenv(config.DATABASE_URL_ENV, "sqlite:///env.db")
    assert config.database_url({"database_url": "postgresql://x/y"}) == "sqlite:///env.db"


def test_default_sqlite_file_is_ignored_by_git():
    ignored = (config.PROJECT_ROOT / ".gitignore").read_text().split()
    assert "var/" in ignored


def test_a_checkout_that_cannot_be_written_keeps_state_in_the_users_folder(monkeypatch, tmp_path):
    blocked = tmp_path / "checkout-file"
    blocked.write_text("not a folder")  # nothing can be created below a file, even by root
    monkeypatch.delenv(config.STATE_DIR_ENV, raising=False)
    monkeypatch.setattr(config, "DEFAULT_STATE_DIR", blocked / "var")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    folder = config.state_dir()
    assert folder == tmp_path / "home" / ".local" / "state" / "symptom-tracker"
    assert config.default_database_url().startswith(f"sqlite:///{folder}")


def test_a_current_database_opens_without_loading_alembic(tmp_path):
    """A server's first page should not pay a second to import Alembic when nothing needs migrating."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'current.sqlite3'}"
    create_db_engine(url).dispose()  # migrated to head
    code = f"import sys; from tracker.storage.engine import create_db_engine; create_db_engine({url!r}); "
    code += "print('alembic' in sys.modules)"
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
