"""Engine creation and schema migrations (Alembic, applied on start)."""

import random
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from tracker.errors import DatabaseError, DatabaseFullError, DatabaseReadOnlyError, DatabaseUnavailableError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION_LINE = re.compile(r"^(down_revision|revision)\b[^=]*=\s*(.+)$", re.MULTILINE)
_REVISION_ID = re.compile(r"['\"]([^'\"]+)['\"]")
SQLITE_BUSY_TIMEOUT_MS = 10_000
T = TypeVar("T")


def create_db_engine(url: str, *, migrate: bool = True) -> Engine:
    """Return an engine for `url` with the schema brought up to date.

    SQLite gets WAL (readers never block the writer), foreign keys and a busy timeout.
    """
    parsed = make_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):  # a URI: as given
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    elif parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    engine = create_engine(parsed, pool_pre_ping=True, **kwargs)
    event.listen(engine, "handle_error", _typed_error)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if migrate and not is_at_head(engine):
        upgrade(engine)
    return engine


# SQLSTATE classes and codes (PostgreSQL) and message parts (SQLite) of the failures a person can act on.
PG_UNAVAILABLE = {"08", "57P01", "57P02", "57P03"}  # connection exceptions, shutting down, starting up
PG_READ_ONLY = {"25006"}  # read_only_sql_transaction (a standby, or default_transaction_read_only)
PG_FULL = {"53100"}  # disk_full
SQLITE_READ_ONLY = ("readonly database", "read-only")
SQLITE_FULL = ("disk is full", "database or disk is full")
SQLITE_UNAVAILABLE = ("unable to open database file",)


def database_error(error: BaseException) -> DatabaseError | None:
    """Return the typed error for a database failure a person can act on (down, read-only, full), or None."""
    text = str(error).lower()
    code = getattr(error, "sqlstate", None) or ""
    if code in PG_READ_ONLY or any(part in text for part in SQLITE_READ_ONLY):
        return DatabaseReadOnlyError()
    if code in PG_FULL or any(part in text for part in SQLITE_FULL):
        return DatabaseFullError()
    psycopg_connect = type(error).__module__.startswith("psycopg") and not code and "connect" in text
    if code[:2] in PG_UNAVAILABLE or code in PG_UNAVAILABLE or psycopg_connect:
        return DatabaseUnavailableError()
    if any(part in text for part in SQLITE_UNAVAILABLE):
        return DatabaseUnavailableError()
    return None


def _typed_error(context: ExceptionContext) -> BaseException | None:
    """Engine hook: raise a typed tracker error (a plain message) in place of these driver errors.

    Busy/locked errors are left alone: write_with_retry replays those.
    """
    found = database_error(context.original_exception)
    if found is not None:
        found.__cause__ = context.sqlalchemy_exception or context.original_exception
    return found


def head_revisions() -> set[str]:
    """Return the newest migration ids, read from the version files' `revision`/`down_revision` lines.

    Alembic itself takes about a second to import; a server's first page should not pay it when the
    schema is already current.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for name, value in _REVISION_LINE.findall(path.read_text()):
            ids = set(_REVISION_ID.findall(value))
            (revisions if name == "revision" else parents).update(ids)
    return revisions - parents


def is_at_head(engine: Engine) -> bool:
    """Return True when the database's alembic_version names exactly the newest migrations."""
    heads = head_revisions()
    with engine.connect() as connection:
        if not heads or not inspect(connection).has_table("alembic_version"):
            return False
        current = set(connection.scalars(text("SELECT version_num FROM alembic_version")))
    return current == heads


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config(engine: Engine) -> "Config":
    """Return an Alembic config that runs our migrations on `engine`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to `revision` (idempotent)."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Revert migrations down to `revision` ("base" empties the schema)."""
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return the session factory; callers open `with factory.begin() as session:`."""
    return sessionmaker(engine, expire_on_commit=False)


BUSY_RETRIES = 8
BUSY_BACKOFF_SECONDS = 0.02


def is_busy(error: OperationalError) -> bool:
    """Return True for "try again" errors: SQLite locked/busy, PostgreSQL serialization or deadlock."""
    text = str(error.orig).lower()
    code = getattr(error.orig, "sqlstate", None)
    return "locked" in text or "busy" in text or code in {"40001", "40P01"}


def write_with_retry(factory: sessionmaker[Session], work: Callable[[Session], T]) -> tuple[T, int]:
    """Run `work` in one transaction, retrying it whole when the database is busy; return (result, retries).

    SQLite refuses a reader's upgrade to writer at once when another writer committed in between
    (the busy timeout cannot help there), so the whole transaction is replayed after a short pause.
    """
    for attempt in range(BUSY_RETRIES + 1):
        try:
            with factory.begin() as session:
                return work(session), attempt
        except OperationalError as error:
            if attempt == BUSY_RETRIES or not is_busy(error):
                raise
            time.sleep(BUSY_BACKOFF_SECONDS * (2**attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")
