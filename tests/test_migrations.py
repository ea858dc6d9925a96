"""The migrations build exactly the tables the models describe, on SQLite and on PostgreSQL.

A column, table, index or type added to tracker/storage/tables.py without a migration would exist in tests
that create tables from the models but be missing on every real database upgraded by Alembic.
"""

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Engine, MetaData, String

from tracker.storage.tables import Base


def differences(engine: Engine, metadata: MetaData) -> list[Any]:
    """Return Alembic's list of what upgrading to head left different from `metadata`."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def test_the_migrated_database_matches_the_models(engine):
    assert differences(engine, Base.metadata) == []


def test_a_model_column_without_a_migration_is_found(engine):
    metadata = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    metadata.tables["patients"].append_column(Column("nickname", String(40)))
    found = differences(engine, metadata)
    assert [(change[0], change[2], change[3].name) for change in found] == [
        ("add_column", "patients", "nickname")
    ]
