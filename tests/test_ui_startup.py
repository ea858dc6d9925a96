import gc
import json
import subprocess
import sys
import weakref
from pathlib import Path

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
