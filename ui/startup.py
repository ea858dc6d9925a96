"""Once per process, after the first page's imports: skip Streamlit's first-run costs that scale with them.

A first visit to a just-started server runs up to three scripts (a deep link goes through app.py) and
Streamlit pays two costs per process that grow with every module loaded (pandas, Altair, SQLAlchemy):
- Python's full garbage collections walk every object (Streamlit also forced one after each run until
  `.streamlit/config.toml` turned `runner.postScriptGC` off): the imported modules, classes and tables
  are moved out of the collector's sight once, so later collections only walk what the runs create;
- its first element runs a check for "not started with `streamlit run`" that resolves the path of every
  loaded module (`inspect.stack`); here the script always runs under Streamlit, so it is marked done.
"""

import gc
import threading

from streamlit import delta_generator

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
