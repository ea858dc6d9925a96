import gc
import json
import os
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# A fresh interpreter: the test process has long since settled (every AppTest run goes through app.py).
FIRST_PAGE = """
import gc, json
import pandas, sqlalchemy.orm
from streamlit import delta_generator
from ui import startup
tracked = len(gc.get_objects())
startup.settle_imports()
frozen = gc.get_freeze_count()
startup.settle_imports()
print(json.dumps({
    "tracked": tracked, "frozen": frozen, "frozen_again": gc.get_freeze_count(),
    "left": len(gc.get_objects()), "check_done": delta_generator._use_warning_has_been_displayed,
}))
"""


def test_the_first_page_hides_its_imports_from_every_later_garbage_collection_once():
    """Streamlit collects garbage after every run: the loaded libraries are no longer walked each time."""
    result = subprocess.run(
        [sys.executable, "-c", FIRST_PAGE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    found = json.loads(result.stdout)
    assert found["frozen"] >= found["tracked"] * 0.9
    assert found["frozen_again"] == found["frozen"]  # a second page adds nothing: once per process
    assert found["left"] < found["tracked"] * 0.1
    assert found["check_done"], "Streamlit's REPL check (a walk over every module's path) is skipped"


def test_settling_in_this_process_leaves_collection_working():
    """Objects made after the freeze are still collected: sessions' garbage does not pile up."""
    from ui import startup

    startup.settle_imports()

    class Cycle:
        pass

    cycle = Cycle()
    cycle.me = cycle  # type: ignore[attr-defined]
    alive = weakref.ref(cycle)
    del cycle
    gc.collect()  # (not the frozen count: another test's thread may free frozen objects meanwhile)
    assert alive() is None


# What `streamlit run app.py` does before its server answers, in a fresh interpreter.
SERVER_START = """
import json, logging, sys
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
from sqlalchemy import create_engine, inspect
from ui import startup
startup.warm_up()
tables = inspect(create_engine(sys.argv[1])).get_table_names()
print(json.dumps({"tables": tables, "modules": sorted(sys.modules)}))
"""


@pytest.mark.slow  # starts the app in a fresh interpreter (~2.5 s): CI only
def test_a_starting_server_opens_the_database_and_loads_the_pages_libraries_but_not_the_model(tmp_path):
    """The first visit then costs what later ones do; scikit-learn waits for the first page that advises."""
    url = f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-c", SERVER_START, url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_STATE_DIR": str(tmp_path)},
    )
    found = json.loads(result.stdout)
    assert {"symptom_entries", "patients", "alembic_version"} <= set(found["tables"])  # before any visit
    assert {"sqlalchemy.orm", "altair", "tracker.charts.history", "ui.charts_view"} <= set(found["modules"])
    assert "sklearn" not in found["modules"]
    assert "WARNING" not in result.stderr, result.stderr  # no "missing ScriptRunContext" noise


@pytest.mark.slow  # starts the app in a fresh interpreter (~2.5 s): CI only
def test_a_database_server_that_is_down_does_not_stop_the_app_from_starting(tmp_path):
    """The page that needs the database says what is wrong; the start-up only notes it in the log."""
    url = "postgresql://postgres@127.0.0.1:1/test"  # a database server that is down
    result = subprocess.run(
        [sys.executable, "-c", "from ui import startup; startup.warm_up()"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_STATE_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "The database was not opened before the first visit" in result.stderr
