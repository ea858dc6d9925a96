"""Import checks in one Python: does importing these modules bring that package along?

A new interpreter per check costs seconds (pandas and scikit-learn imported again each time). Instead
one interpreter imports the third-party libraries the checks share and forks a child per check; the
child imports the check's modules and reports whether the forbidden package is in sys.modules. The
parent makes sure the forbidden package is not loaded before it forks, so for that package a child
starts as clean as a new interpreter.
"""

import json
import subprocess
import sys
from pathlib import Path

# The libraries the checks share, imported once before the forks. For each forbidden package a branch
# is forked that imports all of them but that package (and its submodules); the checks fork from it.
SHARED = ["numpy", "pandas", "scipy", "altair", "streamlit", "sqlalchemy", "sklearn", "sklearn.calibration"]

FORK_SERVER = """
import importlib, json, os, sys
checks, shared = json.loads(sys.argv[1]), json.loads(sys.argv[2])


def forked(work):
    \"\"\"Run work() in a child process and wait for it; raise when it failed.\"\"\"
    sys.stdout.flush()
    child = os.fork()
    if child == 0:
        try:
            work()
        finally:
            os._exit(0 if sys.exc_info()[0] is None else 1)
    if os.waitpid(child, 0)[1] != 0:
        raise SystemExit(f"a forked import check failed: {work}")


def check(name, modules, forbidden):
    for module in modules:
        importlib.import_module(module)
    os.write(1, (json.dumps([name, forbidden in sys.modules]) + "\\n").encode())


def branch(forbidden):
    for package in shared:
        if package.split(".")[0] != forbidden:
            importlib.import_module(package)
    assert forbidden not in sys.modules, f"{forbidden} came with a shared library: leave it out of SHARED"
    for name, (modules, banned) in checks.items():
        if banned == forbidden:
            forked(lambda: check(name, modules, banned))


for forbidden in sorted({banned for _, banned in checks.values()}):
    forked(lambda: branch(forbidden))
"""


def loaded_in_fresh_interpreters(checks: dict[str, tuple[list[str], str]], cwd: Path) -> dict[str, bool]:
    """Return, for each check name, whether importing its modules loaded its forbidden package."""
    result = subprocess.run(
        [sys.executable, "-c", FORK_SERVER, json.dumps(checks), json.dumps(SHARED)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    answers = dict(json.loads(line) for line in result.stdout.splitlines() if line.startswith("["))
    assert set(answers) == set(checks), result.stderr
    return answers
