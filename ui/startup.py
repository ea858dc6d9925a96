"""Once per process: warm the server before its first visit, and skip first-run costs that scale with it.

`streamlit run app.py` serves app.py's `st.App`, whose start-up (`lifespan`) runs `warm_up` before the
server answers: the libraries every page uses are imported (SQLAlchemy, pandas, Altair, the tracker)
and the database is opened and migrated, so the first visit of a just-started server costs what
later ones do (History at 100,000 entries: ×1.57 a two-chart app before, ×1.1 after;
`python -m benchmarks.bench --cold`). Nothing that needs scikit-learn is loaded: the model is loaded
by the first page that gives advice.

A first visit to a just-started server runs up to three scripts (a deep link goes through app.py) and
Streamlit pays two costs per process that grow with every module loaded (pandas, Altair, SQLAlchemy):
- Python's full garbage collections walk every object (Streamlit also forced one after each run until
  `.streamlit/config.toml` turned `runner.postScriptGC` off): the imported modules, classes and tables
  are moved out of the collector's sight once, so later collections only walk what the runs create;
- its first element runs a check for "not started with `streamlit run`" that resolves the path of every
  loaded module (`inspect.stack`); here the script always runs under Streamlit, so it is marked done.
"""

import gc
import importlib
import logging
import pkgutil
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import streamlit as st
from streamlit import delta_generator

import ui

log = logging.getLogger(__name__)

_settled = threading.Event()
_lock = threading.Lock()


def settle_imports() -> None:
    """Freeze what is loaded so far out of garbage collection and skip the REPL check (first call only).

    The objects frozen are the modules and what they built at import; the few temporaries alive at
    that moment stay in memory (once per process, kilobytes).
    """
    if _settled.is_set():
        return
    with _lock:
        if _settled.is_set():
            return
        delta_generator._use_warning_has_been_displayed = True
        gc.freeze()
        _settled.set()


def warm_up() -> None:
    """Import every `ui` module (and the tracker modules the pages use), open the database, start sending.

    Never raises: a database that cannot be opened is shown plainly by the page that needs it.
    """
    for module in pkgutil.iter_modules(ui.__path__):
        importlib.import_module(f"{ui.__name__}.{module.name}")
    from ui import resources

    try:
        with _outside_a_visit():
            url = resources.database_url()
            resources.engine(url)
            resources.notifier(url)  # alert mail goes out from the start, not from the first visit
    except Exception as error:  # an optimisation only: the first page reports the problem itself
        log.warning("The database was not opened before the first visit: %s", error)
    settle_imports()


class _NoRunYet(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "missing ScriptRunContext" not in record.getMessage()


@contextmanager
def _outside_a_visit() -> Iterator[None]:
    """Call cached functions with no visit running, without Streamlit's warning that none is."""
    logger = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    quiet = _NoRunYet()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


@asynccontextmanager
async def lifespan(app: st.App) -> AsyncIterator[None]:
    """The server's start-up: warm it before it answers (it blocks nothing: no one is connected yet)."""
    warm_up()
    yield
