"""The project installs as one package with one version, and its scripts and tests need no path tricks."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

import tracker

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_the_version_lives_in_one_place_and_heads_the_changelog():
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "tracker.__version__"}
    assert "version" not in PYPROJECT["project"]
    newest = re.search(r"^## (\S+)", (ROOT / "CHANGELOG.md").read_text(), re.MULTILINE)
    assert newest and newest.group(1) == tracker.__version__


def test_the_installed_package_reports_the_same_version():
    try:
        installed = metadata.version("patient-symptom-tracker")
    except metadata.PackageNotFoundError:
        pytest.skip("not installed here (pip install -e .)")
    assert installed == tracker.__version__


def test_the_runtime_dependencies_are_the_pinned_requirements():
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["dependencies"] == {"file": ["requirements.txt"]}


@pytest.mark.parametrize("folder", ["data", "benchmarks", "tests", "tracker", "ui", "pages"])
def test_no_script_or_test_patches_the_import_path_or_imports_conftest(folder):
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / folder).rglob("*.py")
        if re.search(r"sys\.path\b|^\s*(from|import) conftest\b", path.read_text(), re.MULTILINE)
        and path.name != "test_packaging.py"
    ]
    assert offenders == []


def test_the_architecture_map_names_every_module():
    text = (ROOT / "docs" / "architecture.md").read_text()
    library = [
        path
        for path in ROOT.glob("tracker/**/*.py")
        if "migrations" not in path.parts
        and not (path.name == "__init__.py" and path.parent.name != "tracker")
    ]
    modules = [*library, *ROOT.glob("ui/*.py"), *ROOT.glob("pages/*.py")]
    unnamed = [
        str(path.relative_to(ROOT))
        for path in modules
        if str(path.relative_to(ROOT)) not in text and f"`{path.name}`" not in text
    ]
    assert unnamed == [], "docs/architecture.md: add these to the rooms or the 'where does X happen' table"
