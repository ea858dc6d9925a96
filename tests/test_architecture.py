"""Guards for the shape of the code base: the library stays UI-free, pages stay thin."""

import ast
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_PAGES = {"sqlalchemy", "sklearn", "joblib"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "tracker").rglob("*.py")), ids=lambda p: p.name)
def test_library_never_imports_streamlit(path):
    assert "streamlit" not in imported_modules(path)


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_hold_no_database_or_model_code(path):
    assert not imported_modules(path) & FORBIDDEN_IN_PAGES
    source = path.read_text()
    assert ".groupby(" not in source and "pd.read_" not in source


def public_functions() -> list[tuple[str, object]]:
    found = []
    for path in sorted((ROOT / "tracker").glob("[!_]*.py")):  # not __main__: importing it runs the CLI
        module = importlib.import_module(f"tracker.{path.stem}")
        for name, function in vars(module).items():
            if (
                inspect.isfunction(function)
                and function.__module__ == module.__name__
                and not name.startswith("_")
            ):
                found.append((f"{path.stem}.{name}", function))
    return found


def test_every_library_function_about_one_diary_takes_the_acting_user():
    """Isolation lives in the library: a function that reads a diary from the database is told who asks.

    Pure functions (charts, exports) get data the caller was already allowed to read.
    """
    missing = [
        name
        for name, function in public_functions()
        if "patient_id" in (parameters := list(inspect.signature(function).parameters))
        and parameters[0] in ("session", "engine")
        and parameters[1] != "actor"
    ]
    assert missing == []
    checked = [
        name for name, function in public_functions() if "actor" in inspect.signature(function).parameters
    ]
    assert len(checked) > 40, "the guard looks at the library's functions"


NO_MODEL_CODE = {"sklearn", "joblib", "tracker.model", "tracker.triage", "tracker.features"}


@pytest.mark.parametrize("name", ["notify", "reminders", "channels", "contacts", "confirmations"])
def test_notification_code_imports_no_model_code_itself(name):
    """Sending mail needs no scikit-learn: these modules import none of it directly."""
    tree = ast.parse((ROOT / "tracker" / f"{name}.py").read_text())
    found = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    found |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not found & NO_MODEL_CODE


def test_contacts_and_channels_load_without_scikit_learn():
    """The Settings page's contact checks and every send stay light (a fresh interpreter proves it)."""
    modules = "tracker.contacts, tracker.confirmations, tracker.channels"
    code = f"import sys, {modules}; print('sklearn' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


HISTORY_PAGE_MODULES = (
    "ui.resources, ui.components, ui.charts_view, ui.auth, tracker.factors, tracker.table_edits"
)


@pytest.mark.parametrize(
    "module",
    ["tracker.alerts", "tracker.reminders", "tracker.notify", "tracker.outcomes", HISTORY_PAGE_MODULES],
)
def test_alerts_reminders_and_notify_load_without_scikit_learn(module):
    """Pages that need no model must not pay for importing scikit-learn on a cold start."""
    code = f"import sys, {module}; print('sklearn' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("module", ["patient_facts"])
def test_patient_facts_stay_free_of_the_database_and_the_model(module):
    """Triage imports them: they must not pull in SQLAlchemy or scikit-learn."""
    assert not imported_modules(ROOT / "tracker" / f"{module}.py") & {"sqlalchemy", "sklearn", "joblib"}
