"""Alembic environment: runs on the engine the application hands over."""

from alembic import context
from sqlalchemy import text

from tracker.storage.tables import Base

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode rebuilds a table (copy, drop, rename). With foreign keys on, dropping `patients`
        # would cascade-delete every check-in; SQLite ignores this pragma inside a transaction, so it is
        # set before the migration's transaction begins, and set back after it.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=sqlite)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
    if sqlite:
        problems = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()
        if problems:
            raise RuntimeError(f"The migration left rows that break foreign keys: {problems[:5]}")
