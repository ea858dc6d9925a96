"""Consistent backups: a single-file SQLite copy of the database, whatever the back end."""

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, insert, select, text

from tracker.storage.engine import create_db_engine
from tracker.storage.files import write_output
from tracker.storage.tables import Base

COPY_BATCH = 5_000


def backup_database(engine: Engine, target: Path, force: bool = False) -> Path:
    """Write a consistent SQLite copy of the database behind `engine` to `target` and return it.

    SQLite uses its online backup API (a snapshot even while others write); other back ends are
    copied table by table inside one repeatable-read transaction, so the copy is one moment in time.
    Raises OutputPathError for a missing folder, or an existing file unless `force`.
    """
    copy = _sqlite_backup if engine.dialect.name == "sqlite" else _copy_tables
    return write_output(Path(target), lambda temporary: copy(engine, temporary), force)


def _sqlite_backup(engine: Engine, target: Path) -> None:
    target.unlink(missing_ok=True)  # the empty placeholder of write_output: SQLite writes a new file
    source = engine.raw_connection()
    try:
        with sqlite3.connect(target) as copy:
            source.driver_connection.backup(copy)  # type: ignore[union-attr]
        with sqlite3.connect(target) as copy:
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        source.close()


def _copy_tables(engine: Engine, target: Path) -> None:
    target.unlink(missing_ok=True)
    copy = create_db_engine(f"sqlite:///{target}")
    snapshot = engine.connect().execution_options(isolation_level="REPEATABLE READ")
    try:
        with snapshot.begin(), copy.begin() as destination:
            for table in Base.metadata.sorted_tables:
                rows = snapshot.execute(select(table)).mappings()
                while batch := rows.fetchmany(COPY_BATCH):
                    destination.execute(insert(table), [dict(row) for row in batch])
            destination.execute(text("PRAGMA journal_mode=DELETE"))
    finally:
        snapshot.close()
        copy.dispose()
