"""Guards for the shape of the code base: the library stays UI-free, pages stay thin."""

import ast
import importlib
import inspect
from pathlib import Path

import pytest
from fresh_imports import loaded_in_fresh_interpreters

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


def library_modules() -> list[str]:
    """Every module of the library (not __main__, whose import runs the CLI, nor the migrations)."""
    found = []
    for path in sorted((ROOT / "tracker").rglob("[!_]*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" not in parts:
            found.append(".".join(parts))
    return found


def public_functions() -> list[tuple[str, object]]:
    found = []
    for module_name in library_modules():
        module = importlib.import_module(module_name)
        for name, function in vars(module).items():
            if (
                inspect.isfunction(function)
                and function.__module__ == module.__name__
                and not name.startswith("_")
            ):
                found.append((f"{module_name}.{name}", function))
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


def package_modules(*packages: str) -> list[str]:
    return [name for name in library_modules() if name.split(".")[1] in packages]


# What each import check loads, and the package that must not come with it. One Python answers them
# all (tests/fresh_imports.py): a new interpreter each was ~9 s of CPU, mostly importing pandas and
# scikit-learn six times over.
PURE_PACKAGES = ["insights", "charts", "triage"]
LIGHT_PACKAGES = ["alerts", "notify", "medicines"]
HISTORY_PAGE_MODULES = [
    "ui.resources",
    "ui.components",
    "ui.charts_view",
    "ui.medicines_view",
    "ui.medicines_panel",
    "ui.auth",
    "tracker.insights.factors",
    "tracker.diary.table_edits",
    "tracker.care_team.contacts",
    "tracker.care_team.outcomes",
]
# The PDF and Excel writers: only a download (the Your data page) needs them.
FILE_WRITERS = ["fpdf", "openpyxl"]
# Presets, units, field checks and cycle days are pure: charts and insights may use them.
MEASURE_ARITHMETIC = [
    "tracker.measures.presets",
    "tracker.measures.units",
    "tracker.measures.checks",
    "tracker.cycles.derive",
]


# Its ~10 s (a fresh interpreter per check) keeps the tests that read it out of the everyday loop.
SLOW_IMPORTS = pytest.mark.slow


@pytest.fixture(scope="module")
def fresh_imports() -> dict[str, bool]:
    """Whether each check's forbidden package came with its modules, each imported as if alone."""
    checks = {package: (package_modules(package), "sqlalchemy") for package in PURE_PACKAGES}
    checks |= {package: (package_modules(package), "sklearn") for package in LIGHT_PACKAGES}
    checks["history page"] = (HISTORY_PAGE_MODULES, "sklearn")
    checks |= {f"history page, {writer}": (HISTORY_PAGE_MODULES, writer) for writer in FILE_WRITERS}
    checks["measure and cycle arithmetic"] = (MEASURE_ARITHMETIC, "sqlalchemy")
    checks["the tables"] = (["tracker.storage.tables"], "sqlalchemy")  # does come: the check can fail
    return loaded_in_fresh_interpreters(checks, cwd=ROOT)


def test_the_library_is_grouped_in_packages_by_concept():
    """tracker/ holds packages; only the shared vocabulary and the command line sit at its top."""
    top = sorted(path.stem for path in (ROOT / "tracker").glob("*.py"))
    assert top == ["__init__", "__main__", "cli", "config", "errors", "levels", "regions"]
    packages = sorted(path.parent.name for path in (ROOT / "tracker").glob("*/__init__.py"))
    assert packages == [
        "alerts", "care_team", "charts", "cycles", "diary", "insights", "measures", "medicines", "notify",
        "storage", "transfer", "triage",
    ]  # fmt: skip


@SLOW_IMPORTS
@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_packages_never_load_the_database(package, fresh_imports):
    """Insights, charts and triage take data and return data: SQLAlchemy never comes with them."""
    assert package_modules(package), "the package has modules to import"
    assert fresh_imports[package] is False


@SLOW_IMPORTS
@pytest.mark.parametrize("package", LIGHT_PACKAGES)
def test_alerts_reminders_and_notify_load_without_scikit_learn(package, fresh_imports):
    """The `remind` and `notify` jobs (dose reminders too) and every send stay light: no scikit-learn."""
    assert package_modules(package), "the package has modules to import"
    assert fresh_imports[package] is False


@SLOW_IMPORTS
def test_pages_that_need_no_model_load_without_scikit_learn(fresh_imports):
    """History, Settings and Outcomes must not pay for importing scikit-learn on a cold start."""
    assert fresh_imports["history page"] is False


@SLOW_IMPORTS
@pytest.mark.parametrize("writer", FILE_WRITERS)
def test_the_history_page_loads_without_the_file_writers(writer, fresh_imports):
    """A cold first History visit does not wait for the PDF and Excel writers (a second to import)."""
    assert fresh_imports[f"history page, {writer}"] is False


@SLOW_IMPORTS
def test_measure_and_cycle_arithmetic_never_loads_the_database(fresh_imports):
    """Charts and insights use the measure units and cycle days without the database."""
    assert fresh_imports["measure and cycle arithmetic"] is False


@SLOW_IMPORTS
def test_the_import_check_sees_a_package_that_does_come(fresh_imports):
    """The shared interpreter reports a forbidden package that is imported (the checks can fail)."""
    assert fresh_imports["the tables"] is True


def test_the_advice_is_found_where_callers_look_for_it():
    """`tracker.triage.assess` and `Assessment` stay the public face, loaded only when asked for."""
    import tracker.triage

    assert tracker.triage.assess.__module__ == "tracker.triage.engine"
    assert tracker.triage.Assessment.__name__ == "Assessment"
    with pytest.raises(AttributeError):
        _ = tracker.triage.no_such_name


def test_patient_facts_stay_free_of_the_database_and_the_model():
    """Triage imports them: they must not pull in SQLAlchemy or scikit-learn."""
    path = ROOT / "tracker" / "triage" / "patient.py"
    assert not imported_modules(path) & {"sqlalchemy", "sklearn", "joblib"}
